"""The ports: what the service and the worker need from the outside world.

Each has a local adapter (embedded default) and, in production, an AWS one. Every
implementation passes the same contract tests in `tests/contract/`.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .domain import Job, Status


@dataclass(frozen=True)
class Page:
    jobs: list[Job]
    has_more: bool


@dataclass(frozen=True)
class ListQuery:
    owner: str
    limit: int
    # Keyset position: only jobs strictly older than (created_ns, id) in (created_ns, id) order.
    before_key: tuple[int, str] | None = None
    status: Status | None = None
    created_after: int | None = None  # Unix seconds, exclusive
    created_before: int | None = None  # Unix seconds, exclusive


class DuplicateJob(Exception):
    """A job with this id exists already (a redelivered event creating it again)."""


class JobStore(abc.ABC):
    """Job records. Every state change is conditional on the current state."""

    @abc.abstractmethod
    def add(self, job: Job) -> None:
        """Insert a new job; DuplicateJob if its id exists."""

    @abc.abstractmethod
    def get(self, job_id: str, owner: str | None = None) -> Job | None:
        """The job, or None when missing or owned by someone else (owner=None: any owner)."""

    @abc.abstractmethod
    def list(self, query: ListQuery) -> Page:
        """Newest first by (created_ns, id). Index-backed stores (DynamoDB GSIs) may show a
        write here a moment after it was made; `get` always reads the latest."""

    @abc.abstractmethod
    def transition(self, job_id: str, from_states: set[Status], **changes) -> Job | None:
        """Apply `changes` only if the job exists and its status is in `from_states`.

        Returns the updated job, or None when the condition failed (deleted, or moved on).
        """

    @abc.abstractmethod
    def delete(self, job_id: str, owner: str) -> Job | None:
        """Remove the record; returns what was removed."""

    @abc.abstractmethod
    def with_status(self, status: Status) -> list[Job]:
        """Jobs in an active state (queued or processing), oldest first: for recovery after a
        restart and for the sweeper."""


def check_blob_key(key: str) -> str:
    """Keys are relative paths without `..`: the same rule for files and object stores."""
    if not key or key.startswith("/") or any(part in ("", ".", "..") for part in key.rstrip("/").split("/")):
        raise ValueError(f"invalid blob key: {key!r}")
    return key


class BlobStore(abc.ABC):
    """Recordings and results, by key (`transcripts/{id}/...`). Prefixes end with `/`."""

    @abc.abstractmethod
    def put_stream(self, key: str, stream: BinaryIO) -> int:
        """Store the stream's bytes under `key`; returns the size. Atomic: all or nothing."""

    @abc.abstractmethod
    def put_bytes(self, key: str, data: bytes) -> None: ...

    @abc.abstractmethod
    def get_bytes(self, key: str) -> bytes | None: ...

    @abc.abstractmethod
    def local_path(self, key: str) -> AbstractContextManager[Path]:
        """A readable file with the blob's bytes for as long as the context lasts."""

    @abc.abstractmethod
    def delete(self, key: str) -> None:
        """Delete one blob if it exists."""

    @abc.abstractmethod
    def delete_prefix(self, prefix: str) -> int:
        """Delete every blob under `prefix`; returns how many went."""

    @abc.abstractmethod
    def keys(self, prefix: str) -> Iterator[str]: ...

    @abc.abstractmethod
    def copy(self, source_key: str, key: str) -> None:
        """Copy one blob to another key (FileNotFoundError when the source is missing)."""

    @abc.abstractmethod
    def open(self, key: str) -> BinaryIO:
        """The blob's bytes as a stream to read and close (FileNotFoundError when missing)."""

    def download_url(self, key: str, expires_s: int, filename: str) -> str | None:
        """A URL a client can fetch the blob from directly, or None where there is none (local
        files): then the API streams it. On Lambda responses are capped at 6 MB."""
        return None


class Dispatcher(abc.ABC):
    """Starts the work of a queued job somewhere (in-process pool, or the GPU function)."""

    @abc.abstractmethod
    def dispatch(self, job: Job) -> None: ...

    def call_state(self, call_id: str | None) -> str:
        """"running", "finished" (returned or crashed) or "unknown" for a dispatched call:
        lets the sweeper tell a crashed worker from a slow one."""
        return "unknown"


@dataclass(frozen=True)
class TranscriptEvent:
    """`transcript.completed` or `transcript.failed`, as published when a job ends, and
    `transcript.deleted` (the id only) when a transcript with a webhook_url is deleted."""

    type: str
    transcript_id: str
    owner: str
    webhook_url: str | None
    occurred_ns: int


class EventPublisher(abc.ABC):
    """Announces ended jobs; webhook deliveries (and their attempts) hang off the events."""

    @abc.abstractmethod
    def publish(self, event: TranscriptEvent) -> None: ...

    @abc.abstractmethod
    def deliveries(self, transcript_id: str) -> list[dict]:
        """Webhook deliveries of a transcript, each with every attempt made."""

    @abc.abstractmethod
    def forget(self, transcript_id: str) -> None:
        """Drop a deleted transcript's deliveries: pending ones are never sent."""

    @abc.abstractmethod
    def redeliver(self, owner: str, transcript_id: str, delivery_id: str) -> dict | None:
        """Send a delivery's event once more, now: the same message id and body, freshly signed,
        recorded as its next attempt. Returns the delivery as `deliveries` shows it, or None when
        this owner has no such delivery for this transcript."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: the project an API key belongs to."""

    project_id: str
    key_id: str


@dataclass(frozen=True)
class NewKey:
    api_key: str
    webhook_secret: str
    project_id: str


class KeyStore(abc.ABC):
    """API keys (stored as hashes only) and each project's webhook signing secret."""

    @abc.abstractmethod
    def create(self, name: str | None = None) -> NewKey: ...

    @abc.abstractmethod
    def authenticate(self, api_key: str) -> Principal | None: ...

    @abc.abstractmethod
    def webhook_secret(self, project_id: str) -> str | None: ...

    @abc.abstractmethod
    def list_keys(self) -> list[dict]:
        """Every key, oldest first: `id`, `name`, `created`, `last_used` (Unix seconds or None),
        `project_id`. Never the secret, nor its hash."""

    @abc.abstractmethod
    def revoke(self, key_id: str) -> bool:
        """Delete the key: its next request answers 401. False when there is no such key. The
        project (its transcripts and webhook secret) stays."""

    @abc.abstractmethod
    def issue_token(self, who: Principal, expires_ns: int) -> str:
        """A short-lived token that stands for `who` in one real-time session (browsers cannot
        set the Authorization header on a WebSocket). Stored hashed, like keys."""

    @abc.abstractmethod
    def redeem_token(self, token: str, now_ns: int) -> Principal | None:
        """The token's principal, once: the token is gone after this call, and an expired or
        unknown token gives None. Atomic, so two sessions never share one token."""


# `last_used` is written at most this often per key, so a busy key costs no write per request.
LAST_USED_RESOLUTION_NS = 60 * 1_000_000_000


@dataclass(frozen=True)
class UploadPart:
    part_number: int
    url: str
    size: int


@dataclass(frozen=True)
class UploadTarget:
    """Where a client sends a large recording: one PUT to `url`, or one PUT per part and then
    a `complete` call with the ETags the parts answered."""

    method: str
    url: str | None = None
    parts: tuple[UploadPart, ...] = ()
    headers: dict | None = None


class Uploads(abc.ABC):
    """Direct uploads that bypass the API's body limit (about 4 MB through Lambda)."""

    @abc.abstractmethod
    def start(self, key: str, size: int, expires_s: int, base_url: str) -> UploadTarget: ...

    @abc.abstractmethod
    def complete(self, key: str, parts: list[tuple[int, str]]) -> None:
        """Assemble a multipart upload from (part number, ETag) pairs."""

    def verify(self, key: str, expires: int, signature: str, size: int = 0) -> bool:
        """Whether a PUT to the API's own upload endpoint carries a valid signature. Only an
        adapter whose URLs point at the API itself accepts any."""
        return False


@dataclass(frozen=True)
class IdempotentRecord:
    """What one `Idempotency-Key` of one project holds: the request's fingerprint and, once the
    first request finished, its answer (`status` None while it is still running)."""

    fingerprint: str
    created_ns: int
    status: int | None = None
    body: str | None = None


class IdempotencyStore(abc.ABC):
    """`Idempotency-Key` records per project, live for `ttl_s` (24 h) after the first request."""

    @abc.abstractmethod
    def reserve(self, owner: str, key: str, fingerprint: str, now_ns: int, ttl_s: int) -> IdempotentRecord | None:
        """Claim the key for a request: None when claimed (no live record existed; an expired
        one is replaced), else the live record. Atomic: of two racing requests one claims it."""

    @abc.abstractmethod
    def complete(self, owner: str, key: str, status: int, body: str) -> None:
        """Store the first request's answer."""

    @abc.abstractmethod
    def release(self, owner: str, key: str) -> None:
        """Forget a claim whose request saved nothing (refused, or failed), so a retry runs."""
