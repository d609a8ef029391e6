"""The query parameters of the real-time WebSocket, checked before the upgrade: a bad one is
refused with the API's usual 400 body, the same codes as the batch API's options."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from ..api.schemas import MAX_VOCABULARY_TERMS, TranscriptCreate
from ..errors import ApiError, from_validation, invalid

REPEATABLE = ("vocabulary",)
CREDENTIALS = ("token",)  # read by the auth step, not an option


class RealtimeParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sample_rate: int = Field(16_000, ge=8_000, le=48_000)
    encoding: Literal["pcm_s16le"] = "pcm_s16le"
    language: StrictStr | None = None
    model: StrictStr | None = None
    vocabulary: list[StrictStr] = Field(default_factory=list, max_length=MAX_VOCABULARY_TERMS)
    word_timestamps: bool = False
    save: bool = False
    webhook_url: StrictStr | None = None  # with save=true: told when the transcript is stored


def parse_params(items: list[tuple[str, str]]) -> RealtimeParams:
    """From the query string's (name, value) pairs; only `vocabulary` may repeat."""
    data: dict = {}
    for name, value in items:
        if name in CREDENTIALS:
            continue
        if name in REPEATABLE:
            data.setdefault(name, []).append(value)
        elif name in data:
            raise invalid(name, f"{name} was sent more than once")
        else:
            data[name] = value
    shared = {k: data[k] for k in ("language", "vocabulary") if k in data}
    try:
        # The options the batch API has too follow its rules (language codes, vocabulary terms).
        batch = TranscriptCreate.model_validate(shared)
        params = RealtimeParams.model_validate({**data, **batch.model_dump(include=set(shared))})
    except ValidationError as exc:
        raise from_validation(exc) from None
    if params.webhook_url is not None and not params.save:
        raise invalid("webhook_url", "webhook_url needs save=true: only a saved session becomes a transcript")
    return params


def refuse(status: int, code: str, message: str, param: str | None = None) -> ApiError:
    return ApiError(status, code, message, param)
