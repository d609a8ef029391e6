"""A loop on a daemon thread that can be stopped: the embedded default's sweeper and the worker
process's job feeder both run one."""

from __future__ import annotations

import threading

STOP_JOIN_S = 5.0  # how long stop() waits for the loop's current pass to end


class BackgroundLoop:
    """Subclasses write `_loop`, which runs until `self._stop` is set."""

    def __init__(self, name: str):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=STOP_JOIN_S)

    def _loop(self) -> None:
        raise NotImplementedError
