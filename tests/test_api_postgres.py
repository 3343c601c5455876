"""The API on PostgreSQL: runs only when SVA_TEST_POSTGRES_URL names a database to use, e.g.
``SVA_TEST_POSTGRES_URL=postgresql+psycopg://sva:sva@localhost/sva_test`` (needs ``psycopg``).
It creates the table if missing and deletes only the rows it made."""

from __future__ import annotations

import json
import os
import uuid

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings

URL = os.environ.get("SVA_TEST_POSTGRES_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="set SVA_TEST_POSTGRES_URL to test PostgreSQL")


def test_assessments_on_postgresql() -> None:
    pytest.importorskip("psycopg")
    buyer = f"Postgres Test Council {uuid.uuid4()}"
    release = {
        "ocid": f"ocds-test-{uuid.uuid4()}",
        "buyer": {"name": buyer},
        "tender": {
            "title": "Library services",
            "description": "Social value is 10% of the total score. The supplier shall create "
            "three apprenticeships per contract year, reported quarterly.",
        },
    }
    data = json.dumps(release).encode()
    app = create_app(Settings(database_url=URL, api_keys=""))
    assert app.state.engine.dialect.name == "postgresql"
    with TestClient(app) as client:
        assert client.get("/health").json()["database"] == "ok"
        created = client.post("/v1/assessments", files={"file": ("notice.json", data)})
        assert created.status_code == 201, created.text
        body = created.json()
        try:
            assert client.get(f"/v1/assessments/{body['id']}").json() == body
            again = client.post("/v1/assessments", files={"file": ("notice.json", data)})
            assert again.status_code == 200 and again.json()["id"] == body["id"]
            refreshed = client.post(
                "/v1/assessments", params={"refresh": "true"}, files={"file": ("n.json", data)}
            )
            assert refreshed.json()["updated_at"] > body["updated_at"]
            listed = client.get("/v1/assessments", params={"buyer": buyer.upper()}).json()
            assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
            report = client.get(f"/v1/assessments/{body['id']}/report")
            assert report.status_code == 200 and "n.json" in report.text
        finally:
            assert client.delete(f"/v1/assessments/{body['id']}").status_code == 204
        assert client.get(f"/v1/assessments/{body['id']}").status_code == 404
