"""One real server per module, driven over HTTP like a client would."""

from __future__ import annotations

import pytest

from helpers import Client, Server

MAX_UPLOAD_BYTES = 2_000_000
MAX_DURATION_S = 60

SERVER_ENV = {
    "TRANSCRIPTS_OUTBOUND_ALLOWLIST": "127.0.0.1/32",
    "TRANSCRIPTS_WEBHOOK_RETRY_DELAYS_S": "0.3,0.6,1.2",
    "TRANSCRIPTS_MAX_UPLOAD_BYTES": str(MAX_UPLOAD_BYTES),
    "TRANSCRIPTS_MAX_DURATION_S": str(MAX_DURATION_S),
    "TRANSCRIPTS_WORKERS": "1",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("server") / "data", dict(SERVER_ENV)).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def account(server):
    """A fresh key (its own project) with its webhook secret."""
    return server.create_key()


@pytest.fixture(scope="module")
def client(server, account):
    return Client(server.url, account["api_key"])


@pytest.fixture
def new_client(server):
    def make():
        return Client(server.url, server.create_key()["api_key"])

    return make
