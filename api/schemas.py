"""Pydantic schemas of the HTTP edge: what the API answers, for validation and /openapi.json.

They mirror the output contract (``shared/design/output-contract.md``); the analyser itself
knows nothing of them. Every model allows extra fields because the contract lets the
analyser add fields without a version bump.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from analyser.types import DocumentFormat, Label, Role, Verdict, WeightBasis


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Error(BaseModel):
    """Every 4xx and 5xx answer."""

    detail: str = Field(description="What went wrong, in one line.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"detail": "itt.png: unsupported type: binary file"}]}
    )


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    database: Literal["ok"]


class DocumentInfo(_Open):
    name: str
    sha256: str = Field(description="SHA-256 of the uploaded bytes (hex).")
    format: DocumentFormat
    pages: int = Field(ge=0)
    buyer: str | None = None
    title: str | None = None


class Evidence(_Open):
    page: int | None = Field(description="Page number, counting from 1.")
    text: str


class SocialValueWeight(_Open):
    effective_pct: float | None = Field(
        description="Social value's share of the total evaluation score, after nesting; null when not stated."
    )
    basis: WeightBasis
    evidence: list[Evidence] = []
    derivation: str = ""


class Weighting(_Open):
    criterion: str
    value: float | None
    unit: str
    of: str = Field(description='"total" or the parent criterion\'s name.')
    effective_pct: float | None
    page: int | None
    text: str
    derivation: str = ""
    social_value: bool = False


class Clause(_Open):
    id: str
    page: int | None
    text: str
    label: Label
    role: Role
    confidence: float = Field(ge=0, le=1)
    signals: list[str] = []


class Dimension(_Open):
    id: str
    name: str
    score: float
    max: float
    evidence: list[str] = Field(default=[], description="Ids of the clauses behind the score.")


class Recommendation(_Open):
    dimension: str
    text: str


EXAMPLE_ID = "3f2b8c1e-9a4d-4f6b-8e2a-1c5d7e9f0a12"
EXAMPLE_TIME = "2026-03-02T10:15:00Z"
EXAMPLE_ASSESSMENT: dict[str, Any] = {
    "id": EXAMPLE_ID,
    "created_at": EXAMPLE_TIME,
    "updated_at": EXAMPLE_TIME,
    "schema_version": "1",
    "document": {
        "name": "itt.pdf",
        "sha256": "9b1f0c3e5a7d2b4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d",
        "format": "pdf",
        "pages": 24,
        "buyer": "Northshire County Council",
        "title": "Invitation to Tender: Home Care Reablement Service",
    },
    "verdict": "substantive",
    "score": 64,
    "band": "Strong",
    "social_value_weight": {
        "effective_pct": 12.0,
        "basis": "derived",
        "evidence": [{"page": 7, "text": "Social Value 20% of the quality score"}],
        "derivation": "Quality 60% of total x Social Value 20% of Quality = 12.0%",
    },
    "weightings": [
        {
            "criterion": "Quality",
            "value": 60.0,
            "unit": "percent",
            "of": "total",
            "effective_pct": 60.0,
            "page": 7,
            "text": "Quality 60%",
            "derivation": "60% of total",
            "social_value": False,
        }
    ],
    "clauses": [
        {
            "id": "c12",
            "page": 9,
            "text": "The Provider shall create six apprenticeship starts per contract year, "
            "reported quarterly against the agreed KPIs.",
            "label": "substantive",
            "role": "contract",
            "confidence": 0.93,
            "signals": ["measurable_target", "reporting"],
        }
    ],
    "dimensions": [
        {
            "id": "D1",
            "name": "Scored status and effective weight",
            "score": 18,
            "max": 25,
            "evidence": ["c12"],
        }
    ],
    "flags": [],
    "recommendations": [{"dimension": "D6", "text": "Add a remedy for missed social value KPIs."}],
    "warnings": [],
}


class Assessment(_Open):
    """The assessment of one tender (the output contract) with its id and timestamps."""

    id: str = Field(description="The assessment's id (UUID).")
    created_at: datetime
    updated_at: datetime
    schema_version: str
    document: DocumentInfo
    verdict: Verdict
    score: int = Field(ge=0, le=100)
    band: str = ""
    social_value_weight: SocialValueWeight
    weightings: list[Weighting]
    clauses: list[Clause]
    dimensions: list[Dimension]
    flags: list[str]
    recommendations: list[Recommendation]
    warnings: list[str]

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ASSESSMENT]})


class AssessmentSummary(BaseModel):
    """One line of the list: enough to pick an assessment and fetch it."""

    id: str
    name: str
    format: DocumentFormat
    sha256: str
    buyer: str | None
    verdict: Verdict
    score: int
    created_at: datetime
    updated_at: datetime


class AssessmentList(BaseModel):
    items: list[AssessmentSummary]
    total: int = Field(description="How many assessments match the filters in all.")
    limit: int
    offset: int

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "id": EXAMPLE_ID,
                            "name": "itt.pdf",
                            "format": "pdf",
                            "sha256": EXAMPLE_ASSESSMENT["document"]["sha256"],
                            "buyer": "Northshire County Council",
                            "verdict": "substantive",
                            "score": 64,
                            "created_at": EXAMPLE_TIME,
                            "updated_at": EXAMPLE_TIME,
                        }
                    ],
                    "total": 1,
                    "limit": 20,
                    "offset": 0,
                }
            ]
        }
    )
