"""Concurrent sessions per API key, counted in this process (one server, or one data-plane
container: see README for what that means in production)."""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager

from ..errors import ApiError


class SessionSlots:
    def __init__(self, per_key: int):
        self.per_key = per_key
        self._open: Counter[str] = Counter()
        self._lock = threading.Lock()

    def take(self, key_id: str) -> None:
        with self._lock:
            if self._open[key_id] >= self.per_key:
                raise ApiError(429, "too_many_sessions", f"this API key has {self.per_key} real-time sessions open, "
                               "the most it may; end one first", None)
            self._open[key_id] += 1

    def total(self) -> int:
        """Sessions open in this process, all keys together."""
        with self._lock:
            return sum(self._open.values())

    def give_back(self, key_id: str) -> None:
        with self._lock:
            self._open[key_id] -= 1
            if self._open[key_id] <= 0:
                del self._open[key_id]

    @contextmanager
    def held(self, key_id: str):
        self.take(key_id)
        try:
            yield
        finally:
            self.give_back(key_id)
