"""The audit's standalone HTML report: charts as inline SVG (matplotlib), tables, the best
clauses found and the weakest tenders with their main gaps. No external assets."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from analyser.audit.tables import BENCHMARK_PCT, NO_BUYER, Digest

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

VERDICTS = ("substantive", "token", "absent")
COLOURS = {"substantive": "#1b7837", "token": "#e08214", "absent": "#9e9e9e"}
MAX_BARS = 40  # documents drawn one bar each; more become a histogram
MAX_BUYERS = 15  # buyers drawn side by side
MAX_TABLE_ROWS = 2000

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;
max-width:70rem;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #ddd;padding-bottom:.2rem}
.muted{color:#555}.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:.4rem;padding:.6rem .9rem;min-width:9rem}
.card b{display:block;font-size:1.5rem}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.6rem 0}
th,td{border:1px solid #ddd;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;white-space:nowrap}
blockquote{margin:.3rem 0 1rem;padding:.4rem .8rem;border-left:4px solid #1b7837;background:#f6fbf7}
.figure svg{max-width:100%;height:auto}.figure{margin:1rem 0}
.verdict-substantive{color:#1b7837;font-weight:600}.verdict-token{color:#b35806;font-weight:600}
.verdict-absent{color:#666;font-weight:600}.error{color:#a50026}
@media print{.figure{break-inside:avoid}}
"""


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    return fig


def _svg(fig: Figure) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "sva-audit"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]  # drop the XML prolog and doctype: inline in HTML


def _short(text: str, limit: int = 38) -> str:
    text = text.rsplit("/", 1)[-1] if "!" not in text else text.rsplit("!", 1)[-1]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def weights_chart(frame: pd.DataFrame) -> str | None:
    """Effective social value weights against the 10% benchmark."""
    ok = frame[frame["error"].isna()]
    weights = ok["effective_weight_pct"]
    if weights.dropna().empty:  # nothing to draw: the report says so in words
        return None
    if len(ok) <= MAX_BARS:
        data = ok.assign(w=weights.fillna(0).astype(float)).sort_values(["w", "file"])
        fig = _figure(8, max(2.2, 0.28 * len(data) + 1.2))
        ax = fig.add_subplot()
        colours = [COLOURS.get(v, "#666") for v in data["verdict"]]
        ys = range(len(data))
        ax.barh(list(ys), data["w"], color=colours)
        ax.set_yticks(list(ys), [_short(f) for f in data["file"]], fontsize=8)
        for y, stated in enumerate(data["effective_weight_pct"].notna()):
            if not stated:
                ax.text(0.3, y, "no weight stated", va="center", fontsize=7, color="#555")
        from matplotlib.patches import Patch

        shown = [v for v in VERDICTS if (data["verdict"] == v).any()]
        ax.legend(
            handles=[Patch(color=COLOURS[v], label=v) for v in shown],
            loc="lower right",
            frameon=False,
            fontsize=8,
        )
        top = max(20.0, float(data["w"].max()) + 2)
        ax.set_xlim(0, top)
        ax.set_xlabel("social value's effective share of the total score (%)")
    else:
        stated = weights.dropna().astype(float)
        fig = _figure(8, 3.6)
        ax = fig.add_subplot()
        top = max(20.0, float(stated.max()) + 2.5) if len(stated) else 20.0
        bins = [x * 2.5 for x in range(int(math.ceil(top / 2.5)) + 1)]
        ax.hist(stated, bins=bins, color="#4575b4", edgecolor="white")
        ax.set_xlabel("social value's effective share of the total score (%)")
        ax.set_ylabel("documents")
        ax.set_title(
            f"{len(stated)} of {len(ok)} documents state a weight; {len(ok) - len(stated)} do not",
            fontsize=9,
        )
    ax.axvline(BENCHMARK_PCT, color="#a50026", linestyle="--", linewidth=1.4)
    ax.text(BENCHMARK_PCT, 0.99, " 10% benchmark", color="#a50026", fontsize=8,
            transform=ax.get_xaxis_transform(), va="top")  # fmt: skip
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def _buyers(frame: pd.DataFrame) -> list[str]:
    counts = frame["buyer"].fillna(NO_BUYER).value_counts()
    return [str(b) for b in counts.index[:MAX_BUYERS]]


def verdict_chart(frame: pd.DataFrame) -> str | None:
    """Verdict shares: one 100% bar overall, and one per buyer when there are several."""
    ok = frame[frame["error"].isna()].assign(buyer=lambda f: f["buyer"].fillna(NO_BUYER))
    if ok.empty:
        return None
    groups: list[tuple[str, Any]] = [("All documents", ok)]
    buyers = _buyers(ok)
    if len(buyers) > 1:
        groups += [(b, ok[ok["buyer"] == b]) for b in buyers]
    fig = _figure(8, 0.42 * len(groups) + 1.3)
    ax = fig.add_subplot()
    labels = [f"{_short(name, 45)} ({len(g)})" for name, g in groups]
    left = [0.0] * len(groups)
    for verdict in VERDICTS:
        shares = [100.0 * float((g["verdict"] == verdict).sum()) / len(g) for _, g in groups]
        ax.barh(labels, shares, left=left, color=COLOURS[verdict], label=verdict)
        for y, (x0, s) in enumerate(zip(left, shares, strict=True)):
            if s >= 8:
                ax.text(
                    x0 + s / 2, y, f"{s:.0f}%", ha="center", va="center", fontsize=7, color="white"
                )
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of assessed documents (%)")
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def score_chart(frame: pd.DataFrame) -> str | None:
    """Distribution of the 0-100 scores, stacked by verdict."""
    ok = frame[frame["error"].isna()]
    if ok.empty:
        return None
    fig = _figure(8, 3.2)
    ax = fig.add_subplot()
    bins = list(range(0, 101, 10))
    series = [ok.loc[ok["verdict"] == v, "score"].astype(float).tolist() for v in VERDICTS]
    ax.hist(series, bins=bins, stacked=True, color=[COLOURS[v] for v in VERDICTS],
            label=list(VERDICTS), edgecolor="white")  # fmt: skip
    ax.set_xticks(bins)
    ax.set_xlabel("score (0-100)")
    ax.set_ylabel("documents")
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def buyers_chart(summary: pd.DataFrame) -> str | None:
    """Buyers side by side: median score and share at or above 10%, when there are several."""
    rows = summary[summary["buyer"] != "All buyers"].head(MAX_BUYERS)
    rows = rows[rows["assessed"].fillna(0) > 0]
    if len(rows) < 2:
        return None
    fig = _figure(9, 0.36 * len(rows) + 1.4)
    ax1, ax2 = fig.subplots(1, 2, sharey=True)
    labels = [_short(str(b), 40) for b in rows["buyer"]]
    ax1.barh(labels, rows["median_score"].fillna(0).astype(float), color="#4575b4")
    ax1.set_xlim(0, 100)
    ax1.set_xlabel("median score")
    ax2.barh(
        labels,
        100 * rows["share_weight_at_or_above_10pct"].fillna(0).astype(float),
        color="#1b7837",
    )
    ax2.set_xlim(0, 100)
    ax2.set_xlabel("documents weighting social value at 10% or more (%)")
    ax1.invert_yaxis()
    ax1.tick_params(axis="y", labelsize=8)
    for ax in (ax1, ax2):
        ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def _pct(x: Any) -> str:
    return "" if x is None or _isna(x) else f"{100 * float(x):.0f}%"


def _num(x: Any, fmt: str = "{:g}") -> str:
    return "" if x is None or _isna(x) else fmt.format(float(x))


def _isna(x: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _where(clause: dict[str, Any]) -> str:
    if clause.get("page"):
        return f"page {clause['page']}"
    return str(clause.get("locator") or "")


def best_clauses(
    digests: Sequence[Digest], limit: int = 12, per_document: int = 2
) -> list[dict[str, Any]]:
    """Substantive clauses from the highest-scoring documents, one text once."""
    ranked = sorted(
        (
            d
            for d in digests
            if d.row["error"] is None and d.row["verdict"] == "substantive" and d.clauses
        ),
        key=lambda d: (-(d.row["score"] or 0), d.row["file"]),
    )
    out: list[dict[str, Any]] = []
    seen: list[str] = []
    titles: set[str] = set()
    for d in ranked:
        title = " ".join(str(d.row["title"] or "").lower().split())
        if title and title in titles:  # the same tender again (its PDF and its DOCX)
            continue
        titles.add(title)
        taken = 0
        for c in d.clauses:
            key = " ".join(c["text"].lower().split())
            if taken >= per_document or any(key in k or k in key for k in seen):
                continue
            seen.append(key)
            taken += 1
            out.append(
                {**c, "file": d.row["file"], "buyer": d.row["buyer"], "score": d.row["score"]}
            )
        if len(out) >= limit:
            break
    return out[:limit]


def weakest(digests: Sequence[Digest], limit: int = 10) -> list[Digest]:
    ok = [d for d in digests if d.row["error"] is None and d.row["score"] is not None]
    ok.sort(key=lambda d: (d.row["score"], d.row["effective_weight_pct"] or 0, d.row["file"]))
    return ok[:limit]


def _summary_table(summary: pd.DataFrame) -> str:
    head = (
        "<tr><th>Buyer</th><th>Documents</th><th>Failed</th><th>Substantive</th><th>Token</th>"
        "<th>Absent</th><th>Median score</th><th>Median effective weight*</th>"
        "<th>At or above 10%</th></tr>"
    )
    body = "".join(
        f"<tr><td>{escape(str(r['buyer']))}</td><td class=num>{r['documents']}</td>"
        f"<td class=num>{r['failed']}</td><td class=num>{_pct(r['share_substantive'])}</td>"
        f"<td class=num>{_pct(r['share_token'])}</td><td class=num>{_pct(r['share_absent'])}</td>"
        f"<td class=num>{_num(r['median_score'])}</td>"
        f"<td class=num>{_num(r['median_effective_weight_pct'], '{:g}%')}</td>"
        f"<td class=num>{_pct(r['share_weight_at_or_above_10pct'])}</td></tr>"
        for _, r in summary.iterrows()
    )
    return f"<table>{head}{body}</table><p class=muted>* of the documents that state a weight; shares are of the documents assessed.</p>"


def _documents_table(frame: pd.DataFrame) -> str:
    rows = frame.head(MAX_TABLE_ROWS)
    head = (
        "<tr><th>File</th><th>Buyer</th><th>Verdict</th><th>Score</th><th>Effective weight</th>"
        "<th>Basis</th><th>Error</th></tr>"
    )
    body = "".join(
        f"<tr><td>{escape(str(r['file']))}</td><td>{escape(_text(r['buyer']))}</td>"
        f"<td class='verdict-{escape(_text(r['verdict']))}'>{escape(_text(r['verdict']))}</td>"
        f"<td class=num>{_num(r['score'], '{:.0f}')}</td>"
        f"<td class=num>{_num(r['effective_weight_pct'], '{:g}%')}</td>"
        f"<td>{escape(_text(r['weight_basis']))}</td><td class=error>{escape(_text(r['error']))}</td></tr>"
        for _, r in rows.iterrows()
    )
    more = (
        f"<p class=muted>First {MAX_TABLE_ROWS} of {len(frame)} documents; every row is in assessments.csv.</p>"
        if len(frame) > MAX_TABLE_ROWS
        else ""
    )
    return f"<table>{head}{body}</table>{more}"


def _text(x: Any) -> str:
    return "" if x is None or _isna(x) else str(x)


def render_report(
    frame: pd.DataFrame,
    summary: pd.DataFrame,
    digests: Sequence[Digest],
    *,
    title: str = "Social value audit",
    generated: dt.datetime | None = None,
) -> str:
    """The whole report as one HTML string."""
    generated = generated or dt.datetime.now(dt.UTC)
    ok = frame[frame["error"].isna()]
    n_ok, n_failed = len(ok), int(frame["error"].notna().sum())

    def share(mask: Any) -> str:
        return f"{100 * float(mask.sum()) / n_ok:.0f}%" if n_ok else "-"

    cards = [
        ("documents", str(len(frame))),
        ("assessed", str(n_ok)),
        ("failed", str(n_failed)),
        ("substantive", share(ok["verdict"] == "substantive")),
        ("token", share(ok["verdict"] == "token")),
        ("absent", share(ok["verdict"] == "absent")),
        ("weight at or above 10%", share(ok["effective_weight_pct"].fillna(0) >= BENCHMARK_PCT)),
    ]
    parts = [
        f"<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p class=muted>Generated {generated:%d %B %Y %H:%M} UTC by the Social Value Analyser. "
        "Token: social value is mentioned but not weighted, measured or enforced. "
        "Substantive: at least one clause scores, specifies and enforces it. "
        "The effective weight is social value's share of the total evaluation score.</p>",
        "<div class=cards>"
        + "".join(f"<div class=card><b>{escape(v)}</b>{escape(k)}</div>" for k, v in cards)
        + "</div>",
    ]
    charts = [
        ("Effective weights against the 10% benchmark", weights_chart(frame)),
        ("Verdicts", verdict_chart(frame)),
        ("Score distribution", score_chart(frame)),
        ("Buyers side by side", buyers_chart(summary)),
    ]
    for heading, svg in charts:
        if svg:
            parts.append(f"<h2>{escape(heading)}</h2><div class=figure>{svg}</div>")
        elif heading.startswith("Effective weights") and n_ok:
            parts.append(
                f"<h2>{escape(heading)}</h2><p>None of the {n_ok} documents assessed states "
                "social value's weight.</p>"
            )
    parts.append("<h2>By buyer</h2>" + _summary_table(summary))

    best = best_clauses(digests)
    parts.append("<h2>Good practice to share</h2>")
    if best:
        parts.append(
            "<p class=muted>Substantive clauses from the highest-scoring documents, in their own words.</p>"
        )
        for c in best:
            where = ", ".join(x for x in (escape(c["file"]), escape(_where(c))) if x)
            parts.append(
                f"<blockquote>{escape(c['text'])}<br><small class=muted>{where}"
                f" · {escape(_text(c['role']))} · document score {_num(c['score'], '{:.0f}')}/100</small></blockquote>"
            )
    else:
        parts.append("<p>No substantive social value clause was found in these documents.</p>")

    weak = weakest(digests)
    if weak:
        parts.append(
            "<h2>Weakest tenders and their main gaps</h2><table><tr><th>File</th><th>Buyer</th>"
            "<th>Verdict</th><th>Score</th><th>Weight</th><th>Main gaps</th><th>First recommendation</th></tr>"
        )
        for d in weak:
            r = d.row
            gaps = "<br>".join(
                f"{escape(g['id'])} {escape(g['name'])} ({g['score']:g}/{g['max']:g})"
                for g in d.gaps
            )
            rec = (
                f"{escape(_text(d.recommendation.get('dimension')))}: {escape(_text(d.recommendation.get('text')))}"
                if d.recommendation
                else ""
            )
            parts.append(
                f"<tr><td>{escape(r['file'])}</td><td>{escape(_text(r['buyer']))}</td>"
                f"<td class='verdict-{escape(_text(r['verdict']))}'>{escape(_text(r['verdict']))}</td>"
                f"<td class=num>{r['score']}</td><td class=num>{_num(r['effective_weight_pct'], '{:g}%') or 'not stated'}</td>"
                f"<td>{gaps}</td><td>{rec}</td></tr>"
            )
        parts.append("</table>")

    failed = frame[frame["error"].notna()]
    if len(failed):
        parts.append(
            f"<h2>Documents that could not be assessed ({len(failed)})</h2><table><tr><th>File</th><th>Error</th></tr>"
            + "".join(
                f"<tr><td>{escape(str(r['file']))}</td><td class=error>{escape(str(r['error']))}</td></tr>"
                for _, r in failed.iterrows()
            )
            + "</table>"
        )
    parts.append("<h2>Every document</h2>" + _documents_table(frame))
    parts.append("</body></html>")
    return "\n".join(parts)
