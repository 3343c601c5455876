"""Classify: label each social value clause token or substantive, with a role and signals.

The rules follow the annotation guide's decision procedure (brief section 8.2): a clause
is substantive with at least two of consequence, specificity, evaluability, enforcement;
hard rules on weights and modal verbs override. ``signals`` are the evidence words the
rubric and the report reuse. When the Analyser holds trained models
(``analyser.clause_model``), ``classify`` takes the label's probability and the role from
them; the annotation guide's hard rules (weights, policy background) still override the
model where the trained combination says so (chosen on development data by ``models/train.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analyser.detect import NO_CUE_SCORE, STRONG_SCORE, rule_score, text_rule_score
from analyser.types import AssessedClause, Clause, Label, Role, Weighting

if TYPE_CHECKING:
    from analyser.clause_model import ClauseModels

SIGNALS: dict[str, re.Pattern[str]] = {
    "scored": re.compile(
        r"\b(weight(ing|ed)?|marks?|points|scored|score[sd]?\b|evaluat\w+|award\s+criteri)",
        re.IGNORECASE,
    ),
    "binding": re.compile(
        r"\b(shall|must|will\s+be\s+required|is\s+required|are\s+required|contractual(ly)?|"
        r"condition\s+of\s+contract|contract\s+(condition|term|clause|schedule)|obligation|"
        r"will\s+form\s+part\s+of\s+the\s+contract|incorporated\s+into)\b",
        re.IGNORECASE,
    ),
    "pass_fail": re.compile(
        r"pass\s*/\s*fail|pass\s+or\s+fail|mandatory\s+requirement", re.IGNORECASE
    ),
    "measurable_target": re.compile(
        r"\b\d[\d,.]*\s*(%|per\s?cent|fte|apprentice\w*|jobs?|hours|weeks|person[\s-]weeks|placements?|"
        r"starts|trainees|roles|opportunities|people|residents|sessions|visits|tonnes|days|events|"
        r"schools|volunteers|graduates|students|positions)|£\s?\d|\bnumber\s+of\b|per\s+(annum|year|£)|"
        r"\bbaseline\b|\btarget(s|ed)?\b",
        re.IGNORECASE,
    ),
    "named_measure": re.compile(
        r"\bMAC\s?\d|\bSRM\b|standard\s+reporting\s+metric|\bNT\d{1,3}\b|\bTOMs?\b|"
        r"model\s+award\s+criteri|policy\s+outcome|mission|community\s+benefit\s+(menu|points|matrix)|"
        r"measurement\s+tool|CBMT|real\s+living\s+wage|fair\s+work\s+first|targeted\s+recruitment",
        re.IGNORECASE,
    ),
    "scoring_method": re.compile(
        r"\b0\s?(-|–|to)\s?(4|5|10|100)\b|scoring\s+(scale|matrix|methodology|criteria|guidance)|"
        r"descriptor|word\s+limit|\bmax(imum)?\s+[\d,]+\s+words|method\s+statement|"
        r"(evaluated|assessed|scored|judged)\s+(on|against|by|using)|delivery\s+plan|"
        r"project\s+plan|moderat|credib|deliverab",
        re.IGNORECASE,
    ),
    "reporting": re.compile(
        r"\breport(ing|ed|s)?\b|\bmonitor(ing|ed)?\b|\bquarterly\b|\bannual(ly)?\b|\bmonthly\b|"
        r"evidence\s+(of|will)|verif|audit|\bportal\b",
        re.IGNORECASE,
    ),
    "kpi": re.compile(
        r"\bKPIs?\b|key\s+performance\s+indicator|performance\s+indicator", re.IGNORECASE
    ),
    "remedy": re.compile(
        r"service\s+credit|rectification|remed(y|ial|ies)|terminat|material\s+breach|step[\s-]in|"
        r"withh[oe]ld|deduct|liquidated|performance\s+(improvement|notice)|reduction\s+in\s+(contract\s+)?scope|"
        r"claw[\s-]?back|price\s+adjustment|default",
        re.IGNORECASE,
    ),
    "additionality": re.compile(
        r"over\s+and\s+above|additional\s+to\s+the\s+(main|core)|beyond\s+the\s+core|not\s+(be\s+)?core",
        re.IGNORECASE,
    ),
    "priority_groups": re.compile(
        r"care\s+leavers|long[\s-]term\s+unemployed|ex[\s-]offenders|disab\w+|veterans|NEET|young\s+people|"
        r"priority\s+groups|disadvantaged|homeless|refugees|ward|postcode|\bwithin\s+\d+\s+miles",
        re.IGNORECASE,
    ),
    "sme_vcse": re.compile(
        r"\bSMEs?\b|\bVCSEs?\b|social\s+enterprise|supported\s+(business|employment)|\blots?\b|"
        r"reserved|prompt\s+payment|30\s+days|contracts\s+finder|sell2wales|public\s+contracts\s+scotland|"
        r"subcontract\w*\s+opportunit",
        re.IGNORECASE,
    ),
    "modal_hedge": re.compile(
        r"\b(may|might|could|encourag\w+|where\s+(possible|practicable|appropriate)|aim\s+to|"
        r"explore|consider(ed|ing)?|welcome[sd]?|invited\s+to|optional|if\s+(possible|appropriate)|"
        r"should\s+(consider|seek|try)|endeavour|as\s+appropriate|wish\s+to|willing\s+to|"
        r"tell\s+us\s+(about\s+)?any)\b",
        re.IGNORECASE,
    ),
    "unscored": re.compile(
        r"(not|n't)\s+(be\s+)?(scored|evaluated|assessed|weighted|marked)|for\s+information(\s+only|\s+purposes)?|"
        r"no\s+(marks|weighting)|unscored|will\s+not\s+form\s+part\s+of\s+the\s+(evaluation|contract)",
        re.IGNORECASE,
    ),
    "policy_background": re.compile(
        r"Social\s+Value\)?\s+Act|\bthe\s+Act\b|PPN\s?0?6/20|PPN\s?002|procurement\s+policy\s+note|"
        r"Procurement\s+Reform\s+\(Scotland\)|Well-?being\s+of\s+Future\s+Generations|"
        r"Social\s+Partnership\s+and\s+Public\s+Procurement|National\s+Procurement\s+Policy\s+Statement|"
        r"(council|authority|board|trust)('s)?\s+(is\s+committed|recognises|values|strategy|policy)|"
        r"committed\s+to|duty\s+to\s+consider|requires\s+(public|contracting)\s+(bodies|authorities)",
        re.IGNORECASE,
    ),
}

CONTRACT_HEADING = re.compile(
    r"contract|terms|conditions|schedule|kpi|performance|management", re.IGNORECASE
)
EVALUATION_HEADING = re.compile(
    r"evaluat|award|criteri|scor|weight|assessment|question", re.IGNORECASE
)


@dataclass(frozen=True)
class Tests:
    """The four tests of the annotation guide for one clause."""

    consequence: bool
    specificity: bool
    evaluability: bool
    enforcement: bool

    @property
    def count(self) -> int:
        return sum((self.consequence, self.specificity, self.evaluability, self.enforcement))


def signals_of(text: str) -> tuple[str, ...]:
    """The names of the signals found in ``text``. A modal verb with a remedy attached ("may
    lead to a reduction in scope") is not a hedge: the guide's "unless a consequence is
    attached"."""
    found = [name for name, pattern in SIGNALS.items() if pattern.search(text)]
    if "remedy" in found and "modal_hedge" in found:
        found.remove("modal_hedge")
    return tuple(found)


def clause_weight(clause: Clause, weightings: Sequence[Weighting]) -> float | None:
    """The effective social value weight stated in this clause, if any."""
    values = [
        w.effective_pct
        for w in weightings
        if w.is_social_value
        and w.effective_pct is not None
        and w.page == clause.page
        and _same_text(w.text, clause.text)
    ]
    return max(values) if values else None


def weighs_other_criteria(clause: Clause, weightings: Sequence[Weighting]) -> bool:
    """True for a row or sentence that weighs two or more criteria, none of them social value
    ("Technical 60% (performance 35%, uptime 15%, training 10%)"), and has no social value cue
    of its own or from a heading above it: a detector's look-alike, not a social value clause.
    (One weight alone is left to the detector: the weigh stage may not know that "Criterion
    QE" is the social value criterion.)"""
    own = [w for w in weightings if w.page == clause.page and _same_text(w.text, clause.text)]
    return (
        len(own) >= 2
        and not any(w.is_social_value for w in own)
        and rule_score(clause) <= NO_CUE_SCORE
    )


# a question or criterion reference: "Q5", "QS4", "C7", "SV1", "Q6a"
REFERENCE = r"(?P<{0}>[A-Z]{{1,3}})(?P<{1}>\d{{1,2}})[a-z]?"
REFERENCE_RANGE = re.compile(
    r"\b"
    + REFERENCE.format("p1", "n1")
    + r"\s*(?:to|-|–)\s*"
    + REFERENCE.format("p2", "n2")
    + r"\b"
)
REFERENCE_ONE = re.compile(r"\b" + REFERENCE.format("p", "n") + r"\b")
EVERY_QUESTION = re.compile(
    r"\b(?:all|each|every|any)\s+(?:of\s+the\s+)?(?:quality\s+|technical\s+|award\s+)?"
    r"(?:questions?|criteria|criterion|responses?|method\s+statements?)\b",
    re.IGNORECASE,
)


def _references(text: str) -> set[tuple[str, int]]:
    """The question references a text names, ranges expanded ("Q1 to Q4" -> Q1, Q2, Q3, Q4)."""
    refs: set[tuple[str, int]] = set()
    for m in REFERENCE_RANGE.finditer(text):
        if m.group("p1") == m.group("p2") and int(m.group("n1")) < int(m.group("n2")) <= 40:
            refs.update(
                (m.group("p1"), n) for n in range(int(m.group("n1")), int(m.group("n2")) + 1)
            )
    refs.update((m.group("p"), int(m.group("n"))) for m in REFERENCE_ONE.finditer(text))
    return refs


def social_value_references(weightings: Sequence[Weighting]) -> set[tuple[str, int]]:
    """The references of the social value criteria the weigh stage found ("Q5 Social value
    10%" -> Q5)."""
    refs = set()
    for w in weightings:
        if w.is_social_value:
            own = REFERENCE_ONE.match(w.criterion.strip()) or REFERENCE_ONE.match(w.text.strip())
            if own:
                refs.add((own.group("p"), int(own.group("n"))))
    return refs


def about_other_questions(clause: Clause, sv_refs: set[tuple[str, int]]) -> bool:
    """True for a clause about other questions only ("Questions Q1 to Q4 will be scored 0-5
    against the descriptors in Appendix E" where social value is Q5), with no social value
    cue of its own: the evaluation method of the other criteria, not of social value.
    ``sv_refs``: the social value criteria's references (``social_value_references``)."""
    if not sv_refs:
        return False
    text = clause.text
    refs = _references(text)
    prefixes = {p for p, _ in sv_refs}
    return (
        len(refs) >= 2
        and {p for p, _ in refs} <= prefixes
        and not refs & sv_refs
        and not EVERY_QUESTION.search(text)
        and text_rule_score(text) < STRONG_SCORE
    )


def _same_text(a: str, b: str) -> bool:
    a, b = " ".join(a.split()), " ".join(b.split())
    return a in b or b in a


@dataclass(frozen=True)
class RuleDecision:
    """What the annotation guide's rules say about one clause."""

    label: Label
    role: Role
    tests: Tests
    hedged: bool
    reason: str
    signals: tuple[str, ...]
    own_weight: float | None
    hard: bool  # a hard rule (weight, background, unscored) decided the label


def rule_decision(text: str, heading: str, kind: str, own_weight: float | None) -> RuleDecision:
    """The decision procedure of brief section 8.2 on one clause's text and context."""
    signals = signals_of(text)
    has = set(signals)
    # a modal verb makes a clause token "unless a consequence is attached" (brief 8.2): a
    # remedy ("will trigger a rectification plan") is one, so ``signals_of`` drops the hedge
    hedged = "modal_hedge" in has
    tests = Tests(
        consequence=own_weight is not None
        and own_weight >= 5
        or ("binding" in has and not hedged)
        or "remedy" in has  # a remedy for missing the commitment binds the contractor
        or "pass_fail" in has,
        specificity=bool({"measurable_target", "named_measure"} & has),
        evaluability="scoring_method" in has,
        enforcement=bool({"reporting", "kpi", "remedy"} & has) and not hedged,
    )
    role = _role(text, kind, has, own_weight, heading)
    label: Label
    reason: str
    hard = True
    if role == "background":
        label, reason = "token", "policy background"
    elif "unscored" in has and own_weight is None:
        label, reason = "token", "not evaluated"
    elif own_weight is not None and own_weight < 5:
        label, reason = "token", "weight below 5% of total"
    elif own_weight is not None and own_weight >= 10:
        label, reason = "substantive", "weight of 10% or more of total"
    else:
        hard = False
        if own_weight is not None:
            label = "substantive" if (tests.specificity or tests.evaluability) else "token"
            reason = (
                "weight 5-10% with specificity or evaluability"
                if label == "substantive"
                else "weight 5-10% and vague"
            )
        elif hedged and not tests.consequence:
            label, reason = "token", "modal verb, no consequence"
        elif tests.count >= 2:
            label, reason = (
                "substantive",
                "two or more of consequence, specificity, evaluability, enforcement",
            )
        else:
            label, reason = "token", "fewer than two of the four tests"
    edge = edge_case(text, hedged)
    if edge is not None:
        label, hard = "substantive", True
        role, reason = edge
    return RuleDecision(label, role, tests, hedged, reason, signals, own_weight, hard)


def label_clause(
    clause: Clause,
    weightings: Sequence[Weighting],
    sv_weight: float | None,
    detection_score: float = 1.0,
) -> AssessedClause:
    """Token or substantive by the annotation guide's rules, with role, confidence and signals."""
    decision = rule_decision(
        clause.text, clause.heading, clause.kind, clause_weight(clause, weightings)
    )
    confidence = _confidence(
        decision.label, decision.tests, decision.own_weight, decision.hedged, detection_score
    )
    return _assessed(
        clause,
        decision,
        decision.label,
        decision.role,
        confidence,
        decision.reason,
        detection_score,
    )


def _assessed(
    clause: Clause,
    decision: RuleDecision,
    label: Label,
    role: Role,
    confidence: float,
    reason: str,
    detection_score: float,
) -> AssessedClause:
    tags = list(decision.signals)
    tags.append(f"tests:{decision.tests.count}")
    return AssessedClause(
        clause=clause,
        label=label,
        role=role,
        confidence=confidence,
        signals=tuple(tags + [f"why:{reason}"]),
        detection_score=detection_score,
    )


HARD_RULES = (
    "policy background",
    "not evaluated",
    "weight below 5% of total",
    "weight of 10% or more of total",
)


def model_labels(
    found: Sequence[tuple[Clause, float]],
    weightings: Sequence[Weighting],
    sv_weight: float | None,
    model: ClauseModels,
) -> list[AssessedClause]:
    """Labels, roles and calibrated confidences from the trained models, combined with the
    rules as ``model.combine`` says:

    - ``model``: the model alone;
    - ``model+hard_rules``: the guide's hard rules (weight < 5% token, weight >= 10%
      substantive, policy background token, "will not be scored" token) override the model;
    - ``rules``: the rules alone (the model only supplies the role when ``role_source`` is
      ``model``).

    With ``model.label_mode == "joint"`` the probability compared with the threshold is
    P(substantive | social value) x the detection score, so a clause the detector is unsure
    of (kept for recall) is not called substantive on the strength of the label head alone.
    """
    from analyser.clause_model import label_records

    clauses = [c for c, _ in found]
    records = label_records(clauses, weightings, sv_weight)
    p_sub = model.label_proba(records)
    role_p = model.role_proba(records)
    roles = model.roles
    out = []
    for (clause, det), record, p_label, rp in zip(found, records, p_sub, role_p, strict=True):
        p = float(p_label * det) if model.label_mode == "joint" else float(p_label)
        decision = rule_decision(clause.text, clause.heading, clause.kind, record["own_weight"])
        role: Role = decision.role
        if model.role_source == "model":
            role = roles[int(rp.argmax())]  # type: ignore[assignment]
        label: Label = "substantive" if p >= model.label_threshold else "token"
        confidence = float(p if label == "substantive" else 1.0 - p)
        reason = f"model P(substantive)={p:.2f}"
        if model.combine == "rules":
            label, reason = decision.label, decision.reason
            confidence = _confidence(
                label, decision.tests, decision.own_weight, decision.hedged, det
            )
        elif model.combine == "model+hard_rules":
            hard_label: Label | None = None
            if role == "background":
                hard_label, reason_hard = "token", "policy background"
            elif decision.hard and decision.role != "background":
                hard_label, reason_hard = decision.label, decision.reason
            if hard_label is not None and hard_label != label:
                label, reason = hard_label, f"hard rule: {reason_hard}"
                confidence = _confidence(
                    label, decision.tests, decision.own_weight, decision.hedged, det
                )
        if decision.reason in EDGE_CASE_REASONS:  # the guide's edge cases override the model
            # keep the model's confidence only when it already said substantive
            confidence = max(confidence if label == "substantive" else 0.0, 0.8)
            label, role, reason = "substantive", decision.role, decision.reason
        out.append(_assessed(clause, decision, label, role, round(confidence, 4), reason, det))
    return out


LIVING_WAGE = re.compile(
    r"\b(?:real|london)\s+living\s+wage\b|living\s+wage\s+foundation|"
    r"\b(?:ethical\s+care|fair\s+(?:work|employment|payment)|good\s+employment|social\s+value|"
    r"unison|construction|employment)\s+charter\b",
    re.IGNORECASE,
)
BINDING_WAGE = re.compile(
    r"\b(?:shall|must|(?:is|are|will\s+be)\s+required\s+to)\b[^.;]{0,80}"
    r"\b(?:pay|sign|adopt|comply|accredit|become|remain|implement)",
    re.IGNORECASE,
)
MANDATORY_WAGE_REASON = "mandatory Real Living Wage or charter as a contract condition (guide 8.3)"


RESERVED_CONTRACT = re.compile(
    r"\b(?:is|are|will\s+be|shall\s+be|has\s+been|being)\s+reserved\s+(?:for|to)\b[^.;]{0,160}?"
    r"(?:sheltered\s+workshops?|supported\s+(?:businesses|business|employment|factories)|"
    r"public\s+service\s+mutuals?|(?:social\s+and\s+professional\s+)?integration\s+of\s+"
    r"(?:disabled|disadvantaged))"
    r"|\breserved\s+participation\s*:\s*(?:shelteredWorkshop|publicServiceMissionOrganization)\b"
    r"|\breserved\s+contract\b[^.;]{0,80}(?:regulation\s+(?:20|77)|section\s+3[23])",
    re.IGNORECASE,
)
RESERVED_REASON = "contract reserved for supported businesses or public service mutuals (brief D8)"
EDGE_CASE_REASONS = (MANDATORY_WAGE_REASON, RESERVED_REASON)


def edge_case(text: str, hedged: bool) -> tuple[Role, str] | None:
    """(role, reason) when one of the guide's substantive edge cases applies: a mandatory
    Real Living Wage or charter sign-up as a contract condition (8.3), or the contract itself
    reserved for supported businesses or public service mutuals (s.32/33, brief D8 level 3).
    A hedged clause ("may be reserved") is neither."""
    if hedged:
        return None
    if mandatory_living_wage(text, hedged):
        return "contract", MANDATORY_WAGE_REASON
    if RESERVED_CONTRACT.search(text):
        return "requirement", RESERVED_REASON
    return None


def mandatory_living_wage(text: str, hedged: bool) -> bool:
    """The annotation guide's edge case (8.3): a mandatory Real Living Wage or charter
    sign-up as a contract condition is substantive, role contract."""
    return bool(LIVING_WAGE.search(text) and BINDING_WAGE.search(text)) and not hedged


def _role(text: str, kind: str, has: set[str], own_weight: float | None, heading: str) -> Role:
    if own_weight is not None or (
        kind == "table_row" and re.search(r"\d\s*(%|marks|points)", text, re.IGNORECASE)
    ):
        return "weight"
    if "policy_background" in has and not ({"binding", "scored", "measurable_target"} & has):
        return "background"
    if {"kpi", "remedy"} & has or CONTRACT_HEADING.search(heading) and "binding" in has:
        return "contract"
    if {"scoring_method", "scored", "unscored"} & has or EVALUATION_HEADING.search(heading):
        return "evaluation"
    return "requirement"


def _confidence(
    label: Label, tests: Tests, own_weight: float | None, hedged: bool, detection: float
) -> float:
    if own_weight is not None:
        margin = abs(own_weight - 7.5) / 7.5
        base = 0.75 + min(0.2, margin * 0.2)
    elif label == "substantive":
        base = 0.6 + 0.1 * (tests.count - 2)
    else:
        base = 0.85 if hedged or tests.count == 0 else 0.6
    return max(0.5, min(0.97, base * (0.8 + 0.2 * detection)))


def classify(
    found: Sequence[tuple[Clause, float]],
    weightings: Sequence[Weighting],
    sv_weight: float | None,
    model: ClauseModels | None = None,
) -> list[AssessedClause]:
    """Label every detected clause: with the trained models when given, else by the rules.
    A clause that only weighs other criteria, or is only about other questions, is dropped
    first (``weighs_other_criteria``, ``about_other_questions``)."""
    sv_refs = social_value_references(weightings)
    found = [
        (c, s)
        for c, s in found
        if not weighs_other_criteria(c, weightings) and not about_other_questions(c, sv_refs)
    ]
    if model is not None:
        return model_labels(found, weightings, sv_weight, model)
    return [label_clause(c, weightings, sv_weight, score) for c, score in found]
