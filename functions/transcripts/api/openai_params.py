"""The form of `POST /v1/audio/transcriptions`, as OpenAI's SDKs send it (multipart)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator
from starlette.datastructures import FormData, UploadFile

from ..errors import invalid
from .schemas import MAX_VOCABULARY_TERM_CHARS, MAX_VOCABULARY_TERMS

# `whisper-1` (what most OpenAI clients send) means the deployment's default model.
OPENAI_ALIASES = frozenset({"whisper-1"})
MAX_PROMPT_CHARS = MAX_VOCABULARY_TERMS * MAX_VOCABULARY_TERM_CHARS


class TranscriptionParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: StrictStr
    language: StrictStr | None = None
    prompt: StrictStr | None = Field(None, max_length=MAX_PROMPT_CHARS)
    response_format: Literal["json", "text", "srt", "vtt", "verbose_json"] = "json"
    # As OpenAI's: 0 (the default) lets the model raise it when a window decodes badly
    # (faster-whisper's fallback schedule); above 0, that one temperature.
    temperature: float = Field(0.0, ge=0.0, le=1.0)
    timestamp_granularities: list[Literal["word", "segment"]] = Field(default_factory=lambda: ["segment"])
    stream: Literal["false", "False", False] = False

    @field_validator("timestamp_granularities")
    @classmethod
    def _granularities(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


def prompt_terms(prompt: str | None) -> list[str]:
    """The prompt as vocabulary terms: split at commas, semicolons and line breaks, long parts
    at word boundaries, so the model's prompt (terms joined by ", ") keeps its words in order."""
    terms: list[str] = []
    for part in re.split(r"[,;\n]+", prompt or ""):
        current = ""
        for word in part.split():
            word = word[:MAX_VOCABULARY_TERM_CHARS]
            if current and len(current) + 1 + len(word) > MAX_VOCABULARY_TERM_CHARS:
                terms.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        if current:
            terms.append(current)
    return terms[:MAX_VOCABULARY_TERMS]


def parse_transcription_form(form: FormData) -> tuple[dict, UploadFile]:
    data: dict = {}
    upload = None
    for key in set(form.keys()):
        values = form.getlist(key)
        if key == "file":
            if len(values) != 1 or not isinstance(values[0], UploadFile):
                raise invalid("file", "file must be exactly one uploaded audio file")
            upload = values[0]
            continue
        if any(isinstance(v, UploadFile) for v in values):
            raise invalid(key, f"{key} must be a plain field, not a file")
        name = key.removesuffix("[]")
        if name == "timestamp_granularities":
            data[name] = [v.strip() for value in values for v in value.split(",") if v.strip()]
        elif len(values) > 1:
            raise invalid(name, f"{name} was sent more than once")
        else:
            data[name] = values[0]
    if upload is None:
        raise invalid("file", "send the recording as the multipart field 'file'", code="missing_audio")
    if str(data.get("stream", "false")).lower() == "true":
        raise invalid("stream", "streaming is not served here: use the WebSocket at GET /v1/audio/transcriptions "
                      "or the batch API, POST /v1/transcripts")
    return data, upload
