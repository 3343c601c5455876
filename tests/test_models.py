"""The trained clause models: artefact loading, behaviour through public interfaces, and
a deterministic training recipe."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from analyser.classify import MANDATORY_WAGE_REASON, RESERVED_REASON, classify
from analyser.clause_model import (
    ARTEFACT_NAME,
    MODELS_DIR,
    ClauseModels,
    detection_records,
    load_models,
)
from analyser.detect import detect
from analyser.pipeline import Analyser
from analyser.types import Clause, Weighting
from models.guide_examples import GUIDE_SUBSTANTIVE, GUIDE_TOKEN, label_alone

ROOT = Path(__file__).resolve().parents[1]
ARTEFACT = MODELS_DIR / ARTEFACT_NAME

needs_artefact = pytest.mark.skipif(not ARTEFACT.exists(), reason="run `make train` first")


@pytest.fixture(scope="module")
def models() -> ClauseModels:
    loaded = load_models()
    assert loaded is not None
    return loaded


def clause(text: str, heading: tuple[str, ...] = (), kind: str = "paragraph", n: int = 1) -> Clause:
    return Clause(id=f"c{n}", page=1, text=text, heading_path=heading, kind=kind)  # type: ignore[arg-type]


@needs_artefact
def test_artefact_is_small_json_not_pickle() -> None:
    assert ARTEFACT.stat().st_size < 20_000_000
    with gzip.open(ARTEFACT, "rb") as fh:
        params = json.loads(fh.read())
    assert params["format"] == "sva-clause-models/1"
    assert {"detect", "label", "role"} <= set(params["heads"])


@needs_artefact
def test_analyser_loads_models_once() -> None:
    analyser = Analyser()
    assert isinstance(analyser.models, ClauseModels)
    assert Analyser(use_models=False).models is None


def test_missing_artefact_falls_back_with_a_warning(tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert load_models(tmp_path) is None
    assert any("make train" in str(w.message) for w in caught)


# Freshly written for these tests: not in the corpus, not in the brief.
FRESH_TOKEN = [
    "The Trust values its role as an anchor institution and hopes suppliers will share that ambition.",
    "Where practicable, the contractor might like to explore volunteering days with local schools.",
    "Community benefits are welcome but are optional and will not be evaluated.",
    "Let us know of any apprenticeships or local jobs your firm would be willing to provide; answers "
    "can be any length.",
]
FRESH_SUBSTANTIVE = [
    "The Supplier shall create at least 6 apprenticeship starts (Level 3) in each contract year and report "
    "progress against this KPI to the Contract Manager every quarter.",
    "Social value question SV2 is worth 12% of the total score and will be marked 0-4 using the descriptors "
    "in Appendix C; answers are limited to 800 words.",
    "If the agreed local spend target is missed in two consecutive years, a service credit of 2% of the "
    "annual charges will apply.",
]


@needs_artefact
@pytest.mark.parametrize("text", GUIDE_TOKEN + FRESH_TOKEN)
def test_token_examples(models: ClauseModels, text: str) -> None:
    assert label_alone(models, text) == "token"


# A known error of the shipped models (strict: the test fails once the models get it right,
# so the mark must then go): the label head gives this remedy clause P(substantive) 0.64,
# under the chosen threshold 0.7 (see models/README.md, Limitations).
KNOWN_WRONG = {GUIDE_SUBSTANTIVE[2]}
SUBSTANTIVE_CASES = [
    pytest.param(
        t,
        marks=pytest.mark.xfail(strict=True, reason="known model error, models/README.md"),
    )
    if t in KNOWN_WRONG
    else t
    for t in GUIDE_SUBSTANTIVE + FRESH_SUBSTANTIVE
]


@needs_artefact
@pytest.mark.parametrize("text", SUBSTANTIVE_CASES)
def test_substantive_examples(models: ClauseModels, text: str) -> None:
    assert label_alone(models, text) == "substantive"


@needs_artefact
def test_policy_background_is_token_background(models: ClauseModels) -> None:
    text = (
        "The Public Services (Social Value) Act 2012 requires the Council to consider social value."
    )
    assessed = classify(
        [(clause(text, ("1 Introduction", "1.2 Policy context")), 1.0)], [], None, model=models
    )
    assert assessed[0].label == "token"
    assert assessed[0].role == "background"


@needs_artefact
def test_confidence_is_a_probability(models: ClauseModels) -> None:
    assessed = classify(
        [(clause(t), 1.0) for t in FRESH_SUBSTANTIVE + FRESH_TOKEN], [], None, model=models
    )
    assert all(0.0 <= c.confidence <= 1.0 for c in assessed)
    assert all(
        c.role in ("weight", "requirement", "evaluation", "contract", "background")
        for c in assessed
    )


@needs_artefact
def test_detection_finds_social_value_and_skips_look_alikes(models: ClauseModels) -> None:
    clauses = [
        clause(
            "The contract will start on 1 April 2026 for three years.", ("1 Introduction",), n=1
        ),
        clause("Value for money will be judged on whole-life cost.", ("3 Evaluation",), n=2),
        clause("Payment will be made within 30 days of a valid invoice.", ("5 Terms",), n=3),
        clause(
            "Bidders must state how many apprenticeships they will create for local residents in each year.",
            ("4 Social value",),
            n=4,
        ),
        clause("TUPE is expected to apply to the incumbent's staff.", ("5 Terms",), n=5),
    ]
    found = {c.id for c, _ in detect(clauses, model=models)}
    assert "c4" in found
    assert not found & {"c1", "c2", "c3", "c5"}


@needs_artefact
def test_a_few_words_without_a_figure_or_cue_are_not_a_clause_among_social_value(
    models: ClauseModels,
) -> None:
    heading = ("Community benefits",)
    texts = [
        "The Requirement",
        "Tenderers must commit to a number of apprenticeship starts for local residents in each contract year.",
        "See tender pack",
        "Contractors shall report community benefit outcomes quarterly to the Council.",
        "Ii. Kitchens",
        "Sheltered workshop",
    ]
    clauses = [clause(t, heading, n=i) for i, t in enumerate(texts, 1)]
    found = {c.id for c, _ in detect(clauses, model=models)}
    assert {"c2", "c4", "c6"} <= found
    assert not found & {"c1", "c3", "c5"}


@needs_artefact
def test_a_document_without_social_value_has_no_clauses(models: ClauseModels) -> None:
    clauses = [
        clause("Maximum 1,000 words.", ("Quality questions",), n=1),
        clause("Price 40%, Quality 60%.", n=2),
    ]
    assert detect(clauses, model=models) == []


@needs_artefact
def test_exported_parameters_round_trip(models: ClauseModels) -> None:
    again = ClauseModels.from_params(json.loads(json.dumps(models.to_params())))
    records = detection_records(
        [clause(t, n=i) for i, t in enumerate(FRESH_SUBSTANTIVE + FRESH_TOKEN)]
    )
    assert list(again.detect_proba(records)) == list(models.detect_proba(records))
    assert list(again.label_proba(records)) == list(models.label_proba(records))


def _train(out: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "models" / "train.py"),
            "--limit",
            "9",
            "--no-report",
            "--quiet",
            "--out",
            str(out),
        ],
        check=True,
        cwd=ROOT,
        timeout=300,
    )


def test_training_is_deterministic(tmp_path: Path) -> None:
    """Train twice on a small subset: the same artefact, byte for byte, and the same predictions."""
    _train(tmp_path / "a")
    _train(tmp_path / "b")
    a, b = tmp_path / "a" / ARTEFACT_NAME, tmp_path / "b" / ARTEFACT_NAME
    assert a.read_bytes() == b.read_bytes()
    ma, mb = ClauseModels.load(a), ClauseModels.load(b)
    records = detection_records(
        [clause(t, n=i) for i, t in enumerate(GUIDE_TOKEN + GUIDE_SUBSTANTIVE)]
    )
    assert list(ma.detect_proba(records)) == list(mb.detect_proba(records))
    assert list(ma.label_proba(records)) == list(mb.label_proba(records))


@needs_artefact
@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("7.2 The Provider must pay every employee working on this contract at least the London Living "
         "Wage and apply each annual uplift from 1 April.", "substantive"),
        ("The Contractor is required to sign up to the Council's Ethical Care Charter within three months "
         "of the start date.", "substantive"),
        ("Suppliers are encouraged to consider paying the Real Living Wage where possible.", "token"),
    ],
)  # fmt: skip
def test_mandatory_living_wage_is_a_substantive_contract_clause(
    models: ClauseModels, text: str, label: str
) -> None:
    """The annotation guide's edge case (8.3), with or without the model."""
    for model in (models, None):
        (assessed,) = classify(
            [(clause(text, ("7 Contract conditions",)), 1.0)], [], None, model=model
        )
        assert assessed.label == label
        if label == "substantive":
            assert assessed.role == "contract"


@needs_artefact
@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Under Regulation 20 of the Public Contracts Regulations 2015 this contract is reserved for "
         "supported businesses whose main aim is the integration of disabled or disadvantaged workers.",
         "substantive"),
        ("Lot 3 (document scanning) will be reserved to supported factories and businesses.", "substantive"),
        ("The Trust may consider whether future contracts could be reserved for supported businesses.",
         "token"),
    ],
)  # fmt: skip
def test_a_reserved_contract_is_substantive_unless_hedged(
    models: ClauseModels, text: str, label: str
) -> None:
    """A contract reserved for supported businesses (s.32/33, brief D8 level 3), with or
    without the model; "may ... could be reserved" is a wish, not a reservation."""
    for model in (models, None):
        (assessed,) = classify([(clause(text, ("II.2 Description",)), 1.0)], [], None, model=model)
        assert assessed.label == label
        assert (f"why:{RESERVED_REASON}" in assessed.signals) == (label == "substantive")


def test_only_employment_charters_count_as_the_living_wage_edge_case() -> None:
    text = "The Contractor shall comply with the Council's Customer Charter on complaint handling."
    (assessed,) = classify([(clause(text, ("7 Contract conditions",)), 1.0)], [], None, model=None)
    assert "why:" + MANDATORY_WAGE_REASON not in assessed.signals


@pytest.mark.parametrize("use_model", [False, True])
def test_clauses_citing_a_social_value_clause_by_its_reference_are_found(
    use_model: bool, models: ClauseModels
) -> None:
    texts = [
        "14.1 The Contractor shall pay all staff engaged on the Services at least the Real Living "
        "Wage as published by the Living Wage Foundation.",
        "14.2 The Contractor shall maintain employer's liability insurance of not less than £5m.",
        "14.3 Failure to comply with Clause 14.1 shall be a material breach of the Contract.",
        "14.12 Invoices shall be submitted monthly in arrears.",
        "14.13 Any dispute about Clause 14.12 shall be referred to the Contract Manager.",
    ]
    found = detect(
        [clause(t, ("14 Employment",), n=i) for i, t in enumerate(texts)],
        model=models if use_model else None,
    )
    starts = [c.text.split()[0] for c, _ in found]
    assert "14.1" in starts and "14.3" in starts
    assert "14.2" not in starts and "14.13" not in starts


def test_gold_rows_match_segmented_rows_whatever_their_furniture() -> None:
    """Evaluation matching: a segmented table row ("Q5 | Social value | 20%") is the gold row
    written with dot leaders, tabs or column spacing."""
    from analyser.evaluate import norm

    row = norm("Q5 | Social value | 20%")
    for gold in ("Q5 Social value ........................ 20%", "Q5\tSocial value\t20%",
                 "Q5     Social value     20%", "Q5 Social value … 20%"):  # fmt: skip
        assert norm(gold) == row
    assert norm("Price 3.5% (e.g. 1.2.3)") == "price 3.5% (e.g. 1.2.3)"


def test_list_items_carry_the_sentence_that_introduces_them() -> None:
    from analyser.clause_model import lead_ins

    lead = "The following community benefits will be conditions of contract:"
    clauses = [
        Clause(id="c1", page=1, text=lead),
        Clause(id="c2", page=1, text="(a) 3 apprenticeship starts", kind="bullet"),
        Clause(id="c3", page=1, text="(b) 10 school visits a year", kind="bullet"),
        Clause(id="c5", page=1, text="(d) quarterly reports", kind="bullet"),  # c4 not given
        Clause(id="c6", page=1, text="Invoices are paid monthly.", kind="paragraph"),
        Clause(id="c7", page=1, text="(e) a bullet after a paragraph", kind="bullet"),
    ]
    assert lead_ins(clauses) == ["", lead, lead, "", "", ""]


def test_a_row_weighing_only_other_criteria_is_not_a_social_value_clause() -> None:
    row = clause("Technical 60% (performance 35%, maintenance and uptime 15%, training 10%)")
    sv_row = clause("Quality 60% (method 35%, mobilisation 15%, social value 10%)", n=2)

    def weight(c: Clause, name: str, value: float, sv: bool = False) -> Weighting:
        return Weighting(name, value, "percent", "total", value, 1, c.text, is_social_value=sv)

    weightings = [
        weight(row, "Technical", 60),
        weight(row, "performance", 35),
        weight(row, "maintenance and uptime", 15),
        weight(sv_row, "Quality", 60),
        weight(sv_row, "social value", 10, sv=True),
    ]
    labelled = classify([(row, 0.9), (sv_row, 0.9)], weightings, 10.0)
    assert [a.clause.text for a in labelled] == [sv_row.text]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # a remedy is a consequence (with the KPI, two of the four tests) and "may" does not
        # hedge it
        ("Missing the local recruitment KPI in two consecutive quarters triggers a "
         "rectification plan.", "substantive"),
        ("Should the local recruitment KPI be missed twice, the Council may withhold 3% of the "
         "charges.", "substantive"),
        # an invitation is a hedge, however specific
        ("Tell us about any apprenticeship starts per year you would be willing to offer, in no "
         "more than 500 words, reported quarterly.", "token"),
    ],
)  # fmt: skip
def test_remedies_and_invitations_by_the_rules(text: str, label: str) -> None:
    labelled = classify([(clause(text, ("Community benefits",)), 0.9)], [], None)
    assert labelled[0].label == label


def test_a_clause_about_other_questions_only_is_not_a_social_value_clause() -> None:
    sv_row = clause("QT6 | Community benefits and fair work | 15%")
    others = clause(
        "Responses to QT1 - QT5 are marked 0-10 by three evaluators and moderated.", n=2
    )
    method = clause("QT5 and QT6 are each limited to 1,200 words.", n=3)
    every = clause("All quality questions, QT1 to QT5 included, are marked 0-10.", n=4)
    weightings = [
        Weighting(
            "Community benefits and fair work",
            15,
            "percent",
            "total",
            15,
            1,
            sv_row.text,
            is_social_value=True,
        )
    ]
    found = [(c, 0.9) for c in (sv_row, others, method, every)]
    kept = [a.clause.id for a in classify(found, weightings, 15.0)]
    assert kept == ["c1", "c3", "c4"]
