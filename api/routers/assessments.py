"""/v1/assessments: assess an uploaded tender, read it back, list, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Path, Query, Response, UploadFile, status
from fastapi.responses import HTMLResponse

from analyser.types import Verdict
from api import db, service
from api.deps import AnalyserDep, ApiKeyDep, SessionDep, SettingsDep
from api.errors import ERROR_RESPONSES, json_error
from api.schemas import EXAMPLE_ID, Assessment, AssessmentList, Error

router = APIRouter(
    prefix="/v1/assessments",
    tags=["assessments"],
    dependencies=[ApiKeyDep],
    responses={
        401: {"model": Error, "description": "Missing or wrong X-API-Key"},
        **ERROR_RESPONSES,
    },
)

AssessmentId = Annotated[
    str, Path(description="The assessment's id.", max_length=64, examples=[EXAMPLE_ID])
]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Error, "description": "No assessment has this id"}
}


def _get(session: SessionDep, assessment_id: str) -> db.AssessmentRecord:
    record = session.get(db.AssessmentRecord, assessment_id)
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no assessment with id {assessment_id}")
    return record


@router.post(
    "",
    operation_id="createAssessment",
    summary="Assess a tender document",
    status_code=status.HTTP_201_CREATED,
    response_model=Assessment,
    response_model_exclude_unset=True,
    responses={
        200: {
            "model": Assessment,
            "description": "This document (same SHA-256) was assessed before: the stored "
            "assessment, or with refresh=true the same assessment made again",
        },
        201: {"description": "Assessed and stored; the body is the assessment with its id"},
        413: {"model": Error, "description": "File over the upload size or page limit"},
        415: {"model": Error, "description": "Not a PDF, DOCX, plain text or OCDS JSON file"},
        422: {
            "model": Error,
            "description": "Unreadable: empty, corrupt, encrypted, no text layer, or no file sent",
        },
    },
)
def create_assessment(
    file: Annotated[
        UploadFile, File(description="The tender: PDF, DOCX, plain text or OCDS release JSON.")
    ],
    response: Response,
    session: SessionDep,
    analyser: AnalyserDep,
    settings: SettingsDep,
    refresh: Annotated[
        bool, Query(description="Assess again even if this document was assessed before.")
    ] = False,
) -> dict[str, Any]:
    name = service.upload_name(file.filename)
    data = service.read_upload(file.file, name, settings.max_upload_mb)
    record, created = service.assess_and_store(session, analyser, data, name, refresh=refresh)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    if created:
        response.headers["Location"] = f"{router.prefix}/{record.id}"
    return service.assessment_out(record)


@router.get(
    "",
    operation_id="listAssessments",
    summary="List assessments, newest first",
    response_model=AssessmentList,
)
def list_assessments(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100, description="Page size.")] = 20,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")] = 0,
    buyer: Annotated[
        str | None, Query(max_length=512, description="Only this buyer (case-insensitive).")
    ] = None,
    verdict: Annotated[Verdict | None, Query(description="Only this verdict.")] = None,
) -> dict[str, Any]:
    records, total = db.list_records(
        session, limit=limit, offset=offset, buyer=buyer, verdict=verdict
    )
    return {
        "items": [service.summary_out(r) for r in records],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@router.get(
    "/{assessment_id}",
    operation_id="getAssessment",
    summary="Get one assessment",
    response_model=Assessment,
    response_model_exclude_unset=True,
    responses=NOT_FOUND,
)
def get_assessment(assessment_id: AssessmentId, session: SessionDep) -> dict[str, Any]:
    return service.assessment_out(_get(session, assessment_id))


@router.get(
    "/{assessment_id}/report",
    operation_id="getAssessmentReport",
    summary="The commissioner's HTML report of one assessment",
    response_class=HTMLResponse,
    responses={
        200: {
            "description": "A self-contained HTML page",
            "content": {
                "text/html": {
                    "example": '<!doctype html><html lang="en">…<h1>Social value report: itt.pdf</h1>…</html>'
                }
            },
        },
        # The router's error responses again, as JSON: FastAPI would document them as HTML here.
        401: json_error("Missing or wrong X-API-Key"),
        404: json_error("No assessment has this id"),
        422: json_error("A parameter is invalid"),
        500: json_error("Unexpected server error (logged; no details exposed)"),
    },
)
def get_assessment_report(assessment_id: AssessmentId, session: SessionDep) -> HTMLResponse:
    return HTMLResponse(service.render_report(_get(session, assessment_id)))


@router.delete(
    "/{assessment_id}",
    operation_id="deleteAssessment",
    summary="Delete one assessment",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={204: {"description": "Deleted"}, **NOT_FOUND},
)
def delete_assessment(assessment_id: AssessmentId, session: SessionDep) -> Response:
    db.delete(session, _get(session, assessment_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
