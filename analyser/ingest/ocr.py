"""OCR for PDF pages without a text layer (scanned images), through the Tesseract command.

Pages are rendered at 300 dpi with pypdfium2 (in the calling thread: pdfium is not thread
safe), table ruling lines are painted out (Tesseract skips text inside ruled cells), and
``tesseract`` reads each page in a subprocess, two pages at a time, each with
``OMP_THREAD_LIMIT=1`` (Tesseract's own threads make it about six times slower on two cores).
``--psm 6`` reads the page as one block of lines, which keeps a table's row on one line
("Social Value 10%") for the line-based weight parser; the price is that two-column pages
come out with their columns interleaved line by line.

The text becomes ``Line``s without positions (``text_lines``), and weighting tables whose
figures carry no unit ("AC6 Social value 10" under "Weighting (%)") are rebuilt as ``Table``s
(``weight_tables``); tables whose weight column is not the last one are not rebuilt.

No Python dependency: when the ``tesseract`` command is missing, ``available()`` is False and
the PDF reader warns about the pages it could not read.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from analyser.types import Line, Table

DPI = 300
WORKERS = 2
PAGE_TIMEOUT_S = 180
BLANK_DARK_PIXELS = 200  # fewer dark pixels than a short word: the page is blank
MAX_OCR_PAGES = 100  # about two minutes at 1.1 s a page; later pages are reported, not read
TESSERACT_ARGS = ("stdin", "stdout", "-l", "eng", "--psm", "6")


@dataclass(frozen=True)
class OcrResult:
    """What OCR made of some pages: text by page number, and the pages it could not read."""

    texts: dict[int, str]
    failed: tuple[int, ...] = ()
    skipped: tuple[int, ...] = ()  # over MAX_OCR_PAGES


def available() -> bool:
    """True when the ``tesseract`` command can be run."""
    return shutil.which("tesseract") is not None


def ocr_pdf_pages(
    data: bytes,
    page_numbers: Iterable[int],
    *,
    workers: int = WORKERS,
    max_pages: int = MAX_OCR_PAGES,
) -> OcrResult:
    """OCR the given pages (numbered from 1) of the PDF in ``data``."""
    import pypdfium2 as pdfium

    wanted = sorted(set(page_numbers))
    todo, skipped = wanted[:max_pages], wanted[max_pages:]
    texts: dict[int, str] = {}
    failed: list[int] = []
    tesseract = shutil.which("tesseract")
    if tesseract is None or not todo:
        return OcrResult(texts, tuple(todo if tesseract is None else ()), tuple(skipped))
    pdf = pdfium.PdfDocument(data)
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            pending: dict[int, Future[str | None]] = {}
            for number in todo:
                try:
                    image = _render_image(pdf, number)
                except Exception:  # a page pdfium cannot render is reported, not fatal
                    failed.append(number)
                    continue
                if image is None:  # a blank page: nothing to read
                    texts[number] = ""
                    continue
                pending[number] = pool.submit(run_tesseract, image, tesseract)
                # keep at most two rendered pages waiting per worker (memory)
                while len([f for f in pending.values() if not f.done()]) > 2 * workers:
                    next(f for f in pending.values() if not f.done()).result()
            for number, future in pending.items():
                text = future.result()
                if text is None:
                    failed.append(number)
                else:
                    texts[number] = text
    finally:
        pdf.close()
    return OcrResult(texts, tuple(sorted(failed)), tuple(skipped))


def _render_image(pdf: object, number: int) -> bytes | None:
    """The page as an image for Tesseract; None when it is blank."""
    page = pdf[number - 1]  # type: ignore[index]
    try:
        image = page.render(scale=DPI / 72).to_pil().convert("L")
    finally:
        page.close()
    image = remove_rules(image)
    if sum(image.histogram()[:160]) < BLANK_DARK_PIXELS:
        return None
    buffer = io.BytesIO()
    image.save(buffer, format="TIFF")  # uncompressed: encoding a PNG costs a third of a second
    return buffer.getvalue()


def remove_rules(image: Any) -> Any:
    """The image with table ruling lines painted white: Tesseract skips text inside a grid of
    ruled cells (its layout analysis takes the boxes for pictures). A line is a run of dark
    pixels at least 1/25 of the page wide (horizontal) or 1/25 high (vertical), far longer than
    any letter's stroke."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image.convert("L"))
    dark = pixels < 160
    height, width = dark.shape
    vertical = _long_runs(np.ascontiguousarray(dark.T), max(40, height // 25)).T
    lines = _long_runs(dark, max(40, width // 25)) | vertical
    if not lines.any():
        return image
    cleaned = pixels.copy()
    cleaned[lines] = 255
    return Image.fromarray(cleaned, mode="L")


def _long_runs(dark: Any, length: int) -> Any:
    """Pixels that belong to a horizontal run of at least ``length`` dark pixels."""
    import numpy as np

    rows, width = dark.shape
    padded = np.zeros((rows, width + 2), dtype=np.int8)  # a light pixel at both ends of a row
    padded[:, 1:-1] = dark
    flat = padded.ravel()
    steps = np.diff(flat)
    starts = np.flatnonzero(steps == 1) + 1  # first dark pixel of each run
    ends = np.flatnonzero(steps == -1) + 1  # first light pixel after it
    long = (ends - starts) >= length
    marks = np.zeros(flat.size + 1, dtype=np.int8)
    marks[starts[long]] = 1
    marks[ends[long]] = -1
    covered = np.cumsum(marks[:-1], dtype=np.int8) > 0
    return covered.reshape(rows, width + 2)[:, 1:-1]


def run_tesseract(image: bytes, command: str = "tesseract") -> str | None:
    """The text Tesseract reads in one image (any format Leptonica reads); None when it fails
    or times out."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(
            [command, *TESSERACT_ARGS],
            input=image,
            capture_output=True,
            env=env,
            timeout=PAGE_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")


def text_lines(text: str) -> tuple[Line, ...]:
    """OCR text as lines without positions: the segmenter groups them by blank lines and by
    what each line looks like (bullets, numbers, headings, "Social Value 10%" rows).

    ``--psm 6`` leaves no blank line between paragraphs, so one is put back after a line that
    ends a sentence well short of the full line width, when the next line starts a sentence."""
    raw = [" ".join(line.split()) for line in text.replace("\f", "\n").split("\n")]
    widths = sorted(len(line) for line in raw if line)
    full = widths[int(len(widths) * 0.9)] if widths else 0
    lines: list[str] = []
    for index, line in enumerate(raw):
        lines.append(line)
        nxt = raw[index + 1] if index + 1 < len(raw) else ""
        if (
            line
            and nxt
            and line.endswith((".", ":", "?", "!"))
            and len(line) < 0.8 * full
            and (nxt[:1].isupper() or nxt[:1].isdigit())
        ):
            lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return tuple(Line(text=line) for line in lines)


# A table header read as a line: "Criterion Weighting", "Ref Award criterion | Weighting (% of
# total score)", "Ref Criterion Points available"; the weight column's words start at the match.
WEIGHT_HEADER = re.compile(
    r"(?P<weight>\b(?:max(?:imum)?\s+)?(?:weightings?|weights?|points|marks|score)\b[^0-9]{0,40}|%[^0-9]{0,30})$",
    re.IGNORECASE,
)
# A table row read as a line: a label and one figure at the end ("AC6 Social value (PPN 002) 10",
# "Social Value 10%"); OCR leaves rule fragments such as "|" and "_" around the cells.
WEIGHT_ROW = re.compile(
    r"^(?P<label>[^\d\s|].*?[A-Za-z)].*?)[\s|_:.]+(?P<value>\d{1,4}(?:\.\d{1,2})?\s?%?)[\s|]*$"
)
TOTAL_LABEL = re.compile(r"\btotal\b", re.IGNORECASE)


def weight_tables(lines: Sequence[Line], page: int) -> tuple[Table, ...]:
    """Weighting tables rebuilt from OCR lines. Tesseract reads a table row as one line and
    loses the ruling, so a table whose weights are bare numbers under a "Weighting (%)" or
    "Points" header ("AC6 Social value 10") would otherwise lose its unit: a header line
    followed by at least two lines ending in a figure becomes a two-column ``Table``."""
    tables: list[Table] = []
    texts = [line.text.strip(" |") for line in lines]
    index = 0
    while index < len(texts):
        header = _header(texts[index])
        if header is None:
            index += 1
            continue
        rows: list[tuple[str, str]] = []
        cursor = index + 1
        while cursor < len(texts):
            if not texts[cursor]:
                # Tesseract leaves a blank line between padded rows; two end the table
                if cursor + 1 < len(texts) and texts[cursor + 1]:
                    cursor += 1
                    continue
                break
            row = _row(texts[cursor])
            if row is None and cursor + 1 < len(texts) and texts[cursor + 1][:1].islower():
                # a label wrapped onto a second line: "AC4 Technology, data protection and" /
                # "information security 10"
                row = _row(f"{texts[cursor]} {texts[cursor + 1]}")
                cursor += 1
            if row is None:
                break
            rows.append(row)
            cursor += 1
        rows = _without_total(rows)
        if len(rows) >= 2:
            tables.append(Table(page=page, rows=(header, *rows)))
        index = cursor if rows else index + 1
    return tuple(tables)


def _row(text: str) -> tuple[str, str] | None:
    match = WEIGHT_ROW.match(text)
    if match is None:
        return None
    label = " ".join(match.group("label").replace("|", " ").replace("_", " ").split())
    value = match.group("value").replace(" ", "")
    number = float(value.rstrip("%"))
    if number > (100 if value.endswith("%") else 1000):
        return None  # a year, a price or a count, not a weight
    if re.search(r"\d\s*%?\s*/\s*\D", label):
        return None  # a summary line: "Quality 60 / Social Value 10 / Price 30 100"
    return label, value


def _header(text: str) -> tuple[str, str] | None:
    words = text.split()
    if not 2 <= len(words) <= 14 or WEIGHT_ROW.match(text):
        return None
    match = WEIGHT_HEADER.search(text)
    if match is None or match.start() == 0:
        return None
    label = " ".join(text[: match.start()].replace("|", " ").split())
    weight = " ".join(match.group("weight").replace("|", " ").split())
    return (label, weight) if label else None


def _without_total(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rows without the total line ("Total 100", or a last row equal to the sum above it)."""
    kept = [r for r in rows if not TOTAL_LABEL.search(r[0])]
    if len(kept) >= 3:
        values = [float(v.rstrip("%")) for _, v in kept]
        if abs(sum(values[:-1]) - values[-1]) < 0.01:
            kept = kept[:-1]
    return kept
