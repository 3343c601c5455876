"""Vocabularies, validation and clause extraction for corpus sources (see SCHEMA.md).

A source is the parsed YAML of ``corpus/sources/<id>.yaml``. :func:`validate` returns a
list of human-readable problems (empty when the source is valid); :func:`iter_clauses`
flattens the ``body`` into clause units with their heading path.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

JURISDICTIONS = ("england_council", "nhs", "central_government", "scotland", "wales", "other")
FORMATS = ("pdf", "docx")
VERDICTS = ("absent", "token", "substantive")
LABELS = ("substantive", "token", "not_social_value")
SV_LABELS = ("substantive", "token")
ROLES = ("weight", "requirement", "evaluation", "contract", "background")
REASONS = (
    "consequence",
    "specificity",
    "evaluability",
    "enforcement",
    "weight_ge_10",
    "weight_5_to_10",
    "weight_lt_5",
    "modal_verb",
    "no_consequence",
    "not_evaluated",
    "policy_background",
    "no_additionality",
    "generic",
    "target_not_weight",
    "pass_fail",
)
BASES = ("stated", "derived", "pass_fail", "unstated", "none")
UNITS = ("percent", "marks", "points")
DIMENSION_MAX = {"D1": 5, "D2": 3, "D3": 3, "D4": 3, "D5": 3, "D6": 3, "D7": 3, "D8": 3}
HEADINGS = ("h1", "h2", "h3")
BLOCK_KINDS = (*HEADINGS, "p", "bullets", "numbered", "table", "page_break")
CLAUSE_KEYS = ("label", "role", "reasons", "confuser", "good_practice")
TOP_REQUIRED = (
    "id",
    "title",
    "buyer",
    "jurisdiction",
    "style",
    "date",
    "value_gbp",
    "formats",
    "labels",
    "body",
)
TOP_OPTIONAL = ("layout", "reference")
LAYOUT_KEYS = ("columns", "header", "footer", "page_numbers")
PAGE_NUMBER_STYLES = ("n_of_m", "n", "none")
WEIGHTING_KEYS = ("criterion", "value", "unit", "of", "effective_pct", "out_of", "note")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Characters outside WinAnsi (cp1252) that the standard PDF fonts cannot show.
_CHAR_MAP = {
    "\u2212": "-",  # minus sign
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2015": "\u2014",
    "\u2022": "\u2022",
    "\u2043": "-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2260": "!=",
    "\u2248": "~",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2194": "<->",
    "\u2713": "Yes",
    "\u2714": "Yes",
    "\u2717": "No",
    "\u2718": "No",
    "\u2032": "'",
    "\u2033": '"',
    "\u2009": " ",
    "\u200a": " ",
    "\u202f": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u200b": "",
    "\u2060": "",
    "\ufeff": "",
    "\u00ad": "",
    "\u2153": "1/3",
    "\u2154": "2/3",
    "\u215b": "1/8",
    "\u2070": "0",
    "\u00b9": "1",
    "\u2082": "2",
    "\u2083": "3",
}


def safe_text(text: str) -> str:
    """Return ``text`` with characters the standard (WinAnsi) PDF fonts lack replaced.

    Characters in cp1252 (including £ € ’ “ ” – —) are kept; a few symbols get ASCII
    equivalents; letters with diacritics outside cp1252 (e.g. Welsh ŵ ŷ) lose the accent.
    """
    out: list[str] = []
    for ch in text:
        if ch in _CHAR_MAP:
            out.append(_CHAR_MAP[ch])
            continue
        try:
            ch.encode("cp1252")
        except UnicodeEncodeError:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            try:
                base.encode("cp1252")
            except UnicodeEncodeError:
                base = "?"
            out.append(base)
        else:
            out.append(ch)
    return "".join(out)


def cell_text(value: Any) -> str:
    """Return the display text of a table cell (YAML may give numbers or null)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def doc_date(doc: dict[str, Any]) -> str:
    """Return the document date as an ISO string (YAML may parse it as a date)."""
    value = doc.get("date")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if value is not None else ""


def layout_of(doc: dict[str, Any]) -> dict[str, Any]:
    """Return the layout with defaults filled in (columns 1, no header/footer)."""
    layout = doc.get("layout") or {}
    columns = layout.get("columns", 1)
    footer = layout.get("footer")
    default_numbers = "n_of_m" if footer else "n"
    return {
        "columns": columns if columns in (1, 2) else 1,
        "header": layout.get("header") or None,
        "footer": footer or None,
        "page_numbers": layout.get("page_numbers") or default_numbers,
    }


@dataclass
class Clause:
    """One clause unit of a source body (a paragraph, list item or table row)."""

    n: int
    text: str
    kind: str
    label: str = "not_social_value"
    role: str | None = None
    reasons: list[str] = field(default_factory=list)
    heading_path: str = ""
    confuser: bool = False
    good_practice: bool = False
    where: str = ""
    match_text: str = ""


def _snippet(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def _unit_from(item: Any, text_key: str) -> tuple[Any, dict[str, Any]]:
    """Split a list item / row into (content, label dict)."""
    if isinstance(item, dict):
        return item.get(text_key), item
    return item, {}


def iter_clauses(doc: dict[str, Any]) -> list[Clause]:
    """Flatten ``doc['body']`` into clause units, numbered from 1, with heading paths.

    Headings are not clauses but set the path (an h1 resets h2/h3, an h2 resets h3).
    Table rows give the text of their non-empty cells joined with `` | ``.
    """
    clauses: list[Clause] = []
    path: dict[str, str] = {}

    def add(kind: str, text: str, meta: dict[str, Any], where: str, match: str) -> None:
        label = meta.get("label") or "not_social_value"
        clauses.append(
            Clause(
                n=len(clauses) + 1,
                text=" ".join(text.split()),
                kind=kind,
                label=label,
                role=meta.get("role") if label in SV_LABELS else None,
                reasons=list(meta.get("reasons") or []),
                heading_path=" > ".join(path[h] for h in HEADINGS if h in path),
                confuser=bool(meta.get("confuser", False)),
                good_practice=bool(meta.get("good_practice", False)),
                where=where,
                match_text=match,
            )
        )

    for bi, block in enumerate(doc.get("body") or []):
        if not isinstance(block, dict):
            continue
        for level, h in enumerate(HEADINGS):
            if h in block:
                path[h] = " ".join(str(block[h]).split())
                for deeper in HEADINGS[level + 1 :]:
                    path.pop(deeper, None)
        if "p" in block:
            add("paragraph", str(block["p"]), block, f"body[{bi}]", str(block["p"]))
        for key, kind in (("bullets", "bullet"), ("numbered", "numbered")):
            for ii, item in enumerate(block.get(key) or []):
                text, meta = _unit_from(item, "text")
                add(kind, str(text or ""), meta, f"body[{bi}].{key}[{ii}]", str(text or ""))
        table = block.get("table")
        if isinstance(table, dict):
            for ri, row in enumerate(table.get("rows") or []):
                cells, meta = _unit_from(row, "cells")
                texts = [cell_text(c) for c in (cells or [])]
                nonempty = [t for t in texts if t]
                add(
                    "table_row",
                    " | ".join(nonempty),
                    meta,
                    f"body[{bi}].table.rows[{ri}]",
                    " ".join(nonempty),
                )
    return clauses


def expected_verdict(clauses: list[Clause]) -> str:
    """Apply the schema's verdict rule to labelled clauses."""
    sv = [c for c in clauses if c.label in SV_LABELS]
    if not sv:
        return "absent"
    if any(c.label == "substantive" and c.role != "background" for c in sv):
        return "substantive"
    return "token"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_clause_meta(meta: dict[str, Any], where: str, errors: list[str]) -> None:
    label = meta.get("label", "not_social_value")
    if label is None:
        label = "not_social_value"
    if label not in LABELS:
        errors.append(f"{where}: label {label!r} not in {list(LABELS)}")
        return
    role = meta.get("role")
    if label in SV_LABELS:
        if role not in ROLES:
            errors.append(f"{where}: {label} clause needs role in {list(ROLES)}, got {role!r}")
        if label == "substantive" and role == "background":
            errors.append(f"{where}: background/policy clauses are token, not substantive")
    elif role is not None:
        errors.append(f"{where}: not_social_value clause must not have a role (got {role!r})")
    reasons = meta.get("reasons", [])
    if reasons is None:
        reasons = []
    if not isinstance(reasons, list):
        errors.append(f"{where}: reasons must be a list")
        reasons = []
    bad = [r for r in reasons if r not in REASONS]
    if bad:
        errors.append(f"{where}: unknown reasons {bad}; allowed {list(REASONS)}")
    if label == "substantive" and "weight_lt_5" in reasons:
        errors.append(f"{where}: weight_lt_5 clause must be token (hard rule), not substantive")
    if label == "token" and "weight_ge_10" in reasons:
        errors.append(f"{where}: weight_ge_10 clause must be substantive (hard rule), not token")
    for flag in ("confuser", "good_practice"):
        if flag in meta and not isinstance(meta[flag], bool):
            errors.append(f"{where}: {flag} must be true or false")


def _check_table(table: Any, where: str, errors: list[str]) -> None:
    if not isinstance(table, dict):
        errors.append(f"{where}: table must be a mapping")
        return
    unknown = set(table) - {"caption", "ruled", "header", "rows", "spans"}
    if unknown:
        errors.append(f"{where}: unknown table keys {sorted(unknown)}")
    if "ruled" in table and not isinstance(table["ruled"], bool):
        errors.append(f"{where}: ruled must be true or false")
    header = table.get("header")
    grid: list[list[str]] = []
    if header is not None:
        if not isinstance(header, list) or not header:
            errors.append(f"{where}: header must be a non-empty list")
            return
        grid.append([cell_text(c) for c in header])
    rows = table.get("rows")
    if not isinstance(rows, list) or not rows:
        errors.append(f"{where}: table needs a non-empty rows list")
        return
    for ri, row in enumerate(rows):
        rwhere = f"{where}.rows[{ri}]"
        cells, meta = _unit_from(row, "cells")
        if isinstance(row, dict):
            unknown = set(row) - {"cells", *CLAUSE_KEYS}
            if unknown:
                errors.append(f"{rwhere}: unknown keys {sorted(unknown)}")
            _check_clause_meta(meta, rwhere, errors)
        if not isinstance(cells, list) or not cells:
            errors.append(f"{rwhere}: a row must be a non-empty list of cells")
            return
        if any(isinstance(c, dict | list) for c in cells):
            errors.append(f"{rwhere}: cells must be plain text")
        grid.append([cell_text(c) for c in cells])
    ncols = len(grid[0])
    for gi, grow in enumerate(grid):
        if len(grow) != ncols:
            what = "header" if header is not None and gi == 0 else "row"
            errors.append(f"{where}: {what} {gi} has {len(grow)} cells, expected {ncols}")
            return
    if not any(any(r) for r in grid[1 if header is not None else 0 :]):
        errors.append(f"{where}: all rows are empty")
    spans = table.get("spans") or []
    if not isinstance(spans, list):
        errors.append(f"{where}: spans must be a list")
        return
    for si, span in enumerate(spans):
        swhere = f"{where}.spans[{si}]"
        if (
            not isinstance(span, list)
            or len(span) != 4
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in span)
        ):
            errors.append(f"{swhere}: a span is [first_col, first_row, last_col, last_row]")
            continue
        c0, r0, c1, r1 = span
        if not (0 <= c0 <= c1 < ncols and 0 <= r0 <= r1 < len(grid)):
            errors.append(
                f"{swhere}: {span} outside the {ncols}x{len(grid)} table (row 0 = header)"
            )
            continue
        if (c0, r0) == (c1, r1):
            errors.append(f"{swhere}: span covers a single cell")
            continue
        if header is not None and r0 == 0 < r1:
            errors.append(f"{swhere}: a span must not join the header row to body rows")
        hidden = [
            (c, r)
            for r in range(r0, r1 + 1)
            for c in range(c0, c1 + 1)
            if (c, r) != (c0, r0) and grid[r][c]
        ]
        if hidden:
            errors.append(f"{swhere}: spanned cells other than the first must be '' {hidden}")


def validate(doc: Any, stem: str | None = None) -> list[str]:
    """Return the problems with one parsed source (an empty list means valid).

    Checks required keys, ``id`` against the file stem, vocabularies, the table
    structure, ``sv_weight`` against the verdict, and the verdict against the clause
    labels (SCHEMA.md's verdict rule). Each problem names the block it concerns.
    """
    errors: list[str] = []
    if not isinstance(doc, dict):
        return ["source is not a YAML mapping"]
    missing = [k for k in TOP_REQUIRED if k not in doc]
    if missing:
        errors.append(f"missing required keys {missing}")
    unknown = set(doc) - set(TOP_REQUIRED) - set(TOP_OPTIONAL)
    if unknown:
        errors.append(f"unknown top-level keys {sorted(unknown)}")
    doc_id = doc.get("id")
    if not isinstance(doc_id, str) or not ID_RE.match(doc_id):
        errors.append(f"id {doc_id!r} must be lowercase letters, digits and dashes")
    elif stem is not None and doc_id != stem:
        errors.append(f"id {doc_id!r} does not match the file name {stem!r}")
    for key in ("title", "buyer", "style"):
        if key in doc and (not isinstance(doc[key], str) or not doc[key].strip()):
            errors.append(f"{key} must be a non-empty string")
    if "jurisdiction" in doc and doc["jurisdiction"] not in JURISDICTIONS:
        errors.append(f"jurisdiction {doc['jurisdiction']!r} not in {list(JURISDICTIONS)}")
    if "date" in doc:
        try:
            dt.date.fromisoformat(doc_date(doc))
        except ValueError:
            errors.append(f"date {doc.get('date')!r} is not YYYY-MM-DD")
    value = doc.get("value_gbp")
    if value is not None and (not _is_number(value) or value < 0):
        errors.append(f"value_gbp must be a non-negative number or null, got {value!r}")
    formats = doc.get("formats")
    if "formats" in doc and (
        not isinstance(formats, list)
        or not formats
        or any(f not in FORMATS for f in formats)
        or len(set(formats)) != len(formats)
    ):
        errors.append(f"formats must be [pdf], [docx] or [pdf, docx], got {formats!r}")
    layout = doc.get("layout")
    if layout is not None:
        if not isinstance(layout, dict):
            errors.append("layout must be a mapping")
        else:
            bad_keys = set(layout) - set(LAYOUT_KEYS)
            if bad_keys:
                errors.append(f"unknown layout keys {sorted(bad_keys)}")
            if layout.get("columns", 1) not in (1, 2):
                errors.append(f"layout.columns must be 1 or 2, got {layout.get('columns')!r}")
            for key in ("header", "footer"):
                if layout.get(key) is not None and not isinstance(layout[key], str):
                    errors.append(f"layout.{key} must be a string or null")
            numbers = layout.get("page_numbers")
            if numbers is not None and numbers not in PAGE_NUMBER_STYLES:
                errors.append(f"layout.page_numbers must be one of {list(PAGE_NUMBER_STYLES)}")

    body = doc.get("body")
    if "body" in doc and (not isinstance(body, list) or not body):
        errors.append("body must be a non-empty list")
        body = []
    for bi, block in enumerate(body or []):
        where = f"body[{bi}]"
        if not isinstance(block, dict):
            errors.append(f"{where}: a block must be a mapping, got {type(block).__name__}")
            continue
        kinds = [k for k in BLOCK_KINDS if k in block]
        if len(kinds) != 1:
            errors.append(f"{where}: a block needs exactly one of {list(BLOCK_KINDS)}, got {kinds}")
            continue
        kind = kinds[0]
        allowed = {kind, *CLAUSE_KEYS} if kind == "p" else {kind}
        extra = set(block) - allowed
        if extra:
            errors.append(f"{where} ({kind}): unexpected keys {sorted(extra)}")
        value = block[kind]
        if kind in HEADINGS or kind == "p":
            if not isinstance(value, str) or not value.strip():
                errors.append(f"{where} ({kind}): text must be a non-empty string")
            elif kind == "p":
                _check_clause_meta(block, f'{where} (p "{_snippet(value)}")', errors)
        elif kind in ("bullets", "numbered"):
            if not isinstance(value, list) or not value:
                errors.append(f"{where} ({kind}): must be a non-empty list")
                continue
            for ii, item in enumerate(value):
                iwhere = f"{where}.{kind}[{ii}]"
                text, meta = _unit_from(item, "text")
                if not isinstance(text, str) or not text.strip():
                    errors.append(f"{iwhere}: item text must be a non-empty string")
                    continue
                if isinstance(item, dict):
                    extra = set(item) - {"text", *CLAUSE_KEYS}
                    if extra:
                        errors.append(f"{iwhere}: unexpected keys {sorted(extra)}")
                    _check_clause_meta(meta, f'{iwhere} ("{_snippet(text)}")', errors)
        elif kind == "table":
            _check_table(value, f"{where} (table)", errors)
        elif kind == "page_break" and value is not True:
            errors.append(f"{where}: page_break must be true")

    labels = doc.get("labels")
    if "labels" in doc:
        errors.extend(_check_labels(labels, doc, body or []))
    return errors


def _check_labels(labels: Any, doc: dict[str, Any], body: list[Any]) -> list[str]:
    """Check the document-level labels and their consistency with the clause labels."""
    errors: list[str] = []
    if not isinstance(labels, dict):
        return ["labels must be a mapping"]
    unknown = set(labels) - {"verdict", "sv_weight", "weightings", "dimensions"}
    if unknown:
        errors.append(f"unknown keys in labels {sorted(unknown)}")
    verdict = labels.get("verdict")
    if verdict not in VERDICTS:
        errors.append(f"labels.verdict {verdict!r} not in {list(VERDICTS)}")
    sv_weight = labels.get("sv_weight")
    if not isinstance(sv_weight, dict):
        errors.append("labels.sv_weight must be a mapping {effective_pct, basis, derivation}")
    else:
        missing = [k for k in ("effective_pct", "basis", "derivation") if k not in sv_weight]
        if missing:
            errors.append(f"labels.sv_weight missing {missing}")
        basis = sv_weight.get("basis")
        pct = sv_weight.get("effective_pct")
        if basis not in BASES:
            errors.append(f"labels.sv_weight.basis {basis!r} not in {list(BASES)}")
        if pct is not None and (not _is_number(pct) or not 0 <= pct <= 100):
            errors.append(f"labels.sv_weight.effective_pct must be 0-100 or null, got {pct!r}")
        if basis in ("stated", "derived") and pct is None:
            errors.append(f"labels.sv_weight: basis {basis} needs an effective_pct")
        if basis in ("unstated", "none") and pct is not None:
            errors.append(f"labels.sv_weight: basis {basis} must have effective_pct null")
        if (basis == "none") != (verdict == "absent") and verdict in VERDICTS:
            errors.append(
                f"labels.sv_weight.basis is {basis!r} but verdict is {verdict!r} "
                "(basis none if and only if verdict absent)"
            )
    weightings = labels.get("weightings", [])
    if weightings is None:
        weightings = []
    if not isinstance(weightings, list):
        errors.append("labels.weightings must be a list")
        weightings = []
    for wi, w in enumerate(weightings):
        wwhere = f"labels.weightings[{wi}]"
        if not isinstance(w, dict):
            errors.append(f"{wwhere}: must be a mapping")
            continue
        missing = [k for k in ("criterion", "value", "unit", "of", "effective_pct") if k not in w]
        if missing:
            errors.append(f"{wwhere}: missing {missing}")
        extra = set(w) - set(WEIGHTING_KEYS)
        if extra:
            errors.append(f"{wwhere}: unknown keys {sorted(extra)}")
        if "unit" in w and w["unit"] not in UNITS:
            errors.append(f"{wwhere}: unit {w['unit']!r} not in {list(UNITS)}")
        if w.get("unit") == "marks" and "out_of" not in w:
            errors.append(f"{wwhere}: unit marks needs out_of")
        for key in ("value", "out_of"):
            if key in w and not _is_number(w[key]):
                errors.append(f"{wwhere}: {key} must be a number")
        pct = w.get("effective_pct")
        if pct is not None and (not _is_number(pct) or not 0 <= pct <= 100):
            errors.append(f"{wwhere}: effective_pct must be 0-100 or null, got {pct!r}")
    dims = labels.get("dimensions")
    if not isinstance(dims, dict):
        errors.append("labels.dimensions must be a mapping D1..D8")
    else:
        missing = [d for d in DIMENSION_MAX if d not in dims]
        extra = set(dims) - set(DIMENSION_MAX)
        if missing or extra:
            errors.append(f"labels.dimensions: missing {missing}, unknown {sorted(extra)}")
        for d, top in DIMENSION_MAX.items():
            v = dims.get(d)
            if d in dims and (not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= top):
                errors.append(f"labels.dimensions.{d} must be an integer 0-{top}, got {v!r}")

    if verdict in VERDICTS and isinstance(doc.get("body"), list):
        clauses = iter_clauses(doc)
        expected = expected_verdict(clauses)
        if expected != verdict:
            errors.append(_verdict_message(verdict, expected, clauses))
    return errors


def _verdict_message(verdict: str, expected: str, clauses: list[Clause]) -> str:
    """Explain why the declared verdict disagrees with the clause labels."""
    sv = [c for c in clauses if c.label in SV_LABELS]
    head = f"labels.verdict is {verdict!r} but the clause labels give {expected!r}: "
    if expected == "absent":
        return head + "no clause is labelled substantive or token"
    if expected == "substantive":
        first = next(c for c in sv if c.label == "substantive" and c.role != "background")
        return head + f'{first.where} ("{_snippet(first.text)}") is substantive ({first.role})'
    listed = ", ".join(f"{c.where} {c.label}/{c.role}" for c in sv[:4])
    more = f" (+{len(sv) - 4} more)" if len(sv) > 4 else ""
    if verdict == "absent":
        return head + f"social value clauses exist: {listed}{more}"
    return head + f"no non-background clause is substantive; SV clauses: {listed}{more}"
