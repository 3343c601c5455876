"""Weight statements read from evaluation tables (criterion / sub-criterion / weighting)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from analyser.types import Table
from analyser.weigh.numbers import normalise_number_words, parse_number
from analyser.weigh.prose import (
    OF_OTHER,
    OF_SCORE,
    PASS_FAIL,
    UNSCORED,
    WITHIN,
    _parent_name,
    caption_scope,
    prose_statements,
)
from analyser.weigh.resolve import TOLERANCE
from analyser.weigh.statements import PRICE, QUALITY, Statement

WEIGHT_HEADER = re.compile(
    r"weight|%|per\s?cent|\bshare\b|marks|points|score\s+available|available\s+score|max(imum)?\s+(score|marks)|"
    r"\bscore\b|allocation|^\s*(?:wt|max)\.?\s*$",
    re.IGNORECASE,
)
CRITERION_HEADER = re.compile(
    r"criteri|question|element|section|area|component|requirement|category|heading|"
    r"description|stage|envelope|item|aspect|topic|theme|lot",
    re.IGNORECASE,
)
TOTAL_ROW = re.compile(
    r"^\s*(grand\s+)?total\b|^\s*overall\b|^\s*(?:maximum|max\.?)\s+(?:marks\s+|score\s+)?available\b",
    re.IGNORECASE,
)
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
LOT_NAME = re.compile(r"^\s*lot\s+(?P<lot>\d{1,2}|[A-Z])\b", re.IGNORECASE)
OF_NAMED = re.compile(r"%\s+of\s+(?:the\s+)?(?P<name>[A-Z][\w ]{1,30}?)\s*$")
INLINE_WEIGHT = re.compile(r"\s*\(\s*(?P<value>\d{1,3}(?:\.\d+)?)\s*%\s*\)\s*$")
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


@dataclass(frozen=True)
class Columns:
    """Where a weight table keeps its weights and its criterion names."""

    weight: int
    criteria: tuple[int, ...]
    unit: str  # unit of the weight column when its cells carry none
    scope: str | None = None  # "Quality" when the header says "% of quality"
    # a second weight column for the criterion column on its left ("Section | Section
    # weighting | Question | Weighting within section")
    parent_weight: int | None = None
    scale: float = 1.0  # 100 when the weights are written as fractions of one ("0.35")


RATIO_ROW = re.compile(r"[A-Za-z].*\s\d{1,3}\s*[/:]\s*\d{1,3}\s*$")  # "Price/Qual. | 50/50"
LOT_ROW = re.compile(r"^(?:[\d.]+\s+)?Lot\s+(?P<lot>\d{1,2})\b", re.IGNORECASE)


def table_statements(
    tables: Sequence[Table], start_id: int = 0, lot: str | None = None
) -> list[Statement]:
    """Statements from every table that has a weighting column. Tables continuing on the
    next page (same columns, no header of their own) inherit the header before them."""
    out: list[Statement] = []
    header: tuple[str, ...] | None = None
    columns: Columns | None = None
    for offset, table in enumerate(tables):
        rows = list(table.rows)
        if not rows:
            continue
        if _named_cells(rows):
            out.extend(_rows_as_prose(rows, table, start_id + offset, lot))
            continue
        by_lot = _lot_rows(rows, table, start_id + offset)
        if by_lot:
            out.extend(by_lot)
            continue
        found = _header(rows)
        if found is not None:
            index, header = found, rows[found]
            rows = rows[index + 1 :]
            columns = _as_fractions(_columns(header, rows), rows)
        elif (
            columns is not None
            and header is not None
            and len(rows[0]) == len(header)
            and _continues(rows, columns)
        ):
            pass  # continues the table before it
        else:
            header, columns = None, _headerless(rows)
        if columns is None:
            continue
        column_lot = (
            re.match(r"\s*lot\s+(\w+)", header[columns.weight] or "", re.IGNORECASE)
            if header
            else None
        )
        out.extend(
            _rows(
                rows, columns, table, start_id + offset, column_lot.group(1) if column_lot else lot
            )
        )
    return out


NAMED_CELL = re.compile(r"^[A-Za-z][^%\d]{1,40}?\s\d{1,3}(?:\.\d+)?\s*%$")  # "Social Value 10%"


def _named_cells(rows: list[tuple[str, ...]]) -> bool:
    """Each cell names its criterion and its weight ("Lot 1: | Price 70% | Quality 30%"): the
    columns are not criteria, the rows are lines of text."""
    with_named = [r for r in rows if sum(1 for c in r if NAMED_CELL.match(c.strip())) >= 2]
    return len(with_named) * 2 > len([r for r in rows if any(r)])


def _rows_as_prose(
    rows: list[tuple[str, ...]], table: Table, table_id: int, lot: str | None
) -> list[Statement]:
    out: list[Statement] = []
    for row in rows:
        cells = [c.strip() for c in row if c.strip()]
        named_lot = LOT_ROW.search(cells[0]) if cells else None
        out.extend(
            _row_as_prose(
                cells, table, table_id, named_lot.group("lot") if named_lot else lot, "; "
            )
        )
    return out


def _row_as_prose(
    cells: list[str], table: Table, table_id: int, lot: str | None, sep: str = " "
) -> list[Statement]:
    """A table row read as the line of text it would be; the statements keep the row."""
    found, _ = prose_statements(sep.join(cells), table.page, lot)
    return [replace(f, table_id=table_id, text=" | ".join(cells)) for f in found]


def _continues(rows: list[tuple[str, ...]], columns: Columns) -> bool:
    return any(
        columns.weight < len(r) and _cell_value(r[columns.weight])[0] is not None for r in rows
    )


def _header(rows: list[tuple[str, ...]]) -> int | None:
    for index, row in enumerate(rows[:3]):
        cells = [c for c in row if c]
        if len(cells) < 2:
            continue  # a caption line, not a header
        if any(SCALE_HEADER.search(c) for c in cells) and not any(
            re.search(r"weight", c, re.IGNORECASE) for c in cells
        ):
            return None
        has_weight = (
            any(
                WEIGHT_HEADER.search(c)
                and len(c) < 50
                and not NOT_WEIGHT_HEADER.search(c)
                and not re.search(r"\d", c)
                for c in cells
            )
            or sum(1 for c in cells if LOT_HEADER.search(c)) >= 2
        )
        if has_weight and not any(_is_value(c) for c in cells):
            return index
    return None


def is_target_table(rows: Sequence[tuple[str, ...]]) -> bool:
    """A table of targets or KPIs (its header names a target column and no weight column),
    or a tariff (see ``is_tariff_table``)."""
    header = [c for c in rows[0] if c] if rows else []
    return is_tariff_table(rows) or (
        any(
            re.search(r"\btargets?\b|\bkpis?\b|threshold|tolerance", c, re.IGNORECASE)
            for c in header
        )
        and not any(re.search(r"weight|marks|points", c, re.IGNORECASE) for c in header)
    )


def is_tariff_table(rows: Sequence[tuple[str, ...]]) -> bool:
    """Points per outcome ("CB2 | Apprenticeship started | per start | 25"): a community
    benefits menu prices outcomes, it does not weigh the tender's score."""
    per_unit = sum(any(PER_UNIT.match(c) for c in row) for row in rows[1:])
    return len(rows) > 2 and per_unit >= (len(rows) - 1) / 2


PER_UNIT = re.compile(r"^\s*(?:per|each|for\s+each)\s+[a-z]+(?:\s+[a-z]+)?\s*$", re.IGNORECASE)


def _is_value(cell: str) -> bool:
    """A cell holding a weight ("40%", "200 marks", "one fifth", "Pass/Fail"), not a name."""
    value, unit = _cell_value(cell)
    return (value is not None and bool(WEIGHT_CELL.match(normalise_number_words(cell)))) or (
        unit == "pass_fail" and len(cell) < 20
    )


def _text_columns(rows: list[tuple[str, ...]], candidates: list[int]) -> list[int]:
    """Columns whose cells are mostly words or references ("Q6a"), not "x5", "0-5" or "£3"."""
    out = []
    for i in candidates:
        cells = [r[i] for r in rows if i < len(r) and r[i].strip()]
        wordy = sum(1 for c in cells if re.search(r"[A-Za-z]{2,}", c) or REF.match(c.strip()))
        if not cells or wordy * 2 >= len(cells):
            out.append(i)
    return out


def _headerless(rows: list[tuple[str, ...]]) -> Columns | None:
    """A table with no header whose rows end in a weight ("Quality | 60%", "Q4 Social value |
    7.5 marks"): read when its weights add up to 100, name price or quality, or are marks."""
    ends: list[int] = []
    for row in rows:
        filled = [i for i, c in enumerate(row) if c.strip()]
        if len(filled) >= 2 and _is_value(row[filled[-1]]) and not _is_value(row[filled[0]]):
            ends.append(filled[-1])
    if len(ends) < 2:
        return None
    weight = max(set(ends), key=ends.count)
    if ends.count(weight) * 10 < 6 * sum(1 for r in rows if any(c.strip() for c in r)):
        return None
    body = [r for r in rows if not _is_total_row(r)]
    values = [_cell_value(r[weight]) for r in body if weight < len(r) and r[weight].strip()]
    units = {unit for _, unit in values}
    names = " ".join(c for r in rows for c in r[:weight])
    bare = sum(v or 0 for v, unit in values if unit in ("percent", ""))
    adds_up = abs(bare - 100) < 0.51
    fractions = abs(bare - 1) < 0.005 and units <= {""}  # "0.55 / 0.35 / 0.1"
    total = table_total(rows)
    to_total = total is not None and abs(sum(v or 0 for v, _ in values) - total) < 0.51
    if not (
        adds_up
        or fractions
        or to_total
        or "marks" in units
        or (PRICE.search(names) and QUALITY.search(names))
    ):
        return None
    criteria = _text_columns(rows, list(range(weight)))
    if fractions:
        return Columns(weight, tuple(criteria[:3]), "percent", scale=100.0)
    unit = "percent" if "percent" in units or (adds_up and "marks" not in units) else "marks"
    return Columns(weight, tuple(criteria[:3]), unit)


def _as_fractions(columns: Columns, rows: list[tuple[str, ...]]) -> Columns:
    """Weights written as fractions of one ("Weighting factor: 0.400, 0.475, 0.125")."""
    cells = [r[columns.weight] for r in rows if columns.weight < len(r) and not _is_total_row(r)]
    values = [v for v, unit in map(_cell_value, cells) if v is not None and not unit]
    if len(values) >= 2 and all(v < 1 for v in values) and abs(sum(values) - 1) < 0.005:
        return replace(columns, scale=100.0, unit="percent")
    return columns


def _is_total_row(row: tuple[str, ...]) -> bool:
    cells = [c for c in row if c.strip()]
    return bool(cells) and bool(TOTAL_ROW.match(cells[0]))


def _columns(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Columns:
    """The weight column, criterion columns left to right, and the weight column's unit."""
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
    marks_cols = [
        j
        for j, c in enumerate(header)
        if j > weight_col and re.search(r"marks|score|points|^\s*max", c or "", re.IGNORECASE)
    ]
    if marks_cols and _multipliers(
        [r[weight_col] for r in rows if weight_col < len(r) and not _is_total_row(r)]
    ):
        weight_col = marks_cols[-1]  # "Weighting x8 | Max marks 40": the marks are the weights
    unit = (
        "marks"
        if re.search(r"marks|points|score|^\s*max\b", header[weight_col], re.IGNORECASE)
        and not re.search(r"\bweight(?:ing)?s?\b|%", header[weight_col], re.IGNORECASE)
        else "percent"
    )
    text_cols = _text_columns(
        rows,
        [
            i
            for i, c in enumerate(header)
            if i < weight_col
            and i not in weight_cols
            and i not in lot_cols
            and not re.search(r"^(ref|no\.?|#|number)$|multipl|factor", c.strip(), re.IGNORECASE)
        ],
    )
    crit_cols = [i for i in text_cols if CRITERION_HEADER.search(header[i] or "")] or text_cols
    if len(crit_cols) < len(text_cols) and text_cols and text_cols[-1] not in crit_cols:
        crit_cols = text_cols  # e.g. "Ref | Question | Weighting": both name the criterion
    scope_match = WITHIN.search(header[weight_col] or "")
    scope = _parent_name(scope_match.group("parent")) if scope_match else None
    parent_weight = next(
        (
            p
            for p in weight_cols
            if p < weight_col
            and p not in lot_cols
            and any(c < p for c in crit_cols)
            and any(p < c < weight_col for c in crit_cols)
        ),
        None,
    )
    return Columns(weight_col, tuple(crit_cols[:3]), unit, scope, parent_weight)


def _multipliers(cells: list[str]) -> bool:
    """Weighting factors a 0-5 score is multiplied by ("x8", "6", "4"), not weights."""
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) < 2 or any("%" in c for c in filled):
        return False
    if all(re.fullmatch(r"[x×]\s*\d{1,2}(?:\.\d+)?", c, re.IGNORECASE) for c in filled):
        return True
    values = [parse_number(c) for c in filled]
    return (
        all(v is not None and v <= 10 for v in values)
        and abs(sum(v or 0 for v in values) - 100) > 1
    )


def _lot_rows(rows: list[tuple[str, ...]], table: Table, table_id: int) -> list[Statement]:
    """A table with one row per lot and one column per criterion ("Lot | Price | Quality |
    Social Value"): the first lot's row, read across."""
    header = rows[0]
    lots = [r for r in rows[1:] if r and LOT_NAME.match(r[0])]
    if not header or not re.match(r"^\s*lots?\b", header[0], re.IGNORECASE) or len(lots) < 1:
        return []
    first = lots[0]
    lot = LOT_NAME.match(first[0])
    total = next(
        (
            _cell_value(first[j])[0]
            for j, h in enumerate(header)
            if j < len(first) and TOTAL_ROW.match(h or "")
        ),
        None,
    )
    out = []
    for j, head in enumerate(header[1:], start=1):
        if j >= len(first) or TOTAL_ROW.match(head or "") or not head.strip():
            continue
        value, unit = _cell_value(first[j])
        if value is None and unit != "pass_fail":
            continue
        unit = unit or ("marks" if re.search(r"marks|points", head, re.IGNORECASE) else "percent")
        name = re.sub(
            r"^\s*of\s+which\s+|\s*\((?:marks|points|%)\)\s*$", "", head, flags=re.IGNORECASE
        )
        out.append(
            Statement(
                criterion=name.strip(),
                value=value,
                unit=unit,  # type: ignore[arg-type]
                parent=None,
                page=table.page,
                text=" | ".join(c for c in first if c),
                source="table",
                out_of=total if unit == "marks" else None,
                lot=lot.group("lot") if lot else None,
                table_id=table_id,
            )
        )
    return out


def _mostly_refs(cells: list[str]) -> bool:
    """A reference column: most of its cells are "Q5", "SV1", "2.3" (a row such as "Price"
    may span it)."""
    filled = [c.strip() for c in cells if c.strip() and not TOTAL_ROW.match(c)]
    return bool(filled) and sum(1 for c in filled if REF.match(c)) * 3 >= len(filled) * 2


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
    after = cell.split("%", 1)[1] if "%" in cell else ""
    if OF_OTHER.match(after) and not OF_SCORE.match(after):
        return None, ""  # "10% of annual contract value": a target, not a weight
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
    columns: Columns,
    table: Table,
    table_id: int,
    lot: str | None,
) -> list[Statement]:
    weight_col, crit_cols = columns.weight, list(columns.criteria)
    out: list[Statement] = []
    parents: dict[int, str] = {}
    if sum(1 for r in rows if SCALE_WORDS.search(" ".join(r))) >= 3 or _is_scale(rows, weight_col):
        return out  # a scoring scale (0-5 with descriptors), not criteria
    body = [r for r in rows if any(c.strip() for c in r) and not _is_total_row(r)]
    ref_cols = [
        i
        for i in crit_cols
        if _mostly_refs([r[i] for r in rows if i < len(r)])
        # a label filled on every row beside another ("Section D | Social Value | 15") is a
        # prefix, not a group: groups leave their cell blank on the rows they contain
        or (
            i != crit_cols[-1] and len(body) >= 3 and all(i < len(r) and r[i].strip() for r in body)
        )
    ]

    total = table_total(rows)

    def statement(
        name: str,
        value: float | None,
        unit: str,
        parent: str | None,
        row: tuple[str, ...],
        subtotal: bool = False,
    ) -> Statement:
        return Statement(
            criterion=name,
            value=value,
            unit=unit,  # type: ignore[arg-type]
            parent=parent,
            page=table.page,
            text=" | ".join(c for c in row if c),
            source="table",
            lot=lot,
            table_id=table_id,
            subtotal=subtotal,
            # marks out of the table's own "Total" row
            out_of=total
            if unit == "marks" and total and value is not None and value < total
            else None,
        )

    spanning: set[str] = set()  # names written across a reference column ("Price")
    caption: str | None = None  # a caption row inside the table ("Qns (% of Qual. marks)")
    row_lot = lot
    for row in rows:
        cells = [c for c in row if c.strip()]
        if len(cells) == 1 and (row_caption := caption_scope(cells[0])):
            caption = row_caption
            continue
        if len(cells) == 1 and (named_lot := LOT_ROW.search(cells[0])):
            row_lot = named_lot.group("lot")  # "5.2 Lot 2 - Respite": the rows below are Lot 2's
            continue
        if 2 <= len(cells) <= 5 and RATIO_ROW.search(" ".join(cells)):
            # "Price/Qual. | 50/50": a ratio, read as the sentence it would be
            out.extend(_row_as_prose(cells, table, table_id, row_lot))
            continue
        row = _merge_refs(row, ref_cols, weight_col)
        if weight_col >= len(row):
            continue
        names = {i: row[i].strip() for i in crit_cols if i < len(row) and row[i].strip()}
        for i, name in list(names.items()):
            inline = INLINE_WEIGHT.search(name)
            if inline and i != max(names):
                # "Technical (80%)" heading its sub-criteria: the parent's own weight
                names[i] = name[: inline.start()].strip()
                out.append(
                    statement(names[i], float(inline.group("value")), "percent", columns.scope, row)
                )
            parents[i] = names[i]
            if i in ref_cols:
                spanning.add(names[i])
            for deeper in [k for k in parents if k > i]:
                if deeper not in names:
                    parents.pop(deeper)
        if columns.parent_weight is not None:
            own, own_unit = _cell_value(row[columns.parent_weight])
            upper = [i for i in names if i < columns.parent_weight]
            if own is not None and upper:
                out.append(
                    statement(names[max(upper)], own, own_unit or columns.unit, columns.scope, row)
                )
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
        cell = row[weight_col]
        inline = INLINE_WEIGHT.search(name)
        if inline and not cell.strip():
            name, cell = name[: inline.start()].strip(), f"{inline.group('value')}%"
        value, unit = _cell_value(cell)
        if unit == "" and value is None:
            continue
        if value is not None and not unit:
            value = round(value * columns.scale, 2)
        unit = unit or columns.unit
        parent: str | None = None
        if deepest > min(crit_cols or [deepest]):
            upper_names = [parents[k] for k in sorted(parents) if k < deepest]
            parent = upper_names[-1] if upper_names else None
        nested = WITHIN.search(cell) if value is not None else None
        if nested:
            out.append(
                replace(
                    statement(name, value, unit, _parent_name(nested.group("parent")), row),
                    stated_parent=True,
                )
            )
            continue
        if re.search(r"of\s+(the\s+)?(total|overall)", cell, re.IGNORECASE):
            parent = "total"
        elif named := OF_NAMED.search(cell):
            parent = named.group("name")  # "20% of Stage 3"
        elif parent is None and (columns.scope or caption):
            parent = columns.scope or caption
        out.append(statement(name, value, unit, parent, row, section is not None))
    return [_unless_parts(s, out) if s.parent in spanning else s for s in out]


def _unless_parts(child: Statement, statements: list[Statement]) -> Statement:
    """A row written across the reference column ("Price | | 240" above "Q1 | Method | 70")
    is the parent of the rows below only when they add up to it (or to 100%)."""
    whole = next(
        (s for s in statements if s.criterion == child.parent and s.parent != child.parent), None
    )
    parts = sum(s.value or 0 for s in statements if s.parent == child.parent)
    if whole is None or whole.value is None:
        return replace(child, parent=None)
    add_up = abs(parts - whole.value) < TOLERANCE or (
        child.unit == whole.unit == "percent" and abs(parts - 100) < TOLERANCE
    )
    return child if add_up else replace(child, parent=None)
