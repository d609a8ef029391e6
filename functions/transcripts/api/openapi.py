"""The OpenAPI description as the contract: what FastAPI cannot infer from bodies we parse by
hand is added here, from the component schemas in `data/openapi_components.json`: the bearer
scheme, the list's query parameters, the uploads' bodies, a response schema for every status
each operation answers, and the error object for every 4xx/5xx. FastAPI's 422 entries go: this
API answers a bad request with 400."""

from __future__ import annotations

import json
from pathlib import Path

from .schemas import ListQueryParams, SubtitleParams

COMPONENTS = Path(__file__).parent / "data" / "openapi_components.json"

ERROR_TEXT = {
    400: "Bad request: an invalid or unknown parameter, a body that is not valid JSON or a form, audio we refuse",
    401: "No API key, or not a valid one",
    404: "No such transcript or upload for this API key",
    409: "Conflict: see the error code",
    413: "The body or the declared size is over the limit",
    415: "Not a supported content type or audio format",
    507: "The server has no disk space left; nothing was stored",
}


def _json(ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _ok(ref: str, text: str) -> dict:
    return {"description": text, "content": _json(ref)}


def _text(media_type: str, text: str) -> dict:
    return {"description": text, "content": {media_type: {"schema": {"type": "string"}}}}


# Each operation: its success responses and the error statuses it can answer.
OPERATIONS = {
    ("post", "/v1/transcripts"): ({"200": _ok("Transcript", "The job, queued")}, (400, 401, 409, 413, 415, 507)),
    ("get", "/v1/transcripts"): ({"200": _ok("TranscriptList", "A page, newest first")}, (400, 401)),
    ("get", "/v1/transcripts/{transcript_id}"): ({"200": _ok("Transcript", "The transcript")}, (401, 404)),
    ("delete", "/v1/transcripts/{transcript_id}"): ({"204": {"description": "Deleted"}}, (401, 404, 507)),
    ("get", "/v1/transcripts/{transcript_id}/audio"): ({
        "200": {"description": "The stored recording",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                            "audio/wav": {"schema": {"type": "string", "format": "binary"}}}},
        "307": {"description": "AWS: a presigned URL of the recording",
                "headers": {"location": {"schema": {"type": "string"}}}},
    }, (401, 404, 409)),
    ("get", "/v1/transcripts/{transcript_id}/webhook_deliveries"): (
        {"200": _ok("WebhookDeliveryList", "Every delivery of the transcript's webhooks")}, (401, 404)),
    ("get", "/v1/models"): ({"200": _ok("ModelList", "The models this deployment serves")}, (401,)),
    ("post", "/v1/uploads"): ({"200": _ok("Upload", "Where to send the recording")}, (400, 401, 409, 413, 507)),
    ("post", "/v1/uploads/{upload_id}/complete"): (
        {"200": _ok("UploadCompleted", "The multipart upload is assembled")}, (400, 401, 404)),
    ("get", "/v1/transcripts/{transcript_id}/srt"): (
        {"200": _text("application/x-subrip", "Subtitles as SRT")}, (400, 401, 404, 409)),
    ("get", "/v1/transcripts/{transcript_id}/vtt"): (
        {"200": _text("text/vtt", "Subtitles as WebVTT")}, (400, 401, 404, 409)),
    ("post", "/v1/transcripts/{transcript_id}/webhook_deliveries/{delivery_id}/redeliver"): (
        {"202": {"description": "The event is sent again, as the delivery's next attempt",
                 "content": {"application/json": {"schema": {"type": "object"}}}}}, (401, 404, 409)),
    ("post", "/v1/audio/transcriptions"): ({"200": {
        "description": "The transcription, in the requested response_format (OpenAI-compatible)",
        "content": {"application/json": {"schema": {"type": "object"}},
                    "text/plain": {"schema": {"type": "string"}},
                    "application/x-subrip": {"schema": {"type": "string"}},
                    "text/vtt": {"schema": {"type": "string"}}}}}, (400, 401, 404, 413, 415, 507)),
    ("post", "/v1/realtime/tokens"): ({"200": {
        "description": "A token for one real-time session (?token= on the WebSocket)",
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["token", "expires_at"],
            "properties": {"token": {"type": "string"}, "expires_at": {"type": "integer"}}}}}}}, (400, 401, 404)),
}
QUERY_MODELS = {("get", "/v1/transcripts/{transcript_id}/srt"): "subtitles",
                ("get", "/v1/transcripts/{transcript_id}/vtt"): "subtitles"}

IDEMPOTENT = (("post", "/v1/transcripts"), ("post", "/v1/uploads"))
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x20-\\x7e]+$"},
    "description": "Retry safely: the same key and request within 24 h answers the first response again "
                   "(Idempotent-Replayed: true); the same key with another request answers 409 "
                   "idempotency_key_reused.",
}

BODIES = {
    ("post", "/v1/uploads"): "UploadCreate",
    ("post", "/v1/uploads/{upload_id}/complete"): "UploadComplete",
}


def _list_parameters(model=ListQueryParams) -> list[dict]:
    """Query parameters parsed by hand from a pydantic model, described from its JSON schema."""
    schema = model.model_json_schema()
    params = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        prop.pop("title", None)
        if "anyOf" in prop:  # optional: the parameter is simply left out
            prop = {**next(p for p in prop.pop("anyOf") if p.get("type") != "null"), **prop}
        if "$ref" in prop:
            ref = prop.pop("$ref").rsplit("/", 1)[-1]
            prop = {**schema["$defs"][ref], **prop}
            prop.pop("title", None)
        if prop.get("default") is None:
            prop.pop("default", None)
        params.append({"name": name, "in": "query", "required": False, "schema": prop})
    return params


def _multipart(create: dict) -> dict:
    """The create form: the file, and each option as a form field (lists repeat, metadata is a
    JSON object string)."""
    props = {"audio_file": {"type": "string", "format": "binary"}}
    for name, prop in create["properties"].items():
        if name == "audio_url":
            continue
        prop = {k: v for k, v in prop.items() if k not in ("title", "default")}
        if "anyOf" in prop:
            prop = next(p for p in prop.pop("anyOf") if p.get("type") != "null")
        if name == "metadata":
            prop = {"type": "string", "contentMediaType": "application/json",
                    "description": "a JSON object of string values"}
        props[name] = prop
    return {"type": "object", "additionalProperties": False, "required": ["audio_file"], "properties": props}


def _json_create(create: dict) -> dict:
    props = {k: v for k, v in create["properties"].items()}
    props["audio_url"] = {"type": "string", "maxLength": 2048,
                          "description": "http(s) URL of the recording, or upload://<id> from POST /v1/uploads"}
    return {**create, "required": ["audio_url"], "properties": props}


def describe(schema: dict, create_schema: dict) -> dict:
    """Complete FastAPI's generated description in place; returns it."""
    components = json.loads(COMPONENTS.read_text())
    schema.setdefault("components", {})
    schema["components"].setdefault("schemas", {}).update(components["schemas"])
    for name in ("HTTPValidationError", "ValidationError"):
        schema["components"]["schemas"].pop(name, None)
    schema["components"]["securitySchemes"] = components["securitySchemes"]
    for (method, path), (success, errors) in OPERATIONS.items():
        op = schema["paths"].get(path, {}).get(method)
        if op is None:
            continue
        op["security"] = [{"bearer": []}]
        op["responses"] = {**success, **{str(s): {"description": ERROR_TEXT[s], "content": _json("Error")}
                                         for s in errors}}
        if (method, path) in IDEMPOTENT:
            op["parameters"] = [p for p in op.get("parameters", []) if p["name"] != "Idempotency-Key"]
            op["parameters"].append(IDEMPOTENCY_KEY)
        if (method, path) in QUERY_MODELS:
            op["parameters"] = [p for p in op.get("parameters", []) if p["in"] != "query"] + _list_parameters(SubtitleParams)
        if (method, path) in BODIES:
            op["requestBody"] = {"required": True, "content": _json(BODIES[(method, path)])}
    listing = schema["paths"]["/v1/transcripts"]["get"]
    listing["parameters"] = _list_parameters()
    create = schema["paths"]["/v1/transcripts"]["post"]
    form = _multipart(create_schema)
    urlencoded = {**form, "required": ["audio_url"],
                  "properties": {"audio_url": _json_create(create_schema)["properties"]["audio_url"],
                                 **{k: v for k, v in form["properties"].items() if k != "audio_file"}}}
    create["requestBody"] = {"required": True, "content": {
        "multipart/form-data": {"schema": form},
        "application/json": {"schema": _json_create(create_schema)},
        "application/x-www-form-urlencoded": {"schema": urlencoded},
    }}
    for item in schema["paths"].values():  # no operation answers 422
        for op in item.values():
            if isinstance(op, dict):
                op.get("responses", {}).pop("422", None)
    return schema
