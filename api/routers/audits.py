"""/v1/audits: audit many tenders at once (several files, or a zip) in the background.

``POST /v1/audits`` stores the upload under ``SVA_DATA_DIR/audits/<id>/`` and answers 202 at
once; one audit runs at a time in a background thread (each with its own process pool,
``SVA_AUDIT_WORKERS`` processes) through ``analyser.audit``; the others wait their turn.
``GET /v1/audits/{id}`` reports progress and each document's status; the tables and the
report can be downloaded when the audit has finished.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import queue
import shutil
import threading
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile, status
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.deps import ApiKeyDep
from api.errors import ERROR_RESPONSES, json_error
from api.schemas import Error

log = logging.getLogger("api.audits")
CHUNK = 1024 * 1024
MB = 1024 * 1024

State = Literal["queued", "running", "finished", "failed", "interrupted"]


class AuditSettings(BaseSettings):
    """``SVA_DATA_DIR``, ``SVA_AUDIT_WORKERS``, ``SVA_MAX_AUDIT_MB``, ``SVA_MAX_AUDIT_FILES``."""

    model_config = SettingsConfigDict(env_prefix="SVA_", extra="ignore")

    data_dir: Path = Field(
        default=Path("sva-data"), description="Folder for audit uploads and results."
    )
    audit_workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Processes per audit (default: the number of cores).",
    )
    max_audit_mb: float = Field(default=500, gt=0, description="Largest audit upload, in MB.")
    max_audit_files: int = Field(default=1000, ge=1, description="Most files in one upload.")


class AuditLinks(BaseModel):
    self: str
    assessments_csv: str
    assessments_xlsx: str
    summary_csv: str
    report: str


class AuditCreated(BaseModel):
    id: str = Field(description="The audit's id.")
    state: State
    files: int = Field(
        description="Files received (a zip counts as one; its members are read later)."
    )
    links: AuditLinks


class AuditDocument(BaseModel):
    file: str = Field(description="The uploaded file, or `archive.zip!member` for archive members.")
    status: Literal["pending", "done", "failed"]
    cached: bool = False
    verdict: str | None = None
    score: int | None = None
    error: str | None = None


class AuditStatus(BaseModel):
    id: str
    state: State = Field(
        description="queued, running, finished, failed (nothing could run: see detail), or "
        "interrupted (the server stopped while it ran)."
    )
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None
    total: int = Field(0, description="Documents found (0 until the audit starts).")
    done: int = 0
    failed: int = 0
    pending: int = 0
    cached: int = Field(
        0, description="Documents answered from the cache (same bytes seen before)."
    )
    detail: str | None = None
    documents: list[AuditDocument] = []
    links: AuditLinks


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def get_audit_settings(request: Request) -> AuditSettings:
    """``app.state.audit_settings`` if set (tests), else read once from the environment."""
    settings = getattr(request.app.state, "audit_settings", None)
    if settings is None:
        main_dir = getattr(getattr(request.app.state, "settings", None), "data_dir", None)
        settings = AuditSettings(data_dir=main_dir) if main_dir else AuditSettings()
        request.app.state.audit_settings = settings
    assert isinstance(settings, AuditSettings)
    return settings


class AuditRunner:
    """Runs the audits of one app one at a time, in a daemon thread: stopping the server does
    not wait for a running audit (it is left ``interrupted``; its finished documents stay in
    its cache)."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[Path, int, str | None]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.known: set[str] = set()  # audits queued or run by this process

    def submit(self, job: Path, workers: int, buyer: str | None) -> None:
        with self._lock:
            self.known.add(job.name)
            self._queue.put((job, workers, buyer))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="sva-audit", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while True:
            job, workers, buyer = self._queue.get()
            _run_job(job, workers, buyer)


_runner_lock = threading.Lock()


def get_runner(request: Request) -> AuditRunner:
    with _runner_lock:
        runner = getattr(request.app.state, "audit_runner", None)
        if runner is None:
            runner = AuditRunner()
            request.app.state.audit_runner = runner
    assert isinstance(runner, AuditRunner)
    return runner


def _read_job(job: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((job / "job.json").read_text(encoding="utf-8"))
    return data


def _write_job(job: Path, **changes: Any) -> None:
    path = job / "job.json"
    data = _read_job(job) if path.exists() else {}
    data.update(changes)
    tmp = job / ".job.json.tmp"
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _run_job(job: Path, workers: int, buyer: str | None) -> None:
    """The background side: audit the uploaded files into ``job/out``."""
    from analyser.audit import AuditError, audit

    uploads = job / "uploads"
    try:
        files = [uploads / name for name in _read_job(job)["files"]]
        _write_job(job, state="running", started_at=_now())
        audit(files, job / "out", workers=workers, buyer=buyer, relative_to=uploads)
    except AuditError as exc:
        _write_job(job, state="failed", finished_at=_now(), detail=str(exc))
    except Exception:
        log.exception("audit %s failed", job.name)
        _write_job(
            job,
            state="failed",
            finished_at=_now(),
            detail="internal error: the problem has been logged",
        )
    else:
        _write_job(job, state="finished", finished_at=_now())


router = APIRouter(
    prefix="/v1/audits",
    tags=["audits"],
    dependencies=[ApiKeyDep],
    responses={
        401: {"model": Error, "description": "Missing or wrong X-API-Key"},
        **ERROR_RESPONSES,
    },
)

AuditId = Annotated[
    str,
    PathParam(
        description="The audit's id.",
        pattern="^[0-9a-f]{32}$",
        examples=["3f2b0c5e9a8d4b7f8e1c2d3a4b5c6d7e"],
    ),
]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Error, "description": "No audit has this id"}
}


def _links(audit_id: str) -> AuditLinks:
    base = f"{router.prefix}/{audit_id}"
    return AuditLinks(
        self=base,
        assessments_csv=f"{base}/assessments.csv",
        assessments_xlsx=f"{base}/assessments.xlsx",
        summary_csv=f"{base}/summary.csv",
        report=f"{base}/report",
    )


def _job_dir(settings: AuditSettings, audit_id: str) -> Path:
    job = settings.data_dir / "audits" / audit_id
    if not (job / "job.json").exists():
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no audit with id {audit_id}")
    return job


def _safe_name(filename: str | None, taken: set[str]) -> str:
    """The file's own name (no folders, no leading dots), unique within the upload."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*').strip()
    name = name.lstrip(".").strip()[:200] or "upload"
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate = f"{stem}-{n}.{ext}" if dot and stem else f"{name}-{n}"
        n += 1
    taken.add(candidate.lower())
    return candidate


@router.post(
    "",
    operation_id="createAudit",
    summary="Audit several tenders (files or a zip) in the background",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=AuditCreated,
    responses={
        202: {
            "description": "Accepted; follow the Location header (GET the audit) for progress",
            "headers": {
                "Location": {"description": "The audit's URL", "schema": {"type": "string"}}
            },
        },
        413: {"model": Error, "description": "Upload over the audit size limit"},
        422: {"model": Error, "description": "No file sent, or too many files"},
    },
)
def create_audit(
    request: Request,
    response: Response,
    files: Annotated[
        list[UploadFile],
        File(
            description="Tender documents (PDF, DOCX, plain text, OCDS JSON) and/or zip "
            "archives of them; repeat the `files` field for each file."
        ),
    ],
    buyer: Annotated[
        str | None,
        Form(max_length=512, description="Buyer to record for documents that do not name one."),
    ] = None,
) -> AuditCreated:
    settings = get_audit_settings(request)
    if not files:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "no file sent in the `files` field"
        )
    if len(files) > settings.max_audit_files:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"too many files: {len(files)} (at most {settings.max_audit_files}); send a zip archive",
        )
    audit_id = uuid.uuid4().hex
    job = settings.data_dir / "audits" / audit_id
    uploads = job / "uploads"
    uploads.mkdir(parents=True)
    limit = int(settings.max_audit_mb * MB)
    size = 0
    names: list[str] = []
    taken: set[str] = set()
    try:
        for upload in files:
            name = _safe_name(upload.filename, taken)
            with (uploads / name).open("wb") as out:
                while chunk := upload.file.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise HTTPException(
                            status.HTTP_413_CONTENT_TOO_LARGE,
                            f"upload is larger than the audit limit of {settings.max_audit_mb:g} MB",
                        )
                    out.write(chunk)
            names.append(name)
        _write_job(job, id=audit_id, state="queued", created_at=_now(), files=names, buyer=buyer)
    except BaseException:
        shutil.rmtree(job, ignore_errors=True)
        raise
    get_runner(request).submit(job, settings.audit_workers, buyer)
    links = _links(audit_id)
    response.headers["Location"] = links.self
    return AuditCreated(id=audit_id, state="queued", files=len(names), links=links)


def _status(request: Request, audit_id: str) -> AuditStatus:
    from analyser.audit import read_status

    settings = get_audit_settings(request)
    job = _job_dir(settings, audit_id)
    info = _read_job(job)
    state: str = info.get("state", "queued")
    progress = read_status(job / "out") if state != "queued" else None
    if state in ("queued", "running") and audit_id not in get_runner(request).known:
        state = "interrupted"  # the server restarted while the audit waited or ran
    out: dict[str, Any] = {
        "id": audit_id,
        "state": state,
        "created_at": info.get("created_at", ""),
        "started_at": info.get("started_at"),
        "finished_at": info.get("finished_at"),
        "detail": info.get("detail"),
        "links": _links(audit_id),
    }
    if progress:
        out.update({k: progress[k] for k in ("total", "done", "failed", "pending", "cached")})
        out["documents"] = progress["documents"]
    return AuditStatus(**out)


@router.get(
    "/{audit_id}",
    operation_id="getAudit",
    summary="Progress of an audit and the status of each document",
    response_model=AuditStatus,
    responses=NOT_FOUND,
)
def get_audit(request: Request, audit_id: AuditId) -> AuditStatus:
    return _status(request, audit_id)


def _finished_file(request: Request, audit_id: str, name: str) -> Path:
    current = _status(request, audit_id)
    if current.state != "finished":
        done = current.done + current.failed
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"audit {audit_id} is {current.state}"
            + (f" ({done} of {current.total} documents done)" if current.total else "")
            + (f": {current.detail}" if current.detail else "")
            + "; the results are ready when its state is finished",
        )
    path = get_audit_settings(request).data_dir / "audits" / audit_id / "out" / name
    if not path.exists():
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"audit {audit_id} has no {name}")
    return path


NOT_READY: dict[int | str, dict[str, Any]] = {
    404: json_error("No audit has this id"),
    409: json_error("The audit has not finished (queued, running, failed or interrupted)"),
    401: json_error("Missing or wrong X-API-Key"),
    422: json_error("A parameter is invalid"),
    500: json_error("Unexpected server error (logged; no details exposed)"),
}


@router.get(
    "/{audit_id}/assessments.csv",
    operation_id="getAuditCsv",
    summary="One row per document (CSV), failures with their error",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "The table"}, **NOT_READY},
)
def get_audit_csv(request: Request, audit_id: AuditId) -> FileResponse:
    path = _finished_file(request, audit_id, "assessments.csv")
    return FileResponse(
        path, media_type="text/csv; charset=utf-8", filename=f"audit-{audit_id}-assessments.csv"
    )


@router.get(
    "/{audit_id}/summary.csv",
    operation_id="getAuditSummaryCsv",
    summary="One row per buyer (CSV): verdict shares, median score and weight, share at 10% or more",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "The table"}, **NOT_READY},
)
def get_audit_summary_csv(request: Request, audit_id: AuditId) -> FileResponse:
    path = _finished_file(request, audit_id, "summary.csv")
    return FileResponse(
        path, media_type="text/csv; charset=utf-8", filename=f"audit-{audit_id}-summary.csv"
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/{audit_id}/assessments.xlsx",
    operation_id="getAuditXlsx",
    summary="The same table as a spreadsheet (with the per-buyer summary)",
    response_class=FileResponse,
    responses={200: {"content": {XLSX: {}}, "description": "The spreadsheet"}, **NOT_READY},
)
def get_audit_xlsx(request: Request, audit_id: AuditId) -> FileResponse:
    path = _finished_file(request, audit_id, "assessments.xlsx")
    return FileResponse(path, media_type=XLSX, filename=f"audit-{audit_id}-assessments.xlsx")


@router.get(
    "/{audit_id}/report",
    operation_id="getAuditReport",
    summary="The audit's standalone HTML report (charts, good practice, weakest tenders)",
    response_class=FileResponse,
    responses={
        200: {"content": {"text/html": {}}, "description": "A self-contained HTML page"},
        **NOT_READY,
    },
)
def get_audit_report(request: Request, audit_id: AuditId) -> FileResponse:
    path = _finished_file(request, audit_id, "report.html")
    return FileResponse(path, media_type="text/html; charset=utf-8")
