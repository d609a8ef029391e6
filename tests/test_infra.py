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
