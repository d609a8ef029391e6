"""`/console`: the web console, static files shipped inside the package (no build step).

The same app serves it on the embedded default and, through Mangum, in Lambda. The console
talks to this API with the key a person types in; nothing on the server side knows about it.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from starlette.staticfiles import StaticFiles

# The console only reaches its own origin, the recording's presigned URL (S3 on AWS, after the
# API's redirect) and the real-time WebSocket (on AWS the GPU data plane's host).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; connect-src 'self' https: wss: ws:; worker-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cache-control": "no-cache",
}


class ConsoleFiles(StaticFiles):
    """StaticFiles with the console's security headers on every answer."""

    async def get_response(self, path, scope):
        response = await super().get_response(path, scope)
        response.headers.update(HEADERS)
        return response


def directory() -> str:
    return str(resources.files("transcripts") / "console")


def install(app: FastAPI) -> None:
    @app.get("/console", include_in_schema=False)
    def console_root():
        # relative, so it also works behind a path prefix (an API Gateway stage, a proxy)
        return RedirectResponse("console/", status_code=308)

    app.mount("/console", ConsoleFiles(directory=directory(), html=True), name="console")
