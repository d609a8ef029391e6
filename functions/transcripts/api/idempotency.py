"""`Idempotency-Key` on the POSTs that create things, with Stripe's semantics: the same key
with the same request within 24 h answers the first response again (header
`Idempotent-Replayed: true`); the same key with a different request answers
`409 idempotency_key_reused`; while the first is still running, `409 idempotency_key_in_use`.
Keys are per API key's project. A refused (4xx) or failed request saves nothing, so a
corrected retry runs."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ..errors import ApiError
from ..ports import Principal

HEADER = "idempotency-key"
TTL_S = 24 * 3600
MAX_KEY_CHARS = 255


def fingerprint(path: str, fields: dict, file_stream=None) -> str:
    """The request as parsed (a multipart boundary differs on every retry; the fields and the
    file's bytes do not)."""
    digest = hashlib.sha256(path.encode() + b"\0" + json.dumps(fields, sort_keys=True, default=str).encode())
    if file_stream is not None:
        file_stream.seek(0)
        while chunk := file_stream.read(1024 * 1024):
            digest.update(chunk)
        file_stream.seek(0)
    return digest.hexdigest()


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_CHARS or not key.isprintable() or not key.isascii():
        raise ApiError(400, "invalid_parameter", f"Idempotency-Key must be 1 to {MAX_KEY_CHARS} printable ASCII "
                       "characters", "Idempotency-Key")
    return key


async def once(request: Request, who: Principal, store, make_fingerprint: Callable[[], str],
               run: Callable[[], Awaitable[dict]]):
    """Run `run()` at most once per (project, Idempotency-Key); without the header, always."""
    key = idempotency_key(request)
    if key is None or store is None:
        return await run()
    mark = await run_in_threadpool(make_fingerprint)
    record = await run_in_threadpool(store.reserve, who.project_id, key, mark, time.time_ns(), TTL_S)
    if record is not None:
        if record.fingerprint != mark:
            raise ApiError(409, "idempotency_key_reused", "this Idempotency-Key was used with a different request "
                           "in the last 24 hours; use a new key for a new request", "Idempotency-Key")
        if record.status is None:
            raise ApiError(409, "idempotency_key_in_use", "a request with this Idempotency-Key is still running; "
                           "retry in a moment", "Idempotency-Key")
        return Response(record.body, status_code=record.status, media_type="application/json",
                        headers={"idempotent-replayed": "true"})
    try:
        body = await run()
    except BaseException:
        await run_in_threadpool(store.release, who.project_id, key)
        raise
    await run_in_threadpool(store.complete, who.project_id, key, 200, json.dumps(body))
    return body
