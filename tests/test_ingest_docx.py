"""DOCX input: heading styles, lists, tables with merged cells, headers and footers, locators."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from analyser.errors import InputError
from analyser.ingest import read_bytes, read_tender
from analyser.pipeline import Analyser
from analyser.types import Tender


def make_docx() -> bytes:
    """A small ITT extract: Title, Heading 1/2, bullets, numbers, a merged-cell weighting table,
    a header and a footer with a page number, and a second section sharing them."""
    d = docx.Document()
    d.add_heading("Invitation to Tender: Grounds Maintenance", level=0)
    d.add_paragraph("Northshire County Council")
    d.add_heading("1. Introduction", level=1)
    d.add_paragraph("The Council invites tenders for grounds maintenance across its parks.")
    d.add_paragraph("Cutting grass in parks", style="List Bullet")
    d.add_paragraph("Maintaining play areas", style="List Bullet")
    d.add_heading("5.3 Social value", level=2)
    d.add_paragraph("Social value is part of this tender.")
    d.add_paragraph(
        "The Contractor shall create two apprenticeships a year and report quarterly on them "
        "as a contract KPI."
    )
    d.add_paragraph("Submit a social value delivery plan", style="List Number")
    d.add_paragraph("Report against it each quarter", style="List Number")
    d.add_heading("6. Evaluation", level=1)
    table = d.add_table(rows=5, cols=3)
    table.style = "Table Grid"
    cells = [
        ("Criterion", "Sub-criterion", "Weighting"),
        ("Price", "", "40%"),
        ("Quality", "Delivery", "30%"),
        ("", "Staffing", "20%"),
        ("Social value", "", "10%"),
    ]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(1, 1))  # Price across two columns
    table.cell(2, 0).merge(table.cell(3, 0))  # Quality down two rows
    table.cell(4, 0).merge(table.cell(4, 1))  # Social value across two columns
    section = d.sections[0]
    section.header.paragraphs[0].text = "Northshire County Council | ITT NCC/2025/114"
    section.footer.paragraphs[0].text = "OFFICIAL Page 1"
    d.add_section()  # its header and footer are linked to the first section's
    d.add_paragraph("Annex A: site list.")
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def tender() -> Tender:
    return read_bytes(make_docx(), "itt.docx")


def test_docx_is_one_page_with_title(tender: Tender) -> None:
    assert tender.format == "docx"
    assert [p.number for p in tender.pages] == [1]
    assert tender.title == "Invitation to Tender: Grounds Maintenance"


def test_heading_styles_set_levels_and_locators(tender: Tender) -> None:
    headings = [
        (ln.text, ln.heading_level, ln.locator) for ln in tender.pages[0].lines if ln.heading_level
    ]
    assert headings == [
        (
            "Invitation to Tender: Grounds Maintenance",
            1,
            "§Invitation to Tender: Grounds Maintenance",
        ),
        ("1. Introduction", 1, "§1. Introduction"),
        ("5.3 Social value", 2, "§5.3 Social value"),
        ("6. Evaluation", 1, "§6. Evaluation"),
    ]


def test_list_styles_set_kinds_and_word_numbers_are_kept(tender: Tender) -> None:
    kinds = {ln.text: (ln.kind, ln.locator) for ln in tender.pages[0].lines}
    assert kinds["Cutting grass in parks"] == ("bullet", "§1. Introduction ¶2")
    assert kinds["Social value is part of this tender."] == ("paragraph", "§5.3 Social value ¶1")
    # Word's automatic numbering is not in the paragraph text; the reader puts it back
    assert kinds["1. Submit a social value delivery plan"] == ("numbered", "§5.3 Social value ¶3")
    assert kinds["2. Report against it each quarter"] == ("numbered", "§5.3 Social value ¶4")


def test_merged_cells_appear_once(tender: Tender) -> None:
    (table,) = tender.pages[0].tables
    assert table.rows == (
        ("Criterion", "Sub-criterion", "Weighting"),
        ("Price", "", "40%"),
        ("Quality", "Delivery", "30%"),
        ("", "Staffing", "20%"),
        ("Social value", "", "10%"),
    )
    rows = [(ln.text, ln.locator) for ln in tender.pages[0].lines if ln.kind == "table_row"]
    assert rows[1] == ("Price | 40%", "§6. Evaluation, table 1 row 2")
    assert rows[3] == ("Staffing | 20%", "§6. Evaluation, table 1 row 4")


def test_header_and_footer_read_once_without_page_numbers(tender: Tender) -> None:
    furniture = [
        (ln.text, ln.locator) for ln in tender.pages[0].lines if ln.locator in ("header", "footer")
    ]
    assert furniture == [
        ("Northshire County Council | ITT NCC/2025/114", "header"),
        ("OFFICIAL", "footer"),
    ]


def test_docx_tender_reports_ten_percent_with_clause_locators(tmp_path: Path) -> None:
    path = tmp_path / "itt.docx"
    path.write_bytes(make_docx())

    out = Analyser().assess_path(path).to_dict()

    assert out["document"]["format"] == "docx"
    assert out["social_value_weight"]["effective_pct"] == 10.0
    assert out["verdict"] == "substantive"
    assert "ocds" not in out
    by_text = {c["text"]: c for c in out["clauses"]}
    kpi = next(
        c
        for t, c in by_text.items()
        if t.startswith("The Contractor shall create two apprenticeships")
    )
    assert kpi["page"] is None
    assert kpi["locator"] == "§5.3 Social value ¶2"
    assert kpi["heading_path"][-1] == "5.3 Social value"
    assert by_text["Social value | 10%"]["locator"] == "§6. Evaluation, table 1 row 5"


def test_docx_is_detected_from_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "tender.bin"
    path.write_bytes(make_docx())
    assert read_tender(path).format == "docx"


def test_corrupt_docx_is_an_input_error() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "this is not XML")
    with pytest.raises(InputError, match="corrupt or unreadable DOCX"):
        read_bytes(buffer.getvalue(), "broken.docx")


def test_paragraphs_inside_content_controls_are_read() -> None:
    from docx.oxml import OxmlElement

    d = docx.Document()
    d.add_heading("Social value", level=1)
    paragraph = d.add_paragraph("The supplier shall deliver 10 apprenticeships.")
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    control.append(content)
    paragraph._p.addprevious(control)
    content.append(paragraph._p)  # the clause now sits in a content control, as in templates
    buffer = io.BytesIO()
    d.save(buffer)

    lines = read_bytes(buffer.getvalue(), "template.docx").pages[0].lines
    assert [(ln.text, ln.locator) for ln in lines] == [
        ("Social value", "§Social value"),
        ("The supplier shall deliver 10 apprenticeships.", "§Social value ¶1"),
    ]
