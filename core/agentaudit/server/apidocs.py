"""The API reference, offline: /docs (Swagger UI) and /redoc (ReDoc) load their scripts and
styles from this server, never from a CDN (FastAPI's "self-hosting JavaScript and CSS for docs").

The files are the npm registry's, vendored with their licences in `vendor/` (see its README.md
and scripts/vendor_docs_assets.py). Nothing leaves the machine: Google Fonts are left out (ReDoc
falls back to system fonts), Swagger UI's online validator is off, and a Content-Security-Policy
keeps images and requests on this server (ReDoc's sidebar loads Redocly's logo from a CDN
otherwise; without it ReDoc hides the image).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

VENDOR = Path(__file__).parent / "vendor"
ASSETS = "/docs/assets"
FAVICON = "/dashboard/static/favicon.svg"  # the dashboard's, served by this server too
HEADERS = {"Content-Security-Policy": "img-src 'self' data:; connect-src 'self'"}


def install(app: FastAPI, openapi_url: str = "/openapi.json") -> None:
    """Serve /docs, /redoc and their assets (create the app with docs_url=redoc_url=None)."""
    app.mount(ASSETS, StaticFiles(directory=VENDOR), name="docs-assets")
    title = f"{app.title} API reference"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url=f"{ASSETS}/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui/swagger-ui.css",
            swagger_favicon_url=FAVICON,
            swagger_ui_parameters={"validatorUrl": None},  # else it sends the spec's URL out
        )
        page.headers.update(HEADERS)
        return page

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=openapi_url,
            title=title,
            redoc_js_url=f"{ASSETS}/redoc/redoc.standalone.js",
            redoc_favicon_url=FAVICON,
            with_google_fonts=False,
        )
        page.headers.update(HEADERS)
        return page
