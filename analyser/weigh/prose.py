"""Weight statements written in prose or in rows read as lines of text.

The chain: ``normalise_number_words`` -> find each percentage/marks figure -> drop the ones
that are not weights (targets, payment terms, policy quotations, scales) -> attach the
criterion it belongs to and the whole it is a share of.
"""

from __future__ import annotations

import re
from dataclasses import replace

from analyser.weigh.numbers import normalise_number_words, parse_number
from analyser.weigh.statements import (
    PRICE,
    QUALITY,
    SOCIAL_VALUE_CRITERION,
    Statement,
    StatementUnit,
    same_criterion,
)

# A criterion named in prose. Order matters: the most specific first.
CRITERION_NAME = re.compile(
    r"(?P<name>"
    r"(?:added\s+)?social[\s-]+value(?:\s+(?:and|&)\s+(?:net\s+zero|environment(?:al)?|sustainability))?"
    r"(?:\s*(?:\(|-|–|:|,)?\s*(?:quantitative|qualitative|commitments?|"
    r"method\s+statement|TOMs|proposals?|delivery\s+plan|offer)\)?)?"
    r"|local\s+economic\s+(?:benefits?|value)|wider\s+benefits|responsible\s+procurement"
    r"|social,?\s+economic,?\s+and\s+environmental\s+(?:well-?being|benefits?|value)"
    r"|(?:community\s+)?well-?being\s+(?:of\s+future\s+generations|goals)|social\s+impact"
    r"|community[\s-]+benefits?(?:\s+(?:proposals?|commitments?|plan|offer|menu|points))?"
    r"|fair\s+work(?:\s+first)?(?:\s+practices)?|socially\s+responsible\s+procurement"
    r"|wider\s+(?:social|community)\s+benefits?|added\s+value"
    r"|(?:environmental|sustainability|carbon(?:\s+reduction)?|net\s+zero)"
    r"(?:\s+(?:and|&)\s+social\s+value|\s+(?:and\s+)?\w+)?"
    r"|quality(?:\s*/\s*technical)?|technical(?:\s+(?:merit|quality|submission|envelope))?"
    r"|qualitative|non[\s-]?price|non[\s-]?financial|non[\s-]?commercial"
    r"|price|cost|commercial|financial|pricing"
    r"|innovation|(?:service\s+)?delivery|methodology|mobilisation|implementation"
    r"|interview|presentation|safeguarding|staffing|experience|resources|"
    r"(?:question|q)\s*\d+[a-z]?(?:\.\d+)?|SV[\s-]?\d+[a-z]?|SV[\s-][A-Z]\b"
    r")",
    re.IGNORECASE,
)

FIGURE = re.compile(
    r"(?<![A-Za-z])(?P<value>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(?:(?P<unit>%)|"
    r"(?:(?P<qual>quality|technical|qualitative|available|total|price|commercial)\s+)?"
    r"(?:marks?|points?|pts)\b)",
    re.IGNORECASE,
)

# "x% of <noun>": nouns that make the percentage a share of a score...
SCORE_NOUNS = (
    r"total|overall|whole|entire|available|final|combined|tender|evaluation|award|score|"
    r"marks?|points|weighting|quality|technical|qualitative|quantitative|price|commercial|"
    r"non[\s-]?price|social\s+value|community\s+benefits?|criteri|section|envelope|element|stage|part|"
    r"assessment|submission|the\s+\d[\d.,]*\s*%?"
)
NOT_SCORE_NOUNS = (
    r"spend|expenditure|budget|costs?|contract\s+value|value|workforce|staff|employees|hires|"
    r"headcount|emissions|waste|hours|turnover|revenue|payroll|income|population|number"
)
OF_SCORE = re.compile(
    rf"^\s*of\s+(?:the\s+|a\s+|its\s+)?(?:{SCORE_NOUNS})(?!\w)(?!\s+(?:{NOT_SCORE_NOUNS})\b)",
    re.IGNORECASE,
)
# ...any other "x% of <noun>" is a target or a payment term, not a weight.
OF_OTHER = re.compile(
    r"^\s*(?:of|in|on|per|reduction|increase|discount|uplift|retention)\b", re.IGNORECASE
)

TARGET_BEFORE = re.compile(
    r"(?:achieve|achieving|reach|target|targets|aim|aiming|minimum\s+of|at\s+least|no\s+less\s+than|"
    r"not\s+less\s+than|maintain|reduce|reduction|increase|improve|cap|capped|ensure|"
    r"satisfaction|retention|retain|discount|VAT|uplift|index|interest|deposit|"
    r"charge|rebate|fee|compliance|availability|accuracy|attendance|completion|spend)\W+"
    r"(?:\w+\W+){0,2}$",
    re.IGNORECASE,
)
POLICY = re.compile(
    r"PPN|procurement\s+policy\s+note|central\s+government|in[\s-]scope\s+(?:organisations|bodies)|"
    r"government\s+(?:guidance|policy)|policy\s+(?:requires|states|sets)|guidance\s+(?:requires|recommends)|"
    r"national\s+(?:policy|guidance)|the\s+act\s+requires|recommends?\s+a\s+minimum|"
    r"must\s+apply|are\s+required\s+to\s+apply|expects?\s+(?:a\s+)?minimum|"
    r"(?:policy|framework|strategy|guidance|charter|procedure|rules)\b[^.]{0,50}?\b(?:sets|requires|expects|recommends|"
    r"specifies|mandates|applies|prescribes|states|says)\b|\b(?:standard|default|normal|usual|typical)\s+(?:social\s+value\s+)?weighting",
    re.IGNORECASE,
)
ASSERTIVE = re.compile(
    r"\b(?:this|the)\s+(?:tender|procurement|contract|itt|evaluation|invitation)\b|"
    r"\bwill\s+(?:be|account|carry|represent|form|attract|comprise)|\bcarries\b|\bis\s+weighted\b|"
    r"\bhas\s+been\s+(?:set|weighted|allocated|given)|\ballocated\b|\bweighted\s+at\b|"
    r"\b(?:has|have)\s+(?:\w+\s+)?(?:set|weighted|allocated|given|applied)\b",
    re.IGNORECASE,
)
UNSCORED = re.compile(
    r"(?:will\s+not|shall\s+not|won't)\s+be\s+(?:separately\s+|specifically\s+|individually\s+)?"
    r"(?:scored|evaluated|assessed|weighted|marked|taken\s+into\s+account)|"
    r"no\s+longer\s+be\s+(?:a\s+)?(?:scored|weighted|evaluated)|"
    r"not\s+(?:be\s+)?(?:separately\s+)?(?:scored|evaluated|weighted)|for\s+information(?:\s+only|"
    r"\s+purposes)|unscored|does\s+not\s+(?:carry|attract)\s+(?:any\s+)?(?:marks|weight)|"
    r"no\s+(?:marks|weighting)\s+(?:will|are|is)|carr(?:y|ies)\s+no\s+(?:marks|weight)",
    re.IGNORECASE,
)
PASS_FAIL = re.compile(r"pass\s*/\s*fail|pass\s+or\s+fail|pass/\s*fail|pass-fail", re.IGNORECASE)
RANGE = re.compile(r"\d\s*%?\s*(?:-|–|to)\s*$")  # "0-5", "10% – 30%"
OUT_OF = re.compile(
    r"^\s*(?:marks?|points?)?\s*(?:\(|,)?\s*(?:out\s+of|from\s+a\s+(?:total|maximum)\s+of|of\s+(?:a\s+)?(?:total|maximum)\s+(?:of\s+)?|"
    r"of\s+(?:the\s+)?(?=\d))\s*(?:a\s+)?(?:total\s+(?:of\s+)?)?(?P<total>\d{1,3}(?:,\d{3})+|\d+)",
    re.IGNORECASE,
)
TOTAL_MARKS = re.compile(
    r"(?:marked|scored|evaluated|assessed)\s+out\s+of\s+(?:a\s+(?:total|maximum)\s+of\s+)?(?P<total3>\d{1,3}(?:,\d{3})+|\d+)\b|"
    r"(?:total|maximum|overall)\s+(?:of\s+|number\s+of\s+)?(?:available\s+)?(?:marks|points|score)"
    r"(?:\s+available)?\s*(?:is|are|of|=|:)?\s*(?P<total>\d{1,3}(?:,\d{3})+|\d+)\b|"
    r"(?:out\s+of|from\s+a\s+total\s+of|a\s+total\s+of)\s+(?P<total2>\d{1,3}(?:,\d{3})+|\d+)\s+(?:marks|points)|"
    r"(?:marks|points)\s+out\s+of\s+(?P<total4>\d{1,3}(?:,\d{3})+|\d+)\b|"
    r"(?:max(?:imum|\.)?|total)\s+(?:marks\s+|points\s+|score\s+)?available\s*(?:is|=|:)?\s*"
    r"(?P<total5>\d{1,3}(?:,\d{3})+|\d+)\s*(?:marks|points)",
    re.IGNORECASE,
)
RATIO = re.compile(
    r"(?P<a>[A-Za-z][A-Za-z -]{2,25}?)\.?\s*(?:\/|:|\bto\b|\band\b|&)\s*(?P<b>[A-Za-z][A-Za-z -]{2,25}?)\.?"
    r"(?:\s*(?:\b(?:ratio|split|weighting|weighted|will|be|is|are|at|of|on|a|the|basis)\b|-|:|\())*"
    r"(?:\s+(?!\d)[\w-]+){0,4}?\s*(?:\b(?:is|of|at|be)\b|:|-|=)?\s*"
    r"(?P<x>\d{1,3}(?:\.\d+)?)\s*%?\s*(?::|/|to)\s*(?P<y>\d{1,3}(?:\.\d+)?)\s*%?",
    re.IGNORECASE,
)
RATIO_AFTER = re.compile(
    r"(?P<x>\d{1,3}(?:\.\d+)?)\s*%?\s*(?::|/)\s*(?P<y>\d{1,3}(?:\.\d+)?)\s*%?\s*(?:\(\s*)?"
    r"(?P<a>[A-Za-z][A-Za-z-]{2,15})\s*(?::|/|to)\s*(?P<b>[A-Za-z][A-Za-z-]{2,15})",
    re.IGNORECASE,
)
WITHIN = re.compile(
    r"(?:within|of|under|inside|as\s+part\s+of|forms?\s+part\s+of)\s+(?:the\s+)?"
    r"(?P<parent>quality|technical|qualitative|non[\s-]?price|social\s+value|community\s+benefits?)"
    r"(?:\s+(?:score|marks|weighting|element|section|envelope|criteria|criterion|assessment|evaluation|"
    r"questions?|submission|component))?",
    re.IGNORECASE,
)
RATIO_PAIRS = re.compile(
    r"(?P<a>quality|technical|price|cost|commercial)\s*\(?(?P<x>\d{1,3}(?:\.\d+)?)\s*%?\)?\s*(?::|/|to|and|,)\s*"
    r"(?P<b>quality|technical|price|cost|commercial)\s*\(?(?P<y>\d{1,3}(?:\.\d+)?)\s*%?\)?",
    re.IGNORECASE,
)
SCOPE_CAPTION = re.compile(
    r"(?:%|\b(?:percent\w*|weightings?|weights?|marks|scores?|shares?|proportions?)\b)[^.;]{0,40}?\b(?:of|within|in)\s+"
    r"(?:the\s+)?(?:quality|qual(?=\.)|technical|qualitative|non-price)\b|"
    r"\b(?:quality|technical)\s+(?:sub-?criteria|questions|breakdown)\b|"
    r"\b(?:quality|technical)(?:\s+(?:weighting|score|marks|element|section))?\s+(?:is|are|will\s+be)\s+"
    r"(?:divided|split|broken\s+down|allocated|made\s+up|apportioned|distributed)\b|"
    # "The technical envelope will be scored out of 100 marks:"
    r"\b(?:quality|technical)(?:\s+(?:envelope|section|element|submission|questions?))?\s+"
    r"(?:will\s+be|is|are)\s+(?:scored|marked|evaluated)\s+out\s+of\b|"
    # "The quality element is assessed through the questions below."
    r"\b(?:quality|technical)(?:\s+(?:envelope|section|element|submission|score))?\s+(?:will\s+be|is|are)\s+"
    r"(?:assessed|evaluated|scored|marked)\s+(?:through|by|via|using|against|on)\s+(?:the\s+)?"
    r"(?:following\s+)?(?:questions|criteria|sub-?criteria)\b",
    re.IGNORECASE,
)
NAMED_SCOPE = re.compile(
    r"(?:%|percent\w*|weightings?|weights?|marks|shares?)\s+(?:are\s+)?(?:of|within)\s+(?:the\s+)?"
    r"(?P<name>(?:stage|section|part|envelope)\s+[A-Z0-9]{1,3})\b|"
    # "Section C is marked out of 30 marks:": the rows below are its marks
    r"^\W*(?P<marked>(?:stage|section|part|envelope)\s+[A-Z0-9]{1,3})\s+(?:is|will\s+be)\s+"
    r"(?:marked|scored)\s+out\s+of\b|"
    # "4.2.3 Section C is made up of three questions, weighted within Section C as:"
    r"\b(?:weighted|scored|marked|split|divided)\s+(?:with)?in\s+(?:the\s+)?"
    r"(?P<within>(?:stage|section|part|envelope)\s+[A-Z0-9]{1,3})\b|"
    r"^\W*(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+)?(?P<made>(?:stage|section|part|envelope)\s+[A-Z0-9]{1,3})\s+"
    r"(?:is|will\s+be)\s+(?:made\s+up\s+of|divided|split|broken\s+down|comprised\s+of)\b",
    re.IGNORECASE,
)


SV_SCOPE = re.compile(
    r"(?:%|percent\w*|weightings?|weights?|marks|shares?|proportions?)\s+(?:are\s+)?(?:of|within)\s+"
    r"(?:the\s+)?(?:social\s+value|community\s+benefits?)\b",
    re.IGNORECASE,
)


def caption_scope(text: str) -> str | None:
    """The whole a caption says the weights below are shares of: "Quality" for "(% of the
    quality score)", "Stage A" for "(weightings are % of Stage A)", "Social Value" for
    "(shares of the social value weighting)"."""
    if len(text) >= 200:
        return None
    if SV_SCOPE.search(text):
        return "Social Value"
    named = NAMED_SCOPE.search(text)
    if named:
        return next(g for g in named.group("name", "marked", "within", "made") if g)
    return "Quality" if SCOPE_CAPTION.search(text) else None


SUPERSEDED = re.compile(
    r"\b(?:original\s+text|(?:previously|originally)\s+(?:read|stated|said)|was\s+previously|deleted\s+text|"
    r"should\s+have\s+read|incorrectly\s+(?:stated|shown)|please\s+(?:confirm|clarify))\b|\bdelete\s*:|\?\s*$",
    re.IGNORECASE,
)
# "8.1 of the ITT states "... is 500". This should read "... is 600"": the first is replaced
CORRECTION = re.compile(
    r"\b(?:should\s+(?:now\s+)?read|now\s+reads?|(?:is\s+)?amended\s+to\s+read|"
    r"(?:is\s+)?replaced\s+(?:by|with)|corrected\s+to)\b",
    re.IGNORECASE,
)
QUOTED_AS_STATED = re.compile(r"\b(?:states|stated|said|reads|read)\s*:?\s*[\"“‘']", re.IGNORECASE)


def live_sentences(text: str) -> list[str]:
    """The sentences of a clause that still stand: not superseded, not the quoted text a
    correction replaces."""
    corrected = bool(CORRECTION.search(text))
    return [
        sentence
        for sentence in SENTENCE_SPLIT.split(text)
        if not SUPERSEDED.search(sentence)
        and not (
            corrected and QUOTED_AS_STATED.search(sentence) and not CORRECTION.search(sentence)
        )
    ]


QUESTION_ASKED = re.compile(
    r"(?:^|(?<=\s))(?:(?:Q\s?\d*|Question\s*\d*)\s*[:.]\s[^?]{0,400}\?|"
    r"(?:Q\s?\d*|Question\s*\d*)\s*:\s[^?]{0,400}$|"  # a question the sentence splitter cut short
    # "Q14. Section 6.2 states ... Please confirm whether ...": a request without a "?"
    r"(?:Q\s?\d+|Question\s*\d+)\s*(?:\([^)]{0,40}\))?\s*[:.]?\s[^?]{0,400}?\b(?:please\s+(?:confirm|clarify|advise)|"
    r"can\s+you\s+confirm|could\s+you)\b[^?.]{0,200}(?:\.|$))",
    re.IGNORECASE,
)
SENTENCE_SPLIT = re.compile(r"(?<=[.;])\s+(?=[A-Z(])")
# "This is equivalent to 100 of the 1,000 marks": a sentence restating the previous weight
RESTATES = re.compile(
    r"^\s*(?:this|that|which|these|it)\s+(?:is\s+|are\s+)?(?:equivalent|equates?|equal|represents?|"
    r"amounts?|means|gives?|corresponds?)",
    re.IGNORECASE,
)


def prose_statements(
    text: str, page: int | None, lot: str | None = None, caption: str = ""
) -> tuple[list[Statement], list[str]]:
    """Weight statements in one clause, and markers (``unscored``, ``pass_fail``) for SV.
    ``caption``: the clause before, when it introduces this one ("... expressed as a
    percentage of the Quality score:")."""
    statements: list[Statement] = []
    markers: list[str] = []
    norm = re.sub(r"\s*\.{3,}\s*", "  ", normalise_number_words(text))  # dot leaders
    if SOCIAL_VALUE_CRITERION.search(norm):
        if UNSCORED.search(norm):
            markers.append("unscored")
        if PASS_FAIL.search(norm):
            markers.append("pass_fail")
    # a bidder's question in a clarification log ("Q: Para 3.1 says 60/40 ... Which is correct?")
    # is not the answer
    norm = QUESTION_ASKED.sub(" ", norm)
    # a caption's scope runs on over items separated by semicolons
    in_scope = caption.rstrip().endswith(":") and caption_scope(caption) == "Quality"
    for sentence in live_sentences(norm):
        captioned = bool(SCOPE_CAPTION.search(sentence)) and not re.search(
            r"\bof\s+(?:the\s+)?total", sentence, re.IGNORECASE
        )
        in_scope = captioned or in_scope
        found_before = len(statements)
        statements.extend(_ratio_statements(sentence, page, text, lot))
        previous = statements[-1].criterion if statements and RESTATES.match(sentence) else None
        statements.extend(_figure_statements(sentence, page, text, lot, previous))
        statements.extend(_listed_marks(sentence, page, text, lot))
        statements.extend(_formula_statements(sentence, page, text, lot))
        if in_scope:
            # "Q1 Delivery 35%, ..., Q4 Social value 20% (percentages of the Quality score)"
            statements[found_before:] = [
                replace(s, parent="Quality")
                if s.parent is None
                and s.source == "prose"
                and s.unit == "percent"
                and not (PRICE.search(s.criterion) or _names_quality(s.criterion))
                else s
                for s in statements[found_before:]
            ]
        in_scope = in_scope and sentence.rstrip().endswith(";")
    return _dedupe(statements), markers


MARKS_AVAILABLE = re.compile(
    r"(?P<total>\d{1,3}(?:,\d{3})+|\d+)\s+(?:marks|points)\s+(?:are\s+)?(?:available|in\s+total)|"
    r"\b(?:marked|scored)\s+out\s+of\s+(?:a\s+(?:total|maximum)\s+of\s+)?(?P<total2>\d{1,3}(?:,\d{3})+|\d+)",
    re.IGNORECASE,
)
BARE_FOR = re.compile(
    r"(?<![\d.,£])(?P<value>\d{1,4})\s+(?:for|to)\s+(?:the\s+)?(?=(?P<rest>\w.{2,60}))"
)


def _listed_marks(sentence: str, page: int | None, text: str, lot: str | None) -> list[Statement]:
    """ "500 marks available: 275 for technical quality, 180 for price and 45 for social
    value": bare numbers sharing out a stated total of marks."""
    total = MARKS_AVAILABLE.search(sentence)
    if not total:
        return []
    out_of = parse_number(total.group("total") or total.group("total2"))
    out = []
    for m in BARE_FOR.finditer(sentence, total.end()):
        value, name = parse_number(m.group("value")), _name_after(m.group("rest"))
        if value is not None and name and out_of and value < out_of:
            out.append(
                Statement(name, value, "marks", None, page, text, "prose", out_of=out_of, lot=lot)
            )
    return out


FORMULA_TERM = re.compile(
    r"(?P<coef>\d*\.\d+|\d{1,3}\s*%)\s*[x×*]\s*(?:the\s+)?(?P<name>[A-Za-z][A-Za-z ,&-]{2,40}?)\s+(?:score|mark)s?\b|"
    r"(?P<name2>[A-Za-z][A-Za-z&-]{2,30}(?:\s+[A-Za-z&-]{2,30}){0,3}?)\s+(?:score|mark)s?\s*[x×*]\s*"
    r"(?P<coef2>\d*\.\d+|\d{1,3}\s*%)",
    re.IGNORECASE,
)


def _formula_statements(
    sentence: str, page: int | None, text: str, lot: str | None
) -> list[Statement]:
    """ "Total = 0.50 x Price score + 0.40 x Quality score + 0.10 x Social Value score": the
    coefficients of a scoring formula are the weights when they add up to one."""
    terms = [
        (
            (m.group("name") or m.group("name2")).strip(),
            _coefficient(m.group("coef") or m.group("coef2")),
        )
        for m in FORMULA_TERM.finditer(sentence)
    ]
    return _coefficient_weights(terms, page, text, lot)


def _coefficient(raw: str) -> float:
    """ "0.15" -> 0.15, "15%" -> 0.15."""
    return float(raw.rstrip("% ")) / (100 if "%" in raw else 1)


def _coefficient_weights(
    terms: list[tuple[str, float]], page: int | None, text: str, lot: str | None
) -> list[Statement]:
    """Named coefficients as weights of the total, when there are two or more adding up to one."""
    if len(terms) < 2 or abs(sum(c for _, c in terms) - 1) > 0.005:
        return []
    return [
        Statement(name, round(c * 100, 2), "percent", "total", page, text, "prose", lot=lot)
        for name, c in terms
    ]


# "Total Score = (0.300 x P) + (0.575 x Q) + (0.125 x S)" with "where: S = social value score"
LETTER_TERM = re.compile(
    r"(?P<coef>\d*\.\d+|\d{1,3}\s*%)\s*[x×*]\s*(?P<var>[A-Z]{1,3})\b(?!\s*[a-z])"
)


def letter_formula_statements(
    formula: str, definitions: str, page: int | None, lot: str | None
) -> list[Statement]:
    """The coefficients of a formula over letters, named by the letters' definitions elsewhere
    in the document ("S = social value score out of 100"), when they add up to one."""
    terms = []
    for m in LETTER_TERM.finditer(formula):
        named = re.search(
            rf"(?<![\w(]){re.escape(m.group('var'))}\s*(?:=|:|means|is)\s*(?:the\s+)?"
            r"(?P<name>[A-Za-z][A-Za-z &-]{2,40}?)\s+(?:score|mark)s?\b",
            definitions,
        )
        if named is None:
            return []
        terms.append((named.group("name").strip(), _coefficient(m.group("coef"))))
    return _coefficient_weights(terms, page, formula, lot)


# "a Quality : Price : Social Value basis of 50 : 35 : 15"
RATIO3 = re.compile(
    r"(?P<a>[A-Za-z][A-Za-z -]{2,25}?)\s*[:/]\s*(?P<b>[A-Za-z][A-Za-z -]{2,25}?)\s*[:/]\s*"
    r"(?P<c>[A-Za-z][A-Za-z-]*(?:\s+(?!(?:basis|ratio|split|of|weighting|is|are|will|be|on|at)\b)"
    r"[A-Za-z][A-Za-z-]*){0,3})\b[^\d.;]{0,40}?"
    r"(?P<x>\d{1,3}(?:\.\d+)?)\s*%?\s*[:/]\s*(?P<y>\d{1,3}(?:\.\d+)?)\s*%?\s*[:/]\s*"
    r"(?P<z>\d{1,3}(?:\.\d+)?)\s*%?",
    re.IGNORECASE,
)


def _ratio_statements(
    sentence: str, page: int | None, text: str, lot: str | None
) -> list[Statement]:
    out: list[Statement] = []
    for m in RATIO3.finditer(sentence):
        names = [_ratio_name(m.group(k)) for k in "abc"]
        values = [float(m.group(k)) for k in "xyz"]
        if None in names or len(set(names)) < 3 or abs(sum(values) - 100) > 0.01:
            continue
        return [
            Statement(str(name), value, "percent", "total", page, text, "ratio", lot=lot)
            for name, value in zip(names, values, strict=True)
        ]
    for pattern in (RATIO, RATIO_AFTER, RATIO_PAIRS):
        for m in pattern.finditer(sentence):
            a, b = _ratio_name(m.group("a")), _ratio_name(m.group("b"))
            if not a or not b or a == b:
                continue
            x, y = float(m.group("x")), float(m.group("y"))
            if abs(x + y - 100) > 0.01:
                continue
            for name, value in ((a, x), (b, y)):
                out.append(Statement(name, value, "percent", "total", page, text, "ratio", lot=lot))
        if out:
            return out
    return out


def _ratio_name(raw: str) -> str | None:
    words = raw.strip().split()
    if not words:
        return None
    tail = " ".join(words[-3:])
    if PRICE.search(words[-1]) or (PRICE.search(tail) and not QUALITY.search(tail)):
        return "Price"
    if QUALITY.search(words[-1]) or QUALITY.search(tail) or words[-1].lower() == "qual":
        return "Quality"
    if SOCIAL_VALUE_CRITERION.search(tail):
        return "Social Value"
    return None


SAME_AS_BEFORE = re.compile(
    r"(?:equivalent\s+to|equal(?:s|\s+to)|which\s+(?:is(?:\s+worth|\s+weighted\s+at)?|equates\s+to|represents|amounts\s+to)|i\.e\.?|that\s+is|"
    r"representing|equating\s+to|amounting\s+to|giving|\bor|\()\s*(?:a\s+|an\s+)?(?:overall\s+|total\s+)?"
    r"(?:weighting\s+of\s+)?$",
    re.IGNORECASE,
)


CONTEXT = 600  # characters either side of a figure that can say what it weighs


def _figure_statements(
    sentence: str, page: int | None, text: str, lot: str | None, previous: str | None = None
) -> list[Statement]:
    """``previous``: the criterion of the sentence before, when this one restates it."""
    out: list[Statement] = []
    name: str | None
    for m in FIGURE.finditer(sentence):
        # the figure's context: the sentence around it, within a window, so that a sentence
        # with thousands of figures (a flattened table) is read in linear time
        start, end = max(0, m.start() - CONTEXT), m.end() + CONTEXT
        before, after = sentence[start : m.start()], sentence[m.end() : end]
        around = sentence[start:end]
        value = parse_number(m.group("value"))
        if value is None:
            continue
        unit: StatementUnit = "percent" if m.group("unit") == "%" else "marks"
        if unit == "percent" and value > 100:
            continue
        if RANGE.search(before) or re.match(r"\s*(?:-|–|to)\s*\d", after):
            continue  # a scale or a band such as "0-5" or "10-20%"
        if re.search(r"between\s+$", before[-10:], re.IGNORECASE) or re.match(
            r"\s*and\s+\d", after
        ):
            continue  # "between 10% and 20%"
        if _is_not_weight(before, after, around, unit):
            continue
        qualified = (
            _parent_name(m.group("qual"))
            if m.group("qual") and QUALITY.match(m.group("qual"))
            else None
        )
        share = SHARE_OF_MARKS.match(after) if unit == "marks" else None
        if share and re.search(r"\bof\s+(?:the\s+)?$", before[-12:], re.IGNORECASE):
            # "Of the 120 quality marks, 24 are allocated to Question 9"
            part, name = parse_number(share.group("part")), _name_after(share.group("rest"))
            if part is not None and name is not None and part < value:
                out.append(
                    Statement(
                        name, part, "marks", qualified, page, text, "prose", out_of=value, lot=lot
                    )
                )
            continue
        out_of_first = re.search(
            r"(?P<n>\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s+(?:out\s+)?of\s+(?:the\s+|a\s+)?(?:total\s+(?:of\s+)?)?(?:maximum\s+(?:of\s+)?)?$",
            before[-40:],
        )
        if unit == "marks" and out_of_first:
            # "200 of the 1,000 marks": the first number is the criterion's, the second the total
            part = parse_number(out_of_first.group("n"))
            name = previous or _criterion_for(
                before[: len(before) - len(out_of_first.group(0))], after
            )
            if part is not None and name is not None and part < value:
                out.append(
                    Statement(
                        name, part, "marks", qualified, page, text, "prose", out_of=value, lot=lot
                    )
                )
            continue
        since_last = before[[*FIGURE.finditer(before)][-1].end() :] if out else ""
        if out and _restates_last(since_last):
            # "20% of the quality score, equivalent to 12% of the total": same criterion; but
            # "20% of the quality score, which is 60% of the total" weighs the parent (a
            # share of the total cannot exceed the share of its part)
            last = out[-1]
            larger = (
                unit == last.unit == "percent"
                and last.parent is not None
                and last.value is not None
                and value > last.value
            )
            name = last.parent if larger and last.parent else last.criterion
        elif previous:
            name = previous
        else:
            name = _criterion_for(before, after)
        if REMAINDER.search(before[-30:]) and (name is None or REMAINDER.match(name)):
            name = "Quality"  # "Price carries 60% ... The remaining 40% of the marks ..."
        if name is None or re.fullmatch(
            r"(?:grand\s+)?total|overall|sum|(?:max(?:imum|\.)?|total)(?:\s+\w+)?\s+available",
            name,
            re.IGNORECASE,
        ):
            continue
        if SV_COMBINED.search(before[-60:]) and SOCIAL_VALUE_CRITERION.search(name):
            name = f"{name} (combined)"  # "a combined social value weighting of 15%": the whole
        parent = _parent_for(before, after, name)
        out_of = None
        if unit == "marks":
            total = OUT_OF.match(after)
            if total:
                out_of = parse_number(total.group("total"))
                if out_of is not None and out_of <= value:
                    out_of = None
        out.append(
            Statement(name, value, unit, parent, page, text, "prose", out_of=out_of, lot=lot)
        )
    return out


REMAINDER = re.compile(
    r"\b(?:the\s+)?(?:remaining|balance(?:\s+of)?|rest(?:\s+of)?)\s*(?:the\s+)?$", re.IGNORECASE
)


def _restates_last(since_last: str) -> bool:
    """ "20% of the quality score (12% of the total)" restates the last figure; "15% to
    social value, with the balance split between Price (40%)" names a new criterion."""
    same = SAME_AS_BEFORE.search(since_last[-40:])
    if not same:
        return False
    return not (
        same.group(0).startswith("(")
        and (CRITERION_NAME.search(since_last) or re.search(r"\band\b|,\s*[A-Z]", since_last))
    )


THIS_TENDER = re.compile(
    r"\bthis\s+(?:tender|procurement|contract|itt|exercise|requirement|call-off|framework)\b",
    re.IGNORECASE,
)
SHARE_OF_MARKS = re.compile(
    r"\s*,?\s*(?P<part>\d+(?:\.\d+)?)\s+(?:marks\s+|points\s+)?(?:are|is|will\s+be)\s+"
    r"(?:allocated|awarded|given|available|assigned|attributed)\s+(?:to|for)\s+(?P<rest>.{3,120})",
    re.IGNORECASE,
)
SV_COMBINED = re.compile(
    r"\b(?:combined|total|overall|aggregate)\s+(?:social\s+value|community\s+benefits?)\s+"
    r"(?:weighting|weight|score|share)\b",
    re.IGNORECASE,
)


def _name_after(text: str) -> str | None:
    """The criterion a phrase starts with: "Question 9, "Social value"" -> both parts."""
    crit = CRITERION_NAME.match(text.strip())
    if not crit:
        return None
    name = crit.group("name").strip()
    title = re.match(
        r"\s*[,:(–-]?\s*[\"“‘'(](?P<title>[^\"”’')]{3,80})[\"”’')]", text.strip()[crit.end() :]
    )
    return f"{name} {title.group('title')}" if title else name


# a worked scoring example: "a tenderer scoring 3 receives 6.0% of the available 10%"
SCORE_EXAMPLE_BEFORE = re.compile(
    r"\b(?:receives?|received|would\s+(?:receive|get|gain|earn|attract|score)|attracts?|"
    r"(?:is|are|be)\s+awarded|earns?|gains?|equat\w*\s+to|converts?\s+(?:in)?to|"
    r"translates?\s+(?:in)?to|results?\s+in)\s*$",
    re.IGNORECASE,
)
SCORE_EXAMPLE = re.compile(
    r"\bscor(?:e|es|ing|ed)\s+(?:of\s+)?\d|\be\.g\.|\bfor\s+example\b|\bworked\s+example|"
    r"\bfor\s+instance\b|\btherefore\b|\bso\s+a\b",
    re.IGNORECASE,
)
SCORE_EXAMPLE_AFTER = re.compile(
    r"\s*of\s+(?:the|a|an)\s+(?:available|maximum|possible|total\s+available)\s+\d", re.IGNORECASE
)


# "evaluated 70% on quality", "scored 60% for quality and 40% for price": the figure weighs
# the criterion named right after it
FOR_CRITERION = re.compile(
    r"\s*(?:on|for)\s+(?:the\s+)?(?:quality|price|cost|technical|commercial|social\s+value|"
    r"community\s+benefits?)\b",
    re.IGNORECASE,
)


def _is_not_weight(before: str, after: str, sentence: str, unit: str) -> bool:
    if SCORE_EXAMPLE_AFTER.match(after) or (
        SCORE_EXAMPLE_BEFORE.search(before[-40:]) and SCORE_EXAMPLE.search(sentence)
    ):
        return True  # "scoring 60 therefore receives 6.0% of the available 10%": an example
    if re.search(
        r"(?:minimum|threshold|pass\s*mark|at\s+least)\b[^.%]{0,50}(?:\b(?:score|mark|rating)\s+(?:of\s+)?|:\s*)$",
        before[-80:],
        re.IGNORECASE,
    ):
        return True  # "a minimum overall quality score of 50%": a threshold
    if re.search(
        r"\b(?:below|under|less\s+than|fewer\s+than|lower\s+than|above|over|more\s+than|exceeds?)\s*$",
        before[-25:],
        re.IGNORECASE,
    ):
        return True  # "a score below 50% of the marks": a threshold
    if re.search(
        r"\b(?:scored|rated|marked)\b[^.;%\d]{0,25}$", before[-40:], re.IGNORECASE
    ) and not FOR_CRITERION.match(after):
        return True  # "a response scored "Good" (75%)": a score given, not a weight
    if re.search(
        r"(?:rather\s+than|instead\s+of|as\s+opposed\s+to|and\s+not|nor)\s+$",
        before[-20:],
        re.IGNORECASE,
    ):
        return True  # "ten per cent of the quality score rather than ten per cent of the total"
    if re.search(
        r"\ball\s+(?:tenders|procurements|contracts|requirements)\b", sentence, re.IGNORECASE
    ) and not THIS_TENDER.search(sentence):
        return True  # a rule for every tender, not this tender's weight
    if re.match(r"\s*(?:or|and)\s+(?:above|more|higher|better|over|greater)", after, re.IGNORECASE):
        return True  # "98% or above": a target
    if re.match(r"\s*(?:font|type|size)", after, re.IGNORECASE) or re.search(
        r"font\s+(?:size\s+)?(?:of\s+)?$", before[-20:], re.IGNORECASE
    ):
        return True
    if unit == "marks" and re.search(
        r"(?:at\s+least|minimum(?:\s+of)?|threshold\s+of|no\s+(?:less|fewer)\s+than|score\s+(?:of\s+)?(?:at\s+least\s+)?|"
        r"below|under|fewer\s+than|less\s+than)\s*$",
        before[-30:],
        re.IGNORECASE,
    ):
        return True
    if unit == "percent":
        if OF_OTHER.match(after) and not OF_SCORE.match(after) and not FOR_CRITERION.match(after):
            return True
        # "3.2.1 Compliance – 40%", "Q2 Gas safety and compliance (LGSR) 30%": a row's label
        labelled_row = ROW_REF.match(before) and (
            re.search(r"\s[–-]\s*$", before) or not VERB.search(before)
        )
        if (
            TARGET_BEFORE.search(before[-60:])
            and not labelled_row
            and not re.search(
                r"weight|worth|score|marks|account|allocat|carr(y|ies)|evaluat",
                before[-60:],
                re.IGNORECASE,
            )
        ):
            return True
    if POLICY.search(sentence) and not ASSERTIVE.search(sentence):
        return True
    if (
        unit == "percent"
        and re.search(
            r"(?:at\s+least|a\s+minimum\s+(?:\w+\s+){0,3}(?:weighting\s+)?of|minimum\s+of|minimum|no\s+less\s+than|"
            r"not\s+less\s+than|up\s+to)\s*$",
            before[-30:],
            re.IGNORECASE,
        )
        and not THIS_TENDER.search(sentence)
    ):
        return True  # a floor or a cap set by a policy, not this tender's weight
    return bool(
        re.search(r"\b(minimum|at\s+least)\s+(?:weighting\s+of\s+)?$", before[-25:], re.IGNORECASE)
    ) and bool(POLICY.search(sentence))


ASSESSED_IN = re.compile(
    r"\b(?:assessed|evaluated|scored|marked|addressed|covered|tested|asked)\s+(?:in|by|under|at|through)\s+"
    r"(?:the\s+)?(?:question|criterion|section|part)?\s*$",
    re.IGNORECASE,
)


BARE_REF = re.compile(
    r"^(?:question\s+)?[A-Z]{0,3}\d{1,2}[a-z]?$", re.IGNORECASE
)  # "Q9", "question 7"
IN_BRACKETS = re.compile(r"\(\s*(?:question|criterion|section|part|ref\.?)?\s*$", re.IGNORECASE)


def _criterion_for(before: str, after: str) -> str | None:
    """The criterion a figure weighs: right after it ("10% for social value") or the
    nearest one before it in the same clause ("Social value (10%)")."""
    if (
        ROW_REF.match(before)
        and len(before) < 130
        and not FIGURE.search(before)
        and not re.search(r"\w", after[:30])
        and not re.search(
            r"[.;]\s|\b(?:is|are|will|be|has|have|worth|carr(?:y|ies)|receive)\b",
            ABBREVIATION.sub("", before),
        )
    ):
        # a row ending in its figure: "SV2  Social value commitments - Pricing Schedule  4%"
        return _row_label(before, longest=120)
    adjacent_left = re.search(
        r"(?P<name>[A-Za-z][\w\s/&,-]{1,60}?)\s*(?:\(|:|-|–|=|\bat\b|\bis\b)?\s*$", before[-70:]
    )
    if adjacent_left:
        tail = CRITERION_NAME.search(adjacent_left.group("name")[-40:])
        if tail and tail.end() == len(adjacent_left.group("name")[-40:].rstrip()):
            return tail.group("name").strip()
    right = re.match(
        r"\s*(?:\)|\]|,)?\s*(?:of\s+the\s+(?:total\s+|overall\s+|non-price\s+|quality\s+|available\s+)?"
        r"(?:evaluation\s+|tender\s+|award\s+)?(?:marks|score|weighting)\s+)?"
        r"(?:is\s+|are\s+|will\s+be\s+|will\s+|ha(?:s|ve)\s+been\s+)?(?P<conn>for|to|on|towards|allocated\s+to|applied\s+to|go(?:es)?\s+to|"
        r"given\s+to|reserved\s+for|set\s+aside\s+for|dedicated\s+to|attributed\s+to|assigned\s+to|"
        r"awarded\s+(?:for|to)|in\s+respect\s+of|weighting\s+(?:for|on)|weighting\s+to)?\s*(?:the\s+)?"
        r"(?P<crit>.{0,60})",
        after,
        re.IGNORECASE,
    )
    if right:
        head = right.group("crit")
        crit = CRITERION_NAME.match(head)
        # "10% of the quality score" names a parent, but "8% of the total marks will be
        # awarded for Community Benefits" names the criterion
        listed_next = re.match(r"\s*,", after) and not right.group(
            "conn"
        )  # "team 20%, social value 10%"
        if (
            crit
            and not listed_next
            and (not re.match(r"\s*of\b", after, re.IGNORECASE) or right.group("conn"))
        ):
            return crit.group("name").strip()
    window = re.split(r"[:;]", before[-100:])[-1]
    # stop at a previous figure: its criterion is not ours
    last_fig = list(FIGURE.finditer(window))
    if last_fig:
        window = window[last_fig[-1].end() :]
    if re.search(
        r"(?<!of )\bth(?:is|e)\s+(?:question|criterion|section|element)\b", window, re.IGNORECASE
    ):
        # "Community benefits ...; this question carries 50 marks": the clause's subject
        subject = CRITERION_NAME.search(before)
        if subject:
            return subject.group("name").strip()
    names = list(CRITERION_NAME.finditer(window))
    titled = TITLED_NAME.search(before[-80:])
    if titled and not (names and names[-1].end() >= len(window.rstrip(" :-–(")) - 1):
        return titled.group("name").strip()  # "... and Local Labour Commitments 15%"
    if names:
        chosen = names[-1]
        # "Social value, within the quality score, is 20%": the last name is a parent
        lead = window[max(0, chosen.start() - 25) : chosen.start()]
        if (
            len(names) > 1
            and re.search(r"\b(?:of|within|in|under|inside)\s+(?:the\s+)?$", lead, re.IGNORECASE)
            and not re.search(r"(?:made\s+up|consists?|compris\w+|composed)\s+of\s+$", lead, re.I)
        ):
            chosen = names[-2]
        elif (
            len(names) > 1
            and not window[names[-2].end() : chosen.start()].strip()
            and SOCIAL_VALUE_CRITERION.search(names[-2].group("name"))
            and not SOCIAL_VALUE_CRITERION.search(chosen.group("name"))
        ):
            chosen = names[-2]  # "Community Benefits delivery statement 5%": one name
        elif (
            len(names) > 1
            and (ASSESSED_IN.search(lead) or IN_BRACKETS.search(lead))
            and BARE_REF.match(chosen.group("name").strip())
        ):
            # "Social value is assessed in Question Q7, which is worth 150", "Social Value
            # (question Q9) carries 20%": the reference names the criterion before it
            chosen = names[-2]
        return chosen.group("name").strip()
    if before.rstrip().endswith(window.rstrip()) and not VERB.search(window):
        listed = _row_label(window, longest=60)
        if listed and window.strip() != before.strip():
            return listed  # "divided as follows: Method statement and programme 45%; ..."
    headed = HEADED_ROW.match(before)
    if headed and not re.search(r"\w", after[:30]) and not VERB.search(headed.group("name")):
        return headed.group("name").strip()  # "4. Social value: local sourcing, ... - 25%"
    return _row_label(before)


VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|will|shall|must|should|may|can|has|have|had|"
    r"divided|split|allocated|weighted|scored|evaluated|assessed)\b",
    re.IGNORECASE,
)


HEADED_ROW = re.compile(
    r"^\s*(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+|[A-Z]{1,4}\d{1,2}[a-z]?\.?\s+)?"
    r"(?P<name>[A-Z][^:.;]{1,60}):\s[^:;]{0,160}(?:\s[-–]|\.{3,}|\s)\s*$"
)
ROW_REF = re.compile(
    r"^\s*(?:[A-Z]{1,4}\d{1,2}[a-z]?(?:\.\d{1,2})?|\d{1,2}(?:\.\d{1,2}){1,3}|\(?[a-h]\)|Question\s+\d{1,2}[a-z]?)"
    r"(?![\w.])(?!\s*[:.]?\s*$)"
)  # "SV2", "Q4a", "3.2.1", "b)"
ABBREVIATION = re.compile(r"\b(?:incl|e\.g|i\.e|etc|approx|no)\.", re.IGNORECASE)
TITLED_NAME = re.compile(
    r"(?:^|[,;:(]\s*|\band\s+)(?P<name>[A-Z][a-z]+(?:\s+(?:and|of|&|for)?\s*[A-Z][a-z]+){1,5})\s*[(:\-–]?\s*$"
)


ROW_NUMBER = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|\(?[a-h]\))\s+")  # "3.2.1 ", "b) "


def _row_label(before: str, longest: int = 80) -> str | None:
    """A row read as a line of text: "Mobilisation plan   10%" -> "Mobilisation plan"."""
    label = " ".join(ROW_NUMBER.sub("", before).strip(" :-–|()\t").split())
    if not label or len(label) > longest or len(label.split()) > longest // 6:
        return None
    if re.search(r"[.;]", ABBREVIATION.sub("", label)) or not label[:1].isupper():
        return None
    if label.count("(") > label.count(")"):
        label += ")"  # "Employment and skills (incl. local hires)": the bracket closes
    if re.search(r"\b(?:a|an|the|of|is|are|to|for|and|with|by|was|be)$|,$", label, re.IGNORECASE):
        return None  # "The Department's expectation is a": the start of a sentence, not a name
    if re.match(r"(?:of|in|for|within|from|under|with)\b", label, re.IGNORECASE):
        return None  # "Of the overall score,": a phrase, not a name
    return label


SECTION_SUBJECT = re.compile(
    r"^\W*(?:[\d.]+\s+)?(?P<name>[A-Z][\w &/-]{2,50}?)\s+(?:is|are|will\s+be)\s+"
    r"(?:divided|split|broken\s+down|made\s+up|shared|apportioned)\b"
)


# "Interview marks are split: support model 40%, ..., social value commitments 25%"
MARKS_SPLIT = re.compile(
    r"(?:^|[.:;)]\s+)(?P<name>[A-Z][A-Za-z &/-]{2,40}?)\s+(?:marks|scores?|weightings?|points)\s+"
    r"(?:are|is|will\s+be)\s+(?:split|divided|allocated|apportioned|broken\s+down|shared)\b[^.]*$"
)


def _parent_for(before: str, after: str, name: str) -> str | None:
    if re.match(
        r"[^.;]{0,40}\bappl(?:y|ies)\s+(?:only\s+)?to\s+the\s+(?:quality|technical)\b", after, re.I
    ):
        return "Quality"  # "The 20% weighting for social value applies to the Quality element only"
    if re.match(r"\s*\)?\s*of\s+(?:the|this)\s+(?:section|element|category|heading|area)\b", after):
        subject = SECTION_SUBJECT.match(before)
        if subject and not same_criterion(subject.group("name"), name):
            return subject.group("name")  # "Responsible Procurement is divided between
            # Social Value (60% of the section) and ..."
    of = re.match(
        r"\s*(?:\)|,)?\s*(?:of|within|in)\s+(?:the\s+)?(?:\d+(?:\.\d+)?\s*%\s+)?(?P<what>[\w\s/-]{0,40})",
        after,
        re.IGNORECASE,
    )
    if of:
        what = of.group("what").lower()
        if re.match(
            r"(?:the\s+)?(?:overall\s+|total\s+|combined\s+)?(?:quality|price|cost)\s*(?:/|-|and)\s*(?:quality|price|cost)\b",
            what,
        ):
            return "total"  # "5% of the overall quality/price evaluation": both halves
        # "of the available quality marks" is a share of quality, not of the total
        what = re.sub(
            r"^(?:available|overall|total)\s+(?:for\s+)?(?:the\s+)?(?=quality|technical|qualitative)",
            "",
            what,
        )
        # "20% of the 60% allocated to quality": the parent is named after the figure
        what = re.sub(r"^(?:allocated|assigned|given|attributed)\s+(?:to|for)\s+", "", what)
        if re.match(
            r"(total|overall|whole|entire|final|combined|tender|evaluation|award|available)", what
        ):
            return "total"
        sub = WITHIN.match("of " + what)
        if sub:
            return _parent_name(sub.group("parent"))
    within = list(WITHIN.finditer(before[-160:]))
    for match in reversed(within):
        parent = _parent_name(match.group("parent"))
        if parent.lower() != name.lower() and not (
            parent == "Social Value" and SOCIAL_VALUE_CRITERION.search(name)
        ):
            if match.group(0).lower().startswith("of") and not re.search(
                r"score|marks|weighting|element|section|envelope|criteria|assessment|evaluation",
                match.group(0),
                re.IGNORECASE,
            ):
                continue
            return parent
    if re.search(r"(?:of|in)\s+(?:the\s+)?(?:total|overall)", after[:40], re.IGNORECASE):
        return "total"
    split = MARKS_SPLIT.search(before[-300:])
    if split and not same_criterion(split.group("name"), name):
        named = split.group("name")
        return _parent_name(named) if WITHIN.match("of " + named) else named
    # a long list sentence opened by its scope: "8.3 Within quality, responses will be
    # weighted as follows: delivery plan, two-fifths; ...; community benefits, one-fifth."
    sentence = before[before.rfind(". ") + 1 :]
    if LIST_SCOPE.match(sentence):
        return "Quality"
    return None


LIST_SCOPE = re.compile(
    r"\W*(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+)?(?:within|in)\s+(?:the\s+)?"
    r"(?:quality|technical|qualitative|non[\s-]?price)\b[^.]*:",
    re.IGNORECASE,
)


def _parent_name(raw: str) -> str:
    if SOCIAL_VALUE_CRITERION.search(raw):
        return "Social Value"
    return "Quality"


def total_marks(text: str) -> float | None:
    """A stated total of marks ("out of a total of 1,000 marks", "maximum score 100")."""
    found = [
        m for s in live_sentences(normalise_number_words(text)) if (m := TOTAL_MARKS.search(s))
    ]
    if not found:
        return None
    m = found[-1]
    return parse_number(
        m.group("total")
        or m.group("total2")
        or m.group("total3")
        or m.group("total4")
        or m.group("total5")
    )


def _dedupe(statements: list[Statement]) -> list[Statement]:
    seen: set[tuple[str, float | None, str | None]] = set()
    out = []
    for s in statements:
        key = (s.criterion.lower(), s.value, s.parent)
        if key in seen:
            continue
        seen.add(key)
        out.append(s)
    return out


def _names_quality(name: str) -> bool:
    """ "Quality", "Technical merit": the quality section itself, not "Method statement and
    programme", a question within it."""
    return bool(QUALITY.search(name)) and len(name.split()) <= 2
