"""Resolve nesting: turn weight statements into each criterion's share of the total score."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from analyser.types import Weighting
from analyser.weigh.statements import Statement, canonical, same_criterion

TOLERANCE = 0.51


def settle_table_nesting(statements: list[Statement]) -> list[Statement]:
    """In a table with criteria and sub-criteria, decide whether sub-criterion weights are
    shares of the total (they add up to their parent) or of the parent (they add up to 100),
    and give parents with merged, empty weight cells the sum of their children."""
    by_table: dict[int, list[Statement]] = defaultdict(list)
    out: list[Statement] = []
    for s in statements:
        if s.table_id is None:
            out.append(s)
        else:
            by_table[s.table_id].append(s)
    for rows in by_table.values():
        out.extend(_settle_one_table(rows))
    return out


def _settle_one_table(rows: list[Statement]) -> list[Statement]:
    children: dict[str, list[Statement]] = defaultdict(list)
    for s in rows:
        if s.parent and s.parent != "total" and s.value is not None and s.unit == "percent":
            children[s.parent].append(s)
    if not children:
        return rows
    own = {s.criterion: s for s in rows if s.parent in (None, "total") and s.value is not None}
    table_sum = sum(s.value or 0 for s in rows if s.unit == "percent")
    of_total: dict[str, bool] = {}
    extra: list[Statement] = []
    for parent, kids in children.items():
        kid_sum = sum(k.value or 0 for k in kids)
        parent_row = own.get(parent)
        if parent_row is not None and parent_row.value is not None:
            of_total[parent] = (
                abs(kid_sum - parent_row.value) < TOLERANCE and abs(parent_row.value - 100) >= TOLERANCE
            )
        else:
            of_total[parent] = abs(table_sum - 100) < TOLERANCE or abs(kid_sum - 100) >= TOLERANCE
            if of_total[parent]:
                first = kids[0]
                extra.append(replace(first, criterion=parent, value=kid_sum, parent="total"))
    settled = [
        replace(s, parent="total") if s.parent in of_total and of_total[s.parent] else s for s in rows
    ]
    return settled + extra


def resolve(statements: list[Statement], stated_total_marks: float | None) -> list[Weighting]:
    """Every statement as a ``Weighting`` with its effective share of the total."""
    statements = _dedupe(settle_table_nesting(statements))
    top = [s for s in statements if s.parent in (None, "total") and s.unit == "percent" and s.value is not None]
    marks_total = stated_total_marks or _marks_total(statements)
    out: list[Weighting] = []
    for s in statements:
        if s.unit == "unscored":
            continue
        effective, derivation = _effective(s, top, marks_total)
        out.append(
            Weighting(
                criterion=s.criterion,
                value=s.value,
                unit=s.unit if s.unit in ("percent", "marks", "pass_fail") else "pass_fail",  # type: ignore[arg-type]
                of=s.parent or "total",
                effective_pct=effective,
                page=s.page,
                text=s.text,
                derivation=derivation,
                is_social_value=s.is_social_value,
                lot=s.lot,
            )
        )
    return out


def _marks_total(statements: list[Statement]) -> float | None:
    marks = [s for s in statements if s.unit == "marks" and s.value is not None]
    if not marks:
        return None
    outs = [s.out_of for s in marks if s.out_of and s.parent in (None, "total")]
    if outs:
        return max(outs)
    top = [s.value or 0 for s in marks if s.parent in (None, "total")]
    total = sum(top)
    return total if total > 0 else None


def _parent_weight(parent: str, top: list[Statement], lot: str | None) -> Statement | None:
    candidates = [s for s in top if same_criterion(s.criterion, parent) and not same_criterion(s.criterion, "social value")]
    if lot:
        in_lot = [s for s in candidates if s.lot == lot]
        candidates = in_lot or candidates
    return candidates[0] if candidates else None


def _effective(
    s: Statement, top: list[Statement], marks_total: float | None
) -> tuple[float | None, str]:
    if s.value is None:
        return None, "pass/fail" if s.unit == "pass_fail" else "not scored"
    parent_share = 100.0
    parent_note = ""
    if s.parent and s.parent != "total":
        parent = _parent_weight(s.parent, top, s.lot)
        if parent is None or parent.value is None:
            if s.unit == "marks" and marks_total and not s.out_of:
                return round(s.value / marks_total * 100, 2), f"{s.value:g} of {marks_total:g} marks"
            return None, f"{s.value:g}{'%' if s.unit == 'percent' else ' marks'} of {s.parent}; {s.parent} weight not stated"
        parent_share = parent.value
        parent_note = f"{s.parent} {parent.value:g}% of total x "
    if s.unit == "percent":
        if parent_note:
            return round(s.value * parent_share / 100, 2), f"{parent_note}{s.value:g}% = {s.value * parent_share / 100:.4g}%"
        return round(s.value, 2), f"{s.value:g}% of total"
    # marks or points
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
    return sorted(out, key=lambda s: (s.page or 0))
