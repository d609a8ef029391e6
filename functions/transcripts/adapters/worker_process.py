"""The embedded default's worker in a process of its own (`TRANSCRIPTS_WORKER=process`).

Transcription in the API's process competes with the event loop for the interpreter and the
CPU: under load a GET waited hundreds of milliseconds behind it. So the server spawns
`transcripts worker` as a child and only nudges it. The database is the queue: a job is
claimed by its conditional `queued -> processing` transition (an IMMEDIATE transaction), so
no job runs twice, and a nudge that is lost costs at most one poll interval.

`WorkerProcess` is the server's side: a Dispatcher (and the outbox's wake) that writes a byte
to the child's stdin, starts the child again when it dies, and stops it with the server.
`ParentWatch` is the child's side: it feeds queued jobs to the child's worker pool when
nudged or every `poll_s`, and ends the child when the server's end of the pipe closes (the
server died, even by SIGKILL).
"""

from __future__ import annotations

import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from ..background import BackgroundLoop
from ..domain import Job, Status
from ..ports import Dispatcher, JobStore

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 15.0  # the child's own clean stop takes at most its pool's and sender's joins
RESTART_DELAYS_S = (0.5, 1, 2, 5, 10, 30)
HEALTHY_AFTER_S = 60.0  # a child that ran this long starts the backoff again from the shortest delay


def child_env(settings) -> dict[str, str]:
    """The server's settings as TRANSCRIPTS_* variables, so the child sees what the server was
    given (also settings passed in code or on the command line, not only the environment)."""
    env = dict(os.environ)
    for name in settings.model_fields_set | {"data_dir"}:
        value = getattr(settings, name)
        if value is None:
            continue
        env[f"TRANSCRIPTS_{name.upper()}"] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return env


class WorkerProcess(Dispatcher):
    """Runs `transcripts worker --supervised` beside the server and keeps it running."""

    def __init__(self, settings, command: list[str] | None = None):
        self.settings = settings
        self.command = command or [sys.executable, "-m", "transcripts.cli", "worker", "--supervised",
                                   "--data-dir", str(settings.data_dir)]
        self.proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._monitor: threading.Thread | None = None

    # Dispatcher: the job is in the database already; the child only needs to look.
    def dispatch(self, job: Job) -> None:
        self.nudge()

    def set(self) -> None:
        """The outbox's wake (a webhook delivery to send): the child runs the sender."""
        self.nudge()

    def nudge(self) -> None:
        with self._lock:
            proc = self.proc
        if proc is None or proc.stdin is None:
            return
        try:
            os.write(proc.stdin.fileno(), b".")
        except (BlockingIOError, BrokenPipeError, OSError, ValueError):
            pass  # a full pipe already holds a nudge; a dead child is started again and looks anyway

    def start(self) -> None:
        self._stopping.clear()
        self._spawn()
        self._monitor = threading.Thread(target=self._watch, name="worker-process", daemon=True)
        self._monitor.start()

    def _spawn(self) -> None:
        with self._lock:  # under the lock: a stop() that has begun sees this child or none
            if self._stopping.is_set():
                return
            proc = subprocess.Popen(self.command, stdin=subprocess.PIPE, env=child_env(self.settings),
                                    close_fds=True)
            os.set_blocking(proc.stdin.fileno(), False)
            self.proc = proc
        log.info("worker process started", extra={"pid": proc.pid})

    def _watch(self) -> None:
        """Start the child again whenever it ends while the server runs, with a growing delay."""
        failures = 0
        while not self._stopping.is_set():
            with self._lock:
                proc = self.proc
            started = time.monotonic()
            code = proc.wait()
            if self._stopping.is_set():
                return
            failures = 0 if time.monotonic() - started > HEALTHY_AFTER_S else failures + 1
            delay = RESTART_DELAYS_S[min(failures, len(RESTART_DELAYS_S) - 1)]
            log.warning("worker process ended; starting it again", extra={"exit_code": code, "delay_s": delay})
            if self._stopping.wait(delay):
                return
            self._spawn()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after STOP_TIMEOUT_S. A job it was running stays `processing`
        and the next worker takes it again (see recovery.recover_jobs)."""
        with self._lock:
            self._stopping.set()
            proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc is not None and proc.stdin is not None:
            proc.stdin.close()
        if self._monitor is not None:
            self._monitor.join(timeout=5)


class ParentWatch(BackgroundLoop):
    """The child's side: hands queued jobs to the pool (nudged through stdin, or every
    `poll_s`), wakes the webhook sender, and calls `on_orphaned` when the server is gone."""

    def __init__(self, jobs: JobStore, dispatch: Callable[[Job], None], wake: threading.Event, poll_s: float,
                 on_orphaned: Callable[[], None], supervised: bool):
        self.jobs, self.dispatch, self.wake, self.poll_s = jobs, dispatch, wake, poll_s
        self.on_orphaned, self.supervised = on_orphaned, supervised
        super().__init__("job-feeder")

    def _wait(self) -> bool:
        """Until a nudge or poll_s; False once the server's end of the pipe is closed."""
        if not self.supervised:
            self._stop.wait(self.poll_s)
            return True
        ready, _, _ = select.select([sys.stdin.fileno()], [], [], self.poll_s)
        if ready:
            return os.read(sys.stdin.fileno(), 4096) != b""
        return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                for job in self.jobs.with_status(Status.QUEUED):
                    if not job.sync:  # a synchronous request runs its own job in the server
                        self.dispatch(job)
            except Exception as exc:  # a locked or full database: the next pass tries again
                log.warning("looking for queued jobs failed", extra={"error": type(exc).__name__})
            self.wake.set()  # deliveries written by the server (redeliver, deletes) are sent from here
            if not self._wait():
                log.warning("the server is gone; the worker stops")
                self.on_orphaned()
                return


def die_with_parent() -> None:
    """Linux: SIGTERM this process when its parent dies, even by SIGKILL (belt to the pipe's braces)."""
    parent_pid = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # it died before the call took effect
        os.kill(os.getpid(), signal.SIGTERM)
