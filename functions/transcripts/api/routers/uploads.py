"""`/v1/uploads`: send a recording too big for one API request, then transcribe it with
`audio_url: "upload://<id>"`. On AWS the URLs are presigned S3 URLs (multipart above 100 MB);
on the embedded default they point at this server's own upload endpoint."""

from __future__ import annotations

import tempfile

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from ...errors import ApiError
from ...ports import Principal
from ..deps import principal, services
from ...errors import from_validation
from ..form import parse_json_body
from ..idempotency import fingerprint, once

router = APIRouter(prefix="/v1/uploads", tags=["uploads"])


class UploadCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    size: int = Field(gt=0, description="bytes the recording has")
    filename: str | None = Field(None, max_length=200)


class PartDone(BaseModel):
    model_config = ConfigDict(extra="forbid")

    part_number: int = Field(ge=1, le=10_000)
    etag: str = Field(min_length=1, max_length=200)


class UploadComplete(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parts: list[PartDone] = Field(min_length=1, max_length=10_000)


def _validate(model, raw: bytes):
    try:
        return model.model_validate(parse_json_body(raw))
    except ValidationError as exc:
        raise from_validation(exc) from None


@router.post("")
async def create_upload(request: Request, who: Principal = Depends(principal), svc=Depends(services)):
    body = _validate(UploadCreate, await request.body())

    async def start():
        return await run_in_threadpool(svc.transcripts.start_upload, who, body.size, str(request.base_url))

    return await once(request, who, svc.idempotency, lambda: fingerprint(request.url.path, body.model_dump()), start)


@router.post("/{upload_id}/complete")
async def complete_upload(upload_id: str, request: Request, who: Principal = Depends(principal),
                          svc=Depends(services)):
    body = _validate(UploadComplete, await request.body())
    parts = [(p.part_number, p.etag) for p in body.parts]
    return await run_in_threadpool(svc.transcripts.complete_upload, who, upload_id, parts)


@router.put("/content/{key:path}", include_in_schema=False)
async def receive_upload(key: str, request: Request, expires: int = 0, size: int = 0, signature: str = "",
                         svc=Depends(services)):
    """The embedded default's presigned PUT: the signature in the URL is the authorization,
    for at most the declared size, until the upload is used."""
    uploads = svc.transcripts.uploads
    if not key.startswith("uploads/") or not uploads.verify(key, expires, signature, size):
        raise ApiError(403, "invalid_signature", "the upload URL is invalid or has expired", "signature")
    svc.transcripts.check_upload_unused(key)
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > size:
                raise ApiError(413, "file_too_large", f"the upload declared {size} bytes and sent more", "size")
            spool.write(chunk)
        spool.seek(0)
        await run_in_threadpool(svc.blobs.put_stream, key, spool)
    return Response(status_code=200, headers={"etag": '"local"'})
