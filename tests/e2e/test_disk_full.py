"""A full disk (a real ENOSPC: the data directory on a small tmpfs filled to the last byte)
gives clear 507s at request time, leaves no litter, and strands no job: once space is back,
every job reaches a visible end state without a restart (the embedded default's sweeper)."""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path

import pytest

from helpers import Client, Server, concat, files_under

from .conftest import SERVER_ENV
from .test_restart import wait_for


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m,mode=0700", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs needs root (CI runs as root): {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(path: Path) -> None:
    """Write until the file system refuses another byte."""
    with path.open("wb", buffering=0) as f:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    assert not _can_write(path.parent / "probe")


def _can_write(path: Path) -> bool:
    try:
        path.write_bytes(b"x" * 4096)
    except OSError:
        return False
    path.unlink()
    return True


def test_full_disk(small_disk, audio_dir, english_wav, short_wav):
    data_dir = small_disk / "data"
    server = Server(data_dir, {**SERVER_ENV, "TRANSCRIPTS_SWEEP_INTERVAL_S": "0.5"}).start()
    try:
        c = Client(server.url, server.create_key()["api_key"])
        long = concat(audio_dir / "disk-full-long.wav", *([english_wav] * 3), rate=8000)
        running = c.upload(long).json()["id"]
        queued = c.upload(short_wav).json()["id"]
        wait_for(lambda: c.http.get(f"/v1/transcripts/{running}").json()["status"] == "processing")
        filler = small_disk / "filler"
        fill(filler)
        jobs_before = sorted(p.name for p in (data_dir / "blobs" / "transcripts").iterdir())

        refused = c.upload(short_wav)
        assert refused.status_code == 507, refused.text
        assert refused.json()["error"]["code"] == "insufficient_storage"
        upload = c.http.post("/v1/uploads", json={"size": short_wav.stat().st_size}).json()
        put = c.http.put(upload["url"], content=short_wav.read_bytes())
        assert put.status_code == 507 and put.json()["error"]["code"] == "insufficient_storage"
        # No folder left behind by the refused writes.
        assert sorted(p.name for p in (data_dir / "blobs" / "transcripts").iterdir()) == jobs_before
        assert not (data_dir / "blobs" / "uploads").exists() or not any((data_dir / "blobs" / "uploads").iterdir())

        # The running job's result write meets the full disk.
        wait_for(lambda: "job failed: disk full" in server.logs(), timeout=180, step=0.2)
        filler.unlink()

        finals = {job_id: c.wait(job_id, timeout=240) for job_id in (running, queued)}
        assert finals[queued]["status"] == "completed", finals[queued]
        first = finals[running]
        assert first["status"] == "completed" or first["error"]["code"] == "insufficient_storage", first
        listing = c.http.get("/v1/transcripts")
        assert listing.status_code == 200 and len(listing.json()["data"]) == 2
        after = c.upload(short_wav)
        assert after.status_code == 200, after.text
        assert not [p for p in files_under(data_dir / "blobs") if p.name.startswith(".tmp-")]
    finally:
        server.stop()
