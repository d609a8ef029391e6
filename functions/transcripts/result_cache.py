"""Completed transcripts, rendered, kept in memory after the first read.

A completed transcript never changes (deleting the job is the only way it goes, and every read
checks the job record first), so GET of a completed transcript need not read the result blob,
parse it and render the object again on every request. Entries are keyed by id and a version
(the completion time): a version that differs is a miss. Bounded by size in bytes, least
recently used out first."""

from __future__ import annotations

import threading
from collections import OrderedDict


class ResultCache:
    def __init__(self, max_bytes: int = 64 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[object, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, job_id: str, version: object) -> bytes | None:
        with self._lock:
            item = self._items.get(job_id)
            if item is None or item[0] != version:
                return None
            self._items.move_to_end(job_id)
            return item[1]

    def put(self, job_id: str, version: object, rendered: bytes) -> None:
        if len(rendered) > self.max_bytes // 4:
            return  # one huge transcript would push out everything else
        with self._lock:
            self._drop(job_id)
            self._items[job_id] = (version, rendered)
            self._bytes += len(rendered)
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def forget(self, job_id: str) -> None:
        with self._lock:
            self._drop(job_id)

    def _drop(self, job_id: str) -> None:
        item = self._items.pop(job_id, None)
        if item is not None:
            self._bytes -= len(item[1])
