"""The audit's tables (pandas): one row per document, and a summary per buyer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

DIMENSIONS = ("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8")
COLUMNS = (
    "file", "buyer", "title", "format", "pages", "verdict", "score", "band",
    "effective_weight_pct", "weight_basis", *DIMENSIONS, "flags", "error", "sha256",
)  # fmt: skip
NO_BUYER = "(buyer not stated)"
BENCHMARK_PCT = 10.0
ROLE_ORDER = {"requirement": 0, "contract": 1, "evaluation": 2, "weight": 3}


@dataclass
class Digest:
    """What the tables and the report need from one document (not its whole assessment)."""

    row: dict[str, Any]
    clauses: list[dict[str, Any]] = field(default_factory=list)  # best substantive clauses
    gaps: list[dict[str, Any]] = field(default_factory=list)  # weakest dimensions
    recommendation: dict[str, Any] | None = None
    dimension_names: dict[str, tuple[str, float]] = field(default_factory=dict)


def digest(
    file: str,
    assessment: dict[str, Any] | None,
    error: str | None,
    *,
    sha256: str | None = None,
    buyer: str | None = None,
) -> Digest:
    """The row of one document; ``buyer`` is used when the document does not name one."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(file=file, error=error, sha256=sha256, buyer=buyer)
    if assessment is None:
        return Digest(row)
    doc = assessment.get("document", {})
    weight = assessment.get("social_value_weight") or {}
    dims = {d["id"]: d for d in assessment.get("dimensions", [])}
    row.update(
        buyer=doc.get("buyer") or buyer,
        title=doc.get("title"),
        format=doc.get("format"),
        pages=doc.get("pages"),
        verdict=assessment.get("verdict"),
        score=assessment.get("score"),
        band=assessment.get("band"),
        effective_weight_pct=weight.get("effective_pct"),
        weight_basis=weight.get("basis"),
        flags="; ".join(assessment.get("flags", [])),
        sha256=doc.get("sha256") or sha256,
    )
    for dim_id in DIMENSIONS:
        row[dim_id] = dims[dim_id]["score"] if dim_id in dims else None
    good = [
        c
        for c in assessment.get("clauses", [])
        if c.get("label") == "substantive" and c.get("role") != "background"
    ]
    good.sort(key=lambda c: (ROLE_ORDER.get(c.get("role", ""), 9), -float(c.get("confidence", 0))))
    clauses = [
        {
            "text": c["text"],
            "page": c.get("page"),
            "locator": c.get("locator"),
            "role": c.get("role"),
            "confidence": c.get("confidence"),
        }
        for c in good[:3]
    ]
    ranked = sorted(
        (d for d in dims.values() if d.get("max")),
        key=lambda d: (d["score"] / d["max"], -d["max"]),
    )
    gaps = [
        {"id": d["id"], "name": d["name"], "score": d["score"], "max": d["max"]}
        for d in ranked[:3]
        if d["score"] < d["max"]
    ]
    recs = assessment.get("recommendations") or []
    rec = {"dimension": recs[0].get("dimension"), "text": recs[0].get("text")} if recs else None
    names = {d["id"]: (d["name"], d["max"]) for d in dims.values()}
    return Digest(row, clauses, gaps, rec, names)


def assessments_frame(digests: Sequence[Digest]) -> pd.DataFrame:
    """One row per document, failures included with their error (the columns of ``COLUMNS``)."""
    import pandas as pd

    frame = pd.DataFrame([d.row for d in digests], columns=list(COLUMNS))
    for col in ("pages", "score"):
        frame[col] = frame[col].astype("Int64")
    for col in ("effective_weight_pct", *DIMENSIONS):
        frame[col] = frame[col].astype("Float64")
    return frame


def summary_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Per buyer: documents, failed, verdict shares, median score and effective weight, share
    at or above the 10% benchmark; plus an ``All buyers`` row when there are several."""
    import pandas as pd

    data = frame.copy()
    data["buyer"] = data["buyer"].fillna(NO_BUYER).replace("", NO_BUYER)

    def one(group: pd.DataFrame) -> dict[str, Any]:
        ok = group[group["error"].isna()]
        n = len(ok)
        weights = ok["effective_weight_pct"].dropna()

        def share(mask: pd.Series) -> float | None:
            return round(float(mask.sum()) / n, 3) if n else None

        return {
            "documents": len(group),
            "assessed": n,
            "failed": int(group["error"].notna().sum()),
            "share_substantive": share(ok["verdict"] == "substantive"),
            "share_token": share(ok["verdict"] == "token"),
            "share_absent": share(ok["verdict"] == "absent"),
            "median_score": float(ok["score"].median()) if n else None,
            "median_effective_weight_pct": float(weights.median()) if len(weights) else None,
            "weights_stated": len(weights),
            "share_weight_at_or_above_10pct": share(
                ok["effective_weight_pct"].fillna(0) >= BENCHMARK_PCT
            ),
        }

    rows = [{"buyer": buyer, **one(group)} for buyer, group in data.groupby("buyer", sort=True)]
    rows.sort(key=lambda r: (-r["documents"], r["buyer"]))
    if len(rows) > 1:
        rows.append({"buyer": "All buyers", **one(data)})
    summary = pd.DataFrame(rows)
    for col in ("documents", "assessed", "failed", "weights_stated"):
        summary[col] = summary[col].astype("Int64")
    for col in (
        "share_substantive", "share_token", "share_absent", "median_score",
        "median_effective_weight_pct", "share_weight_at_or_above_10pct",
    ):  # fmt: skip
        summary[col] = summary[col].astype("Float64")
    return summary
