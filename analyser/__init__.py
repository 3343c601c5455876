"""Social Value Analyser: is the social value in a tender real or a token gesture?

>>> from analyser import assess
>>> assessment = assess("tender.pdf")
>>> assessment.to_dict()["verdict"]

Stages, in order: ingest -> segment -> detect -> weigh -> classify -> score -> report.
Heavy libraries are imported by the stages that use them, so importing this package is cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from analyser.errors import InputError

if TYPE_CHECKING:
    from analyser.pipeline import Analyser
    from analyser.types import Assessment

__all__ = ["Analyser", "InputError", "assess"]


def assess(path: str | Path) -> Assessment:
    """Assess one tender document (PDF, DOCX, plain text or OCDS JSON)."""
    from analyser.pipeline import Analyser

    return Analyser().assess_path(path)


def __getattr__(name: str) -> object:
    if name == "Analyser":
        from analyser.pipeline import Analyser

        return Analyser
    raise AttributeError(name)
