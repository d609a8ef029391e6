"""`POST /v1/audio/transcriptions`: OpenAI-compatible synchronous transcription.

Tools written against OpenAI's `audio.transcriptions.create` work by pointing their base URL
here. The request runs the same pipeline, through the same run_job(), as a batch job, in a
worker thread (the event loop stays free). The embedded default serves it from `transcripts
serve`; on AWS the GPU data plane (Modal) serves it, since API Gateway stops requests at 30 s:
the Lambda API answers with a pointer there. (The realtime WebSocket on the same path lives in
its own router.)
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from ... import openai_format
from ...errors import ApiError, from_validation
from ...ports import Principal
from ...service import Upload
from ..deps import principal, services
from ..openai_params import OPENAI_ALIASES, TranscriptionParams, parse_transcription_form, prompt_terms
from ..schemas import TranscriptCreate

router = APIRouter(prefix="/v1/audio", tags=["audio"])

_FORM = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "model"],
    "properties": {
        "file": {"type": "string", "format": "binary"},
        "model": {"type": "string", "description": "a served model, or whisper-1 for the default"},
        "language": {"type": "string", "description": "BCP-47 tag or ISO 639-1 code; omit to detect"},
        "prompt": {"type": "string", "description": "terms to prefer (used as vocabulary)"},
        "response_format": {"type": "string", "enum": list(openai_format.FORMATS), "default": "json"},
        "temperature": {"type": "number", "minimum": 0, "maximum": 1, "default": 0},
        "timestamp_granularities[]": {"type": "array", "items": {"type": "string", "enum": ["word", "segment"]}},
    }}}}}


@router.post("/transcriptions", openapi_extra={"requestBody": _FORM},
             responses={200: {"content": {t: {} for t in set(openai_format.MEDIA_TYPES.values())}}})
async def create_transcription(request: Request, who: Principal = Depends(principal), svc=Depends(services)):
    """Transcribe a recording now and answer with the text (OpenAI-compatible)."""
    settings = svc.settings
    if not request.app.state.serve_sync:
        where = f" at {settings.sync_url}" if settings.sync_url else ""
        raise ApiError(404, "served_by_data_plane", "on this deployment synchronous transcription is served by the "
                       f"GPU data plane{where} (same path, same API key); or use the batch API, POST /v1/transcripts",
                       None)
    form = await request.form(max_files=1, max_fields=50)
    try:
        data, upload = parse_transcription_form(form)
        try:
            params = TranscriptionParams.model_validate(data)
        except ValidationError as exc:
            raise from_validation(exc) from None
        model = svc.transcripts.default_model if params.model in OPENAI_ALIASES else params.model
        words = "word" in params.timestamp_granularities and params.response_format == "verbose_json"
        try:
            req = TranscriptCreate.model_validate({
                "model": model, "language": params.language, "vocabulary": prompt_terms(params.prompt),
                "word_timestamps": words})
        except ValidationError as exc:
            raise from_validation(exc) from None
        file = Upload(stream=upload.file, size=upload.size or 0, filename=upload.filename)
        worker = svc.worker

        def run(job_id: str):
            from ...worker import run_job

            return run_job(job_id, worker)

        transcript, body = await run_in_threadpool(
            svc.transcripts.transcribe_now, who, req, file, run, params.temperature or None,
            settings.sync_max_duration_s, settings.sync_max_upload_bytes)
    finally:
        await form.close()
    out = openai_format.render(params.response_format, transcript, body, words)
    if isinstance(out, dict):
        return JSONResponse(out)
    return Response(out.encode(), media_type=openai_format.MEDIA_TYPES[params.response_format] + "; charset=utf-8")
