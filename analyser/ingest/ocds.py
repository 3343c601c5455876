"""OCDS ingest: a contract notice (release, release package or record) as a one-page ``Tender``.

What is read, in this order (each field's JSON path becomes the line's ``locator``):

1. ``tender.title`` (heading level 1) and ``tender.description``;
2. award criteria (``tender.awardCriteria*``, ``tender.lots[].awardCriteria.criteria[]``) as a
   ``Table`` with rows ``("Criterion", "Weighting")`` so the weigh stage reads them, plus one
   ``table_row`` line per criterion; identical criteria on every lot are read once;
3. every other prose string under ``tender`` (contract terms, selection criteria, review
   details, renewal and option descriptions...), and the release ``description`` (the
   notice's section VI.3 "additional information");
4. each lot: its title (heading level 2, with "Lot N" in front when there are several lots),
   its description, its own award criteria when the lots' criteria differ, and its other
   prose fields.

Known defects of real notices are repaired (``repair``): publishers' line breaks that lost
their backslashes and became a literal ``rn`` glued to a word ("examplern -"), and tabs that
became ``t`` ("-tLot 1"). The repair only runs when a notice shows the defect, and never
splits real words that end in "rn" ("return", "modern", "Northern", "Blackburn").

Scottish (Public Contracts Scotland) and Welsh (Sell2Wales) notices usually carry only the
first quality criterion and price, so a social value criterion missing from the notice's
award criteria does not prove it is unweighted; a warning says so when the listed weights
add up to less than 100.

The notice's ``ocid`` travels as a line with no text and the locator ``ocid:<ocid>``
(``ocid_of``): the segmenter skips empty lines, and ``Tender`` has no field for it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from analyser.errors import InputError
from analyser.ingest.sniff import _decode
from analyser.types import Line, Page, Table, Tender

OCID_PREFIX = "ocid:"
WEIGHT_HEADER = ("Criterion", "Weighting")

# Fields under ``tender`` that are codes, identifiers, addresses or document metadata, not prose.
SKIP_KEYS = frozenset(
    {
        "id", "url", "uri", "href", "email", "telephone", "faxNumber", "scheme", "status",
        "currency", "format", "language", "documentType", "procurementMethod",
        "mainProcurementCategory", "additionalProcurementCategories", "submissionMethod",
        "documents", "items", "classification", "additionalClassifications", "address", "contactPoint",
        "identifier", "legalName", "streetAddress", "locality", "region", "postalCode",
        "countryName", "procuringEntity", "tenderers", "milestones", "amendments",
        "amendment", "relatedLot", "relatedLots", "submissionMethodDetails", "variantPolicy",
        "procurementMethodDetails", "atypicalToolUrl", "date", "startDate", "endDate",
        "datePublished", "dateModified", "maxExtentDate", "type",
    }
)  # fmt: skip
# Read on their own, before the other fields of the tender or a lot.
HANDLED_KEYS = frozenset({"title", "description", "lots", "awardCriteria", "awardCriteriaDetails"})

# ---------------------------------------------------------------------------------------------
# Repair of the "rn" (line break) and "t" (tab) defect
# ---------------------------------------------------------------------------------------------

# Real words (and names) that end in "rn": never split. Lower case.
RN_WORDS = frozenset(
    {
        # -arn / -earn
        "barn", "darn", "yarn", "tarn", "earn", "learn", "yearn", "unlearn", "relearn",
        "cairn", "bairn", "nairn", "sarn", "carn", "garn", "pensarn", "padarn", "llanbadarn",
        "haearn", "cadarn", "tafarn",
        # -ern
        "modern", "pattern", "concern", "unconcern", "govern", "intern", "extern", "stern",
        "fern", "kern", "tern", "quern", "hern", "bern", "vern", "severn", "wyvern",
        "discern", "lantern", "cavern", "tavern", "cistern", "lectern", "postern", "bittern",
        "slattern", "subaltern", "eastern", "western", "northern", "southern",
        "northeastern", "northwestern", "southeastern", "southwestern", "midwestern",
        "kentigern", "hibern", "postmodern", "ultramodern", "antipattern",
        # -orn
        "born", "corn", "horn", "morn", "scorn", "shorn", "sworn", "thorn", "worn", "adorn",
        "acorn", "forlorn", "lorn", "stubborn", "unicorn", "popcorn", "peppercorn",
        "capricorn", "hawthorn", "blackthorn", "leghorn", "shoehorn", "firstborn",
        "newborn", "inborn", "unborn", "reborn", "airborn", "forsworn", "outworn",
        "careworn", "bjorn", "osborn",
        # -urn / -ourn
        "burn", "turn", "churn", "spurn", "urn", "return", "sojourn", "nocturn", "auburn",
        "saturn", "taciturn", "overturn", "upturn", "downturn", "mourn", "bourn", "journ",
        # Welsh -wrn
        "sadwrn", "llansadwrn", "cwrn",
    }
)  # fmt: skip
# Word endings that make a real word or place name ("Blackburn", "Kinghorn", "Fulbourn").
RN_SUFFIXES = ("burn", "bourn", "horn", "thorn", "corn", "turn", "cairn", "govern")

# A notice shows the defect when "rn" follows punctuation or stands alone, which no real text does.
DEFECT_MARKER = re.compile(r"[.:;)!?%]rn(?![a-z])|(?:^|\s)rn(?:\s|$)|rnrn")
WORD_BEFORE = re.compile(r"[A-Za-z’'\-]*$")
TAB_AFTER_MARK = re.compile(r"(?<=[-–—.)•:;])t+(?=[A-Z0-9]|[ \u00a0])")
TAB_BEFORE_WORD = re.compile(r"(?<=\s)t+(?=[A-Z][a-z]|[A-Z]{2})")


# UTF-8 read as Windows-1252 somewhere upstream: "â€¢" for "•", "Â£" for "£".
_CP1252_HIGH = re.escape(bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore"))
MOJIBAKE = re.compile(f"[\u00c2-\u00df][{_CP1252_HIGH}]|[\u00e0-\u00ef][{_CP1252_HIGH}]{{2}}")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252 ("â€¢" -> "•", "Â£" -> "£")."""

    def decode(match: re.Match[str]) -> str:
        try:
            return match.group(0).encode("cp1252").decode("utf-8")
        except UnicodeError:
            return match.group(0)

    return MOJIBAKE.sub(decode, text)


def has_glued_breaks(texts: list[str]) -> bool:
    """True when the notice's text fields show the lost-backslash defect and no real line breaks."""
    if any("\n" in t or "\r" in t for t in texts):
        return False
    return any(DEFECT_MARKER.search(t) for t in texts)


def repair(text: str) -> str:
    """Turn glued ``rn`` back into line breaks and glued ``t`` back into tabs.

    An ``rn`` is a line break when it follows a non-letter ("problems.rn", "40%rn", "rnrn"),
    follows a capital letter ("GBPrn", "N/Arn"), or ends a word that is not a real "-rn" word
    ("meetrn", "Councilrn", "Arearn", "torn obtain"). It is part of the word inside a word
    ("internal") and in real words and names ("return", "Modern Slavery", "Kinghorn").
    """
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        j = text.find("rn", i)
        if j < 0:
            out.append(text[i:])
            break
        # right after another break the "rn" is a break too ("rnrn")
        after_break = j == i and bool(out) and out[-1] == "\n"
        if after_break or _is_break(text[max(0, j - 60) : j], text[j + 2 : j + 20]):
            out.append(text[i:j].rstrip(" \t"))
            out.append("\n")
            i = j + 2
            while i < n and text[i] == " ":  # the space the publisher put after the break
                i += 1
        else:
            out.append(text[i : j + 2])
            i = j + 2
    repaired = "".join(out)
    repaired = TAB_AFTER_MARK.sub("\t", repaired)
    repaired = TAB_BEFORE_WORD.sub("\t", repaired)
    return repaired


def _is_break(before: str, after: str) -> bool:
    prev = before[-1:] if before else ""
    nxt = after[:1]
    if not prev or not prev.isalpha() or prev == "’":
        return True  # after punctuation, a digit, a space or another break
    if prev.isupper():
        return True  # "GBPrn", "ESPDrn", "N/Arn": a real capitalised word ends in "RN"
    if nxt.islower():
        # inside a word ("internal", "learning") unless a second break follows ("Regardsrnrn")
        rest = after
        while rest.startswith("rn"):
            rest = rest[2:]
        return rest != after and not rest[:1].islower()
    word = WORD_BEFORE.search(before)
    stem = word.group(0) if word else ""
    candidates = {(stem + "rn").lower().strip("-’'")}
    capitals = [k for k, ch in enumerate(stem) if ch.isupper()]
    if capitals:  # "ttModern", "eTenderWalesrn": the word starts at the last capital
        candidates.add((stem[capitals[-1] :] + "rn").lower())
    for word_rn in candidates:
        if word_rn in RN_WORDS or word_rn.endswith(RN_SUFFIXES):
            return False
        if "-" in word_rn and word_rn.rsplit("-", 1)[1] in RN_WORDS:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# Reading the notice
# ---------------------------------------------------------------------------------------------


@dataclass
class _Builder:
    repair_breaks: bool
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    seen_paragraphs: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    def clean(self, text: str) -> str:
        text = fix_mojibake(text.replace("\r\n", "\n").replace("\r", "\n"))
        return repair(text) if self.repair_breaks else text

    def heading(self, text: str, level: int, locator: str) -> None:
        text = " ".join(self.clean(text).split())
        if text:
            self.lines.append(Line(text=text, heading_level=level, locator=locator))

    def prose(self, text: str, locator: str) -> bool:
        """The field's paragraphs as lines, skipping a field or paragraph that repeats text already
        read (lot descriptions often copy the tender's, or end with the same boilerplate)."""
        text = self.clean(text)
        key = _norm(text)
        if not key or any(key in s for s in self.seen):
            return False
        self.seen.append(key)
        for kind, paragraph in paragraphs(text):
            if _norm(paragraph) in self.seen_paragraphs:
                continue
            self.seen_paragraphs.add(_norm(paragraph))
            self.lines.append(Line(text=paragraph, kind=kind, locator=locator))
        return True


def read_ocds(data: bytes, name: str, sha256: str) -> Tender:
    """Read an OCDS release, release package or record into a one-page ``Tender``."""
    text = _decode(data)
    if text is None:
        raise InputError(name, "unsupported type: not readable as OCDS JSON")
    try:
        obj = json.loads(text)
    except ValueError:
        raise InputError(name, "invalid JSON; not a readable OCDS release") from None
    release, notes = select_release(obj, name)
    tender: dict[str, Any] = release["tender"] if isinstance(release.get("tender"), dict) else {}
    texts = [fix_mojibake(t) for t in _strings(tender)] + [str(release.get("description") or "")]
    builder = _Builder(repair_breaks=has_glued_breaks(texts))
    builder.warnings.extend(notes)

    ocid = str(release.get("ocid") or "")
    if ocid:
        builder.lines.append(Line(text="", locator=OCID_PREFIX + ocid))
    title = _text(tender.get("title")) or _text(release.get("title"))
    if title:
        builder.heading(title, 1, "tender.title" if _text(tender.get("title")) else "title")
    if _text(tender.get("description")):
        builder.prose(tender["description"], "tender.description")

    lots = [lot for lot in tender.get("lots") or [] if isinstance(lot, dict)]
    per_lot = [
        _criteria(lot.get("awardCriteria"), f"tender.lots[{i}].awardCriteria")
        for i, lot in enumerate(lots)
    ]
    shared = len({_signature(c) for c in per_lot if c}) == 1
    _award_criteria(builder, tender, per_lot if shared else [])
    for path, value in _prose_fields(tender, "tender"):
        builder.prose(value, path)
    _reserved_participation(builder, tender)
    if _text(release.get("description")):
        builder.prose(release["description"], "description")
    _lots(builder, lots, [] if shared else per_lot, title)

    if not any(line.text for line in builder.lines):
        raise InputError(name, "OCDS release has no tender text to assess")
    page_text = "\n".join(line.text for line in builder.lines if line.text)
    page = Page(number=1, text=page_text, lines=tuple(builder.lines), tables=tuple(builder.tables))
    return Tender(
        name=name,
        sha256=sha256,
        format="ocds",
        pages=(page,),
        warnings=tuple(builder.warnings),
        buyer=fix_mojibake(buyer) if (buyer := buyer_of(release)) else None,
        title=" ".join(builder.clean(title).split()) if title else None,
    )


def ocid_of(tender: Tender) -> str | None:
    """The notice's ocid, as read by ``read_ocds``."""
    for page in tender.pages:
        for line in page.lines:
            if line.locator and line.locator.startswith(OCID_PREFIX) and not line.text:
                return line.locator[len(OCID_PREFIX) :]
    return None


def select_release(obj: Any, name: str) -> tuple[dict[str, Any], list[str]]:
    """The release to assess: the release itself, a package's latest release, or a record's
    compiled release (else its latest embedded release)."""
    if not isinstance(obj, dict):
        raise InputError(
            name, "unsupported type: JSON that is not an OCDS release, package or record"
        )
    notes: list[str] = []
    if isinstance(obj.get("records"), list):
        records = [r for r in obj["records"] if isinstance(r, dict)]
        if not records:
            raise InputError(name, "OCDS record package has no records")
        if len(records) > 1:
            notes.append(f"record package holds {len(records)} records; assessed the first")
        record = records[0]
        compiled = record.get("compiledRelease")
        if isinstance(compiled, dict) and (compiled.get("tender") or compiled.get("description")):
            return compiled, notes
        embedded = _latest([r for r in record.get("releases") or [] if isinstance(r, dict)])
        if embedded is None:
            raise InputError(name, "OCDS record has no compiledRelease and no embedded release")
        return embedded, notes
    if isinstance(obj.get("releases"), list):
        releases = [r for r in obj["releases"] if isinstance(r, dict)]
        latest = _latest(releases)
        if latest is None:
            raise InputError(name, "OCDS release package has no release with tender details")
        ocids = {r.get("ocid") for r in releases if r.get("tender")}
        if len(ocids) > 1:
            notes.append(
                f"release package holds {len(ocids)} contracting processes; "
                f"assessed the latest release ({latest.get('ocid')})"
            )
        return latest, notes
    return obj, notes


def _latest(releases: list[dict[str, Any]]) -> dict[str, Any] | None:
    with_text = [r for r in releases if isinstance(r.get("tender"), dict) or r.get("description")]
    if not with_text:
        return None
    # ISO 8601 dates sort as text; a release without a date counts as the oldest
    return max(enumerate(with_text), key=lambda ir: (str(ir[1].get("date") or ""), ir[0]))[1]


def buyer_of(release: dict[str, Any]) -> str | None:
    buyer = release.get("buyer")
    if isinstance(buyer, dict) and _text(buyer.get("name")):
        return str(buyer["name"]).strip()
    for party in release.get("parties") or []:
        if (
            isinstance(party, dict)
            and "buyer" in (party.get("roles") or [])
            and _text(party.get("name"))
        ):
            return str(party["name"]).strip()
    return None


# ---------------------------------------------------------------------------------------------
# Award criteria
# ---------------------------------------------------------------------------------------------

NUMBER = re.compile(
    r"^\s*(?P<value>\d{1,4}(?:[.,]\d+)?)\s*(?P<unit>%|per\s?cent|percent|marks|points|pts)?\s*$",
    re.IGNORECASE,
)
WEIGHT_KINDS = {
    "percentageExact": "%",
    "percentageRangeMiddle": "%",
    "pointsExact": " points",
    "pointsRangeMiddle": " points",
}


@dataclass(frozen=True)
class Criterion:
    """One award criterion as the notice states it."""

    name: str
    weight: str  # the weighting cell ("40%", "200 points"), or "" when not a single figure
    note: str  # the notice's words when they are not a weight ("15-40%", prose)
    path: str


def _award_criteria(
    builder: _Builder, tender: dict[str, Any], shared_lot_criteria: list[list[Criterion]]
) -> None:
    """Tender-level criteria, and the lots' criteria when every lot has the same ones."""
    details = tender.get("awardCriteriaDetails")
    if isinstance(details, str) and details.strip():
        builder.prose(details, "tender.awardCriteriaDetails")
    top = tender.get("awardCriteria")
    if isinstance(top, dict):
        _emit_criteria(builder, _criteria(top, "tender.awardCriteria"))
    first = next((c for c in shared_lot_criteria if c), None)
    if first:
        _emit_criteria(builder, first)
        _partial_warning(builder, first, "")


def _signature(criteria: list[Criterion]) -> tuple[tuple[str, str, str], ...]:
    return tuple((c.name, c.weight, c.note) for c in criteria)


def _criteria(block: Any, path: str) -> list[Criterion]:
    """The criteria of an ``awardCriteria`` object. Bare numbers are percentages unless together
    they come to more than 100, when they are points."""
    if not isinstance(block, dict):
        return []
    found: list[tuple[str, float | None, str, str, str]] = []  # name, value, unit, note, path
    for j, item in enumerate(block.get("criteria") or []):
        if not isinstance(item, dict):
            continue
        kind = str(item.get("type") or "").strip()
        name = " ".join(str(item.get("name") or "").split()) or kind.capitalize() or "Criterion"
        description = " ".join(str(item.get("description") or "").split())
        value, unit, note = _weight(item.get("numbers"), description)
        if value is not None or note:
            found.append((name, value, unit, note, f"{path}.criteria[{j}]"))
    bare_total = sum(v for _, v, unit, _, _ in found if v is not None and not unit)
    default_unit = " points" if bare_total > 100.5 else "%"
    return [
        Criterion(
            name, f"{value:g}{unit or default_unit}" if value is not None else "", note, where
        )
        for name, value, unit, note, where in found
    ]


def _weight(numbers: Any, description: str) -> tuple[float | None, str, str]:
    """(value, unit, note) from the extension's ``numbers`` or a figure in ``description``;
    unit is "" for a bare number, note keeps words that are not one figure ("15-40%")."""
    if isinstance(numbers, list):
        for item in numbers:
            if isinstance(item, dict) and isinstance(item.get("number"), int | float):
                kind = str(item.get("weight") or "")
                value = float(item["number"])
                if kind in WEIGHT_KINDS:
                    return value, WEIGHT_KINDS[kind], ""
                if kind in ("decimalExact", "decimalRangeMiddle") and 0 <= value <= 1:
                    return round(value * 100, 4), "%", ""
    if not description or description.lower() in ("-", "n/a", "na", "none"):
        return None, "", ""
    match = NUMBER.match(description)
    if match:
        value = float(match.group("value").replace(",", "."))
        unit = (match.group("unit") or "").lower()
        if unit.startswith(("%", "per")):
            return value, "%", ""
        return value, (f" {unit}" if unit else ""), ""
    return None, "", description  # a range ("15-40%") or words: kept as text, not a weight


def _emit_criteria(builder: _Builder, criteria: list[Criterion]) -> None:
    rows = [WEIGHT_HEADER]
    for c in criteria:
        if c.weight:
            rows.append((c.name, c.weight))
            builder.lines.append(
                Line(text=f"{c.name} | {c.weight}", kind="table_row", locator=c.path)
            )
        else:
            text = builder.clean(f"{c.name}: {c.note}")
            builder.lines.append(
                Line(text=" ".join(text.split()), kind="paragraph", locator=c.path)
            )
    if len(rows) > 1:
        builder.tables.append(Table(page=1, rows=tuple(rows)))


def _partial_warning(builder: _Builder, criteria: list[Criterion], where: str) -> None:
    values = [_number(c.weight) for c in criteria if c.weight.endswith("%")]
    total = sum(v for v in values if v is not None)
    if values and total < 99.5:
        builder.warnings.append(
            f"the notice's award criteria{where} add up to {total:g}%: notices (Public Contracts "
            "Scotland and Sell2Wales especially) often list only the first quality criterion and "
            "price, so other criteria, social value included, may be weighted in the tender documents"
        )


def _number(cell: str) -> float | None:
    match = re.match(r"\s*(\d+(?:\.\d+)?)", cell)
    return float(match.group(1)) if match else None


# ---------------------------------------------------------------------------------------------
# Lots and other prose fields
# ---------------------------------------------------------------------------------------------


def _lots(
    builder: _Builder,
    lots: list[dict[str, Any]],
    own_criteria: list[list[Criterion]],
    tender_title: str | None,
) -> None:
    """Each lot under its own heading; ``own_criteria`` (empty when the lots share theirs) are
    the lots' award criteria."""
    several = len(lots) > 1
    for i, lot in enumerate(lots):
        path = f"tender.lots[{i}]"
        lot_title = _text(lot.get("title"))
        lot_id = str(lot.get("id") or i + 1)
        heading = lot_title
        if several and not re.search(r"\blot\b", lot_title, re.IGNORECASE):
            heading = f"Lot {lot_id} – {lot_title}" if lot_title else f"Lot {lot_id}"
        if heading and _norm(heading) != _norm(tender_title or ""):
            builder.heading(heading, 2, f"{path}.title")
        if _text(lot.get("description")):
            builder.prose(lot["description"], f"{path}.description")
        if i < len(own_criteria) and own_criteria[i]:
            _emit_criteria(builder, own_criteria[i])
            _partial_warning(builder, own_criteria[i], f" for Lot {lot_id}")
        for field_path, value in _prose_fields(lot, path):
            builder.prose(value, field_path)


# OCDS codelist ``reservedParticipation`` (notice section III.1.5): the code as published,
# then what it means, so the line reads as the notice's statement that the contract is reserved.
RESERVED_PARTICIPATION = {
    "shelteredWorkshop": "participation is reserved for sheltered workshops and supported "
    "businesses (economic operators whose main aim is the social and professional "
    "integration of disabled or disadvantaged persons)",
    "publicServiceMissionOrganization": "participation is reserved for organisations pursuing "
    "a public service mission (public service mutuals)",
}


def _reserved_participation(builder: _Builder, tender: dict[str, Any]) -> None:
    """``tender.otherRequirements.reservedParticipation`` as one line per code."""
    other = tender.get("otherRequirements")
    codes = other.get("reservedParticipation") if isinstance(other, dict) else None
    for k, code in enumerate(codes if isinstance(codes, list) else []):
        if isinstance(code, str) and code.strip():
            meaning = RESERVED_PARTICIPATION.get(code.strip(), "participation is reserved")
            builder.lines.append(
                Line(
                    text=f"Reserved participation: {code.strip()}: {meaning}.",
                    kind="paragraph",
                    locator=f"tender.otherRequirements.reservedParticipation[{k}]",
                )
            )


def _prose_fields(obj: dict[str, Any], path: str, top: bool = True) -> Iterator[tuple[str, str]]:
    """(JSON path, text) of every prose string below ``obj``, skipping codes and metadata and,
    at the top, the fields read on their own (title, description, lots, award criteria)."""
    for key, value in obj.items():
        if key in SKIP_KEYS or (top and key in HANDLED_KEYS):
            continue
        sub = f"{path}.{key}"
        if isinstance(value, dict):
            yield from _prose_fields(value, sub, top=False)
        elif isinstance(value, list):
            for k, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _prose_fields(item, f"{sub}[{k}]", top=False)
                elif isinstance(item, str) and _is_prose(item):
                    yield f"{sub}[{k}]", item
        elif isinstance(value, str) and _is_prose(value):
            yield sub, value


def _is_prose(text: str) -> bool:
    words = re.findall(r"[A-Za-z]{2,}", text)
    if len(words) < 3 or re.fullmatch(r"\s*(https?://|www\.)\S+\s*", text):
        return False
    return len(words) >= 4 or text.rstrip().endswith(".")


def _strings(obj: Any) -> Iterator[str]:
    if isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _strings(value)
    elif isinstance(obj, str):
        yield obj


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


# ---------------------------------------------------------------------------------------------
# Paragraphs
# ---------------------------------------------------------------------------------------------

BULLET = re.compile(r"^(?:[•\-\*–—·▪●◦■]|\(?[a-z]{1,2}\)|\(?[ivxIVX]{1,4}[.)])\s*\S")
NUMBERED = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}[.)]?|\(\d{1,2}\)|[A-Z][.)])\s*[A-Z(]")
TERMINAL = (".", ":", ";", "?", "!")
# A line ending in one of these words was cut in the middle of a sentence ("...the" / "Service").
OPEN_ENDED = re.compile(
    r"\b(the|a|an|to|and|or|of|in|for|with|by|on|at|from|that|which|who|is|are|be|will|"
    r"must|shall|should|may|can|their|its|our|your|this|these|any|all|as|into|under)$",
    re.IGNORECASE,
)


BlockKind = Literal["paragraph", "bullet", "numbered"]


def paragraphs(text: str) -> list[tuple[BlockKind, str]]:
    """(kind, text) blocks of a field: blank lines and list markers start a block; a line that
    does not end a sentence continues into the next when that starts in lower case or the line
    ends on a word that cannot end a sentence (hard wraps: "...who meet" / "the selection")."""
    blocks: list[tuple[BlockKind, list[str]]] = []
    current: tuple[BlockKind, list[str]] | None = None
    for raw in text.split("\n"):
        line = " ".join(raw.replace("\t", " ").split())
        if not line:
            current = None
            continue
        kind: BlockKind | None = (
            "bullet" if BULLET.match(line) else "numbered" if NUMBERED.match(line) else None
        )
        previous = current[1][-1] if current is not None else ""
        continues = (
            current is not None
            and not kind
            and not previous.endswith(TERMINAL)
            and (line[:1].islower() or line[:1] in "(&," or bool(OPEN_ENDED.search(previous)))
        )
        if continues and current is not None:
            current[1].append(line)
            continue
        current = (kind or "paragraph", [line])
        blocks.append(current)
    return [(kind, " ".join(lines)) for kind, lines in blocks]
