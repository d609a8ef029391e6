"""`/openapi.json` (completed by `openapi.describe`) and `/docs`, whose Swagger UI assets come
from the `swagger-ui-bundle-v2` package when it is installed (the `local` extra), so the docs
work offline; without it (the Lambda bundle) the page loads them from FastAPI's default CDN."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi

from .openapi import describe
from .schemas import TranscriptCreate

ASSETS = "/docs/assets"


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes,
                                 description="Batch speech-to-text. Every request needs `Authorization: Bearer <key>`.")
            app.openapi_schema = describe(schema, TranscriptCreate.model_json_schema())
        return app.openapi_schema

    app.openapi = openapi
    assets = _bundled_assets()
    if assets is not None:
        from starlette.staticfiles import StaticFiles

        app.mount(ASSETS, StaticFiles(directory=str(assets)), name="swagger-ui")
    urls = {"swagger_js_url": f"{ASSETS}/swagger-ui-bundle.js", "swagger_css_url": f"{ASSETS}/swagger-ui.css",
            "swagger_favicon_url": f"{ASSETS}/favicon-32x32.png"} if assets is not None else {}

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} - docs", **urls)


def _bundled_assets():
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    return swagger_ui_path if (swagger_ui_path / "swagger-ui-bundle.js").is_file() else None
