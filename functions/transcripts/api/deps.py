"""Request dependencies: the wired services and the caller's identity."""

from __future__ import annotations

from fastapi import Request

from ..errors import ApiError
from ..ports import Principal


def services(request: Request):
    return request.app.state.services


def principal(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise ApiError(401, "missing_api_key", "send your API key as 'Authorization: Bearer <key>'", "authorization")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "invalid_api_key", "the Authorization header must be 'Bearer <key>'", "authorization")
    who = request.app.state.services.keys.authenticate(token.strip())
    if who is None:
        raise ApiError(401, "invalid_api_key", "the API key is not valid", "authorization")
    return who
