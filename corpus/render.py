"""Render a parsed corpus source (see SCHEMA.md) to PDF (reportlab) or DOCX (python-docx).

Both renderers are pure functions of the source dict and write byte-reproducible files:
the PDF uses reportlab's invariant mode, the DOCX has fixed core properties and fixed
zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from corpus.schema import cell_text, doc_date, layout_of, safe_text

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
COLUMN_GAP = 8 * mm
HEADER_Y = PAGE_H - 13 * mm
FOOTER_Y = 12 * mm
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FONT_ITALIC = "Helvetica-Oblique"
CREATOR = "Social Value Analyser corpus build"

_STYLES: dict[str, ParagraphStyle] = {
    "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=17, leading=21, spaceAfter=6),
    "buyer": ParagraphStyle("buyer", fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceAfter=2),
    "meta": ParagraphStyle(
        "meta", fontName=FONT, fontSize=9.5, leading=12, textColor=colors.HexColor("#333333")
    ),
    "h1": ParagraphStyle(
        "h1",
        keepWithNext=1,
        fontName=FONT_BOLD,
        fontSize=14,
        leading=18,
        spaceBefore=10,
        spaceAfter=5,
    ),
    "h2": ParagraphStyle(
        "h2",
        keepWithNext=1,
        fontName=FONT_BOLD,
        fontSize=12,
        leading=15,
        spaceBefore=8,
        spaceAfter=4,
    ),
    "h3": ParagraphStyle(
        "h3",
        keepWithNext=1,
        fontName=FONT_BOLD,
        fontSize=10.5,
        leading=13,
        spaceBefore=6,
        spaceAfter=3,
    ),
    "p": ParagraphStyle("p", fontName=FONT, fontSize=10, leading=13, spaceAfter=5),
    "bullet": ParagraphStyle(
        "bullet",
        fontName=FONT,
        fontSize=10,
        leading=13,
        leftIndent=14,
        bulletIndent=4,
        bulletFontName=FONT,
        spaceAfter=3,
    ),
    "numbered": ParagraphStyle(
        "numbered", fontName=FONT, fontSize=10, leading=13, leftIndent=6, spaceAfter=4
    ),
    "caption": ParagraphStyle(
        "caption",
        keepWithNext=1,
        fontName=FONT_BOLD,
        fontSize=9.5,
        leading=12,
        spaceBefore=4,
        spaceAfter=3,
    ),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=10.5, alignment=TA_LEFT),
    "cell_head": ParagraphStyle("cell_head", fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
}


def _markup(text: Any) -> str:
    """Return text made safe for the standard fonts and escaped for Paragraph markup."""
    return escape(safe_text(" ".join(str(text).split())))


def _para(text: Any, style: str) -> Paragraph:
    return Paragraph(_markup(text), _STYLES[style])


def _pretty_date(doc: dict[str, Any]) -> str:
    iso = doc_date(doc)
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def _meta_line(doc: dict[str, Any]) -> str:
    parts = []
    if doc.get("reference"):
        parts.append(f"Reference: {doc['reference']}")
    if doc.get("date"):
        parts.append(f"Date: {_pretty_date(doc)}")
    return "  |  ".join(parts)


def _title_block(doc: dict[str, Any]) -> list[Flowable]:
    """Title, buyer and reference/date lines, followed by a rule-like spacer."""
    flow: list[Flowable] = [_para(doc.get("title", ""), "title")]
    if doc.get("buyer"):
        flow.append(_para(doc["buyer"], "buyer"))
    meta = _meta_line(doc)
    if meta:
        flow.append(_para(meta, "meta"))
    flow.append(Spacer(1, 10))
    return flow


CELL_LEFT_PADDING = 4.0


def _right_padding(ruled: bool) -> float:
    """Unruled tables keep more space after each cell so that their columns read apart."""
    return 4.0 if ruled else 8.0


def _col_widths(grid: list[list[str]], width: float, header: bool, ruled: bool) -> list[float]:
    """Share ``width`` between columns: no word is broken if avoidable, long text gets more.

    Each column first gets the width of its longest word (plus the cell's padding, see
    ``_table``, and at least a point to spare); what is left is shared in proportion to how much wider
    each column would like to be (capped).
    """
    pad = max(10.0, CELL_LEFT_PADDING + _right_padding(ruled) + 1.0)
    size = _STYLES["cell"].fontSize
    minimum: list[float] = []
    desired: list[float] = []
    for c in range(len(grid[0])):
        low, high = 18.0, 18.0
        for ri, row in enumerate(grid):
            text = safe_text(row[c])
            font = FONT_BOLD if header and ri == 0 else FONT
            for word in text.split():
                low = max(low, stringWidth(word, font, size) + pad)
            high = max(high, min(stringWidth(text, font, size), 220.0) + pad)
        minimum.append(low)
        desired.append(max(high, low))
    if sum(minimum) >= width:
        return [width * m / sum(minimum) for m in minimum]
    spare = width - sum(minimum)
    extra = [d - m for d, m in zip(desired, minimum, strict=True)]
    if sum(extra) <= 0:
        return [m + spare / len(minimum) for m in minimum]
    return [m + spare * e / sum(extra) for m, e in zip(minimum, extra, strict=True)]


def _table(block: dict[str, Any], width: float) -> list[Flowable]:
    """Build the caption and the Table flowable for one ``table`` block."""
    header = block.get("header")
    grid: list[list[str]] = []
    if header:
        grid.append([cell_text(c) for c in header])
    for row in block.get("rows") or []:
        cells = row.get("cells") if isinstance(row, dict) else row
        grid.append([cell_text(c) for c in cells or []])
    ncols = max(len(r) for r in grid)
    grid = [r + [""] * (ncols - len(r)) for r in grid]
    data = [
        [_para(text, "cell_head" if header and ri == 0 else "cell") if text else "" for text in row]
        for ri, row in enumerate(grid)
    ]
    ruled = bool(block.get("ruled", True))
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_LEFT_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _right_padding(ruled)),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")))
    for c0, r0, c1, r1 in block.get("spans") or []:
        style.append(("SPAN", (c0, r0), (c1, r1)))
    table = Table(
        data,
        colWidths=_col_widths(grid, width, bool(header), ruled),
        repeatRows=1 if header else 0,
        hAlign="LEFT",
        style=TableStyle(style),
    )
    flow: list[Flowable] = []
    if block.get("caption"):
        flow.append(_para(block["caption"], "caption"))
    flow.append(table)
    flow.append(Spacer(1, 6))
    return flow


def _body(doc: dict[str, Any], width: float) -> list[Flowable]:
    """Turn the source body into flowables."""
    flow: list[Flowable] = []
    for block in doc.get("body") or []:
        if not isinstance(block, dict):
            continue
        for h in ("h1", "h2", "h3"):
            if h in block:
                flow.append(_para(block[h], h))
        if "p" in block:
            flow.append(_para(block["p"], "p"))
        for item in block.get("bullets") or []:
            text = item.get("text", "") if isinstance(item, dict) else item
            flow.append(Paragraph(_markup(text), _STYLES["bullet"], bulletText="\u2022"))
        for item in block.get("numbered") or []:
            text = item.get("text", "") if isinstance(item, dict) else item
            flow.append(_para(text, "numbered"))
        if isinstance(block.get("table"), dict):
            flow.extend(_table(block["table"], width))
        if block.get("page_break"):
            flow.append(PageBreak())
    return flow


class _NumberedCanvas(rl_canvas.Canvas):
    """Canvas that defers page furniture so it can print "Page N of M"."""

    def __init__(
        self,
        *args: Any,
        header: str | None = None,
        footer: str | None = None,
        numbers: str = "n_of_m",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = (header, footer, numbers)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab API)
        """Remember the page; it is emitted in :meth:`save` once the total is known."""
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Draw header/footer with page numbers on every page, then write the file."""
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_furniture(total)
            super().showPage()
        super().save()

    def _draw_furniture(self, total: int) -> None:
        header, footer, numbers = self._furniture
        page = self._pageNumber
        self.saveState()
        self.setFillColor(colors.HexColor("#444444"))
        if header:
            text = safe_text(header)
            size = 8.0
            while size > 5 and stringWidth(text, FONT, size) > PAGE_W - 2 * MARGIN_X:
                size -= 0.5
            self.setFont(FONT, size)
            self.drawString(MARGIN_X, HEADER_Y, text)
            self.setLineWidth(0.4)
            self.line(MARGIN_X, HEADER_Y - 4, PAGE_W - MARGIN_X, HEADER_Y - 4)
        self.setFont(FONT, 8)
        label = {"n_of_m": f"Page {page} of {total}", "n": f"Page {page}"}.get(numbers, "")
        if footer:
            self.drawString(MARGIN_X, FOOTER_Y, safe_text(footer))
            if label:
                self.drawRightString(PAGE_W - MARGIN_X, FOOTER_Y, label)
        elif label:
            self.drawCentredString(PAGE_W / 2, FOOTER_Y, label)
        self.restoreState()


def _frames(columns: int, title_height: float) -> tuple[list[Frame], list[Frame]]:
    """Frames for the first page and for later pages."""
    body_w = PAGE_W - 2 * MARGIN_X
    body_h = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
    pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    if columns == 1:
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, body_w, body_h, id="body", **pad)
        return [frame], [frame]
    col_w = (body_w - COLUMN_GAP) / 2

    def cols(height: float, tag: str) -> list[Frame]:
        return [
            Frame(MARGIN_X, MARGIN_BOTTOM, col_w, height, id=f"{tag}left", **pad),
            Frame(
                MARGIN_X + col_w + COLUMN_GAP, MARGIN_BOTTOM, col_w, height, id=f"{tag}right", **pad
            ),
        ]

    title = Frame(
        MARGIN_X, MARGIN_BOTTOM + body_h - title_height, body_w, title_height, id="title", **pad
    )
    return [title, *cols(body_h - title_height, "first")], cols(body_h, "later")


def render_pdf(doc: dict[str, Any], path: Path) -> None:
    """Render a source to an A4 PDF at ``path`` (reproducible byte for byte).

    Two-column documents get a full-width title block on page 1 and two frames per page
    for the body; running header/footer and page numbers are drawn on every page.
    """
    layout = layout_of(doc)
    columns = int(layout["columns"])
    body_w = PAGE_W - 2 * MARGIN_X
    title = _title_block(doc)
    title_h = sum(f.wrap(body_w, PAGE_H)[1] + f.getSpaceAfter() for f in title) + 4
    first, later = _frames(columns, title_h)
    template = BaseDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=safe_text(str(doc.get("title", ""))),
        author=safe_text(str(doc.get("buyer", ""))),
        subject=str(doc.get("id", "")),
        creator=CREATOR,
        invariant=1,
    )
    template.addPageTemplates(
        [PageTemplate(id="first", frames=first), PageTemplate(id="later", frames=later)]
    )
    col_w = body_w if columns == 1 else (body_w - COLUMN_GAP) / 2
    story: list[Flowable] = [NextPageTemplate("later"), *title]
    if columns == 2:
        story.append(FrameBreak())
    story.extend(_body(doc, col_w))
    maker = functools.partial(
        _NumberedCanvas,
        header=layout["header"],
        footer=layout["footer"],
        numbers=layout["page_numbers"],
    )
    template.build(story, canvasmaker=maker)


# ----------------------------------------------------------------------------- DOCX


def _fixed_datetime(doc: dict[str, Any]) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(doc_date(doc))
    except ValueError:
        day = dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, 9, 0, 0)


def _add_field(paragraph: DocxParagraph, instr: str) -> None:
    """Append a simple field (PAGE, NUMPAGES) to a paragraph."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _no_auto_numbering(paragraph: DocxParagraph) -> None:
    """Keep the "List Number" style but switch off Word's automatic number (numId 0)."""
    num = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num.get_or_add_ilvl().val = 0
    num.get_or_add_numId().val = 0


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _docx_table(document: Any, block: dict[str, Any]) -> None:
    header = block.get("header")
    grid: list[list[str]] = []
    if header:
        grid.append([cell_text(c) for c in header])
    for row in block.get("rows") or []:
        cells = row.get("cells") if isinstance(row, dict) else row
        grid.append([cell_text(c) for c in cells or []])
    ncols = max(len(r) for r in grid)
    if block.get("caption"):
        document.add_paragraph(str(block["caption"]), style="Caption")
    table = document.add_table(rows=len(grid), cols=ncols)
    if block.get("ruled", True):
        table.style = "Table Grid"
    cells = table._cells  # row-major; computed once (table.cell() is slow on long tables)
    for ri, row in enumerate(grid):
        for ci, text in enumerate(row):
            cell = cells[ri * ncols + ci]
            cell.text = text
            if header and ri == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    if header:
        _repeat_header(table.rows[0])
    for c0, r0, c1, r1 in block.get("spans") or []:
        keep = grid[r0][c0]
        merged = table.cell(r0, c0).merge(table.cell(r1, c1))
        merged.text = keep
        if header and r0 == 0:
            for run in merged.paragraphs[0].runs:
                run.bold = True
    document.add_paragraph()


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so identical content gives identical bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render_docx(doc: dict[str, Any], path: Path) -> None:
    """Render a source to a Word document at ``path`` (reproducible byte for byte).

    Uses the built-in styles Title, Heading 1-3, List Bullet, List Number (literal
    numbers kept in the text), Caption and Table Grid; spans become merged cells.
    """
    layout = layout_of(doc)
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)

    document.add_heading(str(doc.get("title", "")), level=0)
    if doc.get("buyer"):
        document.add_paragraph(str(doc["buyer"]), style="Subtitle")
    meta = _meta_line(doc)
    if meta:
        document.add_paragraph(meta)

    section = document.sections[0]
    if layout["header"]:
        section.header.paragraphs[0].text = str(layout["header"])
    footer_p = section.footer.paragraphs[0]
    if layout["footer"]:
        footer_p.add_run(str(layout["footer"]) + "\t\t")
    if layout["page_numbers"] != "none":
        footer_p.add_run("Page ")
        _add_field(footer_p, "PAGE")
        if layout["page_numbers"] == "n_of_m":
            footer_p.add_run(" of ")
            _add_field(footer_p, "NUMPAGES")

    if layout["columns"] == 2:
        body_section = document.add_section(WD_SECTION.CONTINUOUS)
        cols = body_section._sectPr.find(qn("w:cols"))
        if cols is None:
            cols = OxmlElement("w:cols")
            body_section._sectPr.append(cols)
        cols.set(qn("w:num"), "2")
        cols.set(qn("w:space"), "454")

    for block in doc.get("body") or []:
        if not isinstance(block, dict):
            continue
        for level, h in enumerate(("h1", "h2", "h3"), start=1):
            if h in block:
                document.add_heading(str(block[h]), level=level)
        if "p" in block:
            document.add_paragraph(str(block["p"]))
        for item in block.get("bullets") or []:
            text = item.get("text", "") if isinstance(item, dict) else item
            document.add_paragraph(str(text), style="List Bullet")
        for item in block.get("numbered") or []:
            text = item.get("text", "") if isinstance(item, dict) else item
            _no_auto_numbering(document.add_paragraph(str(text), style="List Number"))
        if isinstance(block.get("table"), dict):
            _docx_table(document, block["table"])
        if block.get("page_break"):
            document.add_page_break()

    stamp = _fixed_datetime(doc)
    props = document.core_properties
    props.author = str(doc.get("buyer", ""))
    props.last_modified_by = str(doc.get("buyer", ""))
    props.title = str(doc.get("title", ""))
    props.subject = str(doc.get("id", ""))
    props.comments = CREATOR
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    Path(path).write_bytes(_reproducible_zip(buffer.getvalue()))
