"""Dispatcher of the embedded default: a FIFO queue drained by a fixed pool of threads.

Jobs start in arrival order. The threads spend their time inside CTranslate2 and PyAV, which
release the GIL, so the API's event loop stays responsive while a long job runs.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from ..domain import Job
from ..ports import Dispatcher

log = logging.getLogger(__name__)

_STOP = object()


class LocalWorkerPool(Dispatcher):
    def __init__(self, run: Callable[[str], object], workers: int):
        self.run = run
        self.workers = workers
        self.queue: queue.Queue = queue.Queue()
        self._threads: list[threading.Thread] = []

    def dispatch(self, job: Job) -> None:
        self.queue.put(job.id)

    def start(self) -> None:
        for n in range(self.workers):
            thread = threading.Thread(target=self._loop, name=f"transcribe-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop taking jobs. A job still running is left `processing` and resumed on next start."""
        for _ in self._threads:
            self.queue.put(_STOP)
        for thread in self._threads:
            thread.join(timeout=timeout)
        self._threads.clear()

    def _loop(self) -> None:
        while True:
            job_id = self.queue.get()
            if job_id is _STOP:
                return
            try:
                self.run(job_id)
            except Exception:
                log.exception("worker loop error", extra={"job_id": job_id})
