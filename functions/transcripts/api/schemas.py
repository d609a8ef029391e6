"""Request schemas. Unknown fields are rejected; limits are stated in the README."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..domain import Status
from ..languages import normalise_language

MAX_METADATA_KEYS = 20
MAX_METADATA_KEY_CHARS = 40
MAX_METADATA_VALUE_CHARS = 500
MAX_VOCABULARY_TERMS = 50
MAX_VOCABULARY_TERM_CHARS = 50
MAX_SPEAKERS = 20
# The largest Unix time whose nanoseconds fit SQLite's and DynamoDB's 64-bit integers.
MAX_UNIX_SECONDS = 2**63 // 10**9 - 1


class TranscriptCreate(BaseModel):
    """Body of `POST /v1/transcripts` (besides the `audio_file` upload itself)."""

    model_config = ConfigDict(extra="forbid")

    audio_url: StrictStr | None = None
    model: StrictStr | None = None
    language: StrictStr | None = None
    diarize: bool = False
    word_timestamps: bool = False
    redact: list[Literal["pii", "phi", "pci"]] = Field(default_factory=list)
    vocabulary: list[StrictStr] = Field(default_factory=list, max_length=MAX_VOCABULARY_TERMS)
    webhook_url: StrictStr | None = None
    metadata: dict[StrictStr, StrictStr] = Field(default_factory=dict, max_length=MAX_METADATA_KEYS)
    # Speaker hints for diarization (beyond the spec, as AssemblyAI/Deepgram users expect).
    speakers_expected: int | None = Field(None, ge=1, le=MAX_SPEAKERS)
    min_speakers: int | None = Field(None, ge=1, le=MAX_SPEAKERS)
    max_speakers: int | None = Field(None, ge=1, le=MAX_SPEAKERS)
    # Diarize by channel: each channel of a multi-channel recording is one speaker.
    multichannel: bool = False
    # With redact: what replaces each redacted range in the stored recording (default beep).
    redact_audio_mode: Literal["beep", "silence"] | None = None

    @model_validator(mode="after")
    def _redact_audio(self):
        if self.redact_audio_mode is not None and not self.redact:
            raise PydanticCustomError("redact_audio_mode", "redact_audio_mode needs redact (one or more of pii, phi, "
                                      "pci)", {})
        return self

    @model_validator(mode="after")
    def _speaker_hints(self):
        hints = [n for n in ("speakers_expected", "min_speakers", "max_speakers") if getattr(self, n) is not None]
        if hints and not self.diarize:
            raise PydanticCustomError("hints", "{name} needs diarize: true", {"name": hints[0]})
        if self.speakers_expected is not None and (self.min_speakers or self.max_speakers):
            raise PydanticCustomError("hints", "give speakers_expected or min_speakers/max_speakers, not both", {})
        if self.min_speakers and self.max_speakers and self.min_speakers > self.max_speakers:
            raise PydanticCustomError("hints", "min_speakers must not exceed max_speakers", {})
        if self.multichannel and not self.diarize:
            raise PydanticCustomError("multichannel", "multichannel needs diarize: true", {})
        if self.multichannel and hints:
            raise PydanticCustomError("multichannel", "with multichannel the channels are the speakers: "
                                      "leave out {name}", {"name": hints[0]})
        return self

    @model_validator(mode="before")
    @classmethod
    def _null_means_default(cls, data):
        """JSON clients often send `null` for an option they do not use."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None}
        return data

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = normalise_language(value)
        if code is None:
            raise ValueError(f"{value[:64]!r} is not a BCP-47 tag or ISO 639-1 code of a supported language "
                             "(e.g. en, en-US, pt-BR, zh-Hans); omit it to auto-detect")
        return code

    @field_validator("redact")
    @classmethod
    def _redact(cls, value: list[str]) -> list[str]:
        return sorted(set(value))

    @field_validator("vocabulary")
    @classmethod
    def _vocabulary(cls, value: list[str]) -> list[str]:
        terms = [t.strip() for t in value]
        for term in terms:
            if not term or len(term) > MAX_VOCABULARY_TERM_CHARS:
                raise ValueError(f"each term must have 1 to {MAX_VOCABULARY_TERM_CHARS} characters")
        return list(dict.fromkeys(terms))

    @field_validator("metadata")
    @classmethod
    def _metadata(cls, value: dict[str, str]) -> dict[str, str]:
        for key, item in value.items():
            if not key or len(key) > MAX_METADATA_KEY_CHARS:
                raise ValueError(f"keys must have 1 to {MAX_METADATA_KEY_CHARS} characters")
            if len(item) > MAX_METADATA_VALUE_CHARS:
                raise ValueError(f"values must have at most {MAX_METADATA_VALUE_CHARS} characters")
        return value


class ListQueryParams(BaseModel):
    """Query of `GET /v1/transcripts`."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = None
    status: Status | None = None
    created_after: int | None = Field(None, ge=0, le=MAX_UNIX_SECONDS)
    created_before: int | None = Field(None, ge=0, le=MAX_UNIX_SECONDS)


class SubtitleParams(BaseModel):
    """Query of `GET /v1/transcripts/{id}/srt` and `/vtt`."""

    model_config = ConfigDict(extra="forbid")

    chars_per_caption: int = Field(80, ge=10, le=1000)
    max_caption_seconds: float = Field(6.0, ge=0.5, le=60)
