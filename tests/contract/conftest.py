"""Every adapter of a port runs the same contract suite: add an implementation to the
`params` of its fixture and the whole suite runs against it. The AWS adapters run against
DynamoDB Local and a moto server, with resources made from template.yaml."""

from __future__ import annotations

import threading

import pytest

from infra import local_aws
from transcripts.adapters.file_blobs import FileBlobStore
from transcripts.adapters.local_webhooks import OutboxPublisher
from transcripts.adapters.sqlite_db import Database
from transcripts.adapters.sqlite_jobs import SqliteJobStore
from transcripts.adapters.sqlite_keys import SqliteKeyStore


def _table(aws):
    """A fresh table, as the AWS functions reach it (bootstrap's DynamoTable)."""
    from transcripts.adapters.aws.dynamo_table import DynamoTable

    return DynamoTable(aws.client("dynamodb"), local_aws.create_table(aws))


@pytest.fixture(params=["sqlite", "dynamodb"])
def job_store(request, tmp_path):
    if request.param == "sqlite":
        return SqliteJobStore(Database(tmp_path / "t.db"))
    from transcripts.adapters.aws.dynamo_jobs import DynamoJobStore

    aws = request.getfixturevalue("aws")
    return DynamoJobStore(_table(aws), retention_days=30)


@pytest.fixture(params=["files", "s3"])
def blob_store(request, tmp_path):
    if request.param == "files":
        return FileBlobStore(tmp_path / "blobs")
    from transcripts.adapters.aws.s3_blobs import S3BlobStore

    aws = request.getfixturevalue("aws")
    return S3BlobStore(aws.client("s3"), local_aws.create_bucket(aws))


@pytest.fixture(params=["sqlite", "dynamodb"])
def key_store(request, tmp_path):
    if request.param == "sqlite":
        return SqliteKeyStore(Database(tmp_path / "t.db"))
    from transcripts.adapters.aws.dynamo_keys import DynamoKeyStore

    aws = request.getfixturevalue("aws")
    return DynamoKeyStore(_table(aws))


@pytest.fixture(params=["sqlite-outbox", "eventbridge"])
def event_publisher(request, tmp_path):
    if request.param == "sqlite-outbox":
        return OutboxPublisher(Database(tmp_path / "t.db"), threading.Event())
    from transcripts.adapters.aws.eventbridge import DynamoDeliveryLog, EventBridgePublisher

    aws = request.getfixturevalue("aws")
    log = DynamoDeliveryLog(_table(aws))
    return EventBridgePublisher(aws.client("events"), local_aws.create_bus(aws), log)


@pytest.fixture(params=["sqlite", "dynamodb"])
def idempotency_store(request, tmp_path):
    if request.param == "sqlite":
        from transcripts.adapters.sqlite_idempotency import SqliteIdempotencyStore

        return SqliteIdempotencyStore(Database(tmp_path / "t.db"))
    from transcripts.adapters.aws.dynamo_idempotency import DynamoIdempotencyStore

    aws = request.getfixturevalue("aws")
    return DynamoIdempotencyStore(_table(aws))
