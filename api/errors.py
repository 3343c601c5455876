"""Every error the service answers is JSON ``{"detail": "one clear line"}``; never a traceback."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from api import service
from api.schemas import Error

log = logging.getLogger("api")

# Declared on every route so /openapi.json says what an error looks like.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": Error, "description": "A parameter is invalid"},
    500: {"model": Error, "description": "Unexpected server error (logged; no details exposed)"},
}


def json_error(description: str) -> dict[str, Any]:
    """An error response documented as JSON on a route whose success is not JSON (the report)."""
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "header")]
        where = ".".join(loc) or "request"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts) if parts else "invalid request"


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"not found: {request.url.path}"
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        if detail == "Method Not Allowed":
            detail = f"method {request.method} is not allowed on {request.url.path}"
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return JSONResponse({"detail": str(detail)}, status_code=exc.status_code, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves on this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": _validation_message(exc)}, status_code=422)


async def server_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        {"detail": "internal server error: the problem has been logged; please try again"},
        status_code=500,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, server_error)


class UploadLimit:
    """Refuse a POST whose declared size is over the upload limit before reading its body.

    The endpoints check the real size too (a body without Content-Length gets there).
    """

    SLACK = 64 * 1024  # multipart headers and boundaries around the file

    def __init__(self, app: ASGIApp, max_mb: float) -> None:
        self.app = app
        self.max_mb = max_mb
        self.max_bytes = int(max_mb * 1024 * 1024)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # audits take whole archives and have their own, larger limit (SVA_MAX_AUDIT_MB)
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and not scope["path"].startswith("/v1/audits")
        ):
            length = dict(scope["headers"]).get(b"content-length")
            if length and length.isdigit() and int(length) > self.max_bytes + self.SLACK:
                body = json.dumps({"detail": service.too_large("upload", self.max_mb)}).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 413,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
