"""`Idempotency-Key` over HTTP against the real server: retries answer the first response,
a reused key with another request is a 409, keys are per API key, refusals save nothing."""

from __future__ import annotations

import json

from helpers import Client


def keyed(key: str) -> dict:
    return {"Idempotency-Key": key}


def create(c: Client, path, key: str, **fields):
    with path.open("rb") as f:
        return c.http.post("/v1/transcripts", data=fields, files={"audio_file": (path.name, f)}, headers=keyed(key))


def test_retried_create_answers_the_first_response(new_client, short_wav):
    c = new_client()
    first = create(c, short_wav, "retry-1", language="en", metadata=json.dumps({"order": "42"}))
    assert first.status_code == 200, first.text
    again = create(c, short_wav, "retry-1", language="en", metadata=json.dumps({"order": "42"}))
    assert again.status_code == 200 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert [j["id"] for j in c.http.get("/v1/transcripts").json()["data"]] == [first.json()["id"]]

    other = create(c, short_wav, "retry-1", language="es")
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert other.json()["error"]["param"] == "Idempotency-Key"
    json_body = c.http.post("/v1/transcripts", json={"audio_url": "https://8.8.8.8/a.wav"}, headers=keyed("retry-1"))
    assert json_body.status_code == 409
    assert len(c.http.get("/v1/transcripts").json()["data"]) == 1


def test_keys_are_per_api_key(new_client, short_wav):
    a, b = new_client(), new_client()
    ida = create(a, short_wav, "same").json()["id"]
    idb = create(b, short_wav, "same").json()["id"]
    assert ida != idb


def test_refused_request_saves_nothing(new_client, short_wav):
    c = new_client()
    refused = create(c, short_wav, "fix-and-retry", language="xx")
    assert refused.status_code == 400
    fixed = create(c, short_wav, "fix-and-retry", language="en")
    assert fixed.status_code == 200 and "idempotent-replayed" not in fixed.headers


def test_upload_create_is_idempotent(new_client):
    c = new_client()
    first = c.http.post("/v1/uploads", json={"size": 1000}, headers=keyed("u-1"))
    again = c.http.post("/v1/uploads", json={"size": 1000}, headers=keyed("u-1"))
    assert first.status_code == again.status_code == 200 and first.json()["id"] == again.json()["id"]
    other = c.http.post("/v1/uploads", json={"size": 2000}, headers=keyed("u-1"))
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_key_reused"


def test_bad_key_refused(new_client):
    c = new_client()
    resp = c.http.post("/v1/uploads", json={"size": 10}, headers=keyed("k" * 256))
    assert resp.status_code == 400 and resp.json()["error"]["param"] == "Idempotency-Key"
