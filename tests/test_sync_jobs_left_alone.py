"""A synchronous request's job (POST /v1/audio/transcriptions) is run by its request in the
server: the worker's feeder, the sweeper and the start-up recovery never take it (they did, and
the request answered 500), and one left by a server that died is dropped at the next start."""

from __future__ import annotations

import threading

from transcripts.adapters.file_blobs import FileBlobStore
from transcripts.adapters.sqlite_db import Database
from transcripts.adapters.sqlite_jobs import SqliteJobStore
from transcripts.adapters.worker_process import ParentWatch
from transcripts.domain import Status, audio_key
from transcripts.recovery import drop_abandoned_sync_jobs, recover_jobs, sweep_local

from contract.test_job_store import make_job


class Pool:
    def __init__(self):
        self.taken = []

    def dispatch(self, job):
        self.taken.append(job.id)

    resume = dispatch

    def holds(self, job_id):
        return False


class Events:
    def publish(self, event):
        raise AssertionError("no job ended")


def stores(tmp_path):
    jobs, blobs = SqliteJobStore(Database(tmp_path / "t.db")), FileBlobStore(tmp_path / "blobs")
    batch, sync_queued, sync_running = make_job(), make_job(), make_job()
    sync_queued.sync = sync_running.sync = True
    for job in (batch, sync_queued, sync_running):
        jobs.add(job)
        blobs.put_bytes(audio_key(job.id), b"audio")
    jobs.transition(sync_running.id, {Status.QUEUED}, status=Status.PROCESSING)
    return jobs, blobs, batch, sync_queued, sync_running


def test_workers_and_sweepers_leave_sync_jobs_alone(tmp_path):
    jobs, _, batch, sync_queued, sync_running = stores(tmp_path)
    pool = Pool()
    assert recover_jobs(jobs, pool, Events(), max_attempts=2) == 1
    assert sweep_local(jobs, pool, Events(), max_attempts=2) == {"requeued": 1, "failed": 0}
    wake = threading.Event()
    feeder = ParentWatch(jobs, pool.dispatch, wake, poll_s=0.05, on_orphaned=lambda: None, supervised=False)
    feeder.start()
    assert wake.wait(5)
    feeder.stop()
    assert set(pool.taken) == {batch.id}
    assert jobs.get(sync_queued.id).status == Status.QUEUED and jobs.get(sync_running.id).status == Status.PROCESSING


def test_sync_jobs_of_a_dead_server_are_dropped_at_start(tmp_path):
    jobs, blobs, batch, sync_queued, sync_running = stores(tmp_path)
    assert drop_abandoned_sync_jobs(jobs, blobs) == 2
    assert jobs.get(sync_queued.id) is None and jobs.get(sync_running.id) is None
    assert blobs.get_bytes(audio_key(sync_running.id)) is None
    assert jobs.get(batch.id).status == Status.QUEUED and blobs.get_bytes(audio_key(batch.id)) == b"audio"
