"""Request dependencies: the wired services and the caller's identity.

Both are `async`: FastAPI runs a plain `def` dependency on a worker thread, and on the
embedded default the work (a SQLite read by primary key) takes microseconds while each trip
to the thread pool and back costs more and queues behind the other requests under load. Stores
that call out over the network (DynamoDB on AWS) still run on a thread (`quick`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from ..errors import ApiError
from ..ports import Principal

T = TypeVar("T")


async def services(request: Request):
    return request.app.state.services


async def quick(request: Request, fn: Callable[..., T], *args) -> T:
    """`fn(*args)` on the event loop where the stores are local (a SQLite read, a small file),
    else on the thread pool."""
    if getattr(request.app.state, "local_stores", False):
        return fn(*args)
    return await run_in_threadpool(fn, *args)


async def principal(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise ApiError(401, "missing_api_key", "send your API key as 'Authorization: Bearer <key>'", "authorization")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "invalid_api_key", "the Authorization header must be 'Bearer <key>'", "authorization")
    who = await quick(request, request.app.state.services.keys.authenticate, token.strip())
    if who is None:
        raise ApiError(401, "invalid_api_key", "the API key is not valid", "authorization")
    return who
