"""Detect: which clauses are about social value (or community benefits) for this tender.

Rule cues from sections 4, 7 and 8 of the domain brief. Strong cues make a clause social
value on their own; context cues (local, training, carbon...) count only under a social
value heading. When the Analyser holds trained models (``analyser.clause_model``),
``detect`` uses the trained detector instead, with the rules kept as its features and
as the fallback when no model artefact is present.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from analyser.types import Clause

if TYPE_CHECKING:
    from analyser.clause_model import ClauseModels

STRONG_CUES = re.compile(
    r"social[\s-]+value|community[\s-]+benefit|social[\s,]+economic\s+and\s+environmental|"
    r"economic,?\s+social\s+and\s+environmental|environmental,?\s+social\s+and\s+economic|"
    r"well[\s-]?being\s+of\s+future\s+generations|socially\s+responsible\s+procurement|"
    r"apprentice|targeted\s+recruitment|\bTR\s?&\s?T\b|work\s+(experience\s+)?placements?|"
    r"\bVCSEs?\b|voluntary,?\s+community\s+(and|&)\s+social|social\s+enterprises?|"
    r"supported\s+(business|employment|factor)|sheltered\s*workshop|public\s+service\s+mutual|real\s+living\s+wage|\bliving\s+wage\b|"
    r"fair\s+work|\bTOMs?\b|social\s+value\s+portal|national\s+TOMs|\bMAC\s?\d|"
    r"PPN\s?0?6/20|PPN\s?002|model\s+award\s+criteri|standard\s+reporting\s+metric|"
    r"care\s+leavers|long[\s-]term\s+unemployed|ex-offenders|\bNEETs?\b|"
    r"priority\s+groups|disadvantaged\s+(groups|people|communities)|"
    r"local\s+(employment|labour|recruitment|supply\s+chain|people|residents|workforce|spend|"
    r"suppliers|businesses|sme)|"
    r"\bSMEs?\b|small\s+and\s+medium|inclusive\s+growth|community\s+wealth|"
    r"volunteer|community\s+(engagement|initiatives|projects|groups|organisations)|"
    r"ethical\s+employment|CBMT|measurement\s+tool|additional\s+to\s+the\s+main\s+purpose|"
    r"over\s+and\s+above\s+the\s+core|disability\s+employment\s+gap|workforce\s+inequality|"
    r"skills\s+and\s+employment|employment\s+and\s+skills|training\s+opportunit|"
    r"net\s+zero|carbon\s+reduction|climate\s+change|"
    # SME access mechanisms (brief 7 D8, 8.5 example 9): advertised subcontracts, prompt payment
    r"sub-?contract\w*[^.]{0,250}(advertis|contracts\s+finder|public\s+contracts\s+scotland|sell2wales)|"
    r"advertis\w*\s+(any\s+|all\s+)?sub-?contract|"
    # lots and proportionate access for small firms (brief 7 D8, 8.5 example 9)
    r"\blots?\b[^.]{0,150}\b(small(er)?|local|regional)\s+(and\s+\w+\s+)?(firms|businesses|contractors|suppliers|providers|organisations)|"
    r"\bsmall(er)?\s+(and\s+\w+\s+)?(firms|businesses|contractors|suppliers|providers|organisations)|"
    r"pa(y|id)\s+(its\s+|all\s+)?(sub-?contractors|supply\s+chain|suppliers)\s+within\s+\d+\s+days",
    re.IGNORECASE,
)

CONTEXT_CUES = re.compile(
    r"\blocal\b|train(ing|ee)|employ|recruit|community|environment|carbon|emission|"
    r"charit|school|young\s+people|skills|jobs?\b|supply\s+chain|commitments?|measures?|"
    r"outcomes?|KPI|deliver(y|ed)\s+plan|report",
    re.IGNORECASE,
)

SV_HEADING = re.compile(
    r"social\s+value|community\s+benefit|added\s+value|sustainab|fair\s+work|well[\s-]?being|"
    r"socially\s+responsible",
    re.IGNORECASE,
)

# Phrases that look like social value but are not (brief: confusers).
NOT_SV = re.compile(
    r"value\s+for\s+money|social\s+care|social\s+work|social\s+media|social\s+housing\s+rent|"
    r"TUPE|Transfer\s+of\s+Undertakings",
    re.IGNORECASE,
)


STRONG_SCORE = 0.8  # rule_score of a clause with a strong cue (0.55 when a confuser dilutes it)
NO_CUE_SCORE = 0.05  # rule_score of a clause with no cue and no social value heading above it


def rule_score(clause: Clause) -> float:
    """A score in [0, 1]: how strongly the rules say this clause is about social value."""
    return text_rule_score(clause.text, " > ".join(clause.heading_path))


def text_rule_score(text: str, heading: str = "") -> float:
    """``rule_score`` from the clause text and its heading path (joined with " > ")."""
    strong = STRONG_CUES.findall(text)
    under_sv_heading = bool(heading) and bool(SV_HEADING.search(heading))
    if strong:
        score = 0.9 if len(strong) > 1 else 0.8
        if NOT_SV.search(text) and len(strong) == 1:
            score = 0.55
        return score
    if under_sv_heading and CONTEXT_CUES.search(text):
        return 0.7
    if under_sv_heading:
        return 0.45
    return NO_CUE_SCORE


def detect(
    clauses: Iterable[Clause], threshold: float = 0.5, model: ClauseModels | None = None
) -> list[tuple[Clause, float]]:
    """The social value clauses with their detection score.

    With ``model`` the trained detector decides (at the threshold chosen on development data,
    stored in the model); without it the rules decide at ``threshold``. With the model's
    ``detect_gate``, a document none of whose found clauses carries a strong cue (rule score
    0.8 or more: "social value", "community benefit", apprenticeships, SMEs...) has no social
    value clauses: a lone look-alike ("Maximum 1,000 words.") does not make it a tender with
    social value.
    """
    clauses = list(clauses)
    if model is None:
        scored = [(c, rule_score(c)) for c in clauses]
        return with_cross_references(clauses, [(c, s) for c, s in scored if s >= threshold])
    from analyser.clause_model import detection_records

    proba = model.detect_proba(detection_records(clauses))
    found = []
    for clause, p in zip(clauses, proba, strict=True):
        if says_too_little(clause.text):
            continue
        rules = rule_score(clause)
        if p >= model.detect_threshold or (
            model.detect_source == "model_or_rules" and rules >= threshold
        ):
            found.append(
                (
                    clause,
                    round(
                        float(max(p, rules if model.detect_source == "model_or_rules" else 0.0)), 4
                    ),
                )
            )
    if model.detect_gate and not any(rule_score(c) >= STRONG_SCORE for c, _ in found):
        return []
    return with_cross_references(clauses, found)


TOO_FEW_WORDS = 4


def says_too_little(text: str) -> bool:
    """A fragment of a few words with no figure and no strong cue ("The Requirement", "I.
    Windows", "As per tender documentation"): a heading or a cross-reference, never a social
    value clause on its own, whatever its neighbours are about."""
    return (
        len(text.split()) <= TOO_FEW_WORDS
        and not any(ch.isdigit() for ch in text)
        and not STRONG_CUES.search(text)
    )


# a clause's own reference: "14.1 The Contractor shall ...", "QS5 | Social value | 20%", "C2(a) ..."
OWN_REFERENCE = re.compile(
    r"^\s*(?P<ref>(?:[A-Z]{1,4}[\s-]?\d{1,2}[a-z]?|\d{1,2}(?:\.\d{1,2}){1,3}))(?:\([a-z]\))?[.):]?(?:\s|\||$)"
)
# a clause this sure to be social value lends its reference to the clauses citing it
CONFIDENT = 0.8


def with_cross_references(
    clauses: Sequence[Clause], found: list[tuple[Clause, float]]
) -> list[tuple[Clause, float]]:
    """Add the clauses that cite a confidently found clause by its reference ("Failure to
    comply with Clause 14.1 shall be a material breach", "QS5 responses are limited to 800
    words"): they are about the same social value requirement. A cited clause's score
    carries over, slightly lowered; the order of the document is kept."""
    refs: dict[str, float] = {}
    for clause, score in found:
        own = OWN_REFERENCE.match(clause.text)
        if own and score >= CONFIDENT:
            refs.setdefault(own.group("ref").replace(" ", "").replace("-", ""), score)
    if not refs:
        return found
    cites = re.compile(
        r"(?<![\w.])(?:"
        + "|".join(re.escape(r) for r in sorted(refs, key=len, reverse=True))
        + r")(?![\w.]*\d)"
    )
    taken = {id(c) for c, _ in found}
    scores = {id(c): s for c, s in found}
    for clause in clauses:
        if id(clause) in taken:
            continue
        own = OWN_REFERENCE.match(clause.text)
        body = clause.text[own.end() :] if own else clause.text
        cited = cites.search(body)
        if cited:
            scores[id(clause)] = round(refs[cited.group(0)] * 0.95, 4)
    return [(c, scores[id(c)]) for c in clauses if id(c) in scores]
