"""The rendered-transcript cache stays within its byte budget, answers only the version it
holds, and forgets deleted jobs."""

from __future__ import annotations

from transcripts.result_cache import ResultCache


def test_bounded_least_recently_used_first():
    cache = ResultCache(max_bytes=1000)
    for n in range(4):
        cache.put(f"t{n}", 1, bytes([n]) * 240)
    assert cache.get("t0", 1) == bytes([0]) * 240  # now the most recently used
    cache.put("t4", 1, b"4" * 240)  # 1200 bytes: the least recently used (t1) goes
    assert cache.get("t1", 1) is None
    assert [cache.get(f"t{n}", 1)[:1] for n in (0, 2, 3)] == [b"\0", b"\2", b"\3"]
    assert cache.get("t4", 1) == b"4" * 240


def test_version_forget_and_oversized():
    cache = ResultCache(max_bytes=1000)
    cache.put("t", 5, b"x" * 100)
    assert cache.get("t", 6) is None  # another completion of the same id: not this entry
    cache.put("t", 6, b"y" * 100)  # replaces, and counts its bytes once
    assert cache.get("t", 6) == b"y" * 100 and cache.get("t", 5) is None
    cache.forget("t")
    assert cache.get("t", 6) is None
    cache.put("huge", 1, b"x" * 600)  # over a quarter of the budget: not kept
    assert cache.get("huge", 1) is None
    for n in range(9):  # the budget holds after replacements and forgets
        cache.put(f"k{n}", 1, b"z" * 200)
    assert sum(cache.get(f"k{n}", 1) is not None for n in range(9)) == 5
