"""Plain text: form feeds separate pages; otherwise the whole file is one page."""

from __future__ import annotations

from analyser.errors import InputError
from analyser.ingest.sniff import _decode
from analyser.types import Line, Page, Tender


def read_text(data: bytes, name: str, sha256: str) -> Tender:
    text = _decode(data)
    if text is None:
        raise InputError(name, "unsupported type: not readable as text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(name, "file is empty")
    pages = []
    for number, chunk in enumerate(text.split("\f"), start=1):
        lines = tuple(Line(text=line.rstrip()) for line in chunk.split("\n"))
        pages.append(Page(number=number, text=chunk, lines=lines))
    return Tender(name=name, sha256=sha256, format="text", pages=tuple(pages))
