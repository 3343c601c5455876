"""Dependencies shared by the routers: settings, a database session, the analyser, API keys."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session

from api.service import SharedAnalyser
from api.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


def get_analyser(request: Request) -> SharedAnalyser:
    analyser: SharedAnalyser = request.app.state.analyser
    return analyser


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
AnalyserDep = Annotated[SharedAnalyser, Depends(get_analyser)]

api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="Needed when the server sets SVA_API_KEYS.",
)


def require_api_key(
    settings: SettingsDep, key: Annotated[str | None, Security(api_key_header)]
) -> None:
    """401 unless the request carries one of the configured keys (no keys set: open)."""
    keys = settings.keys
    if not keys:
        return
    if not key:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "missing API key: send it in the X-API-Key header"
        )
    given = key.encode()
    if not any(secrets.compare_digest(given, k.encode()) for k in keys):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid API key")


ApiKeyDep = Depends(require_api_key)
