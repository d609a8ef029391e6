"""Completed transcripts' results, kept in memory after the first read.

A result never changes once its job is completed (deleting the job is the only way it goes,
and every read checks the job record first), so GET of a completed transcript need not read
and parse the blob on every request. Bounded by the results' size in bytes, least recently
used out first."""

from __future__ import annotations

import threading
from collections import OrderedDict


class ResultCache:
    def __init__(self, max_bytes: int = 64 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[dict, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, job_id: str) -> dict | None:
        with self._lock:
            item = self._items.get(job_id)
            if item is None:
                return None
            self._items.move_to_end(job_id)
            return item[0]

    def put(self, job_id: str, body: dict, size: int) -> None:
        if size > self.max_bytes // 4:
            return  # one huge transcript would push out everything else
        with self._lock:
            if job_id in self._items:
                return
            self._items[job_id] = (body, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def forget(self, job_id: str) -> None:
        with self._lock:
            item = self._items.pop(job_id, None)
            if item is not None:
                self._bytes -= item[1]
