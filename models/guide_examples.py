"""The annotation guide's own clear-cut examples (brief 8.4 / 8.5), and how one clause is
labelled on its own. Training only ships a label combination that gets all of them right
when one does (``models/train.py``: ``choose_combination``); ``tests/test_models.py`` checks
the shipped artefact on them and on freshly written examples that training never sees."""

from __future__ import annotations

import re

from analyser.classify import classify
from analyser.clause_model import ClauseModels
from analyser.types import Clause, Weighting

GUIDE_TOKEN = [
    "The Council recognises the importance of the Public Services (Social Value) Act 2012.",
    "Bidders are encouraged to consider how their service could benefit the local community.",
    "Social value will be taken into account where appropriate and proportionate.",
    "The Provider should, where possible, employ local people.",
    "Suppliers may be asked to report on their social value activities from time to time.",
]
GUIDE_SUBSTANTIVE = [
    "Evaluation weightings: Price 40%, Quality 45%, Social Value 15% of the total score.",
    "The successful bidder's social value commitments will be incorporated into Schedule 7 (Social Value "
    "Delivery Plan) and reported quarterly against the agreed KPIs.",
    "Failure to meet the social value KPIs for two consecutive quarters will trigger a rectification plan; "
    "continued failure may lead to a reduction in contract scope.",
    "Responses will be scored 0-5 against relevance to this contract, credibility of the delivery plan and "
    "strength of evidence; maximum 1,000 words plus a timed project plan.",
    "Targeted recruitment: 20% of new roles created under the contract to be offered to residents of the "
    "listed wards who are care leavers or long-term unemployed, evidenced by anonymised payroll records.",
]

STATED_WEIGHT = re.compile(r"Social Value (\d+)% of the total")


def label_alone(
    models: ClauseModels, text: str, heading: tuple[str, ...] = ("Social value",)
) -> str:
    """The label of one clause under a social value heading, found for sure, with the social
    value weight it states (as the weigh stage would report it) when it states one."""
    weightings = []
    match = STATED_WEIGHT.search(text)
    if match:
        pct = float(match.group(1))
        weightings.append(
            Weighting(
                "Social Value",
                pct,
                "percent",
                "total",
                pct,
                1,
                text,
                is_social_value=True,
                stated_of_total=True,
            )
        )
    sv_weight = weightings[0].effective_pct if weightings else None
    clause = Clause(id="c1", page=1, text=text, heading_path=heading, kind="paragraph")
    return classify([(clause, 1.0)], weightings, sv_weight, model=models)[0].label


def guide_examples_right(models: ClauseModels) -> int:
    """How many of the guide's examples ``models`` labels as the guide does."""
    return sum(label_alone(models, t) == "token" for t in GUIDE_TOKEN) + sum(
        label_alone(models, t) == "substantive" for t in GUIDE_SUBSTANTIVE
    )
