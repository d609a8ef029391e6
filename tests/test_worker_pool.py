"""The local Dispatcher runs one owner's jobs in arrival order, owners in turn, and keeps going
after a failing job."""

from __future__ import annotations

import threading
import time

from transcripts.adapters.local_pool import LocalWorkerPool
from transcripts.domain import AudioSource, Job, Options


def job(n: int, owner: str = "p") -> Job:
    return Job(id=f"transcript_{n:03d}", owner=owner, created_ns=n, options=Options(model="m"), audio=AudioSource())


def test_fifo_with_one_worker_and_survives_errors():
    order, done = [], threading.Event()

    def run(job_id):
        order.append(job_id)
        if job_id == "transcript_002":
            raise RuntimeError("boom")
        if len(order) == 6:
            done.set()

    pool = LocalWorkerPool(run, workers=1)
    for n in range(6):
        pool.dispatch(job(n))
    pool.start()
    assert done.wait(10)
    pool.stop()
    assert order == [f"transcript_{n:03d}" for n in range(6)]


def test_workers_run_in_parallel():
    running, peak, lock = [0], [0], threading.Lock()

    def run(job_id):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1

    pool = LocalWorkerPool(run, workers=3)
    pool.start()
    for n in range(6):
        pool.dispatch(job(n))
    time.sleep(0.7)
    pool.stop()
    assert peak[0] == 3


def test_owners_take_turns():
    """One client's backlog does not hold another's jobs behind it (one worker)."""
    order, done = [], threading.Event()

    def run(job_id):
        order.append(job_id)
        if len(order) == 6:
            done.set()

    pool = LocalWorkerPool(run, workers=1)
    for n in range(4):
        pool.dispatch(job(n, owner="a"))
    pool.dispatch(job(10, owner="b"))
    pool.dispatch(job(11, owner="b"))
    pool.start()
    assert done.wait(10)
    pool.stop()
    assert order == ["transcript_000", "transcript_010", "transcript_001", "transcript_011", "transcript_002",
                     "transcript_003"]


def test_per_owner_cap_leaves_workers_to_others():
    running, peak, lock, done = {"a": 0, "b": 0}, {"a": 0, "b": 0}, threading.Lock(), threading.Event()
    finished, started = [], []

    def run(job_id):
        owner = "b" if job_id == "transcript_010" else "a"
        with lock:
            started.append(job_id)
            running[owner] += 1
            peak[owner] = max(peak[owner], running[owner])
        time.sleep(0.15)
        with lock:
            running[owner] -= 1
            finished.append(job_id)
            if len(finished) == 5:
                done.set()

    pool = LocalWorkerPool(run, workers=3, max_per_owner=2)
    for n in range(4):
        pool.dispatch(job(n, owner="a"))
    pool.dispatch(job(10, owner="b"))
    assert pool.holds("transcript_003") and not pool.holds("transcript_099")
    pool.start()
    assert done.wait(10)
    pool.stop()
    assert peak == {"a": 2, "b": 1}
    assert started.index("transcript_010") <= 2  # b did not wait behind a's backlog


def test_a_job_is_held_once():
    seen = []
    pool = LocalWorkerPool(seen.append, workers=1)
    pool.dispatch(job(1))
    pool.dispatch(job(1))
    pool.resume(job(2))
    pool.start()
    time.sleep(0.3)
    pool.stop()
    assert seen == ["transcript_002", "transcript_001"]
