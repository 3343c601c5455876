"""Scanned PDFs: OCR of pages without a text layer, and what happens without Tesseract."""

from __future__ import annotations

import io
import shutil

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from analyser.errors import InputError
from analyser.ingest import ocr, read_bytes
from analyser.pipeline import Analyser

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract is not installed"
)


PERCENT_ROWS = [
    ("Criterion", "Weighting"),
    ("Price", "40%"),
    ("Quality", "50%"),
    ("Social Value", "10%"),
]
# bare numbers: only the header says they are percentages
BARE_ROWS = [
    ("Ref Criterion", "Weighting (% of total score)"),
    ("AC1 Price", "40"),
    ("AC2 Quality", "50"),
    ("AC3 Social value", "10"),
]


def text_pdf(rows: list[tuple[str, str]] = PERCENT_ROWS) -> bytes:
    """Two pages: an evaluation section with a ruled weighting table, and contract terms."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 780, "4. Evaluation criteria")
    c.setFont("Helvetica", 11)
    c.drawString(72, 750, "Tenders will be evaluated using the criteria and weightings below.")
    y = 715
    for name, weight in rows:
        c.rect(72, y - 6, 250, 20)
        c.rect(322, y - 6, 170, 20)
        c.drawString(78, y, name)
        c.drawString(328, y, weight)
        y -= 20
    c.drawString(72, 600, "Social value commitments will be included in the contract as KPIs.")
    c.showPage()
    c.setFont("Helvetica", 11)
    c.drawString(72, 780, "5. Contract terms")
    c.drawString(72, 760, "The supplier shall report quarterly on apprenticeships created.")
    c.showPage()
    c.save()
    return buffer.getvalue()


def scanned(pdf: bytes, pages: list[int] | None = None) -> bytes:
    """The PDF with the given pages (default: all) replaced by pictures of themselves, the way a
    scanner would make them; other pages keep their text layer."""
    source = pdfium.PdfDocument(pdf)
    chosen = set(pages or range(1, len(source) + 1))
    out = pdfium.PdfDocument.new()
    for number in range(1, len(source) + 1):
        if number in chosen:
            bitmap = source[number - 1].render(scale=200 / 72).to_pil().convert("L")
            image_pdf = io.BytesIO()
            bitmap.save(image_pdf, format="PDF", resolution=200.0)
            out.import_pages(pdfium.PdfDocument(image_pdf.getvalue()))
        else:
            out.import_pages(source, [number - 1])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def analyser() -> Analyser:
    return Analyser()


@needs_tesseract
@pytest.mark.parametrize("rows", [PERCENT_ROWS, BARE_ROWS], ids=["percent", "bare-numbers"])
def test_image_only_pdf_reports_ten_percent(
    analyser: Analyser, rows: list[tuple[str, str]]
) -> None:
    out = analyser.assess_bytes(scanned(text_pdf(rows)), "scan.pdf").to_dict()

    assert out["document"]["format"] == "pdf"
    assert out["social_value_weight"]["effective_pct"] == 10.0
    assert out["social_value_weight"]["evidence"][0]["page"] == 1
    assert "pages 1, 2 read by OCR" in out["warnings"]
    assert any("apprenticeships" in c["text"] and c["page"] == 2 for c in out["clauses"])


@needs_tesseract
def test_only_pages_without_text_are_read_by_ocr() -> None:
    tender = read_bytes(scanned(text_pdf(), pages=[2]), "mixed.pdf")

    assert "page 2 read by OCR" in tender.warnings
    assert "quarterly on apprenticeships" in tender.pages[1].text
    assert tender.pages[0].lines[0].bottom > 0  # page 1 still read from its text layer


def test_without_tesseract_the_assessment_completes_with_a_warning(
    analyser: Analyser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)

    out = analyser.assess_bytes(scanned(text_pdf(), pages=[2]), "mixed.pdf").to_dict()

    assert out["verdict"] in ("token", "substantive")
    assert out["social_value_weight"]["effective_pct"] == 10.0  # page 1 has its text layer
    (warning,) = [w for w in out["warnings"] if "page 2" in w]
    assert "not analysed" in warning and "OCR is not available" in warning


def test_without_tesseract_an_all_image_pdf_is_an_input_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)

    with pytest.raises(InputError, match="no text layer"):
        read_bytes(scanned(text_pdf()), "scan.pdf")


@pytest.mark.parametrize(
    "row",
    [
        "Social Value 10%",
        "Social value 10 %",
        "Social Value | 10%",
        "Social Value 10%|",
        "Social value 10 per cent",
    ],
)
def test_ocr_style_weight_rows_fall_back_to_the_line_parser(analyser: Analyser, row: str) -> None:
    """OCR'd tables lose their ruling, so weights come from rows read as lines of text."""
    page = (
        "4. Evaluation criteria\n"
        "Tenders will be evaluated using the criteria below.\n"
        f"Criterion Weighting\nPrice 40%\nQuality 50%\n{row}\n"
        "Social value commitments will be included in the contract as KPIs.\n"
    )
    lines = ocr.text_lines(page)
    text = "\n".join(line.text for line in lines)

    out = analyser.assess_bytes(text.encode(), "ocr.txt").to_dict()

    assert out["social_value_weight"]["effective_pct"] == 10.0


def test_text_lines_put_back_paragraph_breaks() -> None:
    text = (
        "The Council will evaluate tenders on price and quality and will publish the results\n"
        "of the evaluation to all bidders.\n"
        "Social value commitments form part of the contract and will be reported every quarter\n"
        "to the contract manager.\n"
    )
    assert [line.text for line in ocr.text_lines(text)] == [
        "The Council will evaluate tenders on price and quality and will publish the results",
        "of the evaluation to all bidders.",
        "",
        "Social value commitments form part of the contract and will be reported every quarter",
        "to the contract manager.",
    ]


def test_remove_rules_erases_table_lines_and_keeps_letters() -> None:
    image = Image.new("L", (1000, 1000), 255)
    draw = ImageDraw.Draw(image)
    draw.line([(50, 500), (950, 500)], fill=0, width=3)  # a table rule
    draw.line([(500, 50), (500, 950)], fill=0, width=3)
    draw.rectangle([100, 100, 120, 130], fill=0)  # a letter-sized mark

    cleaned = ocr.remove_rules(image)

    assert cleaned.getpixel((700, 500)) == 255
    assert cleaned.getpixel((500, 700)) == 255
    assert cleaned.getpixel((110, 115)) == 0


def test_weight_tables_are_rebuilt_from_ocr_lines() -> None:
    text = (
        "Table 3.1: Award criteria\n"
        "| Ref Award criterion | Weighting (% of total score) |\n"
        "AC1_ Service delivery model and demand management 20\n"
        "\n"
        "AC4 Technology, data protection and\n"
        "information security 30\n"
        "AC6__ Social value (PPN 002: MAC 1a and MAC 1d) 10\n"
        "AC7 Price 40\n"
        "Quality 50 / Social Value 10 / Price 40 100\n"
        "3.2 Stage Date\n"
        "Tender return 12 January 2024\n"
    )
    (table,) = ocr.weight_tables(ocr.text_lines(text), page=3)

    assert table.page == 3
    assert table.rows == (
        ("Ref Award criterion", "Weighting (% of total score)"),
        ("AC1 Service delivery model and demand management", "20"),
        ("AC4 Technology, data protection and information security", "30"),
        ("AC6 Social value (PPN 002: MAC 1a and MAC 1d)", "10"),
        ("AC7 Price", "40"),
    )


@needs_tesseract
def test_blank_page_is_reported_not_read() -> None:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.drawString(72, 780, "Social value is worth 10% of the total score.")
    c.showPage()
    c.showPage()  # an empty page: no text layer, nothing to read
    c.save()

    tender = read_bytes(buffer.getvalue(), "blank.pdf")

    assert tender.warnings == ("page 2 has no text layer and OCR found no text; not analysed",)
