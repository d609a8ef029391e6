"""Read the create request from JSON, urlencoded or multipart bodies into one dict.

Form fields arrive as strings: list options may repeat (`redact=pii&redact=pci`) or be one
comma-separated or JSON-array value; `metadata` is a JSON object string or `metadata[key]`
fields; booleans are true/false/1/0.
"""

from __future__ import annotations

import json

from starlette.datastructures import FormData, UploadFile

from ..errors import ApiError, invalid

LIST_FIELDS = ("redact", "vocabulary")
BOOL_FIELDS = ("diarize", "word_timestamps", "multichannel")
TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


def parse_json_body(raw: bytes) -> dict:
    try:
        data = json.loads(raw or b"null")
    except ValueError:
        raise ApiError(400, "invalid_json", "the request body is not valid JSON", None) from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "the request body must be a JSON object", None)
    if "audio_file" in data:
        raise invalid("audio_file", "audio_file must be sent as a multipart/form-data upload; "
                      "with a JSON body use audio_url")
    return data


def _list_value(values: list[str]) -> list[str]:
    if len(values) == 1:
        text = values[0].strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if isinstance(parsed, list):
                return parsed
        return [v for v in (p.strip() for p in text.split(",")) if v]
    return values


def parse_form(form: FormData) -> tuple[dict, UploadFile | None]:
    data: dict = {}
    upload = None
    metadata: dict = {}
    for key in set(form.keys()):
        values = form.getlist(key)
        if key == "audio_file":
            if len(values) != 1 or not isinstance(values[0], UploadFile):
                raise invalid("audio_file", "audio_file must be exactly one uploaded file")
            upload = values[0]
            continue
        if any(isinstance(v, UploadFile) for v in values):
            raise invalid(key, f"{key} must be a plain field, not a file")
        name = key.removesuffix("[]")
        if name.startswith("metadata[") and name.endswith("]"):
            metadata[name[9:-1]] = values[-1]
        elif name == "metadata":
            try:
                parsed = json.loads(values[-1])
            except ValueError:
                raise invalid("metadata", "metadata must be a JSON object of strings") from None
            data["metadata"] = parsed
        elif name in LIST_FIELDS:
            data[name] = _list_value(values)
        elif name in BOOL_FIELDS:
            text = values[-1].strip().lower()
            if text not in TRUE | FALSE:
                raise invalid(name, f"{name} must be true or false")
            data[name] = text in TRUE
        else:
            if len(values) > 1:
                raise invalid(name, f"{name} was sent more than once")
            data[name] = values[0]
    if metadata:
        if isinstance(data.get("metadata"), dict):
            metadata = {**data["metadata"], **metadata}
        data["metadata"] = metadata
    return data, upload
