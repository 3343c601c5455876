"""App factory. A minimal page and health check until the API issue fills in the resources."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Social Value Analyser</title></head><body>
<h1>Social Value Analyser</h1>
<p>Is the social value in your tender real or a token gesture?</p>
</body></html>"""


def create_app() -> FastAPI:
    app = FastAPI(title="Social Value Analyser", version="0.1.0")

    @app.get("/health", operation_id="health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> str:
        return PAGE

    return app
