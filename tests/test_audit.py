"""Batch audit (issue 8): the Done-when checks with the real analyser.

- 40 documents (30 loose, ten inside a zip) plus one broken PDF give 41 rows, the broken
  one with its error, and the outputs (CSV, XLSX, summary, standalone HTML report);
- a run killed with SIGKILL mid-way, run again, completes with no lost or duplicated rows
  and redoes nothing it had finished.
"""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from analyser.audit import audit, engine_fingerprint, read_status, run_audit

ROOT = Path(__file__).resolve().parents[1]
RENDERED = ROOT / "corpus" / "rendered"


def text_tender(n: int) -> str:
    """A short plain-text tender, distinct for each ``n``: substantive, token or absent."""
    head = f"Invitation to Tender: Grounds Maintenance Lot {n}\nReference ITT/TST/{n:03d}\n\n"
    kind = n % 3
    if kind == 0:
        weight = 10 + n % 6
        return head + (
            "4 Award criteria\n"
            f"Price {60 - weight}%. Quality 40%. Social value {weight}% of the total score.\n\n"
            "5 Social value\n"
            f"5.1 The Contractor shall create {2 + n % 5} apprenticeships for residents of the "
            "borough each contract year and report progress quarterly against KPI SV1.\n"
            "5.2 Failure to meet the social value KPIs is a service failure under clause 12.\n"
        )
    if kind == 1:
        return head + (
            "4 Award criteria\nPrice 70%. Quality 30%.\n\n"
            "5 Social value\nSocial value may be taken into account where appropriate.\n"
        )
    return head + (
        "4 Award criteria\nPrice 60%. Quality 40%.\n\n"
        "5 Service\nThe Contractor shall cut the grass fortnightly between April and October.\n"
    )


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 loose documents (26 text, 3 PDF, 1 DOCX), one broken PDF, and a zip of ten more."""
    root = tmp_path_factory.mktemp("tenders")
    council = root / "council"
    (council / "2025").mkdir(parents=True)
    for n in range(26):
        folder = council / "2025" if n % 2 else council
        (folder / f"tender-{n:02d}.txt").write_text(text_tender(n), encoding="utf-8")
    for name in ("eng-009.pdf", "sco-004.pdf", "wal-011.pdf", "cg-003.docx"):
        (council / name).write_bytes((RENDERED / name).read_bytes())
    (council / "broken.pdf").write_bytes((RENDERED / "cg-004.pdf").read_bytes()[:2500])
    with zipfile.ZipFile(root / "region.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for n in range(100, 110):
            zf.writestr(f"district/tender-{n}.txt", text_tender(n))
    return root


def test_forty_documents_one_broken_ten_in_a_zip_give_41_rows(
    documents: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "audit"
    status = run_audit(
        [documents / "council", documents / "region.zip"], out, workers=2, buyer="Northshire"
    )
    assert status == 0
    err = capsys.readouterr().err
    assert "41 documents" in err and "1 failed" in err

    rows = pd.read_csv(out / "assessments.csv")
    assert len(rows) == 41
    assert rows["file"].is_unique
    assert sum(rows["file"].str.contains("region.zip!district/tender-")) == 10
    broken = rows[rows["file"].str.endswith("broken.pdf")]
    assert len(broken) == 1 and "PDF" in broken["error"].iloc[0]
    good = rows[~rows["file"].str.endswith("broken.pdf")]
    assert good["error"].isna().all()
    assert set(good["verdict"]) == {"absent", "token", "substantive"}
    assert (good["buyer"] == "Northshire").sum() >= 30  # documents that do not name a buyer
    for column in ("title", "pages", "score", "band", "effective_weight_pct", "weight_basis",
                   "D1", "D8", "flags"):  # fmt: skip
        assert column in rows.columns
    substantive = good[good["file"].str.contains("tender-00.txt")].iloc[0]
    assert substantive["verdict"] == "substantive" and substantive["effective_weight_pct"] == 10.0

    sheet = pd.read_excel(out / "assessments.xlsx", sheet_name=None)
    assert len(sheet["assessments"]) == 41 and "summary" in sheet

    summary = pd.read_csv(out / "summary.csv")
    assert {"buyer", "documents", "share_token", "share_substantive", "share_absent",
            "median_score", "median_effective_weight_pct",
            "share_weight_at_or_above_10pct"} <= set(summary.columns)  # fmt: skip
    assert summary["documents"].iloc[0] + (summary["documents"].iloc[1:-1].sum()) >= 30

    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") >= 3 and "10% benchmark" in html
    assert "Good practice to share" in html and "<blockquote>" in html
    assert "apprenticeships" in html  # a substantive clause quoted
    assert "Weakest tenders" in html and "broken.pdf" in html
    assert "<script" not in html and 'src="http' not in html and "<link" not in html

    status_info = read_status(out)
    assert status_info is not None and status_info["state"] == "finished"
    assert status_info["total"] == 41 and status_info["failed"] == 1

    # Running again answers everything from the cache, with the same rows.
    fingerprint = engine_fingerprint()
    again = audit([documents / "council", documents / "region.zip"], out, workers=2,
                  buyer="Northshire")  # fmt: skip
    assert len(again.assessments) == 41
    if engine_fingerprint() == fingerprint:  # the analyser's code did not change meanwhile
        assert again.assessed == 0 and again.cached == 41  # the broken one too
        pd.testing.assert_frame_equal(pd.read_csv(out / "assessments.csv"), rows)


def _results(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT sha256 || engine, created_at FROM results"))


def test_killed_mid_run_then_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "pdfs"
    corpus.mkdir()
    pdfs = sorted(RENDERED.glob("*.pdf"))[:14]
    for pdf in pdfs:
        (corpus / pdf.name).write_bytes(pdf.read_bytes())
    out = tmp_path / "audit"
    db = out / "audit.sqlite"
    fingerprint = engine_fingerprint()
    command = [sys.executable, "-m", "analyser.cli", "audit", str(corpus), "--out", str(out),
               "--workers", "1"]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    finished_before = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                finished_before = len(_results(db))
            except sqlite3.Error:
                finished_before = 0
            if finished_before >= 2:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "the audit finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stderr.close()  # type: ignore[union-attr]
    before = _results(db)
    assert 2 <= len(before) < len(pdfs)
    assert not (out / "assessments.csv").exists()
    assert read_status(out)["state"] == "interrupted"  # type: ignore[index]

    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert rerun.returncode == 0, rerun.stderr
    rows = pd.read_csv(out / "assessments.csv")
    assert len(rows) == len(pdfs) and rows["file"].is_unique
    assert sorted(Path(f).name for f in rows["file"]) == sorted(p.name for p in pdfs)
    assert rows["error"].isna().all() and rows["verdict"].notna().all()
    after = _results(db)
    for key, created in before.items():  # nothing finished was lost or redone
        assert after[key] == created
    if engine_fingerprint() == fingerprint:  # the analyser's code did not change meanwhile
        assert len(after) == len(pdfs)
        assert f"{len(before)} from cache" in rerun.stderr
    status_info = read_status(out)
    assert status_info is not None and status_info["state"] == "finished"
    assert status_info["done"] == len(pdfs) and status_info["pending"] == 0


def test_identical_files_are_assessed_once_but_each_has_its_row(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(text_tender(3), encoding="utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("c.txt", text_tender(3))
    (folder / "more.zip").write_bytes(buf.getvalue())
    result = audit([folder], tmp_path / "out", workers=1)
    assert list(result.assessments["file"].map(lambda f: f.rsplit("/", 1)[-1])) == [
        "a.txt", "b.txt", "more.zip!c.txt",
    ]  # fmt: skip
    assert result.assessments["sha256"].nunique() == 1
    assert result.assessments["error"].isna().all()
    with sqlite3.connect(tmp_path / "out" / "audit.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM results").fetchone()[0] == 1
