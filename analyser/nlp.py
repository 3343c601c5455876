"""The linguistic layer: a blank English spaCy pipeline with a sentencizer and rules.

The official English models cannot be downloaded where this runs, so the pipeline is
``spacy.blank("en")`` plus rule components: an ``entity_ruler`` for percentages, money,
marks, periods and social value measure codes. Everything here is deterministic.
"""

from __future__ import annotations

from typing import Any

NUMBER = {"LIKE_NUM": True}
NUMBER_WORD = {
    "LOWER": {
        "IN": [
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "fifteen", "twenty", "twenty-five", "thirty", "forty",
            "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
        ]
    }
}  # fmt: skip

ENTITY_PATTERNS: list[dict[str, Any]] = [
    {"label": "PERCENT", "pattern": [NUMBER, {"TEXT": "%"}]},
    {"label": "PERCENT", "pattern": [{"TEXT": {"REGEX": r"^\d+(\.\d+)?%$"}}]},
    {"label": "PERCENT", "pattern": [NUMBER, {"LOWER": {"IN": ["per", "percent"]}}, {"LOWER": "cent", "OP": "?"}]},
    {"label": "PERCENT", "pattern": [NUMBER_WORD, {"LOWER": {"IN": ["per", "percent"]}}, {"LOWER": "cent", "OP": "?"}]},
    {"label": "MONEY", "pattern": [{"TEXT": {"IN": ["£", "€"]}}, NUMBER, {"LOWER": {"IN": ["m", "k", "million", "bn"]}, "OP": "?"}]},
    {"label": "MONEY", "pattern": [{"TEXT": {"REGEX": r"^[£€]\d[\d,]*(\.\d+)?[mk]?$"}}]},
    {"label": "MARKS", "pattern": [NUMBER, {"LOWER": {"IN": ["marks", "points", "mark", "point"]}}]},
    {"label": "QUANTITY", "pattern": [NUMBER, {"LOWER": {"IN": [
        "apprenticeships", "apprentices", "apprenticeship", "jobs", "fte", "hours", "weeks",
        "placements", "starts", "trainees", "people", "residents", "volunteers", "visits",
        "workshops", "sessions", "tonnes", "days", "roles", "opportunities", "person-weeks",
        "graduates", "schools", "events"]}}]},  # fmt: skip
    {"label": "PERIOD", "pattern": [{"LOWER": {"IN": ["per", "each", "every"]}}, {"LOWER": {"IN": ["annum", "year", "quarter", "month", "contract"]}}]},
    {"label": "PERIOD", "pattern": [{"LOWER": {"IN": ["quarterly", "annually", "monthly", "yearly", "bi-annually"]}}]},
    {"label": "PERIOD", "pattern": [{"LOWER": "year"}, NUMBER]},
    {"label": "MEASURE_CODE", "pattern": [{"LOWER": {"IN": ["mac", "srm"]}}, {"TEXT": {"REGEX": r"^\d+(\.\d+)?[a-z]?$"}}]},
    {"label": "MEASURE_CODE", "pattern": [{"TEXT": {"REGEX": r"^(NT|RE|FM|HE|ECC)\d{1,3}[a-z]?$"}}]},
    {"label": "MEASURE_CODE", "pattern": [{"TEXT": {"REGEX": r"^(MAC|SRM)\d+(\.\d+)?[a-z]?$"}}]},
]  # fmt: skip


def _register_components() -> None:
    from spacy.language import Language

    if "url_sentence_breaks" in Language.factories:
        return

    @Language.component("url_sentence_breaks")
    def url_sentence_breaks(doc: Any) -> Any:
        """A sentence starts at a capitalised word right after a web address: notices run a
        link straight into the next sentence ("...aspx?ID=148273 Under the terms of ...")."""
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if previous.like_url and token.is_title and not token.is_sent_start:
                token.is_sent_start = True
        return doc


def build_pipeline() -> Any:
    """Return the project's spaCy ``Language``: blank English, sentencizer (with sentence
    breaks after web addresses), entity ruler."""
    import spacy

    _register_components()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("url_sentence_breaks")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(ENTITY_PATTERNS)  # type: ignore[attr-defined]
    return nlp
