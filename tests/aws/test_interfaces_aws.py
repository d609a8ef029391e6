"""The AWS path for subtitles, progress, key management, webhook redelivery and
transcript.deleted: Lambda events against DynamoDB Local and moto (see conftest.py)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys

import srt
from standardwebhooks.webhooks import Webhook

from transcripts.worker import run_job

from .conftest import LambdaContext, call_api, http_event, multipart, settle, sqs_event


def _account(handlers):
    key = handlers.services.keys.create("aws-interfaces")
    return {"api_key": key.api_key, "webhook_secret": key.webhook_secret}


def _deliver(handlers, stack):
    event = sqs_event(stack.aws, stack.webhook_queue, stack.webhook_queue_arn, wait_s=10)
    assert event["Records"], "no event reached the webhook queue"
    response = handlers.webhook.handler(event, LambdaContext())
    return settle(stack.aws, stack.webhook_queue, event, response)


def _raw(handlers, method, path, key, query=""):
    resp = handlers.api.handler(http_event(method, path, key, query=query), LambdaContext())
    body = base64.b64decode(resp["body"]) if resp.get("isBase64Encoded") else resp["body"].encode()
    return resp["statusCode"], resp["headers"], body.decode()


def test_progress_and_subtitles_through_lambda(handlers, stack, short_wav):
    account = _account(handlers)
    body, ctype = multipart({"language": "en-GB"}, short_wav)
    status, created = call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)
    assert status == 200 and created["progress"] is None and created["language"] == "en"
    assert run_job(created["id"], handlers.services.worker).status == "completed"
    status, job = call_api(handlers, "GET", f"/v1/transcripts/{created['id']}", account["api_key"])
    assert job["progress"] == 1.0 and job["words"] is None
    status, headers, text = _raw(handlers, "GET", f"/v1/transcripts/{created['id']}/srt", account["api_key"])
    assert status == 200 and headers["content-type"].startswith("application/x-subrip")
    [cue] = list(srt.parse(text))
    assert "hello" in cue.content.lower() and cue.index == 1
    while _drain(handlers, stack):  # the completed event (no webhook_url) leaves the queue
        pass


def _drain(handlers, stack):
    event = sqs_event(stack.aws, stack.webhook_queue, stack.webhook_queue_arn, wait_s=2)
    if not event["Records"]:
        return False
    settle(stack.aws, stack.webhook_queue, event, handlers.webhook.handler(event, LambdaContext()))
    return True


def test_keys_list_and_revoke_with_the_cli_on_aws(handlers, stack):
    account = _account(handlers)
    assert call_api(handlers, "GET", "/v1/transcripts", account["api_key"])[0] == 200
    key_id = handlers.services.keys.authenticate(account["api_key"]).key_id
    env = {**os.environ, **stack.env}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "transcripts.cli", "keys", *args], env=env,
                              capture_output=True, text=True, timeout=60)

    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the index shows a new key a moment after its write
        out = cli("list")
        if key_id in out.stdout:
            break
        time.sleep(0.2)
    assert out.returncode == 0, out.stderr
    mine = next(k for k in json.loads(out.stdout) if k["id"] == key_id)
    assert mine["name"] == "aws-interfaces" and mine["last_used"] and account["api_key"] not in out.stdout
    out = cli("revoke", key_id)
    assert out.returncode == 0 and json.loads(out.stdout)["revoked"] is True
    status, err = call_api(handlers, "GET", "/v1/transcripts", account["api_key"])
    assert status == 401 and err["error"]["code"] == "invalid_api_key"  # the next request, no cache


def test_redeliver_and_deleted_event_on_aws(handlers, stack, peer, short_wav):
    while _drain(handlers, stack):
        pass
    account = _account(handlers)
    verify = Webhook(account["webhook_secret"]).verify
    body, ctype = multipart({"webhook_url": peer.url + "/hook"}, short_wav)
    status, created = call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)
    job_id = created["id"]
    assert run_job(job_id, handlers.services.worker).status == "completed"
    assert _deliver(handlers, stack) == []
    [first] = peer.received
    status, log = call_api(handlers, "GET", f"/v1/transcripts/{job_id}/webhook_deliveries", account["api_key"])
    [delivery] = log["data"]

    status, again = call_api(handlers, "POST", f"/v1/transcripts/{job_id}/webhook_deliveries/{delivery['id']}/redeliver",
                             account["api_key"])
    assert status == 202 and again["state"] == "pending"
    assert _deliver(handlers, stack) == []
    second = peer.received[1]
    assert verify(second["body"], second["headers"]) == verify(first["body"], first["headers"])
    assert second["headers"]["webhook-id"] == delivery["id"]
    status, log = call_api(handlers, "GET", f"/v1/transcripts/{job_id}/webhook_deliveries", account["api_key"])
    assert [a["attempt"] for a in log["data"][0]["attempts"]] == [1, 2] and log["data"][0]["state"] == "delivered"

    other = _account(handlers)["api_key"]
    assert call_api(handlers, "POST", f"/v1/transcripts/{job_id}/webhook_deliveries/{delivery['id']}/redeliver",
                    other)[0] == 404

    assert call_api(handlers, "DELETE", f"/v1/transcripts/{job_id}", account["api_key"])[0] == 204
    assert _deliver(handlers, stack) == []
    third = peer.received[2]
    payload = verify(third["body"], third["headers"])
    assert payload["type"] == "transcript.deleted" and payload["data"] == {"id": job_id, "object": "transcript",
                                                                           "deleted": True}
