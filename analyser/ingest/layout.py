"""Tables written as lines of text: cells separated by pipes, tabs or runs of spaces.

Plain-text tenders (and text copied out of PDFs) keep their evaluation tables this way:

    Criterion              Weighting
    Quality                60%
    Social value           10%

``text_tables`` finds such runs of lines and cuts them into cells, keeping empty cells where
a column is blank (a merged cell) so that every row lines up with its header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")  # |---|---|
SPACE_GAP = re.compile(r"\S(?P<gap> {2,})(?=\S)")
MAX_CELL = 120


@dataclass(frozen=True)
class TextTable:
    """Rows of cells read from lines ``first`` to ``last`` (inclusive, 0-based)."""

    first: int
    last: int
    rows: tuple[tuple[str, ...], ...]


def text_tables(lines: Sequence[str]) -> list[TextTable]:
    """Every run of two or more table-like lines, cut into cells."""
    out: list[TextTable] = []
    index = 0
    while index < len(lines):
        style = _style(lines[index])
        if style is None:
            index += 1
            continue
        end = index
        while end + 1 < len(lines) and _belongs(lines[end + 1], style, lines, end + 1):
            end += 1
        run = [line for line in lines[index : end + 1] if line.strip()]
        rows = _cut(run, style)
        if len([r for r in rows if sum(1 for c in r if c) >= 2]) >= 2:
            out.append(TextTable(index, end, tuple(rows)))
        index = end + 1
    return out


def _style(line: str) -> str | None:
    """How a line separates its cells, or None when it is not a table row."""
    if line.count("|") >= 2 or (line.count("|") == 1 and not line.strip().startswith("|")):
        return "pipe"
    if "\t" in line.strip():
        return "tab"
    stripped = line.strip()
    gaps = SPACE_GAP.findall(stripped)
    if gaps and not stripped.endswith((".", ";", ",")) and len(stripped) <= 160:
        return "space"
    return None


def _belongs(line: str, style: str, lines: Sequence[str], index: int) -> bool:
    """A line continues the table: same separator, a rule line, or a short label line
    (a section row or a wrapped cell) followed by another row."""
    if PIPE_RULE.match(line) and style == "pipe":
        return True
    if _style(line) == style:
        return True
    stripped = line.strip()
    if not stripped or len(stripped) > 60 or stripped.endswith((".", ":", ";")):
        return False
    nxt = lines[index + 1] if index + 1 < len(lines) else ""
    return _style(nxt) == style


def _cut(run: list[str], style: str) -> list[tuple[str, ...]]:
    if style == "pipe":
        rows = [
            tuple(c.strip() for c in line.strip().strip("|").split("|"))
            for line in run
            if not PIPE_RULE.match(line)
        ]
    elif style == "tab":
        rows = [tuple(c.strip() for c in line.strip().split("\t")) for line in run]
    else:
        rows = _cut_columns(run)
    width = max(len(r) for r in rows)
    return [tuple(c[:MAX_CELL] for c in r) + ("",) * (width - len(r)) for r in rows]


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
    columns: list[int] = []
    for start in sorted(counts):
        near = sum(n for s, n in counts.items() if abs(s - start) <= 2)
        if start == 0 or near >= support:
            if columns and start - columns[-1] <= 2:
                continue  # the same column, right-aligned figures of different widths
            columns.append(start)
    rows = []
    for cells in cells_by_row:
        row = [""] * len(columns)
        for start, text in cells:
            col = max(i for i, c in enumerate(columns) if c <= start + 2) if start else 0
            row[col] = f"{row[col]} {text}".strip()
        rows.append(tuple(row))
    return rows


def _cells(body: str) -> list[tuple[int, str]]:
    """(start, text) of each cell in a row: runs of text separated by two or more spaces."""
    return [(m.start(), m.group(0)) for m in re.finditer(r"\S+(?: \S+)*", body)]
