"""`run_job()`: the one function that turns a queued job into a completed or failed one.

The embedded default's worker threads and the GPU function both call it, with different
adapters. Every write-back is conditional on the job still being `processing`, so a job
deleted while it ran is never recreated: the worker notices, removes what it wrote and stops.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from .audio_probe import probe
from .domain import Job, Status, audio_key, job_prefix, result_key
from .errors import ApiError, JobCancelled, JobFailed, disk_full
from .outbound import OutboundClient
from .ports import BlobStore, EventPublisher, JobStore, TranscriptEvent

log = logging.getLogger(__name__)


@dataclass
class WorkerContext:
    jobs: JobStore
    blobs: BlobStore
    events: EventPublisher
    models: "object"  # pipeline.asr.ModelCache; typed loosely to keep this import light
    decode_settings: "object"  # pipeline.asr.DecodeSettings
    outbound: OutboundClient
    max_upload_bytes: int
    max_duration_s: float


def run_job(job_id: str, ctx: WorkerContext) -> Job | None:
    """Run one job to its end state. Returns the final job, or None if it was not ours to run."""
    job = ctx.jobs.transition(job_id, {Status.QUEUED}, status=Status.PROCESSING, started_ns=time.time_ns(),
                              progress=0.0)
    if job is None:
        return None
    started = time.monotonic()
    log.info("job started", extra={"job_id": job_id, "attempt": job.attempts + 1})
    try:
        final = _process(job, ctx)
        log.info("job completed", extra={"job_id": job_id, "seconds": round(time.monotonic() - started, 3),
                                         "audio_seconds": final.duration})
        return final
    except JobCancelled:
        log.info("job cancelled", extra={"job_id": job_id})
    except JobFailed as failure:
        return _fail(job, ctx, failure.code, failure.message)
    except Exception as exc:
        if disk_full(exc):
            log.error("job failed: disk full", extra={"job_id": job_id})
            return _fail(job, ctx, "insufficient_storage", "the server ran out of disk space while processing "
                         "the job; create it again later")
        if ctx.jobs.get(job_id) is not None:
            log.exception("job crashed", extra={"job_id": job_id})
            return _fail(job, ctx, "internal_error", "the job failed unexpectedly; it may succeed if created again")
    ctx.blobs.delete_prefix(job_prefix(job_id))
    return None


def _process(job: Job, ctx: WorkerContext) -> Job:
    from .fetch import fetch_to_blob  # the HTTP stack: not imported by the API's cold start
    from .pipeline import run_pipeline

    if job.audio.url:
        fetch_to_blob(ctx.outbound, job.audio.url, ctx.blobs, audio_key(job.id), ctx.max_upload_bytes)
    with ctx.blobs.local_path(audio_key(job.id)) as path:
        try:  # headers only; uploads were checked at request time, fetched and ingested audio was not
            probe(path, ctx.max_duration_s, param="audio_url" if job.audio.url else "audio")
        except ApiError as exc:
            raise JobFailed(exc.code, exc.message) from exc
        out = run_pipeline(
            path, job.options, ctx.models, ctx.decode_settings, ctx.max_duration_s,
            should_cancel=lambda: ctx.jobs.get(job.id) is None,
            on_progress=ProgressWriter(ctx.jobs, job.id),
        )
        if job.options.redact:
            _store_redacted_audio(ctx, job, path, out.body.redactions or [])
    ctx.blobs.put_bytes(result_key(job.id), json.dumps(out.body.to_dict()).encode())
    done = ctx.jobs.transition(
        job.id, {Status.PROCESSING}, status=Status.COMPLETED, language=out.language,
        language_confidence=round(out.language_confidence, 4), duration=out.duration, completed_ns=time.time_ns(),
        progress=1.0,
    )
    if done is None:
        raise JobCancelled()
    _announce(ctx, done, "transcript.completed")
    return done


class ProgressWriter:
    """Writes `progress` (seconds decoded / duration) when it has moved on by `step` or `every_s`
    seconds have passed, whichever comes first. Each write is a conditional transition from
    `processing`: a deleted job is never written back (the write tells the worker to stop).
    Capped below 1.0 until the job completes, since speakers and redaction come after decoding."""

    def __init__(self, jobs: JobStore, job_id: str, step: float = 0.1, every_s: float = 10.0):
        self.jobs, self.job_id, self.step, self.every_s = jobs, job_id, step, every_s
        self.written, self.at = 0.0, time.monotonic()

    def __call__(self, seconds_done: float, duration: float) -> None:
        if duration <= 0:
            return
        value = round(min(0.99, max(0.0, seconds_done / duration)), 3)
        if value <= self.written:
            return
        if value - self.written < self.step and time.monotonic() - self.at < self.every_s:
            return
        if self.jobs.transition(self.job_id, {Status.PROCESSING}, progress=value) is None:
            raise JobCancelled()
        self.written, self.at = value, time.monotonic()


def _store_redacted_audio(ctx: WorkerContext, job: Job, path, ranges: list[dict]) -> None:
    """Replace the stored recording with its redacted copy (PCM WAV, each range beeped or
    silenced), before the transcript is completed: once it is, the original is gone."""
    import tempfile
    from pathlib import Path

    from .redaction.audio import redact_audio

    with tempfile.TemporaryDirectory(prefix="redact-") as tmp:
        copy = Path(tmp) / "redacted.wav"
        try:
            redact_audio(path, copy, [(r["start"], r["end"]) for r in ranges], job.options.redact_audio_mode or "beep")
        except Exception as exc:  # decoded once already; a failure here is a decoder fault
            raise JobFailed("audio_decode_failed", "the recording could not be decoded for redaction") from exc
        with copy.open("rb") as stream:
            ctx.blobs.put_stream(audio_key(job.id), stream)


def _fail(job: Job, ctx: WorkerContext, code: str, message: str) -> Job | None:
    failed = ctx.jobs.transition(
        job.id, {Status.PROCESSING}, status=Status.ERROR, error_code=code, error_message=message,
        completed_ns=time.time_ns(),
    )
    if failed is None:
        ctx.blobs.delete_prefix(job_prefix(job.id))
        return None
    ctx.blobs.delete_prefix(result_key(job.id))
    log.info("job failed", extra={"job_id": job.id, "error_code": code})
    _announce(ctx, failed, "transcript.failed")
    return failed


def _announce(ctx: WorkerContext, job: Job, event_type: str) -> None:
    ctx.events.publish(TranscriptEvent(event_type, job.id, job.owner, job.options.webhook_url, time.time_ns()))
