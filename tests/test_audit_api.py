"""/v1/audits through TestClient on a small app holding only the audits router."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import errors
from api.routers import audits
from api.routers.audits import AuditSettings
from api.settings import Settings

TENDER = (
    "Invitation to Tender: Grounds Maintenance {n}\n\n4 Award criteria\n"
    "Price 50%. Quality 35%. Social value 15% of the total score.\n\n"
    "5.1 The Contractor shall create {n} apprenticeships for residents of the borough each "
    "contract year and report progress quarterly against KPI SV1.\n"
)


def build(tmp_path: Path, api_keys: str = "") -> FastAPI:
    app = FastAPI()
    errors.install(app)
    app.state.settings = Settings(database_url="sqlite://", api_keys=api_keys)
    app.state.audit_settings = AuditSettings(data_dir=tmp_path / "data", audit_workers=1)
    app.include_router(audits.router)
    return app


def a_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("lot-a/itt.txt", TENDER.format(n=3))
        zf.writestr("../evil.txt", TENDER.format(n=4))
    return buf.getvalue()


def wait_finished(client: TestClient, location: str, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(location).json()
        if body["state"] not in ("queued", "running"):
            return body
        time.sleep(0.2)
    raise AssertionError("the audit did not finish in time")


def test_post_poll_download(tmp_path: Path) -> None:
    client = TestClient(build(tmp_path))
    files = [
        ("files", ("one.txt", TENDER.format(n=1).encode(), "text/plain")),
        ("files", ("two.txt", TENDER.format(n=2).encode(), "text/plain")),
        ("files", ("broken.pdf", b"%PDF-1.7 truncated", "application/pdf")),
        ("files", ("bundle.zip", a_zip(), "application/zip")),
    ]
    created = client.post("/v1/audits", files=files, data={"buyer": "Westshire Council"})
    assert created.status_code == 202, created.text
    body = created.json()
    audit_id = body["id"]
    assert created.headers["location"] == f"/v1/audits/{audit_id}" == body["links"]["self"]
    assert body["state"] == "queued" and body["files"] == 4

    status = wait_finished(client, created.headers["location"])
    assert status["state"] == "finished", status
    assert status["total"] == 5 and status["done"] == 3 and status["failed"] == 2
    documents = {d["file"]: d for d in status["documents"]}
    assert set(documents) == {
        "one.txt", "two.txt", "broken.pdf", "bundle.zip!lot-a/itt.txt", "bundle.zip!../evil.txt",
    }  # fmt: skip
    assert documents["one.txt"]["verdict"] == "substantive"
    assert "PDF" in documents["broken.pdf"]["error"]
    assert "escapes the archive" in documents["bundle.zip!../evil.txt"]["error"]

    csv = client.get(f"/v1/audits/{audit_id}/assessments.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert len(lines) == 6 and lines[0].startswith("file,buyer,")
    assert "Westshire Council" in csv.text
    xlsx = client.get(f"/v1/audits/{audit_id}/assessments.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "spreadsheetml" in xlsx.headers["content-type"]
    report = client.get(f"/v1/audits/{audit_id}/report")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert "<svg" in report.text and "Good practice to share" in report.text
    summary = client.get(f"/v1/audits/{audit_id}/summary.csv")
    assert summary.status_code == 200 and "Westshire Council" in summary.text


def test_errors(tmp_path: Path) -> None:
    app = build(tmp_path)
    client = TestClient(app)
    missing = "0" * 32
    response = client.get(f"/v1/audits/{missing}")
    assert response.status_code == 404 and missing in response.json()["detail"]
    assert client.get("/v1/audits/../../etc").status_code in (404, 422)
    assert client.get("/v1/audits/not-an-id").status_code == 422
    assert client.post("/v1/audits").status_code == 422

    # An audit that has not finished (here: queued before a restart) has no results yet.
    job = tmp_path / "data" / "audits" / ("a" * 32)
    job.mkdir(parents=True)
    (job / "job.json").write_text(json.dumps({"id": "a" * 32, "state": "queued",
                                              "created_at": "2026-01-01T00:00:00+00:00",
                                              "files": []}))  # fmt: skip
    status = client.get(f"/v1/audits/{'a' * 32}").json()
    assert status["state"] == "interrupted"
    for tail in ("assessments.csv", "assessments.xlsx", "report"):
        response = client.get(f"/v1/audits/{'a' * 32}/{tail}")
        assert response.status_code == 409
        assert "interrupted" in response.json()["detail"]

    small = build(tmp_path)
    small.state.audit_settings = AuditSettings(data_dir=tmp_path / "d2", max_audit_mb=0.001)
    big = TestClient(small).post("/v1/audits", files=[("files", ("a.txt", b"x" * 5000))])
    assert big.status_code == 413 and "audit limit" in big.json()["detail"]
    assert not any((tmp_path / "d2" / "audits").iterdir())


@pytest.mark.parametrize("key,expected", [(None, 401), ("wrong", 401)])
def test_api_key_required_when_configured(tmp_path: Path, key: str | None, expected: int) -> None:
    client = TestClient(build(tmp_path, api_keys="sekret"))
    headers = {"X-API-Key": key} if key else {}
    assert client.get(f"/v1/audits/{'0' * 32}", headers=headers).status_code == expected
    ok = client.get(f"/v1/audits/{'0' * 32}", headers={"X-API-Key": "sekret"})
    assert ok.status_code == 404
