"""Every error leaves the API as `{"error": {"code", "message", "param"}}`."""

from __future__ import annotations

import errno
import json
import logging
import sqlite3

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..errors import ApiError, from_validation

log = logging.getLogger(__name__)

# Starlette's own refusals (routing, multipart parsing), each under a documented code.
HTTP_CODES = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed", 413: "file_too_large"}
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
SQLITE_FULL = 13


class ErrorResponse(JSONResponse):
    """ASCII-escaped JSON: an error message may quote client text that is not valid Unicode
    (a lone surrogate), which a UTF-8 body could not carry."""

    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def error_response(status: int, code: str, message: str, param: str | None = None, headers=None) -> ErrorResponse:
    return ErrorResponse({"error": {"code": code, "message": message, "param": param}}, status_code=status,
                         headers=headers)


def disk_full(exc: BaseException) -> bool:
    """The data directory's disk (or the database on it) is out of space."""
    if isinstance(exc, OSError) and exc.errno in DISK_FULL:
        return True
    return isinstance(exc, sqlite3.OperationalError) and getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL


INSUFFICIENT_STORAGE = (507, "insufficient_storage", "the server has no disk space left for this request; "
                        "nothing was stored, try again later")


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        headers = {"www-authenticate": "Bearer"} if exc.status == 401 else None
        return ErrorResponse(exc.body(), status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        err = from_validation(exc)
        return ErrorResponse(err.body(), status_code=err.status)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        code = HTTP_CODES.get(exc.status_code, "invalid_request" if exc.status_code < 500 else "internal_error")
        return error_response(exc.status_code, code, str(exc.detail), None, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        if disk_full(exc):
            log.error("disk full", extra={"path": request.url.path})
            return error_response(*INSUFFICIENT_STORAGE)
        log.exception("unhandled error", extra={"path": request.url.path})
        return error_response(500, "internal_error", "internal error")
