"""The local Dispatcher runs jobs in arrival order and keeps going after a failing job."""

from __future__ import annotations

import threading
import time

from transcripts.adapters.local_pool import LocalWorkerPool
from transcripts.domain import AudioSource, Job, Options


def job(n: int) -> Job:
    return Job(id=f"transcript_{n:03d}", owner="p", created_ns=n, options=Options(model="m"), audio=AudioSource())


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
