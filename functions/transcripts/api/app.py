"""The FastAPI application, built around already-wired services."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from .. import __version__
from . import errors
from .body_limit import BodyLimitMiddleware
from .docs import install_openapi
from .routers import models, transcripts, uploads

FORM_OVERHEAD_BYTES = 256 * 1024


def create_app(services, manage_lifecycle: bool = True) -> FastAPI:
    """`services` come from `bootstrap`. With `manage_lifecycle`, the app starts and stops
    the background workers with the server."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if manage_lifecycle:
            services.start()
        try:
            yield
        finally:
            if manage_lifecycle:
                services.stop()

    app = FastAPI(title="Transcripts API", version=__version__, lifespan=lifespan, docs_url=None)
    app.state.services = services
    errors.install(app)
    app.include_router(transcripts.router)
    app.include_router(models.router)
    app.include_router(uploads.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz():
        return {"status": "ok"}

    install_openapi(app)

    settings = services.settings
    limit = settings.max_request_bytes or settings.max_upload_bytes + FORM_OVERHEAD_BYTES
    app.add_middleware(BodyLimitMiddleware, max_bytes=limit)
    return app
