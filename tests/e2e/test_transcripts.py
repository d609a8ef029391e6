"""End to end over HTTP against the real server: transcription quality, the object's fields,
audio_url, paging, webhooks, isolation and delete."""

from __future__ import annotations

import json
import time

import httpx
import jiwer
import pytest
from standardwebhooks.webhooks import Webhook

from conftest import ENGLISH_TEXT
from helpers import concat, encode, files_under

SPEC_FIELDS = {"id", "object", "status", "created", "model", "language", "duration", "text", "utterances",
               "words", "redactions", "metadata"}


def normalise(text: str) -> str:
    return jiwer.RemovePunctuation()(text.lower())


def test_upload_transcribes_with_words(client, padded_wav):
    created = client.upload(padded_wav, word_timestamps=True, metadata={"external_id": "call-55123"},
                            vocabulary=json.dumps(["Contoso"]))
    assert created.status_code == 200, created.text
    queued = created.json()
    assert SPEC_FIELDS <= set(queued)
    assert queued["status"] == "queued" and queued["object"] == "transcript"
    assert queued["id"].startswith("transcript_") and queued["model"] == "whisper-base"
    assert abs(queued["created"] - time.time()) < 30
    assert queued["text"] is None and queued["error"] is None
    assert queued["metadata"] == {"external_id": "call-55123"} and queued["vocabulary"] == ["Contoso"]

    job = client.wait(queued["id"])
    assert job["status"] == "completed", job
    assert job["language"] == "en" and job["duration"] == pytest.approx(17.9, abs=0.2)
    # WER bound for espeak-ng speech with whisper-base: 15% (measured about 0-5%).
    assert jiwer.wer(normalise(ENGLISH_TEXT), normalise(job["text"])) <= 0.15
    words = job["words"]
    assert [normalise(w["word"]) for w in words][:3] == ["thank", "you", "for"]
    for prev, cur in zip(words, words[1:]):
        assert prev["start"] <= cur["start"]
    assert all(0 <= w["start"] <= w["end"] <= job["duration"] for w in words)
    assert all(0 <= w["confidence"] <= 1 for w in words)
    assert words[0]["start"] >= 3.5 and words[-1]["end"] <= job["duration"] - 3.0
    assert 0 <= job["confidence"] <= 1
    assert job["utterances"] is None and job["redactions"] is None  # not requested
    assert job["metadata"] == {"external_id": "call-55123"}


def test_words_absent_unless_asked(client, short_wav):
    job = client.wait(client.upload(short_wav).json()["id"])
    assert job["status"] == "completed" and job["words"] is None
    assert "hello" in normalise(job["text"])


@pytest.mark.parametrize("kind", ["m4a", "webm"])
def test_compressed_uploads(client, short_wav, audio_dir, kind):
    job = client.wait(client.upload(encode(short_wav, kind, audio_dir)).json()["id"])
    assert job["status"] == "completed" and "hello" in normalise(job["text"])


def test_audio_url_and_language_detection(client, peer, spanish_wav, audio_dir):
    peer.files["/calls/es.mp3"] = encode(spanish_wav, "mp3", audio_dir).read_bytes()
    created = client.http.post("/v1/transcripts", json={"audio_url": peer.url + "/calls/es.mp3"})
    assert created.status_code == 200, created.text
    assert created.json()["language"] is None  # auto-detect
    job = client.wait(created.json()["id"])
    assert job["status"] == "completed", job
    assert job["language"] == "es" and job["language_confidence"] > 0.5
    assert "gracias por llamar" in normalise(job["text"])


def test_audio_url_failure_is_a_visible_error(client, peer):
    job = client.wait(client.http.post("/v1/transcripts", json={"audio_url": peer.url + "/missing.wav"}).json()["id"])
    assert job["status"] == "error"
    assert job["error"]["code"] == "audio_fetch_failed" and "404" in job["error"]["message"]
    assert job["text"] is None


def test_audio_url_not_audio(client, peer):
    peer.files["/notes.wav"] = b"plain text, not audio\n" * 40
    job = client.wait(client.http.post("/v1/transcripts", json={"audio_url": peer.url + "/notes.wav"}).json()["id"])
    assert job["status"] == "error" and job["error"]["code"] == "unsupported_audio_format"


def test_keys_see_only_their_own(client, new_client, short_wav):
    mine = client.upload(short_wav).json()["id"]
    other = new_client()
    assert other.http.get(f"/v1/transcripts/{mine}").status_code == 404
    assert other.http.delete(f"/v1/transcripts/{mine}").status_code == 404
    assert mine not in [t["id"] for t in other.http.get("/v1/transcripts").json()["data"]]
    assert client.http.get(f"/v1/transcripts/{mine}").status_code == 200


def test_paging_and_filters(new_client, peer, short_wav):
    c = new_client()
    ids_by_second: list[list[str]] = []
    for _ in range(3):
        ids_by_second.append([c.upload(short_wav).json()["id"] for _ in range(3)])
        time.sleep(1.1)
    failing = [c.http.post("/v1/transcripts", json={"audio_url": peer.url + "/gone.wav"}).json()["id"] for _ in range(2)]
    all_ids = [i for group in ids_by_second for i in group] + failing
    for job_id in all_ids:
        c.wait(job_id)
    newest_first = list(reversed(all_ids))

    def pages(limit, extra_after_first=None, **params):
        seen, cursor, n = [], None, 0
        while True:
            query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
            resp = c.http.get("/v1/transcripts", params=query)
            assert resp.status_code == 200, resp.text
            page = resp.json()
            assert page["object"] == "list" and len(page["data"]) <= limit
            seen += [t["id"] for t in page["data"]]
            n += 1
            if n == 1 and extra_after_first:
                extra_after_first()
            if not page["has_more"]:
                assert page["next_cursor"] is None
                return seen, n
            cursor = page["next_cursor"]

    seen, n = pages(4)
    assert seen == newest_first and n == 3

    # Jobs that arrive during paging cause no duplicates or gaps in the pages that follow.
    arrived = []
    seen, _ = pages(2, extra_after_first=lambda: arrived.extend(c.upload(short_wav).json()["id"] for _ in range(3)))
    assert seen == newest_first
    for job_id in arrived:
        c.wait(job_id)

    seen, _ = pages(2, status="error")
    assert seen == list(reversed(failing))
    completed, _ = pages(3, status="completed")
    assert completed == list(reversed(arrived)) + [i for i in newest_first if i not in failing]

    created = {t["id"]: t["created"] for t in c.http.get("/v1/transcripts", params={"limit": 100}).json()["data"]}
    first_second = created[ids_by_second[0][0]]
    last_second = created[ids_by_second[2][0]]
    assert first_second < last_second
    seen, _ = pages(2, created_after=first_second)  # exclusive
    assert set(ids_by_second[0]).isdisjoint(seen) and set(ids_by_second[2]) <= set(seen)
    seen, _ = pages(2, created_before=last_second)  # exclusive
    assert seen == [i for i in newest_first if created[i] < last_second]
    seen, _ = pages(5, created_after=first_second, created_before=last_second)
    assert seen == [i for i in newest_first if first_second < created[i] < last_second]


def test_webhook_signed_retried_and_recorded(client, account, peer, short_wav):
    peer.responses = [500]  # the first attempt fails, the retry succeeds
    job_id = client.upload(short_wav, webhook_url=peer.url + "/hooks/transcripts").json()["id"]
    client.wait(job_id)
    deadline = time.monotonic() + 30
    while len(peer.received) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [r["status"] for r in peer.received] == [500, 200]
    first, second = peer.received
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]  # same message, retried
    assert second["time"] - first["time"] >= 0.2  # backoff
    payload = Webhook(account["webhook_secret"]).verify(second["body"], second["headers"])
    assert payload["type"] == "transcript.completed"
    assert payload["data"]["id"] == job_id and payload["data"]["status"] == "completed"
    assert "hello" in normalise(payload["data"]["text"])
    with pytest.raises(Exception):
        Webhook("whsec_" + "A" * 43 + "=").verify(second["body"], second["headers"])

    log = client.http.get(f"/v1/transcripts/{job_id}/webhook_deliveries").json()["data"]
    assert len(log) == 1 and log[0]["state"] == "delivered"
    assert [a["status_code"] for a in log[0]["attempts"]] == [500, 200]


def test_failed_job_webhook(client, account, peer):
    job_id = client.http.post("/v1/transcripts", json={"audio_url": peer.url + "/nothing.wav",
                                                       "webhook_url": peer.url + "/hook"}).json()["id"]
    client.wait(job_id)
    deadline = time.monotonic() + 20
    while not peer.received and time.monotonic() < deadline:
        time.sleep(0.1)
    payload = Webhook(account["webhook_secret"]).verify(peer.received[0]["body"], peer.received[0]["headers"])
    assert payload["type"] == "transcript.failed"
    assert payload["data"]["error"]["code"] == "audio_fetch_failed"


def test_delete_removes_record_and_files(client, server, short_wav):
    job_id = client.upload(short_wav, word_timestamps=True).json()["id"]
    client.wait(job_id)
    job_dir = server.data_dir / "blobs" / "transcripts" / job_id
    assert {p.name for p in files_under(job_dir)} == {"audio", "result.json"}
    resp = client.http.delete(f"/v1/transcripts/{job_id}")
    assert resp.status_code == 204 and resp.content == b""
    assert client.http.get(f"/v1/transcripts/{job_id}").status_code == 404
    assert not job_dir.exists()
    assert client.http.delete(f"/v1/transcripts/{job_id}").status_code == 404
    db_bytes = b"".join(p.read_bytes() for p in server.data_dir.glob("transcripts.db*"))
    assert job_id.encode() not in db_bytes  # secure_delete + WAL truncation


@pytest.fixture(scope="module")
def long_wav(audio_dir, english_wav):
    """About 50 s of speech (under the test server's 60 s limit): long enough to act while it runs."""
    return concat(audio_dir / "long.wav", *([english_wav] * 5), rate=8000)


def wait_status(client, job_id, status, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.http.get(f"/v1/transcripts/{job_id}").json()["status"] == status:
            return
        time.sleep(0.05)
    raise TimeoutError(status)


def test_api_stays_responsive_and_delete_cancels_running_job(client, server, long_wav, short_wav):
    job_id = client.upload(long_wav, webhook_url="http://127.0.0.1:9/never-logged").json()["id"]
    behind = client.upload(short_wav).json()["id"]  # arrival order: runs after the long one
    wait_status(client, job_id, "processing")
    latencies = []
    for _ in range(20):
        t0 = time.monotonic()
        assert client.http.get("/v1/transcripts", params={"limit": 5}).status_code == 200
        latencies.append(time.monotonic() - t0)
    latencies.sort()
    assert latencies[len(latencies) // 2] < 0.5, latencies  # median while a job runs
    assert client.http.get(f"/v1/transcripts/{behind}").json()["status"] == "queued"

    assert client.http.delete(f"/v1/transcripts/{job_id}").status_code == 204
    assert client.wait(behind)["status"] == "completed"  # the worker moved on
    time.sleep(0.5)
    assert client.http.get(f"/v1/transcripts/{job_id}").status_code == 404
    assert not (server.data_dir / "blobs" / "transcripts" / job_id).exists()
    events = [json.loads(line) for line in server.logs().splitlines() if line.startswith("{")]
    mine = [e["message"] for e in events if e.get("job_id") == job_id]
    assert "job cancelled" in mine and "job completed" not in mine
    # No transcript text or client URL in the logs.
    assert "never-logged" not in server.logs() and "hello" not in server.logs().lower()


def test_models_endpoint(client):
    data = client.http.get("/v1/models").json()["data"]
    assert [m["id"] for m in data] == ["whisper-base"] and data[0]["default"] is True


def test_truncated_audio_url_is_a_visible_error(client, peer, english_wav):
    data = english_wav.read_bytes()
    peer.files["/cut.wav"] = data[: len(data) // 2]
    job = client.wait(client.http.post("/v1/transcripts", json={"audio_url": peer.url + "/cut.wav"}).json()["id"])
    assert job["status"] == "error" and job["error"]["code"] == "audio_truncated"


def test_json_nulls_mean_defaults(client, peer, short_wav):
    peer.files["/short.wav"] = short_wav.read_bytes()
    resp = client.http.post("/v1/transcripts", json={
        "audio_url": peer.url + "/short.wav", "language": None, "redact": None, "vocabulary": None,
        "metadata": None, "webhook_url": None, "diarize": None})
    assert resp.status_code == 200, resp.text
    job = client.wait(resp.json()["id"])
    assert job["status"] == "completed" and job["redact"] == [] and job["metadata"] == {}


def test_large_upload_flow(client, new_client, server, short_wav):
    """POST /v1/uploads, PUT the bytes to the URL it gives, transcribe with upload://<id>."""
    data = short_wav.read_bytes()
    resp = client.http.post("/v1/uploads", json={"size": len(data), "filename": "short.wav"})
    assert resp.status_code == 200, resp.text
    upload = resp.json()
    assert upload["method"] == "PUT" and upload["audio_url"] == f"upload://{upload['id']}"
    assert httpx.put(upload["url"] + "x", content=data).status_code == 403  # signature covers the URL
    assert httpx.put(upload["url"], content=data).status_code == 200  # no API key: the URL is the grant

    other = new_client()
    resp = other.http.post("/v1/transcripts", json={"audio_url": upload["audio_url"]})
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "upload_not_found"

    created = client.http.post("/v1/transcripts", json={"audio_url": upload["audio_url"], "language": "en"})
    assert created.status_code == 200, created.text
    job = client.wait(created.json()["id"])
    assert job["status"] == "completed" and "hello" in normalise(job["text"])
    assert not list((server.data_dir / "blobs" / "uploads").rglob(upload["id"]))  # moved under the job
    again = client.http.post("/v1/transcripts", json={"audio_url": upload["audio_url"]})
    assert again.status_code == 409 and again.json()["error"]["code"] == "upload_already_used"


def _assert_error(resp, status, code, param="any"):
    assert resp.status_code == status, resp.text
    assert resp.json()["error"]["code"] == code
    if param != "any":
        assert resp.json()["error"]["param"] == param


def test_upload_is_used_once(new_client, short_wav):
    """A used upload's URL and id are spent: a second PUT and a second create are refused."""
    c = new_client()
    data = short_wav.read_bytes()
    upload = c.http.post("/v1/uploads", json={"size": len(data)}).json()
    assert httpx.put(upload["url"], content=data).status_code == 200
    first = c.http.post("/v1/transcripts", json={"audio_url": upload["audio_url"]})
    assert first.status_code == 200, first.text
    _assert_error(httpx.put(upload["url"], content=data), 409, "upload_already_used")
    _assert_error(c.http.post("/v1/transcripts", json={"audio_url": upload["audio_url"]}), 409,
                 "upload_already_used", "audio_url")
    assert [j["id"] for j in c.http.get("/v1/transcripts").json()["data"]] == [first.json()["id"]]


def test_upload_bad_requests(client):
    assert client.http.post("/v1/uploads", json={"size": 0}).status_code == 400
    assert client.http.post("/v1/uploads", json={"size": 10, "colour": "red"}).json()["error"]["code"] == "unknown_parameter"
    too_big = client.http.post("/v1/uploads", json={"size": 10**12})
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "file_too_large"
    bad = client.http.post("/v1/transcripts", json={"audio_url": "upload://../../etc"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "upload_not_found"


def test_diarized_transcript(client, conversation):
    path, _ = conversation
    created = client.upload(path, diarize=True, speakers_expected="2", word_timestamps=True)
    assert created.status_code == 200, created.text
    assert created.json()["speakers_expected"] == 2
    job = client.wait(created.json()["id"])
    assert job["status"] == "completed", job
    utterances = job["utterances"]
    assert [u["speaker"] for u in utterances][:2] == [0, 1]  # numbered by first appearance
    assert {u["speaker"] for u in utterances} == {0, 1}
    assert " ".join(u["text"] for u in utterances) == job["text"]  # no word lost or repeated
    assert len(job["words"]) == sum(len(u["text"].split()) for u in utterances)
    for a, b in zip(utterances, utterances[1:]):
        assert a["speaker"] != b["speaker"] and a["end"] <= b["start"] + 1e-6
    assert all(0 <= u["confidence"] <= 1 for u in utterances)


def test_stereo_call_diarized_by_channel(client, stereo_call):
    path, turns = stereo_call
    job = client.wait(client.upload(path, diarize=True, multichannel=True).json()["id"])
    assert job["status"] == "completed" and job["multichannel"] is True
    assert [u["speaker"] for u in job["utterances"]] == [s for _, _, s in turns]


def test_openapi_documents_the_create_body(server):
    spec = httpx.get(server.url + "/openapi.json").json()
    body = spec["paths"]["/v1/transcripts"]["post"]["requestBody"]["content"]
    assert "audio_url" in body["application/json"]["schema"]["properties"]
    assert body["multipart/form-data"]["schema"]["properties"]["audio_file"]["format"] == "binary"
    assert set(spec["paths"]) >= {"/v1/transcripts", "/v1/transcripts/{transcript_id}", "/v1/models", "/v1/uploads"}
