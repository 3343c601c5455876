"""Batch audit: many tenders (files, folders, zip archives) into tables, charts and a report.

>>> from analyser.audit import audit
>>> result = audit(["tenders/", "council.zip"], "audit-out", workers=2)
>>> result.assessments  # one row per document (pandas), failures with their error

Writes ``assessments.csv``, ``assessments.xlsx``, ``summary.csv`` (per buyer) and
``report.html`` (standalone, charts inline) into the output folder, and caches every result
by document hash in ``audit.sqlite`` there, so an interrupted audit resumes where it stopped.
"""

from __future__ import annotations

from analyser.audit.inputs import ArchiveLimits, collect
from analyser.audit.run import (
    OUTPUTS,
    AuditError,
    AuditResult,
    audit,
    engine_fingerprint,
    is_running,
    read_status,
    run_audit,
    write_outputs,
)
from analyser.audit.tables import assessments_frame, summary_frame

__all__ = [
    "OUTPUTS",
    "ArchiveLimits",
    "AuditError",
    "AuditResult",
    "assessments_frame",
    "audit",
    "collect",
    "engine_fingerprint",
    "is_running",
    "read_status",
    "run_audit",
    "summary_frame",
    "write_outputs",
]
