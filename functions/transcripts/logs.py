"""Structured JSON logs on stderr. Callers log ids and codes only: never transcript text,
audio URLs or other client content (PHI/PII must not reach logs)."""

from __future__ import annotations

import json
import logging
import re
import sys
import time

# The real-time WebSocket takes a one-session token in its query string; the server's own
# connection log line shows the query, so the token is masked there.
_TOKEN_IN_QUERY = re.compile(r"([?&]token=)[^&\s\"]+")

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": _TOKEN_IN_QUERY.sub(r"\1[redacted]", record.getMessage()),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("faster_whisper", "httpcore"):
        logging.getLogger(noisy).setLevel("WARNING")
