"""The real-time WebSocket against the real server (a subprocess), with the `websockets`
client library: speech streamed in real time and faster, every refusal and limit with its
documented code, and save=true giving an ordinary transcript."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import time

import httpx
import jiwer
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from conftest import ENGLISH_TEXT
from helpers import Server

pytestmark = pytest.mark.e2e

LIMITS = {
    "TRANSCRIPTS_REALTIME_IDLE_TIMEOUT_S": "3",
    "TRANSCRIPTS_REALTIME_MAX_SESSION_S": "20",
    "TRANSCRIPTS_REALTIME_MAX_SESSIONS_PER_KEY": "2",
    "TRANSCRIPTS_REALTIME_MAX_FRAME_BYTES": "16384",
    "TRANSCRIPTS_OUTBOUND_ALLOWLIST": "127.0.0.1/32",
    "TRANSCRIPTS_WEBHOOK_RETRY_DELAYS_S": "0.3,0.6",
    "TRANSCRIPTS_WORKERS": "1",
}
FRAME_S = 0.1


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("realtime") / "data", dict(LIMITS)).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def key(server):
    return server.create_key()["api_key"]


def ws_url(server, **params) -> str:
    query = "&".join(f"{k}={v}" for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs]))
    return server.url.replace("http", "ws") + "/v1/audio/transcriptions" + (f"?{query}" if query else "")


def pcm_of(path, pad_s: float = 0.5) -> bytes:
    return subprocess.run(["sox", str(path), "-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed",
                           "-L", "-", "pad", str(pad_s), str(pad_s)], check=True, capture_output=True).stdout


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


async def stream(url: str, pcm: bytes, key: str | None = None, speed: float = 1.0) -> dict:
    """Send `pcm` in 100 ms frames at `speed` times real time (0: at once), then `end`.
    Returns every event with the time it came, and when the last frame was sent."""
    headers = {"Authorization": f"Bearer {key}"} if key else None
    events, out = [], {}
    async with websockets.connect(url, additional_headers=headers, open_timeout=60) as ws:
        started = time.monotonic()

        async def send():
            size = int(16000 * FRAME_S) * 2
            for n, i in enumerate(range(0, len(pcm), size)):
                await ws.send(pcm[i:i + size])
                if speed:
                    await asyncio.sleep(max(0.0, started + (n + 1) * FRAME_S / speed - time.monotonic()))
            out["sent_at"] = time.monotonic() - started
            await ws.send(json.dumps({"type": "end"}))

        sender = asyncio.create_task(send())
        async for message in ws:
            events.append((time.monotonic() - started, json.loads(message)))
        await sender
        out.update(events=[e for _, e in events], timed=events, close_code=ws.close_code)
    return out


def refused(url: str, key: str | None = None) -> tuple[int, dict]:
    async def go():
        headers = {"Authorization": f"Bearer {key}"} if key else None
        with pytest.raises(InvalidStatus) as err:
            async with websockets.connect(url, additional_headers=headers, open_timeout=60):
                pass
        return err.value.response.status_code, json.loads(err.value.response.body)

    return asyncio.run(go())


def finals(result: dict) -> list[dict]:
    return [e for e in result["events"] if e["type"] == "final"]


def test_speech_in_real_time_gives_partials_then_ordered_finals(server, key, english_wav):
    pcm = pcm_of(english_wav)
    result = asyncio.run(stream(ws_url(server, language="en"), pcm, key, speed=1.0))
    kinds = [e["type"] for e in result["events"]]
    assert kinds[-1] == "done" and result["close_code"] == 1000
    assert "partial" in kinds and kinds.index("partial") < kinds.index("final")
    # Finals come while the audio is still being sent, not all at the end.
    first_final_at = next(t for t, e in result["timed"] if e["type"] == "final")
    assert first_final_at < result["sent_at"] - 2.0
    duration, previous = len(pcm) / 32000, 0.0
    for f in finals(result):
        assert previous <= f["start"] <= f["end"] <= duration and "words" not in f
        previous = f["end"]
    assert finals(result)[0]["start"] >= 0.3  # 0.5 s of silence before the speech
    text = " ".join(f["text"] for f in finals(result))
    assert jiwer.wer(norm(ENGLISH_TEXT), norm(text)) < 0.2
    done = result["events"][-1]
    assert done["text"] == text and done["duration"] == pytest.approx(duration, abs=0.05)
    assert "transcript_id" not in done


def test_speech_faster_than_real_time_with_word_times(server, key, english_wav):
    result = asyncio.run(stream(ws_url(server, word_timestamps="true"), pcm_of(english_wav), key, speed=0))
    assert result["events"][-1]["type"] == "done"
    words = [w for f in finals(result) for w in f["words"]]
    assert [w["word"] for w in words] == " ".join(f["text"] for f in finals(result)).split()
    assert all(a["end"] <= b["start"] + 1e-6 for a, b in zip(words, words[1:]))
    assert jiwer.wer(norm(ENGLISH_TEXT), norm(result["events"][-1]["text"])) < 0.2
    # Nothing is stored without save=true.
    listing = httpx.get(server.url + "/v1/transcripts", headers={"Authorization": f"Bearer {key}"}).json()
    assert listing["data"] == []


def test_refused_before_the_upgrade_without_valid_credentials(server, key):
    assert refused(ws_url(server)) == (401, {"error": {"code": "missing_api_key", "param": "authorization",
                                                       "message": refused(ws_url(server))[1]["error"]["message"]}})
    status, body = refused(ws_url(server), key="sk_wrong")
    assert (status, body["error"]["code"]) == (401, "invalid_api_key")
    status, body = refused(ws_url(server, token="rt_made_up"))
    assert (status, body["error"]["code"], body["error"]["param"]) == (401, "invalid_token", "token")


def test_token_opens_one_session(server, key, short_wav):
    http = httpx.Client(base_url=server.url)
    assert http.post("/v1/realtime/tokens").status_code == 401
    created = http.post("/v1/realtime/tokens", headers={"Authorization": f"Bearer {key}"}).json()
    assert created["token"].startswith("rt_") and 0 < created["expires_at"] - time.time() <= 61
    # A request refused for its parameters spends no token.
    status, body = refused(ws_url(server, token=created["token"], sample_rate=100))
    assert (status, body["error"]["param"]) == (400, "sample_rate")
    result = asyncio.run(stream(ws_url(server, token=created["token"]), pcm_of(short_wav), speed=0))
    assert "hello" in result["events"][-1]["text"].lower()
    status, body = refused(ws_url(server, token=created["token"]))  # used once already
    assert (status, body["error"]["code"]) == (401, "invalid_token")
    assert created["token"] not in server.logs()  # the token never reaches the logs


@pytest.mark.parametrize("params, param, code", [
    ({"sample_rate": "100"}, "sample_rate", "invalid_parameter"),
    ({"encoding": "opus"}, "encoding", "invalid_parameter"),
    ({"language": "xx"}, "language", "invalid_parameter"),
    ({"model": "qwen3-asr"}, "model", "unknown_model"),
    ({"vocabulary": ["ok", ""]}, "vocabulary", "invalid_parameter"),
    ({"colour": "blue"}, "colour", "unknown_parameter"),
    ({"save": "true", "webhook_url": "http://10.1.2.3/hook"}, "webhook_url", None),
])
def test_bad_parameters_refused_with_400(server, key, params, param, code):
    status, body = refused(ws_url(server, **params), key=key)
    assert status == 400 and body["error"]["param"] == param
    if code:
        assert body["error"]["code"] == code


async def session_ending(server, key, act) -> tuple[list[dict], int]:
    async with websockets.connect(ws_url(server), additional_headers={"Authorization": f"Bearer {key}"},
                                  open_timeout=60) as ws:
        await act(ws)
        return [json.loads(m) for m in await messages(ws)], ws.close_code


async def messages(ws) -> list:
    """Every message until the server closes (with any close code)."""
    out = []
    try:
        while True:
            out.append(await ws.recv())
    except websockets.ConnectionClosed:
        return out


@pytest.mark.parametrize("name, act, code, close", [
    ("text frame that is not JSON", lambda ws: ws.send("hello"), "invalid_message", 1003),
    ("unknown message", lambda ws: ws.send(json.dumps({"type": "pause"})), "invalid_message", 1003),
    ("frame over the limit", lambda ws: ws.send(b"\0" * 20000), "frame_too_large", 1009),
    ("idle client", lambda ws: asyncio.sleep(0), "idle_timeout", 1008),
    ("too much audio", lambda ws: send_silence(ws, 21.0), "session_too_long", 1008),
])
def test_session_errors_have_codes_then_done(server, key, name, act, code, close):
    events, close_code = asyncio.run(session_ending(server, key, act))
    assert [e["type"] for e in events] == ["error", "done"], name
    assert events[0]["code"] == code and events[0]["message"]
    assert close_code == close


async def send_silence(ws, seconds: float) -> None:
    frame = b"\0" * 16000  # 0.5 s
    for _ in range(int(seconds / 0.5) + 1):
        await ws.send(frame)


def test_concurrent_sessions_per_key_are_limited(server, key):
    async def go():
        headers = {"Authorization": f"Bearer {key}"}
        async with websockets.connect(ws_url(server), additional_headers=headers, open_timeout=60) as a, \
                websockets.connect(ws_url(server), additional_headers=headers, open_timeout=60) as b:
            with pytest.raises(InvalidStatus) as err:
                async with websockets.connect(ws_url(server), additional_headers=headers, open_timeout=60):
                    pass
            await a.send(json.dumps({"type": "end"}))
            await b.send(json.dumps({"type": "end"}))
            assert [json.loads(m)["type"] async for m in a] == ["done"]
            assert [json.loads(m)["type"] async for m in b] == ["done"]
        response = err.value.response
        assert response.status_code == 429 and json.loads(response.body)["error"]["code"] == "too_many_sessions"
        other = server.create_key()["api_key"]  # the limit is per key
        async with websockets.connect(ws_url(server), additional_headers={"Authorization": f"Bearer {other}"}) as c:
            await c.send(json.dumps({"type": "end"}))
            assert [json.loads(m)["type"] async for m in c] == ["done"]

    asyncio.run(go())
    time.sleep(0.2)  # the server gives the slots back as the sessions close
    result = asyncio.run(stream(ws_url(server), b"", key, speed=0))
    assert [e["type"] for e in result["events"]] == ["done"]


def test_saved_session_is_an_ordinary_transcript(server, peer, short_wav):
    account = server.create_key()
    headers = {"Authorization": f"Bearer {account['api_key']}"}
    url = ws_url(server, save="true", word_timestamps="true", webhook_url=peer.url + "/hook")
    pcm = pcm_of(short_wav)
    done = asyncio.run(stream(url, pcm, account["api_key"], speed=0))["events"][-1]
    transcript_id = done["transcript_id"]
    http = httpx.Client(base_url=server.url, headers=headers)
    got = http.get(f"/v1/transcripts/{transcript_id}").json()
    assert got["status"] == "completed" and got["text"] == done["text"] and "hello" in got["text"].lower()
    assert got["duration"] == pytest.approx(len(pcm) / 32000, abs=0.05) and got["words"]
    assert [t["id"] for t in http.get("/v1/transcripts").json()["data"]] == [transcript_id]
    audio = http.get(f"/v1/transcripts/{transcript_id}/audio")
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF" and len(audio.content) == len(pcm) + 44
    deadline = time.monotonic() + 10
    while not peer.received and time.monotonic() < deadline:
        time.sleep(0.1)
    hook = json.loads(peer.received[0]["body"])
    assert hook["type"] == "transcript.completed" and hook["data"]["id"] == transcript_id
    assert http.delete(f"/v1/transcripts/{transcript_id}").status_code == 204
    assert http.get(f"/v1/transcripts/{transcript_id}").status_code == 404
    assert http.get(f"/v1/transcripts/{transcript_id}/audio").status_code == 404


def test_listen_command_streams_a_file_and_stdin(server, key, short_wav):
    import os
    import sys

    env = {**os.environ, "TRANSCRIPTS_API_KEY": key}
    cmd = [sys.executable, "-m", "transcripts.cli", "listen", "--url", server.url, "--speed", "0"]
    out = subprocess.run(cmd + [str(short_wav)], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any(line.startswith("final") and "hello" in line.lower() for line in lines)
    assert lines[-1].startswith("done")
    # Raw PCM on stdin, at 8 kHz, at real-time pace (the clip is about 1 s long).
    raw = subprocess.run(["sox", str(short_wav), "-t", "raw", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed",
                          "-L", "-"], check=True, capture_output=True).stdout
    cmd = [sys.executable, "-m", "transcripts.cli", "listen", "-", "--url", server.url, "--sample-rate", "8000"]
    out = subprocess.run(cmd, input=raw, env=env, capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert b"hello" in out.stdout.lower() and out.stdout.splitlines()[-1].startswith(b"done")
    # A refusal shows the API's error body.
    out = subprocess.run(cmd, input=raw, env={**env, "TRANSCRIPTS_API_KEY": "sk_wrong"}, capture_output=True,
                         timeout=60)
    assert out.returncode == 1 and b"invalid_api_key" in out.stderr
