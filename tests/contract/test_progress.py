"""Progress writes on both job stores: throttled, conditional on `processing`, never racing a
delete (the worker's ProgressWriter, against SQLite and DynamoDB Local)."""

from __future__ import annotations

import pytest

from transcripts.domain import Status
from transcripts.errors import JobCancelled
from transcripts.render import transcript_object
from transcripts.worker import ProgressWriter

from .test_job_store import make_job


def test_progress_written_every_step_or_interval(job_store):
    job = make_job()
    job_store.add(job)
    assert transcript_object(job_store.get(job.id), None)["progress"] is None  # queued
    job_store.transition(job.id, {Status.QUEUED}, status=Status.PROCESSING, progress=0.0)
    writer = ProgressWriter(job_store, job.id, step=0.1, every_s=3600)
    writer(5, 100)
    assert job_store.get(job.id).progress == 0.0  # under one step: not written
    writer(12, 100)
    assert job_store.get(job.id).progress == 0.12
    writer(15, 100)
    assert job_store.get(job.id).progress == 0.12
    writer.every_s = 0  # the interval has passed: any advance is written
    writer(15, 100)
    assert job_store.get(job.id).progress == 0.15
    writer(100, 100)
    assert job_store.get(job.id).progress == 0.99  # 1.0 only when completed
    assert transcript_object(job_store.get(job.id), None)["progress"] == 0.99
    done = job_store.transition(job.id, {Status.PROCESSING}, status=Status.COMPLETED, progress=1.0)
    assert transcript_object(done, {})["progress"] == 1.0


def test_progress_never_recreates_a_deleted_job(job_store):
    job = make_job()
    job_store.add(job)
    job_store.transition(job.id, {Status.QUEUED}, status=Status.PROCESSING, progress=0.0)
    writer = ProgressWriter(job_store, job.id, step=0.1, every_s=0)
    writer(30, 100)
    assert job_store.delete(job.id, job.owner) is not None
    with pytest.raises(JobCancelled):
        writer(60, 100)
    assert job_store.get(job.id) is None


def test_progress_only_while_processing(job_store):
    job = make_job()
    job_store.add(job)
    writer = ProgressWriter(job_store, job.id, step=0.1, every_s=0)
    with pytest.raises(JobCancelled):  # still queued (a swept or reclaimed job): not ours to write
        writer(50, 100)
    assert job_store.get(job.id).progress is None
