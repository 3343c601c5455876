"""Tables written as lines of text: cells separated by pipes, tabs or runs of spaces.

Plain-text tenders (and text copied out of PDFs) keep their evaluation tables this way:

    Criterion              Weighting
    Quality                60%
    Social value           10%

``text_tables`` finds such runs of lines and cuts them into cells, keeping empty cells where
a column is blank (a merged cell) so that every row lines up with its header. A table may
run on past blank lines and page furniture (running headers and footers, page numbers,
protective markings). Tables written one cell per line, as some PDFs come out, are read
too (``_stacked``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")  # |---|---|
DOT_LEADER = re.compile(r"(?<=\S)\s*\.{4,}\s*(?=\S)")  # "Methodology ........ 80 marks"
VALUE_END = re.compile(r"\d\s*(?:%|marks?|points?|pts)?\)?$|pass\s*/\s*fail$", re.IGNORECASE)
CLAUSE_NUMBER = re.compile(
    r"^(?:[A-Z]{0,2}\d{1,2}(?:\.\d{1,2}){1,4}\.?|\d{1,2}\.)$"
)  # "5.3", "B4.1", "2."
ITEM_REF = re.compile(r"^(?:[A-Z]{1,4}\d{1,2}[a-z]?|\(?[a-z]\))$")  # "SV1", "Q4a", "(b)"
SPACE_GAP = re.compile(r"\S(?P<gap> {2,})(?=\S)")
CELL = re.compile(r"\S+(?: \S+)*")  # text up to a gap of two or more spaces
MAX_CELL = 400
MAX_GAP = 6  # blank and furniture lines a table may run on past
MAX_FURNITURE = 200  # characters

PAGE_NUMBER = r"page\s+\d{1,4}(?:\s+of\s+\d{1,4})?"
FURNITURE = re.compile(
    rf"^\s*(?:{PAGE_NUMBER}|[-–]?\s*\d{{1,4}}\s*[-–]?|\d{{1,4}}\s+of\s+\d{{1,4}})\s*$"  # Page 4, - 7 -
    rf"|(?:^|\s{{2,}}|\t)\s*{PAGE_NUMBER}\s*$"  # running header or footer ending "Page 7 of 12"
    rf"|^\s*{PAGE_NUMBER}(?:\s{{2,}}|\t)"  # ... or starting with it
    r"|\bpage\s+\d{1,4}\s+of\s+\d{1,4}\b"
    r"|^\s*(?:official(?:\s*[-–:]?\s*(?:sensitive|commercial)\b.*)?|(?:commercial\s+in\s+)?"
    r"confiden(?:tial|ce)|restricted|unclassified|not\s+protectively\s+marked)\s*$",
    re.IGNORECASE,
)
WEIGHT_TOKEN = r"(?:\d{1,3}(?:\.\d+)?\s?(?:%|marks?|points?|pts)?|pass\s?/\s?fail|n/a)"
RUN_IN = re.compile(rf"^(?P<label>.*\S) (?P<weight>{WEIGHT_TOKEN})$", re.IGNORECASE)
REF_WORD = re.compile(
    r"\b(?:lot|section|question|part|schedule|appendix|annex|stage|phase|level|tier|year|table|"
    r"page|item|clause|paragraph|step|no\.?|q)$",
    re.IGNORECASE,
)
VALUE = re.compile(
    r"^(?:\d{1,3}(?:,\d{3})*(?:\.\d+)?\s?(?:%|marks?|points?|pts)?|pass\s?/\s?fail|n/?a)$",
    re.IGNORECASE,
)
SENTENCE_END = (".", ";", ",", ":", "?", "!")


@dataclass(frozen=True)
class TextTable:
    """Rows of cells read from lines ``first`` to ``last`` (inclusive, 0-based)."""

    first: int
    last: int
    rows: tuple[tuple[str, ...], ...]


def text_tables(lines: Sequence[str]) -> list[TextTable]:
    """Every run of two or more table-like lines, cut into cells."""
    lines = [DOT_LEADER.sub(lambda m: " " * len(m.group(0)), line) for line in lines]
    out: list[TextTable] = []
    index = 0
    while index < len(lines):
        style = _style(lines[index])
        if style is None:
            stacked = _stacked(lines, index)
            if stacked is not None:
                out.append(stacked)
            index = stacked.last + 1 if stacked else index + 1
            continue
        kept, stop = _run(lines, index, style)
        rows = _cut([lines[i] for i in kept], style)
        if len([r for r in rows if sum(1 for c in r if c) >= 2]) >= 2:
            out.append(TextTable(index, kept[-1], tuple(rows)))
        index = stop  # past the repeated headers it passed over too
    return out


def _style(line: str) -> str | None:
    """How a line separates its cells, or None when it is not a table row."""
    if _furniture(line):
        return None
    if line.count("|") >= 2 or (line.count("|") == 1 and not line.strip().startswith("|")):
        return "pipe"
    if "\t" in line.strip():
        return "tab"
    stripped = line.strip()
    gaps = SPACE_GAP.findall(stripped)
    cells = re.split(r" {2,}", stripped)
    # a sentence ends in a full stop; a heading row may end in an abbreviation ("Wt.")
    ends_sentence = stripped.endswith((".", ";", ",")) and len(cells[-1]) > 4
    # ... unless a figure sits in a column before it ("Commercial and   12%   Acceptance of
    # contract terms,"): a row whose last cell wraps
    ends_sentence = ends_sentence and not (
        len(cells) >= 3 and any(len(c) <= 8 and VALUE_END.search(c) for c in cells[1:-1])
    )
    if gaps and not ends_sentence and len(stripped) <= 160:
        if len(cells) == 2 and CLAUSE_NUMBER.match(cells[0]) and not VALUE_END.search(cells[1]):
            return None  # "B4.1  The tender will be evaluated ...": a numbered paragraph
        if (
            len(cells) == 2
            and ITEM_REF.match(cells[0])
            and len(cells[1]) > 40
            and not VALUE_END.search(cells[1])
        ):
            return None  # "SV1  Employment and skills (incl. work ...": an item running on
        return "space"
    return None


def _furniture(line: str) -> bool:
    """A running header or footer, page number or protective marking ("OFFICIAL")."""
    # headers and footers are short; a long run of spaces would make the search slow
    return bool(line.strip()) and len(line) <= MAX_FURNITURE and FURNITURE.search(line) is not None


def _run(lines: Sequence[str], start: int, style: str) -> tuple[list[int], int]:
    """Indexes of the lines holding the rows of the table that starts at ``start``, and the
    index of the first line after it.

    Blank lines and page furniture are passed over when the line after them carries on in
    the same style; the header repeated on a new page is dropped; a different header after
    a break starts a new table."""
    kept = [start]
    index = start + 1
    while index < len(lines):
        run = [lines[i] for i in kept]
        if _belongs(lines, index, style, run):
            if not _same_row(lines[index], lines[start]):
                kept.append(index)
            index += 1
            continue
        resume = _resumes(lines, index, style, run)
        if resume is None or _new_header(lines[resume], lines[start]):
            break
        index = resume
    return kept, max(index, kept[-1] + 1)


def _belongs(lines: Sequence[str], index: int, style: str, run: list[str]) -> bool:
    """A line continues the table: same separator, a rule line, a long label running into
    the figure column, or a short label line (a section row or a wrapped cell) followed by
    another row."""
    line = lines[index]
    if _furniture(line):
        return False
    if PIPE_RULE.match(line) and style == "pipe":
        return True
    if style == "pipe":
        pipes = _header_pipes(run)
        # the row in progress (a wrapped row spans a few lines: look back a few, not at all)
        if _continues_record(_pipe_records(run[-8:], pipes)[-1], line, pipes):
            return True  # a cell wrapped onto the next line
    if _style(line) == style:
        return True
    if style == "space" and _runs_in(line, run):
        return True
    stripped = line.strip()
    if not stripped or len(stripped) > 60 or stripped.endswith((".", ":", ";")):
        return False
    nxt = lines[index + 1] if index + 1 < len(lines) else ""
    return _style(nxt) == style


def _resumes(lines: Sequence[str], index: int, style: str, run: list[str]) -> int | None:
    """Where the table goes on after blank lines and page furniture from ``index``: the next
    line in the same style (and, for aligned columns, at the same positions), else None."""
    at = index
    while (
        at < len(lines)
        and at - index < MAX_GAP
        and (not lines[at].strip() or _furniture(lines[at]))
    ):
        at += 1
    if at == index or at >= len(lines) or _style(lines[at]) != style:
        return None
    if style == "space" and not _aligned(lines[at], run):
        return None
    return at


def _aligned(line: str, run: list[str]) -> bool:
    """The cells of ``line`` start where the run's cells start (within two characters): all
    of them, or all but one when there are three or more."""
    known = _known_starts(run)
    starts = [m.start() for m in CELL.finditer(line.rstrip())]
    hits = sum(1 for s in starts if _near(s, known))
    return hits >= max(1, min(2, len(starts)), len(starts) - 1)


def _known_starts(run: list[str]) -> set[int]:
    """Every position where a cell starts in the lines of a run."""
    return {m.start() for line in run for m in CELL.finditer(line.rstrip())}


def _near(position: int, starts: set[int]) -> bool:
    """``position`` is within two characters of one of ``starts``."""
    return any(abs(position - s) <= 2 for s in starts)


def _runs_in(line: str, run: list[str]) -> bool:
    """A row whose label runs into the next column, one space before its figure ("... (MAC
    1a) 15%"): the figure or the indented label starts where the run's cells start."""
    match = RUN_IN.match(line.rstrip())
    known = _known_starts(run)
    if match is None or not known:
        return False
    indent = len(line) - len(line.lstrip())
    return _near(match.start("weight"), known) or (indent > min(known) + 2 and _near(indent, known))


def _same_row(line: str, other: str) -> bool:
    """Two lines hold the same cells (a header repeated after a page break)."""
    return _words(line) == _words(other)


def _words(line: str) -> str:
    """The text of a line with its separators (pipes, tabs, runs of spaces) made single spaces."""
    return re.sub(r"[|\t ]+", " ", line).strip().lower()


def _new_header(line: str, header: str) -> bool:
    """After a break, a line of words under a header of words is the header of a new table."""
    return not _same_row(line, header) and _wordy(line) and _wordy(header)


def _wordy(line: str) -> bool:
    """A row with no figures in it (no digits, "Pass/Fail" or "n/a")."""
    return re.search(r"\d|pass\s?/\s?fail|\bn/a\b", line, re.IGNORECASE) is None


def _cut(run: list[str], style: str) -> list[tuple[str, ...]]:
    """The cells of each line of a run, padded to the same width."""
    if style == "pipe":
        framed = next(line for line in run if not PIPE_RULE.match(line)).strip().startswith("|")
        rows = [_pipe_cells(record, framed) for record in _pipe_records(run, _header_pipes(run))]
    elif style == "tab":
        # runs of tabs are tab stops used to line text up, not empty cells
        rows = [tuple(c.strip() for c in re.split(r"\t+", line.strip(" \r"))) for line in run]
    else:
        rows = _cut_columns(run)
    width = max(len(r) for r in rows)
    return [tuple(c[:MAX_CELL] for c in r) + ("",) * (width - len(r)) for r in rows]


def _header_pipes(run: list[str]) -> int:
    return next((line.count("|") for line in run if not PIPE_RULE.match(line)), 0)


def _pipe_records(run: list[str], pipes: int) -> list[str]:
    """The rows of a pipe table whose header has ``pipes`` separators, with cells that wrap
    onto following lines joined back ("17 | 28/01 | Section 4 of the ITT says ... but the" /
    "Evaluation Matrix ... | The 20% relates to ..." is one row)."""
    records: list[str] = []
    for line in run:
        if PIPE_RULE.match(line):
            continue
        if records and _continues_record(records[-1], line, pipes):
            records[-1] = f"{records[-1].rstrip()} {line.strip()}"
        else:
            records.append(line)
    return records


def _continues_record(record: str, line: str, pipes: int) -> bool:
    """``line`` carries on the row ``record`` of a pipe table with ``pipes`` separators: the
    row is short of separators and stops mid-sentence, or the line does not start with a
    capital after a cell that did not end a sentence."""
    text = line.strip()
    if not text or not record.strip() or PIPE_RULE.match(line):
        return False
    last = record.rstrip().rsplit("|", 1)[-1].strip()
    short = record.count("|") < pipes and bool(last) and not VALUE_END.search(last)
    if "|" not in text:
        return short or (
            not text[:1].isupper()
            and not last.endswith((".", "!", "?", ":"))
            and not VALUE_END.search(last)
            and not re.match(r"\d{1,2}(?:\.\d{1,2})*\.?\s", text)  # "6.3 Funding is ..."
        )
    first = text.split("|", 1)[0].strip()
    cells = [c.strip() for c in record.split("|") if c.strip()]
    broken = bool(cells) and not VALUE_END.search(cells[-1]) and not cells[-1].endswith(".")
    if first[:1].islower() and broken and VALUE_END.search(first):
        return True  # "Q2 Workforce recruitment and" / "retention 30% | Q3 ...": a cell cut in two
    return (
        short
        and record.count("|") + text.count("|") <= pipes
        and (len(first) > 12 or first[:1].islower())
    )


def _pipe_cells(line: str, framed: bool) -> tuple[str, ...]:
    """Cells of a pipe row. In a framed table ("| a | b |") the outer pipes are the frame; in
    an unframed one ("a | b") a leading pipe marks an empty first cell."""
    body = line.strip()
    if framed and body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return tuple(c.strip() for c in body.split("|"))


def _cut_columns(run: list[str]) -> list[tuple[str, ...]]:
    """Space-aligned rows: a column starts where at least two rows (every row, in a two-row
    table) start a cell after a gap; each cell goes to the column it starts nearest to, so a
    blank (merged) cell stays blank and a long label cannot shift the cells after it."""
    indent = min(len(line) - len(line.lstrip()) for line in run)
    cells_by_row = [_cells(line[indent:].rstrip()) for line in run]
    counts: dict[int, int] = {}
    for cells in cells_by_row:
        for start, _ in cells:
            counts[start] = counts.get(start, 0) + 1
    support = 1 if len(run) <= 2 else 2
    header_starts = {start for start, _ in cells_by_row[0]}
    columns: list[int] = []
    for start in sorted(counts):
        near = sum(n for s, n in counts.items() if abs(s - start) <= 2)
        if start == 0 or near >= support or start in header_starts:
            if columns and start - columns[-1] <= 2:
                continue  # the same column, right-aligned figures of different widths
            columns.append(start)
    return _join_wrapped_rows(
        _merge_header_columns([_place(cells, columns) for cells in cells_by_row])
    )


def _join_wrapped_rows(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """A label that wraps onto a second line, with the figure on that line ("SV2  Social value
    commitments -" / "     Tab 3 (TOMs measures)     4%"): one row."""
    out: list[tuple[str, ...]] = []
    percent_rows = sum(1 for r in rows if r and r[-1].endswith("%"))
    for row in rows:
        prev = out[-1] if out else None
        filled = [i for i, c in enumerate(row) if c]
        if prev is not None and len(out) > 1 and _continues_above(prev, row):
            # "Social Value (including   8%   Questions SV1-SV2; see" / "Responsible
            # Procurement)      for the 0-100% scoring scale": the cells carry on
            out[-1] = tuple(f"{a} {b}".strip() for a, b in zip(prev, row, strict=True))
            continue
        if (
            prev is not None
            and len(out) > 1
            and percent_rows >= 3
            and len(filled) == 2
            and filled[-1] == len(row) - 1
            and not row[0]
            and row[-1].endswith("%")
            and re.fullmatch(r"\d{1,2}(?:\.\d{1,2})+", prev[-1])
            and prev[filled[0]]
        ):
            # "T4  Social Value (Model Award Criteria 2.1" / "      and 3.1)   20%": the
            # figure on the first line is part of the wrapped label, not a weight
            col = filled[0]
            label = f"{prev[col]} {prev[-1]} {row[col]}"
            out[-1] = prev[:col] + (label,) + prev[col + 1 : -1] + (row[-1],)
            continue
        if (
            prev is not None
            and len(out) > 1  # never into the header
            and row
            and not row[0]
            and len(filled) == 2
            and filled[-1] == len(row) - 1
            and VALUE_END.search(row[-1])
            and not prev[-1]
            and prev[filled[0]]
            and not any(VALUE_END.search(c) for c in prev[1:] if c)
        ):
            col = filled[0]
            out[-1] = prev[:col] + (f"{prev[col]} {row[col]}",) + prev[col + 1 : -1] + (row[-1],)
            continue
        out.append(row)
    return out


def _continues_above(prev: tuple[str, ...], row: tuple[str, ...]) -> bool:
    """``row`` is the second line of the wrapped cells of ``prev``: it has no figure where
    ``prev`` has one, and ``prev``'s label is left open (a bracket, "and", "of", a comma)."""
    if len(prev) != len(row) or not row[0] or not prev[0]:
        return False
    figures = [i for i, c in enumerate(prev) if c and len(c) <= 8 and VALUE_END.search(c)]
    if not figures or any(row[i] for i in figures):
        return False
    open_label = prev[0].count("(") > prev[0].count(")") or bool(
        re.search(r"(?:\band|\bof|\bfor|\bthe|,|-|–)$", prev[0])
    )
    return open_label or row[0][:1].islower()


def _merge_header_columns(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """A heading over right-aligned figures ("Weighting" above "   30%") starts in another
    place than the figures: a column holding only the heading and a column with no heading
    side by side are one column."""
    if len(rows) < 2:
        return rows
    # a heading sits left of its figures more often than right of them: pair each heading
    # with the headless column after it first, then with the one before it
    for heading_first in (True, False):
        j = 0
        while j + 1 < len(rows[0]):
            head_only = [bool(rows[0][k]) and not any(r[k] for r in rows[1:]) for k in (j, j + 1)]
            headless = [not rows[0][k] and any(r[k] for r in rows[1:]) for k in (j, j + 1)]
            if (head_only[0] and headless[1]) if heading_first else (headless[0] and head_only[1]):
                rows = [r[:j] + (f"{r[j]} {r[j + 1]}".strip(),) + r[j + 2 :] for r in rows]
                continue
            j += 1
    return rows


def _place(cells: list[tuple[int, str]], columns: list[int]) -> tuple[str, ...]:
    """One row: each cell in the column it starts in, and a figure run into the end of the
    last cell moved to its own column."""
    row = [""] * len(columns)
    col = 0
    for start, text in cells:
        col = _column(start, columns)
        row[col] = f"{row[col]} {text}".strip()
    if cells:
        start, text = cells[-1]
        split = _split_run_in(start, text, col, columns)
        if split is not None:
            to, label, weight = split
            row[col] = f"{row[col].removesuffix(text)} {label}".strip()
            row[to] = weight
    return tuple(row)


def _column(start: int, columns: list[int]) -> int:
    """The column a cell starting at ``start`` belongs to."""
    return max(i for i, c in enumerate(columns) if c <= start + 2) if start else 0


def _split_run_in(
    start: int, text: str, col: int, columns: list[int]
) -> tuple[int, str, str] | None:
    """(column, label, figure) when the cell ends in a figure set off by a single space that
    starts at a later column, or any figure when the row's last column is otherwise empty
    ("Lot 2" and the like are references, not figures)."""
    match = RUN_IN.match(text)
    if match is None:
        return None
    at = start + match.start("weight")
    later = [i for i, c in enumerate(columns) if i > col and abs(c - at) <= 2]
    if later:
        return later[0], match["label"], match["weight"]
    reference = re.fullmatch(r"[\d.]+", match["weight"]) and REF_WORD.search(match["label"])
    if col < len(columns) - 1 and not reference:
        return len(columns) - 1, match["label"], match["weight"]
    return None


def _cells(body: str) -> list[tuple[int, str]]:
    """(start, text) of each cell in a row: runs of text separated by two or more spaces."""
    return [(m.start(), m.group(0)) for m in CELL.finditer(body)]


def _stacked(lines: Sequence[str], index: int) -> TextTable | None:
    """A table written one cell per line from ``index``: k header lines of words, then two
    or more groups of k lines, each a label followed by k - 1 figures. The k (2 to 6)
    that takes in the most lines wins."""
    best: tuple[int, int] | None = None  # (lines taken, k)
    for k in range(2, 7):
        groups = _stacked_groups(lines, index, k)
        if groups >= 2 and (best is None or k * (groups + 1) > best[0]):
            best = (k * (groups + 1), k)
    if best is None:
        pairs = _stacked_pairs(lines, index)
        if pairs < 3:
            return None
        best = (2 * pairs, 2)
    taken, k = best
    rows = tuple(
        tuple(lines[at + i].strip()[:MAX_CELL] for i in range(k))
        for at in range(index, index + taken, k)
    )
    return TextTable(index, index + taken - 1, rows)


def _stacked_groups(lines: Sequence[str], index: int, k: int) -> int:
    """How many label-and-figures groups of ``k`` lines follow ``k`` header lines at
    ``index`` (0 when those lines are not a header)."""
    if index + k > len(lines) or not all(_header_cell(lines[i]) for i in range(index, index + k)):
        return 0
    groups = 0
    at = index + k
    while at + k <= len(lines) and _stacked_group(lines[at : at + k]):
        groups += 1
        at += k
    return groups


def _stacked_pairs(lines: Sequence[str], index: int) -> int:
    """How many label-and-figure pairs follow one another from ``index`` with no header
    ("Service Delivery", "40%", "Staffing", "25%", ...)."""
    pairs = 0
    at = index
    while at + 2 <= len(lines) and _stacked_group(lines[at : at + 2]):
        pairs += 1
        at += 2
    return pairs


def _stacked_group(group: Sequence[str]) -> bool:
    """A label line followed by figure lines ("Quality", "65%")."""
    label, *values = group
    return (
        _cell_line(label)
        and not _furniture(label)
        and not VALUE.match(label.strip())
        and all(_cell_line(v) and VALUE.match(v.strip()) for v in values)
    )


def _header_cell(line: str) -> bool:
    """A short heading of words on its own line ("Criterion", "Social Value")."""
    stripped = line.strip()
    return (
        _cell_line(line)
        and len(stripped) <= 40
        and stripped[0].isupper()
        and not re.search(r"\d", stripped)
        and not VALUE.match(stripped)
        and not _furniture(line)
    )


def _cell_line(line: str) -> bool:
    """A line that could be one cell: short, a single run of text, no sentence ending."""
    stripped = line.strip()
    return (
        bool(stripped)
        and len(stripped) <= 70
        and not stripped.endswith(SENTENCE_END)
        and "|" not in stripped
        and "\t" not in stripped
        and SPACE_GAP.search(stripped) is None
    )
