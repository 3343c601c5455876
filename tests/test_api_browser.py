"""The web page in headless Chromium (Debian's `chromium`, driven by Playwright): upload a
tender through the form, land on its report, see the score; keyboard use and focus."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.main import create_app
from api.settings import Settings
from tests.conftest import MakePdf

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
sync_api = pytest.importorskip("playwright.sync_api")

TENDER = [
    {"h1": "4 Evaluation"},
    {
        "table": {
            "ruled": True,
            "header": ["Criterion", "Weighting"],
            "rows": [["Price", "40%"], ["Quality", "45%"], ["Social Value", "15%"]],
        }
    },
    {"h1": "5 Social value"},
    {
        "p": "The Contractor shall create six apprenticeship starts per contract year for "
        "residents of the borough, reported quarterly against the agreed KPIs."
    },
    {"p": "Social value will be taken into account where appropriate."},
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app under uvicorn in a thread on a free port, with its own SQLite file."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'sva.db'}", api_keys=""))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            yield context.new_page()
        finally:
            browser.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    ignore = ARTIFACTS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def test_upload_through_the_page_shows_the_score(server: str, page: Any, make_pdf: MakePdf) -> None:
    pdf = make_pdf(TENDER, name="home-care-itt.pdf")
    page.goto(server + "/")
    assert page.title() == "Social Value Analyser"

    # Keyboard: skip link first, then the home link, then the labelled file input.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "file"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused file input must show a visible outline"

    file_input = page.get_by_label("Tender document")
    file_input.set_input_files(str(pdf))
    screenshot(page, "upload-page.png")
    page.get_by_role("button", name="Assess tender").click()
    page.wait_for_url(re.compile(r".*/assessments/[0-9a-f-]{36}$"), timeout=60_000)

    stored = httpx.get(f"{server}/v1/assessments", timeout=10).json()["items"][0]
    assert stored["name"] == "home-care-itt.pdf"
    body = page.locator("body").inner_text()
    assert re.search(rf"\b{stored['score']}\s*(/|out of)\s*100\b", body), body[:500]
    assert "apprenticeship starts" in body
    screenshot(page, "report-page.png")

    page.get_by_role("link", name="← All assessments").click()
    page.wait_for_url(server + "/")
    row = page.get_by_role("row", name=re.compile("home-care-itt.pdf"))
    assert str(stored["score"]) in row.inner_text()
    screenshot(page, "list-page.png")


def test_bad_upload_shows_an_error_on_the_page(server: str, page: Any, tmp_path: Path) -> None:
    image = tmp_path / "scan.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    page.goto(server + "/")
    page.get_by_label("Tender document").set_input_files(str(image))
    page.get_by_role("button", name="Assess tender").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "scan.png: unsupported type" in alert.inner_text()
    screenshot(page, "upload-error.png")
