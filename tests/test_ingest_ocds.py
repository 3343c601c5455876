"""OCDS input: releases, release packages and records; the "rn" repair; the real notices."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from analyser.errors import InputError
from analyser.ingest import read_bytes
from analyser.ingest.ocds import read_ocds, repair
from analyser.pipeline import Analyser
from analyser.types import Tender

REAL_NOTICES = Path(__file__).resolve().parents[2] / "shared" / "corpus-real" / "ocds-notices"
NOTICE_FILES = sorted(REAL_NOTICES.glob("*/*.json")) if REAL_NOTICES.is_dir() else []


@pytest.fixture(scope="module")
def analyser() -> Analyser:
    return Analyser()


def release(**tender: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "1",
        "title": "Grounds maintenance",
        "description": "Community benefits are included in this requirement.",
        "lots": [
            {
                "id": "1",
                "title": "Parks",
                "description": "Grass cutting and planting in the borough's parks.",
                "awardCriteria": {
                    "criteria": [
                        {"type": "quality", "name": "Quality", "description": "50"},
                        {"type": "quality", "name": "Social value", "description": "10"},
                        {"type": "price", "description": "40"},
                    ]
                },
            }
        ],
    }
    body.update(tender)
    return {
        "ocid": "ocds-test-0001",
        "id": "ocds-test-0001-r1",
        "date": "2025-03-01T00:00:00Z",
        "tag": ["tender"],
        "buyer": {"name": "Northshire Council", "id": "org-1"},
        "parties": [{"id": "org-1", "name": "Northshire Council", "roles": ["buyer"]}],
        "description": "The Contractor shall deliver two apprenticeships a year.",
        "tender": body,
    }


def read(obj: Any, name: str = "notice.json") -> Tender:
    return read_bytes(json.dumps(obj).encode(), name)


def lines(tender: Tender) -> list[tuple[str, str | None, int | None, str | None]]:
    return [
        (ln.text, ln.kind, ln.heading_level, ln.locator) for ln in tender.pages[0].lines if ln.text
    ]


# ---------------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------------


def test_release_becomes_one_page_of_located_lines() -> None:
    tender = read(release())

    assert tender.format == "ocds"
    assert len(tender.pages) == 1
    assert tender.title == "Grounds maintenance"
    assert tender.buyer == "Northshire Council"
    got = lines(tender)
    assert got[0] == ("Grounds maintenance", None, 1, "tender.title")
    assert ("Parks", None, 2, "tender.lots[0].title") in got
    assert (
        "Grass cutting and planting in the borough's parks.",
        "paragraph",
        None,
        "tender.lots[0].description",
    ) in got
    assert (
        "The Contractor shall deliver two apprenticeships a year.",
        "paragraph",
        None,
        "description",
    ) in got


def test_award_criteria_become_a_weighting_table() -> None:
    tender = read(release())

    (table,) = tender.pages[0].tables
    assert table.rows == (
        ("Criterion", "Weighting"),
        ("Quality", "50%"),
        ("Social value", "10%"),
        ("Price", "40%"),
    )
    rows = [t for t, kind, _, _ in lines(tender) if kind == "table_row"]
    assert rows == ["Quality | 50%", "Social value | 10%", "Price | 40%"]


def test_assessment_reads_the_social_value_weight_and_adds_the_ocds_block(
    analyser: Analyser,
) -> None:
    out = analyser.assess_bytes(json.dumps(release()).encode(), "notice.json").to_dict()

    assert out["document"]["format"] == "ocds"
    assert out["social_value_weight"]["effective_pct"] == 10.0
    block = out["ocds"]
    assert block["ocid"] == "ocds-test-0001"
    criteria = {c["name"]: c for c in block["awardCriteria"]["criteria"]}
    assert criteria["Social value"]["type"] == "quality"
    assert criteria["Social value"]["numbers"] == [{"number": 10.0, "weight": "percentageExact"}]
    assert criteria["Social value"]["socialValue"] is True
    assert criteria["Price"]["type"] == "price"
    located = [c for c in out["clauses"] if c.get("locator")]
    assert located and all(c["page"] is None for c in located)


def test_a_web_address_run_into_the_next_sentence_ends_a_clause(analyser: Analyser) -> None:
    """Notices often run a link straight into the next sentence; the clause about community
    benefits must not start with the portal instructions."""
    obj = release(lots=[])
    obj["description"] = (
        "NOTE: The authority is using the eTender portal for this procurement. To register "
        "interest and read the documents go to https://tenders.example.gov.uk/notice.aspx?ID=4471 "
        "Under this contract the contractor will be required to support the Council's economic "
        "and social objectives and community benefits will be discussed at the start-up meeting "
        "with the successful contractor, who may be asked to report on them from time to time."
    )
    texts = [
        c["text"]
        for c in analyser.assess_bytes(json.dumps(obj).encode(), "n.json").to_dict()["clauses"]
    ]
    assert any(t.startswith("Under this contract the contractor will be required") for t in texts)
    assert not any("notice.aspx" in t and "community benefits" in t for t in texts)


def test_a_contract_reserved_for_supported_businesses_is_a_substantive_clause(
    analyser: Analyser,
) -> None:
    """``otherRequirements.reservedParticipation`` (a code, not prose) is read as a line, and
    a notice reserved for sheltered workshops is substantive even with vague prose."""
    obj = release(
        description="The Council seeks a supplier of printing services.",
        lots=[],
        otherRequirements={"reservedParticipation": ["shelteredWorkshop"]},
    )
    obj["description"] = "Community benefits are included in this requirement."
    text = [t for t, *_ in lines(read(obj))]
    assert any(t.startswith("Reserved participation: shelteredWorkshop") for t in text)

    out = analyser.assess_bytes(json.dumps(obj).encode(), "notice.json").to_dict()
    reserved = [c for c in out["clauses"] if "shelteredWorkshop" in c["text"]]
    assert [c["label"] for c in reserved] == ["substantive"]
    assert reserved[0]["locator"] == "tender.otherRequirements.reservedParticipation[0]"
    assert out["verdict"] == "substantive"

    without = release(description="The Council seeks a supplier of printing services.", lots=[])
    without["description"] = "Community benefits are included in this requirement."
    assert analyser.assess_bytes(json.dumps(without).encode(), "n.json").to_dict()["verdict"] == (
        "token"
    )


def test_breakdown_extension_numbers_are_read() -> None:
    lot = {
        "id": "1",
        "awardCriteria": {
            "criteria": [
                {
                    "type": "quality",
                    "name": "Social Value",
                    "numbers": [{"number": 15, "weight": "percentageExact"}],
                },
                {
                    "type": "cost",
                    "name": "Whole-life cost",
                    "numbers": [{"number": 0.85, "weight": "decimalExact"}],
                },
            ]
        },
    }
    tender = read(release(lots=[lot]))

    assert tender.pages[0].tables[0].rows[1:] == (
        ("Social Value", "15%"),
        ("Whole-life cost", "85%"),
    )


def test_ranges_are_text_not_weights_and_partial_criteria_are_warned() -> None:
    lot = {
        "id": "1",
        "awardCriteria": {
            "criteria": [
                {"type": "quality", "name": "Technical", "description": "15-40%"},
                {"type": "quality", "name": "Quality", "description": "40"},
            ]
        },
    }
    tender = read(release(lots=[lot]))

    assert tender.pages[0].tables[0].rows == (("Criterion", "Weighting"), ("Quality", "40%"))
    assert (
        "Technical: 15-40%",
        "paragraph",
        None,
        "tender.lots[0].awardCriteria.criteria[0]",
    ) in lines(tender)
    assert any("add up to 40%" in w and "Sell2Wales" in w for w in tender.warnings)


def test_identical_lot_criteria_are_read_once_and_differing_ones_per_lot() -> None:
    same = {
        "criteria": [
            {"type": "quality", "name": "Quality", "description": "60"},
            {"type": "price", "description": "40"},
        ]
    }
    other = {
        "criteria": [
            {"type": "quality", "name": "Quality", "description": "70"},
            {"type": "price", "description": "30"},
        ]
    }
    lots = [
        {"id": "1", "title": "North", "awardCriteria": same},
        {"id": "2", "title": "South", "awardCriteria": same},
    ]
    assert len(read(release(lots=lots)).pages[0].tables) == 1

    lots[1]["awardCriteria"] = other
    differing = read(release(lots=lots))
    assert len(differing.pages[0].tables) == 2
    headings = [t for t, _, level, _ in lines(differing) if level == 2]
    assert headings == ["Lot 1 – North", "Lot 2 – South"]


def test_release_package_takes_the_latest_release() -> None:
    old = release(title="Old title")
    old["date"] = "2024-01-01T00:00:00Z"
    new = release(title="New title")
    package = {"uri": "https://example.org/p.json", "releases": [new, old]}

    assert read(package).title == "New title"


def test_record_takes_the_compiled_release_else_the_latest_release() -> None:
    compiled = release(title="Compiled")
    first = release(title="First")
    first["date"] = "2024-01-01T00:00:00Z"
    second = release(title="Second")
    record = {"ocid": "ocds-test-0001", "releases": [first, second], "compiledRelease": compiled}

    assert read({"records": [record]}).title == "Compiled"
    del record["compiledRelease"]
    assert read({"records": [record]}).title == "Second"


def test_buyer_from_parties_when_buyer_has_no_name() -> None:
    notice = release()
    notice["buyer"] = {"id": "org-1"}
    assert read(notice).buyer == "Northshire Council"


def test_other_prose_fields_under_tender_are_read_and_codes_are_not() -> None:
    notice = release(
        contractTerms={
            "performanceTerms": "The supplier shall report social value KPIs quarterly."
        },
        procurementMethod="open",
        submissionMethodDetails="https://www.publiccontractsscotland.gov.uk",
    )
    got = lines(read(notice))
    assert (
        "The supplier shall report social value KPIs quarterly.",
        "paragraph",
        None,
        "tender.contractTerms.performanceTerms",
    ) in got
    assert not any("publiccontractsscotland" in text or text == "open" for text, *_ in got)


@pytest.mark.parametrize(
    "obj, problem",
    [
        ({"ocid": "ocds-x", "tender": {"id": "1"}}, "no tender text"),
        (
            {"records": [{"ocid": "ocds-x", "releases": [{"url": "https://example.org/r1"}]}]},
            "no compiledRelease",
        ),
    ],
)
def test_notices_without_text_are_input_errors(obj: Any, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        read(obj)


def test_invalid_json_is_an_input_error() -> None:
    # read_bytes sniffs broken JSON as plain text; the OCDS reader itself refuses it
    with pytest.raises(InputError, match="invalid JSON"):
        read_ocds(b'{"ocid": "ocds-x", "tender": ', "broken.json", "0" * 64)


# ---------------------------------------------------------------------------------------------
# The "rn" / "t" defect
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, repaired",
    [
        # strings copied from the real notices in ../shared/corpus-real
        (
            "or the following reason:rn N/Arn Community benefits are",
            "or the following reason:\nN/A\nCommunity benefits are",
        ),
        (
            "Other areas to consider are:rn - generating employment",
            "Other areas to consider are:\n- generating employment",
        ),
        (
            "setup stage all suppliers who meetrn the selection criteria",
            "setup stage all suppliers who meet\nthe selection criteria",
        ),
        (
            "bidders hold, or can commit torn obtain prior to",
            "bidders hold, or can commit to\nobtain prior to",
        ),
        (
            "Sub Lot B –tCaithness Arearn Sub Lot C - Easter Ross",
            "Sub Lot B –\tCaithness Area\nSub Lot C - Easter Ross",
        ),
        (
            "Liability Insurance = 5 000 000.00 GBPrn Public Liability",
            "Liability Insurance = 5 000 000.00 GBP\nPublic Liability",
        ),
        ("Procedure Rules.rnThis is a 3 year", "Procedure Rules.\nThis is a 3 year"),
        (
            "One is Technical 60% / Price 40%rn The Award criteria",
            "One is Technical 60% / Price 40%\nThe Award criteria",
        ),
        ("This is Now AwardedrnrnrnIs a Recurrent", "This is Now Awarded\n\n\nIs a Recurrent"),
        ("Contract:rn -tHave completed and passed", "Contract:\n-\tHave completed and passed"),
        # real words that end in "rn" stay whole
        (
            "Equifax's Protect must not return a Warning",
            "Equifax's Protect must not return a Warning",
        ),
        (
            "Western Isles Council (Comhairle nan Eilean Siar)",
            "Western Isles Council (Comhairle nan Eilean Siar)",
        ),
        ("Any such action in Northern Ireland", "Any such action in Northern Ireland"),
        ("-the Modern Slavery Act 2015", "-the Modern Slavery Act 2015"),
        ("replacing worn or damaged cables", "replacing worn or damaged cables"),
        ("a going concern? Will the bidder", "a going concern? Will the bidder"),
        (
            "the pattern of eastern and southern routes",
            "the pattern of eastern and southern routes",
        ),
        (
            "rules that govern the Kinghorn and Blackburn depots",
            "rules that govern the Kinghorn and Blackburn depots",
        ),
        ("Croesyceiliog, Pensarn, Llangynnwr", "Croesyceiliog, Pensarn, Llangynnwr"),
        ("internal learning and modern returns", "internal learning and modern returns"),
    ],
)
def test_rn_repair(raw: str, repaired: str) -> None:
    assert repair(raw) == repaired


def test_repair_only_runs_on_notices_that_show_the_defect() -> None:
    clean = release(description="Staff will learn to use the lantern.\nThe Council will govern it.")
    text = read(clean).text
    assert "learn to use the lantern." in text and "govern it." in text

    damaged = release(
        description="Other areas to consider are:rn - up-skilling the existing workforce;rn - equality and diversity initiatives;"
    )
    assert [t for t, kind, _, _ in lines(read(damaged)) if kind == "bullet"] == [
        "- up-skilling the existing workforce;",
        "- equality and diversity initiatives;",
    ]


def test_mojibake_bullets_and_tabs_are_repaired() -> None:
    # from a Contracts Finder notice: UTF-8 bullets read as Windows-1252, then "\t" lost its "\"
    notice = release(
        description="The service will be accessible to:rnâ€¢tChildren and young people;"
        "rnâ€¢t8 (eight) apprentices at Â£18,000 a year."
    )
    bullets = [t for t, kind, _, _ in lines(read(notice)) if kind == "bullet"]
    assert bullets == ["• Children and young people;", "• 8 (eight) apprentices at £18,000 a year."]


def test_hard_wrapped_lines_are_joined_into_one_paragraph() -> None:
    notice = release(
        description="A sub-contract clause has been included.rn All suppliers who meetrn the "
        "selection criteria will be admitted. Thern Service Provider must report."
    )
    paragraphs = [t for t, _, _, loc in lines(read(notice)) if loc == "tender.description"]
    assert paragraphs == [
        "A sub-contract clause has been included.",
        "All suppliers who meet the selection criteria will be admitted. The Service Provider must report.",
    ]


# ---------------------------------------------------------------------------------------------
# The real notices
# ---------------------------------------------------------------------------------------------

DEFECT = re.compile(r"[.:;)]rn(?:\s|$)")


@pytest.mark.skipif(not NOTICE_FILES, reason="../shared/corpus-real/ocds-notices is not present")
@pytest.mark.parametrize("path", NOTICE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_real_notice_is_assessed_with_its_text(path: Path, analyser: Analyser) -> None:
    notice = json.loads(path.read_text(encoding="utf-8"))
    assessment = analyser.assess_path(path)
    out = assessment.to_dict()
    text = " ".join(assessment.tender.text.split())

    assert out["document"]["format"] == "ocds"
    assert out["verdict"] in ("absent", "token", "substantive")
    assert out["ocds"]["ocid"] == notice["ocid"]
    assert assessment.tender.buyer
    title = " ".join(repair(notice["tender"]["title"]).split())
    assert assessment.tender.title == title
    first_words = " ".join(repair(notice["tender"]["description"]).split()[:8])
    assert first_words in text
    assert not DEFECT.search(text)


def test_bare_numbers_adding_up_to_more_than_100_are_points() -> None:
    lot = {
        "id": "1",
        "awardCriteria": {
            "criteria": [
                {"type": "quality", "name": "Quality", "description": "600"},
                {"type": "quality", "name": "Social Value", "description": "100"},
                {"type": "price", "description": "300"},
            ]
        },
    }
    rows = read(release(lots=[lot])).pages[0].tables[0].rows
    assert rows[1:] == (
        ("Quality", "600 points"),
        ("Social Value", "100 points"),
        ("Price", "300 points"),
    )
