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
# "two hundred and seventy-five", "fifteen", "one thousand"
_WORDS = rf"(?:(?:{_WORD}|hundred|thousand)\b(?:[\s-]+(?:and[\s-]+)?(?=(?:{_WORD}|hundred|thousand)\b))?)+"
WORD_PERCENT = re.compile(
    rf"\b(?P<words>{_WORDS})(?:\s+and\s+(?:a|one)\s+(?P<frac>half|quarter))?"  # "twelve and a half"
    r"\s*(?:\(\s*\d+(?:\.\d+)?\s*%?\s*\)\s*)?"
    r"(?P<unit>per\s?cent|percent|%|marks|points)\b",
    re.IGNORECASE,
)
# "forty-five for social value": a number word naming a share of marks listed just before
WORD_FOR = re.compile(
    rf"\b(?P<words>{_WORDS})(?=\s+(?:marks?\s+|points?\s+)?(?:for|to)\s)", re.IGNORECASE
)
FRACTIONS = {
    "half": 50.0, "halves": 50.0, "third": 100 / 3, "thirds": 100 / 3, "quarter": 25.0,
    "quarters": 25.0, "fifth": 20.0, "fifths": 20.0, "sixth": 100 / 6, "sixths": 100 / 6,
    "eighth": 12.5, "eighths": 12.5, "tenth": 10.0, "tenths": 10.0, "twentieth": 5.0,
    "twentieths": 5.0,
}  # fmt: skip
FRACTION = re.compile(
    r"(?:\b(?P<n>one|a|two|three|four|five|seven|nine)[\s-]+"
    r"(?P<d>halves|half|thirds?|quarters?|fifths?|sixths?|eighths?|tenths?|twentieths?)\b"
    r"|(?<![\d/])(?P<num>\d)\s*/\s*(?P<den>\d{1,2})(?:st|nd|rd|th)s?\b)"
    r"(?=\s+of\b|\s*[;,]|\.(?!\.)|\s+and\b|\s*$)"  # "one fifth of the quality marks", a cell "one fifth"
    r"|\b(?P<half>half)(?=\s+of\s+the\s+(?:overall|total|available|marks|score))",  # "half of the overall score"
    re.IGNORECASE,
)


def words_to_number(words: str) -> float | None:
    """``"twenty-five"`` -> 25.0; ``"two hundred and seventy-five"`` -> 275.0; None when not
    a number."""
    total = current = 0
    seen = False
    for part in re.split(r"[\s-]+", words.lower().strip()):
        if not part or part == "and":
            continue
        if part in UNITS:
            current += UNITS[part]
        elif part in TENS:
            current += TENS[part]
        elif part == "hundred":
            current = (current or 1) * 100
        elif part == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def _fraction(match: re.Match[str]) -> str:
    """ "one fifth" -> "20%", "two fifths" -> "40%", "1/10th" -> "10%"."""
    if match.group("half"):
        return "50%"
    if match.group("num"):
        value = int(match.group("num")) * 100 / int(match.group("den"))
    else:
        count = 1 if match.group("n").lower() in ("one", "a") else UNITS[match.group("n").lower()]
        value = count * FRACTIONS[match.group("d").lower()]
    return f"{round(value, 2):g}%"


def normalise_number_words(text: str) -> str:
    """Replace number words that qualify a percentage or marks with digits.

    "ten per cent" -> "10%"; "fifteen (15) percent" -> "15%"; "twenty marks" -> "20 marks".
    """

    def repl(match: re.Match[str]) -> str:
        value = words_to_number(match.group("words"))
        if value is None:
            return match.group(0)
        value += {"half": 0.5, "quarter": 0.25}.get((match.group("frac") or "").lower(), 0.0)
        unit = match.group("unit").lower().replace(" ", "")
        number = f"{value:g}"
        return f"{number}%" if unit in ("percent", "%") else f"{number} {unit}"

    def bare(match: re.Match[str]) -> str:
        value = words_to_number(match.group("words"))
        return match.group(0) if value is None or value < 10 else f"{value:g}"

    text = re.sub(r"(\d)\s*per\s?cent\b", r"\1%", text, flags=re.IGNORECASE)
    text = re.sub(r"(\d)\s*percent\b", r"\1%", text, flags=re.IGNORECASE)
    text = re.sub(r"(\d)\s*pc\b", r"\1%", text)
    text = FRACTION.sub(_fraction, text)
    text = WORD_PERCENT.sub(repl, text)
    # "fifteen per cent (15%)": the figure restated in brackets is one figure
    text = re.sub(r"\b(\d+(?:\.\d+)?)%\s*\(\1\s*%\)", r"\1%", text)
    return WORD_FOR.sub(bare, text)


def parse_number(text: str) -> float | None:
    """First number in ``text`` (``"1,000"`` -> 1000.0, ``"12.5%"`` -> 12.5)."""
    match = re.search(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", text)
    if not match:
        return None
    return float(match.group(0).replace(",", ""))
