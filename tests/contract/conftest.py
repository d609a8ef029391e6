"""Every adapter of a port runs the same contract suite: add an implementation to the
`params` of its fixture and the whole suite runs against it (the AWS adapters join here)."""

from __future__ import annotations

import threading

import pytest

from transcripts.adapters.file_blobs import FileBlobStore
from transcripts.adapters.local_webhooks import OutboxPublisher
from transcripts.adapters.sqlite_db import Database
from transcripts.adapters.sqlite_jobs import SqliteJobStore
from transcripts.adapters.sqlite_keys import SqliteKeyStore


@pytest.fixture(params=["sqlite"])
def job_store(request, tmp_path):
    if request.param == "sqlite":
        return SqliteJobStore(Database(tmp_path / "t.db"))
    raise AssertionError(request.param)


@pytest.fixture(params=["files"])
def blob_store(request, tmp_path):
    if request.param == "files":
        return FileBlobStore(tmp_path / "blobs")
    raise AssertionError(request.param)


@pytest.fixture(params=["sqlite"])
def key_store(request, tmp_path):
    if request.param == "sqlite":
        return SqliteKeyStore(Database(tmp_path / "t.db"))
    raise AssertionError(request.param)


@pytest.fixture(params=["sqlite-outbox"])
def event_publisher(request, tmp_path):
    if request.param == "sqlite-outbox":
        return OutboxPublisher(Database(tmp_path / "t.db"), threading.Event())
    raise AssertionError(request.param)
