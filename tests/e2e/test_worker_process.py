"""The embedded default transcribes in a `transcripts worker` child of the server (niced), not in
the API's process; a worker that dies is started again and its job taken again; the server
stops it; `TRANSCRIPTS_WORKER=inline` keeps the old one-process layout and `none` leaves the
jobs to a worker run by hand."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import Client, Server

from .conftest import SERVER_ENV
from .test_restart import long_clip, wait_for


def worker_pids(server: Server) -> list[int]:
    """Every worker the server started, in order (its log says so)."""
    pids = []
    for line in server.logs().splitlines():
        if line.startswith("{") and '"worker process started"' in line:
            pids.append(json.loads(line)["pid"])
    return pids


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


def loaded(pid: int, library: str) -> bool:
    """Whether the process mapped a shared library whose path contains `library`."""
    return library in Path(f"/proc/{pid}/maps").read_text()


def test_jobs_run_in_a_niced_worker_process(tmp_path, short_wav):
    server = Server(tmp_path / "data", dict(SERVER_ENV)).start()
    try:
        c = Client(server.url, server.create_key()["api_key"])
        job = c.wait(c.upload(short_wav).json()["id"])
        assert job["status"] == "completed" and "hello" in job["text"].lower()
        [worker] = worker_pids(server)
        assert worker != server.proc.pid and alive(worker)
        assert int(Path(f"/proc/{worker}/stat").read_text().split(")")[1].split()[1]) == server.proc.pid  # its child
        assert os.getpriority(os.PRIO_PROCESS, worker) - os.getpriority(os.PRIO_PROCESS, server.proc.pid) == 10
        # The model (CTranslate2) was loaded where the job ran: in the worker, never in the API.
        assert loaded(worker, "ctranslate2") and not loaded(server.proc.pid, "ctranslate2")
    finally:
        server.stop()
    assert not alive(worker)  # SIGTERM to the server stops its worker too


def test_killed_worker_is_started_again_and_its_job_taken_again(tmp_path, audio_dir, english_wav):
    server = Server(tmp_path / "data", dict(SERVER_ENV)).start()
    try:
        c = Client(server.url, server.create_key()["api_key"])
        job_id = c.upload(long_clip(audio_dir, english_wav)).json()["id"]
        wait_for(lambda: c.http.get(f"/v1/transcripts/{job_id}").json()["status"] == "processing")
        [first] = worker_pids(server)
        os.kill(first, signal.SIGKILL)
        second = wait_for(lambda: worker_pids(server)[1:], timeout=30)[0]
        assert second != first and alive(second)
        job = c.wait(job_id, timeout=300)
        assert job["status"] == "completed", job
        assert "thank you for calling" in job["text"].lower()
        assert '"job requeued"' in server.logs()  # the lost attempt counted, then the job ran again
        assert server.proc.poll() is None
    finally:
        server.stop()


def test_inline_worker_runs_in_the_server(tmp_path, short_wav):
    server = Server(tmp_path / "data", {**SERVER_ENV, "TRANSCRIPTS_WORKER": "inline"}).start()
    try:
        c = Client(server.url, server.create_key()["api_key"])
        assert c.wait(c.upload(short_wav).json()["id"])["status"] == "completed"
        assert worker_pids(server) == [] and loaded(server.proc.pid, "ctranslate2")
    finally:
        server.stop()


def test_no_worker_leaves_jobs_queued_for_a_worker_run_by_hand(tmp_path, short_wav):
    env = {**SERVER_ENV, "TRANSCRIPTS_WORKER": "none", "TRANSCRIPTS_WORKER_POLL_S": "0.2"}
    server = Server(tmp_path / "data", env).start()
    worker = None
    try:
        c = Client(server.url, server.create_key()["api_key"])
        job_id = c.upload(short_wav).json()["id"]
        time.sleep(2)
        assert c.http.get(f"/v1/transcripts/{job_id}").json()["status"] == "queued" and worker_pids(server) == []
        command = [sys.executable, "-m", "transcripts.cli", "worker", "--data-dir", str(server.data_dir)]
        worker = subprocess.Popen(command, env={**os.environ, **env}, stderr=subprocess.PIPE, text=True)
        assert c.wait(job_id)["status"] == "completed"
        second = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
        assert second.returncode == 3 and "one worker per data directory" in second.stderr
    finally:
        if worker is not None:
            worker.terminate()
            assert worker.wait(timeout=30) == 0
        server.stop()
