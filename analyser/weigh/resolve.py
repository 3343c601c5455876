"""Resolve nesting: turn weight statements into each criterion's share of the total score."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from analyser.types import Weighting
from analyser.weigh.numbers import parse_number
from analyser.weigh.statements import PRICE, QUALITY, Statement, canonical, same_criterion

TOLERANCE = 0.51


def settle_tables(
    statements: list[Statement], stated_total_marks: float | None = None
) -> list[Statement]:
    """Settle each table: sub-criteria against their parents, then the table against the
    document (a table of quality questions adding up to 100 is a breakdown of quality)."""
    by_table: dict[int, list[Statement]] = defaultdict(list)
    out: list[Statement] = []
    for s in statements:
        if s.table_id is None:
            out.append(s)
        else:
            by_table[s.table_id].append(s)
    settled = [_settle_children(_runs_under_sections(rows)) for rows in by_table.values()]
    quality = _top_quality(out + [s for rows in settled for s in rows])
    for rows in settled:
        out.extend(_scope_marks(_scope_table(rows, quality), quality, stated_total_marks))
    return out


SECTION_NAME = re.compile(
    r"(?:price|cost|commercial|financial|quality|technical|qualitative|non[\s-]?price)",
    re.IGNORECASE,
)


def _runs_under_sections(rows: list[Statement]) -> list[Statement]:
    """A flat table that lists each section and then its sub-criteria ("Price 35%", "Tendered
    price 100%", "Quality 65%", "Technical 35%", ... "Social value 25%"): when the rows after a
    price or quality row add up to 100, they are shares of it."""
    flat = [s for s in rows if s.parent is None and s.unit == "percent" and s.value is not None]
    if len(flat) != len(rows) or sum(s.value or 0 for s in flat) <= 100 + TOLERANCE:
        return rows
    heads = [i for i, s in enumerate(rows) if SECTION_NAME.fullmatch(s.criterion.strip())]
    if len(heads) < 2:
        return rows
    out = list(rows)
    for n, head in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(rows)
        kids = rows[head + 1 : end]
        if kids and abs(sum(k.value or 0 for k in kids) - 100) < TOLERANCE:
            for i in range(head + 1, end):
                out[i] = replace(rows[i], parent=rows[head].criterion, stated_parent=True)
    return out


def _settle_children(rows: list[Statement]) -> list[Statement]:
    """Sub-criteria that add up to their parent are shares of the total; those adding up to
    100 are shares of the parent. A parent whose weight cell is merged/empty gets their sum."""
    children: dict[str, list[Statement]] = defaultdict(list)
    for s in rows:
        if (
            s.parent
            and s.parent != "total"
            and s.value is not None
            and s.unit == "percent"
            and s.source == "table"
            and not s.stated_parent
        ):
            children[s.parent].append(s)
    if not children:
        return rows
    own = {s.criterion: s for s in rows if s.parent in (None, "total") and s.value is not None}
    parts_of_total: dict[str, bool] = {}
    extra: list[Statement] = []
    for parent, kids in children.items():
        kid_sum = sum(k.value or 0 for k in kids)
        parent_row = own.get(parent)
        if parent_row is not None and parent_row.value is not None:
            parts_of_total[parent] = (
                abs(kid_sum - parent_row.value) < TOLERANCE
                and abs(parent_row.value - 100) >= TOLERANCE
            )
        else:
            # children adding up to 100 share out their parent; otherwise they are shares of the total
            parts_of_total[parent] = abs(kid_sum - 100) >= TOLERANCE
            if parts_of_total[parent]:
                extra.append(replace(kids[0], criterion=parent, value=kid_sum, parent=None))
    settled = [
        replace(s, parent=None, part_of=s.parent)
        if parts_of_total.get(s.parent or "", False) and not s.stated_parent
        else s
        for s in rows
    ]
    return settled + extra


def _top_quality(statements: list[Statement]) -> Statement | None:
    for s in statements:
        if (
            s.parent in (None, "total")
            and s.unit == "percent"
            and s.value is not None
            and s.value < 100
            and canonical(s.criterion) == "quality"
        ):
            return s
    return None


def _scope_table(rows: list[Statement], quality: Statement | None) -> list[Statement]:
    """Rows of a table without price whose weights add up to 100 are shares of quality (with
    their parts, and with the rows that say so themselves)."""
    top = [
        s
        for s in rows
        if (s.parent is None or (s.stated_parent and s.parent == "Quality"))
        and s.unit == "percent"
        and s.value is not None
    ]
    if quality is None or not top or quality in rows:
        return rows
    if any(PRICE.search(s.criterion) and not QUALITY.search(s.criterion) for s in top):
        return rows
    total = sum(s.value or 0 for s in top if s.part_of is None)
    if abs(total - 100) >= TOLERANCE:
        return rows
    return [replace(s, parent="Quality") if s in top else s for s in rows]


def _scope_marks(
    rows: list[Statement], quality: Statement | None, stated_total: float | None
) -> list[Statement]:
    """A table of quality questions in marks, without price, when quality's share of the
    total is a percentage: each question's marks are a share of the table's marks, and so of
    quality ("Q4 Social value 7.5 marks" of 50 quality marks, quality 75%)."""
    marks = [s for s in rows if s.parent is None and s.unit == "marks" and s.value is not None]
    if quality is None or not marks or len(marks) < len(rows) or quality in rows:
        return rows
    if any(PRICE.search(s.criterion) for s in marks):
        return rows
    table_sum = sum(s.value or 0 for s in marks if not s.subtotal and s.part_of is None)
    with_total_row = all(s.out_of for s in marks)
    # "Quality | 65% | Seven questions worth 100 marks in total": quality's own row gives them
    quality_marks = [
        parse_number(m.group(0)) for m in re.finditer(r"[\d,]+\s+(?:marks|points)\b", quality.text)
    ]
    totals = [t for t in (stated_total, *quality_marks) if t is not None]
    if not with_total_row and not any(abs(t - table_sum) < TOLERANCE for t in totals):
        return rows  # e.g. a menu of points with no total: not a breakdown of quality
    return [replace(s, parent="Quality", out_of=s.out_of or table_sum) for s in rows]


def resolve(statements: list[Statement], stated_total_marks: float | None) -> list[Weighting]:
    """Every statement as a ``Weighting`` with its effective share of the total."""
    statements = _sibling_marks(_dedupe(settle_tables(statements, stated_total_marks)))
    marks_total = stated_total_marks or marks_grand_total(statements)
    top = [
        s
        for s in statements
        if s.parent in (None, "total") and s.unit == "percent" and s.value is not None
    ]
    # a parent weighed in marks ("500 marks are for Quality") is a share of the total marks
    for s in statements:
        whole = s.out_of or marks_total
        if s.parent in (None, "total") and s.unit == "marks" and s.value is not None and whole:
            top.append(replace(s, value=round(s.value / whole * 100, 2), unit="percent"))
    # parents that are themselves parts ("Stage A: 70% of the Quality score"), two levels down
    for _ in range(2):
        top.extend(_nested_parents(statements, top))
    out: list[Weighting] = []
    for s in statements:
        if s.unit == "unscored":
            continue
        effective, derivation = _effective(s, top, marks_total)
        out.append(
            Weighting(
                criterion=s.criterion,
                value=s.value,
                unit="pass_fail" if s.unit == "pass_fail" else s.unit,
                of=s.parent or "total",
                effective_pct=effective,
                page=s.page,
                text=s.text,
                derivation=derivation,
                is_social_value=s.is_social_value,
                lot=s.lot,
                stated_of_total=s.parent == "total" and s.source == "prose" and s.unit == "percent",
            )
        )
    return out


def _sibling_marks(statements: list[Statement]) -> list[Statement]:
    """Marks listed under a section weighed as a percentage ("Section C is marked out of
    30 marks: C1 ... 20, C2 ... 10"): each is a share of the marks listed with it."""
    weighed = [s.criterion for s in statements if s.unit == "percent" and s.value is not None]
    groups: dict[tuple[str, int | None], float] = defaultdict(float)
    for s in statements:
        if (
            s.unit == "marks"
            and s.value is not None
            and s.parent not in (None, "total")
            and any(same_criterion(w, s.parent or "") for w in weighed)
        ):
            groups[(s.parent or "", s.table_id)] += s.value
    return [
        replace(s, out_of=groups[(s.parent or "", s.table_id)])
        if s.unit == "marks"
        and s.out_of is None
        and s.value is not None
        and groups.get((s.parent or "", s.table_id), 0) > s.value
        else s
        for s in statements
    ]


def _nested_parents(statements: list[Statement], top: list[Statement]) -> list[Statement]:
    """Criteria weighed as a share of another ("Stage A: 70% of Quality") that are parents of
    further criteria, with their share of the total worked out."""
    parents = {canonical(s.parent) for s in statements if s.parent and s.parent != "total"}
    known = {(canonical(s.criterion), s.lot) for s in top}
    out = []
    for s in statements:
        if (
            s.parent in (None, "total")
            or s.unit != "percent"
            or s.value is None
            or (canonical(s.criterion), s.lot) in known
            or not any(same_criterion(s.criterion, p) for p in parents)
        ):
            continue
        share, _ = _effective(s, top, None)
        if share is not None:
            out.append(replace(s, value=share, parent=None))
    return out


def marks_grand_total(statements: list[Statement]) -> float | None:
    """The total marks: price + quality marks when both are given, else the sum of a table's
    marks when that table includes price. Otherwise unknown: never guess a denominator."""
    marks = [
        s
        for s in statements
        if s.unit == "marks" and s.value is not None and s.parent in (None, "total")
    ]
    outs = [s.out_of for s in marks if s.out_of]
    if outs:
        return max(outs)
    sections = {canonical(s.criterion): s.value or 0 for s in marks if s.subtotal}
    if len(sections) >= 2 and "price" in sections:
        # tables per section, each with its subtotal ("Technical total | 50", ...)
        return sum(sections.values())
    price = [s for s in marks if canonical(s.criterion) == "price"]
    quality = [s for s in marks if canonical(s.criterion) == "quality"]
    # (unless "quality" is one question among others in a table: "T1 Technical approach")
    if price and quality and not _among_questions(quality[0], marks):
        return (price[0].value or 0) + (quality[0].value or 0)
    # a table's rows, including those under a section ("B Social Value" | "B1 ..." | 7)
    by_table: dict[int, list[Statement]] = defaultdict(list)
    for s in statements:
        if (
            s.table_id is not None
            and s.unit == "marks"
            and s.value is not None
            and s.parent != "Quality"
            and not s.subtotal
            and s.part_of is None
        ):
            by_table[s.table_id].append(s)
    for rows in by_table.values():
        if any(PRICE.search(s.criterion) or PRICE.search(s.parent or "") for s in rows):
            return sum(s.value or 0 for s in rows)
    return None


def _among_questions(quality: Statement, marks: list[Statement]) -> bool:
    """A row named like quality beside other rows of its table that are neither price nor
    quality: a question ("T1 Technical approach and innovation"), not the quality section."""
    return quality.table_id is not None and any(
        s.table_id == quality.table_id and canonical(s.criterion) not in ("price", "quality")
        for s in marks
    )


def _parent_weight(parent: str, top: list[Statement], lot: str | None) -> Statement | None:
    candidates = [
        s
        for s in top
        if same_criterion(s.criterion, parent) and not same_criterion(s.criterion, "social value")
    ]
    if lot:
        candidates = [s for s in candidates if s.lot == lot] or candidates
    return candidates[0] if candidates else None


def _effective(
    s: Statement, top: list[Statement], marks_total: float | None
) -> tuple[float | None, str]:
    if s.value is None:
        return None, "pass/fail" if s.unit == "pass_fail" else "not scored"
    unit_word = "%" if s.unit == "percent" else " marks"
    parent_share = 100.0
    parent_note = ""
    if s.parent and s.parent != "total":
        parent = _parent_weight(s.parent, top, s.lot)
        if parent is None or parent.value is None:
            if s.unit == "marks" and marks_total and not s.out_of:
                share = s.value / marks_total * 100
                return round(share, 2), f"{s.value:g} of {marks_total:g} marks = {share:.4g}%"
            return (
                None,
                f"{s.value:g}{unit_word} of {s.parent}; the {s.parent} weight is not stated",
            )
        parent_share = parent.value
        parent_note = f"{s.parent} {parent.value:g}% of total x "
    if s.unit == "percent":
        share = s.value * parent_share / 100
        if parent_note:
            return round(share, 2), f"{parent_note}{s.value:g}% = {share:.4g}%"
        return round(share, 2), f"{s.value:g}% of total"
    if s.out_of and not parent_note and s.source == "table" and (marks_total or 0) > s.out_of:
        # a table of quality marks with its own total, inside a larger stated total
        share = s.value / (marks_total or 1) * 100
        return round(share, 2), f"{s.value:g} of {marks_total:g} marks = {share:.4g}%"
    if s.out_of:
        share = s.value / s.out_of * parent_share
        return round(share, 2), f"{parent_note}{s.value:g} of {s.out_of:g} marks = {share:.4g}%"
    if marks_total:
        share = s.value / marks_total * 100
        return round(share, 2), f"{s.value:g} of {marks_total:g} marks = {share:.4g}%"
    return None, f"{s.value:g} marks; total marks not stated"


def _dedupe(statements: list[Statement]) -> list[Statement]:
    """One statement per (criterion, value, unit, parent, lot): tables beat prose, earlier beats later."""
    ordered = sorted(statements, key=lambda s: (s.source != "table", s.page or 0))
    seen: set[tuple[str, float | None, str, str | None, str | None]] = set()
    out: list[Statement] = []
    for s in ordered:
        parent = canonical(s.parent) if s.parent and s.parent != "total" else None
        key = (canonical(s.criterion), s.value, s.unit, parent, s.lot)
        if key in seen:
            continue
        seen.add(key)
        out.append(s)
    return sorted(out, key=lambda s: s.page or 0)
