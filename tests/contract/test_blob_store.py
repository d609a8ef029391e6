"""BlobStore contract."""

from __future__ import annotations

import io

import pytest


def test_put_get_and_local_path(blob_store):
    size = blob_store.put_stream("transcripts/a/audio", io.BytesIO(b"x" * 3_000_000))
    assert size == 3_000_000
    assert blob_store.get_bytes("transcripts/a/audio") == b"x" * 3_000_000
    with blob_store.local_path("transcripts/a/audio") as path:
        assert path.read_bytes()[:3] == b"xxx"
    assert blob_store.get_bytes("transcripts/missing") is None
    with pytest.raises(FileNotFoundError):
        with blob_store.local_path("transcripts/missing"):
            pass


def test_failed_write_leaves_nothing(blob_store):
    class Broken(io.RawIOBase):
        def __init__(self):
            self.calls = 0

        def read(self, n=-1):
            self.calls += 1
            if self.calls > 2:
                raise OSError("client went away")
            return b"y" * 1000

    with pytest.raises(OSError):
        blob_store.put_stream("transcripts/b/audio", Broken())
    assert blob_store.get_bytes("transcripts/b/audio") is None
    assert list(blob_store.keys("transcripts/b/")) == []


def test_delete_prefix_removes_only_that_job(blob_store):
    blob_store.put_bytes("transcripts/a/audio", b"1")
    blob_store.put_bytes("transcripts/a/result.json", b"{}")
    blob_store.put_bytes("transcripts/ab/audio", b"2")
    assert blob_store.delete_prefix("transcripts/a/") == 2
    assert list(blob_store.keys("transcripts/")) == ["transcripts/ab/audio"]
    assert blob_store.delete_prefix("transcripts/a/") == 0


def test_overwrite_is_atomic_replace(blob_store):
    blob_store.put_bytes("k/v", b"old")
    blob_store.put_bytes("k/v", b"new")
    assert blob_store.get_bytes("k/v") == b"new"


def test_keys_cannot_escape_the_store(blob_store):
    with pytest.raises(ValueError):
        blob_store.put_bytes("../outside", b"x")


def test_short_reads_are_not_mistaken_for_the_end(blob_store):
    """Network streams return fewer bytes than asked; every byte must still be stored."""

    class Trickle:
        def __init__(self, data: bytes):
            self.data = data

        def read(self, n=-1):
            chunk, self.data = self.data[:1000], self.data[1000:]
            return chunk

    data = bytes(range(256)) * 40_000  # 10 MB: past s3transfer's multipart threshold
    assert blob_store.put_stream("transcripts/t/audio", Trickle(data)) == len(data)
    assert blob_store.get_bytes("transcripts/t/audio") == data


def test_copy(blob_store):
    blob_store.put_bytes("inbox/p/a.wav", b"audio")
    blob_store.copy("inbox/p/a.wav", "transcripts/x/audio")
    assert blob_store.get_bytes("transcripts/x/audio") == b"audio"
    assert blob_store.get_bytes("inbox/p/a.wav") == b"audio"
    with pytest.raises(FileNotFoundError):
        blob_store.copy("inbox/p/missing.wav", "transcripts/y/audio")


def test_delete_one_key_only(blob_store):
    blob_store.put_bytes("inbox/p/a.wav", b"1")
    blob_store.put_bytes("inbox/p/a.wav.json", b"2")
    blob_store.delete("inbox/p/a.wav")
    blob_store.delete("inbox/p/never-there.wav")
    assert list(blob_store.keys("inbox/")) == ["inbox/p/a.wav.json"]
