"""The completed-results cache stays within its byte budget and forgets deleted jobs."""

from __future__ import annotations

from transcripts.result_cache import ResultCache


def test_bounded_least_recently_used_first():
    cache = ResultCache(max_bytes=1000)
    for n in range(4):
        cache.put(f"t{n}", {"n": n}, 240)
    assert cache.get("t0") == {"n": 0}  # now the most recently used
    cache.put("t4", {"n": 4}, 240)  # 1200 bytes: the least recently used (t1) goes
    assert cache.get("t1") is None
    assert [cache.get(f"t{n}") for n in (0, 2, 3, 4)] == [{"n": 0}, {"n": 2}, {"n": 3}, {"n": 4}]


def test_forget_and_oversized():
    cache = ResultCache(max_bytes=1000)
    cache.put("t", {"x": 1}, 100)
    cache.forget("t")
    assert cache.get("t") is None
    cache.put("huge", {"x": 1}, 600)  # over a quarter of the budget: not kept
    assert cache.get("huge") is None
