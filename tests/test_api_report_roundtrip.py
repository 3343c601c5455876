"""``Assessment.from_dict`` rebuilds what the API stores, so the report renders from the JSON."""

from __future__ import annotations

import json

from markupsafe import escape

from analyser.pipeline import Analyser
from analyser.report.html import render_html
from analyser.types import Assessment
from tests.conftest import MakePdf

TENDER = [
    {"h1": "4 Evaluation"},
    {
        "table": {
            "ruled": True,
            "header": ["Criterion", "Weighting"],
            "rows": [["Price", "40%"], ["Quality", "60%"]],
        }
    },
    {"p": "Social Value will be worth 20% of the quality score."},
    {
        "p": "The Contractor shall create six apprenticeship starts per contract year, reported "
        "quarterly against the agreed KPIs, with service credits for shortfalls."
    },
    {"p": "Social value will be taken into account where appropriate."},
]


def test_round_trip_and_report(make_pdf: MakePdf) -> None:
    original = Analyser().assess_path(make_pdf(TENDER, name="itt.pdf"))
    data = original.to_dict()
    assert data["clauses"] and data["weightings"] and data["dimensions"]

    stored = json.loads(json.dumps(data))  # as the database gives it back
    rebuilt = Assessment.from_dict(stored)
    assert rebuilt.to_dict() == data
    assert Assessment.from_dict(rebuilt.to_dict()).to_dict() == data
    assert len(rebuilt.tender.pages) == data["document"]["pages"]

    # The API's report (rendered from stored JSON) carries the whole assessment.
    html = render_html(rebuilt)
    assert "itt.pdf" in html and str(data["score"]) in html
    for clause in data["clauses"]:
        assert escape(clause["text"][:40]) in html
    for recommendation in data["recommendations"]:
        assert escape(recommendation["text"][:40]) in html
    for dimension in data["dimensions"]:
        assert escape(dimension["name"]) in html


def test_report_from_json_equals_report_from_document(make_pdf: MakePdf) -> None:
    original = Analyser().assess_path(make_pdf(TENDER, name="itt.pdf"))
    rebuilt = Assessment.from_dict(json.loads(json.dumps(original.to_dict())))
    assert render_html(rebuilt) == render_html(original)


def test_unknown_fields_survive() -> None:
    data = Analyser().assess_bytes(b"Cleaning of the civic centre.", "spec.txt").to_dict()
    data["exemplars"] = [{"dimension": "D2", "text": "..."}]
    assert Assessment.from_dict(data).to_dict() == data
