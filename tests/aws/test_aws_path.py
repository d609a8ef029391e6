"""End to end on the AWS path without AWS: API Gateway events -> API function -> DynamoDB
Local -> dispatcher -> run_job() with the AWS adapters and the bundled CPU model -> event on
the bus (captured through an SQS target) -> webhook function -> a local receiver that
verifies the signature. And an S3 upload under inbox/ whose moto notification starts a job."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from helpers import concat, eventually
from transcripts.worker import run_job

from .conftest import LambdaContext, call_api, multipart, run_as_gpu_worker, settle, sqs_event


@pytest.fixture(scope="module")
def account(handlers):
    key = handlers.services.keys.create("aws-test")
    return {"api_key": key.api_key, "webhook_secret": key.webhook_secret, "project_id": key.project_id}


def run_spawned(handlers, stack, job_id):
    """What the GPU function does with a spawned call: run_job() with the AWS adapters."""
    assert job_id in stack.modal.spawned
    return run_as_gpu_worker(run_job, job_id, handlers.services.worker)


def deliver_webhooks(handlers, stack, wait_s=10):
    event = sqs_event(stack.aws, stack.webhook_queue, stack.webhook_queue_arn, wait_s=wait_s)
    if not event["Records"]:
        return event, None, []
    response = handlers.webhook.handler(event, LambdaContext())
    return event, response, settle(stack.aws, stack.webhook_queue, event, response)


def test_upload_through_api_to_signed_webhook(handlers, stack, account, peer, short_wav):
    body, ctype = multipart({"word_timestamps": "true", "webhook_url": peer.url + "/hook",
                             "metadata": json.dumps({"external_id": "c-1"})}, short_wav)
    status, created = call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)
    assert status == 200, created
    job_id = created["id"]
    assert created["status"] == "queued" and created["metadata"] == {"external_id": "c-1"}
    record = handlers.services.jobs.get(job_id)
    assert record.call_id and record.call_id.startswith("fc-")  # the Modal call id is on the job

    done = run_spawned(handlers, stack, job_id)
    assert done.status == "completed"
    s3_keys = list(handlers.services.blobs.keys(f"transcripts/{job_id}/"))
    assert sorted(s3_keys) == [f"transcripts/{job_id}/audio", f"transcripts/{job_id}/result.json"]
    head = handlers.services.blobs.s3.head_object(Bucket=stack.bucket, Key=f"transcripts/{job_id}/audio")
    assert head["ServerSideEncryption"] == "AES256"

    event, response, failed = deliver_webhooks(handlers, stack)
    assert len(event["Records"]) == 1 and failed == []
    bus_event = json.loads(event["Records"][0]["body"])
    assert bus_event["detail-type"] == "transcript.completed" and bus_event["source"] == "transcripts"
    assert "text" not in json.dumps(bus_event["detail"])  # the bus carries ids, not transcripts
    [received] = peer.received
    payload = Webhook(account["webhook_secret"]).verify(received["body"], received["headers"])
    assert payload["type"] == "transcript.completed" and payload["data"]["id"] == job_id
    assert "hello" in payload["data"]["text"].lower()

    status, got = call_api(handlers, "GET", f"/v1/transcripts/{job_id}", account["api_key"])
    assert status == 200 and got["status"] == "completed" and got["words"]
    status, log = call_api(handlers, "GET", f"/v1/transcripts/{job_id}/webhook_deliveries", account["api_key"])
    assert [a["status_code"] for a in log["data"][0]["attempts"]] == [200] and log["data"][0]["state"] == "delivered"


def test_list_and_isolation_through_api(handlers, account, stack, short_wav):
    other = handlers.services.keys.create("other").api_key
    ids = []
    for _ in range(5):
        body, ctype = multipart({}, short_wav)
        ids.append(call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)[1]["id"])
    def pages():
        seen, cursor = [], None
        while True:
            query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
            status, page = call_api(handlers, "GET", "/v1/transcripts", account["api_key"], query=query)
            assert status == 200, page
            seen += [t["id"] for t in page["data"]]
            if not page["has_more"]:
                break
            cursor = page["next_cursor"]
        assert seen[:5] == list(reversed(ids))
        return cursor

    cursor = eventually(pages)  # the listing index may lag the writes a moment
    assert call_api(handlers, "GET", f"/v1/transcripts/{ids[0]}", other)[0] == 404
    status, err = call_api(handlers, "GET", "/v1/transcripts", other, query=f"cursor={cursor or 'x'}")
    assert status == 400 and err["error"]["code"] == "invalid_cursor"
    for job_id in ids:
        assert call_api(handlers, "DELETE", f"/v1/transcripts/{job_id}", account["api_key"])[0] == 204


def test_bad_input_through_api(handlers, account, tmp_path):
    (tmp_path / "notes.wav").write_text("not audio " * 100)
    body, ctype = multipart({}, tmp_path / "notes.wav")
    status, err = call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)
    assert status == 415 and err["error"]["code"] == "unsupported_audio_format"
    status, err = call_api(handlers, "POST", "/v1/transcripts", "sk_wrong", json_body={"audio_url": "https://8.8.8.8/a"})
    assert status == 401 and err["error"]["code"] == "invalid_api_key"
    status, err = call_api(handlers, "POST", "/v1/transcripts", account["api_key"],
                           json_body={"audio_url": "http://169.254.169.254/latest/meta-data/"})
    assert status == 400 and err["error"]["code"] == "url_not_allowed"


def test_s3_upload_to_inbox_starts_one_job(handlers, stack, account, short_wav):
    s3 = stack.aws.client("s3")
    key = f"inbox/{account['project_id']}/call 1+2.wav"
    s3.put_object(Bucket=stack.bucket, Key=key, Body=short_wav.read_bytes(),
                  Metadata={"transcripts-options": json.dumps({"language": "en", "metadata": {"source": "s3"}})})
    event = sqs_event(stack.aws, stack.ingest_queue, stack.ingest_queue_arn)
    assert len(event["Records"]) == 1, "moto's S3 -> EventBridge -> SQS notification did not arrive"
    assert handlers.ingest.handler(event, LambdaContext()) == {"batchItemFailures": []}
    # The same event again (SQS redelivers at least once): no second job.
    assert handlers.ingest.handler(event, LambdaContext()) == {"batchItemFailures": []}
    settle(stack.aws, stack.ingest_queue, event, {})

    def ingested_once():
        page = call_api(handlers, "GET", "/v1/transcripts", account["api_key"], query="limit=100")[1]
        ingested = [t for t in page["data"] if t["metadata"] == {"source": "s3"}]
        assert len(ingested) == 1
        return ingested

    eventually(ingested_once)
    time.sleep(1.0)  # a second job, had there been one, has reached the index by now as well
    ingested = ingested_once()
    job_id = ingested[0]["id"]
    assert ingested[0]["language"] == "en"
    assert list(handlers.services.blobs.keys(key)) == []  # moved out of the inbox
    assert run_spawned(handlers, stack, job_id).status == "completed"
    assert "hello" in call_api(handlers, "GET", f"/v1/transcripts/{job_id}", account["api_key"])[1]["text"].lower()


def test_inbox_upload_with_bad_options_is_a_visible_error(handlers, stack, account, short_wav):
    s3 = stack.aws.client("s3")
    key = f"inbox/{account['project_id']}/bad.wav"
    s3.put_object(Bucket=stack.bucket, Key=key, Body=short_wav.read_bytes(),
                  Metadata={"transcripts-options": json.dumps({"language": "klingon"})})
    event = sqs_event(stack.aws, stack.ingest_queue, stack.ingest_queue_arn)
    handlers.ingest.handler(event, LambdaContext())
    settle(stack.aws, stack.ingest_queue, event, {})
    def error_job():
        page = call_api(handlers, "GET", "/v1/transcripts", account["api_key"], query="status=error")[1]
        found = [t for t in page["data"] if t["error"]["code"] == "invalid_parameter"]
        assert len(found) == 1
        return found[0]

    job = eventually(error_job)
    assert "language" in job["error"]["message"]


def test_webhook_500_then_200_is_delivered_once_with_attempts_recorded(handlers, stack, account, peer, short_wav):
    peer.responses = [500]
    body, ctype = multipart({"webhook_url": peer.url + "/hook"}, short_wav)
    job_id = call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)[1]["id"]
    run_spawned(handlers, stack, job_id)

    received = sqs_event(stack.aws, stack.webhook_queue, stack.webhook_queue_arn)
    ours = [r for r in received["Records"] if json.loads(r["body"])["detail"]["transcript_id"] == job_id]
    rest = {"Records": [r for r in received["Records"] if r not in ours]}
    if rest["Records"]:  # other tests' events (no webhook_url): nothing to send
        assert settle(stack.aws, stack.webhook_queue, rest, handlers.webhook.handler(rest, LambdaContext())) == []
    # Lambda's batch of one (BatchSize 1), failed: reported, not raised (an endpoint that is down
    # is no Lambda error); SQS hands it back after the retry delay (1 s here).
    event = {"Records": ours}
    assert len(ours) == 1 and len(settle(stack.aws, stack.webhook_queue, event,
                                         handlers.webhook.handler(event, LambdaContext()))) == 1
    assert sqs_event(stack.aws, stack.webhook_queue, stack.webhook_queue_arn, wait_s=0.3)["Records"] == []
    time.sleep(1.2)
    event, response, failed = deliver_webhooks(handlers, stack)
    assert len(event["Records"]) == 1 and failed == []
    assert [r["status"] for r in peer.received] == [500, 200]
    assert peer.received[0]["headers"]["webhook-id"] == peer.received[1]["headers"]["webhook-id"]
    log = call_api(handlers, "GET", f"/v1/transcripts/{job_id}/webhook_deliveries", account["api_key"])[1]["data"]
    assert log[0]["state"] == "delivered" and [a["status_code"] for a in log[0]["attempts"]] == [500, 200]
    # A duplicate of the message (at-least-once delivery) sends nothing more.
    handlers.webhook.handler(event, LambdaContext())
    assert len(peer.received) == 2


def test_job_whose_worker_vanished_is_swept_to_error(handlers, stack, account, short_wav, monkeypatch):
    body, ctype = multipart({}, short_wav)
    job_id = call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)[1]["id"]
    jobs = handlers.services.jobs
    call_id = jobs.get(job_id).call_id
    # The GPU container claimed the job two minutes ago, then died.
    jobs.transition(job_id, {"queued"}, status="processing", started_ns=time.time_ns() - 120 * 10**9, attempts=1)
    monkeypatch.setattr(handlers.services.settings, "max_job_attempts", 2)
    # While its Modal call runs, the job is slow, not lost: the sweeper leaves it.
    handlers.sweeper.handler({"source": "aws.events"}, LambdaContext())
    assert jobs.get(job_id).status == "processing"
    stack.modal.states[call_id] = "crashed"  # long before the 2 h processing deadline
    swept = handlers.sweeper.handler({"source": "aws.events"}, LambdaContext())
    assert swept["failed"] >= 1
    got = call_api(handlers, "GET", f"/v1/transcripts/{job_id}", account["api_key"])[1]
    assert got["status"] == "error" and got["error"]["code"] == "worker_lost"


def test_crashed_call_with_attempts_left_is_dispatched_again(handlers, stack, account, short_wav):
    body, ctype = multipart({}, short_wav)
    job_id = call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)[1]["id"]
    jobs = handlers.services.jobs
    first_call = jobs.get(job_id).call_id
    jobs.transition(job_id, {"queued"}, status="processing", started_ns=time.time_ns() - 120 * 10**9)
    stack.modal.states[first_call] = "crashed"
    handlers.sweeper.handler({"source": "aws.events"}, LambdaContext())
    job = jobs.get(job_id)
    assert job.status == "queued" and job.attempts == 1 and job.call_id not in (None, first_call)
    assert run_spawned(handlers, stack, job_id).status == "completed"


def test_queued_job_never_started_is_dispatched_again(handlers, stack, account, short_wav, monkeypatch):
    body, ctype = multipart({}, short_wav)
    job_id = call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)[1]["id"]
    before = stack.modal.spawned.count(job_id)
    monkeypatch.setattr(handlers.services.settings, "queued_deadline_s", 0.0)
    handlers.sweeper.handler({"source": "aws.events"}, LambdaContext())
    assert stack.modal.spawned.count(job_id) == before + 1
    assert handlers.services.jobs.get(job_id).attempts == 1
    assert run_spawned(handlers, stack, job_id).status == "completed"


def test_failed_dispatches_do_not_stop_the_sweep(handlers, stack, account, short_wav, monkeypatch):
    """Before `modal deploy` (or while Modal is unreachable) every stuck job is requeued in one
    run, and the scheduled function does not raise (no error alarm)."""
    body, ctype = multipart({}, short_wav)
    ids = [call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)[1]["id"]
           for _ in range(2)]

    def unreachable(job_id):
        raise ConnectionError("Modal is not reachable")

    monkeypatch.setattr(stack.modal, "spawn", unreachable)
    monkeypatch.setattr(handlers.services.settings, "queued_deadline_s", 0.0)
    swept = handlers.sweeper.handler({"source": "aws.events"}, LambdaContext())
    assert swept["requeued"] >= 2
    for job_id in ids:
        job = handlers.services.jobs.get(job_id)
        assert job.status == "queued" and job.attempts == 1
    monkeypatch.undo()
    for job_id in ids:
        call_api(handlers, "DELETE", f"/v1/transcripts/{job_id}", account["api_key"])


def test_delete_during_processing_leaves_nothing(handlers, stack, account, audio_dir, english_wav):
    long = concat(audio_dir / "aws-long.wav", *([english_wav] * 4), rate=8000)
    body, ctype = multipart({}, long)
    job_id = call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)[1]["id"]
    result = {}
    worker = threading.Thread(target=lambda: result.update(job=run_spawned(handlers, stack, job_id)))
    worker.start()
    deadline = time.monotonic() + 30
    while handlers.services.jobs.get(job_id).status != "processing" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert call_api(handlers, "DELETE", f"/v1/transcripts/{job_id}", account["api_key"])[0] == 204
    worker.join(timeout=120)
    assert result["job"] is None
    assert list(handlers.services.blobs.keys(f"transcripts/{job_id}/")) == []
    assert handlers.services.jobs.get(job_id) is None
    assert call_api(handlers, "GET", f"/v1/transcripts/{job_id}", account["api_key"])[0] == 404


def test_presigned_upload_then_transcribe(handlers, stack, account, short_wav):
    data = short_wav.read_bytes()
    status, upload = call_api(handlers, "POST", "/v1/uploads", account["api_key"], json_body={"size": len(data)})
    assert status == 200 and upload["parts"] is None and upload["complete_url"] is None
    assert httpx.put(upload["url"], content=data).status_code == 200  # straight to S3 (moto)
    status, created = call_api(handlers, "POST", "/v1/transcripts", account["api_key"],
                               json_body={"audio_url": upload["audio_url"]})
    assert status == 200, created
    assert run_spawned(handlers, stack, created["id"]).status == "completed"
    # Only the mark that the upload was used is left (S3's lifecycle expires it with uploads/).
    assert list(handlers.services.blobs.keys(f"uploads/{account['project_id']}/")) == [
        f"uploads/{account['project_id']}/{upload['id']}.used"]
    status, again = call_api(handlers, "POST", "/v1/transcripts", account["api_key"],
                             json_body={"audio_url": upload["audio_url"]})
    assert status == 409 and again["error"]["code"] == "upload_already_used"


def test_multipart_upload_for_large_files(handlers, stack, account, monkeypatch):
    from transcripts.adapters.aws import s3_uploads

    # Scaled down so the test moves 11 MB, not gigabytes: S3's smallest part is 5 MB.
    monkeypatch.setattr(s3_uploads, "SINGLE_PUT_MAX", 1024 * 1024)
    monkeypatch.setattr(s3_uploads, "MIN_PART", 5 * 1024 * 1024)
    data = bytes(range(256)) * (11 * 4096)
    status, upload = call_api(handlers, "POST", "/v1/uploads", account["api_key"], json_body={"size": len(data)})
    assert status == 200 and [p["size"] for p in upload["parts"]] == [5 * 1024 * 1024, 5 * 1024 * 1024, 1024 * 1024]
    etags, offset = [], 0
    for part in upload["parts"]:
        resp = httpx.put(part["url"], content=data[offset: offset + part["size"]])
        assert resp.status_code == 200
        etags.append({"part_number": part["part_number"], "etag": resp.headers["etag"]})
        offset += part["size"]
    status, done = call_api(handlers, "POST", upload["complete_url"], account["api_key"], json_body={"parts": etags})
    assert status == 200 and done["status"] == "completed"
    # Its UploadId was kept beside it (no listing of the bucket's uploads) and is gone once used.
    status, again = call_api(handlers, "POST", upload["complete_url"], account["api_key"], json_body={"parts": etags})
    assert status == 404 and again["error"]["code"] == "not_found"
    status, created = call_api(handlers, "POST", "/v1/transcripts", account["api_key"],
                               json_body={"audio_url": upload["audio_url"]})
    assert status == 200, created
    assert handlers.services.blobs.get_bytes(f"transcripts/{created['id']}/audio") == data
    call_api(handlers, "DELETE", f"/v1/transcripts/{created['id']}", account["api_key"])


def test_api_body_over_lambda_limit_points_to_uploads(handlers, account, tmp_path):
    big = tmp_path / "big.wav"
    big.write_bytes(b"RIFF" + b"\0" * 4_100_000)
    body, ctype = multipart({}, big)
    status, err = call_api(handlers, "POST", "/v1/transcripts", account["api_key"], body=body, content_type=ctype)
    assert status == 413 and "/v1/uploads" in err["error"]["message"]


def test_every_function_was_checked_against_its_policy(handlers, stack):
    """The IAM guard saw each function's calls (runs last in this module: they are all made by now),
    and it refuses what a role lacks: the calls that broke the first deploy."""
    from infra import policies

    seen = {(fn, f"{svc}.{op}") for fn, svc, op, _ in stack.iam.calls}
    functions = {fn for fn, _ in seen}
    assert functions == {"ApiFunction", "IngestFunction", "WebhookFunction", "SweeperFunction", "GpuWorkerPolicy"}
    for expected in [("ApiFunction", "s3.UploadPart"), ("ApiFunction", "s3.CompleteMultipartUpload"),
                     ("WebhookFunction", "sqs.ChangeMessageVisibility"), ("SweeperFunction", "dynamodb.Query"),
                     ("IngestFunction", "s3.CopyObject"), ("GpuWorkerPolicy", "dynamodb.PutItem")]:
        assert expected in seen, expected
    keys = {None: "pk", "by_active_status": "active_pk"}
    refused = [
        ("WebhookFunction", policies.requests_for("sqs", "GetQueueUrl", {"QueueName": "q"}, keys)),
        ("ApiFunction", policies.requests_for("s3", "ListMultipartUploads", {"Bucket": stack.bucket}, keys)),
        ("ApiFunction", policies.requests_for("s3", "AbortMultipartUpload",
                                              {"Bucket": stack.bucket, "Key": "uploads/p/u", "UploadId": "x"}, keys)),
        ("GpuWorkerPolicy", policies.requests_for("dynamodb", "GetItem",
                                                  {"TableName": stack.table, "Key": {"pk": {"S": "project#p"}}}, keys)),
        ("SweeperFunction", policies.requests_for("s3", "GetObject", {"Bucket": stack.bucket, "Key": "transcripts/x"}, keys)),
        ("IngestFunction", policies.requests_for("events", "PutEvents", {"Entries": [{"EventBusName": stack.bus}]}, keys)),
        ("ApiFunction", [policies.Request("dynamodb:Scan", f"arn:aws:dynamodb:{policies.REGION}:{policies.ACCOUNT}"
                                                           f":table/{stack.table}")]),
    ]
    for function, requests in refused:
        stmts = stack.iam.statements(function)
        assert not all(policies.allowed(stmts, r.action, r.resource, dict(r.context)) for r in requests), (function, requests)
    # Least privilege, the other way round: every action a role grants is one its function used here.
    used = {(fn, r.action) for fn, _, _, requests in stack.iam.calls for r in requests}
    not_exercised = {
        # the test process loads the Modal token once, in whichever function dispatches first
        ("IngestFunction", "secretsmanager:GetSecretValue"), ("SweeperFunction", "secretsmanager:GetSecretValue"),
        # a job deleted while it runs has its results deleted by the worker; here the API gets there first
        ("GpuWorkerPolicy", "s3:DeleteObject"),
        # the data plane's own endpoints, exercised (and checked call by call) in their modules:
        # progress writes and token redemption (test_gpu_app.py), the synchronous endpoint's
        # job removal and listing (test_sync_data_plane.py)
        ("GpuWorkerPolicy", "dynamodb:UpdateItem"), ("GpuWorkerPolicy", "dynamodb:DeleteItem"),
        ("GpuWorkerPolicy", "dynamodb:Query"),
        # webhook redelivery and transcript.deleted events from the API (test_interfaces_aws.py)
        ("ApiFunction", "events:PutEvents"),
    }
    for function in functions:
        granted = {a for st in stack.iam.statements(function) if st["Effect"] == "Allow"
                   for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"])}
        unused = {a for a in granted if (function, a) not in used | not_exercised}
        assert not unused, f"{function} is granted {sorted(unused)}, which none of its calls needs"

