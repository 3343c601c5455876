"""App factory: settings, database, the shared analyser, routers and error handlers.

``sva serve`` runs ``uvicorn api.main:create_app --factory``; tests call ``create_app(settings)``.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import __version__, errors
from api.db import DatabaseConfigError, make_engine, make_sessions
from api.routers import assessments, audits, health, pages
from api.service import SharedAnalyser
from api.settings import Settings

DESCRIPTION = """\
Tells a public-sector commissioner whether the social value in a UK tender is real or a
token gesture. Upload a tender (PDF, DOCX, plain text or OCDS release JSON) to
`POST /v1/assessments`; the answer is the assessment: verdict, 0-100 score, social value's
effective weight, the clauses behind them and recommendations.

When the server sets `SVA_API_KEYS`, every `/v1` call needs the header `X-API-Key`.
Every error is JSON `{"detail": "..."}`.
"""


def create_app(settings: Settings | None = None, *, warm: bool | None = None) -> FastAPI:
    """The app. Without ``settings`` they come from the environment (that is ``sva serve``),
    and the analyser is built in the background at start-up unless ``warm=False``."""
    from_environment = settings is None
    if warm is None:
        warm = from_environment
    settings = settings or Settings()
    analyser = SharedAnalyser(max_pages=settings.max_pages)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=analyser.warm, name="sva-warm-up", daemon=True).start()
        yield
        app.state.engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="Social Value Analyser",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=[
            {"name": "assessments", "description": "Assess tenders and read the results."},
            {
                "name": "audits",
                "description": "Audit many tenders at once into tables and a report.",
            },
            {"name": "health", "description": "Is the service up?"},
        ],
    )
    try:
        engine = make_engine(settings.database_url)
    except DatabaseConfigError as exc:
        if from_environment:  # `sva serve`: one line and exit status 1, no traceback
            raise SystemExit(f"sva serve: {exc}") from None
        raise
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessions(engine)
    app.state.analyser = analyser
    errors.install(app)
    app.add_middleware(errors.UploadLimit, max_mb=settings.max_upload_mb)
    app.include_router(health.router)
    app.include_router(assessments.router)
    app.include_router(audits.router)
    app.include_router(pages.router)
    return app
