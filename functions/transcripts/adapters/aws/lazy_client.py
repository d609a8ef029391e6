"""A boto3 client made at its first use.

Making a client loads its service's model (tens of milliseconds each, in the Lambda init
phase); the API function's requests all need the table, but only some need S3, EventBridge or
Secrets Manager, and a cold start should not pay for the clients its request never calls."""

from __future__ import annotations

import threading
from collections.abc import Callable


class LazyClient:
    def __init__(self, make: Callable[[], object]):
        self._make = make
        self._client = None
        self._lock = threading.Lock()

    def _get(self):
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._make()
        return self._client

    def __getattr__(self, name: str):
        return getattr(self._get(), name)
