"""The commissioner's HTML report: self-contained, escaped, quotes its evidence with pages,
and renders in headless Chromium (Debian's ``chromium``; skipped when it is missing).

The screenshots are kept in ``tests/artifacts/`` (ignored by git) for a human to look at.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from analyser.pipeline import Analyser
from analyser.report.html import render_html
from analyser.types import AssessedClause, Assessment, Clause
from corpus.render import render_pdf

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# A Welsh works tender written for this test (two pages, so evidence sits on page 2 as well).
STRONG_BODY: list[dict[str, Any]] = [
    {"h1": "1 Scope"},
    {
        "p": "1.1 Cyngor Bro Aran (the Council) invites tenders for the refurbishment of four primary "
        "schools in the Aran valley. The estimated contract value is £7,800,000."
    },
    {
        "p": "1.2 The works are divided into two lots (North and South) so that regional contractors "
        "and SMEs can bid, and the opportunity is advertised on Sell2Wales."
    },
    {"h1": "2 Award criteria"},
    {
        "table": {
            "ruled": True,
            "header": ["Criterion", "Weighting"],
            "rows": [
                ["Price", "50%"],
                ["Technical quality", "35%"],
                ["Community Benefits (CB1)", "15%"],
            ],
        }
    },
    {"p": "2.2 Community benefits are therefore worth 15% of the total evaluation score."},
    {"page_break": True},
    {"h1": "3 Community benefits"},
    {
        "p": "3.1 The Council has selected two community benefit outcomes for this contract: targeted "
        "recruitment and training for residents of the Aran valley wards who are long-term unemployed "
        "or care leavers, and spend with social enterprises and SMEs based in Wales."
    },
    {
        "p": "3.2 Tenderers must state the number of person-weeks of training and employment per £1 "
        "million of contract value, and the annual value of work placed with social enterprises, "
        "evidenced by anonymised payroll records and invoices."
    },
    {
        "p": "3.3 Community benefit commitments must be over and above the works; site inductions "
        "required by law will not earn community benefit marks."
    },
    {
        "p": "3.4 The community benefits answer will be scored 0-5 against the scale of the "
        "commitments and the credibility of the delivery plan. Maximum 1,200 words plus a timed "
        "delivery plan."
    },
    {
        "p": "3.5 Community benefit commitments will form part of the contract as Schedule 6 and be "
        "reported quarterly through the Community Benefits Measurement Tool; a shortfall below 90% "
        "of the profile will lead to a remedial plan and, if it persists, service credits."
    },
]

TOKEN_BODY: list[dict[str, Any]] = [
    {"h1": "1 Introduction"},
    {
        "p": "1.1 Kelvinside Leisure Trust invites quotations for replacement gym equipment. The estimated value is £450,000."
    },
    {
        "p": "1.2 The Trust supports the Scottish Government's Fair Work First policy and the Procurement Reform (Scotland) Act 2014."
    },
    {"h1": "2 Community benefits"},
    {
        "p": "2.1 Tenderers are encouraged to offer community benefits where possible, such as donating used equipment."
    },
    {"p": "2.2 Community benefits will not be scored and are requested for information only."},
    {"p": "2.3 The supplier may be asked to report on community benefits at the annual review."},
]


def source(body: list[dict[str, Any]], title: str, buyer: str, date: str) -> dict[str, Any]:
    return {
        "id": "report-test",
        "title": title,
        "buyer": buyer,
        "jurisdiction": "other",
        "style": "written for tests",
        "date": date,
        "value_gbp": None,
        "formats": ["pdf"],
        "layout": {"columns": 1, "header": f"{buyer} | Tender", "footer": "OFFICIAL"},
        "labels": {
            "verdict": "token",
            "sv_weight": {"effective_pct": None, "basis": "unstated", "derivation": ""},
        },
        "body": body,
    }


@pytest.fixture(scope="module")
def analyser() -> Analyser:
    return Analyser()


@pytest.fixture(scope="module")
def strong(analyser: Analyser, tmp_path_factory: pytest.TempPathFactory) -> Assessment:
    path = tmp_path_factory.mktemp("report") / "aran-schools-itt.pdf"
    doc = source(
        STRONG_BODY,
        "Invitation to Tender: Aran Valley Schools Refurbishment",
        "Cyngor Bro Aran",
        "2026-04-20",
    )
    render_pdf(doc, path)
    return analyser.assess_path(path)


@pytest.fixture(scope="module")
def token(analyser: Analyser, tmp_path_factory: pytest.TempPathFactory) -> Assessment:
    path = tmp_path_factory.mktemp("report") / "gym-rfq.pdf"
    doc = source(
        TOKEN_BODY, "Request for Quotation: Gym Equipment", "Kelvinside Leisure Trust", "2025-09-01"
    )
    render_pdf(doc, path)
    return analyser.assess_path(path)


def test_report_is_self_contained_and_printable(strong: Assessment) -> None:
    html = render_html(strong)
    assert html.startswith("<!doctype html>") and "</html>" in html
    assert "<script" not in html.lower()  # no JavaScript needed
    assert not re.search(r"<(link|img|iframe)\b", html, re.IGNORECASE)  # no external assets
    assert not re.search(
        r"""(src|href)\s*=\s*["']?(https?:)?//""", html.split("</head>")[0], re.IGNORECASE
    )
    assert "@media print" in html and "@page" in html
    assert html.count("<svg") >= 1 + len(strong.dimensions)  # the gauge and one bar per dimension
    assert "aran-schools-itt.pdf" in html and str(strong.score) in html


def test_report_quotes_every_clause_with_its_page(strong: Assessment) -> None:
    html = render_html(strong)
    assert strong.verdict == "substantive" and strong.score >= 60
    pages = {c.clause.page for c in strong.clauses}
    assert {1, 2} <= pages  # evidence from both pages
    for c in strong.clauses:
        anchor = "clause-" + re.sub(r"[^A-Za-z0-9_-]", "-", c.clause.id)
        block = html.split(f'id="{anchor}"', 1)[1].split("</li>", 1)[0]
        assert f"p. {c.clause.page}" in block
        assert str(escape(c.clause.text)) in block
        assert c.label in block and f"{round(100 * c.confidence)}%" in block
    # every dimension's evidence links to a quoted clause
    for d in strong.dimensions:
        for cid in d.evidence:
            anchor = "clause-" + re.sub(r"[^A-Za-z0-9_-]", "-", cid)
            assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    # the weight, how it was derived, and its evidence page
    sv = strong.social_value_weight
    assert f"{sv.effective_pct:g}%" in html and str(escape(sv.derivation)) in html
    assert any(f"p. {e.page}" in html and str(escape(e.text)) in html for e in sv.evidence)


def test_token_report_has_recommendations_with_sources_and_examples(token: Assessment) -> None:
    assert token.verdict == "token" and token.score < 30
    html = render_html(token)
    assert len(token.recommendations) >= 3
    for r in token.recommendations:
        assert str(escape(r.text)) in html and str(escape(r.source)) in html
        for e in r.examples:
            assert str(escape(e["text"])) in html
    assert "What good looks like" in html
    assert (
        "section 25" in unescape(html).lower()
    )  # Scotland: the community benefit duty is explained
    for flag in token.flags:
        if not flag.startswith("jurisdiction:"):
            assert flag in html


def test_report_escapes_document_text(strong: Assessment) -> None:
    evil = AssessedClause(
        Clause("c999", 3, 'Social value <script>alert("x")</script> & <b>bold</b>'),
        "token",
        "requirement",
        0.7,
    )
    data = strong.to_dict()
    data["clauses"].append(evil.to_dict())
    data["document"]["title"] = "<img src=x onerror=alert(1)>"
    html = render_html(Assessment.from_dict(data))
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html and "<b>bold</b>" not in html


def test_report_renders_from_stored_json(strong: Assessment) -> None:
    stored = Assessment.from_dict(json.loads(json.dumps(strong.to_dict())))
    html = render_html(stored)
    for c in strong.clauses:
        assert str(escape(c.clause.text)) in html
    for r in strong.recommendations:
        assert str(escape(r.text)) in html


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
@pytest.mark.parametrize("which", ["strong", "token"])
def test_report_renders_in_headless_chromium(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    assessment: Assessment = request.getfixturevalue(which)
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / f"report-{which}.html"
    shot = ARTIFACTS / f"report-{which}.png"
    page.write_text(render_html(assessment), encoding="utf-8")
    shot.unlink(missing_ok=True)
    result = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1280,2400",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 50_000  # a real page, not a blank one
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the page is printable as well: Chromium's own PDF printer takes it
    pdf = tmp_path / "report.pdf"
    printed = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert printed.returncode == 0 and pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
