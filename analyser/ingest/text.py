"""Plain text: form feeds separate pages; otherwise the whole file is one page.

Lines get positions one line-pitch apart (plain text has no layout), so that tables written
with pipes, tabs or aligned columns (``layout.text_tables``) are read as tables."""

from __future__ import annotations

from analyser.errors import InputError
from analyser.ingest.layout import text_tables
from analyser.ingest.sniff import _decode
from analyser.types import Line, Page, Table, Tender

PITCH = 12.0  # points between two lines of text
HEIGHT = 8.0  # leaves a gap wider than the table-span tolerance in segment


def read_text(data: bytes, name: str, sha256: str) -> Tender:
    text = _decode(data)
    if text is None:
        raise InputError(name, "unsupported type: not readable as text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(name, "file is empty")
    pages = [text_page(number, chunk) for number, chunk in enumerate(text.split("\f"), start=1)]
    return Tender(name=name, sha256=sha256, format="text", pages=tuple(pages))


def text_page(number: int, text: str) -> Page:
    """One page of plain text: its lines, and the tables its lines write."""
    raw = text.split("\n")
    lines = tuple(
        Line(text=line.rstrip(), x0=0.0, top=i * PITCH, x1=0.0, bottom=i * PITCH + HEIGHT)
        for i, line in enumerate(raw)
    )
    tables = tuple(
        Table(page=number, rows=t.rows, top=t.first * PITCH, bottom=t.last * PITCH + HEIGHT)
        for t in text_tables(raw)
    )
    return Page(number=number, text=text, lines=lines, tables=tables)
