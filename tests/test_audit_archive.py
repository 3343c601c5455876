"""Batch audit: archive safety (zip slip, zip bombs, nesting), crash isolation, exit status.

These run a stand-in analyser in the worker processes (fast and deterministic); the real
analyser is exercised in ``test_audit.py``.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analyser.audit import ArchiveLimits, audit, collect, run_audit
from analyser.cli import main as sva
from analyser.errors import InputError

MB = 1024 * 1024


class FakeAssessment:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data = name, data

    def to_dict(self) -> dict[str, Any]:
        substantive = b"apprenticeships" in self.data
        score = 70 if substantive else 10
        return {
            "schema_version": "1",
            "document": {
                "name": self.name,
                "sha256": "x",
                "format": "text",
                "pages": 1,
                "buyer": None,
                "title": self.name,
            },  # fmt: skip
            "verdict": "substantive" if substantive else "token",
            "score": score,
            "band": "Good" if substantive else "Token",
            "social_value_weight": {
                "effective_pct": 12.0 if substantive else None,
                "basis": "stated" if substantive else "unstated",
            },  # fmt: skip
            "clauses": [
                {
                    "id": "c1",
                    "page": 1,
                    "text": self.data.decode(errors="replace")[:80],
                    "label": "substantive" if substantive else "token",
                    "role": "requirement",
                    "confidence": 0.9,
                }
            ],  # fmt: skip
            "dimensions": [
                {"id": f"D{i}", "name": f"Dimension {i}", "score": score / 10, "max": 10}
                for i in range(1, 9)
            ],  # fmt: skip
            "flags": [],
            "recommendations": [{"dimension": "D3", "text": "Set measurable targets."}],
        }


class FakeAnalyser:
    """Stands in for ``analyser.pipeline.Analyser`` in the worker processes."""

    def assess_path(self, path: str, name: str) -> FakeAssessment:
        return self.assess_bytes(Path(path).read_bytes(), name)

    def assess_bytes(self, data: bytes, name: str) -> FakeAssessment:
        if b"CRASH" in data:
            os._exit(3)  # a worker dying (segfault, out of memory)
        if b"BROKEN" in data:
            raise InputError(name, "corrupt or unreadable PDF")
        return FakeAssessment(name, data)


def zip_bytes(members: dict[str, bytes], *, encrypted: tuple[str, ...] = ()) -> bytes:
    """A zip of ``members`` (names kept as given); ``encrypted`` members get the encryption flag."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    out = bytearray(buf.getvalue())
    for name in encrypted:  # zipfile cannot encrypt: set the flag in both headers by hand
        encoded = name.encode()
        for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
            start = 0
            while (start := out.find(signature, start)) != -1:
                if out[start + name_at : start + name_at + len(encoded)] == encoded:
                    out[start + flag_at] |= 0x1
                start += 4
    return bytes(out)


TENDER = b"Invitation to Tender. The Contractor shall create 4 apprenticeships a year."


def hostile_zip(tmp_path: Path) -> Path:
    inner = zip_bytes({"inner/ok.txt": TENDER + b" inner"})
    deeper = zip_bytes({"deep.zip": zip_bytes({"x.txt": TENDER + b" deep"})})
    path = tmp_path / "hostile.zip"
    path.write_bytes(
        zip_bytes(
            {
                "ok.txt": TENDER,
                "../escape.txt": TENDER + b" slip",
                "/etc/absolute.txt": TENDER + b" abs",
                "a/../../up.txt": TENDER + b" up",
                "C:/windows.txt": TENDER + b" win",
                "bomb.txt": b"\0" * (20 * MB),  # ~20 KB compressed: ratio about 1000:1
                "nested.zip": inner,  # one level down: opened
                "nested2.zip": deeper,  # an archive inside it: refused
                "secret.txt": TENDER + b" secret",
                "__MACOSX/._ok.txt": b"resource fork",
            },
            encrypted=("secret.txt",),
        )
    )
    return path


def test_zip_slip_bomb_and_deep_nesting_are_refused_each_with_its_error(tmp_path: Path) -> None:
    path = hostile_zip(tmp_path)
    result = audit([path], tmp_path / "out", workers=1, analyser_factory=FakeAnalyser)
    rows = pd.read_csv(tmp_path / "out" / "assessments.csv")
    errors = dict(zip(rows["file"].map(lambda f: f.split("!", 1)[1]), rows["error"], strict=True))
    assert pd.isna(errors["ok.txt"]) and pd.isna(errors["nested.zip!inner/ok.txt"])
    for slip in ("../escape.txt", "/etc/absolute.txt", "a/../../up.txt", "C:/windows.txt"):
        assert "escapes the archive" in errors[slip], slip
    assert "zip bomb" in errors["bomb.txt"]
    assert "nested more than 1 level" in errors["nested2.zip!deep.zip"]
    assert "encrypted" in errors["secret.txt"]
    assert not any("__MACOSX" in f for f in errors)
    assert len(rows) == 9 and result.failed == 7
    assert all(str(e).startswith("refused:") for f, e in errors.items() if f not in
               ("ok.txt", "nested.zip!inner/ok.txt"))  # fmt: skip


def test_an_archive_that_would_expand_beyond_the_limit_is_refused_past_it(tmp_path: Path) -> None:
    members = {f"t{n}.txt": TENDER + b" %d " % n + b"x" * 400_000 for n in range(5)}
    path = tmp_path / "big.zip"
    path.write_bytes(zip_bytes(members))
    items = collect([path], limits=ArchiveLimits(max_total_bytes=1 * MB))
    assert [i.error is None for i in items] == [True, True, False, False, False]
    assert "beyond 1 MB" in str(items[2].error)
    per_member = collect([path], limits=ArchiveLimits(max_member_bytes=100_000))
    assert all("limit per document" in str(i.error) for i in per_member)


def test_a_worker_crash_fails_only_its_own_document(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(6):
        (folder / f"t{n}.txt").write_bytes(TENDER + b" %d" % n)
    (folder / "t3.txt").write_bytes(b"CRASH the worker")
    (folder / "t4.txt").write_bytes(b"BROKEN pdf")
    result = audit([folder], tmp_path / "out", workers=2, analyser_factory=FakeAnalyser)
    errors = dict(zip(result.assessments["file"].map(lambda f: Path(f).name),
                      result.assessments["error"], strict=True))  # fmt: skip
    assert "stopped unexpectedly" in errors["t3.txt"]
    assert errors["t4.txt"] == "corrupt or unreadable PDF"
    assert all(pd.isna(errors[f"t{n}.txt"]) for n in (0, 1, 2, 5))


def test_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "t.txt"
    doc.write_text("Invitation to Tender. Social value may be considered.", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()

    # Nothing could run: one line on stderr, status 2.
    assert sva(["audit", str(tmp_path / "missing.pdf"), "--out", str(tmp_path / "o1")]) == 2
    err = capsys.readouterr().err
    assert "no document could be assessed" in err and "Traceback" not in err
    assert (
        "file or folder not found" in pd.read_csv(tmp_path / "o1" / "assessments.csv")["error"][0]
    )
    assert sva(["audit", str(empty), "--out", str(tmp_path / "o2")]) == 2
    assert "no documents found" in capsys.readouterr().err
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    assert run_audit([doc], blocker / "out", workers=1) == 2
    assert "cannot create the output folder" in capsys.readouterr().err
    assert run_audit([doc], tmp_path / "o3", workers=0) == 2
    assert "--workers" in capsys.readouterr().err

    # It ran, even with a failed document (a missing one here): status 0.
    fake = {"analyser_factory": FakeAnalyser}
    assert run_audit([doc, tmp_path / "missing.pdf"], tmp_path / "o4", workers=1, **fake) == 0
    rows = pd.read_csv(tmp_path / "o4" / "assessments.csv")
    assert len(rows) == 2 and rows["error"].notna().sum() == 1


def test_one_audit_at_a_time_per_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    doc = tmp_path / "t.txt"
    doc.write_bytes(TENDER)
    with (out / "audit.lock").open("a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        assert run_audit([doc], out, workers=1, analyser_factory=FakeAnalyser) == 2
        assert "another audit is writing to this folder" in capsys.readouterr().err


def test_outputs_are_not_read_back_as_inputs(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_bytes(TENDER)
    first = audit([tmp_path], tmp_path / "out", workers=1, analyser_factory=FakeAnalyser)
    second = audit([tmp_path], tmp_path / "out", workers=1, analyser_factory=FakeAnalyser)
    assert first.total == second.total == 1
    assert second.cached == 1 and second.assessed == 0
