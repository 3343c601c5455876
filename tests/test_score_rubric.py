"""The rubric score, calibration, recommendations and context rules (analyser/score.py).

The two end-to-end tenders are written here, fresh (not copied from the corpus), rendered to
PDF with the corpus renderer and assessed by the whole pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from analyser import score as S
from analyser.pipeline import Analyser
from analyser.types import (
    AssessedClause,
    Assessment,
    Clause,
    DimensionScore,
    Page,
    SocialValueWeight,
    Tender,
)
from corpus.render import render_pdf

ROOT = Path(__file__).resolve().parent.parent

# --- two tenders written for these tests ----------------------------------------------------------

STRONG_BODY: list[dict[str, Any]] = [
    {"h1": "1 Introduction"},
    {
        "p": "1.1 Eastmarsh Borough Council (the Council) invites tenders for the grounds "
        "maintenance of its parks, cemeteries and housing open spaces for five years from "
        "1 April 2026. The estimated contract value is £6,400,000 over the five-year term."
    },
    {
        "p": "1.2 The contract is divided into three lots (North, Central and South), sized so "
        "that small local firms, social enterprises and VCSE organisations can bid for a single lot."
    },
    {"h1": "2 Award criteria"},
    {
        "table": {
            "ruled": True,
            "header": ["Criterion", "Weighting"],
            "rows": [["Price", "45%"], ["Quality", "35%"], ["Social Value (Q6)", "20%"]],
        }
    },
    {"p": "2.2 Social value is therefore worth 20% of the total evaluation score."},
    {"h1": "3 Social value requirements"},
    {
        "p": "3.1 The Council has selected three outcomes for this contract from its Social Value "
        "Framework: SVF1 local jobs for residents of the Riverside, Moorgate and Hollin wards; "
        "SVF2 horticulture apprenticeships; SVF3 spend with local SMEs and VCSE organisations."
    },
    {
        "p": "3.2 For each outcome tenderers must state a numerical commitment per contract year "
        "(for example the number of apprenticeship starts at Level 2 or above, or the pounds spent "
        "with local SMEs and VCSEs per year) against the 2024/25 baseline in Appendix D, and the "
        "evidence that will prove delivery, such as anonymised payroll records and invoices."
    },
    {
        "p": "3.3 Commitments must be over and above the core requirements of the Specification. "
        "Employing the grounds staff needed to meet the service standards will not earn social "
        "value marks."
    },
    {
        "p": "3.4 The priority groups are care leavers, long-term unemployed residents and disabled "
        "people, as identified in the Council's 2024 local needs analysis, which was tested with "
        "VCSE partners at a market engagement event."
    },
    {"h1": "4 Evaluation of Q6"},
    {
        "p": "4.1 The social value response (Q6) will be scored 0-5 against three equally weighted "
        "criteria: relevance to this contract, credibility of the delivery plan and strength of "
        "evidence. Responses must not exceed 1,000 words and must include a timed delivery plan."
    },
    {"h1": "5 Contract management"},
    {
        "p": "5.1 The successful tenderer's social value commitments will be incorporated into "
        "Schedule 8 (Social Value Delivery Plan) of the contract."
    },
    {
        "p": "5.2 The Contractor shall report progress against each social value commitment quarterly "
        "and the Council will verify a sample of the evidence every year. Delivery of Schedule 8 is "
        "a contract KPI."
    },
    {
        "p": "5.3 Where social value delivery falls below 80% of the profiled commitment for two "
        "consecutive quarters the Contractor shall submit a rectification plan; continued failure "
        "will result in service credits and may lead to termination for material breach."
    },
    {
        "p": "5.4 To open the supply chain to SMEs and VCSEs, the Contractor shall advertise "
        "subcontract opportunities over £25,000 on Contracts Finder and shall pay its "
        "subcontractors within 30 days."
    },
]

TOKEN_BODY: list[dict[str, Any]] = [
    {"h1": "1 Introduction"},
    {
        "p": "1.1 Westfold District Council invites quotations for the supply and installation of "
        "office furniture at its civic centre. The estimated value is £340,000."
    },
    {
        "p": "1.2 The Council has had regard to the Public Services (Social Value) Act 2012 in "
        "preparing this procurement."
    },
    {"h1": "2 Award criteria"},
    {
        "table": {
            "ruled": True,
            "header": ["Criterion", "Weighting"],
            "rows": [["Price", "70%"], ["Quality", "30%"]],
        }
    },
    {"h1": "3 Social value"},
    {
        "p": "3.1 Bidders are encouraged to consider how they might add social value, for example "
        "by supporting local charities where possible."
    },
    {
        "p": "3.2 Please describe any social value you may be able to offer. This question is for "
        "information only and will not be scored."
    },
    {"p": "3.3 The successful supplier may be asked to report on social value from time to time."},
]


def source(body: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": "test-tender",
        "title": "Invitation to Tender: Grounds Maintenance",
        "buyer": "Eastmarsh Borough Council",
        "jurisdiction": "england_council",
        "style": "written for tests",
        "date": "2025-11-03",
        "value_gbp": None,
        "formats": ["pdf"],
        "layout": {
            "columns": 1,
            "header": "Eastmarsh Borough Council | ITT EBC/2025/77",
            "footer": "OFFICIAL",
        },
        "labels": {
            "verdict": "token",
            "sv_weight": {"effective_pct": None, "basis": "unstated", "derivation": ""},
        },
        "body": body,
    }
    doc.update(extra)
    return doc


@pytest.fixture(scope="module")
def analyser() -> Analyser:
    return Analyser()


@pytest.fixture(scope="module")
def strong(analyser: Analyser, tmp_path_factory: pytest.TempPathFactory) -> Assessment:
    path = tmp_path_factory.mktemp("strong") / "strong-itt.pdf"
    render_pdf(source(STRONG_BODY), path)
    return analyser.assess_path(path)


@pytest.fixture(scope="module")
def token(analyser: Analyser, tmp_path_factory: pytest.TempPathFactory) -> Assessment:
    path = tmp_path_factory.mktemp("token") / "token-rfq.pdf"
    render_pdf(
        source(
            TOKEN_BODY,
            title="Request for Quotation: Office Furniture",
            buyer="Westfold District Council",
        ),
        path,
    )
    return analyser.assess_path(path)


# --- end to end ---------------------------------------------------------------------------------


def test_strong_tender_scores_60_plus_with_evidence_on_six_dimensions(strong: Assessment) -> None:
    assert strong.verdict == "substantive"
    assert strong.social_value_weight.effective_pct == 20.0
    assert strong.score >= 60, [(d.id, d.level) for d in strong.dimensions]
    assert strong.band == "Substantive"
    with_evidence = [d for d in strong.dimensions if d.evidence and d.level > 0]
    assert len(with_evidence) >= 6, [(d.id, d.level, d.evidence) for d in strong.dimensions]
    ids = {c.clause.id for c in strong.clauses}
    for d in strong.dimensions:
        assert set(d.evidence) <= ids  # every evidence id is a quoted clause
    levels = {d.id: d.level for d in strong.dimensions}
    assert levels["D1"] == 5  # 20% of the total
    assert levels["D6"] >= 2 and levels["D4"] >= 2 and levels["D8"] >= 2


def test_token_tender_scores_under_30_with_three_recommendations(token: Assessment) -> None:
    assert token.verdict == "token"
    assert token.score < 30
    assert token.band == "Token"
    assert len(token.recommendations) >= 3
    dims = {r.dimension for r in token.recommendations}
    assert {"D1", "D3", "D6"} <= dims
    assert all(r.text and r.source for r in token.recommendations)
    # token clauses never lift a dimension above level 1 (D1 is the weight)
    assert all(d.level <= 1 for d in token.dimensions if d.id != "D1")


def test_recommendations_carry_examples_in_the_contract(token: Assessment) -> None:
    data = token.to_dict()
    recs = data["recommendations"]
    assert all({"dimension", "text"} <= set(r) for r in recs)  # the contract's minimum
    assert all(isinstance(r["examples"], list) for r in recs)
    with_examples = [r for r in recs if r["examples"]]
    assert len(with_examples) >= 3
    for r in with_examples:
        assert 1 <= len(r["examples"]) <= 2
        assert all(e["text"] and e["doc_id"] and e["page"] for e in r["examples"])
    again = Assessment.from_dict(json.loads(json.dumps(data))).to_dict()
    assert again["recommendations"] == recs


# --- levels from hand-made clauses (fast, no PDF) ---------------------------------------------------


def clause(
    cid: str, text: str, label: str = "substantive", role: str = "requirement"
) -> AssessedClause:
    return AssessedClause(Clause(cid, 1, text), label, role, 0.9, ())  # type: ignore[arg-type]


def levels(clauses: list[AssessedClause], pct: float | None) -> dict[str, int]:
    weight = (
        SocialValueWeight(pct, "stated") if pct is not None else SocialValueWeight(None, "unstated")
    )
    found, _ = S.score_dimensions(clauses, weight, " ".join(c.clause.text for c in clauses))
    return {f"D{i}": lvl for i, (lvl, _) in enumerate(found, 1)}


def test_d1_bands_follow_the_effective_weight() -> None:
    row = [clause("c1", "Social value | 12%", role="weight")]
    assert [levels(row, p)["D1"] for p in (None, 3, 7.5, 12, 17, 25)] == [0, 1, 2, 3, 4, 5]


def test_hedged_wording_earns_at_most_level_one() -> None:
    hedged = [
        clause(
            "c1",
            "Suppliers are encouraged to report quarterly on apprenticeships where possible.",
            "token",
        ),
        clause(
            "c2",
            "Bidders may wish to offer lots of local jobs for care leavers in the borough.",
            "token",
        ),
    ]
    assert all(v <= 1 for k, v in levels(hedged, None).items() if k != "D1")


def test_contract_dimension_levels() -> None:
    incorporated = clause(
        "c1", "Commitments will be incorporated into Schedule 7 of the contract.", role="contract"
    )
    reported = clause("c2", "The Contractor shall report progress quarterly.", role="contract")
    remedy = clause(
        "c3",
        "Failure to deliver will trigger a rectification plan and service credits.",
        role="contract",
    )
    assert levels([incorporated], 12)["D6"] == 1
    assert levels([incorporated, reported], 12)["D6"] == 2
    assert levels([incorporated, reported, remedy], 12)["D6"] == 3


def test_scoring_method_levels() -> None:
    scale = clause(
        "c1", "Responses will be scored 0-5 against relevance and credibility.", role="evaluation"
    )
    limit = clause(
        "c2",
        "Responses must not exceed 800 words and include a timed delivery plan.",
        role="evaluation",
    )
    generic = clause(
        "c3",
        "Q5 will be marked using the same 0 to 5 scale as the other questions.",
        "token",
        "evaluation",
    )
    holistic = clause(
        "c4", "The panel will consider social value responses holistically.", "token", "evaluation"
    )
    assert levels([scale], 10)["D4"] == 2
    assert levels([scale, limit], 10)["D4"] == 3
    assert levels([generic], 4)["D4"] == 1
    assert levels([holistic], 8)["D4"] == 0


def test_additionality_and_market_access() -> None:
    additional = clause(
        "c1",
        "Commitments must be over and above the Specification and proportionate to the contract value.",
    )
    lots = clause("c2", "The contract is divided into four lots so that SMEs can bid.")
    payment = clause(
        "c3", "The Contractor shall pay subcontractors within 30 days.", role="contract"
    )
    reserved = clause(
        "c4",
        "Lot 2 is reserved for supported employment providers under section 32 of the Procurement Act 2023.",
    )
    assert levels([additional], 12)["D5"] == 3
    assert levels([lots], 12)["D8"] == 2
    assert levels([lots, payment], 12)["D8"] == 3
    assert levels([reserved], 12)["D8"] == 3


def test_integrated_design_scores_d1_level_two() -> None:
    integrated = clause(
        "c1",
        "There is no separate social value weighting; instead social value is assessed inside each of "
        "the quality questions, which carry their own descriptors.",
        role="evaluation",
    )
    found, flags = S.score_dimensions(
        [integrated], SocialValueWeight(None, "unstated"), integrated.clause.text
    )
    assert found[0][0] == 2 and "sv_integrated" in flags


# --- context: jurisdiction, date, value -------------------------------------------------------------


def tender(text: str) -> Tender:
    return Tender("t.txt", "0" * 64, "text", (Page(1, text),))


def recommend_for(
    text: str, dims: dict[str, int] | None = None, pct: float | None = None
) -> list[str]:
    rubric = S.load_rubric()
    dims = dims or {}
    scores = []
    for spec in rubric.dimensions:
        level = dims.get(spec["id"], 0)
        scores.append(
            DimensionScore(
                spec["id"], spec["name"], level, len(spec["levels"]) - 1, 0.0, float(spec["points"])
            )
        )
    context = S.detect_context(tender(text))
    weight = (
        SocialValueWeight(pct, "stated") if pct is not None else SocialValueWeight(None, "unstated")
    )
    return [r.text for r in S.recommend(rubric, scores, context, "token", weight)]


def test_context_detection() -> None:
    ctx = S.detect_context(
        tender(
            "Invitation to Tender\nHighland Shared Services\nDate: 9 March 2026\n"
            "This regulated procurement under the Procurement Reform (Scotland) Act 2014 is advertised on "
            "Public Contracts Scotland. The estimated contract value is £4,600,000. Public liability "
            "insurance of £10,000,000 is required."
        )
    )
    assert ctx.nation == "scotland" and ctx.jurisdiction == "scotland"
    assert ctx.date == dt.date(2026, 3, 9) and ctx.date_basis == "stated"
    assert ctx.value_gbp == 4_600_000  # not the insurance figure
    england_and_wales = S.detect_context(
        tender("The NHS Trust buys for patients in England and Wales.")
    )
    assert england_and_wales.nation == "england" and england_and_wales.body == "nhs"


def test_scotland_community_benefit_duty_at_four_million() -> None:
    over = recommend_for(
        "Scottish council. Procurement Reform (Scotland) Act 2014. The estimated value is £4,600,000."
    )
    assert any(
        "section 25" in t.lower() and "£4.6 million" in t and "contract notice" in t for t in over
    )
    under = recommend_for(
        "Scottish council. Procurement Reform (Scotland) Act 2014. The estimated value is £900,000."
    )
    assert any("below the £4 million" in t for t in under)
    assert not any(
        "three key performance indicators" in t for t in over
    )  # the 2023 Act is not Scots law


def test_wales_duty_depends_on_the_date() -> None:
    before = recommend_for(
        "Welsh council, Sell2Wales. Date: 10 January 2026. The estimated value is £2 million."
    )
    after = recommend_for(
        "Welsh council, Sell2Wales. Date: 10 April 2026. The estimated value is £2 million."
    )
    assert any("starts on 25 March 2026" in t for t in before)
    assert any("Since 25 March 2026" in t for t in after)


def test_central_government_ppn_by_date() -> None:
    cg = "The Agency is an executive agency of a central government department. Date: {}. The estimated value is £3,000,000."
    old = recommend_for(cg.format("4 March 2023"))
    new = recommend_for(cg.format("20 November 2025"))
    assert any("PPN 06/20" in t and "10%" in t for t in old)
    assert any("PPN 002" in t and "1 October 2025" in t for t in new)


def test_kpi_rule_only_with_a_value_over_five_million() -> None:
    big = recommend_for(
        "Borough Council tender. Date: 1 June 2025. The estimated contract value is £12 million."
    )
    small = recommend_for(
        "Borough Council tender. Date: 1 June 2025. The estimated contract value is £1.2 million."
    )
    unknown = recommend_for(
        "Borough Council tender. Date: 1 June 2025. Insurance: public liability £10 million."
    )
    assert any("three key performance indicators" in t and "£12 million" in t for t in big)
    assert not any("three key performance indicators" in t for t in small + unknown)


def test_floor_breach_flag_for_central_government_only() -> None:
    cg = tender(
        "The Department for Transport is a central government department. Date: 2 December 2025. Estimated value £2,000,000."
    )
    council = tender("The County Council. Date: 2 December 2025. Estimated value £2,000,000.")
    sv = [clause("c1", "Social value | 5%", role="weight")]
    weight = SocialValueWeight(5.0, "stated")
    assert "central_gov_floor_breach" in S.score(cg, sv, weight)[4]
    assert "central_gov_floor_breach" not in S.score(council, sv, weight)[4]


# --- the rubric data file and the exemplars ------------------------------------------------------------


def test_rubric_file_has_everything_the_report_needs() -> None:
    rubric = S.load_rubric()
    assert [d["id"] for d in rubric.dimensions] == [f"D{i}" for i in range(1, 9)]
    assert sum(d["points"] for d in rubric.dimensions) == 100
    for d in rubric.dimensions:
        assert d["name"] and d["measures"] and d["why"] and d["recommendation"] and d["source"]
        assert d["cues"]["positive"] and d["cues"]["negative"]
        assert len(d["levels"]) == (6 if d["id"] == "D1" else 4)
    for flag in ("weight_unstated", "wish_list", "central_gov_floor_breach", "sv_integrated"):
        assert rubric.flags[flag]


def test_exemplars_come_from_substantive_train_clauses() -> None:
    exemplars = S.load_exemplars()
    assert set(exemplars) == {f"D{i}" for i in range(1, 9)}
    splits = json.loads((ROOT / "corpus" / "splits.json").read_text())
    labels = {
        r["clause_id"]: r
        for r in map(
            json.loads, (ROOT / "corpus" / "labels" / "clauses.jsonl").read_text().splitlines()
        )
    }
    for dim, examples in exemplars.items():
        assert 1 <= len(examples) <= 4, dim
        for e in examples:
            assert e["doc_id"] in splits["train"], (dim, e["doc_id"])
            gold = labels[e["clause_id"]]
            assert gold["label"] == "substantive" and " ".join(gold["text"].split()) == e["text"]
