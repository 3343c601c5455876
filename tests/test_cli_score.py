"""`sva score`: the output contract end to end on generated PDFs, and every bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from analyser.cli import main
from tests.conftest import MakePdf

CONTRACT_KEYS = {
    "schema_version", "document", "verdict", "score", "social_value_weight", "weightings",
    "clauses", "dimensions", "flags", "recommendations", "warnings",
}  # fmt: skip

EVALUATION_TABLE = [
    {"h1": "4 Evaluation"},
    {"p": "Tenders will be evaluated against the award criteria in the table below."},
    {
        "table": {
            "ruled": True,
            "header": ["Criterion", "Weighting"],
            "rows": [["Price", "40%"], ["Quality", "50%"], ["Social Value", "10%"]],
        }
    },
    {"h1": "5 Social value"},
    {
        "p": "Tenderers must commit to at least six apprenticeship starts per contract year for "
        "residents of the borough, reported quarterly against the agreed KPIs."
    },
]


def score_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["score", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_evaluation_table_weight_and_contract_fields(
    make_pdf: MakePdf, capsys: pytest.CaptureFixture[str]
) -> None:
    result = score_json(make_pdf(EVALUATION_TABLE), capsys)
    assert set(result) >= CONTRACT_KEYS
    assert result["document"]["format"] == "pdf" and result["document"]["pages"] == 1
    assert len(result["document"]["sha256"]) == 64
    sv = result["social_value_weight"]
    assert sv["effective_pct"] == 10.0 and sv["basis"] == "stated"
    assert sv["evidence"][0]["page"] == 1
    criteria = {w["criterion"]: w["effective_pct"] for w in result["weightings"]}
    assert criteria["Price"] == 40.0 and criteria["Quality"] == 50.0
    texts = [c["text"] for c in result["clauses"]]
    assert any("apprenticeship starts" in t for t in texts)
    assert result["verdict"] == "substantive"
    assert {d["id"] for d in result["dimensions"]} == {f"D{i}" for i in range(1, 9)}
    assert all(c["label"] in ("token", "substantive") for c in result["clauses"])


def test_nested_weight_in_prose(make_pdf: MakePdf, capsys: pytest.CaptureFixture[str]) -> None:
    body = [
        {"h1": "3 Award criteria"},
        {"p": "The contract will be awarded on the basis of Quality 60% and Price 40%."},
        {"p": "Within the quality envelope, social value carries 20% of the quality score; the "
              "remaining quality marks are split across the method statements."},
    ]  # fmt: skip
    sv = score_json(make_pdf(body), capsys)["social_value_weight"]
    assert sv["effective_pct"] == 12.0
    assert sv["basis"] == "derived"


def test_document_without_social_value(
    make_pdf: MakePdf, capsys: pytest.CaptureFixture[str]
) -> None:
    body = [
        {"h1": "1 Specification"},
        {
            "p": "The supplier shall deliver 4,000 reams of A4 recycled paper to the depot each month."
        },
        {
            "p": "Tenders will be evaluated on Price 70% and Quality 30%. Value for money is paramount."
        },
    ]
    result = score_json(make_pdf(body), capsys)
    assert result["verdict"] == "absent"
    assert result["social_value_weight"] == {
        "effective_pct": None, "basis": "none", "evidence": [], "derivation": "no social value content found"
    }  # fmt: skip
    assert result["clauses"] == []


def test_multipage_headings_and_numbered_clauses(
    make_pdf: MakePdf, capsys: pytest.CaptureFixture[str]
) -> None:
    filler = [{"p": f"{i}.1 The Contractor shall keep the premises clean and tidy at all times, "
                    "and shall comply with the Council's site rules and the health and safety plan."}
              for i in range(1, 4)]  # fmt: skip
    body = [
        {"h1": "1 Introduction"},
        *filler,
        {"page_break": True},
        {"h1": "2 Specification"},
        *filler,
        {"page_break": True},
        {"h1": "5 Evaluation"},
        {"h2": "5.3 Social value"},
        {"numbered": [
            "5.3.1 Social value is worth 15% of the total score.",
            "5.3.2 Commitments will be incorporated into Schedule 7 (Social Value Delivery Plan) and "
            "reported quarterly; failure to deliver triggers a rectification plan.",
        ]},
    ]  # fmt: skip
    result = score_json(make_pdf(body), capsys)
    assert result["document"]["pages"] == 3
    sv_clauses = {c["text"][:7]: c for c in result["clauses"]}
    assert sv_clauses["5.3.1 S"]["page"] == 3
    assert sv_clauses["5.3.2 C"]["heading_path"] == ["5 Evaluation", "5.3 Social value"]
    assert result["social_value_weight"]["effective_pct"] == 15.0
    assert result["verdict"] == "substantive"


def test_human_summary_is_the_default(
    make_pdf: MakePdf, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", str(make_pdf(EVALUATION_TABLE))]) == 0
    out = capsys.readouterr().out
    assert "Verdict:" in out and "10% of the total score" in out and "D1" in out


def _encrypted_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 720, "Social value 10%")
    c.save()
    return path


BAD_INPUTS = {
    "missing": (lambda d: d / "nope.pdf", "file not found"),
    "empty": (lambda d: _write(d / "empty.pdf", b""), "file is empty"),
    "not a pdf": (lambda d: _write(d / "fake.pdf", bytes(range(256)) * 8), "unsupported type"),
    "corrupt": (
        lambda d: _write(d / "broken.pdf", b"%PDF-1.7\n1 0 obj <</Type /Catalog>>\n%%garbage"),
        "corrupt",
    ),
    "encrypted": (lambda d: _encrypted_pdf(d / "locked.pdf"), "encrypted"),
    "image": (
        lambda d: _write(d / "scan.png", b"\x89PNG\r\n\x1a\n" + bytes(300)),
        "unsupported type",
    ),
    "zip": (lambda d: _write(d / "pack.zip", b"PK\x03\x04" + bytes(100)), "zip"),
    "folder": (lambda d: d, "folder"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_one_line_exit_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, expected = BAD_INPUTS[case]
    path = make(tmp_path)
    assert main(["score", str(path)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert str(path) in lines[0] and expected in lines[0]
    assert captured.out == ""


def test_bad_input_as_a_real_process(tmp_path: Path) -> None:
    broken = _write(tmp_path / "broken.pdf", b"%PDF-1.4 truncated")
    proc = subprocess.run(
        [sys.executable, "-m", "analyser.cli", "score", str(broken), "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["score", "--help"], ["audit", "--help"], ["serve", "--help"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "sva score itt.pdf --json" in out and "exit status" in out
