"""Score: the rubric's eight dimensions, the 0-100 score and band, the verdict, flags and
recommendations. The rubric's text lives in ``rubric.yaml`` (one source for score and report)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from analyser.types import (
    AssessedClause,
    DimensionScore,
    Recommendation,
    SocialValueWeight,
    Tender,
    Verdict,
)

AREA = re.compile(
    r"\bwards?\b|postcode|\b[A-Z]{1,2}\d{1,2}\b|within\s+\d+\s+miles|borough|county|district|"
    r"local\s+authority\s+area|city\s+region|travel[\s-]to[\s-]work",
    re.IGNORECASE,
)
NEEDS = re.compile(
    r"local\s+needs|needs\s+analysis|market\s+engagement|co-?design|co-?produc|consult|engagement\s+event|"
    r"brokerage|community\s+partners|local\s+strategy|inclusive\s+growth\s+strategy",
    re.IGNORECASE,
)
THEMES_ONLY = re.compile(r"economic,?\s+social\s+and\s+environmental|social,?\s+economic", re.IGNORECASE)
WISH_LIST = re.compile(r"any\s+(other\s+)?social\s+value|any\s+community\s+benefits?|whatever", re.IGNORECASE)
QUANTIFY = re.compile(r"quantif|how\s+many|number\s+of|commitments?", re.IGNORECASE)
EVIDENCE = re.compile(r"evidence|payroll|certificat|verif|audit|baseline|record", re.IGNORECASE)
WORD_LIMIT = re.compile(r"word\s+limit|max(imum)?\s+(of\s+)?[\d,]+\s+words|[\d,]+\s+words|pages?\s+of\s+A4", re.IGNORECASE)
PLAN = re.compile(r"delivery\s+plan|project\s+plan|action\s+plan|timeline|milestone", re.IGNORECASE)
RELEVANT = re.compile(r"relevan|proportionat|subject[\s-]matter|this\s+contract", re.IGNORECASE)
TIED = re.compile(r"workforce|supply\s+chain|service\s+users|staff|employees|subcontract|recruit", re.IGNORECASE)
CORE_AS_SV = re.compile(r"high[\s-]quality\s+service|deliver\s+the\s+service", re.IGNORECASE)
SME_GENERIC = re.compile(r"\bSMEs?\b|small\s+(and\s+medium|businesses)|\bVCSEs?\b|social\s+enterprise|third\s+sector", re.IGNORECASE)
SME_MECHANISM = re.compile(
    r"\blots?\b|prompt\s+payment|(within|in)\s+30\s+days|contracts\s+finder|sell2wales|public\s+contracts\s+scotland|"
    r"advertis\w+\s+(sub-?contract|opportunit)|sub-?contract\w*\s+opportunit|spend\s+with|£[\d,.]+\s*(m|k)?\s+(with|spent)|"
    r"%\s+of\s+(the\s+)?(contract\s+value|spend|supply)|supply[\s-]chain\s+spend|meet\s+the\s+buyer",
    re.IGNORECASE,
)
RESERVED = re.compile(r"reserved|supported\s+(business|employment|factor)|public\s+service\s+mutual|sheltered", re.IGNORECASE)
INTEGRATED = re.compile(
    r"(social\s+value|community\s+benefits?)\s+(is|are|will\s+be)\s+(embedded|integrated|built)\s+(in|into|within)|"
    r"(each|every|all)\s+(of\s+the\s+)?quality\s+questions?\s+(include|includes|contain|will\s+assess)\s+(a\s+)?social\s+value",
    re.IGNORECASE,
)

JURISDICTION_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("scotland", re.compile(r"Scotland|Scottish|Procurement Reform \(Scotland\)|Public Contracts Scotland|Fair Work First", re.I)),
    ("wales", re.compile(r"\bWales\b|Welsh|Sell2Wales|Cymru|Future Generations|Community Benefits Measurement Tool", re.I)),
    ("northern_ireland", re.compile(r"Northern Ireland|PPN 01/21|\bCPD\b", re.I)),
    ("nhs", re.compile(r"\bNHS\b|Integrated Care Board|\bICB\b|Foundation Trust", re.I)),
    ("central_government", re.compile(r"\bDepartment for\b|Ministry of|HM Treasury|Cabinet Office|Crown Commercial|executive agency|\bagency\b.*\bPPN", re.I)),
]


@dataclass(frozen=True)
class Rubric:
    dimensions: tuple[dict[str, Any], ...]
    bands: tuple[dict[str, Any], ...]
    jurisdiction_notes: dict[str, str]

    def band(self, score: int) -> str:
        for band in self.bands:
            if score >= band["min"]:
                return str(band["name"])
        return str(self.bands[-1]["name"])


@cache
def load_rubric() -> Rubric:
    """The rubric data file shipped with the package (read once; it never changes at run time)."""
    text = resources.files("analyser").joinpath("rubric.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Rubric(tuple(data["dimensions"]), tuple(data["bands"]), dict(data["jurisdiction_notes"]))


def verdict_of(clauses: Sequence[AssessedClause]) -> Verdict:
    """Output contract: absent without social value clauses; substantive when one non-background
    clause is substantive; otherwise token."""
    if not clauses:
        return "absent"
    if any(c.label == "substantive" and c.role != "background" for c in clauses):
        return "substantive"
    return "token"


def detect_jurisdiction(tender: Tender) -> str:
    text = tender.text[:200_000]
    counts = [(len(pattern.findall(text)), name) for name, pattern in JURISDICTION_CUES]
    best = max(counts)
    return best[1] if best[0] >= 2 else "england"


def _ids(clauses: Sequence[AssessedClause], predicate: Callable[[AssessedClause], bool]) -> list[str]:
    return [c.clause.id for c in clauses if predicate(c)]


def _has(c: AssessedClause, *names: str) -> bool:
    return any(n in c.signals for n in names)


def score_dimensions(
    clauses: Sequence[AssessedClause], weight: SocialValueWeight, tender_text: str
) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """(level, evidence ids) for D1..D8, and the flags raised on the way."""
    flags: list[str] = []
    sv = [c for c in clauses if c.role != "background"]
    text_of = {c.clause.id: c.clause.text for c in clauses}
    joined = " ".join(c.clause.text for c in sv)

    def matching(pattern: re.Pattern[str], pool: Sequence[AssessedClause] = sv) -> list[str]:
        return [c.clause.id for c in pool if pattern.search(c.clause.text)]

    # D1: scored status and effective weight
    pct = weight.effective_pct
    weight_ids = _ids(clauses, lambda c: c.role == "weight")
    if pct is None:
        d1 = 0
        if INTEGRATED.search(tender_text):
            flags.append("sv_integrated")
    else:
        d1 = 1 if pct < 5 else 2 if pct < 10 else 3 if pct < 15 else 4 if pct < 20 else 5
    d1_ids = weight_ids or [
        cid for cid, t in text_of.items() if any(e.text and e.text[:60] in t for e in weight.evidence)
    ]

    # D2: named outcomes and measures
    named = _ids(sv, lambda c: _has(c, "named_measure"))
    specific = _ids(sv, lambda c: _has(c, "measurable_target", "priority_groups", "sme_vcse"))
    if WISH_LIST.search(joined):
        flags.append("wish_list")
    if named and (len(named) >= 2 or specific) and "wish_list" not in flags:
        d2, d2_ids = 3, named + specific[:2]
    elif named or specific:
        d2, d2_ids = 2, (named + specific)[:4]
    elif THEMES_ONLY.search(joined):
        d2, d2_ids = 1, matching(THEMES_ONLY)
    else:
        d2, d2_ids = 0, []

    # D3: measurability and evidence
    targets = _ids(sv, lambda c: _has(c, "measurable_target") and c.label == "substantive")
    evidence = matching(EVIDENCE)
    kpis = _ids(sv, lambda c: _has(c, "kpi"))
    if targets and evidence and kpis:
        d3, d3_ids = 3, targets[:2] + evidence[:1] + kpis[:1]
    elif targets:
        d3, d3_ids = 2, targets[:3]
    elif matching(QUANTIFY):
        d3, d3_ids = 1, matching(QUANTIFY)[:2]
    else:
        d3, d3_ids = 0, []

    # D4: evaluation methodology
    methods = _ids(sv, lambda c: _has(c, "scoring_method"))
    limits = matching(WORD_LIMIT) + matching(PLAN)
    if methods and limits:
        d4, d4_ids = 3, methods[:2] + limits[:2]
    elif methods:
        d4, d4_ids = 2, methods[:3]
    elif re.search(r"\b0\s?(-|–|to)\s?(4|5|10)\b|scoring\s+(scale|matrix)", tender_text) and sv:
        d4, d4_ids = 1, []
    else:
        d4, d4_ids = 0, []

    # D5: relevance, proportionality, additionality
    additional = _ids(sv, lambda c: _has(c, "additionality"))
    tied = matching(TIED)
    relevant = matching(RELEVANT)
    if additional and (tied or relevant):
        d5, d5_ids = 3, additional[:2] + (tied or relevant)[:1]
    elif tied:
        d5, d5_ids = 2, tied[:3]
    elif relevant or sv:
        d5, d5_ids = (1, relevant[:2]) if relevant or not CORE_AS_SV.search(joined) else (0, [])
    else:
        d5, d5_ids = 0, []

    # D6: carried into the contract and managed
    contract = _ids(sv, lambda c: c.role == "contract" or (_has(c, "binding") and not _has(c, "modal_hedge")))
    reporting = _ids(sv, lambda c: _has(c, "reporting"))
    remedies = _ids(sv, lambda c: _has(c, "remedy"))
    if contract and (kpis or reporting) and remedies:
        d6, d6_ids = 3, (contract[:2] + kpis[:1] + remedies[:1])
    elif contract and reporting:
        d6, d6_ids = 2, contract[:2] + reporting[:1]
    elif reporting or contract:
        d6, d6_ids = 1, (reporting or contract)[:2]
    else:
        d6, d6_ids = 0, []

    # D7: place, priority groups, co-design
    groups = _ids(sv, lambda c: _has(c, "priority_groups")) + matching(AREA)
    needs = matching(NEEDS, clauses)
    local = matching(re.compile(r"\blocal\b|communit", re.IGNORECASE))
    if groups and needs:
        d7, d7_ids = 3, groups[:2] + needs[:1]
    elif groups:
        d7, d7_ids = 2, groups[:3]
    elif local:
        d7, d7_ids = 1, local[:2]
    else:
        d7, d7_ids = 0, []

    # D8: market access for SMEs, VCSEs and social enterprises
    reserved = matching(RESERVED, clauses)
    mechanisms = matching(SME_MECHANISM, clauses)
    generic = matching(SME_GENERIC, clauses)
    sme_clauses = [cid for cid in mechanisms if SME_GENERIC.search(text_of[cid]) or re.search(r"lots?|sub-?contract", text_of[cid], re.I)]
    if reserved or len(set(sme_clauses)) >= 2:
        d8, d8_ids = 3, (reserved + sme_clauses)[:3]
    elif sme_clauses:
        d8, d8_ids = 2, sme_clauses[:2]
    elif generic:
        d8, d8_ids = 1, generic[:2]
    else:
        d8, d8_ids = 0, []

    levels = [
        (d1, d1_ids), (d2, d2_ids), (d3, d3_ids), (d4, d4_ids),
        (d5, d5_ids), (d6, d6_ids), (d7, d7_ids), (d8, d8_ids),
    ]  # fmt: skip
    return [(lvl, list(dict.fromkeys(ids))) for lvl, ids in levels], flags


def score(
    tender: Tender, clauses: Sequence[AssessedClause], weight: SocialValueWeight, weigh_flags: Sequence[str] = ()
) -> tuple[Verdict, int, str, list[DimensionScore], list[str], list[Recommendation]]:
    """Verdict, 0-100 score, band, dimensions, flags and recommendations."""
    rubric = load_rubric()
    verdict = verdict_of(clauses)
    levels, flags = score_dimensions(clauses, weight, tender.text) if clauses else ([(0, [])] * 8, [])
    dimensions: list[DimensionScore] = []
    for spec, (level, ids) in zip(rubric.dimensions, levels, strict=True):
        max_level = len(spec["levels"]) - 1
        if "level_points" in spec:
            points = float(spec["level_points"][level])
        else:
            points = round(spec["points"] * level / max_level, 1)
        if spec["id"] == "D1" and "sv_integrated" in flags and level == 0:
            points = 10.0
        dimensions.append(
            DimensionScore(
                id=spec["id"],
                name=spec["name"],
                level=level,
                max_level=max_level,
                score=points,
                max=float(spec["points"]),
                evidence=tuple(ids),
                why=spec["levels"][level],
            )
        )
    total = int(round(sum(d.score for d in dimensions)))
    jurisdiction = detect_jurisdiction(tender)
    flags = list(dict.fromkeys([*flags, *weigh_flags, *_weight_flags(weight, clauses, jurisdiction)]))
    recommendations = _recommendations(rubric, dimensions, jurisdiction, verdict, weight)
    return verdict, total, rubric.band(total), dimensions, flags, recommendations


def _weight_flags(weight: SocialValueWeight, clauses: Sequence[AssessedClause], jurisdiction: str) -> list[str]:
    flags = []
    if clauses and all(c.role == "background" for c in clauses):
        flags.append("policy_only_mention")
    if clauses and weight.basis == "unstated":
        flags.append("weight_unstated")
    if weight.basis == "pass_fail":
        flags.append("pass_fail_only")
    if jurisdiction in ("central_government", "nhs", "northern_ireland") and (weight.effective_pct or 0) < 10 and clauses:
        flags.append("central_gov_floor_breach")
    if clauses:
        flags.append(f"jurisdiction:{jurisdiction}")
    return flags


def _recommendations(
    rubric: Rubric, dimensions: Sequence[DimensionScore], jurisdiction: str, verdict: Verdict, weight: SocialValueWeight
) -> list[Recommendation]:
    specs = {d["id"]: d for d in rubric.dimensions}
    out: list[Recommendation] = []
    for dim in dimensions:
        spec = specs[dim.id]
        weak = dim.level < dim.max_level - (0 if dim.id == "D1" else 1) or dim.level == 0
        if dim.id == "D1":
            weak = weight.effective_pct is None or weight.effective_pct < 10
        if not weak:
            continue
        text = spec["recommendation"]
        if dim.id == "D1" and jurisdiction in rubric.jurisdiction_notes:
            text = f"{text} {rubric.jurisdiction_notes[jurisdiction]}"
        out.append(Recommendation(dim.id, text, spec.get("source", "")))
        if dim.id == "D6" and spec.get("recommendation_large"):
            out.append(Recommendation(dim.id, spec["recommendation_large"], spec.get("source", "")))
    if verdict == "absent" and jurisdiction in rubric.jurisdiction_notes:
        out.insert(0, Recommendation("D1", rubric.jurisdiction_notes[jurisdiction], "jurisdiction"))
    return out
