"""Shared fixtures: small tender PDFs generated inside the tests (never committed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from corpus.render import render_pdf

MakePdf = Callable[..., Path]


def tender_source(
    body: list[dict[str, Any]], *, columns: int = 1, title: str = "Invitation to Tender"
) -> dict[str, Any]:
    """A minimal corpus-format source (see corpus/SCHEMA.md) around the given body blocks."""
    return {
        "id": "fixture",
        "title": title,
        "buyer": "Northshire County Council",
        "jurisdiction": "england_council",
        "style": "test fixture",
        "date": "2025-06-12",
        "value_gbp": 1500000,
        "formats": ["pdf"],
        "layout": {
            "columns": columns,
            "header": "Northshire County Council | ITT NCC/2025/001",
            "footer": "OFFICIAL",
        },
        "labels": {
            "verdict": "token",
            "sv_weight": {"effective_pct": None, "basis": "unstated", "derivation": ""},
        },
        "body": body,
    }


@pytest.fixture
def make_pdf(tmp_path: Path) -> MakePdf:
    """``make_pdf(body, name="t.pdf", columns=1)`` writes a tender PDF and returns its path."""

    def make(body: list[dict[str, Any]], name: str = "tender.pdf", columns: int = 1) -> Path:
        path = tmp_path / name
        render_pdf(tender_source(body, columns=columns), path)
        return path

    return make
