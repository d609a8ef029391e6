"""The one place that wires adapters to ports. Nothing else decides which deployment runs."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .cursor import CursorCodec
from .models import served_models
from .outbound import AddressPolicy, OutboundClient, parse_allowlist
from .ports import BlobStore, Dispatcher, EventPublisher, IdempotencyStore, JobStore, KeyStore, Uploads
from .recovery import LocalSweeper, drop_abandoned_sync_jobs, recover_jobs
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
    background: list = field(default_factory=list)
    realtime: object = None  # streaming.service.RealtimeService
    idempotency: IdempotencyStore | None = None

    def start(self) -> None:
        for part in self.background:
            part.start()

    def stop(self) -> None:
        for part in reversed(self.background):
            part.stop()


class LocalRuntime:
    """What transcribes on the embedded default: resume left-over jobs, then the worker pool,
    the sweeper and the webhook sender. In the server's process (`TRANSCRIPTS_WORKER=inline`)
    or in `transcripts worker`; one per data directory, held by `locks`."""

    def __init__(self, settings: Settings, jobs: JobStore, events: EventPublisher, worker: WorkerContext, pool,
                 sender, locks: tuple[str, ...] = ("server.lock", "worker.lock"), feeder=None,
                 lock_wait_s: float = 0.0):
        self.settings, self.jobs, self.events, self.pool, self.sender = settings, jobs, events, pool, sender
        self.worker = worker
        self.locks, self.feeder, self.lock_wait_s = locks, feeder, lock_wait_s
        self.sweeper = None
        self._held: list = []

    def start(self) -> None:
        if self._held:
            return
        self._held = [_exclusive_lock(self.settings.data_dir / name, self.lock_wait_s) for name in self.locks]
        # Every served model must be here before the first job: fail now, with the reason.
        self.worker.models.check(served_models(self.settings.served_models, self.settings.models_root))
        if "server.lock" in self.locks:  # the server's own start: no synchronous request is running yet
            drop_abandoned_sync_jobs(self.jobs, self.worker.blobs)
        recover_jobs(self.jobs, self.pool, self.events, self.settings.max_job_attempts)
        self.pool.start()
        self.sender.start()
        self.sweeper = LocalSweeper(self.jobs, self.pool, self.events, self.settings.max_job_attempts,
                                    self.settings.sweep_interval_s)
        self.sweeper.start()
        if self.feeder is not None:
            self.feeder.start()

    def stop(self) -> None:
        if self.feeder is not None:
            self.feeder.stop()
        if self.sweeper is not None:
            self.sweeper.stop()
            self.sweeper = None
        self.sender.stop()
        self.pool.stop()
        for handle in self._held:
            handle.close()
        self._held = []


class ServerRuntime:
    """The server's side when the worker runs elsewhere (`TRANSCRIPTS_WORKER=process|none`):
    the data directory's server lock, the models checked at start, and the child, if any."""

    def __init__(self, settings: Settings, worker: WorkerContext, child=None):
        self.settings, self.worker, self.child = settings, worker, child
        self._lock = None

    def start(self) -> None:
        if self._lock is not None:
            return
        self._lock = _exclusive_lock(self.settings.data_dir / "server.lock")
        self.worker.models.check(served_models(self.settings.served_models, self.settings.models_root))
        drop_abandoned_sync_jobs(self.worker.jobs, self.worker.blobs)
        if self.child is not None:
            self.child.start()

    def stop(self) -> None:
        if self.child is not None:
            self.child.stop()
        if self._lock is not None:
            self._lock.close()
            self._lock = None


class QueueOnly(Dispatcher):
    """`TRANSCRIPTS_WORKER=none`: the job waits in the database for a `transcripts worker`."""

    def dispatch(self, job) -> None:
        pass


LOCK_HOLDERS = {"server.lock": ("server", "one server per data directory"),
                "worker.lock": ("worker", "one worker per data directory")}


def _exclusive_lock(path: Path, wait_s: float = 0.0):
    """A second server (or worker) would take the first one's running jobs for crashed ones.
    `wait_s`: a worker started again waits this long for the one before it to finish exiting."""
    import fcntl
    import time

    handle = path.open("a")
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() >= deadline:
                handle.close()
                who, rule = LOCK_HOLDERS.get(path.name, ("process", "one per data directory"))
                raise RuntimeError(f"another transcripts {who} is using {path.parent}; {rule}") from None
            time.sleep(0.2)


def _local_secret(path: Path) -> bytes:
    """A per-installation secret kept in the data directory (cursor signing)."""
    if not path.exists():
        path.write_bytes(secrets.token_bytes(32))
        path.chmod(0o600)
    return path.read_bytes()


def bootstrap(settings: Settings | None = None, role: str = "server", supervised: bool = False) -> Services:
    """`role` "worker": the embedded default's `transcripts worker` (jobs, sweeper, webhooks);
    `supervised`: started by a server, which it watches through its stdin."""
    settings = settings or Settings()
    if settings.backend == "local":
        return _local(settings, role, supervised)
    if settings.backend == "aws":
        return _aws(settings)
    raise ValueError(f"unknown backend {settings.backend!r}: 'local' or 'aws'")


def _worker(settings: Settings, jobs: JobStore, blobs: BlobStore, events: EventPublisher,
            policy: AddressPolicy) -> WorkerContext:
    """What run_job() needs; models load on first use (the ML stack is imported then)."""
    from .pipeline.asr import DecodeSettings, ModelCache

    return WorkerContext(
        jobs=jobs, blobs=blobs, events=events,
        # One model replica per worker thread: CTranslate2 runs a replica's calls one at a time.
        models=ModelCache(settings.models_dir, settings.threads_per_worker, num_workers=settings.workers,
                          models_root=settings.models_root, device=settings.device),
        decode_settings=DecodeSettings.from_settings(settings),
        outbound=OutboundClient(policy, settings.audio_fetch_timeout_s),
        max_upload_bytes=settings.max_upload_bytes, max_duration_s=settings.max_duration_s,
    )


def _service(settings: Settings, jobs: JobStore, blobs: BlobStore, dispatcher: Dispatcher,
             events: EventPublisher, policy: AddressPolicy, cursor_secret, uploads: Uploads) -> TranscriptService:
    return TranscriptService(
        jobs=jobs, blobs=blobs, dispatcher=dispatcher, events=events, cursors=CursorCodec(cursor_secret),
        policy=policy, models=served_models(settings.served_models, settings.models_root),
        default_model=settings.default_model,
        max_upload_bytes=settings.max_upload_bytes, max_duration_s=settings.max_duration_s,
        uploads=uploads, upload_url_ttl_s=settings.upload_url_ttl_s, diarization=_diarization(settings),
        redaction=_redaction(settings),
    )


def _realtime(settings: Settings, keys: KeyStore, jobs: JobStore, blobs: BlobStore, events: EventPublisher,
              policy: AddressPolicy, worker: WorkerContext):
    """The real-time WebSocket's service: it shares the worker's loaded models."""
    from .streaming.limits import SessionSlots
    from .streaming.service import Limits, RealtimeService

    return RealtimeService(
        keys=keys, jobs=jobs, blobs=blobs, events=events, policy=policy, models=worker.models,
        served=served_models(settings.served_models, settings.models_root), default_model=settings.default_model,
        limits=Limits(settings.realtime_max_session_s, settings.realtime_idle_timeout_s,
                      settings.realtime_max_frame_bytes),
        slots=SessionSlots(settings.realtime_max_sessions_per_key), token_ttl_s=settings.realtime_token_ttl_s,
        decoders=settings.realtime_decoders,
        session_tuning={"step_s": settings.realtime_step_s, "min_silence_s": settings.realtime_min_silence_s,
                        "max_buffer_s": settings.realtime_max_buffer_s, "hold_s": settings.realtime_hold_s,
                        "context_s": settings.realtime_context_s, "match_text": settings.realtime_match_text,
                        "context_lead_s": settings.realtime_context_lead_s,
                        "shared_context_s": settings.realtime_shared_context_s,
                        "beam_size": settings.realtime_beam_size,
                        "shared_beam_size": settings.realtime_shared_beam_size},
        decoder_tuning={"final_beam_size": settings.realtime_final_beam_size,
                        "final_window_s": settings.realtime_final_window_s},
    )


def _diarization(settings: Settings) -> bool:
    if settings.diarization is not None:
        return settings.diarization
    from .pipeline.diarize import diarization_installed

    return diarization_installed()


def _redaction(settings: Settings) -> bool:
    if settings.redaction is not None:
        return settings.redaction
    from .redaction import redaction_installed

    return redaction_installed()


def _local(settings: Settings, role: str = "server", supervised: bool = False) -> Services:
    from .adapters.file_blobs import FileBlobStore
    from .adapters.local_pool import LocalWorkerPool
    from .adapters.local_uploads import LocalUploads
    from .adapters.local_webhooks import OutboxPublisher
    from .adapters.sqlite_db import Database
    from .adapters.sqlite_idempotency import SqliteIdempotencyStore
    from .adapters.sqlite_jobs import SqliteJobStore
    from .adapters.sqlite_keys import SqliteKeyStore

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.data_dir.chmod(0o700)  # recordings and transcripts: owner only
    db = Database(settings.data_dir / "transcripts.db")
    jobs, keys = SqliteJobStore(db), SqliteKeyStore(db)
    blobs = FileBlobStore(settings.data_dir / "blobs")
    policy = AddressPolicy(parse_allowlist(settings.outbound_allowlist))
    transcribes_here = role == "worker" or settings.worker == "inline"
    child = None
    if settings.worker == "process" and not transcribes_here:
        from .adapters.worker_process import WorkerProcess

        wake = child = WorkerProcess(settings)  # a nudge makes the child look for jobs and deliveries
    else:
        wake = threading.Event()  # with TRANSCRIPTS_WORKER=none, `transcripts worker` polls the database
    events = OutboxPublisher(db, wake)
    worker = _worker(settings, jobs, blobs, events, policy)
    pool = None
    if transcribes_here:
        pool = LocalWorkerPool(lambda job_id: run_job(job_id, worker), settings.workers, settings.max_jobs_per_key)
    dispatcher = pool or child or QueueOnly()
    secret = _local_secret(settings.data_dir / "cursor.key")
    service = _service(settings, jobs, blobs, dispatcher, events, policy, secret, LocalUploads(secret))
    if transcribes_here:
        runtime = _local_runtime(settings, db, jobs, keys, events, worker, policy, wake, pool, service.render,
                                 role, supervised)
    else:
        runtime = ServerRuntime(settings, worker, child)
    realtime = _realtime(settings, keys, jobs, blobs, events, policy, worker) if role == "server" else None
    return Services(settings, jobs, blobs, keys, dispatcher, events, service, worker, background=[runtime],
                    realtime=realtime, idempotency=SqliteIdempotencyStore(db))


def _local_runtime(settings: Settings, db, jobs: JobStore, keys: KeyStore, events: EventPublisher,
                   worker: WorkerContext, policy: AddressPolicy, wake: threading.Event, pool, render,
                   role: str, supervised: bool) -> LocalRuntime:
    """The pool, sweeper and webhook sender; in a worker process also what feeds it jobs."""
    from .adapters.local_webhooks import WebhookSender

    sender = WebhookSender(db, keys, OutboundClient(policy, settings.webhook_timeout_s), render,
                           settings.retry_delays, wake)
    if role != "worker":
        return LocalRuntime(settings, jobs, events, worker, pool, sender)
    from .adapters.worker_process import ParentWatch

    feeder = ParentWatch(jobs, pool.dispatch, wake, settings.worker_poll_s, on_orphaned=_stop_self,
                         supervised=supervised)
    # Started again by the server, it waits for the worker before it to finish exiting.
    return LocalRuntime(settings, jobs, events, worker, pool, sender, locks=("worker.lock",), feeder=feeder,
                        lock_wait_s=60.0 if supervised else 0.0)


def _stop_self() -> None:
    import os
    import signal

    os.kill(os.getpid(), signal.SIGTERM)


def _aws(settings: Settings) -> Services:
    import boto3

    from .adapters.aws.dynamo_idempotency import DynamoIdempotencyStore
    from .adapters.aws.dynamo_jobs import DynamoJobStore
    from .adapters.aws.dynamo_keys import DynamoKeyStore
    from .adapters.aws.dynamo_table import dynamo_table
    from .adapters.aws.eventbridge import DynamoDeliveryLog, EventBridgePublisher
    from .adapters.aws.lazy_client import LazyClient
    from .adapters.aws.s3_blobs import S3BlobStore
    from .adapters.aws.s3_client import s3_client
    from .adapters.aws.s3_uploads import S3Uploads
    from .adapters.aws.session import default_session
    from .adapters.modal_dispatch import ModalDispatcher, modal_method, token_from_secret

    for name in ("table_name", "bucket_name", "event_bus_name"):
        if not getattr(settings, name):
            raise ValueError(f"TRANSCRIPTS_{name.upper()} must be set for the aws backend")
    table = dynamo_table(settings.table_name, default_session())
    jobs, keys = DynamoJobStore(table, settings.retention_days), DynamoKeyStore(table)
    # The table serves every request; the other clients are made when a request first needs them.
    # All come from boto3's default session, whose loader looks for a named service only.
    blobs = S3BlobStore(LazyClient(s3_client), settings.bucket_name)
    events = EventBridgePublisher(LazyClient(lambda: boto3.client("events")), settings.event_bus_name,
                                  DynamoDeliveryLog(table, settings.retention_days))
    policy = AddressPolicy(parse_allowlist(settings.outbound_allowlist))
    secrets_client = LazyClient(lambda: boto3.client("secretsmanager"))
    def cursor_secret() -> bytes:
        return secrets_client.get_secret_value(SecretId=settings.cursor_secret_arn)["SecretString"].encode()

    dispatcher = ModalDispatcher(jobs, lambda: modal_method(settings.modal_app_name),
                                 token_from_secret(secrets_client, settings.modal_token_secret_arn))
    worker = _worker(settings, jobs, blobs, events, policy)
    service = _service(settings, jobs, blobs, dispatcher, events, policy, cursor_secret,
                       S3Uploads(blobs.s3, settings.bucket_name))
    return Services(settings, jobs, blobs, keys, dispatcher, events, service, worker,
                    realtime=_realtime(settings, keys, jobs, blobs, events, policy, worker),
                    idempotency=DynamoIdempotencyStore(table))
