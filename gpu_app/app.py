"""The GPU data plane: a Modal class that runs `run_job()` with the AWS adapters.

The API (AWS Lambda) spawns `Transcriber.run(job_id)` by name; the container claims the job in
DynamoDB, reads the recording from S3, transcribes it with the job's model, writes the result
back and publishes the event that triggers the webhook. Model weights are baked into the image
at build time, so no container ever downloads them at request time.

    modal deploy gpu_app/app.py      # see README, "Deploying to AWS", for the order and secrets

Settings chosen deliberately:
- GPU "L4" (24 GB): whisper-large-v3-turbo in float16 and Qwen3-ASR 1.7B in bfloat16 fit together
  with room for long audio; an hour of audio takes minutes.
- `timeout` 2 h: the longest job we accept (4 h of audio) at the slowest model's speed, with margin.
- `retries=0`: a retried call would find its job already `processing` and could not claim it;
  the AWS sweeper notices a dead call by its id and dispatches the job again, with a bounded
  number of attempts, so retries live in one place.
- `max_containers` 10 caps spend; `scaledown_window` 5 min keeps a warm container between bursts.
- `@modal.concurrent(max_inputs=1)`: one job per GPU at a time; throughput comes from batching
  inside a job and from more containers, not from sharing a GPU between jobs. The same holds for
  the synchronous web endpoint (`web`): one request per container, more containers under load.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import modal

APP_NAME = "transcripts-gpu"
GPU = "L4"
JOB_TIMEOUT_S = 2 * 60 * 60
MAX_CONTAINERS = 10
SCALEDOWN_WINDOW_S = 5 * 60
MODELS_ROOT = "/models"
# The web endpoint's name: https://<workspace>--transcripts-sync.modal.run/v1/audio/transcriptions
SYNC_LABEL = "transcripts-sync"
# A Modal Secret with AWS credentials of an IAM user holding only the stack's GpuWorkerPolicy
# (output of template.yaml), and every setting the stack gives its functions that run_job()
# also reads (tests/aws/test_gpu_app.py derives them; README, step 3, creates the Secret).
AWS_SECRET_NAME = "transcripts-aws"
AWS_SECRET_KEYS = (
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION",
    "TRANSCRIPTS_TABLE_NAME", "TRANSCRIPTS_BUCKET_NAME", "TRANSCRIPTS_EVENT_BUS_NAME", "TRANSCRIPTS_RETENTION_DAYS",
)
# Settings the stack's functions get that the worker reads at start-up but never uses.
NOT_FOR_THE_WORKER = {
    "TRANSCRIPTS_MODAL_TOKEN_SECRET_ARN": "the worker dispatches no jobs; its IAM user cannot read that secret",
    "TRANSCRIPTS_DEFAULT_MODEL": "a job carries its model; only the API's create applies the default",
}
# A Modal Secret with HF_TOKEN of an account that accepted pyannote's community-1 conditions;
# used at image build only.
HF_SECRET_NAME = "huggingface"

# CTranslate2 (faster-whisper) loads cuBLAS and cuDNN 9 from the system's library path; torch
# brings its own copies as wheels, which CTranslate2 does not look for.
CUDA_BASE = "nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04"
PYTHON_VERSION = "3.12"
# Weights baked into the image (name under MODELS_ROOT -> (Hugging Face repo, revision)).
# The revisions are resolved and written to /models/REVISIONS.json when the image is built.
WEIGHTS = {
    "whisper-large-v3-turbo": ("mobiuslabsgmbh/faster-whisper-large-v3-turbo", None),
    "qwen3-asr/asr": ("Qwen/Qwen3-ASR-1.7B", None),
    "qwen3-asr/forced-aligner": ("Qwen/Qwen3-ForcedAligner-0.6B", None),
    # gated on the hub: the build reads HF_TOKEN from the Modal Secret "huggingface"
    "pyannote-community-1": ("pyannote/speaker-diarization-community-1", None),
}


def image_packages(root: Path | None = None) -> list[str]:
    """The image's pip requirements from gpu_app/image.toml: pyproject.toml's pins for what the
    CPU build shares, the file's own for what only the image has or pins differently."""
    root = root or Path(__file__).resolve().parents[1]
    spec = tomllib.loads((root / "gpu_app" / "image.toml").read_text())
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    shared = list(project["dependencies"])
    for extra in spec["extras"]:
        shared += [r for r in extras[extra] if not r.startswith("transcripts-api")]
    shared += [r for r in extras["aws"] if _name(r) in spec["control"]]
    own = {_name(n): f"{n}=={v}" for n, v in spec["gpu_only"].items()}
    own.update({_name(n): f"{n}=={d['version']}" for n, d in spec["differs"].items()})
    packages = [r for r in shared if _name(r) not in own] + list(own.values())
    return list(dict.fromkeys(packages))


def _name(requirement: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", re.split(r"[\s=<>!~;@\[]", requirement, maxsplit=1)[0]).lower()


# Read where `modal deploy` runs; inside a container the image is built already and the
# repository's files are not there.
PACKAGES = image_packages() if modal.is_local() else []
IMAGE_ENV = {
    "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYANNOTE_METRICS_ENABLED": "0",
    "TRANSCRIPTS_BACKEND": "aws", "TRANSCRIPTS_MODELS_ROOT": MODELS_ROOT, "TRANSCRIPTS_DEVICE": "auto",
    "TRANSCRIPTS_SERVED_MODELS": "whisper-base,whisper-large-v3-turbo,qwen3-asr",
    "TRANSCRIPTS_BATCH_SIZE": "16",
    # The image has pyannote.audio and Presidio: say so rather than probe for them at start.
    "TRANSCRIPTS_DIARIZATION": "true", "TRANSCRIPTS_REDACTION": "true",
    # Real-time: every decode a beam search of 3, shared decoder or not. On two texts written blind
    # and scored once on CPU, 3 beams left the finals +0.4 and +1.7 WER points behind batch against
    # greedy's +2.4 and +2.2 (README, runs P and Q); their cost, too much for 2 CPU cores, is small on a GPU.
    "TRANSCRIPTS_REALTIME_BEAM_SIZE": "3", "TRANSCRIPTS_REALTIME_SHARED_BEAM_SIZE": "3",
}


def download_weights() -> None:
    """Runs once, at image build time."""
    import json

    from huggingface_hub import HfApi, snapshot_download

    revisions = {}
    for target, (repo, revision) in WEIGHTS.items():
        resolved = revision or HfApi().model_info(repo).sha
        snapshot_download(repo, revision=resolved, local_dir=f"{MODELS_ROOT}/{target}")
        revisions[target] = {"repo": repo, "revision": resolved}
    Path(f"{MODELS_ROOT}/REVISIONS.json").write_text(json.dumps(revisions, indent=2))


image = (
    modal.Image.from_registry(CUDA_BASE, add_python=PYTHON_VERSION)
    .pip_install(*PACKAGES)
    .run_function(download_weights, secrets=[modal.Secret.from_name(HF_SECRET_NAME)])
    .env(IMAGE_ENV)
    .add_local_python_source("transcripts")
)

app = modal.App(APP_NAME, image=image)


@app.cls(
    gpu=GPU,
    timeout=JOB_TIMEOUT_S,
    retries=0,
    max_containers=MAX_CONTAINERS,
    scaledown_window=SCALEDOWN_WINDOW_S,
    secrets=[modal.Secret.from_name(AWS_SECRET_NAME)],
)
@modal.concurrent(max_inputs=1)
class Transcriber:
    @modal.enter()
    def load(self) -> None:
        """Once per container: wire the AWS adapters and load every served model, so a
        missing model stops the container here instead of failing a client's job."""
        from transcripts.bootstrap import bootstrap
        from transcripts.models import served_models
        from transcripts.settings import Settings

        missing = [key for key in AWS_SECRET_KEYS if not os.environ.get(key)]
        if missing:
            raise RuntimeError(f"the Modal Secret {AWS_SECRET_NAME!r} lacks {', '.join(missing)} (README, step 3)")
        self.services = bootstrap(Settings())
        settings = self.services.settings
        self.models = served_models(settings.served_models, settings.models_root)
        self.services.worker.models.check(self.models)
        for name in self.models:
            self.services.worker.models.get(name)
        if self.services.transcripts.diarization:
            self.services.worker.models.diarizer(settings.diarization_step, settings.diarization_threshold)

    @modal.asgi_app(label=SYNC_LABEL)
    def web(self):
        """Synchronous transcription over HTTP: `POST /v1/audio/transcriptions` (OpenAI-compatible),
        API keys checked against the stack's DynamoDB table; the model runs in a worker thread
        through the same run_job(). API Gateway's 30 s limit keeps this off Lambda."""
        from transcripts.api.app import create_data_plane_app

        return create_data_plane_app(self.services)

    @modal.method()
    def run(self, job_id: str) -> dict:
        from transcripts.worker import run_job

        job = run_job(job_id, self.services.worker)
        return {"job_id": job_id, "status": str(job.status) if job else "not_run"}


# ---- Real-time transcription (the /v1/audio/transcriptions WebSocket) ------------------------
# API Gateway cannot carry a GPU stream, so the data plane serves the WebSocket itself: an ASGI
# app on the same image and GPU class, checking keys and one-session tokens against the stack's
# DynamoDB table (the AWS adapters, through the Modal Secret), saving `save=true` sessions to
# S3/DynamoDB and publishing their event like any job. Its URL is
#   wss://<workspace>--transcripts-realtime.modal.run/v1/audio/transcriptions
# (`modal deploy` prints it). One container holds REALTIME_SESSIONS sessions; the per-key limit
# (TRANSCRIPTS_REALTIME_MAX_SESSIONS_PER_KEY) is counted per container.
REALTIME_LABEL = "transcripts-realtime"
REALTIME_SESSIONS = 16
REALTIME_TIMEOUT_S = 60 * 60  # a session's longest life (TRANSCRIPTS_REALTIME_MAX_SESSION_S)


@app.cls(
    gpu=GPU,
    timeout=REALTIME_TIMEOUT_S + 60,
    max_containers=MAX_CONTAINERS,
    scaledown_window=SCALEDOWN_WINDOW_S,
    secrets=[modal.Secret.from_name(AWS_SECRET_NAME)],
)
@modal.concurrent(max_inputs=REALTIME_SESSIONS)
class RealtimeServer:
    @modal.enter()
    def load(self) -> None:
        """Once per container: the AWS adapters, and the default model loaded and run once."""
        from transcripts.api.app import create_realtime_app
        from transcripts.bootstrap import bootstrap
        from transcripts.settings import Settings

        self.services = bootstrap(Settings())
        self.services.realtime.warm()
        self.app = create_realtime_app(self.services)

    @modal.asgi_app(label=REALTIME_LABEL)
    def web(self):
        return self.app
