"""GET /health: the service is up and its database answers."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import text

from api import __version__
from api.deps import SessionDep
from api.errors import ERROR_RESPONSES
from api.schemas import Error, Health

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    operation_id="health",
    summary="Health check",
    response_model=Health,
    responses={
        503: {"model": Error, "description": "The database does not answer"},
        500: ERROR_RESPONSES[500],
    },
)
def health(session: SessionDep) -> Health:
    try:
        session.execute(text("SELECT 1"))
    except Exception as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "database unavailable") from exc
    return Health(status="ok", version=__version__, database="ok")
