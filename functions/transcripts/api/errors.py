"""Every error leaves the API as `{"error": {"code", "message", "param"}}`."""

from __future__ import annotations

import json
import logging
import sqlite3

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..errors import ApiError, disk_full, from_validation

log = logging.getLogger(__name__)

# Starlette's own refusals (routing, multipart parsing), each under a documented code.
HTTP_CODES = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed", 413: "file_too_large"}


class ErrorResponse(JSONResponse):
    """ASCII-escaped JSON: an error message may quote client text that is not valid Unicode
    (a lone surrogate), which a UTF-8 body could not carry."""

    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def error_response(status: int, code: str, message: str, param: str | None = None, headers=None) -> ErrorResponse:
    return ErrorResponse({"error": {"code": code, "message": message, "param": param}}, status_code=status,
                         headers=headers)


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

    async def _storage(request: Request, exc: Exception):
        """Handled here, not as an unexpected error: the connection stays usable."""
        if not disk_full(exc):
            raise exc
        log.error("disk full", extra={"path": request.url.path})
        return error_response(*INSUFFICIENT_STORAGE)

    app.add_exception_handler(OSError, _storage)
    app.add_exception_handler(sqlite3.OperationalError, _storage)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error", extra={"path": request.url.path})
        return error_response(500, "internal_error", "internal error")
