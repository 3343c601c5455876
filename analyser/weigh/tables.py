"""Weight statements read from evaluation tables (criterion / sub-criterion / weighting)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from analyser.types import Table
from analyser.weigh.numbers import normalise_number_words, parse_number
from analyser.weigh.prose import PASS_FAIL, UNSCORED, WITHIN, _parent_name
from analyser.weigh.statements import Statement

WEIGHT_HEADER = re.compile(
    r"weight|%|per\s?cent|marks|points|score\s+available|available\s+score|max(imum)?\s+(score|marks)|"
    r"\bscore\b|allocation",
    re.IGNORECASE,
)
CRITERION_HEADER = re.compile(
    r"criteri|question|element|section|area|component|requirement|category|heading|"
    r"description|stage|envelope|item|aspect|topic|theme|lot",
    re.IGNORECASE,
)
TOTAL_ROW = re.compile(r"^\s*(grand\s+)?total\b|^\s*overall\b", re.IGNORECASE)
SUBTOTAL_ROW = re.compile(
    r"^\s*(?P<section>\w.{1,50}?)\s*[-–:(]?\s*(?:sub-?\s?)?total\)?\s*$", re.IGNORECASE
)
SCALE_HEADER = re.compile(r"descriptor|definition|meaning|interpretation|grade", re.IGNORECASE)
NOT_WEIGHT_HEADER = re.compile(
    r"target|threshold|minimum|standard|frequency|service\s+level|measure\b|kpi|tolerance|"
    r"performance|deduction|credit|price\s*\(|rate|value\s*\(£|£|word|page|side",
    re.IGNORECASE,
)
LOT_HEADER = re.compile(r"^\s*lot\s+\w+", re.IGNORECASE)
REF = re.compile(
    r"^(?:[A-Z]{0,4}[\s-]?\d{1,2}[a-z]?(?:\.\d{1,2}){0,2}|[A-Z]{1,3}-?[A-Z]?|\d{1,2}(?:\.\d{1,2}){0,2}|[a-z]\)|\([a-z]\))$"
)
SCALE_WORDS = re.compile(
    r"excellent|good|acceptable|satisfactory|poor|unacceptable|fails?\s+to|no\s+response|weak|limited|fully\s+meets",
    re.IGNORECASE,
)
WEIGHT_CELL = re.compile(
    r"^(?:up\s+to\s+)?\d{1,3}(?:,\d{3})*(?:\.\d+)?\s*(?:%|per\s?cent|marks?|points?|pts)?\s*"
    r"(?:\(?\s*(?:of|out\s+of|within)\s+(?:the\s+)?[\w\s%,.]{0,40}\)?)?\s*$",
    re.IGNORECASE,
)
TARGET_CELL = re.compile(
    r"at\s+least|not\s+(fewer|less)|minimum|or\s+(more|above|higher)|within|per\s+(month|quarter)|of\s+(calls|visits|cases|invoices|staff)",
    re.IGNORECASE,
)


def table_total(rows: Sequence[tuple[str, ...]]) -> float | None:
    """The figure on a "Total" row (e.g. "Total | | 1,000"), if the table has one."""
    for row in rows:
        cells = [c for c in row if c]
        if cells and TOTAL_ROW.match(cells[0]) and len(cells) > 1:
            value, _ = _cell_value(cells[-1])
            if value:
                return value
    return None


def table_statements(
    tables: Sequence[Table], start_id: int = 0, lot: str | None = None
) -> list[Statement]:
    """Statements from every table that has a weighting column. Tables continuing on the
    next page (same columns, no header of their own) inherit the header before them."""
    out: list[Statement] = []
    header: tuple[str, ...] | None = None
    columns: tuple[int, list[int], str, str | None] | None = None
    for offset, table in enumerate(tables):
        rows = list(table.rows)
        if not rows:
            continue
        found = _header(rows)
        if found is not None:
            index, header = found, rows[found]
            columns = _columns(header)
            rows = rows[index + 1 :]
        elif (
            columns is None
            or header is None
            or len(rows[0]) != len(header)
            or not _continues(rows, columns)
        ):
            columns = None
            continue
        if columns is None:
            continue
        column_lot = (
            re.match(r"\s*lot\s+(\w+)", header[columns[0]] or "", re.IGNORECASE) if header else None
        )
        out.extend(
            _rows(
                rows, columns, table, start_id + offset, column_lot.group(1) if column_lot else lot
            )
        )
    return out


def _continues(
    rows: list[tuple[str, ...]], columns: tuple[int, list[int], str, str | None]
) -> bool:
    weight_col = columns[0]
    return any(weight_col < len(r) and _cell_value(r[weight_col])[0] is not None for r in rows)


def _header(rows: list[tuple[str, ...]]) -> int | None:
    for index, row in enumerate(rows[:3]):
        cells = [c for c in row if c]
        if not cells:
            continue
        if any(SCALE_HEADER.search(c) for c in cells) and not any(
            re.search(r"weight", c, re.IGNORECASE) for c in cells
        ):
            return None
        has_weight = (
            any(
                WEIGHT_HEADER.search(c) and len(c) < 50 and not NOT_WEIGHT_HEADER.search(c)
                for c in cells
            )
            or sum(1 for c in cells if LOT_HEADER.search(c)) >= 2
        )
        numeric = sum(1 for c in cells if re.fullmatch(r"[\d.,%\s]+", c))
        if has_weight and numeric == 0:
            return index
    return None


def _columns(header: tuple[str, ...]) -> tuple[int, list[int], str, str | None]:
    """(weight column, criterion columns left to right, unit of the weight column)."""
    weight_cols = [
        i
        for i, c in enumerate(header)
        if c and WEIGHT_HEADER.search(c) and not NOT_WEIGHT_HEADER.search(c)
    ]
    lot_cols = [i for i, c in enumerate(header) if c and LOT_HEADER.search(c)]
    # one column per lot: read the first lot's; otherwise prefer "% of total" over
    # "% of quality", and weight/% over "max score"
    preferred = (
        lot_cols[:1]
        if len(lot_cols) >= 2
        else [i for i in weight_cols if re.search(r"total|overall", header[i], re.IGNORECASE)]
        or [i for i in weight_cols if re.search(r"weight|%|per\s?cent", header[i], re.IGNORECASE)]
    )
    weight_col = (preferred or weight_cols)[-1] if (preferred or weight_cols) else len(header) - 1
    unit = (
        "marks"
        if re.search(r"marks|points|score", header[weight_col], re.IGNORECASE)
        and not re.search(r"weight|%", header[weight_col], re.IGNORECASE)
        else "percent"
    )
    text_cols = [
        i
        for i, c in enumerate(header)
        if i < weight_col
        and i not in weight_cols
        and i not in lot_cols
        and not re.search(r"^(ref|no\.?|#|number)$", c.strip(), re.IGNORECASE)
    ]
    crit_cols = [i for i in text_cols if CRITERION_HEADER.search(header[i] or "")] or text_cols
    if len(crit_cols) < len(text_cols) and text_cols and text_cols[-1] not in crit_cols:
        crit_cols = text_cols  # e.g. "Ref | Question | Weighting": both name the criterion
    scope_match = WITHIN.search(header[weight_col] or "")
    scope = _parent_name(scope_match.group("parent")) if scope_match else None
    return weight_col, crit_cols[:3], unit, scope


def _merge_refs(row: tuple[str, ...], ref_cols: list[int], weight_col: int) -> tuple[str, ...]:
    """A reference column ("Q5", "SV1") is a prefix of the name beside it, not a parent."""
    if not ref_cols:
        return row
    cells = list(row)
    for i in ref_cols:
        nxt = i + 1
        if nxt < len(cells) and nxt != weight_col and cells[i] and cells[nxt]:
            cells[nxt] = f"{cells[i]} {cells[nxt]}"
            cells[i] = ""
    return tuple(cells)


def _cell_value(cell: str) -> tuple[float | None, str]:
    """(number, unit) from a weight cell: "40%", "40", "200 marks", "Pass/Fail"."""
    cell = normalise_number_words(cell or "")
    if PASS_FAIL.search(cell):
        return None, "pass_fail"
    if TARGET_CELL.search(cell):
        return None, ""
    if UNSCORED.search(cell) or re.fullmatch(
        r"\s*(n/?a|nil|none|-|–|0%?\s*\(not scored\))\s*", cell, re.IGNORECASE
    ):
        return None, "unscored"
    value = parse_number(cell)
    if value is None:
        return None, ""
    unit = (
        "percent"
        if "%" in cell
        else ("marks" if re.search(r"marks|points|pts", cell, re.IGNORECASE) else "")
    )
    return value, unit


def _is_scale(rows: list[tuple[str, ...]], weight_col: int) -> bool:
    """Scores 0/1 to N, one per row, are a scoring scale ("5 | Excellent ...", "0 | No response")."""
    cells = [r[weight_col].strip() for r in rows if weight_col < len(r) and r[weight_col].strip()]
    if len(cells) < 3 or not all(re.fullmatch(r"\d{1,2}", c) for c in cells):
        return False
    values = sorted(int(c) for c in cells)
    return values[0] in (0, 1) and values == list(range(values[0], values[0] + len(values)))


def _rows(
    rows: list[tuple[str, ...]],
    columns: tuple[int, list[int], str, str | None],
    table: Table,
    table_id: int,
    lot: str | None,
) -> list[Statement]:
    weight_col, crit_cols, header_unit, header_scope = columns
    out: list[Statement] = []
    parents: dict[int, str] = {}
    if sum(1 for r in rows if SCALE_WORDS.search(" ".join(r))) >= 3 or _is_scale(rows, weight_col):
        return out  # a scoring scale (0-5 with descriptors), not criteria
    ref_cols = [
        i
        for i in crit_cols
        if all(REF.match(r[i].strip()) for r in rows if i < len(r) and r[i].strip())
        and any(i < len(r) and r[i].strip() for r in rows)
    ]
    for row in rows:
        row = _merge_refs(row, ref_cols, weight_col)
        if weight_col >= len(row):
            continue
        names = {i: row[i].strip() for i in crit_cols if i < len(row) and row[i].strip()}
        for i, name in names.items():
            parents[i] = name
            for deeper in [k for k in parents if k > i]:
                if deeper not in names:
                    parents.pop(deeper)
        if not names:
            if not any(row):
                continue
            label_cells = [c for j, c in enumerate(row) if j != weight_col and c]
            if not label_cells:
                continue
            names = {-1: label_cells[0]}
        deepest = max(names)
        name = names[deepest]
        if TOTAL_ROW.match(name):
            continue
        section = SUBTOTAL_ROW.match(name)
        if section:
            name = section.group("section")
        value, unit = _cell_value(row[weight_col])
        if unit == "" and value is None:
            continue
        unit = unit or header_unit
        parent: str | None = None
        if deepest > min(crit_cols or [deepest]):
            upper = [parents[k] for k in sorted(parents) if k < deepest]
            parent = upper[-1] if upper else None
        cell = row[weight_col]
        nested = WITHIN.search(cell) if value is not None else None
        if nested:
            parent = _parent_name(nested.group("parent"))
        elif re.search(r"of\s+(the\s+)?(total|overall)", cell, re.IGNORECASE):
            parent = "total"
        elif parent is None and header_scope:
            parent = header_scope
        text = " | ".join(c for c in row if c)
        out.append(
            Statement(
                criterion=name,
                value=value,
                unit=unit,  # type: ignore[arg-type]
                parent=parent,
                page=table.page,
                text=text,
                source="table",
                lot=lot,
                table_id=table_id,
                subtotal=section is not None,
            )
        )
    return out
