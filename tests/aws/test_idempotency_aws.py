"""`Idempotency-Key` through the API function (Mangum, API Gateway events) on DynamoDB Local."""

from __future__ import annotations

import base64
import json

import pytest

from .conftest import LambdaContext, http_event


@pytest.fixture(scope="module")
def account(handlers):
    key = handlers.services.keys.create("idempotency-test")
    return {"api_key": key.api_key, "project_id": key.project_id}


def post(handlers, key: str, path: str, payload: dict, idempotency_key: str):
    event = http_event("POST", path, key, json.dumps(payload).encode(), "application/json")
    event["headers"]["idempotency-key"] = idempotency_key
    resp = handlers.api.handler(event, LambdaContext())
    raw = base64.b64decode(resp["body"]) if resp.get("isBase64Encoded") else resp["body"].encode()
    return resp["statusCode"], resp.get("headers", {}), json.loads(raw)


def test_retried_posts_replay_on_dynamodb(handlers, account):
    key = account["api_key"]
    status, _, first = post(handlers, key, "/v1/uploads", {"size": 1234}, "aws-retry")
    status2, headers2, again = post(handlers, key, "/v1/uploads", {"size": 1234}, "aws-retry")
    assert status == status2 == 200 and again == first and headers2.get("idempotent-replayed") == "true"
    status3, _, other = post(handlers, key, "/v1/uploads", {"size": 99}, "aws-retry")
    assert status3 == 409 and other["error"]["code"] == "idempotency_key_reused"

    status, _, job = post(handlers, key, "/v1/transcripts", {"audio_url": "https://8.8.8.8/a.wav"}, "aws-job")
    assert status == 200, job
    status, _, replay = post(handlers, key, "/v1/transcripts", {"audio_url": "https://8.8.8.8/a.wav"}, "aws-job")
    assert status == 200 and replay["id"] == job["id"]
