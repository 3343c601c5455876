"""Trained clause models: social value detection, token/substantive label and role.

Three scikit-learn heads share one feature extractor (a ``FeatureUnion`` over TF-IDF word
1-2grams and char n-grams of the clause, TF-IDF of its heading path, and the rule signals
of ``detect`` and ``classify`` as a small sklearn transformer). ``models/train.py``
fits them on the corpus train split, tunes thresholds on dev and exports the fitted
parameters (vocabularies, idf, coefficients, calibration, thresholds) to one gzipped JSON
file. Loading rebuilds the estimators from that file: no pickle, no network.

Inputs are *records*: one plain dict per clause, built by ``detection_records`` (before the
weigh stage: no weights known) or ``label_records`` (after it: the document's effective
social value weight and the weight the clause itself states).
"""

from __future__ import annotations

import gzip
import json
import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from analyser.types import Clause, Weighting

FORMAT = "sva-clause-models/1"
ARTEFACT_NAME = "clause_models.json.gz"
MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
ROLES = ("background", "contract", "evaluation", "requirement", "weight")
KINDS = ("paragraph", "bullet", "numbered", "table_row", "sentence", "heading")

Record = dict[str, Any]


# ---------------------------------------------------------------------------------------
# records: what the models see of a clause


def detection_records(clauses: Sequence[Clause]) -> list[Record]:
    """Records for detection: text, heading path, kind and the previous clause's text."""
    records = []
    prev = ""
    for clause in clauses:
        records.append(_record(clause, prev, None, None))
        prev = clause.text
    return records


def label_records(
    clauses: Sequence[Clause], weightings: Sequence[Weighting], sv_weight: float | None
) -> list[Record]:
    """Records for labelling: as for detection plus the document's effective social value
    weight and the social value weight stated in the clause itself (if any)."""
    from analyser.classify import clause_weight

    records = [_record(c, "", sv_weight, clause_weight(c, weightings)) for c in clauses]
    for record, lead in zip(records, lead_ins(clauses), strict=True):
        record["lead"] = lead
    return records


LIST_KINDS = ("bullet", "numbered", "table_row")


def lead_ins(clauses: Sequence[Clause]) -> list[str]:
    """For each clause, the sentence that introduces the list it is an item of ("... will be
    conditions of contract:" above "CB2 Apprenticeships: a minimum of 4 ..."), else "". Items
    must follow their lead-in without a gap (clause ids are numbered in reading order); a
    lead-in ends with a colon or points at what follows ("CB1 to CB4 below are ...")."""
    out: list[str] = []
    lead, last = "", -2
    for position, clause in enumerate(clauses):
        number = int(clause.id[1:]) if clause.id[1:].isdigit() else position
        if lead and number == last + 1 and clause.kind in LIST_KINDS:
            out.append(lead)
            last = number
            continue
        out.append("")
        lead, last = (clause.text, number) if LEAD_IN.search(clause.text) else ("", -2)
    return out


LEAD_IN = re.compile(r":\s*$|\b(?:below|as\s+follows|the\s+following)\b", re.IGNORECASE)


def _record(
    clause: Clause, prev: str, doc_weight: float | None, own_weight: float | None
) -> Record:
    return {
        "text": clause.text,
        "heading": " > ".join(clause.heading_path),
        "kind": clause.kind,
        "prev": prev,
        "doc_weight": doc_weight,
        "own_weight": own_weight,
    }


# ---------------------------------------------------------------------------------------
# feature extraction (sklearn transformers)


def select_field(records: Sequence[Record], name: str = "text") -> list[str]:
    """The named text field of every record (a stateless step for ``FunctionTransformer``)."""
    return [str(r.get(name) or "") for r in records]


def _bins(prefix: str, value: float | None) -> dict[str, float]:
    if value is None:
        return {f"{prefix}:none": 1.0}
    if value < 5:
        return {f"{prefix}:lt5": 1.0}
    if value < 10:
        return {f"{prefix}:5to10": 1.0}
    return {f"{prefix}:ge10": 1.0}


class RuleSignals(BaseEstimator, TransformerMixin):
    """The rule layer as features: classify.SIGNALS, detect cues, kind, weights, and the
    rules' own decision (label, role, number of the four tests met).

    Stateless: ``fit`` only records the feature names. Output is a sparse matrix of 0/1
    (and a few values in [0, 1]).
    """

    def __init__(self, with_rule_decision: bool = True) -> None:
        self.with_rule_decision = with_rule_decision

    def fit(self, X: Sequence[Record], y: Any = None) -> RuleSignals:
        self.feature_names_ = self._names()
        return self

    def _names(self) -> list[str]:
        from analyser.classify import SIGNALS

        names = [f"sig:{s}" for s in SIGNALS]
        names += [
            "det:strong",
            "det:strong2",
            "det:context",
            "det:sv_heading",
            "det:not_sv",
            "det:rule_score",
        ]
        names += ["prev:strong", "prev:colon", "prev:rule_score"]
        names += ["lead:binding", "lead:hedged", "lead:scored", "lead:pass_fail"]
        names += [f"kind:{k}" for k in KINDS]
        for prefix in ("doc_w", "own_w"):
            names += [f"{prefix}:{b}" for b in ("none", "lt5", "5to10", "ge10")]
        names += ["has_percent", "short"]
        if self.with_rule_decision:
            names += ["rule:substantive", "rule:hedged"] + [f"rule:tests={n}" for n in range(5)]
            names += [f"rule:role={r}" for r in ROLES]
        return names

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(self._names(), dtype=object)

    def transform(self, X: Sequence[Record]) -> sparse.csr_matrix:
        names = self._names()
        index = {n: i for i, n in enumerate(names)}
        rows, cols, vals = [], [], []
        for i, record in enumerate(X):
            for name, value in self.features(record).items():
                j = index.get(name)
                if j is not None and value:
                    rows.append(i)
                    cols.append(j)
                    vals.append(value)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(X), len(names)), dtype=np.float64)

    def features(self, record: Record) -> dict[str, float]:
        from analyser.classify import rule_decision, signals_of
        from analyser.detect import CONTEXT_CUES, NOT_SV, STRONG_CUES, SV_HEADING, text_rule_score

        text, heading, prev = record["text"], record.get("heading") or "", record.get("prev") or ""
        out: dict[str, float] = {f"sig:{s}": 1.0 for s in signals_of(text)}
        strong = STRONG_CUES.findall(text)
        out["det:strong"] = float(bool(strong))
        out["det:strong2"] = float(len(strong) > 1)
        out["det:context"] = float(bool(CONTEXT_CUES.search(text)))
        out["det:sv_heading"] = float(bool(SV_HEADING.search(heading)))
        out["det:not_sv"] = float(bool(NOT_SV.search(text)))
        out["det:rule_score"] = text_rule_score(text, heading)
        out["prev:strong"] = float(bool(STRONG_CUES.search(prev)))
        out["prev:colon"] = float(prev.rstrip().endswith(":"))
        out["prev:rule_score"] = text_rule_score(prev, heading) if prev else 0.0
        lead = record.get("lead") or ""
        if lead:  # the list's lead-in: "... will be conditions of contract:"
            lead_signals = set(signals_of(lead))
            out["lead:hedged"] = float("modal_hedge" in lead_signals)
            out["lead:binding"] = float("binding" in lead_signals and not out["lead:hedged"])
            out["lead:scored"] = float("scored" in lead_signals)
            out["lead:pass_fail"] = float("pass_fail" in lead_signals)
        out[f"kind:{record.get('kind') or 'paragraph'}"] = 1.0
        out.update(_bins("doc_w", record.get("doc_weight")))
        out.update(_bins("own_w", record.get("own_weight")))
        out["has_percent"] = float("%" in text or "per cent" in text.lower())
        out["short"] = float(len(text) < 60)
        if self.with_rule_decision:
            decision = rule_decision(
                text, heading, str(record.get("kind") or "paragraph"), record.get("own_weight")
            )
            out["rule:substantive"] = float(decision.label == "substantive")
            out["rule:hedged"] = float(decision.hedged)
            out[f"rule:tests={decision.tests.count}"] = 1.0
            out[f"rule:role={decision.role}"] = 1.0
        return out


@dataclass(frozen=True)
class FeatureConfig:
    """Hyperparameters of the shared feature extractor (stored in the artefact)."""

    word_ngrams: tuple[int, int] = (1, 2)
    word_min_df: int = 2
    char_ngrams: tuple[int, int] = (2, 5)
    char_min_df: int = 3
    char_max_features: int = 20000
    heading_min_df: int = 2

    def to_dict(self) -> dict[str, Any]:
        return {
            "word_ngrams": list(self.word_ngrams),
            "word_min_df": self.word_min_df,
            "char_ngrams": list(self.char_ngrams),
            "char_min_df": self.char_min_df,
            "char_max_features": self.char_max_features,
            "heading_min_df": self.heading_min_df,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureConfig:
        return cls(
            word_ngrams=(int(data["word_ngrams"][0]), int(data["word_ngrams"][1])),
            word_min_df=int(data["word_min_df"]),
            char_ngrams=(int(data["char_ngrams"][0]), int(data["char_ngrams"][1])),
            char_min_df=int(data["char_min_df"]),
            char_max_features=int(data["char_max_features"]),
            heading_min_df=int(data["heading_min_df"]),
        )


TFIDF_PARTS = ("word", "char", "heading")


def build_features(config: FeatureConfig | None = None) -> FeatureUnion:
    """The unfitted feature extractor: a ``FeatureUnion`` of field selectors + TF-IDF, and
    the rule signals."""
    config = config or FeatureConfig()

    def field(name: str) -> FunctionTransformer:
        return FunctionTransformer(select_field, kw_args={"name": name})

    return FeatureUnion(
        [
            (
                "word",
                Pipeline(
                    [
                        ("select", field("text")),
                        (
                            "tfidf",
                            TfidfVectorizer(
                                ngram_range=config.word_ngrams,
                                min_df=config.word_min_df,
                                sublinear_tf=True,
                                lowercase=True,
                                token_pattern=r"(?u)\b\w+\b|%|£",
                                dtype=np.float64,
                            ),
                        ),
                    ]
                ),
            ),
            (
                "char",
                Pipeline(
                    [
                        ("select", field("text")),
                        (
                            "tfidf",
                            TfidfVectorizer(
                                analyzer="char_wb",
                                ngram_range=config.char_ngrams,
                                min_df=config.char_min_df,
                                max_features=config.char_max_features,
                                sublinear_tf=True,
                                lowercase=True,
                                dtype=np.float64,
                            ),
                        ),
                    ]
                ),
            ),
            (
                "heading",
                Pipeline(
                    [
                        ("select", field("heading")),
                        (
                            "tfidf",
                            TfidfVectorizer(
                                ngram_range=(1, 2),
                                min_df=config.heading_min_df,
                                sublinear_tf=True,
                                lowercase=True,
                                dtype=np.float64,
                            ),
                        ),
                    ]
                ),
            ),
            ("rules", RuleSignals()),
        ]
    )


def build_head(task: str, C: float = 1.0) -> LogisticRegression:
    """The unfitted classifier of one task (``detect``, ``label`` or ``role``)."""
    return LogisticRegression(C=C, class_weight="balanced", max_iter=5000, solver="lbfgs")


def build_pipeline(task: str, config: FeatureConfig | None = None, C: float = 1.0) -> Pipeline:
    """Features + classifier for one task, as trained by ``models/train.py``."""
    return Pipeline([("features", build_features(config)), ("clf", build_head(task, C))])


CONTEXT_FEATURES = (
    "self",
    "prev",
    "next",
    "prev2_max",
    "next2_max",
    "section_mean",
    "section_max",
    "short",
)


def context_features(records: Sequence[Record], scores: np.ndarray) -> np.ndarray:
    """Second-stage detection features of a document's clauses in reading order: the clause's
    own first-stage score, its neighbours' (two either side) and its heading section's."""
    n = len(records)
    sections: dict[str, list[float]] = {}
    for record, score in zip(records, scores, strict=True):
        sections.setdefault(record.get("heading") or "", []).append(float(score))
    # each section's mean and max once (a long section must not cost its length per clause)
    summary = {key: (float(np.mean(v)), float(np.max(v))) for key, v in sections.items()}
    none = -5.0
    rows = []
    for i, record in enumerate(records):
        prev = scores[i - 1] if i > 0 else none
        prev2 = scores[i - 2] if i > 1 else none
        nxt = scores[i + 1] if i < n - 1 else none
        nxt2 = scores[i + 2] if i < n - 2 else none
        section_mean, section_max = summary[record.get("heading") or ""]
        rows.append(
            [
                scores[i],
                prev,
                nxt,
                max(prev, prev2),
                max(nxt, nxt2),
                section_mean,
                section_max,
                float(len(record["text"]) < 40),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(n, len(CONTEXT_FEATURES))


# ---------------------------------------------------------------------------------------
# the loaded models


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


@dataclass
class ClauseModels:
    """The three trained heads behind one fitted feature extractor, with thresholds and the
    label calibration. Build with ``from_params`` (or ``load``); ``to_params`` exports."""

    features: FeatureUnion
    detector: LogisticRegression
    labeller: LogisticRegression
    roler: LogisticRegression
    context: LogisticRegression | None = None  # second detection stage over neighbours' scores
    detect_threshold: float = 0.5
    label_threshold: float = 0.5
    calibration: tuple[float, float] = (1.0, 0.0)  # Platt: p = sigmoid(a * decision + b)
    detect_source: str = "model"  # "model" or "model_or_rules" (either one finds it)
    detect_gate: bool = (
        True  # nothing is social value unless one found clause has a strong rule cue
    )
    combine: str = "model+hard_rules"  # how labels combine model and rules (see classify)
    label_mode: str = (
        "joint"  # "joint": P(substantive) x P(social value); "conditional": P(substantive)
    )
    role_source: str = "model"  # "model" or "rules"
    meta: dict[str, Any] = field(default_factory=dict)

    # -- prediction ---------------------------------------------------------------------

    def _matrix(self, records: Sequence[Record]) -> Any:
        return self.features.transform(list(records))

    def detect_proba(self, records: Sequence[Record]) -> np.ndarray:
        """P(social value) for each record. ``records`` are one document's clauses in reading
        order: the second stage looks at the neighbours' and the heading section's scores."""
        if not records:
            return np.zeros(0)
        X = self._matrix(records)
        if self.context is None:
            return np.asarray(self.detector.predict_proba(X)[:, 1])
        scores = np.asarray(self.detector.decision_function(X))
        return np.asarray(self.context.predict_proba(context_features(records, scores))[:, 1])

    def label_proba(self, records: Sequence[Record]) -> np.ndarray:
        """Calibrated P(substantive) for each record."""
        if not records:
            return np.zeros(0)
        decision = self.labeller.decision_function(self._matrix(records))
        a, b = self.calibration
        return _sigmoid(a * np.asarray(decision) + b)

    def role_proba(self, records: Sequence[Record]) -> np.ndarray:
        """P(role) for each record; columns in ``self.roler.classes_`` order."""
        if not records:
            return np.zeros((0, len(ROLES)))
        return np.asarray(self.roler.predict_proba(self._matrix(records)))

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.roler.classes_)

    # -- export / import ----------------------------------------------------------------

    def to_params(self) -> dict[str, Any]:
        """Everything needed to rebuild the models, as plain JSON-ready data."""
        vectorizers = {}
        for name in TFIDF_PARTS:
            vec = _vectorizer(self.features, name)
            terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
            vectorizers[name] = {"terms": terms, "idf": _floats(vec.idf_)}
        return {
            "format": FORMAT,
            "meta": self.meta,
            "feature_config": self.meta.get("feature_config", FeatureConfig().to_dict()),
            "rule_features": list(_rules(self.features).get_feature_names_out()),
            "vectorizers": vectorizers,
            "heads": {
                "detect": _head_params(self.detector),
                "label": _head_params(self.labeller),
                "role": _head_params(self.roler),
                **({"context": _head_params(self.context)} if self.context is not None else {}),
            },
            "detect_threshold": self.detect_threshold,
            "label_threshold": self.label_threshold,
            "calibration": list(self.calibration),
            "detect_source": self.detect_source,
            "detect_gate": self.detect_gate,
            "combine": self.combine,
            "label_mode": self.label_mode,
            "role_source": self.role_source,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> ClauseModels:
        if params.get("format") != FORMAT:
            raise ValueError(f"unknown model format {params.get('format')!r}; expected {FORMAT!r}")
        config = FeatureConfig.from_dict(params["feature_config"])
        features = build_features(config)
        for name in TFIDF_PARTS:
            vec = _vectorizer(features, name)
            data = params["vectorizers"][name]
            vec.set_params(vocabulary={t: i for i, t in enumerate(data["terms"])})
            vec.idf_ = np.asarray(data["idf"], dtype=np.float64)
        rules = _rules(features)
        rules.fit([])
        if list(rules.get_feature_names_out()) != list(params["rule_features"]):
            raise ValueError(
                "the artefact was trained with different rule features; retrain with `make train`"
            )
        return cls(
            features=features,
            detector=_head_from(params["heads"]["detect"]),
            labeller=_head_from(params["heads"]["label"]),
            roler=_head_from(params["heads"]["role"]),
            context=_head_from(params["heads"]["context"])
            if "context" in params["heads"]
            else None,
            detect_threshold=float(params["detect_threshold"]),
            label_threshold=float(params["label_threshold"]),
            calibration=(float(params["calibration"][0]), float(params["calibration"][1])),
            detect_source=str(params["detect_source"]),
            detect_gate=bool(params["detect_gate"]),
            combine=str(params["combine"]),
            label_mode=str(params["label_mode"]),
            role_source=str(params["role_source"]),
            meta=dict(params.get("meta") or {}),
        )

    def save(self, path: Path) -> None:
        """Write the gzipped JSON artefact, byte for byte the same for the same models."""
        text = json.dumps(
            self.to_params(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        with (
            path.open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
        ):
            gz.write(text.encode("utf-8"))

    @classmethod
    def load(cls, path: Path) -> ClauseModels:
        with gzip.open(path, "rb") as gz:
            return cls.from_params(json.loads(gz.read().decode("utf-8")))


def load_models(directory: Path | None = None) -> ClauseModels | None:
    """The trained models from ``models/`` (next to the package), or ``None`` with a warning
    when the artefact is missing or unreadable: the caller then falls back to the rules."""
    path = (directory or MODELS_DIR) / ARTEFACT_NAME
    if not path.exists():
        warnings.warn(
            f"trained clause models not found at {path}; using the rules (run `make train`)",
            RuntimeWarning,
            stacklevel=2,
        )
        return None
    try:
        return ClauseModels.load(path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        warnings.warn(
            f"trained clause models at {path} cannot be read ({exc}); using the rules",
            RuntimeWarning,
            stacklevel=2,
        )
        return None


def _vectorizer(features: FeatureUnion, name: str) -> TfidfVectorizer:
    part = dict(features.transformer_list)[name]
    vec = part.named_steps["tfidf"]
    assert isinstance(vec, TfidfVectorizer)
    return vec


def _rules(features: FeatureUnion) -> RuleSignals:
    rules = dict(features.transformer_list)["rules"]
    assert isinstance(rules, RuleSignals)
    return rules


def _floats(values: Any) -> list[float]:
    """Floats rounded to 7 significant digits (keeps the artefact small and deterministic)."""
    return [float(f"{v:.7g}") for v in np.asarray(values, dtype=np.float64).ravel()]


def _head_params(clf: LogisticRegression) -> dict[str, Any]:
    coef = np.asarray(clf.coef_)
    return {
        "classes": [c.item() if hasattr(c, "item") else c for c in clf.classes_],
        "coef_shape": list(coef.shape),
        "coef": _floats(coef),
        "intercept": _floats(clf.intercept_),
        "C": float(clf.C),
    }


def _head_from(data: dict[str, Any]) -> LogisticRegression:
    clf = build_head("loaded", C=float(data["C"]))
    clf.classes_ = np.asarray(data["classes"])
    clf.coef_ = np.asarray(data["coef"], dtype=np.float64).reshape(data["coef_shape"])
    clf.intercept_ = np.asarray(data["intercept"], dtype=np.float64)
    clf.n_features_in_ = clf.coef_.shape[1]
    return clf


def rebuild(models: ClauseModels) -> ClauseModels:
    """The models as they will be loaded from the artefact (rounded parameters)."""
    return ClauseModels.from_params(json.loads(json.dumps(models.to_params())))


def platt(decision: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling fitted on held-out decision values: (a, b) with p = sigmoid(a*d + b)."""
    lr = LogisticRegression(C=1e6, max_iter=1000)
    lr.fit(np.asarray(decision).reshape(-1, 1), np.asarray(y))
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def expected_calibration_error(proba: Sequence[float], y: Sequence[int], bins: int = 10) -> float:
    """ECE over equal-width bins of P(positive)."""
    p = np.asarray(proba, dtype=float)
    t = np.asarray(y, dtype=float)
    if not len(p):
        return math.nan
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        mask = (p >= lo) & ((p < hi) if hi < 1 else (p <= hi))
        if mask.any():
            total += mask.sum() / len(p) * abs(p[mask].mean() - t[mask].mean())
    return float(total)
