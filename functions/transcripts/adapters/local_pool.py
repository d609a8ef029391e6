"""Dispatcher of the embedded default: per-owner queues drained by a fixed pool of threads.

Owners (API keys' projects) take turns: each free worker takes the oldest job of the next
owner in the rotation, so one client's hundred jobs do not hold everyone else's behind them.
`max_per_owner` caps how many jobs of one owner run at once (0: no cap). An owner's own jobs
start in arrival order. The threads spend their time inside CTranslate2 and PyAV, which
release the GIL, so the API's event loop stays responsive while a long job runs.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

from ..domain import Job
from ..ports import Dispatcher

log = logging.getLogger(__name__)


class LocalWorkerPool(Dispatcher):
    def __init__(self, run: Callable[[str], object], workers: int, max_per_owner: int = 0):
        self.run = run
        self.workers = workers
        self.max_per_owner = max_per_owner
        self._cond = threading.Condition()
        self._queues: dict[str, deque[str]] = {}
        self._turns: deque[str] = deque()  # owners with waiting jobs, next turn first
        self._running: dict[str, str] = {}  # job id -> owner
        self._stopping = False
        self._threads: list[threading.Thread] = []

    def dispatch(self, job: Job) -> None:
        self._enqueue(job, first=False)

    def resume(self, job: Job) -> None:
        """A job that was dropped (its start failed) goes back to the head of its owner's queue."""
        self._enqueue(job, first=True)

    def _enqueue(self, job: Job, first: bool) -> None:
        with self._cond:
            waiting = self._queues.setdefault(job.owner, deque())
            if job.id in waiting or job.id in self._running:
                return
            waiting.appendleft(job.id) if first else waiting.append(job.id)
            if job.owner not in self._turns:
                self._turns.append(job.owner)
            self._cond.notify()

    def holds(self, job_id: str) -> bool:
        """Whether the job waits here or runs on one of the threads (for the sweeper)."""
        with self._cond:
            return job_id in self._running or any(job_id in q for q in self._queues.values())

    def start(self) -> None:
        self._stopping = False
        for n in range(self.workers):
            thread = threading.Thread(target=self._loop, name=f"transcribe-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop taking jobs. A job still running is left `processing` and resumed on next start."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(timeout=timeout)
        self._threads.clear()

    def _take(self) -> tuple[str, str] | None:
        """The next owner in turn that is under its cap: its oldest job. Called under the lock."""
        for owner in list(self._turns):
            if self.max_per_owner and sum(o == owner for o in self._running.values()) >= self.max_per_owner:
                continue
            self._turns.remove(owner)
            waiting = self._queues[owner]
            job_id = waiting.popleft()
            if waiting:
                self._turns.append(owner)  # to the back of the rotation
            else:
                del self._queues[owner]
            self._running[job_id] = owner
            return job_id, owner
        return None

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._stopping and (taken := self._take()) is None:
                    self._cond.wait()
                if self._stopping:
                    return
            job_id, _ = taken
            try:
                self.run(job_id)
            except Exception:
                log.exception("worker loop error", extra={"job_id": job_id})
            finally:
                with self._cond:
                    self._running.pop(job_id, None)
                    self._cond.notify_all()
