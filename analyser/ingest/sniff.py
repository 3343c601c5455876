"""Detect a document's format from its bytes."""

from __future__ import annotations

import io
import json
import zipfile


def sniff(data: bytes) -> str:
    """Return ``pdf``, ``docx``, ``ocds`` or ``text``; otherwise a one-line problem description."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "corrupt zip container (not a readable DOCX)"
        if "word/document.xml" in names:
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "unsupported type: spreadsheet (XLSX); export the tender as PDF or DOCX"
        return (
            "unsupported type: a zip archive, not a tender document (use `sva audit` for archives)"
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "unsupported type: legacy Word/Office (.doc) file; save it as DOCX or PDF"
    text = _decode(data)
    if text is None:
        return "unsupported type: binary file that is not a PDF, DOCX, text or OCDS JSON"
    stripped = text.lstrip()
    if stripped[:1] in "{[":
        try:
            obj = json.loads(stripped)
        except ValueError:
            return "text"
        if _looks_like_ocds(obj):
            return "ocds"
        return "unsupported type: JSON that is not an OCDS release, release package or record"
    if stripped[:1] == "<" and stripped[:200].lower().lstrip("<!").startswith(
        ("doctype html", "html")
    ):
        return "unsupported type: HTML page; save the tender as PDF, DOCX or text"
    return "text"


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        if _is_texty(text):
            return text
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return text if _is_texty(text) else None


def _is_texty(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t\f") or ch == "\ufffd")
    return bad / len(sample) < 0.01


def _looks_like_ocds(obj: object) -> bool:
    if not isinstance(obj, dict):
        return False
    if "ocid" in obj:
        return True
    for key in ("releases", "records"):
        items = obj.get(key)
        if isinstance(items, list) and items and isinstance(items[0], dict):
            return True
    return False
