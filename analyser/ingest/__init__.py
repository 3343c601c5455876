"""Ingest: read a file (PDF, DOCX, plain text, OCDS JSON) into a ``Tender``.

The format is detected from the content (``sniff``), not the file name.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from analyser.errors import InputError
from analyser.ingest.sniff import sniff
from analyser.types import Tender

MAX_BYTES_DEFAULT = 50 * 1024 * 1024


def read_tender(
    path: str | Path, *, name: str | None = None, max_pages: int | None = None
) -> Tender:
    """Read one tender document from ``path``. Raises ``InputError`` for anything unreadable."""
    path = Path(path)
    display = name or path.name
    if not path.exists():
        raise InputError(display, "file not found")
    if path.is_dir():
        raise InputError(display, "is a folder, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(display, f"cannot be read ({exc.strerror or exc})") from None
    return read_bytes(data, display, max_pages=max_pages)


def read_bytes(data: bytes, name: str, *, max_pages: int | None = None) -> Tender:
    """Read a tender from bytes already in memory (uploads, archive members)."""
    if not data.strip():
        raise InputError(name, "file is empty")
    fmt = sniff(data)
    sha256 = hashlib.sha256(data).hexdigest()
    if fmt == "pdf":
        from analyser.ingest.pdf import read_pdf

        return read_pdf(data, name, sha256, max_pages=max_pages)
    if fmt == "docx":
        from analyser.ingest.docx import read_docx

        return read_docx(data, name, sha256)
    if fmt == "ocds":
        from analyser.ingest.ocds import read_ocds

        return read_ocds(data, name, sha256)
    if fmt == "text":
        from analyser.ingest.text import read_text

        return read_text(data, name, sha256)
    raise InputError(name, fmt)
