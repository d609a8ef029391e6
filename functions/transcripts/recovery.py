"""Jobs whose worker went away: none is lost and none hangs.

`recover_jobs` runs when the embedded server starts: every `processing` job lost its worker
with the previous process. `sweep_local` runs every few seconds beside the embedded worker:
its worker pool knows each job it holds, so a queued job it dropped (its start failed, e.g. on
a full disk) is taken again and a processing job no thread runs is retried or failed. `sweep_stuck` runs on a schedule in production: a job queued or
processing past its deadline is dispatched again while it has attempts left
(`TRANSCRIPTS_MAX_JOB_ATTEMPTS`), else it ends in `error` with a code the client sees.
"""

from __future__ import annotations

import logging
import time

from .background import BackgroundLoop
from .domain import Job, Status, job_prefix
from .ports import Dispatcher, EventPublisher, JobStore, TranscriptEvent

log = logging.getLogger(__name__)

NS = 1_000_000_000

LOST = ("worker_lost", "the worker stopped during processing {n} times")
NOT_STARTED = ("dispatch_timeout", "no worker started the job in time, {n} times")


def _dispatch(dispatcher: Dispatcher, job: Job) -> None:
    """Like the API's dispatch: a failure leaves the job queued for the next sweep, so one
    failing dispatch (the GPU app not deployed yet, Modal unreachable) neither stops the sweep
    of the other jobs nor raises out of the scheduled function."""
    try:
        dispatcher.dispatch(job)
    except Exception:
        log.exception("dispatch failed; the job stays queued", extra={"job_id": job.id})


def _retry_or_fail(job: Job, jobs: JobStore, dispatcher: Dispatcher | None, events: EventPublisher,
                   max_attempts: int, reason: tuple[str, str]) -> Job | None:
    attempts = job.attempts + 1
    now = time.time_ns()
    if attempts < max_attempts:
        requeued = jobs.transition(job.id, {job.status}, status=Status.QUEUED, attempts=attempts, queued_ns=now,
                                   call_id=None)
        if requeued is not None:
            log.info("job requeued", extra={"job_id": job.id, "attempts": attempts})
            if dispatcher is not None:
                _dispatch(dispatcher, requeued)
        return requeued
    code, message = reason
    failed = jobs.transition(job.id, {job.status}, status=Status.ERROR, attempts=attempts, error_code=code,
                             error_message=message.format(n=attempts), completed_ns=now)
    if failed is not None:
        log.info("job failed", extra={"job_id": job.id, "error_code": code})
        events.publish(TranscriptEvent("transcript.failed", job.id, job.owner, job.options.webhook_url, now))
    return failed


def recover_jobs(jobs: JobStore, dispatcher: Dispatcher, events: EventPublisher, max_attempts: int) -> int:
    """At start-up of the only worker on this data: resume everything, oldest first. A
    synchronous request's job is its request's to run (see drop_abandoned_sync_jobs)."""
    for job in jobs.with_status(Status.PROCESSING):
        if not job.sync:
            _retry_or_fail(job, jobs, None, events, max_attempts, LOST)
    queued = [job for job in jobs.with_status(Status.QUEUED) if not job.sync]
    for job in queued:
        dispatcher.dispatch(job)
    return len(queued)


def drop_abandoned_sync_jobs(jobs: JobStore, blobs) -> int:
    """At start-up of the server: a synchronous request's job still here lost its request with
    the previous server (nobody waits for it), so its record and recording go."""
    dropped = 0
    for status in (Status.QUEUED, Status.PROCESSING):
        for job in jobs.with_status(status):
            if job.sync and jobs.delete(job.id, job.owner) is not None:
                blobs.delete_prefix(job_prefix(job.id))
                dropped += 1
    return dropped


CRASH_GRACE_S = 60.0


def _lost(job: Job, dispatcher: Dispatcher, now: int, deadline_s: float) -> bool:
    """A processing job lost its worker when its call ended without finishing the job; when
    the call's state is unknown, when it has been processing past the deadline. A call that
    is still running is slow, not lost (the GPU function's own timeout ends it)."""
    age = now - (job.started_ns or job.created_ns)
    state = dispatcher.call_state(job.call_id)
    if state == "running":
        return False
    if state == "finished":
        return age > CRASH_GRACE_S * NS  # the job's last write may still be on its way
    return age > deadline_s * NS


def sweep_stuck(jobs: JobStore, dispatcher: Dispatcher, events: EventPublisher, max_attempts: int,
                queued_deadline_s: float, processing_deadline_s: float, now_ns: int | None = None) -> dict:
    now = now_ns or time.time_ns()
    swept = {"requeued": 0, "failed": 0}
    stuck = [(j, NOT_STARTED) for j in jobs.with_status(Status.QUEUED)
             if now - (j.queued_ns or j.created_ns) > queued_deadline_s * NS]
    stuck += [(j, LOST) for j in jobs.with_status(Status.PROCESSING)
              if _lost(j, dispatcher, now, processing_deadline_s)]
    for job, reason in stuck:
        after = _retry_or_fail(job, jobs, dispatcher, events, max_attempts, reason)
        if after is not None:
            swept["requeued" if after.status == Status.QUEUED else "failed"] += 1
    return swept


def sweep_local(jobs: JobStore, pool, events: EventPublisher, max_attempts: int) -> dict:
    """The embedded default's sweeper. Every transition is conditional, so a job that moved on
    between the listing and the check is left alone."""
    swept = {"requeued": 0, "failed": 0}
    for job in jobs.with_status(Status.QUEUED):
        if not job.sync and not pool.holds(job.id):
            pool.resume(job)
            swept["requeued"] += 1
    for job in jobs.with_status(Status.PROCESSING):
        if not job.sync and not pool.holds(job.id):
            after = _retry_or_fail(job, jobs, pool, events, max_attempts, LOST)
            if after is not None:
                swept["requeued" if after.status == Status.QUEUED else "failed"] += 1
    if any(swept.values()):
        log.info("jobs swept", extra=swept)
    return swept


class LocalSweeper(BackgroundLoop):
    """Runs `sweep_local` every `interval_s` seconds on a daemon thread."""

    def __init__(self, jobs: JobStore, pool, events: EventPublisher, max_attempts: int, interval_s: float):
        self.jobs, self.pool, self.events, self.max_attempts = jobs, pool, events, max_attempts
        self.interval_s = interval_s
        super().__init__("sweeper")

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                sweep_local(self.jobs, self.pool, self.events, self.max_attempts)
            except Exception as exc:  # a full disk fails the sweep too; the next one tries again
                log.warning("sweep failed", extra={"error": type(exc).__name__})
