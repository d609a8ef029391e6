"""The web console through the API function: the same static files come out of Lambda (via
Mangum, from an API Gateway HTTP API event) as out of the embedded server, with the console's
headers, and binary files survive the base64 round trip."""

from __future__ import annotations

import base64
from importlib import resources

from .conftest import LambdaContext, http_event


def _get(handlers, path):
    response = handlers.api.handler(http_event("GET", path), LambdaContext())
    body = base64.b64decode(response["body"]) if response.get("isBase64Encoded") else response["body"].encode()
    return response, body


def test_console_served_through_the_lambda_handler(handlers):
    response, _ = _get(handlers, "/console")
    assert response["statusCode"] == 308 and response["headers"]["location"] == "console/"

    response, body = _get(handlers, "/console/")
    assert response["statusCode"] == 200, body[:300]
    assert response["headers"]["content-type"].startswith("text/html")
    assert b'<script type="module" src="js/app.js">' in body
    csp = response["headers"]["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["headers"]["referrer-policy"] == "no-referrer"

    shipped = resources.files("transcripts") / "console"
    for name in ("js/app.js", "js/transcript.js", "style.css", "icon.svg"):
        response, body = _get(handlers, f"/console/{name}")
        assert response["statusCode"] == 200, name
        assert body == (shipped / name).read_bytes(), name

    response, body = _get(handlers, "/console/nope.js")
    assert response["statusCode"] == 404
    # the console needs no key, the API still does
    response, _ = _get(handlers, "/v1/transcripts")
    assert response["statusCode"] == 401


def test_bucket_lets_the_console_read_recordings_and_put_uploads(handlers):
    """On AWS the console's player fetches the API's redirect to a presigned S3 URL, and large
    files go up in presigned PUTs whose ETag it reads: the bucket's CORS (from template.yaml)
    must answer a browser for both."""
    import httpx

    blobs = handlers.services.blobs
    blobs.put_bytes("transcripts/transcript_cors/audio", b"RIFF....WAVE")
    url = blobs.download_url("transcripts/transcript_cors/audio", 60, "a.wav")
    origin = "https://abc123.execute-api.us-east-1.amazonaws.com"
    got = httpx.get(url, headers={"origin": origin})
    assert got.status_code == 200 and got.content == b"RIFF....WAVE"
    assert got.headers["access-control-allow-origin"] in ("*", origin)
    preflight = httpx.options(url, headers={"origin": origin, "access-control-request-method": "PUT",
                                            "access-control-request-headers": "content-type"})
    assert preflight.status_code == 200
    assert "PUT" in preflight.headers["access-control-allow-methods"]
    assert "etag" in preflight.headers.get("access-control-expose-headers", "").lower()
