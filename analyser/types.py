"""The domain types every stage reads and writes.

A tender document flows through the stages as typed data:
``Tender`` (pages, lines, tables) -> ``Clause`` -> ``AssessedClause`` -> ``Assessment``.
All types are frozen dataclasses; ``Assessment.to_dict()`` produces the JSON of the
output contract (``../shared/design/output-contract.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

SCHEMA_VERSION = "1"

Verdict = Literal["absent", "token", "substantive"]
Label = Literal["token", "substantive"]
Role = Literal["weight", "requirement", "evaluation", "contract", "background"]
WeightBasis = Literal["stated", "derived", "pass_fail", "unstated", "none"]
WeightUnit = Literal["percent", "marks", "points", "ratio", "pass_fail"]
DocumentFormat = Literal["pdf", "docx", "text", "ocds"]


@dataclass(frozen=True)
class Line:
    """One line of text on a page, in reading order, with its position (PDF points, top-down)."""

    text: str
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    # Set by ingest when the format says so (Word styles, OCDS fields); PDFs leave them empty.
    heading_level: int | None = None
    kind: Literal["paragraph", "bullet", "numbered", "table_row"] | None = None
    locator: str | None = (
        None  # where the line sits when there are no pages ("§2.1 ¶3", an OCDS path)
    )


@dataclass(frozen=True)
class Table:
    """A table found on a page: rows of cell texts (``""`` for empty or merged cells), and
    where it sits (PDF points, top-down; ``x1`` 0 when its width is not known)."""

    page: int
    rows: tuple[tuple[str, ...], ...]
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0

    def covers(self, line: Line, margin: float = 2.0) -> bool:
        """True when ``line`` sits inside the table: within its height and, when its width is
        known, with its middle within its width (in two columns, a paragraph beside a table
        is not part of it)."""
        if not self.top - margin <= line.top <= self.bottom + margin:
            return False
        if self.x1 <= self.x0:
            return True
        return self.x0 - margin <= (line.x0 + line.x1) / 2 <= self.x1 + margin


@dataclass(frozen=True)
class Page:
    """One page of a tender. ``number`` counts from 1."""

    number: int
    text: str
    lines: tuple[Line, ...] = ()
    tables: tuple[Table, ...] = ()
    has_text_layer: bool = True


@dataclass(frozen=True)
class Tender:
    """A tender document as read by ingest: its pages and what ingest noticed."""

    name: str
    sha256: str
    format: DocumentFormat
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = ()
    buyer: str | None = None
    title: str | None = None

    @cached_property
    def text(self) -> str:
        """The whole text, pages joined (computed once: several stages read it)."""
        return "\n".join(page.text for page in self.pages)


@dataclass(frozen=True)
class Evidence:
    """Where something was found: the page and the document's own words."""

    page: int | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Evidence:
        return cls(page=d.get("page"), text=d["text"])


@dataclass(frozen=True)
class Clause:
    """A unit of text: a numbered paragraph, bullet, table row or sentence."""

    id: str
    page: int | None
    text: str
    heading_path: tuple[str, ...] = ()
    kind: Literal["paragraph", "bullet", "numbered", "table_row", "heading", "sentence"] = (
        "paragraph"
    )
    locator: str | None = None  # for formats without pages (DOCX section/paragraph, OCDS field)

    @property
    def heading(self) -> str:
        return " > ".join(self.heading_path)


@dataclass(frozen=True)
class AssessedClause:
    """A social value clause with its label, role, confidence and the signals behind them."""

    clause: Clause
    label: Label
    role: Role
    confidence: float
    signals: tuple[str, ...] = ()
    detection_score: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.clause.id,
            "page": self.clause.page,
            "text": self.clause.text,
            "label": self.label,
            "role": self.role,
            "confidence": round(self.confidence, 3),
            "signals": list(self.signals),
            "heading_path": list(self.clause.heading_path),
        }
        if self.clause.locator:
            out["locator"] = self.clause.locator
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AssessedClause:
        clause = Clause(
            id=d["id"],
            page=d.get("page"),
            text=d["text"],
            heading_path=tuple(d.get("heading_path", ())),
            locator=d.get("locator"),
        )
        return cls(
            clause=clause,
            label=d["label"],
            role=d["role"],
            confidence=d["confidence"],
            signals=tuple(d.get("signals", ())),
        )


@dataclass(frozen=True)
class Weighting:
    """One award criterion's weight, where it was found and how its share of the total was worked out."""

    criterion: str
    value: float | None
    unit: WeightUnit
    of: str  # "total" or the parent criterion's name
    effective_pct: float | None
    page: int | None
    text: str
    derivation: str = ""
    is_social_value: bool = False
    lot: str | None = None
    stated_of_total: bool = False  # the document itself says "x% of the total"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "criterion": self.criterion,
            "value": self.value,
            "unit": self.unit,
            "of": self.of,
            "effective_pct": self.effective_pct,
            "page": self.page,
            "text": self.text,
            "derivation": self.derivation,
            "social_value": self.is_social_value,
        }
        if self.lot:
            out["lot"] = self.lot
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Weighting:
        return cls(
            criterion=d["criterion"],
            value=d.get("value"),
            unit=d["unit"],
            of=d["of"],
            effective_pct=d.get("effective_pct"),
            page=d.get("page"),
            text=d.get("text", ""),
            derivation=d.get("derivation", ""),
            is_social_value=d.get("social_value", False),
            lot=d.get("lot"),
        )


@dataclass(frozen=True)
class SocialValueWeight:
    """Social value's share of the total evaluation score, after resolving nesting."""

    effective_pct: float | None
    basis: WeightBasis
    evidence: tuple[Evidence, ...] = ()
    derivation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "effective_pct": self.effective_pct,
            "basis": self.basis,
            "evidence": [e.to_dict() for e in self.evidence],
            "derivation": self.derivation,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SocialValueWeight:
        return cls(
            effective_pct=d.get("effective_pct"),
            basis=d["basis"],
            evidence=tuple(Evidence.from_dict(e) for e in d.get("evidence", ())),
            derivation=d.get("derivation", ""),
        )


@dataclass(frozen=True)
class WeighResult:
    """What the weigh stage found: every criterion weight and social value's effective share."""

    weightings: tuple[Weighting, ...]
    social_value: SocialValueWeight
    flags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DimensionScore:
    """One rubric dimension (D1-D8): level reached, points and the clause ids behind it."""

    id: str
    name: str
    level: int
    max_level: int
    score: float
    max: float
    evidence: tuple[str, ...] = ()
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "score": self.score,
            "max": self.max,
            "level": self.level,
            "max_level": self.max_level,
            "evidence": list(self.evidence),
            "why": self.why,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DimensionScore:
        return cls(
            id=d["id"],
            name=d["name"],
            level=d.get("level", 0),
            max_level=d.get("max_level", 0),
            score=d["score"],
            max=d["max"],
            evidence=tuple(d.get("evidence", ())),
            why=d.get("why", ""),
        )


@dataclass(frozen=True)
class Recommendation:
    """What to change for one weak dimension, its source, and good-practice examples (clauses
    from the labelled corpus: ``text``, ``doc_id``, ``page``, ``buyer``, ``nation``, ``why``)."""

    dimension: str
    text: str
    source: str = ""
    examples: tuple[dict[str, Any], ...] = ()
    url: str = ""  # the source's official page, when there is one

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dimension": self.dimension, "text": self.text}
        if self.source:
            out["source"] = self.source
        if self.url:
            out["url"] = self.url
        out["examples"] = [dict(e) for e in self.examples]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Recommendation:
        return cls(
            dimension=d["dimension"],
            text=d["text"],
            source=d.get("source", ""),
            examples=tuple(dict(e) for e in d.get("examples", ())),
            url=d.get("url", ""),
        )


@dataclass(frozen=True)
class Assessment:
    """The assessment of one tender: the output contract's JSON comes from ``to_dict``."""

    tender: Tender
    verdict: Verdict
    score: int
    band: str
    social_value_weight: SocialValueWeight
    weightings: tuple[Weighting, ...]
    clauses: tuple[AssessedClause, ...]
    dimensions: tuple[DimensionScore, ...]
    flags: tuple[str, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    warnings: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "document": {
                "name": self.tender.name,
                "sha256": self.tender.sha256,
                "format": self.tender.format,
                "pages": len(self.tender.pages),
                "buyer": self.tender.buyer,
                "title": self.tender.title,
            },
            "verdict": self.verdict,
            "score": self.score,
            "band": self.band,
            "social_value_weight": self.social_value_weight.to_dict(),
            "weightings": [w.to_dict() for w in self.weightings],
            "clauses": [c.to_dict() for c in self.clauses],
            "dimensions": [d.to_dict() for d in self.dimensions],
            "flags": list(self.flags),
            "recommendations": [r.to_dict() for r in self.recommendations],
            "warnings": list(self.warnings),
        }
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Assessment:
        """Rebuild an assessment from its ``to_dict()`` JSON (e.g. one stored by the API).

        ``to_dict(from_dict(d)) == d`` for any ``d`` that ``to_dict`` produced. The JSON keeps
        only the page count, not the pages' text, so the rebuilt tender has empty pages:
        enough for the reports, which read only what the JSON holds. Top-level keys this
        method does not know are kept in ``extra``.
        """
        doc = d["document"]
        tender = Tender(
            name=doc["name"],
            sha256=doc["sha256"],
            format=doc["format"],
            pages=tuple(Page(number=n, text="") for n in range(1, int(doc["pages"]) + 1)),
            buyer=doc.get("buyer"),
            title=doc.get("title"),
        )
        return cls(
            tender=tender,
            verdict=d["verdict"],
            score=d["score"],
            band=d.get("band", ""),
            social_value_weight=SocialValueWeight.from_dict(d["social_value_weight"]),
            weightings=tuple(Weighting.from_dict(w) for w in d.get("weightings", ())),
            clauses=tuple(AssessedClause.from_dict(c) for c in d.get("clauses", ())),
            dimensions=tuple(DimensionScore.from_dict(x) for x in d.get("dimensions", ())),
            flags=tuple(d.get("flags", ())),
            recommendations=tuple(
                Recommendation.from_dict(r) for r in d.get("recommendations", ())
            ),
            warnings=tuple(d.get("warnings", ())),
            extra={k: v for k, v in d.items() if k not in _ASSESSMENT_KEYS},
        )


_ASSESSMENT_KEYS = frozenset(
    {
        "schema_version", "document", "verdict", "score", "band", "social_value_weight",
        "weightings", "clauses", "dimensions", "flags", "recommendations", "warnings",
    }
)  # fmt: skip
