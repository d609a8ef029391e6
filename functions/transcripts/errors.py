"""Errors with a stable machine code, shared by the API (HTTP 4xx) and jobs (status "error")."""

from __future__ import annotations


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


class JobFailed(Exception):
    """A job ended in `error`: `code` is stable and documented, `message` never holds PII."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class JobCancelled(Exception):
    """The job was deleted while it ran: the worker stops and writes nothing back."""
