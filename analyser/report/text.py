"""A readable terminal summary of one assessment."""

from __future__ import annotations

import textwrap

from analyser.types import Assessment

VERDICT_WORDS = {
    "absent": "ABSENT - no social value content for this tender",
    "token": "TOKEN - social value is present but not real: nothing scored, measured or enforced enough",
    "substantive": "SUBSTANTIVE - social value is scored, specific and carried into the contract",
}


def summary(assessment: Assessment, max_clauses: int = 8) -> str:
    a = assessment
    sv = a.social_value_weight
    lines = [
        f"{a.tender.name}  ({a.tender.format.upper()}, {len(a.tender.pages)} page{'s' if len(a.tender.pages) != 1 else ''})",
        "",
        f"Verdict:  {VERDICT_WORDS[a.verdict]}",
        f"Score:    {a.score}/100 ({a.band})",
    ]
    if sv.effective_pct is not None:
        lines.append(
            f"Weight:   social value is {sv.effective_pct:g}% of the total score ({sv.basis}: {sv.derivation})"
        )
    else:
        lines.append(f"Weight:   none stated ({sv.basis}: {sv.derivation})")
    lines += ["", "Rubric:"]
    for d in a.dimensions:
        bar = "#" * int(round(10 * d.score / d.max)) if d.max else ""
        lines.append(f"  {d.id} {d.name:<50} {d.score:>4g}/{d.max:<3g} {bar:<10} {d.why}")
    sv_clauses = sorted(a.clauses, key=lambda c: (c.label != "substantive", c.role == "background"))
    if sv_clauses:
        lines += ["", f"Social value clauses ({len(a.clauses)} found; strongest first):"]
        for c in sv_clauses[:max_clauses]:
            where = f"p.{c.clause.page}" if c.clause.page else (c.clause.locator or "")
            head = f"  [{c.label}, {c.role}] {where}: "
            lines.append(textwrap.shorten(head + c.clause.text, width=150, placeholder=" ..."))
        if len(sv_clauses) > max_clauses:
            lines.append(f"  ... and {len(sv_clauses) - max_clauses} more (use --json for all)")
    if a.flags:
        lines += ["", "Flags: " + ", ".join(a.flags)]
    if a.recommendations:
        lines += ["", "Recommendations:"]
        for r in a.recommendations:
            lines.append(
                textwrap.fill(
                    f"{r.dimension}: {r.text}" + (f" [{r.source}]" if r.source else ""),
                    width=100,
                    initial_indent="  - ",
                    subsequent_indent="    ",
                )
            )
    if a.warnings:
        lines += ["", "Warnings:"] + [f"  ! {w}" for w in a.warnings]
    return "\n".join(lines)
