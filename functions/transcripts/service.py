"""The service layer: what each endpoint does, independent of HTTP and of the deployment."""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from .errors import from_validation
from .api.schemas import ListQueryParams, TranscriptCreate
from .audio_probe import probe
from .cursor import CursorCodec
from .domain import AudioSource, Job, Options, Status, audio_key, job_prefix, new_transcript_id, result_key
from .errors import ApiError, invalid
from .models import REGISTRY
from .outbound import AddressPolicy, validate_client_url
from .ports import (BlobStore, Dispatcher, DuplicateJob, EventPublisher, JobStore, ListQuery, Principal,
                    TranscriptEvent, Uploads)
from .render import to_json, transcript_object
from .result_cache import ResultCache

log = logging.getLogger(__name__)

UPLOAD_SCHEME = "upload://"
USED_SUFFIX = ".used"  # beside an upload's key: the mark that it made its transcript
_UPLOAD_ID = re.compile(r"upload_[0-9a-f]{24}")


def upload_key(owner: str, audio_url: str) -> str | None:
    """The blob of an `upload://<id>` audio_url (only the uploader's own), else None."""
    if not audio_url.startswith(UPLOAD_SCHEME):
        return None
    upload_id = audio_url[len(UPLOAD_SCHEME):]
    if not _UPLOAD_ID.fullmatch(upload_id):
        raise invalid("audio_url", "upload:// must be followed by the id POST /v1/uploads returned",
                      code="upload_not_found")
    return f"uploads/{owner}/{upload_id}"


# Asking for a feature this deployment lacks is a clear 400, never a fake result.
UNAVAILABLE = {
    "diarize": "speaker diarization is not available on this deployment (its workers lack pyannote.audio)",
    "redact": "redaction is not available on this deployment (its workers lack Presidio and its spaCy model)",
}


BATCH_HINT = ("send it to the batch API instead: POST /v1/transcripts (bigger files through POST /v1/uploads), "
              "then GET /v1/transcripts/{id} or a webhook")
# A sync job that ends in one of these failed on the client's audio: 400, not 500.
CLIENT_AUDIO_ERRORS = frozenset({"audio_decode_failed", "invalid_audio", "no_audio_stream", "audio_truncated",
                                 "audio_too_long", "unsupported_audio_format", "empty_file", "no_speech"})


@dataclass
class Upload:
    """An uploaded file as the HTTP layer received it."""

    stream: BinaryIO
    size: int
    filename: str | None


@dataclass
class Recording:
    """Where a client gets a transcript's stored recording: a URL to fetch, or a stream."""

    url: str | None
    stream: BinaryIO | None
    media_type: str
    filename: str


@dataclass
class TranscriptService:
    jobs: JobStore
    blobs: BlobStore
    dispatcher: Dispatcher
    events: EventPublisher
    cursors: CursorCodec
    policy: AddressPolicy
    models: list[str]
    default_model: str
    max_upload_bytes: int
    max_duration_s: float
    uploads: Uploads | None = None
    upload_url_ttl_s: int = 3600
    diarization: bool = False
    redaction: bool = False
    results: ResultCache = field(default_factory=ResultCache)

    def create(self, who: Principal, req: TranscriptCreate, upload: Upload | None) -> dict:
        if (upload is None) == (req.audio_url is None):
            if upload is None:
                raise invalid("audio_file", "provide exactly one of audio_file (multipart upload) or audio_url",
                              code="missing_audio")
            raise invalid("audio_url", "provide exactly one of audio_file or audio_url, not both",
                          code="multiple_audio_sources")
        options = self._options(req)
        uploaded = upload_key(who.project_id, req.audio_url) if req.audio_url else None
        if req.audio_url is not None and uploaded is None:
            validate_client_url(self.policy, req.audio_url, "audio_url")
        job_id = new_transcript_id()
        if upload is not None:
            source = AudioSource(blob_key=audio_key(job_id), filename=(upload.filename or "")[:200] or None)
            info = self._store_upload(job_id, upload)
            if options.multichannel and info.channels == 1:
                self.blobs.delete_prefix(job_prefix(job_id))
                raise invalid("multichannel", "multichannel needs a recording with two or more channels; "
                              "audio_file has one", code="not_multichannel")
        elif uploaded is not None:
            source = AudioSource(blob_key=audio_key(job_id))
            self.check_upload_unused(uploaded)
            try:
                self.blobs.copy(uploaded, audio_key(job_id))  # checked by the worker before decoding
            except FileNotFoundError:
                raise invalid("audio_url", f"no finished upload {req.audio_url[:80]!r} for this API key",
                              code="upload_not_found") from None
        else:
            source = AudioSource(url=req.audio_url)
        job = Job(id=job_id, owner=who.project_id, created_ns=time.time_ns(), options=options, audio=source)
        try:
            self.jobs.add(job)
        except BaseException:
            self.blobs.delete_prefix(job_prefix(job_id))
            raise
        if uploaded is not None:
            self.blobs.put_bytes(uploaded + USED_SUFFIX, job_id.encode())  # an upload makes one transcript
            self.blobs.delete(uploaded)
        self._dispatch(job)
        log.info("job created", extra={"job_id": job_id, "model": options.model, "upload": upload is not None})
        return transcript_object(job, None)

    def transcribe_now(self, who: Principal, req: TranscriptCreate, upload: Upload, run: Callable[[str], Job | None],
                       temperature: float | None, max_duration_s: float, max_upload_bytes: int) -> tuple[dict, dict]:
        """Synchronous transcription (the OpenAI-compatible endpoint): a job like any other, run
        at once in this process by the same run_job() the workers use, and removed (record and
        recording) before the answer. Returns the transcript object and the stored result."""
        options = replace(self._options(req), temperature=temperature)
        if upload.size > max_upload_bytes:
            raise ApiError(413, "file_too_large", f"file is {upload.size} bytes; synchronous transcription takes at "
                           f"most {max_upload_bytes}: {BATCH_HINT}", "file")
        job_id = new_transcript_id()
        key = audio_key(job_id)
        try:
            self.blobs.put_stream(key, upload.stream)
            with self.blobs.local_path(key) as path:
                probe(Path(path), max_duration_s, param="file")
            job = Job(id=job_id, owner=who.project_id, created_ns=time.time_ns(), options=options,
                      audio=AudioSource(blob_key=key, filename=(upload.filename or "")[:200] or None), sync=True)
            self.jobs.add(job)
            final = run(job_id)
            if final is None:
                raise ApiError(500, "internal_error", "the transcription did not run; try again", None)
            if final.status == Status.ERROR:
                status = 400 if final.error_code in CLIENT_AUDIO_ERRORS else 500
                raise ApiError(status, final.error_code or "internal_error", final.error_message or "failed", "file")
            raw = self.blobs.get_bytes(result_key(job_id))
            body = json.loads(raw) if raw else {}
            return transcript_object(final, body), body
        except ApiError as exc:
            if exc.code == "audio_too_long":
                raise ApiError(400, "audio_too_long_for_sync", f"file lasts longer than {max_duration_s:.0f} s, the "
                               f"limit for synchronous transcription: {BATCH_HINT}", "file") from None
            raise
        finally:
            self.jobs.delete(job_id, who.project_id)
            self.blobs.delete_prefix(job_prefix(job_id))

    def check_upload_unused(self, key: str) -> None:
        """An upload makes one transcript: once used, its URL and id are spent."""
        if self.blobs.get_bytes(key + USED_SUFFIX) is not None:
            raise ApiError(409, "upload_already_used", "this upload was already used for a transcript; "
                           "create a new upload with POST /v1/uploads", "audio_url")

    def start_upload(self, who: Principal, size: int, base_url: str) -> dict:
        """A place to send a recording too big for one API request (see POST /v1/uploads)."""
        if size > self.max_upload_bytes:
            raise ApiError(413, "file_too_large", f"size {size} is over the limit of {self.max_upload_bytes} bytes",
                           "size")
        upload_id = "upload_" + secrets.token_hex(12)
        target = self.uploads.start(f"uploads/{who.project_id}/{upload_id}", size, self.upload_url_ttl_s, base_url)
        body = {
            "id": upload_id, "object": "upload", "audio_url": f"{UPLOAD_SCHEME}{upload_id}",
            "expires_at": int(time.time()) + self.upload_url_ttl_s, "method": target.method, "url": target.url,
            "parts": [{"part_number": p.part_number, "url": p.url, "size": p.size} for p in target.parts] or None,
        }
        body["complete_url"] = f"/v1/uploads/{upload_id}/complete" if target.parts else None
        return body

    def complete_upload(self, who: Principal, upload_id: str, parts: list[tuple[int, str]]) -> dict:
        key = upload_key(who.project_id, f"{UPLOAD_SCHEME}{upload_id}")
        if key is None:
            raise ApiError(404, "not_found", "no such upload", "upload_id")
        try:
            self.uploads.complete(key, parts)
        except FileNotFoundError:
            raise ApiError(404, "not_found", "no multipart upload in progress with this id", "upload_id") from None
        return {"id": upload_id, "object": "upload", "audio_url": f"{UPLOAD_SCHEME}{upload_id}", "status": "completed"}

    def _dispatch(self, job: Job) -> None:
        """A dispatch that fails leaves the job queued: the sweeper dispatches it again."""
        try:
            self.dispatcher.dispatch(job)
        except Exception:
            log.exception("dispatch failed; the job stays queued", extra={"job_id": job.id})

    def ingest(self, project_id: str, fields: dict, inbox_key: str, job_id: str, created_ns: int) -> Job | None:
        """A job for a recording dropped under `inbox/<project>/`. The id comes from the event,
        so a redelivered event finds the job made the first time and creates none. Options
        that fail validation give a job in `error` with the same code the API would answer,
        keeping the recording: nothing is lost silently."""
        failure = None
        try:
            req = TranscriptCreate.model_validate(fields)
            if req.audio_url is not None:
                raise invalid("audio_url", "audio_url cannot be given for an uploaded recording")
            options = self._options(req)
        except (ValidationError, ApiError) as exc:
            failure = from_validation(exc) if isinstance(exc, ValidationError) else exc
            options = Options(model=self.default_model)
        self.blobs.copy(inbox_key, audio_key(job_id))
        job = Job(id=job_id, owner=project_id, created_ns=created_ns, options=options,
                  audio=AudioSource(blob_key=audio_key(job_id), filename=inbox_key.rsplit("/", 1)[-1][:200]))
        if failure is not None:
            job.status, job.error_code, job.error_message = Status.ERROR, failure.code, failure.message
            job.completed_ns = time.time_ns()
        try:
            self.jobs.add(job)
        except DuplicateJob:
            self.blobs.delete(inbox_key)
            return None
        if failure is None:
            self._dispatch(job)
        self.blobs.delete(inbox_key)
        log.info("job ingested", extra={"job_id": job_id, "error_code": job.error_code})
        return job

    def _options(self, req: TranscriptCreate) -> Options:
        model = req.model or self.default_model
        if model not in self.models:
            raise invalid("model", f"unknown model {model!r}; available models: {', '.join(self.models)}",
                          code="unknown_model")
        spec = REGISTRY.get(model)
        if req.language and spec and spec.languages is not None and req.language not in spec.languages:
            raise invalid("language", f"model {model!r} does not transcribe {req.language!r}; it knows "
                          f"{', '.join(sorted(spec.languages))}", code="unsupported_language")
        available = {"diarize": self.diarization, "redact": self.redaction}
        for feature in ("diarize", "redact"):
            if getattr(req, feature) and not available[feature]:
                raise ApiError(400, "feature_unavailable", UNAVAILABLE[feature], feature)
        if req.webhook_url is not None:
            validate_client_url(self.policy, req.webhook_url, "webhook_url")
        return Options(
            model=model, language=req.language, diarize=req.diarize, word_timestamps=req.word_timestamps,
            redact=tuple(req.redact), vocabulary=tuple(req.vocabulary), webhook_url=req.webhook_url,
            metadata=dict(req.metadata), speakers_expected=req.speakers_expected, min_speakers=req.min_speakers,
            max_speakers=req.max_speakers, multichannel=req.multichannel,
            redact_audio_mode=(req.redact_audio_mode or "beep") if req.redact else None,
        )

    def _store_upload(self, job_id: str, upload: Upload):
        if upload.size > self.max_upload_bytes:
            raise ApiError(413, "file_too_large",
                           f"audio_file is {upload.size} bytes; the limit is {self.max_upload_bytes}", "audio_file")
        key = audio_key(job_id)
        self.blobs.put_stream(key, upload.stream)
        try:
            with self.blobs.local_path(key) as path:
                return probe(Path(path), self.max_duration_s)
        except BaseException:
            self.blobs.delete_prefix(job_prefix(job_id))
            raise

    def get(self, who: Principal, job_id: str) -> dict:
        return json.loads(self.get_json(who, job_id))

    def get_json(self, who: Principal, job_id: str) -> bytes:
        """The transcript object as JSON. A completed one never changes (deleting it is the only
        way it goes, and the job record is read first on every call), so it is rendered once and
        kept (`results`, keyed by id and completion time)."""
        job = self._owned(who, job_id)
        if job.status != Status.COMPLETED:
            return to_json(transcript_object(job, None))
        cached = self.results.get(job.id, job.completed_ns)
        if cached is not None:
            return cached
        raw = self.blobs.get_bytes(result_key(job.id))
        rendered = to_json(transcript_object(job, json.loads(raw) if raw else None))
        if raw:
            self.results.put(job.id, job.completed_ns, rendered)
        return rendered

    def subtitles(self, who: Principal, job_id: str, fmt: str, chars_per_caption: int,
                  max_caption_seconds: float) -> str:
        """SRT or WebVTT of a completed transcript (see subtitles.py for how cues are cut)."""
        from . import subtitles

        job = self._owned(who, job_id)
        if job.status != Status.COMPLETED:
            raise ApiError(409, "transcript_not_completed", f"subtitles are served once the transcript is "
                           f"completed; it is {job.status}", "transcript_id")
        raw = self.blobs.get_bytes(result_key(job.id))
        try:
            words = subtitles.timed_words(json.loads(raw) if raw else {})
        except subtitles.NoTimings:
            raise ApiError(409, "subtitles_unavailable", "this transcript was made before subtitles existed and "
                           "kept no timings; create it again (or with word_timestamps) to get subtitles",
                           "transcript_id") from None
        render, _ = subtitles.FORMATS[fmt]
        return render(subtitles.cues(words, chars_per_caption, max_caption_seconds))

    def render(self, job_id: str, owner: str) -> dict | None:
        """The current transcript object for webhooks, or None when it is gone."""
        try:
            return self.get(Principal(project_id=owner, key_id=""), job_id)
        except ApiError:
            return None

    def list(self, who: Principal, params: ListQueryParams) -> dict:
        before = self.cursors.decode(who.project_id, params.cursor) if params.cursor else None
        page = self.jobs.list(ListQuery(
            owner=who.project_id, limit=params.limit, before_key=before, status=params.status,
            created_after=params.created_after, created_before=params.created_before,
        ))
        last = page.jobs[-1] if page.jobs else None
        return {
            "object": "list",
            "data": [transcript_object(job, None) for job in page.jobs],
            "has_more": page.has_more,
            "next_cursor": self.cursors.encode(who.project_id, last.created_ns, last.id) if page.has_more and last else None,
        }

    def delete(self, who: Principal, job_id: str) -> None:
        job = self.jobs.delete(job_id, who.project_id)
        if job is None:
            raise self._not_found(job_id)
        self.results.forget(job_id)
        self.blobs.delete_prefix(job_prefix(job_id))
        self.events.forget(job_id)
        if job.options.webhook_url:  # the client's proof of deletion: the id only, signed
            self.events.publish(TranscriptEvent("transcript.deleted", job_id, job.owner, job.options.webhook_url,
                                                time.time_ns()))
        log.info("job deleted", extra={"job_id": job_id})

    def recording(self, who: Principal, job_id: str) -> Recording:
        """The stored recording of a completed transcript: the redacted WAV when redaction was
        asked for (the original is gone by then), else the file as it was received."""
        job = self._owned(who, job_id)
        if job.status != Status.COMPLETED:
            raise ApiError(409, "transcript_not_completed", f"the recording is served once the transcript is "
                           f"completed; it is {job.status}", "transcript_id")
        redacted = bool(job.options.redact)
        filename = f"{job.id}.wav" if redacted else re.sub(r"[^A-Za-z0-9._-]", "_", job.audio.filename or job.id)
        try:
            url = self.blobs.download_url(audio_key(job.id), self.upload_url_ttl_s, filename)
            stream = None if url else self.blobs.open(audio_key(job.id))
        except FileNotFoundError:
            raise ApiError(404, "not_found", "this transcript has no stored recording", "transcript_id") from None
        return Recording(url, stream, "audio/wav" if redacted else "application/octet-stream", filename)

    def deliveries(self, who: Principal, job_id: str) -> dict:
        self._owned(who, job_id)
        return {"object": "list", "data": self.events.deliveries(job_id)}

    def redeliver(self, who: Principal, job_id: str, delivery_id: str) -> dict:
        """Send a webhook delivery again (also a transcript.deleted one, after the transcript is gone)."""
        delivery = self.events.redeliver(who.project_id, job_id, delivery_id)
        if delivery is None:
            raise ApiError(404, "not_found", f"no webhook delivery {delivery_id[:80]!r} of transcript "
                           f"{job_id[:80]!r} for this API key", "delivery_id")
        log.info("webhook redelivery", extra={"job_id": job_id, "delivery_id": delivery_id})
        return {**delivery, "object": "webhook_delivery", "state": "pending"}

    def _owned(self, who: Principal, job_id: str) -> Job:
        job = self.jobs.get(job_id, owner=who.project_id)
        if job is None:
            raise self._not_found(job_id)
        return job

    @staticmethod
    def _not_found(job_id: str) -> ApiError:
        return ApiError(404, "not_found", f"no transcript {job_id[:80]!r} for this API key", "transcript_id")
