"""The Modal GPU app, offline: it imports with no token and no network, and its method body runs
through Modal's local call path (`.local()`, which also runs the `@modal.enter` hook) on CPU
with the bundled model, against the same emulators as the AWS path."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import call_api, multipart, run_as_gpu_worker

OFFLINE = {"MODAL_SERVER_URL": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
           "HTTP_PROXY": "http://127.0.0.1:9"}


def test_module_imports_with_no_token_and_no_network():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODAL_TOKEN")}
    code = ("import time; t = time.time(); import gpu_app.app as g; "
            "assert g.app.name == 'transcripts-gpu' and g.Transcriber is not None; print(time.time() - t)")
    out = subprocess.run([sys.executable, "-c", code], env={**env, **OFFLINE}, capture_output=True, text=True,
                         timeout=60, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert out.returncode == 0, out.stderr
    assert float(out.stdout.split()[-1]) < 10


@pytest.fixture
def gpu_env(stack, monkeypatch):
    """The container's environment: the stack's names from the Modal Secret, CPU here."""
    monkeypatch.setenv("MODAL_SERVER_URL", OFFLINE["MODAL_SERVER_URL"])  # nothing may reach Modal
    monkeypatch.setenv("TRANSCRIPTS_SERVED_MODELS", "whisper-base")
    monkeypatch.setenv("TRANSCRIPTS_DEVICE", "cpu")
    monkeypatch.setenv("TRANSCRIPTS_RETENTION_DAYS", "30")  # from the Modal Secret, like the stack's names
    monkeypatch.delenv("MODAL_TOKEN_ID", raising=False)
    import gpu_app.app as gpu

    return gpu


@pytest.fixture(scope="module")
def account(handlers):
    key = handlers.services.keys.create("gpu-test")
    return {"api_key": key.api_key, "project_id": key.project_id}


def test_gpu_method_completes_a_job(gpu_env, handlers, stack, account, short_wav):
    body, ctype = multipart({"word_timestamps": "true"}, short_wav)
    status, created = call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)
    assert status == 200 and created["id"] in stack.modal.spawned
    assert run_as_gpu_worker(gpu_env.Transcriber().run.local, created["id"]) == {"job_id": created["id"], "status": "completed"}
    status, job = call_api(handlers, "GET", f"/v1/transcripts/{created['id']}", account["api_key"])
    assert job["status"] == "completed" and "hello" in job["text"].lower() and job["words"]
    # A second call for the same job (a duplicate spawn) does nothing.
    assert run_as_gpu_worker(gpu_env.Transcriber().run.local, created["id"])["status"] == "not_run"


def test_gpu_method_failing_job_ends_in_error(gpu_env, handlers, stack, account, peer):
    status, created = call_api(handlers, "POST", "/v1/transcripts", account["api_key"],
                               json_body={"audio_url": peer.url + "/missing.wav"})
    assert status == 200
    assert run_as_gpu_worker(gpu_env.Transcriber().run.local, created["id"])["status"] == "error"
    job = call_api(handlers, "GET", f"/v1/transcripts/{created['id']}", account["api_key"])[1]
    assert job["error"]["code"] == "audio_fetch_failed"


def test_container_without_a_served_models_weights_fails_at_start(gpu_env, monkeypatch, tmp_path):
    from transcripts.models import ModelUnavailable

    monkeypatch.setenv("TRANSCRIPTS_SERVED_MODELS", "whisper-base,qwen3-asr")
    monkeypatch.setenv("TRANSCRIPTS_MODELS_ROOT", str(tmp_path))
    with pytest.raises(ModelUnavailable, match="qwen3-asr"):
        run_as_gpu_worker(gpu_env.Transcriber().run.local, "transcript_x")


def test_worker_gets_every_setting_run_job_reads(gpu_env, handlers, stack, account, short_wav, monkeypatch):
    """Every TRANSCRIPTS_* variable the template gives the functions that the GPU method reads
    (derived: the settings fields read while it starts and runs a job) comes from the Modal
    Secret or the image, and the README's `modal secret create` names each Secret key."""
    import re
    import time
    from pathlib import Path

    from infra import cfn
    from transcripts import settings as settings_module

    body, ctype = multipart({}, short_wav)
    job_id = call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)[1]["id"]
    read = set()
    original = settings_module.Settings.__getattribute__

    def spy(self, name):
        if name in type(self).model_fields:
            read.add(name)
        return original(self, name)

    monkeypatch.setattr(settings_module.Settings, "__getattribute__", spy)
    monkeypatch.setenv("TRANSCRIPTS_RETENTION_DAYS", "7")
    assert run_as_gpu_worker(gpu_env.Transcriber().run.local, job_id)["status"] == "completed"
    monkeypatch.setattr(settings_module.Settings, "__getattribute__", original)

    template = {name for name in cfn.function_environment() if name.startswith("TRANSCRIPTS_")}
    needed = {f"TRANSCRIPTS_{field.upper()}" for field in read} & template
    assert {"TRANSCRIPTS_TABLE_NAME", "TRANSCRIPTS_RETENTION_DAYS"} <= needed
    provided = set(gpu_env.AWS_SECRET_KEYS) | set(gpu_env.IMAGE_ENV) | set(gpu_env.NOT_FOR_THE_WORKER)
    assert needed <= provided, f"the worker would run with defaults for {sorted(needed - provided)}"
    assert not set(gpu_env.NOT_FOR_THE_WORKER) & (set(gpu_env.AWS_SECRET_KEYS) | set(gpu_env.IMAGE_ENV))
    # The retention the worker was given is the one on the job it wrote (not the 30-day default).
    item = stack.aws.client("dynamodb").get_item(TableName=stack.table, Key={"pk": {"S": f"job#{job_id}"}})["Item"]
    days = (int(item["expires_at"]["N"]) - time.time()) / 86400
    assert 6.9 < days < 7.1, days

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    command = re.search(r"modal secret create transcripts-aws(?:[^\n]*\\\n)*[^\n]*", readme)
    assert command, "README: no `modal secret create transcripts-aws` command"
    missing = [key for key in gpu_env.AWS_SECRET_KEYS if f"{key}=" not in command.group(0)]
    assert not missing, f"README's Modal Secret lacks {missing}"


def test_the_gpu_image_decodes_real_time_with_three_beams(gpu_env, monkeypatch):
    """The image's settings reach `Settings` by their names (a misspelt one would leave greedy)."""
    from transcripts.settings import Settings

    for name, value in gpu_env.IMAGE_ENV.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert (settings.realtime_beam_size, settings.realtime_shared_beam_size) == (3, 3)


def test_container_without_its_secret_settings_stops_at_start(gpu_env, monkeypatch):
    monkeypatch.delenv("TRANSCRIPTS_RETENTION_DAYS")
    with pytest.raises(RuntimeError, match="TRANSCRIPTS_RETENTION_DAYS"):
        run_as_gpu_worker(gpu_env.Transcriber().run.local, "transcript_x")
        gpu_env.Transcriber().run.local("transcript_x")


# ---- the real-time WebSocket on the data plane ------------------------------------------------

@pytest.fixture
def realtime_url(gpu_env, stack):
    """The GPU class's ASGI app, built through Modal's local call path (its @enter hook wires the
    AWS adapters against the emulators and loads the model), served by uvicorn on a free port."""
    import threading

    import uvicorn

    from helpers import free_port

    asgi = gpu_env.RealtimeServer().web.local()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(asgi, host="127.0.0.1", port=port, log_config=None, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    import time

    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"ws://127.0.0.1:{port}/v1/audio/transcriptions"
    server.should_exit = True
    thread.join(timeout=10)


def test_realtime_websocket_on_the_data_plane(realtime_url, handlers, account, short_wav):
    import asyncio
    import json

    import websockets
    from websockets.exceptions import InvalidStatus

    pcm = subprocess.run(["sox", str(short_wav), "-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed",
                          "-L", "-"], check=True, capture_output=True).stdout
    # A token from the API (Lambda), redeemed by the data plane: one DynamoDB table behind both.
    status, token = call_api(handlers, "POST", "/v1/realtime/tokens", account["api_key"])
    assert status == 200 and token["token"].startswith("rt_")

    async def session(url, headers=None):
        async with websockets.connect(url, additional_headers=headers) as ws:
            for i in range(0, len(pcm), 3200):
                await ws.send(pcm[i:i + 3200])
            await ws.send(json.dumps({"type": "end"}))
            return [json.loads(m) async for m in ws]

    async def refused(url, headers=None):
        try:
            async with websockets.connect(url, additional_headers=headers):
                return None
        except InvalidStatus as exc:
            return exc.response.status_code, json.loads(exc.response.body)["error"]["code"]

    def run(coro):  # in a thread of its own: the Lambda handler (Mangum) wants this thread's event loop
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coro).result()

    events = run(session(f"{realtime_url}?token={token['token']}&save=true"))
    done = events[-1]
    assert done["type"] == "done" and "hello" in done["text"].lower()
    assert any(e["type"] == "final" for e in events)
    assert run(refused(f"{realtime_url}?token={token['token']}")) == (401, "invalid_token")
    assert run(refused(realtime_url, {"Authorization": "Bearer sk_wrong"})) == (401, "invalid_api_key")
    assert run(refused(f"{realtime_url}?sample_rate=1", {"Authorization": f"Bearer {account['api_key']}"})) \
        == (400, "invalid_parameter")
    # save=true: an ordinary transcript in DynamoDB and S3, which the API returns and deletes.
    status, job = call_api(handlers, "GET", f"/v1/transcripts/{done['transcript_id']}", account["api_key"])
    assert status == 200 and job["status"] == "completed" and job["text"] == done["text"]
    assert call_api(handlers, "DELETE", f"/v1/transcripts/{done['transcript_id']}", account["api_key"])[0] == 204
    assert call_api(handlers, "GET", f"/v1/transcripts/{done['transcript_id']}", account["api_key"])[0] == 404
