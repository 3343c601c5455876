"""The real server: `sva serve` on a free port, an upload over HTTP, a restart, the same data."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import MakePdf

TENDER = [
    {"h1": "Evaluation"},
    {
        "table": {
            "ruled": True,
            "header": ["Criterion", "Weighting"],
            "rows": [["Price", "50%"], ["Quality", "40%"], ["Social Value", "10%"]],
        }
    },
    {
        "p": "The Contractor shall create four apprenticeship starts per contract year, reported "
        "quarterly against the agreed KPIs."
    },
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def sva_command() -> list[str]:
    script = Path(sys.executable).with_name("sva")
    if script.exists():
        return [str(script)]
    found = shutil.which("sva")
    return [found] if found else [sys.executable, "-m", "analyser.cli"]


@contextmanager
def running_server(tmp_path: Path, database: Path) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SVA_")}
    env["SVA_DATABASE_URL"] = f"sqlite:///{database}"
    log = (tmp_path / f"server-{port}.log").open("wb")
    process = subprocess.Popen(
        [*sva_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"sva serve exited with {process.returncode}: {_read(log.name)}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"sva serve did not answer within 60 s: {_read(log.name)}")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _read(path: str) -> str:
    return Path(path).read_text(errors="replace")[-2000:]


def test_upload_survives_restart(tmp_path: Path, make_pdf: MakePdf) -> None:
    pdf = make_pdf(TENDER, name="itt.pdf")
    database = tmp_path / "data" / "sva.db"
    database.parent.mkdir()

    with running_server(tmp_path, database) as base, pdf.open("rb") as handle:
        response = httpx.post(
            f"{base}/v1/assessments",
            files={"file": ("itt.pdf", handle, "application/pdf")},
            timeout=60,
        )
        assert response.status_code == 201, response.text
        created = response.json()
        assert created["document"]["format"] == "pdf" and created["verdict"] == "substantive"
    assert database.exists()

    with running_server(tmp_path, database) as base:
        again = httpx.get(f"{base}/v1/assessments/{created['id']}", timeout=10)
        assert again.status_code == 200 and again.json() == created
        report = httpx.get(f"{base}/v1/assessments/{created['id']}/report", timeout=10)
        assert report.status_code == 200 and "itt.pdf" in report.text
        listed = httpx.get(f"{base}/v1/assessments", timeout=10).json()
        assert listed["total"] == 1 and listed["items"][0]["id"] == created["id"]
        duplicate = httpx.post(
            f"{base}/v1/assessments", files={"file": ("itt.pdf", pdf.read_bytes())}, timeout=60
        )
        assert duplicate.status_code == 200 and duplicate.json()["id"] == created["id"]
        page = httpx.get(f"{base}/assessments/{created['id']}", timeout=10)
        assert page.status_code == 200
        assert re.search(rf"\b{created['score']}\s*(/|out of)\s*100\b", page.text)
