"""The deployment files agree with the code."""

from __future__ import annotations

from infra import cfn, requirements
from transcripts.settings import Settings


def test_template_environment_names_are_settings():
    env = cfn.function_environment()
    ours = [name for name in env if name.startswith("TRANSCRIPTS_")]
    fields = set(Settings.model_fields)
    unknown = [name for name in ours if name.removeprefix("TRANSCRIPTS_").lower() not in fields]
    assert not unknown, f"template.yaml sets variables the settings class does not read: {unknown}"
    for required in ("backend", "table_name", "bucket_name", "event_bus_name", "cursor_secret_arn"):
        assert f"TRANSCRIPTS_{required.upper()}" in env


def test_lambda_requirements_are_generated_and_current():
    assert (requirements.OUT.read_text() == requirements.render()), "run: python -m infra.requirements"
    names = {line.split("==")[0] for line in requirements.OUT.read_text().splitlines() if "==" in line}
    assert {"fastapi", "mangum", "aws-lambda-powertools", "boto3"} <= names
    assert not names & (requirements.FORBIDDEN | {"av"})


def test_table_has_recovery_ttl_and_no_scan_indexes():
    props = cfn.resource("JobsTable")["Properties"]
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert {i["IndexName"] for i in props["GlobalSecondaryIndexes"]} == {"by_owner", "by_owner_status", "by_active_status"}


def test_bucket_is_private_and_encrypted():
    props = cfn.resource("AudioBucket")["Properties"]
    assert all(props["PublicAccessBlockConfiguration"].values())
    rules = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rules[0]["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms")
    assert any(r.get("Prefix") == "inbox/" for r in props["LifecycleConfiguration"]["Rules"])


# ---------------------------------------------------------------- issue 18: what a first deploy needs

def _fn(logical_id: str) -> dict:
    return cfn.resource(logical_id)["Properties"]


def _queue_event(logical_id: str) -> dict:
    return next(iter(_fn(logical_id)["Events"].values()))["Properties"]


def test_webhook_receives_bound_the_retry_schedule():
    """Each receive is one attempt: the redrive must come after the last retry, not before."""
    assert "TRANSCRIPTS_WEBHOOK_RETRY_DELAYS_S" not in cfn.function_environment()
    redrive = cfn.resource("WebhookQueue")["Properties"]["RedrivePolicy"]
    assert redrive["maxReceiveCount"] == len(Settings().retry_delays) + 1


def test_queue_visibility_is_six_function_timeouts():
    for queue, function in (("WebhookQueue", "WebhookFunction"), ("IngestQueue", "IngestFunction")):
        assert cfn.resource(queue)["Properties"]["VisibilityTimeout"] >= 6 * _fn(function)["Timeout"]


def test_webhook_function_has_time_for_one_slow_attempt():
    settings = Settings()
    assert _queue_event("WebhookFunction")["BatchSize"] == 1
    # connect, write and read of one attempt at their limits, with room for a second address
    assert _fn("WebhookFunction")["Timeout"] >= 4 * settings.webhook_timeout_s + 10
    env = _fn("WebhookFunction")["Environment"]["Variables"]
    assert env["TRANSCRIPTS_WEBHOOK_QUEUE_URL"] == {"Ref": "WebhookQueue"}


def test_alarms_can_notify_and_count_idle_functions():
    topic = cfn.resource("AlarmTopic").get("Properties") or {}
    assert topic.get("KmsMasterKeyId") is None, "CloudWatch cannot publish to a topic under alias/aws/sns"
    metrics = cfn.resource("FunctionErrorsAlarm")["Properties"]["Metrics"]
    expression = next(m["Expression"] for m in metrics if "Expression" in m)
    for metric in metrics:
        if "MetricStat" in metric:
            assert f"FILL({metric['Id']}, 0)" in expression


def test_api_route_cors_and_parameters():
    event = next(iter(_fn("ApiFunction")["Events"].values()))["Properties"]
    assert event["Path"] == "$default"
    assert _fn("HttpApi")["CorsConfiguration"]["AllowOrigins"] == {"Ref": "CorsAllowedOrigins"}
    [rule] = cfn.resource("AudioBucket")["Properties"]["CorsConfiguration"]["CorsRules"]
    assert "PUT" in rule["AllowedMethods"] and rule["ExposedHeaders"] == ["ETag"]
    import re

    pattern = cfn.load()["Parameters"]["ModalTokenSecretArn"]["AllowedPattern"]
    assert re.fullmatch(pattern, "") and re.fullmatch(pattern, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:m-Ab12")
    assert not re.fullmatch(pattern, "transcripts/modal-token")


def _expanded(function: str) -> list[dict]:
    import json

    from infra import policies

    out = []
    for policy in json.loads(policies.OUT.read_text())["policies"][function]:
        policy = policy.get("Fn::If", [None, policy])[1]
        out += policy["PolicyDocument"]["Statement"]
    return out


def _actions(function: str) -> set[str]:
    return {a for st in _expanded(function) for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"])}


def test_roles_are_narrow_as_sam_expands_them():
    from infra import policies

    for function in (*policies.FUNCTIONS, policies.GPU_WORKER):
        actions = _actions(function)
        assert not actions & {"dynamodb:Scan", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem",
                              "s3:PutLifecycleConfiguration", "s3:PutObjectAcl"}, function
    assert not any(a.startswith("s3:") for a in _actions("SweeperFunction"))
    assert "events:PutEvents" not in _actions("IngestFunction")
    [events] = [st for st in _expanded("ApiFunction") if st.get("Sid") == "Events"]  # redelivery only, one bus
    assert events["Action"] == "events:PutEvents" and "EventBus" in str(events["Resource"])
    # The GPU worker never reads project# items (webhook secrets): its item access is held to these prefixes.
    [jobs] = [st for st in _expanded(policies.GPU_WORKER) if st.get("Sid") == "Jobs"]
    assert jobs["Condition"] == {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [
        "job#*", "delivery#*", "key#*", "rtoken#*"]}}
    # S3 answers a missing key with 404 only to a caller allowed an unconditioned ListBucket.
    for function in ("ApiFunction", "IngestFunction", "WebhookFunction", policies.GPU_WORKER):
        assert any(st.get("Action") == "s3:ListBucket" and "Condition" not in st for st in _expanded(function))


REGIONS = ("us-east-1", "us-west-1", "eu-west-1", "ap-southeast-2", "eu-central-1", "ap-south-2")


def test_presigned_urls_are_regional_sigv4(monkeypatch):
    from urllib.parse import parse_qs, urlsplit

    from transcripts.adapters.aws.s3_client import s3_client

    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    for region in REGIONS:
        s3 = s3_client(region)
        urls = [s3.generate_presigned_url("put_object", Params={"Bucket": "audio-bucket-1", "Key": "uploads/p/u"}),
                s3.generate_presigned_url("upload_part", Params={"Bucket": "audio-bucket-1", "Key": "uploads/p/u",
                                                                 "UploadId": "x", "PartNumber": 1}),
                s3.generate_presigned_url("get_object", Params={"Bucket": "audio-bucket-1", "Key": "transcripts/j/a"})]
        for url in urls:
            parts = urlsplit(url)
            query = parse_qs(parts.query)
            assert parts.scheme == "https" and parts.hostname == f"audio-bucket-1.s3.{region}.amazonaws.com", url
            assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"], url
            assert f"/{region}/s3/aws4_request" in query["X-Amz-Credential"][0], url


def test_gpu_image_pins_share_the_cpu_pins_or_say_why():
    """One source of truth: an image pin that differs from constraints.txt is listed under
    [differs] in gpu_app/image.toml with its reason, and every [differs] entry does differ."""
    import tomllib

    from packaging.utils import canonicalize_name

    from gpu_app.app import _name, image_packages

    spec = tomllib.loads((requirements.ROOT / "gpu_app" / "image.toml").read_text())
    differs = {canonicalize_name(n): d for n, d in spec["differs"].items()}
    cpu = requirements._pins()
    for req in image_packages():
        name = _name(req)
        if "==" not in req or name not in cpu:
            continue
        version = req.split("==", 1)[1]
        if name in differs:
            assert len(differs[name]["reason"]) > 40 and cpu[name] != version, name
        else:
            assert cpu[name] == version, f"{name}: image {version}, constraints.txt {cpu[name]}: add a reason or align"
    assert set(differs) <= {_name(r) for r in image_packages()}
