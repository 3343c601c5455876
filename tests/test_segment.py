"""Segment: clauses of a tender, without its page furniture."""

from __future__ import annotations

from analyser.ingest import read_bytes, read_tender
from analyser.nlp import build_pipeline
from analyser.segment import segment
from analyser.types import Line, Page, Tender


def text_clauses(text: str) -> list[str]:
    """The clause texts of a plain-text tender, read by the product's own text ingest."""
    return [c.text for c in segment(read_bytes(text.encode(), "t.txt"), build_pipeline())]


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
    assert text_clauses(text) == ["4.1 Social value is 10% of the total."]


def test_a_numbered_paragraph_in_a_narrow_column_is_not_cut_after_its_first_line(make_pdf) -> None:  # type: ignore[no-untyped-def]
    path = make_pdf(
        [
            {"h1": "3.5 How the community benefit responses will be marked"},
            {
                "p": "3.5.1 Tenders will be evaluated separately for each lot and are marked out of "
                "1,000, of which 500 marks are for quality and 500 for price."
            },
            {
                "p": "3.5.2 Tenderers must also provide a Carbon Reduction Plan, checked at selection "
                "on a pass/fail basis and not marked."
            },
            {"p": "3.5.3 The response must not exceed 600 words."},
        ],
        columns=2,
    )
    clauses = segment(read_tender(path), build_pipeline())
    texts = [c.text for c in clauses]
    assert any(
        t.startswith("3.5.1 Tenders will be evaluated") and t.endswith("500 for price.")
        for t in texts
    )
    assert any(t.startswith("3.5.2 Tenderers must") and t.endswith("not marked.") for t in texts)
    assert "3.5.3 The response must not exceed 600 words." in texts
    # the heading wrapped over two lines is one heading, not a heading and a stray word
    first = next(c for c in clauses if c.text.startswith("3.5.1"))
    assert first.heading_path[-1] == "3.5 How the community benefit responses will be marked"
    assert not any(len(t.split()) == 1 for t in texts)


def test_a_date_wrapped_to_the_start_of_a_line_does_not_start_a_numbered_item() -> None:
    text = (
        "2.2 Clarification questions must be sent through the e-tendering portal no later than noon on\n"
        "8 January 2026. Answers of general interest will be shared with every tenderer.\n"
        "2.3 Tenders must be submitted by 17 January 2026.\n"
    )
    texts = text_clauses(text)
    assert texts[0].endswith("shared with every tenderer.")
    assert len(texts) == 2


def test_a_wrapped_line_with_a_figure_inside_it_does_not_end_the_paragraph() -> None:
    text = (
        "5.2 Bids are marked out of 500. Cost is\n"
        "worth 200 marks. The method statements are\n"
        "worth 250 marks together and M6 Social\n"
        "Value is worth the remaining 50 marks.\n"
    )
    assert text_clauses(text) == [" ".join(text.split())]


def test_a_paragraph_beside_a_table_in_the_other_column_is_kept(make_pdf) -> None:  # type: ignore[no-untyped-def]
    topics = [
        "supervision of the site",
        "storage of materials",
        "hours of working",
        "noise and dust control",
        "waste carriers and transfer notes",
        "vehicle movements near the school",
        "protection of trees",
        "the handover of keys",
        "out-of-hours call-outs",
        "records of inspections",
        "use of welfare facilities",
    ]
    paragraphs = [
        f"6.{i} The method statement on {topic} must explain who is responsible, how the work "
        "will be checked on site and how any problem will be reported to the Council."
        for i, topic in enumerate(topics, 1)
    ]
    path = make_pdf(
        [
            {"h1": "6 Method statements"},
            *({"p": p} for p in paragraphs),
            {
                "table": {
                    "header": ["Question", "Marks"],
                    "rows": [["Q1 Site management", "30"], ["Q2 Social value", "20"]],
                }
            },
        ],
        columns=2,
    )
    tender = read_tender(path)
    # the fixture puts the table at the top of the right column, beside the left column's text
    table = next(t for p in tender.pages for t in p.tables)
    beside = [
        ln
        for p in tender.pages
        if p.number == table.page
        for ln in p.lines
        if ln.x1 < table.x0 and table.top <= ln.top <= table.bottom
    ]
    assert beside
    texts = [c.text for c in segment(tender, build_pipeline())]
    for paragraph in paragraphs:
        assert paragraph in texts
    assert "Q2 Social value | 20" in texts


def test_a_sentence_running_on_to_the_next_page_is_one_clause() -> None:
    bodies = [
        [
            "7.1 Prices are fixed for the first two contract years.",
            "7.2 The Contractor shall report the number of apprenticeship starts on the",
        ],
        [
            "contract, broken down by the priority groups in",
            "Annex B, to the Council every quarter.",
            "7.3 Invoices are paid within 30 days.",
        ],
    ]
    pages = []
    for number, body in enumerate(bodies, 1):
        x0 = 310.0 if number == 1 else 57.0  # from the right column to the next page's left
        lines = tuple(
            Line(text=t, x0=x0, x1=x0 + 230, top=60.0 + 14 * i, bottom=71.0 + 14 * i)
            for i, t in enumerate(body)
        )
        pages.append(Page(number=number, text="\n".join(body), lines=lines))
    tender = Tender(name="t.pdf", sha256="0" * 64, format="pdf", pages=tuple(pages))
    texts = [c.text for c in segment(tender, build_pipeline())]
    assert texts == [
        "7.1 Prices are fixed for the first two contract years.",
        "7.2 The Contractor shall report the number of apprenticeship starts on the contract, "
        "broken down by the priority groups in Annex B, to the Council every quarter.",
        "7.3 Invoices are paid within 30 days.",
    ]
