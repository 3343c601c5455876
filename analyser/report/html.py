"""The commissioner's HTML report: one self-contained page (no external assets)."""

from __future__ import annotations

from html import escape

from analyser.types import Assessment


def render_html(assessment: Assessment) -> str:
    """A plain, printable page: score, weight, rubric, clauses with pages, recommendations."""
    a = assessment
    sv = a.social_value_weight
    weight = (
        f"{sv.effective_pct:g}% of the total score"
        if sv.effective_pct is not None
        else "not stated"
    )
    rows = "".join(
        f"<tr><td>{d.id}</td><td>{escape(d.name)}</td><td>{d.score:g}/{d.max:g}</td><td>{escape(d.why)}</td></tr>"
        for d in a.dimensions
    )
    clauses = "".join(
        f"<li><strong>{c.label}</strong> ({c.role}), page {c.clause.page or escape(c.clause.locator or '-')}: "
        f"{escape(c.clause.text)}</li>"
        for c in a.clauses
    )
    recs = "".join(f"<li>{r.dimension}: {escape(r.text)}</li>" for r in a.recommendations)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Social value report: {escape(a.tender.name)}</title></head><body>
<h1>Social value report: {escape(a.tender.name)}</h1>
<p>Verdict: <strong>{a.verdict}</strong>. Score {a.score}/100 ({a.band}). Social value weight: {weight}
({escape(sv.basis)}; {escape(sv.derivation)}).</p>
<h2>Rubric</h2><table>{rows}</table>
<h2>Social value clauses</h2><ol>{clauses}</ol>
<h2>Recommendations</h2><ul>{recs}</ul>
</body></html>"""
