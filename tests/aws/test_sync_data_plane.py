"""The OpenAI-compatible endpoint on the AWS deployment: the Lambda API points elsewhere, and
the GPU data plane's ASGI app (built by Modal's local call path, `.local()`, which also runs
the `@modal.enter` hook) serves it on a real socket, keys checked against DynamoDB Local, the
real `openai` SDK as the client."""

from __future__ import annotations

import threading
import time

import openai
import pytest
import srt

from helpers import free_port

from .conftest import call_api, http_event, LambdaContext

OFFLINE = {"MODAL_SERVER_URL": "http://127.0.0.1:9"}


def test_lambda_api_points_to_the_data_plane(handlers):
    key = handlers.services.keys.create("sync-lambda").api_key
    event = http_event("POST", "/v1/audio/transcriptions", key, b"--x--\r\n", "multipart/form-data; boundary=x")
    resp = handlers.api.handler(event, LambdaContext())
    assert resp["statusCode"] == 404 and "served_by_data_plane" in resp["body"]


@pytest.fixture(scope="module")
def data_plane(stack):
    """The GPU class's web endpoint, served by uvicorn on 127.0.0.1 (CPU, bundled model)."""
    import uvicorn

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MODAL_SERVER_URL", OFFLINE["MODAL_SERVER_URL"])  # nothing may reach Modal
        mp.setenv("TRANSCRIPTS_SERVED_MODELS", "whisper-base")
        mp.setenv("TRANSCRIPTS_DEVICE", "cpu")
        mp.setenv("TRANSCRIPTS_RETENTION_DAYS", "30")  # from the Modal Secret, like the stack's names
        mp.delenv("MODAL_TOKEN_ID", raising=False)
        import gpu_app.app as gpu

        app = gpu.Transcriber().web.local()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_config=None))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        yield f"http://127.0.0.1:{server.config.port}", app
        server.should_exit = True
        thread.join(timeout=10)


def test_data_plane_serves_openai_sdk_with_the_tables_keys(data_plane, handlers, short_wav, english_wav):
    url, app = data_plane
    paths = set(app.openapi()["paths"])
    assert paths == {"/v1/audio/transcriptions"}  # jobs stay on the control plane
    key = handlers.services.keys.create("sync-gpu")
    oai = openai.OpenAI(base_url=url + "/v1", api_key=key.api_key, max_retries=0, timeout=120)
    with english_wav.open("rb") as f:
        result = oai.audio.transcriptions.create(model="whisper-1", file=f, response_format="verbose_json",
                                                 timestamp_granularities=["word"], language="en-US")
    assert "support line" in result.text.lower() and result.language == "english" and result.words
    with short_wav.open("rb") as f:
        cues = list(srt.parse(oai.audio.transcriptions.create(model="whisper-1", file=f, response_format="srt")))
    assert "hello" in cues[0].content.lower()
    # Nothing is kept in the table or the bucket.
    status, listed = call_api(handlers, "GET", "/v1/transcripts", key.api_key)
    assert status == 200 and listed["data"] == []
    assert list(handlers.services.blobs.keys("transcripts/")) == []

    key_id = handlers.services.keys.authenticate(key.api_key).key_id
    assert handlers.services.keys.revoke(key_id)
    with pytest.raises(openai.AuthenticationError), short_wav.open("rb") as f:
        oai.audio.transcriptions.create(model="whisper-1", file=f)
