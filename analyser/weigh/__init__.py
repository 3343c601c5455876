"""Weigh: every award criterion's weight, and social value's effective share of the total.

A chain of small pure functions behind one stage function:
``candidates`` (clauses and tables) -> ``prose_statements`` / ``table_statements`` (parse)
-> ``resolve`` (nesting, marks) -> ``pick_social_value``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from analyser.types import (
    Clause,
    Evidence,
    SocialValueWeight,
    Table,
    Tender,
    WeighResult,
    Weighting,
)
from analyser.weigh.prose import (
    CORRECTION,
    LETTER_TERM,
    QUOTED_AS_STATED,
    caption_scope,
    letter_formula_statements,
    prose_statements,
    total_marks,
)
from analyser.weigh.resolve import TOLERANCE, resolve
from analyser.weigh.statements import (
    NAMED_SOCIAL_VALUE,
    SOCIAL_VALUE_CRITERION,
    Statement,
    canonical,
    same_criterion,
)
from analyser.weigh.tables import is_target_table, is_tariff_table, table_statements, table_total

QUOTE_INTRO = re.compile(r"\b(?:states|stated|said|reads|read)\s*:\s*$", re.IGNORECASE)
# "This Tender Response Document is to be used for Lot 2 only"
DOCUMENT_LOT = re.compile(
    r"\b(?:for|to|against\s+the)\s+Lot\s+(?P<lot>\d{1,2})\s+(?:only|weightings\s+only)\b",
    re.IGNORECASE,
)
LOT = re.compile(r"\bLot\s+(?:No\.?\s*:?\s*)?(?P<lot>\d{1,2}|[A-Z])\b")
LOT_MARKER = re.compile(
    r"(?:^|\s)Lot\s+(?:No\.?|number)\s*:?\s*(?P<lot>\d{1,2})\s*$", re.IGNORECASE
)
PRICE_PER_QUALITY_POINT = re.compile(
    r"(?:price|cost)\s+per\s+quality\s+point|\bPQP\b", re.IGNORECASE
)
FIGURE_CUE = re.compile(
    r"\d\s*(?:\w+\s+)?(?:%|marks?|points?|pts)|per\s?cent|percent|pass\s*/\s*fail|\d\s*[:/]\s*\d|"
    r"\b(?:marks|points|weight\w*|half|thirds?|quarters?|fifths?|tenths?)\b|\d+\s+(?:are|is)\s|"
    r"\b(?:price|quality|technical|cost|commercial)\s*\(?\d|\d*\.\d+\s*[x×*]|[x×*]\s*\d*\.\d",
    re.IGNORECASE,
)


def weigh(
    tender: Tender, clauses: Sequence[Clause], sv_clause_ids: Iterable[str] = ()
) -> WeighResult:
    """The weigh stage: every criterion weight found, and social value's effective weight."""
    statements, markers = find_statements(tender, clauses)
    totals = [t for page in tender.pages for table in page.tables if (t := table_total(table.rows))]
    stated_total = _stated_total_marks(clauses)
    big_totals = [t for t in [*totals, stated_total or 0] if t > 100]
    stated_total = max(big_totals) if big_totals else stated_total
    weightings = resolve(statements, stated_total)
    has_sv_text = bool(set(sv_clause_ids))
    document_lot = DOCUMENT_LOT.search(tender.text)
    sv = pick_social_value(
        weightings, markers, has_sv_text, document_lot.group("lot") if document_lot else None
    )
    flags, warnings = check_consistency(weightings)
    if PRICE_PER_QUALITY_POINT.search(tender.text) and sv.effective_pct is not None:
        # price per quality point: social value is a share of quality; its share of the total is undefined
        sv = SocialValueWeight(
            None,
            "unstated",
            sv.evidence,
            f"price per quality point evaluation: {sv.derivation}; share of the total score is undefined",
        )
        flags.append("price_per_quality_point")
    return WeighResult(tuple(weightings), sv, tuple(flags), tuple(warnings))


def find_statements(
    tender: Tender, clauses: Sequence[Clause]
) -> tuple[list[Statement], list[tuple[str, Clause]]]:
    """Weight statements from the tender's tables and from every clause that carries a figure."""
    lots = _lots_by_text(clauses)
    statements: list[Statement] = []
    tables = [t for page in tender.pages for t in page.tables]
    table_rows: set[str] = set()
    for table_id, table in enumerate(tables):
        row_texts = [" | ".join(c for c in row if c) for row in table.rows]
        lot = next((lots[t] for t in row_texts if lots.get(t)), None)
        if not is_tariff_table(table.rows):
            statements.extend(table_statements([table], start_id=table_id, lot=lot))
    statements = _merge_continued_tables(statements, tables)
    statements = _scope_by_caption(statements, tables, clauses)
    # rows of the tables read as weight tables are not read again as prose, nor are rows of
    # tables of targets and KPIs ("KPI | Measure | Target")
    read = {s.table_id for s in statements if s.table_id is not None}
    for table_id, table in enumerate(tables):
        if table_id in read or is_target_table(table.rows):
            table_rows.update(" | ".join(c for c in row if c) for row in table.rows)
    answers = _answers_of_clarification_logs(tables)
    markers: list[tuple[str, Clause]] = []
    field_name: str | None = None
    rows = _RowRuns(first_id=len(tables))
    # an amendment notice: "Paragraph 7.2 stated: ..." is replaced by "... replaced with: ..."
    corrected = bool(CORRECTION.search(tender.text))
    section_lot: str | None = None  # "Lot No: 2" in a notice: the fields below are Lot 2's
    replaced = False  # inside a corrigendum's "Instead of:" block, until its "Read:"
    has_read = any(READ_INSTEAD.match(c.text) for c in clauses)
    for index, clause in enumerate(clauses):
        clause_before = clauses[index - 1].text if index else ""
        marker = LOT_MARKER.search(clause.text)
        if marker:
            section_lot = marker.group("lot")
        if has_read and INSTEAD_OF.search(clause.text):
            replaced = True
            continue
        if READ_INSTEAD.match(clause.text):
            replaced = False
            continue
        if replaced or clause.text in table_rows:
            continue
        introduced = f"{clause_before} {clause.heading_path[-1] if clause.heading_path else ''}"
        if (
            corrected
            and (QUOTED_AS_STATED.search(clause.text) or QUOTE_INTRO.search(introduced.strip()))
            and not CORRECTION.search(clause.text)
        ):
            continue  # the text an amendment replaces
        text, field_name = _named_fields(answers.get(clause.text, clause.text), field_name)
        if clause.kind == "table_row":
            text = text.replace(" | ", "  ")  # a row not read as a weight table: its words
        if not FIGURE_CUE.search(text) and "not" not in text and "information" not in text:
            rows.end(clause)
            continue
        named_lots = set(LOT.findall(clause.text))
        lot = (
            lots.get(clause.text)
            or (named_lots.pop() if len(named_lots) == 1 else None)
            or section_lot
        )
        found, marks = prose_statements(text, clause.page, lot, caption=clause_before)
        if not found and LETTER_TERM.search(text):
            found = letter_formula_statements(text, tender.text, clause.page, lot)
        statements.extend(rows.add(clause, [replace(f, text=clause.text) for f in found]))
        markers.extend((m, clause) for m in marks)
    return _name_references(statements), markers


QUESTION_HEADER = re.compile(
    r"^\s*(?:clarification\s+)?(?:question|query|enquiry)s?\s*$", re.IGNORECASE
)
ANSWER_HEADER = re.compile(r"^\s*(?:response|answer|reply|clarification)s?\s*$", re.IGNORECASE)


def _answers_of_clarification_logs(tables: Sequence[Table]) -> dict[str, str]:
    """Rows of a clarification log ("No. | Date | Question | Response") read as their answer
    only: the question quotes what the answer corrects ("Section 4 says 20% but ...")."""
    out: dict[str, str] = {}
    for table in tables:
        if not table.rows:
            continue
        header = table.rows[0]
        asked = [i for i, c in enumerate(header) if QUESTION_HEADER.match(c)]
        answered = [i for i, c in enumerate(header) if ANSWER_HEADER.match(c)]
        if not asked or not answered:
            continue
        for row in table.rows[1:]:
            kept = [c for i, c in enumerate(row) if c and i not in asked]
            out[" | ".join(c for c in row if c)] = " | ".join(kept)
    return out


# a notice for changes: "Instead of:" (the old text, ignored) ... "Read:" (the new text)
INSTEAD_OF = re.compile(r"\binstead\s+of\s*:\s*$", re.IGNORECASE)
READ_INSTEAD = re.compile(r"^\s*(?:to\s+)?read\s*:\s*$", re.IGNORECASE)

ENDS_WITH_FIGURE = re.compile(r"\d\s*(?:%|per\s?cent|marks|points)\)?$", re.IGNORECASE)


def _scope_by_caption(
    statements: list[Statement], tables: list[Table], clauses: Sequence[Clause]
) -> list[Statement]:
    """A table's rows are shares of what the line just above the table says
    ("Stage A questions (weightings are % of Stage A):")."""
    index = {clause.text: i for i, clause in reversed(list(enumerate(clauses)))}
    scopes: dict[int, str] = {}
    for table_id, table in enumerate(tables):
        first = next((" | ".join(c for c in row if c) for row in table.rows if any(row)), "")
        at = index.get(first)
        if at:
            above = clauses[at - 1].text
            heading = clauses[at].heading_path[-1] if clauses[at].heading_path else ""
            scope = caption_scope(above) or caption_scope(heading)
            if scope and scope != "Quality":  # quality breakdowns are settled by their sums
                scopes[table_id] = scope
    return [
        replace(s, parent=scopes[s.table_id])
        if s.table_id in scopes
        and s.parent is None
        and canonical(s.criterion) not in ("price", "quality")
        else s
        for s in statements
    ]


class _RowRuns:
    """Criteria written one per line without a table ("Q4 Social value: 10%"): consecutive
    rows form a run that is settled like a table, under the scope its caption gives
    ("Quality sub-criteria (% of the quality score)")."""

    def __init__(self, first_id: int) -> None:
        self.next_id = first_id
        self.run_id: int | None = None
        self.scope: str | None = None
        self.heading = ""
        self.scope_heading = ""

    def end(self, clause: Clause) -> None:
        self.run_id = None
        self.scope = caption_scope(clause.text)
        self.scope_heading = clause.heading_path[-1] if clause.heading_path else ""

    def add(self, clause: Clause, found: list[Statement]) -> list[Statement]:
        text = clause.text.rstrip()
        is_row = (
            clause.kind == "table_row"
            or (len(text) < 120 and not text.endswith("."))
            or (len(text) < 250 and bool(ENDS_WITH_FIGURE.search(text)))
        )
        if not is_row or len(found) != 1:
            self.end(clause)
            return found
        heading = clause.heading_path[-1] if clause.heading_path else ""
        if self.run_id is not None and heading != self.heading:
            self.run_id, self.scope = None, None  # a new heading starts a new run
        if self.run_id is None:
            self.run_id, self.next_id = self.next_id, self.next_id + 1
            self.heading = heading
            heading_scope = caption_scope(heading)
            if heading != self.scope_heading and heading_scope:
                self.scope = heading_scope  # a heading after the caption is nearer
            self.scope = self.scope or heading_scope
        (statement,) = found
        top_level = canonical(statement.criterion) in ("price", "quality")
        parent = statement.parent or (None if top_level else self.scope)
        return [replace(statement, table_id=self.run_id, parent=parent)]


FIELD_NAME = re.compile(
    r"\b(?:name|criterion(?:\s+name)?|award\s+criterion|title)\s*:\s*(?P<name>[^:]{2,80}?)"
    r"(?=\s*[/|,;]?\s+(?:description|type|weighting|weight)\s*:|$)",
    re.IGNORECASE,
)
FIELD_WEIGHT = re.compile(r"\b(?:weighting|weight)\s*:\s*(?=\d)", re.IGNORECASE)
# "Price - Weighting: 60": the field line names its criterion before the weighting
LEAD_NAME = re.compile(
    r"^\s*(?P<name>[A-Z][\w&/ ]{1,40}?)\s*(?:criterion\s*)?[-–:/]\s*(?:weighting|weight)\s*:",
    re.IGNORECASE,
)
BARE_WEIGHT = re.compile(r"(?P<value>\d{1,3}(?:\.\d+)?)\s*$")


def _named_fields(text: str, name: str | None) -> tuple[str, str | None]:
    """Award criteria written as fields ("Name: Social value ... Weighting: 12%", as notices
    under the Procurement Act print them): the weight takes the name given before it."""
    found = FIELD_NAME.search(text) or LEAD_NAME.match(text)
    if found:
        name = found.group("name").strip()
    weights = list(FIELD_WEIGHT.finditer(text))
    if name and len(weights) == 1 and found:
        text = f"{name}: {text[weights[0].end() :]}"  # the criterion's own field line
    elif name and weights:
        text = FIELD_WEIGHT.sub(f"{name}: ", text)
    if name and weights:
        # notices print the weighting as a bare number of 100 ("Weighting: 35")
        text = BARE_WEIGHT.sub(r"\g<value>%", text)
    return text, name


QUESTION_REF = re.compile(
    r"^(?:question\s*|q\s*)?(?P<n>[a-z]{0,3}\s?\d{1,2}[a-z]?)$", re.IGNORECASE
)


def _name_references(statements: list[Statement]) -> list[Statement]:
    """A sentence about "Q5" weighs the table's "Q5 Community benefits" criterion."""
    names: dict[str, str] = {}
    for s in statements:
        head, _, rest = s.criterion.partition(" ")
        if rest and QUESTION_REF.match(head):
            names.setdefault(_ref_key(head), s.criterion)
    out = []
    for s in statements:
        m = QUESTION_REF.match(s.criterion.strip())
        full = names.get(_ref_key(s.criterion)) if m else None
        out.append(replace(s, criterion=full) if full else s)
    return out


def _ref_key(ref: str) -> str:
    key = re.sub(r"^question\s*", "q", ref.strip().lower())
    return key.replace(" ", "")


def _merge_continued_tables(statements: list[Statement], tables: list[Table]) -> list[Statement]:
    """A table continued at the top of the next page without its header is read with the
    header of the table it continues."""
    with_rows = {s.table_id for s in statements}
    continued: list[Statement] = []
    for table_id in range(1, len(tables)):
        prev, this = tables[table_id - 1], tables[table_id]
        if table_id in with_rows or table_id - 1 not in with_rows or this.page != prev.page + 1:
            continue
        follow = table_statements([prev, this], start_id=table_id - 1)
        extra = [s for s in follow if s.table_id == table_id]
        continued.extend(extra)
        if extra:
            with_rows.add(table_id)
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
    """The largest total of marks the document states ("out of a total of 1,000 marks")."""
    totals = [
        total
        for clause in clauses
        if "mark" in clause.text.lower() or "point" in clause.text.lower()
        if (total := total_marks(clause.text))
    ]
    return max(totals) if totals else None


def pick_social_value(
    weightings: Sequence[Weighting],
    markers: Sequence[tuple[str, Clause]],
    has_sv_text: bool,
    document_lot: str | None = None,
) -> SocialValueWeight:
    """Social value's effective share: its criteria added together, parts not counted twice.
    Where the document itself states social value's share of the total, that statement wins.
    With lots: the lot the document is for ("to be used for Lot 2 only"), else the first."""
    sv = [w for w in weightings if w.is_social_value]
    named = [w for w in sv if NAMED_SOCIAL_VALUE.search(f"{w.criterion} {w.of}")]
    if named:
        # "Q5 Community Benefits" beside "Q2 Staffing, recruitment, Fair Work First": only the
        # criterion named as social value counts
        sv = [w for w in sv if w in named or _leads_with_social_value(w.criterion)]
        # "Responsible Procurement is divided between Social Value (60%) and ...": social value
        # is the named part, not the whole it sits in
        wholes = [w.of for w in named if w.of not in ("total", "Quality")]
        sv = [
            w for w in sv if w in named or not any(same_criterion(w.criterion, o) for o in wholes)
        ]
    lots = sorted({w.lot for w in sv if w.lot})
    if lots:
        # the first lot's weights; a weight stated without a lot counts for the first lot
        # unless the first lot has its own
        first = document_lot if document_lot in lots else lots[0]
        own = [w for w in sv if w.lot == first]
        unlotted = [w for w in sv if w.lot is None]
        sv = own if own and (first == "1" or not unlotted) else unlotted or own
        if not own or sv is unlotted:
            lots = []
    # a social value share above 60% of the total is a misread target, never a weight
    scored = [w for w in sv if w.effective_pct is not None and 0 < w.effective_pct <= 60]
    stated = [w for w in scored if w.stated_of_total]
    combined = [w for w in scored if w.criterion.endswith("(combined)")]
    chosen = combined[:1] or whole_or_parts(_one_per_criterion(stated or scored))
    if chosen:
        total = round(sum(w.effective_pct or 0 for w in chosen), 2)
        single = len(chosen) == 1 and chosen[0].unit == "percent" and chosen[0].of == "total"
        derivation = " + ".join(f"{w.criterion}: {w.derivation}" for w in chosen)
        if lots:
            derivation += f" (Lot {first})"
        return SocialValueWeight(
            effective_pct=total,
            basis="stated" if single else "derived",
            evidence=tuple(Evidence(w.page, w.text) for w in chosen),
            derivation=derivation,
        )
    unresolved = [w for w in sv if w.value is not None and w.effective_pct is None]
    if unresolved:
        w = unresolved[0]
        return SocialValueWeight(None, "unstated", (Evidence(w.page, w.text),), w.derivation)
    pass_fail = [(w.page, w.text) for w in sv if w.unit == "pass_fail"] + [
        (c.page, c.text) for m, c in markers if m == "pass_fail"
    ]
    if pass_fail:
        page, text = pass_fail[0]
        return SocialValueWeight(
            None, "pass_fail", (Evidence(page, text),), "social value is pass/fail, not weighted"
        )
    if has_sv_text or sv or markers:
        evidence = tuple(Evidence(c.page, c.text) for m, c in markers if m == "unscored")[:2]
        why = "social value is not scored" if evidence else "no weight stated for social value"
        return SocialValueWeight(None, "unstated", evidence, why)
    return SocialValueWeight(None, "none", (), "no social value content found")


def _without_ref(name: str) -> str:
    """ "Q4 Fair Work First" -> "Fair Work First"."""
    return re.sub(r"^\s*(?:[A-Z]{0,4}[\s-]?\d{1,2}[a-z]?(?:\.\d{1,2})*|[A-Z])[.):]?\s+", "", name)


def _leads_with_social_value(name: str) -> bool:
    """ "Q4 Fair Work First" is a social value criterion; "Q2 Staffing, recruitment, Fair Work
    First" is a staffing criterion that mentions it."""
    return bool(SOCIAL_VALUE_CRITERION.match(_without_ref(name)))


def _one_per_criterion(weightings: Sequence[Weighting]) -> list[Weighting]:
    """The same criterion stated twice (a table row and a sentence) counts once."""
    unique: dict[str, Weighting] = {}
    for w in weightings:
        unique.setdefault(canonical(w.criterion), w)
    out: list[Weighting] = []
    for w in unique.values():
        # the same figure in a sentence and in a table under different names is one criterion
        if any(_same_figure_restated(w, o) for o in out):
            continue
        out.append(w)
    return out


def _same_figure_restated(a: Weighting, b: Weighting) -> bool:
    """The same figure twice: a table row and a sentence, or two sentences naming the
    criterion more or less fully ("Social value" and "Social value (TOMs)")."""
    if abs((a.effective_pct or 0) - (b.effective_pct or 0)) >= 0.01:
        return False
    if a.text == b.text:
        return True
    if ("|" in a.text) != ("|" in b.text):
        return True
    ca, cb = canonical(a.criterion), canonical(b.criterion)
    return ca in cb or cb in ca


def whole_or_parts(items: Sequence[Weighting]) -> list[Weighting]:
    """Social value criteria are added together, unless the largest is the whole of which the
    others are parts: they add up to it exactly, or each of them names it ("Socially responsible
    procurement is split equally: SRP1 Fair Work ten per cent ...")."""
    if len(items) <= 1:
        return list(items)
    ranked = sorted(items, key=lambda w: -(w.effective_pct or 0))
    largest, rest = ranked[0], ranked[1:]
    rest_sum = sum(w.effective_pct or 0 for w in rest)
    largest_pct = largest.effective_pct or 0
    if abs(largest_pct - rest_sum) < 0.05 and len(rest) >= 2:  # parts add up to it exactly
        return [largest]
    if largest_pct > rest_sum - TOLERANCE and all(_part_of(w, largest) for w in rest):
        return [largest]
    return list(items)


def _part_of(part: Weighting, whole: Weighting) -> bool:
    """``part`` is named as a part of ``whole``: its text names the whole, the whole's text
    names it, or its reference extends the whole's ("Q6a" under "Q6")."""
    whole_name, part_ref = canonical(whole.criterion), part.criterion.split(" ")[0].lower()
    whole_ref = whole.criterion.split(" ")[0].lower()
    if whole_name in canonical(part.text):
        return True
    if QUESTION_REF.match(part_ref) and re.search(
        rf"\b{re.escape(part_ref)}\b", whole.text.lower()
    ):
        return True
    if (
        QUESTION_REF.match(whole_ref)
        and part_ref != whole_ref
        and part_ref.startswith(whole_ref)
        and not part_ref[len(whole_ref)].isdigit()
    ):
        return True
    # numbered rows: "4.1 Targeted recruitment" under "4. Community Benefits"
    whole_num, part_num = NUMBER_REF.match(whole.text), NUMBER_REF.match(part.text)
    return bool(whole_num and part_num and part_num.group(1).startswith(whole_num.group(1) + "."))


NUMBER_REF = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s")


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
