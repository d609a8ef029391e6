"""What the real-time endpoints do, independent of HTTP: who may open a session, with which
options, one-session tokens, the shared decoder, and saving a session as a transcript."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..domain import Options
from ..errors import ApiError, invalid
from ..models import REGISTRY
from ..outbound import AddressPolicy, validate_client_url
from ..ports import BlobStore, EventPublisher, JobStore, KeyStore, Principal
from .limits import SessionSlots
from .params import RealtimeParams, parse_params

log = logging.getLogger(__name__)

STREAMING_BACKENDS = {"faster-whisper"}


@dataclass(frozen=True)
class Limits:
    max_session_s: float
    idle_timeout_s: float
    max_frame_bytes: int


@dataclass
class RealtimeService:
    keys: KeyStore
    jobs: JobStore
    blobs: BlobStore
    events: EventPublisher
    policy: AddressPolicy
    models: object  # pipeline.asr.ModelCache, the process's one copy of each model
    served: list[str]
    default_model: str
    limits: Limits
    slots: SessionSlots
    token_ttl_s: int = 60
    decoders: int = 1
    session_tuning: dict = field(default_factory=dict)  # SessionConfig fields from settings
    decoder_tuning: dict = field(default_factory=dict)  # StreamDecoder fields from settings
    _executor: ThreadPoolExecutor | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ---- credentials -------------------------------------------------------------------------
    def issue_token(self, who: Principal) -> dict:
        expires_ns = time.time_ns() + self.token_ttl_s * 10**9
        token = self.keys.issue_token(who, expires_ns)
        return {"token": token, "expires_at": expires_ns // 10**9}

    def authorize(self, authorization: str | None, token: str | None,
                  query: list[tuple[str, str]]) -> tuple[Principal, RealtimeParams, Options]:
        """Everything checked before the upgrade, in this order: credentials present and (for a
        key) valid, the options, then the token redeemed, so a refused request spends no token."""
        who = None
        if authorization:
            scheme, _, key = authorization.partition(" ")
            if scheme.lower() != "bearer" or not key.strip():
                raise ApiError(401, "invalid_api_key", "the Authorization header must be 'Bearer <key>'",
                               "authorization")
            who = self.keys.authenticate(key.strip())
            if who is None:
                raise ApiError(401, "invalid_api_key", "the API key is not valid", "authorization")
        elif not token:
            raise ApiError(401, "missing_api_key", "send your API key as 'Authorization: Bearer <key>', or a "
                           "token from POST /v1/realtime/tokens as ?token=", "authorization")
        params = parse_params(query)
        options = self.options(params)
        if who is None:
            who = self.keys.redeem_token(token, time.time_ns())
            if who is None:
                raise ApiError(401, "invalid_token", "the token is unknown, expired or already used; "
                               "get a new one from POST /v1/realtime/tokens", "token")
        return who, params, options

    def options(self, params: RealtimeParams) -> Options:
        model = params.model or self.default_model
        if model not in self.served:
            raise invalid("model", f"unknown model {model!r}; available models: {', '.join(self.served)}",
                          code="unknown_model")
        if REGISTRY[model].backend not in STREAMING_BACKENDS:
            streamable = [m for m in self.served if REGISTRY[m].backend in STREAMING_BACKENDS]
            raise invalid("model", f"model {model!r} does not stream; real-time models here: "
                          f"{', '.join(streamable)}", code="model_not_streamable")
        if params.webhook_url is not None:
            validate_client_url(self.policy, params.webhook_url, "webhook_url")
        return Options(model=model, language=params.language, word_timestamps=params.word_timestamps,
                       vocabulary=tuple(params.vocabulary), webhook_url=params.webhook_url)

    # ---- decoding ----------------------------------------------------------------------------
    @property
    def executor(self) -> ThreadPoolExecutor:
        """Decodes run here, never on the event loop; `decoders` of them at once, shared by
        every session (on 2 cores one at a time with both threads is fastest)."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.decoders, thread_name_prefix="realtime-decode")
            return self._executor

    def decoder(self, model: str):
        from .decoder import StreamDecoder

        backend = self.models.get(model)
        return StreamDecoder(backend.model, **self.decoder_tuning)

    def new_session(self, params: RealtimeParams, options: Options):
        """Builds the session (loading the model on first use: call it off the event loop)."""
        from .session import Session, SessionConfig

        config = SessionConfig(sample_rate=params.sample_rate, language=params.language,
                               vocabulary=tuple(params.vocabulary), word_timestamps=params.word_timestamps,
                               keep_audio=params.save, **self.session_tuning)
        # the decoders are shared when more sessions are open than decodes can run at once
        return Session(config, self.decoder(options.model), shared=lambda: self.slots.total() > self.decoders)

    def warm(self) -> None:
        """Load the default model and run one decode, so the first client waits for neither."""
        import numpy as np

        try:
            self.decoder(self.default_model).decode(np.zeros(16_000, np.float32), language="en")
        except Exception:
            log.exception("real-time warm-up failed; the first session will load the model")

    # ---- the end -----------------------------------------------------------------------------
    def save(self, who: Principal, options: Options, session, started_ns: int) -> str:
        from .save import save_session

        return save_session(self.jobs, self.blobs, self.events, owner=who.project_id, options=options,
                            session=session, started_ns=started_ns)

