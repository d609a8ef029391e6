"""The one place that wires adapters to ports. Nothing else decides which deployment runs."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .cursor import CursorCodec
from .models import served_models
from .outbound import AddressPolicy, OutboundClient, parse_allowlist
from .ports import BlobStore, Dispatcher, EventPublisher, JobStore, KeyStore
from .recovery import recover_jobs
from .service import TranscriptService
from .settings import Settings
from .worker import WorkerContext, run_job


@dataclass
class Services:
    settings: Settings
    jobs: JobStore
    blobs: BlobStore
    keys: KeyStore
    dispatcher: Dispatcher
    events: EventPublisher
    transcripts: TranscriptService
    worker: WorkerContext
    _background: list = field(default_factory=list)
    _started: bool = False
    _lock: object = None

    def start(self) -> None:
        """Resume jobs a previous process left, then start the workers and the webhook sender."""
        if self._started:
            return
        self._lock = _exclusive_lock(self.settings.data_dir / "server.lock")
        recover_jobs(self.jobs, self.dispatcher, self.events, self.settings.max_job_attempts)
        for part in self._background:
            part.start()
        self._started = True

    def stop(self) -> None:
        for part in reversed(self._background):
            part.stop()
        self._started = False
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def _exclusive_lock(path: Path):
    """One serving process per data directory: a second one would take the first one's
    running jobs for crashed ones and run them again."""
    import fcntl

    handle = path.open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise RuntimeError(f"another transcripts server is using {path.parent}; one server per data directory") from None
    return handle


def _local_secret(path: Path) -> bytes:
    """A per-installation secret kept in the data directory (cursor signing)."""
    if not path.exists():
        path.write_bytes(secrets.token_bytes(32))
        path.chmod(0o600)
    return path.read_bytes()


def bootstrap(settings: Settings | None = None) -> Services:
    settings = settings or Settings()
    if settings.backend != "local":
        raise ValueError(f"unknown backend {settings.backend!r}: this build wires only 'local'")
    return _local(settings)


def _local(settings: Settings) -> Services:
    from .adapters.file_blobs import FileBlobStore
    from .adapters.local_pool import LocalWorkerPool
    from .adapters.local_webhooks import OutboxPublisher, WebhookSender
    from .adapters.sqlite_db import Database
    from .adapters.sqlite_jobs import SqliteJobStore
    from .adapters.sqlite_keys import SqliteKeyStore

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.data_dir.chmod(0o700)  # recordings and transcripts: owner only
    db = Database(settings.data_dir / "transcripts.db")
    jobs, keys = SqliteJobStore(db), SqliteKeyStore(db)
    blobs = FileBlobStore(settings.data_dir / "blobs")
    policy = AddressPolicy(parse_allowlist(settings.outbound_allowlist))
    wake = threading.Event()
    events = OutboxPublisher(db, wake)

    worker = WorkerContext(
        jobs=jobs, blobs=blobs, events=events, models=_model_cache(settings), decode_settings=_decode_settings(settings),
        outbound=OutboundClient(policy, settings.audio_fetch_timeout_s),
        max_upload_bytes=settings.max_upload_bytes, max_duration_s=settings.max_duration_s,
    )
    pool = LocalWorkerPool(lambda job_id: run_job(job_id, worker), settings.workers)
    service = TranscriptService(
        jobs=jobs, blobs=blobs, dispatcher=pool, events=events,
        cursors=CursorCodec(_local_secret(settings.data_dir / "cursor.key")), policy=policy,
        models=served_models(settings.served_models), default_model=settings.default_model,
        max_upload_bytes=settings.max_upload_bytes, max_duration_s=settings.max_duration_s,
    )
    sender = WebhookSender(db, keys, OutboundClient(policy, settings.webhook_timeout_s), service.render,
                           settings.retry_delays, wake)
    return Services(settings, jobs, blobs, keys, pool, events, service, worker, _background=[pool, sender])


def _model_cache(settings: Settings):
    """Models load on first use (the ML stack is imported then), once per process."""
    from .pipeline.asr import ModelCache

    # One model replica per worker thread: CTranslate2 runs a replica's calls one at a time.
    return ModelCache(settings.models_dir, settings.threads_per_worker, num_workers=settings.workers)


def _decode_settings(settings: Settings):
    from .pipeline.asr import DecodeSettings

    return DecodeSettings.from_settings(settings)
