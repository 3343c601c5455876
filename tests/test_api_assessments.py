"""The API in-process (TestClient): every endpoint, every error, dedupe by hash, API keys, the page."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.deps import get_analyser, get_settings
from api.main import create_app
from api.service import SharedAnalyser
from api.settings import Settings
from tests.conftest import MakePdf

CONTRACT_KEYS = {
    "schema_version", "document", "verdict", "score", "social_value_weight", "weightings",
    "clauses", "dimensions", "flags", "recommendations", "warnings",
}  # fmt: skip

TENDER = [
    {"h1": "4 Evaluation"},
    {"p": "Tenders will be evaluated against the award criteria in the table below."},
    {
        "table": {
            "ruled": True,
            "header": ["Criterion", "Weighting"],
            "rows": [["Price", "40%"], ["Quality", "45%"], ["Social Value", "15%"]],
        }
    },
    {"h1": "5 Social value"},
    {
        "p": "Tenderers must commit to at least six apprenticeship starts per contract year for "
        "residents of the borough, reported quarterly against the agreed KPIs."
    },
]

OCDS_RELEASE = {
    "ocid": "ocds-b5fd17-test-1",
    "id": "1",
    "date": "2025-06-12T00:00:00Z",
    "tag": ["tender"],
    "buyer": {"name": "Westshire District Council"},
    "tender": {
        "title": "Grounds maintenance",
        "description": "Grounds maintenance of parks. Social value will be considered where "
        "appropriate.",
    },
}


@pytest.fixture(scope="module")
def analyser() -> SharedAnalyser:
    """One analyser for the module (building the spaCy pipeline is the slow part)."""
    return SharedAnalyser(max_pages=500)


def build(tmp_path: Path, analyser: SharedAnalyser, **settings: Any) -> FastAPI:
    values: dict[str, Any] = {"database_url": f"sqlite:///{tmp_path / 'sva.db'}", "api_keys": ""}
    values.update(settings)
    app = create_app(Settings(**values))
    app.dependency_overrides[get_analyser] = lambda: analyser
    return app


@pytest.fixture
def app(tmp_path: Path, analyser: SharedAnalyser) -> FastAPI:
    return build(tmp_path, analyser)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def pdf(make_pdf: MakePdf) -> bytes:
    return make_pdf(TENDER, name="itt.pdf").read_bytes()


def shows_score(html: str, score: int) -> bool:
    """The report states the score out of 100 ("57/100" or "57 out of 100")."""
    return re.search(rf"\b{score}\s*(/|out of)\s*100\b", html) is not None


def upload(client: TestClient, data: bytes, name: str = "itt.pdf", **params: Any) -> Any:
    return client.post("/v1/assessments", files={"file": (name, data)}, params=params)


def assert_error(response: Any, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail"} and isinstance(body["detail"], str)
    for word in words:
        assert word in body["detail"]
    assert "Traceback" not in body["detail"]
    return str(body["detail"])


# --- endpoints ------------------------------------------------------------------------


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"


def test_create_get_report_list_delete(client: TestClient, pdf: bytes) -> None:
    created = upload(client, pdf)
    assert created.status_code == 201, created.text
    body = created.json()
    assert set(body) >= CONTRACT_KEYS | {"id", "created_at", "updated_at"}
    assert created.headers["location"] == f"/v1/assessments/{body['id']}"
    assert body["document"]["name"] == "itt.pdf" and body["document"]["format"] == "pdf"
    assert body["verdict"] == "substantive"
    assert body["social_value_weight"]["effective_pct"] == 15.0
    assert any("apprenticeship starts" in c["text"] for c in body["clauses"])

    fetched = client.get(f"/v1/assessments/{body['id']}")
    assert fetched.status_code == 200 and fetched.json() == body

    report = client.get(f"/v1/assessments/{body['id']}/report")
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/html")
    assert "itt.pdf" in report.text and shows_score(report.text, body["score"])
    assert "apprenticeship starts" in report.text

    listed = client.get("/v1/assessments").json()
    assert listed["total"] == 1 and listed["limit"] == 20 and listed["offset"] == 0
    item = listed["items"][0]
    assert item["id"] == body["id"] and item["score"] == body["score"]
    assert item["verdict"] == "substantive" and item["sha256"] == body["document"]["sha256"]

    deleted = client.delete(f"/v1/assessments/{body['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert_error(client.get(f"/v1/assessments/{body['id']}"), 404, body["id"])
    assert client.get("/v1/assessments").json()["total"] == 0


def test_same_file_returns_stored_unless_refresh(client: TestClient, pdf: bytes) -> None:
    first = upload(client, pdf).json()
    again = upload(client, pdf, name="renamed.pdf")
    assert again.status_code == 200
    assert again.json() == first  # the stored one, name and timestamps unchanged

    refreshed = upload(client, pdf, name="renamed.pdf", refresh="true")
    assert refreshed.status_code == 200
    body = refreshed.json()
    assert body["id"] == first["id"] and body["created_at"] == first["created_at"]
    assert body["updated_at"] > first["updated_at"]
    assert body["document"]["name"] == "renamed.pdf"
    assert client.get("/v1/assessments").json()["total"] == 1


def test_text_and_ocds_uploads_and_filters(client: TestClient, pdf: bytes) -> None:
    upload(client, pdf)
    ocds = upload(client, json.dumps(OCDS_RELEASE).encode(), name="notice.json")
    assert ocds.status_code == 201, ocds.text
    assert ocds.json()["document"]["format"] == "ocds"
    assert ocds.json()["document"]["buyer"] == "Westshire District Council"
    text = upload(client, b"Cleaning services for the civic centre.", name="spec.txt")
    assert text.status_code == 201 and text.json()["verdict"] == "absent"

    def listing(**params: Any) -> dict[str, Any]:
        response = client.get("/v1/assessments", params=params)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    everything = listing()
    assert everything["total"] == 3
    assert [i["name"] for i in everything["items"]] == ["spec.txt", "notice.json", "itt.pdf"]
    page = listing(limit=1, offset=1)
    assert page["total"] == 3 and [i["name"] for i in page["items"]] == ["notice.json"]
    assert listing(offset=5)["items"] == []
    assert [i["name"] for i in listing(verdict="substantive")["items"]] == ["itt.pdf"]
    by_buyer = listing(buyer="westshire district council")
    assert by_buyer["total"] == 1 and by_buyer["items"][0]["buyer"] == "Westshire District Council"
    assert listing(buyer="Nobody", verdict="token")["total"] == 0


# --- errors ---------------------------------------------------------------------------


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
        ("tenders.zip", zip_archive()),
        ("page.html", b"<!doctype html><html><body>Tender</body></html>"),
    ],
)
def test_unsupported_type_is_415(client: TestClient, name: str, data: bytes) -> None:
    assert_error(upload(client, data, name=name), 415, name, "unsupported type")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", ("file is empty",)),
        (b"   \n", ("file is empty",)),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not really a pdf", ("corrupt",)),
    ],
)
def test_unreadable_is_422(client: TestClient, data: bytes, words: tuple[str, ...]) -> None:
    assert_error(upload(client, data, name="bad.pdf"), 422, "bad.pdf", *words)


def test_missing_file_field_is_422(client: TestClient) -> None:
    assert_error(client.post("/v1/assessments"), 422, "file")
    assert_error(client.post("/v1/assessments", data={"other": "x"}), 422, "file")


def test_invalid_query_is_422(client: TestClient) -> None:
    assert_error(client.get("/v1/assessments?verdict=great"), 422, "verdict")
    assert_error(client.get("/v1/assessments?limit=0"), 422, "limit")
    assert_error(client.get("/v1/assessments?offset=-1"), 422, "offset")
    assert_error(client.post("/v1/assessments?refresh=maybe", files={"file": ("a.txt", b"x")}), 422)


def test_over_upload_limit_is_413(tmp_path: Path, analyser: SharedAnalyser, pdf: bytes) -> None:
    # The whole app at 0.001 MB: refused from Content-Length before the body is read.
    small = build(tmp_path, analyser, max_upload_mb=0.001)
    with TestClient(small) as client:
        detail = assert_error(upload(client, b"x" * 200_000, name="big.txt"), 413, "limit")
        assert "0.001 MB" in detail
        assert client.get("/v1/assessments").json()["total"] == 0


def test_endpoint_checks_real_size(app: FastAPI, client: TestClient, pdf: bytes) -> None:
    # Only the request's settings say 1 KB (the middleware keeps 25 MB): the endpoint counts.
    limited = Settings(database_url="sqlite://", max_upload_mb=1 / 1024)
    app.dependency_overrides[get_settings] = lambda: limited
    assert_error(upload(client, pdf), 413, "itt.pdf", "larger than the upload limit")
    assert upload(client, b"Short tender text.", name="short.txt").status_code == 201


def test_over_page_limit_is_413(tmp_path: Path, make_pdf: MakePdf) -> None:
    two_pages = make_pdf([*TENDER, {"page_break": True}, {"p": "Annex A."}], name="long.pdf")
    app = build(tmp_path, SharedAnalyser(max_pages=1))
    with TestClient(app) as client:
        assert_error(upload(client, two_pages.read_bytes(), "long.pdf"), 413, "limit is 1")


def test_unknown_ids_are_404(client: TestClient) -> None:
    for response in (
        client.get("/v1/assessments/no-such-id"),
        client.get("/v1/assessments/no-such-id/report"),
        client.delete("/v1/assessments/no-such-id"),
    ):
        assert_error(response, 404, "no assessment with id no-such-id")
    assert_error(client.get("/v2/nothing"), 404, "/v2/nothing")
    assert_error(client.put("/v1/assessments"), 405, "PUT")


def test_unexpected_failure_is_500_without_traceback(app: FastAPI) -> None:
    class Broken:
        def assess(self, data: bytes, name: str) -> dict[str, Any]:
            raise RuntimeError("secret internal state /etc/passwd")

    app.dependency_overrides[get_analyser] = lambda: Broken()
    with TestClient(app, raise_server_exceptions=False) as client:
        detail = assert_error(upload(client, b"Some tender text.", "t.txt"), 500)
    assert "secret" not in detail and "RuntimeError" not in detail


# --- API keys -------------------------------------------------------------------------


def test_api_keys(tmp_path: Path, analyser: SharedAnalyser, pdf: bytes) -> None:
    app = build(tmp_path, analyser, api_keys=" key-one , key-two ")
    with TestClient(app) as client:
        assert_error(client.get("/v1/assessments"), 401, "missing API key", "X-API-Key")
        assert_error(upload(client, pdf), 401, "missing API key")
        wrong = {"X-API-Key": "key-three"}
        assert_error(client.get("/v1/assessments", headers=wrong), 401, "invalid API key")
        assert_error(client.delete("/v1/assessments/x", headers=wrong), 401)
        created = client.post(
            "/v1/assessments", files={"file": ("itt.pdf", pdf)}, headers={"X-API-Key": "key-two"}
        )
        assert created.status_code == 201
        ok = client.get("/v1/assessments", headers={"X-API-Key": "key-one"})
        assert ok.status_code == 200 and ok.json()["total"] == 1
        assert client.get("/health").status_code == 200  # outside /v1: open
        assert client.get("/").status_code == 200


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVA_DATABASE_URL", "sqlite:////tmp/elsewhere.db")
    monkeypatch.setenv("SVA_API_KEYS", "a,b,,c")
    monkeypatch.setenv("SVA_MAX_UPLOAD_MB", "2")
    monkeypatch.setenv("SVA_MAX_PAGES", "40")
    settings = Settings()
    assert settings.database_url == "sqlite:////tmp/elsewhere.db"
    assert settings.keys == {"a", "b", "c"}
    assert settings.max_upload_bytes == 2 * 1024 * 1024 and settings.max_pages == 40
    for name in ("SVA_DATABASE_URL", "SVA_API_KEYS", "SVA_MAX_UPLOAD_MB", "SVA_MAX_PAGES"):
        monkeypatch.delenv(name)
    default = Settings()
    assert default.database_url == "sqlite:///./sva.db" and default.keys == frozenset()
    assert default.max_upload_mb == 25 and default.max_pages == 500


# --- OpenAPI --------------------------------------------------------------------------


def test_openapi_operation_ids_and_error_schemas(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operations = [
        (op["operationId"], method, path)
        for path, item in spec["paths"].items()
        for method, op in item.items()
    ]
    ids = {op_id: (method, path) for op_id, method, path in operations}
    assert len(ids) == len(operations), "operation ids must be unique"
    expected = {
        "health": ("get", "/health"),
        "createAssessment": ("post", "/v1/assessments"),
        "listAssessments": ("get", "/v1/assessments"),
        "getAssessment": ("get", "/v1/assessments/{assessment_id}"),
        "getAssessmentReport": ("get", "/v1/assessments/{assessment_id}/report"),
        "deleteAssessment": ("delete", "/v1/assessments/{assessment_id}"),
    }
    assert {k: ids.get(k) for k in expected} == expected
    create = spec["paths"]["/v1/assessments"]["post"]["responses"]
    assert {"200", "201", "401", "413", "415", "422", "500"} <= set(create)
    assert create["415"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert "HTTPValidationError" not in json.dumps(spec)
    assert spec["components"]["schemas"]["Assessment"]["examples"]
    assert "APIKeyHeader" in spec["components"]["securitySchemes"]


# --- the web page ---------------------------------------------------------------------


def test_page_upload_then_report_and_list(client: TestClient, pdf: bytes) -> None:
    home = client.get("/")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert '<label for="file">' in home.text and 'id="file"' in home.text
    assert "No tenders assessed yet" in home.text

    posted = client.post("/upload", files={"file": ("itt.pdf", pdf)}, follow_redirects=False)
    assert posted.status_code == 303
    location = posted.headers["location"]
    assert location.startswith("/assessments/")

    page = client.get(location)
    assert page.status_code == 200 and "All assessments" in page.text
    score = client.get("/v1/assessments").json()["items"][0]["score"]
    assert shows_score(page.text, score)

    home = client.get("/")
    assert f'href="{location}"' in home.text and "itt.pdf" in home.text
    assert "Substantive" in client.get("/?verdict=substantive").text
    assert "No assessment matches" in client.get("/?verdict=absent").text


def test_page_shows_errors_as_html(client: TestClient) -> None:
    bad = client.post("/upload", files={"file": ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(300))})
    assert bad.status_code == 415 and bad.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in bad.text and "scan.png: unsupported type" in bad.text
    empty = client.post("/upload", files={"file": ("", b"")})
    assert empty.status_code == 422 and "Choose a tender document" in empty.text
    missing = client.get("/assessments/nope")
    assert missing.status_code == 404 and "Assessment not found" in missing.text


def test_bad_database_url_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from api.db import DatabaseConfigError

    with pytest.raises(DatabaseConfigError, match="not a database URL"):
        create_app(Settings(database_url="nonsense"))
    with pytest.raises(DatabaseConfigError, match="driver .* not installed"):
        create_app(Settings(database_url="mysql://user:secret@localhost/sva"))
    monkeypatch.setenv("SVA_DATABASE_URL", "postgresql+nodriver://user:secret@localhost/sva")
    with pytest.raises(SystemExit) as exit_info:
        create_app()  # as `sva serve` builds it: exits with one line, password hidden
    assert str(exit_info.value).startswith("sva serve: ") and "secret" not in str(exit_info.value)
