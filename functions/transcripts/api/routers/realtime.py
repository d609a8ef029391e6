"""Real-time transcription: `GET /v1/audio/transcriptions` upgraded to a WebSocket, and
`POST /v1/realtime/tokens` (one-session tokens for browsers). The work is in `streaming/`."""

from __future__ import annotations

import logging
import time

from fastapi import APIRouter, Depends, WebSocket
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ...errors import ApiError
from ...ports import Principal
from ...streaming.connection import Connection
from ..deps import principal, services

log = logging.getLogger(__name__)

router = APIRouter(tags=["realtime"])


@router.post("/v1/realtime/tokens")
def create_token(who: Principal = Depends(principal), svc=Depends(services)):
    """A token for one session, for clients that cannot send the Authorization header."""
    return svc.realtime.issue_token(who)


@router.websocket("/v1/audio/transcriptions")
async def transcribe_stream(websocket: WebSocket):
    rt = websocket.app.state.services.realtime
    try:
        who, params, options = await run_in_threadpool(
            rt.authorize, websocket.headers.get("authorization"), websocket.query_params.get("token"),
            websocket.query_params.multi_items())
        rt.slots.take(who.key_id)
    except ApiError as exc:  # refused before the upgrade, with the API's error body
        await _refuse(websocket, exc)
        return
    try:
        session = await run_in_threadpool(rt.new_session, params, options)
        await websocket.accept()
        started_ns = time.time_ns()

        def finish(s):
            return rt.save(who, options, s, started_ns) if params.save else None

        ending = await Connection(websocket, session, rt.limits, rt.executor).run(finish)
        log.info("real-time session ended", extra={"key_id": who.key_id, "audio_seconds": round(session.duration, 1),
                                                   "end": ending.code or ("disconnect" if ending.gone else "end"),
                                                   "saved": params.save})
    finally:
        rt.slots.give_back(who.key_id)


async def _refuse(websocket: WebSocket, exc: ApiError) -> None:
    """The HTTP error response (ASGI's WebSocket Denial Response). A server without that
    extension gets a close before the handshake completes, with code 4000 + the HTTP status
    (4401, 4400, 4429) and the error code as the reason."""
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        headers = {"www-authenticate": "Bearer"} if exc.status == 401 else None
        await websocket.send_denial_response(JSONResponse(exc.body(), exc.status, headers=headers))
    else:
        await websocket.close(4000 + exc.status, exc.code)
