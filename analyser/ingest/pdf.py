"""PDF ingest: every page's text and line positions through pypdfium2 (fast); pdfplumber's
table finder only on pages that look like they hold evaluation tables."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from analyser.errors import InputError
from analyser.types import Line, Page, Table, Tender

# Pages whose text matches this are worth pdfplumber's (slow) table finder.
TABLE_CUES = re.compile(
    r"weight|criteri|marks?\b|score|points|evaluation|\d\s?%|per ?cent|KPI", re.IGNORECASE
)


def read_pdf(data: bytes, name: str, sha256: str, *, max_pages: int | None = None) -> Tender:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise InputError(
                name, "PDF is encrypted (password protected); cannot be read"
            ) from None
        raise InputError(name, "corrupt or unreadable PDF") from None
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise InputError(name, "PDF has no pages")
        if max_pages is not None and n_pages > max_pages:
            raise InputError(name, f"PDF has {n_pages} pages; the limit is {max_pages}")
        pages: list[Page] = []
        warnings: list[str] = []
        for index in range(n_pages):
            page = pdf[index]
            try:
                lines = tuple(_page_lines(page))
            except pdfium.PdfiumError:
                lines = ()
                warnings.append(f"page {index + 1} could not be read; not analysed")
            text = "\n".join(line.text for line in lines)
            has_text = bool(text.strip())
            pages.append(Page(number=index + 1, text=text, lines=lines, has_text_layer=has_text))
            page.close()
        title = _metadata_title(pdf)
    finally:
        pdf.close()

    blank = [p.number for p in pages if not p.has_text_layer]
    ocr_read: set[int] = set()
    if blank:  # scanned pages: OCR when Tesseract is installed (analyser.ingest.ocr)
        ocr_read = _ocr_blank_pages(data, name, pages, blank, warnings)
    candidates = [
        p.number
        for p in pages
        if p.has_text_layer and p.number not in ocr_read and TABLE_CUES.search(p.text)
    ]
    if candidates:
        tables = _find_tables(data, candidates)
        pages = [
            Page(p.number, p.text, p.lines, tuple(tables.get(p.number, ())), p.has_text_layer)
            for p in pages
        ]
    return Tender(
        name=name,
        sha256=sha256,
        format="pdf",
        pages=tuple(pages),
        warnings=tuple(warnings),
        title=title,
    )


def _ocr_blank_pages(
    data: bytes, name: str, pages: list[Page], blank: list[int], warnings: list[str]
) -> set[int]:
    """Read the pages without a text layer by OCR when Tesseract is installed, replacing them in
    ``pages``; warn about pages not read. Returns the pages read. Raises ``InputError`` when
    no page has any text."""
    from analyser.ingest import ocr

    if not ocr.available():
        if len(blank) == len(pages):
            raise InputError(
                name, "PDF has no text layer (scanned images only); OCR is not available"
            )
        warnings.append(
            f"{_page_list(blank)} no text layer (scanned image); not analysed "
            "(OCR is not available: install Tesseract to read scanned pages)"
        )
        return set()
    result = ocr.ocr_pdf_pages(data, blank)
    read: set[int] = set()
    for number, text in result.texts.items():
        lines = ocr.text_lines(text)
        if any(line.text for line in lines):
            page_text = "\n".join(line.text for line in lines)
            tables = ocr.weight_tables(lines, number)
            pages[number - 1] = Page(number, page_text, lines, tables, has_text_layer=True)
            read.add(number)
    if not read and len(blank) == len(pages):
        raise InputError(name, "PDF has no text layer and OCR found no text in it")
    if read:
        numbers = sorted(read)
        which = (
            f"page {numbers[0]}" if len(numbers) == 1 else "pages " + ", ".join(map(str, numbers))
        )
        warnings.append(f"{which} read by OCR")
    skipped = [n for n in blank if n not in read and n in result.skipped]
    if skipped:
        warnings.append(
            f"{_page_list(skipped)} no text layer; not analysed "
            f"(OCR reads at most {ocr.MAX_OCR_PAGES} pages of a document)"
        )
    unread = [n for n in blank if n not in read and n not in result.skipped]
    if unread:
        warnings.append(f"{_page_list(unread)} no text layer and OCR found no text; not analysed")
    return read


def _page_list(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]} has"
    return "pages " + ", ".join(str(n) for n in numbers) + " have"


def _metadata_title(pdf: object) -> str | None:
    try:
        meta = pdf.get_metadata_dict()  # type: ignore[attr-defined]
    except Exception:
        return None
    title = (meta.get("Title") or "").strip()
    if title.lower() in ("", "(anonymous)", "untitled", "anonymous", "microsoft word"):
        return None
    return title


def _page_lines(page: object) -> Iterable[Line]:
    """Text runs from pdfium's text page, joined into lines in content (reading) order."""
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    height = page.get_height()  # type: ignore[attr-defined]
    runs: list[tuple[float, float, float, float, str]] = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top)
        text = " ".join(text.split())
        if text:
            runs.append((left, height - top, right, height - bottom, text))
    textpage.close()
    current: list[tuple[float, float, float, float, str]] = []
    for run in runs:
        if current and not _same_line(current[-1], run):
            yield _join(current)
            current = []
        current.append(run)
    if current:
        yield _join(current)


def _same_line(
    a: tuple[float, float, float, float, str], b: tuple[float, float, float, float, str]
) -> bool:
    top = max(a[1], b[1])
    bottom = min(a[3], b[3])
    overlap = bottom - top
    return overlap > 0.5 * min(a[3] - a[1], b[3] - b[1]) and b[0] >= a[0]


def _join(runs: list[tuple[float, float, float, float, str]]) -> Line:
    parts = [runs[0][4]]
    for prev, run in zip(runs, runs[1:], strict=False):
        gap = run[0] - prev[2]
        parts.append("  " if gap > 12 else " ")
        parts.append(run[4])
    text = "".join(parts).strip()
    return Line(
        text=text,
        x0=min(r[0] for r in runs),
        top=min(r[1] for r in runs),
        x1=max(r[2] for r in runs),
        bottom=max(r[3] for r in runs),
    )


def _find_tables(data: bytes, page_numbers: list[int]) -> dict[int, list[Table]]:
    """pdfplumber's ruled-table finder on the given pages only."""
    import pdfplumber

    found: dict[int, list[Table]] = {}
    try:
        with pdfplumber.open(io.BytesIO(data), pages=page_numbers) as pdf:
            for page in pdf.pages:
                for table in page.find_tables():
                    rows = tuple(
                        tuple(" ".join((cell or "").split()) for cell in row)
                        for row in table.extract()
                    )
                    rows = tuple(r for r in rows if any(r))
                    if len(rows) >= 1 and max(len(r) for r in rows) >= 2:
                        found.setdefault(page.page_number, []).append(
                            Table(
                                page=page.page_number,
                                rows=rows,
                                top=float(table.bbox[1]),
                                bottom=float(table.bbox[3]),
                                x0=float(table.bbox[0]),
                                x1=float(table.bbox[2]),
                            )
                        )
                page.close()
    except Exception:  # a table finder failure must never lose the text we already have
        return found
    return found
