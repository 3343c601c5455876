"""Data and figures for training and evaluating the clause models (used by ``train.py``,
the evaluation notebook and the tests).

A *unit* is one file of one corpus document read by the product's own ingest and cut by
its own segmenter; each segmented clause is matched to the gold clauses exactly as
``analyser.evaluate`` does (text containment), so training sees what the pipeline sees.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analyser.classify import classify
from analyser.clause_model import ClauseModels, detection_records, label_records
from analyser.detect import detect
from analyser.errors import InputError
from analyser.evaluate import (
    REAL_NOTICES,
    _match,
    load_clause_labels,
    load_corpus,
    macro_f1,
)
from analyser.ingest import read_bytes, read_tender
from analyser.ingest.ocds import repair
from analyser.score import verdict_of
from analyser.segment import segment
from analyser.types import AssessedClause, Clause, Tender, Weighting
from analyser.weigh import weigh

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SV = ("token", "substantive")


@dataclass
class Unit:
    """One readable file of one document, segmented, with the gold match of every clause."""

    doc_id: str
    split: str
    file: str
    primary: bool  # the file analyser.evaluate reads (PDF first)
    verdict: str  # gold document verdict
    gold: list[dict[str, Any]]  # the document's gold clauses
    clauses: list[Clause]
    matches: list[dict[str, Any] | None]
    weightings: tuple[Weighting, ...] = ()
    sv_weight: float | None = None
    det_records: list[dict[str, Any]] = field(default_factory=list)
    lab_records: list[dict[str, Any]] = field(default_factory=list)
    weak_negative: bool = False  # an unlabelled notice that never names social value

    @property
    def gold_sv_ids(self) -> set[str]:
        return {g["clause_id"] for g in self.gold if g["label"] in SV}

    def is_sv(self, i: int) -> bool:
        m = self.matches[i]
        return m is not None and m["label"] in SV


def _heading_path(text: str | None) -> tuple[str, ...]:
    return tuple(p for p in (text or "").split(" > ") if p)


def _gold_clauses(gold: Sequence[dict[str, Any]]) -> list[Clause]:
    """The gold clauses themselves as clauses (for a document no ingest can read yet)."""
    return [
        Clause(
            id=f"g{n}",
            page=g.get("page"),
            text=g["text"],
            heading_path=_heading_path(g.get("heading_path")),
            kind=g.get("kind") or "paragraph",
        )
        for n, g in enumerate(gold, 1)
    ]


def make_unit(
    doc: dict[str, Any],
    split: str,
    file: str | None,
    primary: bool,
    gold: list[dict[str, Any]],
    nlp: Any,
) -> Unit:
    if file is None:  # no ingest reads this document yet: its gold clauses stand in
        tender = Tender(name=doc["doc_id"], sha256="", format="text", pages=())
        return _unit(doc, tender, _gold_clauses(gold), gold, split, "(gold clauses)", primary)
    tender = read_tender(ROOT / file)
    return _unit(doc, tender, list(segment(tender, nlp)), gold, split, file, primary)


def collect(
    split: str,
    nlp: Any,
    *,
    all_files: bool = False,
    limit: int | None = None,
    progress: bool = False,
) -> list[Unit]:
    """Units of a corpus split in sorted order: the primary file of each document, or every
    readable file with ``all_files``. A document none of whose files can be read (its format
    not supported yet) falls back to its gold clauses, for training only."""
    docs = sorted(load_corpus(split), key=lambda d: d["doc_id"])
    if limit is not None:  # the first documents of each verdict in turn, so every class is there
        by_verdict: dict[str, list[dict[str, Any]]] = {}
        for d in docs:
            by_verdict.setdefault(d["verdict"], []).append(d)
        rounds = [d for group in zip(*by_verdict.values(), strict=False) for d in group]
        docs = sorted(rounds[:limit], key=lambda d: d["doc_id"])
    gold = load_clause_labels()
    units: list[Unit] = []
    for n, doc in enumerate(docs, 1):
        if progress:
            print(
                f"\r  reading {split} {n}/{len(docs)} {doc['doc_id']:<20}", end="", file=sys.stderr
            )
        files = sorted(doc["files"], key=lambda f: (not f.endswith(".pdf"), f))
        doc_gold = gold.get(doc["doc_id"], [])
        read_any = False
        for i, file in enumerate(files if all_files else files[:1]):
            try:
                units.append(make_unit(doc, split, file, i == 0, doc_gold, nlp))
                read_any = True
            except (InputError, ImportError) as exc:
                if progress:
                    print(f"\n  cannot read {file}: {exc}", file=sys.stderr)
        if not read_any and all_files:
            units.append(make_unit(doc, split, None, True, doc_gold, nlp))
    if progress:
        print(file=sys.stderr)
    return units


# ---------------------------------------------------------------------------------------
# running the stages on units, and the figures analyser.evaluate reports


def assess_unit(unit: Unit, models: ClauseModels | None) -> list[AssessedClause]:
    """detect -> classify on a unit (weights as the weigh stage found them)."""
    found = detect(unit.clauses, model=models)
    return classify(found, unit.weightings, unit.sv_weight, model=models)


def figures(units: Sequence[Unit], assessed: Sequence[Sequence[AssessedClause]]) -> dict[str, Any]:
    """Detection recall/precision, token/substantive macro-F1 and verdict accuracy, with counts
    (the same matching and definitions as ``analyser.evaluate``)."""
    tp = fp = 0
    found: set[str] = set()
    gold_total = 0
    pairs: list[tuple[str, str]] = []
    roles: list[tuple[str, str]] = []
    verdicts: Counter[tuple[str, str]] = Counter()
    for unit, clauses in zip(units, assessed, strict=True):
        gold_total += len(unit.gold_sv_ids)
        for c in clauses:
            g = _match(c.clause.text, unit.gold)
            if g is not None and g["label"] in SV:
                tp += 1
                found.add(g["clause_id"])
                pairs.append((g["label"], c.label))
                roles.append((g["role"], c.role))
            else:
                fp += 1
        verdicts[(unit.verdict, verdict_of(clauses))] += 1
    correct = sum(n for (g, p), n in verdicts.items() if g == p)
    n_docs = sum(verdicts.values())
    return {
        "documents": n_docs,
        "gold_sv_clauses": gold_total,
        "detection_recall": _r(len(found) / gold_total if gold_total else 0.0),
        "detection_recall_count": f"{len(found)}/{gold_total}",
        "detection_precision": _r(tp / (tp + fp) if tp + fp else 0.0),
        "detection_precision_count": f"{tp}/{tp + fp}",
        "label_macro_f1": _r(macro_f1(pairs, SV)),
        "label_accuracy": _r(sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0),
        "label_pairs": len(pairs),
        "role_accuracy": _r(sum(g == p for g, p in roles) / len(roles) if roles else 0.0),
        "verdict_accuracy": _r(correct / n_docs if n_docs else 0.0),
        "verdict_count": f"{correct}/{n_docs}",
        "verdict_confusion": {f"{g}->{p}": n for (g, p), n in sorted(verdicts.items())},
    }


def _r(x: float) -> float:
    return round(float(x), 4)


def evaluate_units(units: Sequence[Unit], models: ClauseModels | None) -> dict[str, Any]:
    primary = [u for u in units if u.primary]
    return figures(primary, [assess_unit(u, models) for u in primary])


# ---------------------------------------------------------------------------------------
# the keyword baseline (issue 5): find "social value" or "community benefit", take the
# nearest percentage, call 10% or more substantive


KEYWORD = re.compile(r"social[\s-]+value|community[\s-]+benefits?", re.IGNORECASE)
PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s?cent\b|percent\b)", re.IGNORECASE)


def nearest_percent(text: str) -> float | None:
    """The percentage nearest (in characters) to any keyword mention in ``text``."""
    mentions = [m.start() for m in KEYWORD.finditer(text)]
    percents = [(m.start(), float(m.group(1))) for m in PERCENT.finditer(text)]
    if not mentions or not percents:
        return None
    return min(((abs(p - k), v) for k in mentions for p, v in percents), key=lambda t: t[0])[1]


def keyword_verdict(text: str) -> str:
    if not KEYWORD.search(text):
        return "absent"
    pct = nearest_percent(text)
    return "substantive" if pct is not None and pct >= 10 else "token"


def keyword_label(text: str) -> str:
    pct = nearest_percent(text)
    return "substantive" if pct is not None and pct >= 10 else "token"


def baseline_assess(unit_clauses: Sequence[Clause]) -> list[AssessedClause]:
    """The baseline at clause level: a clause that names the keyword is detected; it is
    substantive when the percentage nearest to the keyword in it is 10% or more."""
    out = []
    for c in unit_clauses:
        if KEYWORD.search(c.text):
            label = keyword_label(c.text)
            out.append(AssessedClause(clause=c, label=label, role="requirement", confidence=1.0))  # type: ignore[arg-type]
    return out


def baseline_figures(units: Sequence[Unit]) -> dict[str, Any]:
    """Clause-level figures of the baseline, with its verdict taken from the whole text."""
    primary = [u for u in units if u.primary]
    out = figures(primary, [baseline_assess(u.clauses) for u in primary])
    verdicts: Counter[tuple[str, str]] = Counter(
        (u.verdict, keyword_verdict(unit_text(u))) for u in primary
    )
    correct = sum(n for (g, p), n in verdicts.items() if g == p)
    out["verdict_accuracy"] = _r(correct / len(primary) if primary else 0.0)
    out["verdict_count"] = f"{correct}/{len(primary)}"
    out["verdict_confusion"] = {f"{g}->{p}": n for (g, p), n in sorted(verdicts.items())}
    return out


def unit_text(unit: Unit) -> str:
    return "\n".join(c.text for c in unit.clauses)


# ---------------------------------------------------------------------------------------
# the labelled real notices


def real_labels() -> list[dict[str, Any]]:
    """The adjudicated labels (``corpus/real/labels.yaml``; ``pass1.yaml`` while absent)."""
    for name in ("labels.yaml", "pass1.yaml"):
        path = CORPUS / "real" / name
        if path.exists():
            return list(yaml.safe_load(path.read_text())["notices"])
    return []


def real_units(nlp: Any) -> list[Unit]:
    """The labelled real notices as units: every clause not labelled is not social value."""
    units = []
    for notice in real_labels():
        path = REAL_NOTICES / notice["path"]
        gold = [
            {
                "clause_id": f"{notice['ocid']}#{n}",
                # the labels keep the source's literal "rn" breaks; ingest repairs them
                "text": repair(c["text"]),
                "label": c["label"],
                "role": c["role"],
            }
            for n, c in enumerate(notice["clauses"], 1)
        ]
        doc = {"doc_id": notice["ocid"], "verdict": notice["verdict"]}
        try:
            units.append(make_unit_path(doc, path, gold, nlp))
        except (InputError, ImportError) as exc:
            print(f"  cannot read {path.name}: {exc}", file=sys.stderr)
    return units


def challenge_units(name: str, nlp: Any) -> list[Unit]:
    """A clause challenge set (``corpus/challenge/clauses-<name>.yaml``) as units: plain-text
    extracts whose listed clauses are the social value ones; every other clause is not."""
    path = CORPUS / "challenge" / f"clauses-{name}.yaml"
    units = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["extracts"]:
        gold = [
            {"clause_id": f"{item['id']}#{n}", "text": c["text"], "label": c["label"], "role": c["role"]}
            for n, c in enumerate(item.get("clauses", []), 1)
        ]  # fmt: skip
        tender = read_bytes(item["text"].encode(), f"{item['id']}.txt")
        doc = {"doc_id": item["id"], "verdict": item["verdict"]}
        units.append(make_unit_from(doc, tender, gold, nlp, split=f"challenge-{name}"))
    return units


def make_unit_path(doc: dict[str, Any], path: Path, gold: list[dict[str, Any]], nlp: Any) -> Unit:
    return make_unit_from(doc, read_tender(path), gold, nlp, split="real", file=str(path))


def make_unit_from(
    doc: dict[str, Any],
    tender: Tender,
    gold: list[dict[str, Any]],
    nlp: Any,
    *,
    split: str,
    file: str = "",
) -> Unit:
    return _unit(doc, tender, list(segment(tender, nlp)), gold, split, file or tender.name, True)


def _unit(
    doc: dict[str, Any],
    tender: Tender,
    clauses: list[Clause],
    gold: list[dict[str, Any]],
    split: str,
    file: str,
    primary: bool,
) -> Unit:
    """Match the clauses to the gold, weigh the tender and build the model records."""
    matches = [_match(c.text, gold) for c in clauses]
    sv_ids = [
        c.id for c, m in zip(clauses, matches, strict=True) if m is not None and m["label"] in SV
    ]
    weighed = weigh(tender, clauses, sv_ids)
    unit = Unit(
        doc_id=doc["doc_id"],
        split=split,
        file=file,
        primary=primary,
        verdict=doc["verdict"],
        gold=gold,
        clauses=clauses,
        matches=matches,
        weightings=weighed.weightings,
        sv_weight=weighed.social_value.effective_pct,
    )
    unit.det_records = detection_records(clauses)
    unit.lab_records = label_records(clauses, unit.weightings, unit.sv_weight)
    return unit


def unlabelled_negative_units(nlp: Any) -> list[Unit]:
    """Real notices that are NOT among the labelled ones (``real_labels``) and never name
    social value or community benefits: weak negatives for the detector (their clauses
    are not social value, except possibly the ones a strong rule cue fires on, which
    ``train.py`` leaves out). The labelled notices stay held out for evaluation."""
    labelled = {n["path"] for n in real_labels()}
    units: list[Unit] = []
    if not REAL_NOTICES.exists():
        return units
    for path in sorted(REAL_NOTICES.glob("*/*.json")):
        rel = f"{path.parent.name}/{path.name}"
        if rel in labelled or KEYWORD.search(path.read_text(encoding="utf-8", errors="replace")):
            continue
        try:
            unit = make_unit_path({"doc_id": f"notice:{rel}", "verdict": "absent"}, path, [], nlp)
        except (InputError, ImportError):
            continue
        unit.split, unit.weak_negative = "train", True
        units.append(unit)
    return units


def counts(units: Iterable[Unit]) -> dict[str, Any]:
    """Documents, verdicts and gold clause labels/roles of a split (from the gold labels)."""
    units = [u for u in units if u.primary]
    labels: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    for u in units:
        for g in u.gold:
            labels[g["label"]] += 1
            if g.get("role"):
                roles[g["role"]] += 1
    return {
        "documents": len(units),
        "verdicts": dict(sorted(Counter(u.verdict for u in units).items())),
        "clauses": dict(sorted(labels.items())),
        "roles": dict(sorted(roles.items())),
    }


def dump(obj: Any) -> str:
    return json.dumps(obj, indent=2, sort_keys=True)
