"""Errors with a stable machine code, shared by the API (HTTP 4xx) and jobs (status "error")."""

from __future__ import annotations

import errno
import sqlite3

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
SQLITE_FULL = 13


def disk_full(exc: BaseException) -> bool:
    """The data directory's disk (or the database on it) is out of space."""
    if isinstance(exc, OSError) and exc.errno in DISK_FULL:
        return True
    return isinstance(exc, sqlite3.OperationalError) and getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL


class ApiError(Exception):
    """A client error answered as `{"error": {"code", "message", "param"}}` with `status`."""

    def __init__(self, status: int, code: str, message: str, param: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.param = param

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "param": self.param}}


def invalid(param: str | None, message: str, code: str = "invalid_parameter") -> ApiError:
    return ApiError(400, code, message, param)


def from_validation(exc) -> ApiError:
    """The first problem of a pydantic ValidationError (or FastAPI's RequestValidationError),
    named by its parameter."""
    first = exc.errors()[0]
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query")]
    param = loc[0] if loc else None
    if first.get("type") in ("multichannel", "redact_audio_mode"):
        param = first["type"]
    if first.get("type") == "hints":  # a rule across the speaker hints: name the first one given
        param = next((n for n in ("speakers_expected", "min_speakers", "max_speakers") if n in first["msg"]),
                     "speakers_expected")
    if first.get("type") == "extra_forbidden":
        return ApiError(400, "unknown_parameter", f"unknown parameter {param!r}", param)
    message = first.get("msg", "invalid value").removeprefix("Value error, ")
    where = ".".join(loc) or "request"
    return ApiError(400, "invalid_parameter", f"{where}: {message}", param)


class JobFailed(Exception):
    """A job ended in `error`: `code` is stable and documented, `message` never holds PII."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class JobCancelled(Exception):
    """The job was deleted while it ran: the worker stops and writes nothing back."""
