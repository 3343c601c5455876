"""Segment: clauses of a tender, without its page furniture."""

from __future__ import annotations

from analyser.nlp import build_pipeline
from analyser.segment import segment
from analyser.types import Line, Page, Tender


def two_page_tender(header: str, footer: str) -> Tender:
    pages = []
    bodies = [
        [
            "4.1 Social value carries 10% of the total score.",
            "4.2 Responses are limited to 800 words.",
        ],
        [
            "5.1 The Contractor shall report quarterly on apprenticeship starts.",
            "5.2 Prices are fixed.",
        ],
    ]
    for number, body in enumerate(bodies, 1):
        texts = [header.format(n=number), *body, footer.format(n=number)]
        lines = tuple(
            Line(text=t, top=40.0 + 40 * i, bottom=52.0 + 40 * i) for i, t in enumerate(texts)
        )
        pages.append(Page(number=number, text="\n".join(texts), lines=lines))
    return Tender(name="t.pdf", sha256="0" * 64, format="pdf", pages=tuple(pages))


def test_running_header_and_numbered_footer_of_a_two_page_tender_are_not_clauses() -> None:
    tender = two_page_tender(
        "CECPC | FW-BRM-26 | ITT Volume 3: Award Criteria and Social Value",
        "ITT Part B: Evaluation and Community Benefits  Page {n} of 2",
    )
    texts = [c.text for c in segment(tender, build_pipeline())]
    assert not any("FW-BRM-26" in t or "Page" in t for t in texts)
    assert any(t.startswith("4.1 Social value carries 10%") for t in texts)
    assert any(t.startswith("5.1 The Contractor shall report") for t in texts)


def test_a_line_on_one_page_only_is_kept() -> None:
    tender = two_page_tender("Section {n}: Social value requirements", "Issued for tender")
    texts = [c.text for c in segment(tender, build_pipeline())]
    assert not any(t == "Issued for tender" for t in texts)
    headings = [c.heading_path for c in segment(tender, build_pipeline())]
    assert any("Section 1: Social value requirements" in h for h in headings)


def test_an_edge_line_ending_in_its_page_number_is_dropped_from_a_one_page_text() -> None:
    text = "Harbourside Trust - ITT Part C: Evaluation   Page 1 of 1\n4.1 Social value is 10% of the total.\n"
    lines = tuple(Line(text=t, top=12.0 * i) for i, t in enumerate(text.splitlines()))
    tender = Tender(
        name="t.txt",
        sha256="0" * 64,
        format="text",
        pages=(Page(number=1, text=text, lines=lines),),
    )
    texts = [c.text for c in segment(tender, build_pipeline())]
    assert texts == ["4.1 Social value is 10% of the total."]
