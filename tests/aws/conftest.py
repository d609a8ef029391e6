"""The production path without AWS: the Lambda handlers, invoked with real event shapes,
against DynamoDB Local and a moto server whose resources come from template.yaml. Only the
Modal cloud is replaced, by an object with the shape of a Modal method (`.spawn()` returning
a FunctionCall with an `object_id`)."""

from __future__ import annotations

import base64
import json
import sys
import time
import uuid
from dataclasses import dataclass, field

import httpx
import pytest

from infra import local_aws, policies

from .iam_calls import acting_as, as_function, recording


@dataclass
class FunctionCall:
    object_id: str


@dataclass
class FakeModalMethod:
    """`.spawn()` like a Modal method; `states` says what each call is doing now."""

    spawned: list = field(default_factory=list)
    states: dict = field(default_factory=dict)

    def spawn(self, job_id: str) -> FunctionCall:
        self.spawned.append(job_id)
        call = FunctionCall(f"fc-{uuid.uuid4().hex[:12]}")
        self.states[call.object_id] = "running"
        return call

    def function_call(self, call_id: str):
        """Like modal.FunctionCall.from_id(): `.get(timeout=0)` raises TimeoutError while it runs."""
        state = self.states.get(call_id, "crashed")

        class Call:
            def get(self, timeout=None):
                if state == "running":
                    raise TimeoutError()
                if state == "crashed":
                    raise RuntimeError("container exited")
                return {"status": "completed"}

        return Call()


@dataclass
class LambdaContext:
    function_name: str = "transcripts-test"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:transcripts-test"
    aws_request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@dataclass
class Stack:
    aws: object
    table: str
    bucket: str
    bus: str
    webhook_queue: str  # the WebhookRule's target, read by the test as the function's trigger
    webhook_queue_arn: str
    ingest_queue: str
    ingest_queue_arn: str
    modal: FakeModalMethod
    env: dict
    iam: object = None  # iam_calls.Recorder: every call a function makes, checked against its policy


HANDLER_MODULES = ("api", "webhook", "ingest", "sweeper", "runtime")


def _drop_handlers():
    """Forget imported handler modules: the next import builds services from the current env."""
    import transcripts.handlers as package

    for name in HANDLER_MODULES:
        sys.modules.pop(f"transcripts.handlers.{name}", None)
        if hasattr(package, name):
            delattr(package, name)


@pytest.fixture(scope="module")
def stack(aws):
    table = local_aws.create_table(aws)
    bucket = local_aws.create_bucket(aws)
    bus = local_aws.create_bus(aws)
    webhook_queue, webhook_arn = local_aws.create_queue(aws)
    ingest_queue, ingest_arn = local_aws.create_queue(aws)
    local_aws.create_rule(aws, "WebhookRule", {}, webhook_arn, bus=bus)
    local_aws.create_rule(aws, "IngestRule", {"AudioBucket": bucket}, ingest_arn)
    sm = aws.client("secretsmanager")
    cursor = sm.create_secret(Name=local_aws.unique("cursor"), SecretString=uuid.uuid4().hex * 2)["ARN"]
    token = sm.create_secret(Name=local_aws.unique("modal"),
                             SecretString=json.dumps({"token_id": "ak-test", "token_secret": "as-test"}))["ARN"]
    env = {
        **aws.env(),
        "TRANSCRIPTS_BACKEND": "aws", "TRANSCRIPTS_TABLE_NAME": table, "TRANSCRIPTS_BUCKET_NAME": bucket,
        "TRANSCRIPTS_EVENT_BUS_NAME": bus, "TRANSCRIPTS_CURSOR_SECRET_ARN": cursor,
        "TRANSCRIPTS_WEBHOOK_QUEUE_URL": webhook_queue,
        "TRANSCRIPTS_MODAL_TOKEN_SECRET_ARN": token, "TRANSCRIPTS_OUTBOUND_ALLOWLIST": "127.0.0.1/32",
        "TRANSCRIPTS_WEBHOOK_RETRY_DELAYS_S": "1,1", "TRANSCRIPTS_MAX_REQUEST_BYTES": "4000000",
        "TRANSCRIPTS_WORKERS": "1", "POWERTOOLS_TRACE_DISABLED": "1", "POWERTOOLS_SERVICE_NAME": "transcripts",
        "POWERTOOLS_METRICS_NAMESPACE": "Transcripts",
    }
    modal = FakeModalMethod()
    bus_arn = aws.client("events").describe_event_bus(Name=bus)["Arn"]
    names = policies.Names(
        refs={"JobsTable": table, "AudioBucket": bucket, "EventBus": bus, "CursorSecret": cursor,
              "ModalTokenSecretArn": token, "WebhookQueue": webhook_queue, "IngestQueue": ingest_queue,
              "RetentionDays": 30},
        attrs={"JobsTable.Arn": f"arn:aws:dynamodb:{policies.REGION}:{policies.ACCOUNT}:table/{table}",
               "AudioBucket.Arn": f"arn:aws:s3:::{bucket}", "EventBus.Arn": bus_arn,
               "WebhookQueue.Arn": webhook_arn, "IngestQueue.Arn": ingest_arn})
    with pytest.MonkeyPatch.context() as mp, recording(names) as iam:
        for k, v in env.items():
            mp.setenv(k, v)
        mp.delenv("MODAL_TOKEN_ID", raising=False)
        mp.delenv("MODAL_TOKEN_SECRET", raising=False)
        import transcripts.adapters.modal_dispatch as modal_dispatch

        mp.setattr(modal_dispatch, "modal_method", lambda app_name: modal)
        mp.setattr(modal_dispatch, "function_call", modal.function_call)
        _drop_handlers()
        yield Stack(aws, table, bucket, bus, webhook_queue, webhook_arn, ingest_queue, ingest_arn, modal, env, iam)
        _drop_handlers()


class Function:
    """A handler module whose `handler` runs as its function (template.yaml's logical id)."""

    def __init__(self, module, logical_id: str):
        self.module, self.handler = module, as_function(logical_id, module.handler)

    def __getattr__(self, name):
        return getattr(self.module, name)


GPU_WORKER = policies.GPU_WORKER


@pytest.fixture(scope="module")
def handlers(stack):
    from transcripts.handlers import api, ingest, runtime, sweeper, webhook

    return type("Handlers", (), {"api": Function(api, "ApiFunction"), "ingest": Function(ingest, "IngestFunction"),
                                 "webhook": Function(webhook, "WebhookFunction"),
                                 "sweeper": Function(sweeper, "SweeperFunction"), "services": runtime.services()})


@pytest.fixture(autouse=True)
def every_aws_call_is_allowed(request):
    """After each test: no function made a call its IAM policy would refuse."""
    yield
    if "stack" in request.fixturenames:
        problems = request.getfixturevalue("stack").iam.take_problems()
        assert not problems, "calls the deployed roles would refuse:\n" + "\n".join(problems)


def run_as_gpu_worker(fn, *args):
    """What the Modal GPU function runs, with the GPU worker's IAM policy."""
    with acting_as(GPU_WORKER):
        return fn(*args)


def http_event(method: str, path: str, key: str | None = None, body: bytes = b"", content_type: str | None = None,
               query: str = "") -> dict:
    """An API Gateway HTTP API (payload 2.0) event, body base64 as API Gateway sends binaries."""
    headers = {"host": "api.example.com", "user-agent": "pytest"}
    if key:
        headers["authorization"] = f"Bearer {key}"
    if content_type:
        headers["content-type"] = content_type
    now = int(time.time() * 1000)
    return {
        "version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": query,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012", "apiId": "api", "domainName": "api.example.com", "domainPrefix": "api",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.9",
                     "userAgent": "pytest"},
            "requestId": uuid.uuid4().hex, "routeKey": "$default", "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime()), "timeEpoch": now,
        },
        "body": base64.b64encode(body).decode(), "isBase64Encoded": True,
    }


def multipart(fields: dict, path) -> tuple[bytes, str]:
    request = httpx.Request("POST", "http://x/", data=fields, files={"audio_file": (path.name, path.read_bytes())})
    return request.read(), request.headers["content-type"]


def call_api(handlers, method, path, key=None, json_body=None, body=b"", content_type=None, query=""):
    if json_body is not None:
        body, content_type = json.dumps(json_body).encode(), "application/json"
    resp = handlers.api.handler(http_event(method, path, key, body, content_type, query), LambdaContext())
    raw = base64.b64decode(resp["body"]) if resp.get("isBase64Encoded") else (resp.get("body") or "").encode()
    return resp["statusCode"], (json.loads(raw) if raw else None)


def sqs_event(aws, queue_url: str, queue_arn: str, wait_s: float = 10, max_messages: int = 10) -> dict:
    """Receive what is on a queue and wrap it as Lambda's SQS event."""
    sqs = aws.client("sqs")
    deadline = time.monotonic() + wait_s
    messages = []
    while not messages and time.monotonic() < deadline:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=max_messages, WaitTimeSeconds=1,
                                       AttributeNames=["All"]).get("Messages", [])
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": m.get("Attributes", {}), "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
        "eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": "us-east-1",
    } for m in messages]}


def settle(aws, queue_url: str, event: dict, response: dict) -> list[str]:
    """What Lambda's event source mapping does after a batch: delete the messages that
    succeeded, leave the reported failures on the queue. Returns the failed message ids."""
    failed = [f["itemIdentifier"] for f in (response or {}).get("batchItemFailures", [])]
    for record in event["Records"]:
        if record["messageId"] not in failed:
            aws.client("sqs").delete_message(QueueUrl=queue_url, ReceiptHandle=record["receiptHandle"])
    return failed
