"""A weight statement: one criterion's weight as written, before nesting is resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

StatementUnit = Literal["percent", "marks", "pass_fail", "unscored"]

SOCIAL_VALUE_CRITERION = re.compile(
    r"social[\s-]+value|community[\s-]+benefit|socially\s+responsible|fair\s+work|"
    r"wider\s+(social|community)\s+benefit|social,?\s+(economic|environmental)|"
    r"\bTOMs?\b|social\s+impact|local\s+economic\s+benefit|wellbeing\s+of\s+future|"
    r"^(?:[A-Z]{0,2}SV|CB)[\s-]?(?:\d|[A-Z]\b)|\bSV\b|\bMAC\s?\d|fighting\s+climate\s+change|"
    r"well-?being\s+(?:of\s+future|goals)|wider\s+benefits|responsible\s+procurement|"
    r"local\s+economic\s+(?:benefit|value)|community\s+wealth|ethical\s+employment|"
    r"tackling\s+(?:economic|workforce)\s+inequality|equal\s+opportunit|covid-19\s+recovery|"
    r"targeted\s+recruitment|disability\s+employment\s+gap",
    re.IGNORECASE,
)

# names that say social value outright; the rest of SOCIAL_VALUE_CRITERION (fair work, TOMs,
# MAC numbers, themes) name parts of it, or share a criterion with other things
NAMED_SOCIAL_VALUE = re.compile(
    r"social[\s-]+value|community[\s-]+benefit|socially\s+responsible|wider\s+(?:social|community)\s+benefit",
    re.IGNORECASE,
)

QUALITY = re.compile(
    r"\b(quality|qual(?=\.)|technical|qualitative|non[\s-]?price|non[\s-]?financial|"
    r"non[\s-]?commercial|method(ology)?\s+statements?)\b",
    re.IGNORECASE,
)
PRICE = re.compile(r"\b(prices?|costs?|commercial|financial|pricing)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    """``criterion`` weighs ``value`` ``unit`` of ``parent`` ("total", a criterion, or None)."""

    criterion: str
    value: float | None
    unit: StatementUnit
    parent: str | None
    page: int | None
    text: str
    source: Literal["table", "prose", "ratio"]
    out_of: float | None = None
    lot: str | None = None
    table_id: int | None = None
    # a section's subtotal row ("Technical total | 50"): the whole of the rows above it
    subtotal: bool = False
    # the row's own text names its parent ("20% of the quality marks"), not the table's layout
    stated_parent: bool = False
    # a sub-criterion on the same scale as its parent (sub-weights adding up to the parent's)
    part_of: str | None = None

    @property
    def is_social_value(self) -> bool:
        """Named as social value, or a sub-criterion of a section that is ("B Social Value")."""
        return bool(SOCIAL_VALUE_CRITERION.search(self.criterion)) or bool(
            self.parent
            and self.parent not in ("total", "Quality")
            and SOCIAL_VALUE_CRITERION.search(self.parent)
        )

    @property
    def key(self) -> str:
        return canonical(self.criterion)


def canonical(name: str) -> str:
    """A comparable form of a criterion name: "Quality (Technical)" -> "quality"."""
    low = " ".join(name.lower().split())
    if SOCIAL_VALUE_CRITERION.search(low):
        sv = re.sub(r"[^a-z0-9 ]", " ", low)
        return " ".join(sv.split())
    if PRICE.search(low) and not QUALITY.search(low):
        return "price"
    if QUALITY.search(low) and not PRICE.search(low) and len(low.split()) <= 4:
        return "quality"
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", low).split())


def same_criterion(a: str, b: str) -> bool:
    ca, cb = canonical(a), canonical(b)
    return ca == cb or (len(ca) > 3 and len(cb) > 3 and (ca in cb or cb in ca))
