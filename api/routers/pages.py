"""The web page: upload a tender, read its report, browse past assessments (server-rendered)."""

from __future__ import annotations

import re
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Query, Request, UploadFile, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api import db, service
from api.deps import AnalyserDep, SessionDep, SettingsDep

templates = Jinja2Templates(directory=FsPath(__file__).resolve().parent.parent / "templates")
router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25
VERDICTS = ("substantive", "token", "absent")


def _index(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    *,
    offset: int = 0,
    verdict: str | None = None,
    buyer: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    verdict = verdict if verdict in VERDICTS else None
    buyer = (buyer or "").strip() or None
    records, total = db.list_records(
        session, limit=PAGE_SIZE, offset=offset, buyer=buyer, verdict=verdict
    )
    context: dict[str, Any] = {
        "records": [service.summary_out(r) for r in records],
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "verdict": verdict,
        "verdicts": VERDICTS,
        "buyer": buyer or "",
        "error": error,
        "max_upload_mb": f"{settings.max_upload_mb:g}",
    }
    return templates.TemplateResponse(request, "index.html", context, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def index(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    verdict: str | None = None,
    buyer: str | None = None,
) -> HTMLResponse:
    return _index(request, session, settings, offset=offset, verdict=verdict, buyer=buyer)


@router.post("/upload", response_model=None)
def upload(
    request: Request,
    session: SessionDep,
    analyser: AnalyserDep,
    settings: SettingsDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if file is None or not file.filename:
        return _index(
            request,
            session,
            settings,
            error="Choose a tender document to upload.",
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    name = service.upload_name(file.filename)
    try:
        data = service.read_upload(file.file, name, settings.max_upload_mb)
        record, _ = service.assess_and_store(session, analyser, data, name)
    except HTTPException as exc:
        return _index(
            request, session, settings, error=str(exc.detail), status_code=exc.status_code
        )
    return RedirectResponse(f"/assessments/{record.id}", status_code=status.HTTP_303_SEE_OTHER)


BODY_TAG = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


@router.get("/assessments/{assessment_id}", response_class=HTMLResponse)
def assessment_page(request: Request, assessment_id: str, session: SessionDep) -> HTMLResponse:
    record = session.get(db.AssessmentRecord, assessment_id)
    if record is None:
        return templates.TemplateResponse(
            request,
            "not_found.html",
            {"assessment_id": assessment_id},
            status_code=status.HTTP_404_NOT_FOUND,
        )
    report = service.render_report(record)
    nav = templates.get_template("report_nav.html").render(record=service.summary_out(record))
    match = BODY_TAG.search(report)
    at = match.end() if match else 0
    return HTMLResponse(report[:at] + nav + report[at:])
