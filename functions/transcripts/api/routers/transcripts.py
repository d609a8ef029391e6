"""`/v1/transcripts`: create, retrieve, list, delete (and the webhook log of one transcript)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, StreamingResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from ...errors import ApiError
from ...ports import Principal
from ...service import Upload
from ..deps import principal, quick, services
from ...errors import from_validation
from ..form import parse_form, parse_json_body, read_form
from ..idempotency import fingerprint, once
from ..schemas import ListQueryParams, SubtitleParams, TranscriptCreate

router = APIRouter(prefix="/v1/transcripts", tags=["transcripts"])


# The create request's body in /openapi.json (JSON, multipart and urlencoded, from
# TranscriptCreate) is written by `openapi.describe` when the schema is first asked for: the body
# is parsed by hand (to reject unknown fields in every encoding), so FastAPI cannot infer it.
@router.post("")
async def create_transcript(request: Request, who: Principal = Depends(principal), svc=Depends(services)):
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    upload = None
    if content_type == "application/json":
        data = parse_json_body(await request.body())
    elif content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await read_form(request)
        try:
            data, upload = parse_form(form)
            return await _create_once(request, svc, who, data, upload)
        finally:
            await form.close()
    else:
        raise ApiError(415, "unsupported_content_type",
                       "send multipart/form-data (with audio_file), application/json or a urlencoded form", None)
    return await _create_once(request, svc, who, data, upload)


async def _create_once(request: Request, svc, who: Principal, data: dict, upload):
    def mark() -> str:
        return fingerprint(request.url.path, data, upload.file if upload is not None else None)

    return await once(request, who, svc.idempotency, mark, lambda: _create(svc, who, data, upload))


async def _create(svc, who: Principal, data: dict, upload) -> dict:
    try:
        req = TranscriptCreate.model_validate(data)
    except ValidationError as exc:
        raise from_validation(exc) from None
    file = None
    if upload is not None:
        file = Upload(stream=upload.file, size=upload.size or 0, filename=upload.filename)
    return await run_in_threadpool(svc.transcripts.create, who, req, file)


# GET one and the list are the API's hottest reads: they call `principal` themselves instead of
# through Depends (FastAPI's dependency solving was a third of their time in the process).
@router.get("")
async def list_transcripts(request: Request):
    who, svc = await principal(request), request.app.state.services
    return JSONResponse(await quick(request, svc.transcripts.list, who, _query(request, ListQueryParams)))


def _query(request: Request, model):
    """The query string as `model`, each parameter given once (a repeated one answers 400)."""
    params = dict(request.query_params)
    if len(params) != len(request.query_params.multi_items()):
        raise ApiError(400, "invalid_parameter", "each query parameter may be given once", None)
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        raise from_validation(exc) from None


@router.get("/{transcript_id}")
async def get_transcript(request: Request, transcript_id: str):
    """The object of a completed transcript comes rendered from the service's cache, as JSON."""
    who, svc = await principal(request), request.app.state.services
    return Response(await quick(request, svc.transcripts.get_json, who, transcript_id),
                    media_type="application/json")


@router.delete("/{transcript_id}", status_code=204)
def delete_transcript(transcript_id: str, who: Principal = Depends(principal), svc=Depends(services)):
    svc.transcripts.delete(who, transcript_id)
    return Response(status_code=204)


@router.get("/{transcript_id}/audio")
def transcript_audio(transcript_id: str, who: Principal = Depends(principal), svc=Depends(services)):
    """(extension) The stored recording: for a redacted transcript, the redacted copy."""
    recording = svc.transcripts.recording(who, transcript_id)
    if recording.url:
        return RedirectResponse(recording.url, status_code=307)

    def chunks():
        try:
            while chunk := recording.stream.read(1024 * 1024):
                yield chunk
        finally:
            recording.stream.close()

    return StreamingResponse(chunks(), media_type=recording.media_type,
                             headers={"content-disposition": f'attachment; filename="{recording.filename}"'})


@router.get("/{transcript_id}/srt", response_class=PlainTextResponse,
            responses={200: {"content": {"application/x-subrip": {}}}})
def transcript_srt(transcript_id: str, request: Request, who: Principal = Depends(principal), svc=Depends(services)):
    """(extension) Subtitles as SRT: cues at word boundaries, `Speaker N:` on diarized transcripts."""
    return _subtitles(request, svc, who, transcript_id, "srt")


@router.get("/{transcript_id}/vtt", response_class=PlainTextResponse,
            responses={200: {"content": {"text/vtt": {}}}})
def transcript_vtt(transcript_id: str, request: Request, who: Principal = Depends(principal), svc=Depends(services)):
    """(extension) Subtitles as WebVTT: cues at word boundaries, `<v Speaker N>` on diarized transcripts."""
    return _subtitles(request, svc, who, transcript_id, "vtt")


def _subtitles(request: Request, svc, who: Principal, transcript_id: str, fmt: str) -> Response:
    from ...subtitles import FORMATS

    query = _query(request, SubtitleParams)
    text = svc.transcripts.subtitles(who, transcript_id, fmt, query.chars_per_caption, query.max_caption_seconds)
    return Response(text.encode(), media_type=FORMATS[fmt][1] + "; charset=utf-8",
                    headers={"content-disposition": f'inline; filename="{transcript_id[:80]}.{fmt}"'})


@router.get("/{transcript_id}/webhook_deliveries")
def webhook_deliveries(transcript_id: str, who: Principal = Depends(principal), svc=Depends(services)):
    return svc.transcripts.deliveries(who, transcript_id)


@router.post("/{transcript_id}/webhook_deliveries/{delivery_id}/redeliver", status_code=202)
def redeliver_webhook(transcript_id: str, delivery_id: str, who: Principal = Depends(principal),
                      svc=Depends(services)):
    """(extension) Send that delivery's event again: same message id and body, signed afresh,
    recorded as its next attempt."""
    return svc.transcripts.redeliver(who, transcript_id, delivery_id)
