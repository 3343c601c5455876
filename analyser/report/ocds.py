"""The ``ocds`` block of an assessment of an OCDS notice: our extracted weights written back as
OCDS award criteria, following the award criteria breakdown extension
(``awardCriteria.criteria[]`` items with ``type``, ``name``, ``description`` and ``numbers``:
``[{"number": 10, "weight": "percentageExact"}]``).

``percentageExact`` numbers are each criterion's share of the total score after nesting is
resolved (20% of a 60% quality section is ``12``), so they compare with the notice's own
criteria; criteria weighted in marks also carry the marks as ``pointsExact``. Social value
criteria carry the additional field ``"socialValue": true``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from analyser.ingest.ocds import ocid_of
from analyser.types import Tender, Weighting

COST = re.compile(r"\b(cost|whole[\s-]life)\b", re.IGNORECASE)
PRICE = re.compile(r"\b(price|pricing|commercial|financial|fee)", re.IGNORECASE)
QUALITY = re.compile(r"\b(quality|technical)\b", re.IGNORECASE)


def ocds_extra(tender: Tender, weightings: Sequence[Weighting]) -> dict[str, Any]:
    """``{"ocds": {...}}`` for ``Assessment.extra``; empty for documents that are not notices."""
    if tender.format != "ocds":
        return {}
    general: list[dict[str, Any]] = []
    by_lot: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str | None, str, float | None]] = set()
    for w in weightings:
        key = (w.lot, " ".join(w.criterion.lower().split()), w.effective_pct)
        if key in seen:
            continue
        seen.add(key)
        item = award_criterion(w)
        if w.lot:
            by_lot.setdefault(w.lot, []).append(item)
        else:
            general.append(item)
    block: dict[str, Any] = {"ocid": ocid_of(tender), "awardCriteria": {"criteria": general}}
    if by_lot:
        block["lots"] = [
            {"id": lot, "awardCriteria": {"criteria": items}} for lot, items in by_lot.items()
        ]
    return {"ocds": block}


def award_criterion(w: Weighting) -> dict[str, Any]:
    """One weighting as an OCDS ``AwardCriterion``."""
    item: dict[str, Any] = {
        "type": criterion_type(w.criterion),
        "name": w.criterion,
        "description": w.text,
    }
    numbers: list[dict[str, Any]] = []
    if w.unit in ("marks", "points") and w.value is not None:
        numbers.append({"number": w.value, "weight": "pointsExact"})
    if w.effective_pct is not None:
        numbers.append({"number": w.effective_pct, "weight": "percentageExact"})
    if numbers:
        item["numbers"] = numbers
    if w.unit == "pass_fail":
        item["description"] = f"Pass/fail: {w.text}"
    if w.is_social_value:
        item["socialValue"] = True  # an additional field: the criterion is social value's
    return item


def criterion_type(name: str) -> str:
    """``price``, ``cost`` or ``quality`` (the extension's award criterion type codelist)."""
    if COST.search(name) and not QUALITY.search(name):
        return "cost"
    if PRICE.search(name) and not QUALITY.search(name):
        return "price"
    return "quality"
