"""Read the create request from JSON, urlencoded or multipart bodies into one dict.

Form fields arrive as strings: list options may repeat (`redact=pii&redact=pci`) or be one
comma-separated or JSON-array value; `metadata` is a JSON object string or `metadata[key]`
fields; booleans are true/false/1/0.
"""

from __future__ import annotations

import json

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from ..errors import ApiError, invalid

MAX_FORM_FIELDS = 200
LIST_FIELDS = ("redact", "vocabulary")
BOOL_FIELDS = ("diarize", "word_timestamps", "multichannel")
TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


MAX_JSON_DEPTH = 32


def _depth_ok(value, depth: int = 0) -> bool:
    if depth > MAX_JSON_DEPTH:
        return False
    if isinstance(value, dict):
        return all(_depth_ok(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return all(_depth_ok(v, depth + 1) for v in value)
    return True


def _bad_text(value) -> bool:
    """Text that is not valid Unicode: JSON's `\\ud800` escapes decode to lone surrogates,
    which no UTF-8 response, log line or database could carry back out."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_bad_text(k) or _bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_bad_text(v) for v in value)
    return False


def check_text(data: dict) -> dict:
    """Refuse a body any of whose names or values is not valid Unicode, naming the field."""
    for key, value in data.items():
        if _bad_text(key) or _bad_text(value):
            param = key if not _bad_text(key) else None
            raise invalid(param, f"{param or 'a field name'} holds text that is not valid Unicode "
                          "(a lone UTF-16 surrogate such as \\ud800)", code="invalid_text")
    return data


def load_json(text: str | bytes, param: str | None):
    """json.loads without the RecursionError a deeply nested document raises; None if invalid."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None, False
    if not _depth_ok(value):
        raise ApiError(400, "invalid_json", f"{param or 'the request body'} is nested more than {MAX_JSON_DEPTH} "
                       "levels deep", param)
    return value, True


def parse_json_body(raw: bytes) -> dict:
    data, ok = load_json(raw or b"null", None)
    if not ok:
        raise ApiError(400, "invalid_json", "the request body is not valid JSON", None)
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "the request body must be a JSON object", None)
    if "audio_file" in data:
        raise invalid("audio_file", "audio_file must be sent as a multipart/form-data upload; "
                      "with a JSON body use audio_url")
    return check_text(data)


def _list_value(values: list[str]) -> list[str]:
    if len(values) == 1:
        text = values[0].strip()
        if text.startswith("["):
            parsed, _ = load_json(text, None)
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
            parsed, ok = load_json(values[-1], "metadata")
            if not ok:
                raise invalid("metadata", "metadata must be a JSON object of strings")
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
    return check_text(data), upload


async def read_form(request) -> FormData:
    """The multipart or urlencoded body, with the parser's refusals as documented codes."""
    try:
        return await request.form(max_files=1, max_fields=MAX_FORM_FIELDS)
    except HTTPException as exc:
        detail = str(exc.detail)
        if "files" in detail.lower():
            raise invalid("audio_file", "send exactly one audio_file part") from None
        if "fields" in detail.lower():
            raise ApiError(400, "too_many_fields", f"a form may have at most {MAX_FORM_FIELDS} fields", None) from None
        raise ApiError(400, "invalid_multipart", f"the form body could not be parsed: {detail}", None) from None
