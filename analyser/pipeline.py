"""The pipeline: ingest -> segment -> detect -> weigh -> classify -> score -> Assessment."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyser.classify import classify
from analyser.clause_model import ClauseModels, load_models
from analyser.detect import detect
from analyser.ingest import read_bytes, read_tender
from analyser.nlp import build_pipeline
from analyser.report.html import context_details
from analyser.report.ocds import ocds_extra
from analyser.score import score
from analyser.segment import segment
from analyser.types import Assessment, Tender
from analyser.weigh import weigh


@dataclass
class Analyser:
    """Holds what is expensive to build (the spaCy pipeline, the trained clause models);
    assess as many tenders as you like.

    ``use_models=False`` (or a missing ``models/`` artefact, with a warning) runs the rules.
    """

    max_pages: int | None = None
    nlp: Any = field(default=None, repr=False)
    models: ClauseModels | None = field(default=None, repr=False)
    use_models: bool = True
    # what every assessment should say about this analyser (e.g. models missing: rules used)
    notices: tuple[str, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        if self.nlp is None:
            self.nlp = build_pipeline()
        if self.models is None and self.use_models:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self.models = load_models()
            self.notices = tuple(str(w.message) for w in caught)
        if not self.use_models:
            self.models = None

    def assess_path(self, path: str | Path, name: str | None = None) -> Assessment:
        return self.assess_tender(read_tender(path, name=name, max_pages=self.max_pages))

    def assess_bytes(self, data: bytes, name: str) -> Assessment:
        return self.assess_tender(read_bytes(data, name, max_pages=self.max_pages))

    def assess_tender(self, tender: Tender) -> Assessment:
        clauses = segment(tender, self.nlp)
        found = detect(clauses, model=self.models)
        weighed = weigh(tender, clauses, [c.id for c, _ in found])
        assessed = classify(
            found, weighed.weightings, weighed.social_value.effective_pct, model=self.models
        )
        verdict, total, band, dimensions, flags, recommendations = score(
            tender, assessed, weighed.social_value, weighed.flags
        )
        return Assessment(
            tender=tender,
            verdict=verdict,
            score=total,
            band=band,
            social_value_weight=weighed.social_value,
            weightings=weighed.weightings,
            clauses=tuple(assessed),
            dimensions=tuple(dimensions),
            flags=tuple(flags),
            recommendations=tuple(recommendations),
            warnings=tender.warnings + weighed.warnings + self.notices,
            extra={
                **ocds_extra(tender, weighed.weightings),
                "context": {"details": context_details(tender)},
            },
        )
