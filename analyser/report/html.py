"""The commissioner's HTML report: one self-contained, printable page.

``render_html(assessment) -> str`` fills the Jinja2 template
``analyser/report/templates/report.html.j2`` (autoescaped) with a plain view model built
here. The page has no external assets and needs no JavaScript: CSS is inline, the score
gauge and the dimension bars are inline SVG. Everything comes from the assessment (so a
stored assessment rebuilt with ``Assessment.from_dict`` renders the same page) and from the
rubric data file (what each dimension measures, why it matters, what each flag means).
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import PurePath
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from analyser.score import (
    Rubric,
    detect_context,
    load_rubric,
    priority,
)
from analyser.types import AssessedClause, Assessment, DimensionScore, Tender

VERDICTS = {
    "substantive": (
        "Substantive",
        "Social value in this tender is real: at least one requirement about this tender's social "
        "value is scored, specific or enforced.",
    ),
    "token": (
        "Token",
        "Social value is mentioned, but nothing about it is scored, measured or enforced enough to "
        "change who wins or what gets delivered.",
    ),
    "absent": (
        "Absent",
        "The document contains no social value content for this tender.",
    ),
}
BASIS_WORDS = {
    "stated": "stated in the document as a share of the total score",
    "derived": "worked out from the document's own figures (nested weights, marks or ratios)",
    "pass_fail": "a pass/fail requirement only, with no weight",
    "unstated": "social value is asked for, but no weight is stated",
    "none": "no social value content was found",
}
ROLE_WORDS = {
    "weight": "Weight",
    "requirement": "Requirement",
    "evaluation": "Evaluation",
    "contract": "Contract",
    "background": "Background",
}
SIGNAL_WORDS = {
    "scored": "scored",
    "binding": "binding wording",
    "pass_fail": "pass/fail",
    "measurable_target": "measurable target",
    "named_measure": "named measure",
    "scoring_method": "scoring method",
    "reporting": "reporting",
    "kpi": "KPI",
    "remedy": "remedy",
    "additionality": "additionality",
    "priority_groups": "place or priority groups",
    "sme_vcse": "SME/VCSE access",
    "modal_hedge": "hedged wording",
    "unscored": "not scored",
    "policy_background": "policy background",
}
JURISDICTION_WORDS = {
    "england": ("England", "no national minimum weighting for councils and most other bodies"),
    "central_government": (
        "Central government",
        "PPN 06/20, then PPN 002: minimum 10% of the total score",
    ),
    "nhs": ("NHS (England)", "minimum 10% for net zero and social value since April 2022"),
    "scotland": ("Scotland", "community benefit requirements considered at £4 million and over"),
    "wales": (
        "Wales",
        "community benefits policy; socially responsible procurement duty from 25 March 2026",
    ),
    "northern_ireland": ("Northern Ireland", "PPN 01/21: minimum 10% of the total award criteria"),
}
BAND_COLOURS = {"Token": "#b42318", "Partial": "#b54708", "Substantive": "#1a7f37"}


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("analyser.report", "templates"),
        autoescape=select_autoescape(("html", "j2", "xml"), default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(assessment: Assessment) -> str:
    """The report as one self-contained HTML document."""
    template = _environment().get_template("report.html.j2")
    return template.render(**build_view(assessment))


# --- the view model -------------------------------------------------------------------------


def build_view(a: Assessment) -> dict[str, Any]:
    """Everything the template shows, as plain values (no logic left for the template)."""
    rubric = load_rubric()
    clauses = list(a.clauses)
    cited_by: dict[str, list[str]] = {}
    for d in a.dimensions:
        for cid in d.evidence:
            cited_by.setdefault(cid, []).append(d.id)
    by_id = {c.clause.id: c for c in clauses}
    verdict_label, verdict_sentence = VERDICTS.get(a.verdict, (a.verdict.title(), ""))
    band_colour = BAND_COLOURS.get(a.band, "#57606a")
    dims = [_dimension(d, rubric, by_id) for d in a.dimensions]
    view: dict[str, Any] = {
        "doc": {
            "name": PurePath(a.tender.name).name or a.tender.name,
            "path": a.tender.name,
            "title": a.tender.title or "",
            "buyer": a.tender.buyer or "",
            "format": a.tender.format.upper(),
            "pages": len(a.tender.pages),
            "sha256": a.tender.sha256,
        },
        "verdict": {"key": a.verdict, "label": verdict_label, "sentence": verdict_sentence},
        "score": a.score,
        "band": a.band,
        "band_note": rubric.band_notes.get(a.band, ""),
        "band_colour": band_colour,
        "gauge": gauge(a.score, band_colour),
        "weight": _weight(a),
        "context": _context(a),
        "dimensions": dims,
        "summary": _summary(dims),
        "clauses": [_clause(c, cited_by) for c in sorted(clauses, key=_reading_order)],
        "counts": {
            "all": len(clauses),
            "substantive": sum(c.label == "substantive" for c in clauses),
            "token": sum(c.label == "token" and c.role != "background" for c in clauses),
            "background": sum(c.role == "background" for c in clauses),
        },
        "flags": _flags(a.flags, rubric),
        "recommendations": _recommendations(a, rubric),
        "warnings": list(a.warnings),
        "schema_version": "1",
    }
    return view


def gauge(score: int, colour: str) -> dict[str, Any]:
    """Coordinates of a semicircular 0-100 gauge: band zones, the score arc, the 30/60 ticks."""
    cx, cy, r = 110.0, 118.0, 84.0

    def point(value: float, radius: float = r) -> tuple[float, float]:
        angle = math.pi * (1 - max(0.0, min(100.0, value)) / 100)
        return round(cx + radius * math.cos(angle), 2), round(cy - radius * math.sin(angle), 2)

    def arc(start: float, end: float) -> str:
        x0, y0 = point(start)
        x1, y1 = point(end)
        return f"M {x0} {y0} A {r} {r} 0 0 1 {x1} {y1}"

    zones = [
        {"d": arc(0, 29.6), "colour": "#fde2e1"},
        {"d": arc(30.4, 59.6), "colour": "#fdebd3"},
        {"d": arc(60.4, 100), "colour": "#d7f2de"},
    ]
    ticks = []
    for value in (30, 60):
        x0, y0 = point(value, r - 16)
        x1, y1 = point(value, r + 16)
        lx, ly = point(value, r + 23)
        ticks.append(
            {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "lx": lx, "ly": ly, "label": str(value)}
        )
    return {
        "zones": zones,
        "value": arc(0, max(score, 0.8)) if score > 0 else "",
        "colour": colour,
        "ticks": ticks,
        "cx": cx,
        "cy": cy,
    }


def _reading_order(c: AssessedClause) -> tuple[int, int]:
    number = re.sub(r"\D", "", c.clause.id)
    return (c.clause.page or 0, int(number) if number else 0)


def _where(page: int | None, locator: str | None) -> str:
    if page:
        return f"p. {page}"
    return locator or "no page"


def _dimension(
    d: DimensionScore, rubric: Rubric, by_id: dict[str, AssessedClause]
) -> dict[str, Any]:
    spec = rubric.dimension(d.id)
    points = spec.get("level_points") or [
        round(spec["points"] * i / (len(spec["levels"]) - 1), 1) for i in range(len(spec["levels"]))
    ]
    share = d.score / d.max if d.max else 0.0
    status = "strong" if share >= 0.75 else "partial" if share >= 0.4 else "weak"
    evidence = []
    for cid in d.evidence:
        c = by_id.get(cid)
        evidence.append(
            {
                "id": cid,
                "anchor": _anchor(cid),
                "where": _where(c.clause.page, c.clause.locator) if c else "",
                "quote": _shorten(c.clause.text, 160) if c else "",
            }
        )
    return {
        "id": d.id,
        "name": d.name,
        "short": spec.get("short", d.name),
        "score": _num(d.score),
        "max": _num(d.max),
        "level": d.level,
        "max_level": d.max_level,
        "level_text": d.why or spec["levels"][d.level],
        "next_level": spec["levels"][d.level + 1] if d.level + 1 < len(spec["levels"]) else "",
        "measures": spec.get("measures", ""),
        "why": spec.get("why", ""),
        "cues": spec.get("cues", {}),
        "pct": round(100 * share, 1),
        "ticks": [round(100 * p / d.max, 2) for p in points[1:-1]] if d.max else [],
        "status": status,
        "evidence": evidence,
    }


def _summary(dims: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    ranked = sorted(dims, key=lambda d: (d["pct"], d["id"]))
    weakest = [d for d in ranked if d["pct"] < 60][:3]
    strongest = [d for d in reversed(ranked) if d["pct"] >= 75][:3]
    return {"weakest": weakest, "strongest": strongest}


def _weight(a: Assessment) -> dict[str, Any]:
    sv = a.social_value_weight
    rows = []
    for w in a.weightings:
        rows.append(
            {
                "criterion": w.criterion,
                "value": _value(w.value, w.unit),
                "of": w.of,
                "effective": f"{w.effective_pct:g}%" if w.effective_pct is not None else "-",
                "where": _where(w.page, None),
                "social_value": w.is_social_value,
                "lot": w.lot or "",
            }
        )
    pct = sv.effective_pct
    return {
        "pct": f"{pct:g}%" if pct is not None else "",
        "pct_value": pct,
        "bar": min(100.0, (pct or 0) * 100 / 30),  # the bar runs to 30% (the corpus maximum)
        "marks": [{"pct": round(100 * m / 30, 2), "label": f"{m}%"} for m in (5, 10, 15, 20, 25)],
        "basis": sv.basis,
        "basis_words": BASIS_WORDS.get(sv.basis, sv.basis),
        "derivation": sv.derivation,
        "evidence": [{"where": _where(e.page, None), "text": e.text} for e in sv.evidence],
        "rows": rows,
    }


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "pass/fail" if unit == "pass_fail" else "-"
    if unit == "percent":
        return f"{value:g}%"
    return f"{value:g} {unit}"


def context_details(tender: Tender) -> list[str]:
    """The report's context line (buyer type and nation, date, value, regime), read from the
    document's text. The pipeline keeps it in the assessment JSON so stored reports show it."""
    if not any(p.text for p in tender.pages):
        return []
    return detect_context(tender).details()


def _context(a: Assessment) -> dict[str, Any]:
    jurisdiction = next((f.split(":", 1)[1] for f in a.flags if f.startswith("jurisdiction:")), "")
    stored = a.extra.get("context")
    if isinstance(stored, dict):
        details = [str(d) for d in stored.get("details", [])]
    else:
        details = context_details(a.tender)
    if not jurisdiction and any(p.text for p in a.tender.pages):
        jurisdiction = detect_context(a.tender).jurisdiction
    label, rule = JURISDICTION_WORDS.get(jurisdiction, (jurisdiction.replace("_", " ").title(), ""))
    return {"jurisdiction": jurisdiction, "label": label, "rule": rule, "details": details}


def _clause(c: AssessedClause, cited_by: dict[str, list[str]]) -> dict[str, Any]:
    signals = [SIGNAL_WORDS[s] for s in c.signals if s in SIGNAL_WORDS]
    reason = next((s[4:] for s in c.signals if s.startswith("why:")), "")
    return {
        "id": c.clause.id,
        "anchor": _anchor(c.clause.id),
        "where": _where(c.clause.page, c.clause.locator),
        "text": c.clause.text,
        "heading": c.clause.heading,
        "label": c.label,
        "role": ROLE_WORDS.get(c.role, c.role),
        "confidence": f"{round(100 * c.confidence):d}%",
        "signals": signals,
        "reason": reason,
        "cited_by": cited_by.get(c.clause.id, []),
    }


def _flags(flags: tuple[str, ...], rubric: Rubric) -> list[dict[str, str]]:
    out = []
    for flag in flags:
        if flag.startswith("jurisdiction:"):
            continue
        words = rubric.flags.get(flag, "")
        out.append({"code": flag, "title": flag.replace("_", " ").capitalize(), "words": words})
    return out


def _recommendations(a: Assessment, rubric: Rubric) -> list[dict[str, Any]]:
    names = {d["id"]: d["name"] for d in rubric.dimensions}
    dims = {d.id: d for d in a.dimensions}
    seen: set[str] = set()
    out = []
    for r in a.recommendations:
        dim = dims.get(r.dimension)
        if r.dimension in seen or dim is None:
            tag, tag_class = "Rule that applies", "rule"
        elif priority(dim, a.social_value_weight) == "partial":
            tag, tag_class = "Next step", "partial"
        else:
            tag, tag_class = "Priority", "weak"
        seen.add(r.dimension)
        examples = [
            {
                "text": e.get("text", ""),
                "buyer": e.get("buyer", ""),
                "title": e.get("title", ""),
                "where": _where(e.get("page"), None),
                "doc_id": e.get("doc_id", ""),
                "why": e.get("why", ""),
            }
            for e in r.examples
        ]
        out.append(
            {
                "dimension": r.dimension,
                "name": names.get(r.dimension, ""),
                "text": r.text,
                "source": r.source,
                "url": r.url if r.url.startswith("https://") else "",
                "examples": examples,
                "tag": tag,
                "tag_class": tag_class,
            }
        )
    return out


def _anchor(clause_id: str) -> str:
    return "clause-" + re.sub(r"[^A-Za-z0-9_-]", "-", clause_id)


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _num(value: float) -> str:
    return f"{value:g}"
