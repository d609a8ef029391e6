"""What happens to jobs a stopped process left behind: none is lost and none hangs.

A job found `processing` at start-up lost its worker. It is queued again while it has
attempts left (`TRANSCRIPTS_MAX_JOB_ATTEMPTS`), else it ends in `error` with `worker_lost`.
Queued jobs are dispatched again, oldest first.
"""

from __future__ import annotations

import logging
import time

from .domain import Status
from .ports import Dispatcher, EventPublisher, JobStore, TranscriptEvent

log = logging.getLogger(__name__)


def recover_jobs(jobs: JobStore, dispatcher: Dispatcher, events: EventPublisher, max_attempts: int) -> int:
    for job in jobs.with_status(Status.PROCESSING):
        attempts = job.attempts + 1
        if attempts < max_attempts:
            jobs.transition(job.id, {Status.PROCESSING}, status=Status.QUEUED, attempts=attempts)
            log.info("job requeued after restart", extra={"job_id": job.id, "attempts": attempts})
            continue
        failed = jobs.transition(
            job.id, {Status.PROCESSING}, status=Status.ERROR, attempts=attempts, error_code="worker_lost",
            error_message=f"the worker stopped during processing {attempts} times", completed_ns=time.time_ns(),
        )
        if failed is not None:
            events.publish(TranscriptEvent("transcript.failed", job.id, job.owner, job.options.webhook_url, time.time_ns()))
    queued = jobs.with_status(Status.QUEUED)
    for job in queued:
        dispatcher.dispatch(job)
    return len(queued)
