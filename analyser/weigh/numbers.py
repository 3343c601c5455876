"""Numbers as tenders write them: digits, decimals, thousands separators and words."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip

_WORD = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
WORD_NUMBER = re.compile(
    rf"\b(?P<tens>{'|'.join(TENS)})(?:[\s-](?P<unit>{'|'.join(UNITS)}))?\b|\b(?P<only>{_WORD})\b"
    r"(?:\s+(?P<hundred>hundred))?",
    re.IGNORECASE,
)
WORD_PERCENT = re.compile(
    rf"\b(?P<words>(?:(?:{_WORD})[\s-]?)+(?:hundred)?)\s*(?:\(\s*\d+(?:\.\d+)?\s*%?\s*\)\s*)?"
    r"(?P<unit>per\s?cent|percent|%|marks|points)\b",
    re.IGNORECASE,
)


def words_to_number(words: str) -> float | None:
    """``"twenty-five"`` -> 25.0; ``"one hundred"`` -> 100.0; None when not a number."""
    total = 0
    seen = False
    for part in re.split(r"[\s-]+", words.lower().strip()):
        if not part:
            continue
        if part in UNITS:
            total += UNITS[part]
        elif part in TENS:
            total += TENS[part]
        elif part == "hundred":
            total = (total or 1) * 100
        else:
            return None
        seen = True
    return float(total) if seen else None


def normalise_number_words(text: str) -> str:
    """Replace number words that qualify a percentage or marks with digits.

    "ten per cent" -> "10%"; "fifteen (15) percent" -> "15%"; "twenty marks" -> "20 marks".
    """

    def repl(match: re.Match[str]) -> str:
        value = words_to_number(match.group("words"))
        if value is None:
            return match.group(0)
        unit = match.group("unit").lower().replace(" ", "")
        number = f"{value:g}"
        return f"{number}%" if unit in ("percent", "%") else f"{number} {unit}"

    text = re.sub(r"(\d)\s*per\s?cent\b", r"\1%", text, flags=re.IGNORECASE)
    text = re.sub(r"(\d)\s*percent\b", r"\1%", text, flags=re.IGNORECASE)
    text = re.sub(r"(\d)\s*pc\b", r"\1%", text)
    return WORD_PERCENT.sub(repl, text)


def parse_number(text: str) -> float | None:
    """First number in ``text`` (``"1,000"`` -> 1000.0, ``"12.5%"`` -> 12.5)."""
    match = re.search(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", text)
    if not match:
        return None
    return float(match.group(0).replace(",", ""))
