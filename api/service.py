"""The one place the API calls the analyser: read an upload, assess it, map input errors to HTTP."""

from __future__ import annotations

import hashlib
import threading
from typing import Any, BinaryIO

from fastapi import HTTPException, status
from sqlalchemy.orm import Session

from analyser.errors import InputError
from api import db

CHUNK = 1024 * 1024


class SharedAnalyser:
    """One ``Analyser`` per app, built on first use and used by one request at a time.

    Analysis is CPU-bound and pdfium is not thread-safe, so assessments run one after the
    other (in the threadpool, off the event loop); run more server processes to assess in
    parallel.
    """

    def __init__(self, max_pages: int | None = None) -> None:
        self.max_pages = max_pages
        self._analyser: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        if self._analyser is None:
            from analyser.pipeline import Analyser

            self._analyser = Analyser(max_pages=self.max_pages)
        return self._analyser

    def warm(self) -> None:
        """Build the analyser now (the server does this in the background at start)."""
        with self._lock:
            self._get()

    def assess(self, data: bytes, name: str) -> dict[str, Any]:
        """The assessment JSON (output contract) of one document. Raises ``InputError``."""
        with self._lock:
            assessment = self._get().assess_bytes(data, name)
            result: dict[str, Any] = assessment.to_dict()
            return result


def read_upload(stream: BinaryIO, name: str, max_mb: float) -> bytes:
    """The uploaded bytes; 413 past ``max_mb`` megabytes."""
    limit = int(max_mb * 1024 * 1024)
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, too_large(name, max_mb))
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(name: str, max_mb: float) -> str:
    return f"{name}: file is larger than the upload limit of {max_mb:g} MB"


def input_error_status(exc: InputError) -> int:
    """415 for a type we do not read, 413 for a document over the page limit, else 422."""
    problem = exc.problem.lower()
    if problem.startswith("unsupported type"):
        return status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    if "the limit is" in problem or "too large" in problem:
        return status.HTTP_413_CONTENT_TOO_LARGE
    return status.HTTP_422_UNPROCESSABLE_CONTENT


def assess_or_raise(analyser: SharedAnalyser, data: bytes, name: str) -> dict[str, Any]:
    """Assess, turning an ``InputError`` into the matching ``HTTPException``."""
    try:
        return analyser.assess(data, name)
    except InputError as exc:
        raise HTTPException(input_error_status(exc), f"{exc.name}: {exc.problem}") from None


def upload_name(filename: str | None) -> str:
    """The file's own name from what the client sent (no folders), or ``upload``."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:255] or "upload"


def assess_and_store(
    session: Session, analyser: SharedAnalyser, data: bytes, name: str, *, refresh: bool = False
) -> tuple[db.AssessmentRecord, bool]:
    """The stored assessment of these bytes and whether it was just made.

    A document already stored (same SHA-256) is answered from the database unless
    ``refresh``, which assesses it again and replaces the stored JSON under the same id.
    """
    stored = db.find_by_sha256(session, hashlib.sha256(data).hexdigest())
    if stored is not None and not refresh:
        return stored, False
    result = assess_or_raise(analyser, data, name)
    return db.save(session, result, stored), stored is None


def assessment_out(record: db.AssessmentRecord) -> dict[str, Any]:
    """The API's assessment resource: the stored contract JSON with id and timestamps."""
    return {
        "id": record.id,
        "created_at": db.utc(record.created_at),
        "updated_at": db.utc(record.updated_at),
        **record.data,
    }


def summary_out(record: db.AssessmentRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "name": record.name,
        "format": record.format,
        "sha256": record.sha256,
        "buyer": record.buyer,
        "verdict": record.verdict,
        "score": record.score,
        "created_at": db.utc(record.created_at),
        "updated_at": db.utc(record.updated_at),
    }


def render_report(record: db.AssessmentRecord) -> str:
    """The commissioner's HTML report, rendered again from the stored JSON."""
    from analyser.report.html import render_html
    from analyser.types import Assessment

    return render_html(Assessment.from_dict(record.data))
