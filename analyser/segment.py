"""Segment: cut a tender into clauses (numbered paragraphs, bullets, table rows, and the
sentences of long paragraphs), each with its page and the heading path above it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from analyser.types import Clause, Line, Page, Tender

PAGELESS = ("docx", "ocds")  # formats whose clauses carry a locator instead of a page
LONG_PARAGRAPH = 360  # characters; longer paragraphs are split into sentences

NUMBERED_HEADING = re.compile(
    r"^(?P<num>(?:\d{1,2}(?:\.\d{1,2}){0,3}|[A-Z]\d?(?:\.\d{1,2}){0,2}))\.?\)?\s+(?P<title>\S.*)$"
)
NAMED_HEADING = re.compile(
    r"^(section|part|appendix|annex|annexe|schedule|chapter|lot)\s+[\w.]+\b", re.IGNORECASE
)
BULLET = re.compile(r"^(?:[•\-\*–·▪●◦■o]|\(?[a-z]{1,3}\)|\(?[ivx]{1,4}\)|[a-z]\.)\s+")
NUMBERED = re.compile(
    r"^(?:(?:\d{1,2}(?:\.\d{1,2}){0,4}\.?|\(\d{1,2}\)|\d{1,2}\)|Q\d{1,2}[a-z]?\.?)\s+(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b)[^\s:/%]"
    r"|[A-Z]{1,3}\d{1,2}(?:\.\d{1,2}){0,3}[a-z]?\.?\s+[A-Z(]"  # "4.1", "(2)", "Q3", "SV1 Employment", "A2.3 Example"
    r"|[IVX]{1,4}(?:\.\d{1,2}){1,3}\)\s*\S"  # "II.2.5) Award criteria" (notices)
    r"|\(?[A-H][.)]\s+[A-Z])"  # "A. Operational plan", "(B) Workforce"
)
# "Quality criterion - Name: Social value / Weighting: 10": a notice's award criterion field line
FIELD_ROW = re.compile(r"\b(?:weighting|weight)\s*:\s*\d[\d.,]*\s*%?\s*$", re.IGNORECASE)
ROW_LIKE = re.compile(
    r"^(?P<label>[A-Za-z(][^%]{1,90}?)\s+(?P<value>\d{1,4}(?:\.\d+)?\s?(?:%|per ?cent|marks|points|pts))"
    r"(?:\s.*)?$",
    re.IGNORECASE,
)
ENDS_WITH_FIGURE = re.compile(r"\d\s?(?:%|per ?cent|marks|points|pts)\W{0,2}$", re.IGNORECASE)
PAGE_FURNITURE = re.compile(
    r"^(page\s+\d+(\s+of\s+\d+)?|\d+\s*(/|of)\s*\d+|-?\s*\d+\s*-?)$", re.IGNORECASE
)
PAGE_NUMBER_END = re.compile(r"\bpage\s+\d+\s+of\s+\d+\s*$", re.IGNORECASE)
TERMINAL = (".", ":", ";", "?", "!")


@dataclass
class _Block:
    kind: str
    lines: list[str] = field(default_factory=list)
    page: int = 1
    locator: str | None = None
    level: int | None = None
    indent: float = 0.0  # of its first line

    @property
    def text(self) -> str:
        return _join_lines(self.lines)


def segment(tender: Tender, nlp: Any) -> tuple[Clause, ...]:
    """All clauses of the tender in reading order."""
    furniture = _running_furniture(tender.pages)
    clauses: list[Clause] = []
    headings: list[tuple[int, str]] = []
    for block in _blocks(tender.pages, furniture):
        text = block.text
        if not text:
            continue
        if block.kind == "heading":
            level = block.level or _heading_level(text)
            headings = [h for h in headings if h[0] < level] + [(level, text)]
            continue
        path = tuple(h[1] for h in headings)
        pieces = [text]
        kind = block.kind
        if len(text) > LONG_PARAGRAPH and kind != "table_row":
            pieces = [s.text.strip() for s in nlp(text).sents if s.text.strip()]
            if len(pieces) > 1:
                pieces = _merge_fragments(pieces)
                kind = "sentence" if kind == "paragraph" else kind
        for piece in pieces:
            clauses.append(
                Clause(
                    id=f"c{len(clauses) + 1}",
                    page=None if tender.format in PAGELESS else block.page,
                    text=piece,
                    heading_path=path,
                    kind=kind,  # type: ignore[arg-type]
                    locator=block.locator,
                )
            )
    return tuple(clauses)


def _merge_fragments(sentences: list[str]) -> list[str]:
    """Glue tiny pieces (clause numbers, abbreviations) to the sentence that follows them."""
    out: list[str] = []
    carry = ""
    for sentence in sentences:
        if len(sentence) < 25 and not sentence.endswith(TERMINAL[:1]):
            carry = f"{carry} {sentence}".strip()
            continue
        out.append(f"{carry} {sentence}".strip() if carry else sentence)
        carry = ""
    if carry:
        if out:
            out[-1] = f"{out[-1]} {carry}"
        else:
            out.append(carry)
    return out


def _join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if text.endswith("-") and not text.endswith(" -") and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return " ".join(text.split())


def _running_furniture(pages: tuple[Page, ...]) -> set[str]:
    """Lines repeated at the top or bottom of many pages (of both pages of a two-page
    document): running headers and footers; and a short edge line ending in its page number
    ("ITT Part B: Evaluation and Community Benefits  Page 1 of 2")."""
    counts: Counter[str] = Counter()
    numbered: set[str] = set()
    two = len(pages) == 2  # two pages: the very same line on both ("Section 1" != "Section 2")
    for page in pages:
        texts = [" ".join(ln.text.split()) for ln in page.lines if ln.text.strip()]
        edge = set(texts[:3] + texts[-3:])
        counts.update({t if two else _furniture_key(t) for t in edge})  # once per page
        numbered.update(
            _furniture_key(t) for t in edge if len(t) < 120 and PAGE_NUMBER_END.search(t)
        )
    threshold = 2 if two else max(3, len(pages) // 2)
    repeated = {key for key, n in counts.items() if n >= threshold} if len(pages) > 1 else set()
    return ({_furniture_key(t) for t in repeated} if two else repeated) | numbered


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _heading_level(text: str) -> int:
    match = NUMBERED_HEADING.match(text)
    if match and match.group("num")[0].isdigit():
        return match.group("num").count(".") + 1
    if NAMED_HEADING.match(text) or text.isupper():
        return 1
    return 2


def _is_heading(text: str, size: float, body_size: float, isolated: bool) -> bool:
    words = text.split()
    if not words or len(words) > 14 or len(text) > 110:
        return False
    if text.endswith(TERMINAL[:1] + (";", ",")) or ROW_LIKE.match(text) or "%" in text:
        return False
    if re.search(r"\d\s*(?:marks?|points?|pts)\)?$", text, re.IGNORECASE):
        return False  # "1. Cost - 60 points": a criterion with its weight
    if re.search(r"\b(?:and|or|of|for|to|the|a|with|in|on|by)$|&$", text, re.IGNORECASE):
        return False  # "2. Social value: apprenticeships, local spend and": runs on
    if BULLET.match(text):
        return False
    bigger = body_size > 0 and size >= body_size * 1.12
    match = NUMBERED_HEADING.match(text)
    if match:
        title = match.group("title")
        if not title[:1].isupper() or len(title.split()) > 12:
            return False
        return bigger or isolated or len(title.split()) <= 8
    if NAMED_HEADING.match(text) and len(words) <= 10:
        return True
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and text.isupper() and len(words) <= 10:
        return True
    return bigger and text[:1].isupper() and len(words) <= 10


def _blocks(pages: tuple[Page, ...], furniture: set[str]) -> Iterator[_Block]:
    """Group lines into blocks (headings, paragraphs, bullets, numbered items, table rows).
    A sentence that runs on from the foot of one page to the next is one block."""
    carried: _Block | None = None  # the last block of the previous page, if it runs on
    for page in pages:
        if not page.has_text_layer:
            continue
        lines = [ln for ln in page.lines if not _is_furniture(ln, furniture)]
        sizes = [ln.bottom - ln.top for ln in lines if ln.bottom > ln.top]
        body_size = median(sizes) if sizes else 0.0
        pitch = _typical_pitch(lines)
        longest = max((len(ln.text.rstrip()) for ln in lines), default=0)
        tables = [t for t in page.tables if t.bottom > t.top]
        emitted_tables: set[int] = set()
        current, carried = carried, None
        prev: Line | None = None
        skip: int | None = None  # a wrapped heading's second line, already taken
        for index, line in enumerate(lines):
            if index == skip:
                continue
            text = line.text.strip()
            if prev is None and current is not None and not text[:1].islower():
                yield current  # the previous page's last block did not run on after all
                current = None
            if line.heading_level is not None or line.kind is not None:
                # the format itself says what this line is (Word styles, OCDS fields)
                if current:
                    yield current
                    current = None
                if text:
                    kind = "heading" if line.heading_level is not None else str(line.kind)
                    yield _Block(kind, [text], page.number, line.locator, line.heading_level)
                prev = line
                continue
            in_table = next((t for t in tables if t.covers(line)), None)
            if in_table is not None and body_size:
                if current:
                    yield current
                    current = None
                if id(in_table) not in emitted_tables:
                    emitted_tables.add(id(in_table))
                    for row in in_table.rows:
                        cells = [c for c in row if c]
                        if cells:
                            yield _Block("table_row", [" | ".join(cells)], page.number)
                prev = line
                continue
            if not text:
                if current:
                    yield current
                    current = None
                prev = None
                continue
            gap_before = _gap(prev, line, pitch)
            nxt = lines[index + 1] if index + 1 < len(lines) else None
            gap_after = _gap_after(line, nxt, pitch)
            size = line.bottom - line.top
            isolated = (prev is None or gap_before) and gap_after
            heading = _is_heading(text, size, body_size, isolated)
            if heading and nxt is not None and _runs_on(line, nxt, lines, gap_after, longest):
                # "3.2.1 Tenders will be evaluated for each" / "lot. ...": a numbered
                # paragraph's first line, or a heading wrapped over two lines
                after = lines[index + 2] if index + 2 < len(lines) else None
                joined = f"{text} {nxt.text.strip()}"
                heading = _is_heading(
                    joined,
                    size,
                    body_size,
                    (prev is None or gap_before) and _gap_after(nxt, after, pitch),
                )
                if heading:
                    text, skip = joined, index + 1
            if heading:
                if current:
                    yield current
                    current = None
                yield _Block("heading", [text], page.number)
                prev = lines[index + 1] if skip == index + 1 else line
                continue
            starts = _starts_block(text)
            row_match = ROW_LIKE.match(text)
            continues = nxt is not None and nxt.text.strip()[:1].islower() and not gap_after
            # "College students) – 6%" or "use – 4%": the end of a wrapped line, not a row
            wrapped = (
                current is not None
                and not gap_before
                and not starts
                and (text[:1].islower() or _open_bracket(current.text))
            )
            if FIELD_ROW.search(text) or (
                row_match
                and len(row_match.group("label").split()) <= 9
                and not text.endswith(".")
                and not continues
                and not wrapped
            ):
                if current:
                    yield current
                current = None
                yield _Block("table_row", [text], page.number)
                prev = line
                continue
            # a line left of a list item's first line ends the item ("  Q5 ... (40 marks)" /
            # "Each bidder's quality marks will be converted ...")
            dedent = (
                current is not None
                and current.kind in ("bullet", "numbered")
                and _indent(line) < current.indent - 2
                and prev is not None
                and line.top >= prev.top  # the same column, not the next column or page
            )
            if current is None or starts or gap_before or dedent:
                if current:
                    yield current
                current = _Block(starts or "paragraph", [text], page.number, indent=_indent(line))
            else:
                current.lines.append(text)
                if prev is None or line.top < prev.top:  # run on into a new column or page
                    current.indent = _indent(line)
                if wrapped and row_match and ENDS_WITH_FIGURE.search(text) and not continues:
                    yield current  # the wrapped row ends with its figure: the next line is new
                    current = None
            prev = line
        if current and current.kind != "table_row" and not current.text.endswith(TERMINAL):
            carried = current
        elif current:
            yield current
    if carried:
        yield carried


def _runs_on(line: Line, nxt: Line, lines: list[Line], gap_after: bool, longest: int) -> bool:
    """True when ``nxt`` carries on the sentence of ``line``: no gap, not a new item, and
    either it starts in lower case or ``line`` fills its column (it wrapped; ``longest`` is
    the page's longest line in characters, for plain text)."""
    if gap_after:
        return False
    following = nxt.text.strip()
    if not following or _starts_block(following):
        return False
    if following[:1].islower():
        return True
    if line.x1 > 0:  # PDF: the line reaches the right edge of its column
        right = max(ln.x1 for ln in lines if abs(ln.x0 - line.x0) < 80)
        return line.x1 >= right - 0.2 * (right - line.x0)
    return len(line.text.rstrip()) >= max(0.75 * longest, 60)  # plain text: hard-wrapped


def _indent(line: Line) -> float:
    """How far right a line starts: its x position (PDF points), or its leading spaces in
    plain text (about 5 points each)."""
    return line.x0 + 5.0 * (len(line.text) - len(line.text.lstrip(" ")))


def _open_bracket(text: str) -> bool:
    return text.count("(") > text.count(")")


def _starts_block(text: str) -> str:
    if BULLET.match(text):
        return "bullet"
    if NUMBERED.match(text):
        return "numbered"
    return ""


def _is_furniture(line: Line, furniture: set[str]) -> bool:
    text = line.text.strip()
    if not text:
        return False
    return bool(PAGE_FURNITURE.match(text)) or _furniture_key(text) in furniture


def _typical_pitch(lines: list[Line]) -> float:
    steps = [
        b.top - a.top
        for a, b in zip(lines, lines[1:], strict=False)
        if b.top > a.top and b.top - a.top < 40 and a.bottom > a.top
    ]
    return median(steps) if steps else 0.0


def _gap_after(line: Line, nxt: Line | None, pitch: float) -> bool:
    """True when ``line`` ends a block: nothing, a blank line or a gap follows it."""
    return nxt is None or not nxt.text.strip() or _gap(line, nxt, pitch)


def _gap(prev: Line | None, line: Line, pitch: float) -> bool:
    """True when there is visibly more space above ``line`` than between lines of a paragraph."""
    if prev is None or pitch <= 0 or line.bottom <= line.top:
        return False
    step = line.top - prev.top
    if step < 0:  # a new column (or a jump back up the page), unless a sentence runs on into it
        return prev.text.rstrip().endswith(TERMINAL) or not line.text.lstrip()[:1].islower()
    return step > pitch * 1.45
