"""The FastAPI application, built around already-wired services."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from .. import __version__
from . import console, errors
from .body_limit import BodyLimitMiddleware
from .docs import install_openapi
from .routers import audio, models, realtime, transcripts, uploads

FORM_OVERHEAD_BYTES = 256 * 1024


def serves_sync(settings) -> bool:
    """Whether this process runs synchronous transcription: the embedded default does; the
    Lambda API does not (the GPU data plane serves it there)."""
    return settings.serve_sync if settings.serve_sync is not None else settings.backend == "local"


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
    app.state.serve_sync = serves_sync(services.settings)
    app.state.local_stores = services.settings.backend == "local"
    errors.install(app)
    app.include_router(transcripts.router)
    app.include_router(models.router)
    app.include_router(uploads.router)
    app.include_router(audio.router)
    app.include_router(realtime.router)
    console.install(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz():
        return {"status": "ok"}

    install_openapi(app)

    settings = services.settings
    limit = settings.max_request_bytes or settings.max_upload_bytes + FORM_OVERHEAD_BYTES
    app.add_middleware(BodyLimitMiddleware, max_bytes=limit)
    return app


def _data_plane_app(services, title: str, router) -> FastAPI:
    """An app of the GPU data plane: one router, the API's errors, a health check."""
    app = FastAPI(title=title, version=__version__)
    app.state.services = services
    app.state.local_stores = services.settings.backend == "local"
    errors.install(app)
    app.include_router(router)

    @app.get("/healthz", include_in_schema=False)
    def healthz():
        return {"status": "ok"}

    return app


def create_data_plane_app(services) -> FastAPI:
    """What the GPU data plane serves over HTTP: synchronous transcription only, with the same
    keys (the same table), errors and body limit as the API. Jobs stay on the control plane."""
    app = _data_plane_app(services, "Transcripts API (GPU data plane)", audio.router)
    app.state.serve_sync = True
    app.add_middleware(BodyLimitMiddleware, max_bytes=services.settings.sync_max_upload_bytes + FORM_OVERHEAD_BYTES)
    return app


def create_realtime_app(services) -> FastAPI:
    """The real-time endpoints alone, for the GPU data plane (gpu_app): API Gateway cannot carry
    a WebSocket to a GPU, so there the WebSocket is served by the Modal container itself."""
    return _data_plane_app(services, "Transcripts API (real-time)", realtime.router)
