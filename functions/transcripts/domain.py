"""The job record: what a transcript is between the API and the worker.

A job's life is `queued -> processing -> completed | error`. The heavy result (text, words,
utterances) lives in the BlobStore next to the audio, so a job record stays small enough for
any JobStore (DynamoDB caps items at 400 KB).
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Status(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    ERROR = "error"


ACTIVE = frozenset({Status.QUEUED, Status.PROCESSING})


@dataclass(frozen=True)
class Options:
    """What the client asked for; validated by the API before a job exists."""

    model: str
    language: str | None = None
    diarize: bool = False
    word_timestamps: bool = False
    redact: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()
    webhook_url: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    speakers_expected: int | None = None
    min_speakers: int | None = None
    max_speakers: int | None = None
    multichannel: bool = False
    redact_audio_mode: str | None = None  # with redact: "beep" or "silence" over each range
    temperature: float | None = None  # decoding temperature (the OpenAI-compatible endpoint's option)


@dataclass(frozen=True)
class AudioSource:
    """Where the recording is: an uploaded blob, or a URL the worker fetches (then stores)."""

    blob_key: str | None = None
    url: str | None = None
    filename: str | None = None


@dataclass
class Job:
    id: str
    owner: str
    created_ns: int
    options: Options
    audio: AudioSource
    status: Status = Status.QUEUED
    attempts: int = 0
    language: str | None = None
    language_confidence: float | None = None
    duration: float | None = None
    error_code: str | None = None
    error_message: str | None = None
    queued_ns: int | None = None  # last time it was (re)queued; the sweeper's clock for queued jobs
    started_ns: int | None = None
    completed_ns: int | None = None
    # The data plane's handle on the run (a Modal call id), for telling a crash from a slow job.
    call_id: str | None = None
    # While processing: audio seconds decoded / duration (0.0-1.0), written by the worker.
    progress: float | None = None
    # A synchronous request's job (POST /v1/audio/transcriptions): that request runs it and
    # deletes it; workers and sweepers leave it alone.
    sync: bool = False

    @property
    def created(self) -> int:
        return self.created_ns // 1_000_000_000

    def to_record(self) -> dict:
        record = asdict(self)
        record["status"] = str(self.status)
        record["options"]["redact"] = list(self.options.redact)
        record["options"]["vocabulary"] = list(self.options.vocabulary)
        return record

    @classmethod
    def from_record(cls, record: dict) -> "Job":
        record = dict(record)
        opts = dict(record.pop("options"))
        opts["redact"] = tuple(opts.get("redact") or ())
        opts["vocabulary"] = tuple(opts.get("vocabulary") or ())
        return cls(
            options=Options(**opts),
            audio=AudioSource(**record.pop("audio")),
            status=Status(record.pop("status")),
            **record,
        )


_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def new_transcript_id(now_ns: int | None = None, entropy: bytes | None = None) -> str:
    """`transcript_` + a ULID-like id: 48 bits of milliseconds then 80 random bits.

    Time-ordered, so ids of one millisecond still sort after the ones before it. Given
    `entropy` (e.g. a hash of an S3 object version), the id is deterministic: a redelivered
    event maps to the same job.
    """
    ms = (now_ns if now_ns is not None else time.time_ns()) // 1_000_000
    value = (ms << 80) | int.from_bytes((entropy or os.urandom(10))[:10].ljust(10, b"\0"), "big")
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "transcript_" + "".join(reversed(chars))


def result_key(job_id: str) -> str:
    return f"transcripts/{job_id}/result.json"


def audio_key(job_id: str) -> str:
    return f"transcripts/{job_id}/audio"


def job_prefix(job_id: str) -> str:
    return f"transcripts/{job_id}/"
