"""The transcript object of the API spec, from a job record and its result blob."""

from __future__ import annotations

import json

from .domain import Job, Status


def to_json(obj) -> bytes:
    """JSON as the API sends it (what Starlette's JSONResponse writes)."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode("utf-8")


def transcript_object(job: Job, body: dict | None) -> dict:
    opts = job.options
    body = body or {}
    done = job.status == Status.COMPLETED
    return {
        "id": job.id,
        "object": "transcript",
        "status": str(job.status),
        "created": job.created,
        "completed": job.completed_ns // 1_000_000_000 if job.completed_ns else None,
        "model": opts.model,
        "language": job.language or opts.language,
        "language_confidence": job.language_confidence,
        "duration": job.duration,
        # null while queued, 0.0-1.0 while processing, 1.0 once completed (null after an error)
        "progress": 1.0 if done else (job.progress or 0.0) if job.status == Status.PROCESSING else None,
        "text": body.get("text") if done else None,
        "confidence": body.get("confidence") if done else None,
        "utterances": body.get("utterances") if done else None,
        # Stored for subtitles whenever timed; shown only to jobs that asked for them.
        "words": body.get("words") if done and opts.word_timestamps else None,
        "redactions": body.get("redactions") if done else None,
        "metadata": dict(opts.metadata),
        "diarize": opts.diarize,
        "speakers_expected": opts.speakers_expected,
        "min_speakers": opts.min_speakers,
        "max_speakers": opts.max_speakers,
        "multichannel": opts.multichannel,
        "word_timestamps": opts.word_timestamps,
        "redact": list(opts.redact),
        "redact_audio_mode": opts.redact_audio_mode,
        "vocabulary": list(opts.vocabulary),
        "webhook_url": opts.webhook_url,
        "error": {"code": job.error_code, "message": job.error_message} if job.status == Status.ERROR else None,
    }
