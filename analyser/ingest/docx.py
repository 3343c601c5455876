"""DOCX ingest through python-docx: one ``Page`` (Word has no pages) whose lines carry what the
document's styles say, and a ``locator`` instead of a page number.

- Body paragraphs and tables in document order. The body is walked element by element rather
  than with ``Document.iter_inner_content()``, which skips content controls (``w:sdt``) that
  tender templates often wrap clauses in; nested tables are flattened into their cell.
- Heading styles (Title, Heading 1-9, styles based on them, or an outline level) set
  ``heading_level``; list styles and Word numbering set ``kind`` "bullet" or "numbered".
- Word's automatic numbers ("5.3", "(a)") are not part of a paragraph's text in python-docx;
  they are worked out from the numbering definitions and put in front of the text, as the
  reader sees them.
- Tables become ``Table`` rows for the weigh stage (a merged cell's text once, in its first
  grid cell, ``""`` in the rest of the merged range) and ``table_row`` lines (non-empty cells
  joined with " | ").
- Headers and footers: every distinct header and footer paragraph is read once (not once per
  section), before the body, with the locator "header" or "footer"; page numbers and other
  page furniture are dropped.
- Locators: "§<heading> ¶<n>" for paragraphs (n counts the paragraphs since that heading),
  "§<heading>" for headings, "table <t> row <r>" for table rows (with the heading in front
  when there is one).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from analyser.errors import InputError
from analyser.types import Line, Page, Table, Tender

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
FURNITURE = re.compile(
    r"^(page\s*\d*(\s*of\s*\d*)?|\d+(\s*(of|/)\s*\d+)?|-\s*\d+\s*-)$", re.IGNORECASE
)
# "Page 3 of 12" at the end of a header or footer line (fields such as PAGE read as nothing)
PAGE_NUMBER = re.compile(r"\s*\bpage\s*\d*\s*(of\s*\d*)?\s*$", re.IGNORECASE)
LOCATOR_HEADING_CHARS = 60
ListKind = Literal["bullet", "numbered"]


def read_docx(data: bytes, name: str, sha256: str) -> Tender:
    """Read a Word document into a one-page ``Tender``."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, lxml and python-docx each raise their own types
        raise InputError(name, "corrupt or unreadable DOCX") from exc
    try:
        reader = _Reader(document)
        reader.read()
    except Exception as exc:  # a damaged part found while walking the body
        raise InputError(name, "corrupt or unreadable DOCX") from exc
    lines = reader.lines
    if not any(line.text for line in lines):
        raise InputError(name, "DOCX has no text")
    text = "\n".join(line.text for line in lines)
    page = Page(number=1, text=text, lines=tuple(lines), tables=tuple(reader.tables))
    return Tender(
        name=name,
        sha256=sha256,
        format="docx",
        pages=(page,),
        title=reader.title(),
    )


@dataclass
class _Reader:
    document: Any
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    heading: str = ""
    paragraph_count: int = 0
    table_count: int = 0
    first_title: str = ""

    def __post_init__(self) -> None:
        self.numbering = _Numbering(self.document)

    def read(self) -> None:
        self._headers_and_footers()
        for kind, element in _blocks(self.document.element.body):
            if kind == "p":
                self._paragraph(element)
            else:
                self._table(element)

    def title(self) -> str | None:
        try:
            title = (self.document.core_properties.title or "").strip()
        except Exception:
            title = ""
        return title or self.first_title or None

    # -- paragraphs -------------------------------------------------------------------------

    def _paragraph(self, p: Any) -> None:
        from docx.text.paragraph import Paragraph

        paragraph = Paragraph(p, self.document)
        text = _clean(paragraph.text)
        style = _style_chain(paragraph)
        level = _heading_level(p, style)
        list_kind, label = self.numbering.label(p, style)
        if not text:
            return
        if label and not text.startswith(label):
            text = f"{label} {text}"
        if level is not None:
            self.heading = text
            self.paragraph_count = 0
            if not self.first_title:
                self.first_title = text
            self.lines.append(Line(text=text, heading_level=level, locator=self._section()))
            return
        names = " ".join(s.name or "" for s in style[:1]).lower()
        kind: ListKind | None = list_kind
        if kind is None:
            if "list bullet" in names:
                kind = "bullet"
            elif "list number" in names:
                kind = "numbered"
        self.paragraph_count += 1
        locator = f"{self._section()} ¶{self.paragraph_count}".strip()
        self.lines.append(Line(text=text, kind=kind or "paragraph", locator=locator))

    def _section(self) -> str:
        if not self.heading:
            return ""
        heading = self.heading
        if len(heading) > LOCATOR_HEADING_CHARS:
            heading = heading[: LOCATOR_HEADING_CHARS - 1].rstrip() + "…"
        return f"§{heading}"

    # -- tables -----------------------------------------------------------------------------

    def _table(self, tbl: Any) -> None:
        rows = table_rows(tbl, self.document)
        if not any(any(row) for row in rows):
            return
        self.table_count += 1
        where = f"{self._section()}, " if self.heading else ""
        for r, row in enumerate(rows, start=1):
            cells = [c for c in row if c]
            if cells:
                locator = f"{where}table {self.table_count} row {r}"
                self.lines.append(Line(text=" | ".join(cells), kind="table_row", locator=locator))
        self.tables.append(Table(page=1, rows=tuple(rows)))

    # -- headers and footers ----------------------------------------------------------------

    def _headers_and_footers(self) -> None:
        seen: set[str] = set()
        for section in self.document.sections:
            parts = (
                ("header", section.header),
                ("header", section.first_page_header),
                ("header", section.even_page_header),
                ("footer", section.footer),
                ("footer", section.first_page_footer),
                ("footer", section.even_page_footer),
            )
            for where, part in parts:
                if part.is_linked_to_previous:
                    continue  # inherits the previous section's: already read
                for raw in _part_texts(part._element, self.document):
                    text = PAGE_NUMBER.sub("", raw).strip()
                    if not text or FURNITURE.match(text) or text in seen:
                        continue
                    seen.add(text)
                    self.lines.append(Line(text=text, kind="paragraph", locator=where))


def _blocks(parent: Any) -> Iterator[tuple[str, Any]]:
    """("p", paragraph element) and ("tbl", table element) in document order, looking inside
    content controls (``w:sdt``) and tracked insertions."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{W}p":
            yield "p", child
        elif tag == f"{W}tbl":
            yield "tbl", child
        elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
            yield from _blocks(child.find(f"{W}sdtContent") if tag == f"{W}sdt" else child)


def _part_texts(element: Any, parent: Any) -> Iterator[str]:
    from docx.text.paragraph import Paragraph

    for kind, child in _blocks(element):
        if kind == "p":
            text = _clean(Paragraph(child, parent).text)
            if text:
                yield text
        else:
            for row in table_rows(child, parent):
                cells = [c for c in row if c]
                if cells:
                    yield " | ".join(cells)


def table_rows(tbl: Any, parent: Any) -> list[tuple[str, ...]]:
    """The table's rows as cell texts on the layout grid. A merged cell's text appears once, in
    its first grid cell; the other cells of a horizontal span and the cells below it in a
    vertical span are ``""``."""
    rows: list[tuple[str, ...]] = []
    for tr in tbl.findall(f"{W}tr"):
        cells: list[str] = [""] * _grid_before(tr)
        for tc in tr.findall(f"{W}tc"):
            span = _int_attr(tc, "tcPr/w:gridSpan", 1)
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            continued = vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue"
            cells.append("" if continued else _cell_text(tc, parent))
            cells.extend([""] * (span - 1))
        rows.append(tuple(cells))
    width = max((len(r) for r in rows), default=0)
    return [r + ("",) * (width - len(r)) for r in rows]


def _cell_text(tc: Any, parent: Any) -> str:
    """All the text in a cell (nested tables flattened), whitespace normalised."""
    from docx.text.paragraph import Paragraph

    return _clean(" ".join(Paragraph(p, parent).text for p in tc.iter(f"{W}p")))


def _grid_before(tr: Any) -> int:
    return _int_attr(tr, "trPr/w:gridBefore", 0)


def _int_attr(element: Any, path: str, default: int) -> int:
    found = element.find("/".join(f"{W}{step.removeprefix('w:')}" for step in path.split("/")))
    if found is None:
        return default
    try:
        return int(found.get(f"{W}val", default))
    except ValueError:
        return default


def _clean(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Styles: headings and lists
# ---------------------------------------------------------------------------------------------


def _style_chain(paragraph: Any) -> list[Any]:
    """The paragraph's style and the styles it is based on, nearest first."""
    chain: list[Any] = []
    try:
        style = paragraph.style
    except Exception:
        return chain
    while style is not None and len(chain) < 8:
        chain.append(style)
        style = style.base_style
    return chain


def _heading_level(p: Any, style: list[Any]) -> int | None:
    for s in style:
        name = (s.name or "").strip()
        if name.lower() == "title":
            return 1
        match = HEADING_STYLE.match(name)
        if match:
            return max(1, int(match.group(1)))
    for element in [p] + [s.element for s in style]:
        level = element.find(f"{W}pPr/{W}outlineLvl")
        if level is not None:
            try:
                value = int(level.get(f"{W}val", "9"))
            except ValueError:
                continue
            return value + 1 if value < 9 else None
    return None


ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
         (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        n = value
        while n > 0:
            n, rem = divmod(n - 1, 26)
            letters = chr(ord("a") + rem) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        out = ""
        n = value
        for size, numeral in ROMAN:
            while n >= size:
                out += numeral
                n -= size
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


@dataclass
class _Level:
    fmt: str
    text: str
    start: int


class _Numbering:
    """Word's automatic numbering, worked out as Word does: counters per abstract list, a level's
    counter restarts when a higher level moves on, ``startOverride`` restarts a list."""

    def __init__(self, document: Any) -> None:
        self.abstract_of: dict[str, str] = {}
        self.levels: dict[str, dict[int, _Level]] = {}
        self.overrides: dict[str, dict[int, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part: lists come only from style names
            return
        for abstract in root.findall(f"{W}abstractNum"):
            aid = abstract.get(f"{W}abstractNumId", "")
            levels: dict[int, _Level] = {}
            for lvl in abstract.findall(f"{W}lvl"):
                ilvl = int(lvl.get(f"{W}ilvl", "0"))
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                levels[ilvl] = _Level(
                    fmt=fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text=text.get(f"{W}val", "") if text is not None else "",
                    start=int(start.get(f"{W}val", "1")) if start is not None else 1,
                )
            self.levels[aid] = levels
        for num in root.findall(f"{W}num"):
            nid = num.get(f"{W}numId", "")
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.abstract_of[nid] = ref.get(f"{W}val", "")
            for override in num.findall(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                if start is not None:
                    ilvl = int(override.get(f"{W}ilvl", "0"))
                    self.overrides.setdefault(nid, {})[ilvl] = int(start.get(f"{W}val", "1"))

    def label(self, p: Any, style: list[Any]) -> tuple[ListKind | None, str]:
        """(kind, number as displayed) for a paragraph; (None, "") when it is not in a list."""
        num_id, ilvl = _num_pr(p, style)
        if num_id is None or num_id == "0":
            return None, ""
        aid = self.abstract_of.get(num_id)
        levels = self.levels.get(aid or "", {})
        level = levels.get(ilvl)
        if aid is None or level is None:
            return "bullet", ""
        if level.fmt in ("bullet", "none"):
            return "bullet", ""
        counters = self.counters.setdefault(aid, {})
        if num_id not in self.started and num_id in self.overrides:
            for k, start in self.overrides[num_id].items():
                counters[k] = start - 1
                for deeper in [d for d in counters if d > k]:
                    counters.pop(deeper)
        self.started.add(num_id)
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [d for d in counters if d > ilvl]:
            counters.pop(deeper)

        def value(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            lvl = levels.get(k)
            if lvl is None:
                return ""
            count = counters.get(k, lvl.start)
            return _format_number(count, lvl.fmt)

        return "numbered", _clean(re.sub(r"%(\d)", value, level.text))


def _num_pr(p: Any, style: list[Any]) -> tuple[str | None, int]:
    """(numId, level) from the paragraph's own numbering, else its style's."""
    for element in [p] + [s.element for s in style]:
        num_pr = element.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            continue
        num_id = num_pr.find(f"{W}numId")
        ilvl = num_pr.find(f"{W}ilvl")
        level = 0
        if ilvl is not None:
            try:
                level = int(ilvl.get(f"{W}val", "0"))
            except ValueError:
                level = 0
        return (num_id.get(f"{W}val") if num_id is not None else None), level
    return None, 0
