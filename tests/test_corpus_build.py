"""Tests for the corpus renderers, validation, page location and splits (corpus/)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import docx
import pypdfium2 as pdfium
import pytest
import yaml

from corpus.build import assign_splits, build, locate_pages, page_texts
from corpus.render import render_docx, render_pdf
from corpus.schema import iter_clauses, validate

N_ROWS = 120


def make_doc(span: tuple[int, int] | None = None) -> dict[str, Any]:
    """A small two-column source with a long ruled table (optionally a vertical span)."""
    rows: list[Any] = []
    for i in range(N_ROWS):
        middle = f"b{i}"
        if span and span[0] <= i <= span[1]:
            middle = "Merged evidence cell" if i == span[0] else ""
        rows.append([f"Row {i:03d} alpha", middle, f"{i}%"])
    rows[0] = {
        "cells": rows[0],
        "label": "substantive",
        "role": "weight",
        "reasons": ["weight_ge_10"],
    }
    table: dict[str, Any] = {
        "caption": "Table 1: Award criteria",
        "ruled": True,
        "header": ["Criterion", "Detail", "Weight"],
        "rows": rows,
    }
    if span:
        table["spans"] = [[1, span[0] + 1, 1, span[1] + 1]]  # row 0 is the header
    return {
        "id": "test-001",
        "title": "Invitation to Tender: Test Service",
        "buyer": "Testshire County Council",
        "jurisdiction": "england_council",
        "style": "unit test",
        "date": "2025-06-12",
        "value_gbp": 100000,
        "formats": ["pdf", "docx"],
        "layout": {"columns": 2, "header": "Testshire CC | ITT ref T/1", "footer": "OFFICIAL"},
        "labels": {
            "verdict": "substantive",
            "sv_weight": {"effective_pct": 12.0, "basis": "stated", "derivation": "12% stated"},
            "weightings": [
                {
                    "criterion": "Social Value",
                    "value": 12,
                    "unit": "percent",
                    "of": "total",
                    "effective_pct": 12,
                }
            ],
            "dimensions": {"D1": 3, "D2": 2, "D3": 2, "D4": 3, "D5": 1, "D6": 3, "D7": 2, "D8": 1},
        },
        "body": [
            {"h1": "1 Introduction"},
            {"p": "The Council’s service costs £5,000 – “quoted” — or €6,000."},
            {"h2": "1.1 Social value"},
            {
                "p": "Social value is worth 12% of the total score and is scored 0-5.",
                "label": "substantive",
                "role": "weight",
                "reasons": ["weight_ge_10", "evaluability"],
            },
            {
                "bullets": [
                    "Value for money will be assessed on whole-life cost.",
                    {
                        "text": "Suppliers may consider local employment where possible.",
                        "label": "token",
                        "role": "requirement",
                        "reasons": ["modal_verb"],
                    },
                ]
            },
            {"h1": "2 Evaluation"},
            {"table": table},
            {"page_break": True},
            {"numbered": ["3.1 The contract runs for three years."]},
        ],
    }


def page_of(texts: list[str], needle: str) -> list[int]:
    """1-based pages whose raw text contains ``needle``."""
    return [i + 1 for i, text in enumerate(texts) if needle in text]


def test_pdf_text_pages_and_span(tmp_path: Path) -> None:
    plain = make_doc()
    assert validate(plain, "test-001") == []
    render_pdf(plain, tmp_path / "plain.pdf")
    texts = page_texts(tmp_path / "plain.pdf")
    # first table row that starts on page 2 without a span: put a span across that break
    first_on_2 = next(i for i in range(N_ROWS) if page_of(texts, f"Row {i:03d} alpha") == [2])
    span = (first_on_2 - 3, first_on_2 + 2)
    doc = make_doc(span)
    assert validate(doc, "test-001") == []
    path = tmp_path / "test-001.pdf"
    render_pdf(doc, path)
    texts = page_texts(path)
    n = len(texts)
    assert n >= 3  # the table runs over at least two pages, then the forced page break
    joined = " ".join(" ".join(t.split()) for t in texts)
    assert "Invitation to Tender: Test Service" in joined
    assert "The Council’s service costs £5,000 – “quoted” — or €6,000." in joined
    assert "Testshire CC | ITT ref T/1" in texts[1]
    assert f"Page 2 of {n}" in texts[1] and "OFFICIAL" in texts[2]
    # the header row is repeated on every page the table runs over
    assert page_of(texts, "Criterion") == list(range(1, n))
    # the spanned rows are kept together (reportlab does not split inside a span)
    span_pages = {
        p for i in range(span[0], span[1] + 1) for p in page_of(texts, f"Row {i:03d} alpha")
    }
    assert span_pages == {2}
    assert page_of(texts, "Merged evidence cell") == [2]

    clauses = iter_clauses(doc)
    pages, n_pages, unmatched = locate_pages(path, doc, clauses)
    assert n_pages == n and unmatched == []
    for clause, page in zip(clauses, pages, strict=True):
        needle = clause.text.split(" | ")[0] if clause.kind == "table_row" else clause.text[:20]
        assert page_of(texts, needle) == [page], clause.text
    by_text = {c.text: p for c, p in zip(clauses, pages, strict=True)}
    assert by_text["3.1 The contract runs for three years."] == n
    assert by_text[f"Row {span[0]:03d} alpha | Merged evidence cell | {span[0]}%"] == 2
    first = clauses[0]
    assert first.heading_path == "1 Introduction" and first.kind == "paragraph"
    assert clauses[1].heading_path == "1 Introduction > 1.1 Social value"
    assert clauses[3].label == "token" and clauses[3].kind == "bullet"
    row0 = clauses[4]
    assert row0.kind == "table_row" and row0.text == "Row 000 alpha | b0 | 0%"
    assert row0.heading_path == "2 Evaluation" and row0.label == "substantive"


def test_docx_styles_and_merge(tmp_path: Path) -> None:
    doc = make_doc((5, 7))
    path = tmp_path / "test-001.docx"
    render_docx(doc, path)
    word = docx.Document(str(path))
    styles = {(p.style.name, p.text) for p in word.paragraphs if p.style is not None}
    assert ("Title", "Invitation to Tender: Test Service") in styles
    assert ("Heading 1", "1 Introduction") in styles
    assert ("Heading 2", "1.1 Social value") in styles
    assert ("List Bullet", "Value for money will be assessed on whole-life cost.") in styles
    assert ("List Number", "3.1 The contract runs for three years.") in styles
    table = word.tables[0]
    assert table.style is not None and table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["Criterion", "Detail", "Weight"]
    top, bottom = table.cell(6, 1), table.cell(8, 1)  # data rows 5..7 (+1 for the header)
    assert top._tc is bottom._tc and top.text == "Merged evidence cell"
    assert word.sections[0].header.paragraphs[0].text == "Testshire CC | ITT ref T/1"
    assert word.core_properties.author == "Testshire County Council"
    assert word.core_properties.created is not None
    assert word.core_properties.created.year == 2025


def test_render_is_deterministic(tmp_path: Path) -> None:
    doc = make_doc((5, 7))
    for name in ("a", "b"):
        render_pdf(doc, tmp_path / f"{name}.pdf")
        render_docx(doc, tmp_path / f"{name}.docx")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    pdf = pdfium.PdfDocument(str(tmp_path / "a.pdf"))
    assert len(pdf) >= 3
    pdf.close()


def test_validation_rejects_bad_label_and_verdict() -> None:
    doc = make_doc()
    bad = copy.deepcopy(doc)
    bad["body"][3]["label"] = "substantial"
    errors = validate(bad, "test-001")
    assert any("body[3]" in e and "substantial" in e for e in errors), errors

    token_only = copy.deepcopy(doc)
    token_only["labels"]["verdict"] = "token"
    errors = validate(token_only, "test-001")
    assert any("verdict" in e and "body[3]" in e for e in errors), errors

    absent = copy.deepcopy(doc)
    absent["labels"]["verdict"] = "absent"
    assert any("verdict" in e for e in validate(absent, "test-001"))

    assert any("file name" in e for e in validate(doc, "other-name"))
    bad_role = copy.deepcopy(doc)
    bad_role["body"][1]["role"] = "background"  # a not_social_value paragraph
    assert any("body[1]" in e and "role" in e for e in validate(bad_role, "test-001"))


def test_splits_are_stable_and_balanced() -> None:
    verdicts = {f"eng-{i:03d}": ("substantive" if i % 2 else "token") for i in range(40)}
    first = assign_splits(verdicts)
    assert assign_splits(verdicts) == first
    assert sum(map(len, first.values())) == 40
    assert 22 <= len(first["train"]) <= 26 and 6 <= len(first["test"]) <= 10
    previous = {i: s for s, ids in first.items() for i in ids}
    more = verdicts | {f"sco-{i:03d}": "absent" for i in range(10)}
    second = assign_splits(more, previous)
    assert all(i in second[s] for i, s in previous.items())


def test_build_end_to_end(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    doc = make_doc()
    (sources / "test-001.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True))
    broken = copy.deepcopy(doc)
    broken["id"] = "test-002"
    broken["labels"]["verdict"] = "absent"
    (sources / "test-002.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True))
    built, errors = build(sources, tmp_path / "out", root=tmp_path)
    assert [b.doc["id"] for b in built] == ["test-001"]
    assert len(errors) >= 1 and all(e.startswith("sources/test-002.yaml: ") for e in errors)
    records = [json.loads(line) for line in (tmp_path / "out/labels/clauses.jsonl").open()]
    assert records[0]["clause_id"] == "test-001#1" and records[0]["page"] == 1
    assert {r["kind"] for r in records} == {"paragraph", "bullet", "table_row", "numbered"}
    docs = [json.loads(line) for line in (tmp_path / "out/labels/documents.jsonl").open()]
    assert docs[0]["files"] == ["out/rendered/test-001.pdf", "out/rendered/test-001.docx"]
    assert docs[0]["n_sv_clauses"] == 3 and docs[0]["split"] == "train"
    splits = json.loads((tmp_path / "out/splits.json").read_text())
    assert splits["seed"] == 20261125 and splits["train"] == ["test-001"]


@pytest.mark.parametrize("text", ["ŵ ŷ ≥ 10% → ✓"])
def test_unsupported_characters_are_mapped(tmp_path: Path, text: str) -> None:
    doc = make_doc()
    doc["body"][1]["p"] = text
    render_pdf(doc, tmp_path / "x.pdf")
    assert "w y >= 10% -> Yes" in " ".join(page_texts(tmp_path / "x.pdf")[0].split())


def test_unruled_table_columns_do_not_break_their_words(make_pdf) -> None:  # type: ignore[no-untyped-def]
    from analyser.ingest import read_tender

    rows = [["Quality", "QA1", "Route planning", "300"], ["Commercial", "PR1", "Daily rate", "500"]]
    path = make_pdf(
        [
            {
                "table": {
                    "ruled": False,
                    "header": ["Section", "Question", "Subject", "Marks"],
                    "rows": rows,
                }
            }
        ],
        columns=2,
    )
    words = read_tender(path).text.split()
    assert "Commercial" in words and "Marks" in words
