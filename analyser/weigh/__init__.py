"""Weigh: every award criterion's weight, and social value's effective share of the total.

A chain of small pure functions behind one stage function:
``candidates`` (clauses and tables) -> ``prose_statements`` / ``table_statements`` (parse)
-> ``resolve`` (nesting, marks) -> ``pick_social_value``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from analyser.types import Clause, Evidence, SocialValueWeight, Tender, Weighting, WeighResult
from analyser.weigh.prose import prose_statements, total_marks
from analyser.weigh.resolve import TOLERANCE, resolve
from analyser.weigh.statements import Statement, canonical
from analyser.weigh.tables import table_statements

LOT = re.compile(r"\bLot\s+(?P<lot>\d{1,2}|[A-Z])\b")
FIGURE_CUE = re.compile(r"\d\s*(%|marks?|points?|pts)|per\s?cent|percent|pass\s*/\s*fail", re.IGNORECASE)


def weigh(tender: Tender, clauses: Sequence[Clause], sv_clause_ids: Iterable[str] = ()) -> WeighResult:
    """The weigh stage: every criterion weight found, and social value's effective weight."""
    statements, markers = find_statements(tender, clauses)
    stated_total = _stated_total_marks(clauses)
    weightings = resolve(statements, stated_total)
    has_sv_text = bool(set(sv_clause_ids))
    sv = pick_social_value(weightings, markers, has_sv_text)
    flags, warnings = check_consistency(weightings)
    return WeighResult(tuple(weightings), sv, tuple(flags), tuple(warnings))


def find_statements(tender: Tender, clauses: Sequence[Clause]) -> tuple[list[Statement], list[tuple[str, Clause]]]:
    """Weight statements from the tender's tables and from every clause that carries a figure."""
    lots = _lots_by_text(clauses)
    statements: list[Statement] = []
    tables = [t for page in tender.pages for t in page.tables]
    table_rows: set[str] = set()
    for table_id, table in enumerate(tables):
        row_texts = [" | ".join(c for c in row if c) for row in table.rows]
        table_rows.update(row_texts)
        lot = next((lots[t] for t in row_texts if lots.get(t)), None)
        statements.extend(table_statements([table], start_id=table_id, lot=lot))
    statements = _merge_continued_tables(statements, tables)
    markers: list[tuple[str, Clause]] = []
    for clause in clauses:
        if clause.text in table_rows:
            continue
        if not FIGURE_CUE.search(clause.text) and "not" not in clause.text and "information" not in clause.text:
            continue
        found, marks = prose_statements(clause.text, clause.page, lots.get(clause.text))
        statements.extend(found)
        markers.extend((m, clause) for m in marks)
    return statements, markers


def _merge_continued_tables(statements: list[Statement], tables: list) -> list[Statement]:
    """A table continued on the next page without its header is read as the same table."""
    if not statements:
        statements = []
    continued: list[Statement] = []
    by_id = {id_: [s for s in statements if s.table_id == id_] for id_ in {s.table_id for s in statements}}
    for table_id in range(1, len(tables)):
        if table_id in by_id:
            continue
        prev = by_id.get(table_id - 1)
        if not prev:
            continue
        follow = table_statements([tables[table_id - 1], tables[table_id]], start_id=table_id - 1)
        extra = [s for s in follow if s.page == tables[table_id].page]
        continued.extend(extra)
        by_id[table_id] = extra
    return statements + continued


def _lots_by_text(clauses: Sequence[Clause]) -> dict[str, str]:
    """Clause text -> lot it sits under, when the heading path or the clause names one lot."""
    out: dict[str, str] = {}
    for clause in clauses:
        found = {m.group("lot") for h in clause.heading_path for m in LOT.finditer(h)}
        if len(found) == 1:
            out[clause.text] = found.pop()
    return out


def _stated_total_marks(clauses: Sequence[Clause]) -> float | None:
    for clause in clauses:
        if "mark" in clause.text.lower() or "point" in clause.text.lower():
            total = total_marks(clause.text)
            if total:
                return total
    return None


def pick_social_value(
    weightings: Sequence[Weighting], markers: Sequence[tuple[str, Clause]], has_sv_text: bool
) -> SocialValueWeight:
    """Social value's effective share: its criteria added together, sub-parts not counted twice."""
    sv = [w for w in weightings if w.is_social_value]
    lots = sorted({w.lot for w in sv if w.lot})
    if lots:
        first = lots[0]
        sv = [w for w in sv if w.lot in (None, first)]
    scored = [w for w in sv if w.effective_pct is not None and w.effective_pct > 0]
    # parts of social value (quantitative/qualitative of "social value") are not added to it
    top = [w for w in scored if canonical(w.of) not in _sv_keys(scored) or w.of == "total"]
    chosen = _without_double_counting(top or scored)
    if chosen:
        total = round(sum(w.effective_pct or 0 for w in chosen), 2)
        single_stated = len(chosen) == 1 and chosen[0].unit == "percent" and chosen[0].of == "total"
        derivation = " + ".join(f"{w.criterion}: {w.derivation}" for w in chosen)
        if lots:
            derivation += f" (Lot {lots[0]})"
        return SocialValueWeight(
            effective_pct=total,
            basis="stated" if single_stated else "derived",
            evidence=tuple(Evidence(w.page, w.text) for w in chosen),
            derivation=derivation,
        )
    unresolved = [w for w in sv if w.value is not None and w.effective_pct is None]
    if unresolved:
        w = unresolved[0]
        return SocialValueWeight(None, "unstated", (Evidence(w.page, w.text),), w.derivation)
    pass_fail = [w for w in sv if w.unit == "pass_fail"] or [
        c for m, c in markers if m == "pass_fail"
    ]
    if pass_fail:
        first_pf = pass_fail[0]
        return SocialValueWeight(
            None,
            "pass_fail",
            (Evidence(first_pf.page, first_pf.text),),
            "social value is assessed pass/fail, not weighted",
        )
    if has_sv_text or sv or markers:
        evidence = tuple(Evidence(c.page, c.text) for m, c in markers if m == "unscored")[:2]
        why = "social value is not scored" if evidence else "no weight stated for social value"
        return SocialValueWeight(None, "unstated", evidence, why)
    return SocialValueWeight(None, "none", (), "no social value content found")


def _sv_keys(weightings: Sequence[Weighting]) -> set[str]:
    return {canonical(w.criterion) for w in weightings} | {"social value"}


def _without_double_counting(weightings: Sequence[Weighting]) -> list[Weighting]:
    """Drop repeats of one criterion, and parts whose sum equals a whole that is also listed."""
    unique: dict[str, Weighting] = {}
    for w in weightings:
        key = canonical(w.criterion)
        if key not in unique:
            unique[key] = w
    items = list(unique.values())
    # same figure stated twice under different names ("Social Value 10%" and "social value criterion 10%")
    distinct: list[Weighting] = []
    for w in items:
        if any(abs((w.effective_pct or 0) - (d.effective_pct or 0)) < 0.01 and w.text == d.text for d in distinct):
            continue
        distinct.append(w)
    items = distinct
    for whole in items:
        parts = [w for w in items if w is not whole]
        if parts and abs(sum(p.effective_pct or 0 for p in parts) - (whole.effective_pct or 0)) < TOLERANCE:
            return [whole]
    if len(items) > 1:
        # a general "social value" figure repeated with the same value as a more specific one
        values = {round(w.effective_pct or 0, 2) for w in items}
        if len(values) == 1:
            return [items[0]]
    return items


def check_consistency(weightings: Sequence[Weighting]) -> tuple[list[str], list[str]]:
    """Flags and warnings when the top-level weights do not add up to 100."""
    flags: list[str] = []
    warnings: list[str] = []
    by_lot: dict[str | None, dict[str, float]] = {}
    for w in weightings:
        if w.unit == "percent" and w.of == "total" and w.value is not None:
            by_lot.setdefault(w.lot, {}).setdefault(canonical(w.criterion), w.value)
    for lot, weights in by_lot.items():
        total = sum(weights.values())
        if len(weights) >= 2 and abs(total - 100) > TOLERANCE and total < 100:
            where = f" for Lot {lot}" if lot else ""
            warnings.append(f"top-level weights found{where} add up to {total:g}%, not 100%")
            if "weights_do_not_sum" not in flags:
                flags.append("weights_do_not_sum")
    if len({lot for lot in by_lot if lot}) > 1:
        flags.append("weights_differ_by_lot")
    return flags, warnings
