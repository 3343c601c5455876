"""Inter-annotator agreement between the two labelling passes of the real OCDS notices.

Compares ``corpus/real/pass1.yaml`` with ``corpus/real/pass2.yaml`` (same shape:
``notices[]`` with ``ocid``, ``verdict``, ``sv_weight{effective_pct, basis, derivation}`` and
``clauses[]{field, text, label, role, reasons}``) and reports:

* notice level: verdict agreement (raw % and Cohen's kappa over absent/token/substantive),
  ``sv_weight.basis`` agreement and ``sv_weight.effective_pct`` agreement;
* clause level: clauses of the two passes on the same notice are paired one-to-one when they
  have the same ``field`` and either one text contains the other (case- and
  whitespace-insensitive) or their word-token Jaccard similarity is >= 0.5. Reported: clauses
  per pass, matched pairs, and label and role agreement (raw % and kappa) on matched pairs.

The summary is printed and written to ``corpus/real/agreement.json``.

Run from the repository root::

    python corpus/real/agreement.py
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
VERDICTS: tuple[str, ...] = ("absent", "token", "substantive")
LABELS: tuple[str, ...] = ("token", "substantive")
ROLES: tuple[str, ...] = ("weight", "requirement", "evaluation", "contract", "background")
JACCARD_MIN = 0.5
_TOKEN_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Clause:
    """One labelled clause of one pass."""

    field: str
    text: str
    label: str
    role: str


@dataclass(frozen=True)
class Pair:
    """A pass-1 clause matched to a pass-2 clause on the same notice."""

    ocid: str
    one: Clause
    two: Clause
    how: str  # "containment" or "jaccard"
    jaccard: float


# ---------------------------------------------------------------------------- statistics


def cohen_kappa(
    a: Sequence[Hashable], b: Sequence[Hashable], categories: Sequence[Hashable]
) -> float | None:
    """Cohen's kappa for two raters over ``categories``; None when undefined (p_e == 1 or n == 0)."""
    if len(a) != len(b):
        raise ValueError("rating sequences differ in length")
    n = len(a)
    if n == 0:
        return None
    p_o = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    count_a, count_b = Counter(a), Counter(b)
    cats = list(dict.fromkeys([*categories, *count_a, *count_b]))
    p_e = sum((count_a[c] / n) * (count_b[c] / n) for c in cats)
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1.0 - p_e)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def confusion(a: Sequence[Hashable], b: Sequence[Hashable]) -> dict[str, dict[str, int]]:
    """Confusion table ``{pass1 value: {pass2 value: count}}`` (values stringified)."""
    table: dict[str, dict[str, int]] = {}
    for x, y in zip(a, b, strict=True):
        row = table.setdefault(str(x), {})
        row[str(y)] = row.get(str(y), 0) + 1
    return table


def categorical_agreement(
    a: Sequence[Hashable], b: Sequence[Hashable], categories: Sequence[Hashable] | None
) -> dict[str, Any]:
    """Raw agreement, optional kappa and confusion table for two aligned rating sequences."""
    agree = sum(1 for x, y in zip(a, b, strict=True) if x == y)
    result: dict[str, Any] = {"n": len(a), "agree": agree, "raw_pct": _pct(agree, len(a))}
    if categories is not None:
        result["categories"] = list(categories)
        result["kappa"] = _rounded(cohen_kappa(a, b, categories))
    result["confusion"] = confusion(a, b)
    return result


# ---------------------------------------------------------------------------- clause matching


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _tokens(text: str) -> set[str]:
    return set(_TOKEN_RE.findall(text.casefold()))


def jaccard(x: str, y: str) -> float:
    """Word-token Jaccard similarity (case-insensitive)."""
    tx, ty = _tokens(x), _tokens(y)
    if not tx and not ty:
        return 1.0
    return len(tx & ty) / len(tx | ty)


def overlap(c1: Clause, c2: Clause) -> str | None:
    """How two clauses match under the rule ("containment" or "jaccard"), or None."""
    if c1.field != c2.field:
        return None
    n1, n2 = _norm(c1.text), _norm(c2.text)
    if n1 and n2 and (n1 in n2 or n2 in n1):
        return "containment"
    if jaccard(c1.text, c2.text) >= JACCARD_MIN:
        return "jaccard"
    return None


def match_clauses(ocid: str, one: Sequence[Clause], two: Sequence[Clause]) -> list[Pair]:
    """Pair clauses one-to-one: same field and containment or Jaccard >= 0.5.

    Candidates are taken greedily, containment first, then by descending Jaccard, then by
    position, so the result is deterministic.
    """
    candidates: list[tuple[int, float, int, int, str]] = []
    for i, c1 in enumerate(one):
        for j, c2 in enumerate(two):
            how = overlap(c1, c2)
            if how is not None:
                jac = jaccard(c1.text, c2.text)
                candidates.append((0 if how == "containment" else 1, -jac, i, j, how))
    candidates.sort()
    used1: set[int] = set()
    used2: set[int] = set()
    pairs: list[Pair] = []
    for _rank, neg_jac, i, j, how in candidates:
        if i in used1 or j in used2:
            continue
        used1.add(i)
        used2.add(j)
        pairs.append(Pair(ocid, one[i], two[j], how, round(-neg_jac, 3)))
    return pairs


def all_overlaps(ocid: str, one: Sequence[Clause], two: Sequence[Clause]) -> list[Pair]:
    """Every cross-pass pair that satisfies the match rule (many-to-many)."""
    pairs: list[Pair] = []
    for c1 in one:
        for c2 in two:
            how = overlap(c1, c2)
            if how is not None:
                pairs.append(Pair(ocid, c1, c2, how, round(jaccard(c1.text, c2.text), 3)))
    return pairs


# ---------------------------------------------------------------------------- loading


def load_pass(path: Path) -> dict[str, dict[str, Any]]:
    """Load a pass file into ``{ocid: notice}``; fails on duplicate ocids."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict) or not isinstance(data.get("notices"), list):
        raise SystemExit(f"{path}: expected a mapping with a 'notices' list")
    notices: dict[str, dict[str, Any]] = {}
    for notice in data["notices"]:
        ocid = str(notice["ocid"])
        if ocid in notices:
            raise SystemExit(f"{path}: duplicate ocid {ocid}")
        notices[ocid] = notice
    return notices


def clauses_of(notice: dict[str, Any]) -> list[Clause]:
    return [
        Clause(str(c["field"]), str(c["text"]), str(c["label"]), str(c["role"]))
        for c in notice.get("clauses") or []
    ]


def _weight(notice: dict[str, Any]) -> dict[str, Any]:
    weight = notice.get("sv_weight") or {}
    return weight if isinstance(weight, dict) else {}


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------- analysis


def analyse(pass1: dict[str, dict[str, Any]], pass2: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Compute all agreement figures for two passes keyed by ocid."""
    common = sorted(set(pass1) & set(pass2))
    report: dict[str, Any] = {
        "notices": {
            "pass1": len(pass1),
            "pass2": len(pass2),
            "compared": len(common),
            "only_pass1": sorted(set(pass1) - set(pass2)),
            "only_pass2": sorted(set(pass2) - set(pass1)),
        }
    }

    v1 = [str(pass1[o]["verdict"]) for o in common]
    v2 = [str(pass2[o]["verdict"]) for o in common]
    verdict = categorical_agreement(v1, v2, VERDICTS)
    verdict["disagreements"] = [
        {"ocid": o, "pass1": x, "pass2": y}
        for o, x, y in zip(common, v1, v2, strict=True)
        if x != y
    ]
    report["verdict"] = verdict

    b1 = [str(_weight(pass1[o]).get("basis")) for o in common]
    b2 = [str(_weight(pass2[o]).get("basis")) for o in common]
    basis_cats = sorted(set(b1) | set(b2))
    basis = categorical_agreement(b1, b2, basis_cats)
    basis["disagreements"] = [
        {"ocid": o, "pass1": x, "pass2": y}
        for o, x, y in zip(common, b1, b2, strict=True)
        if x != y
    ]
    report["basis"] = basis

    e1 = [_weight(pass1[o]).get("effective_pct") for o in common]
    e2 = [_weight(pass2[o]).get("effective_pct") for o in common]
    e_agree = sum(1 for x, y in zip(e1, e2, strict=True) if x == y)
    report["effective_pct"] = {
        "n": len(common),
        "agree": e_agree,
        "raw_pct": _pct(e_agree, len(common)),
        "both_null": sum(1 for x, y in zip(e1, e2, strict=True) if x is None and y is None),
        "note": "exact equality; null == null counts as agreement",
        "disagreements": [
            {"ocid": o, "pass1": x, "pass2": y}
            for o, x, y in zip(common, e1, e2, strict=True)
            if x != y
        ],
    }

    report["clauses"] = analyse_clauses(pass1, pass2, common)
    return report


def _pair_rows(pairs: Sequence[Pair], attr: str) -> list[dict[str, Any]]:
    return [
        {
            "ocid": p.ocid,
            "field": p.one.field,
            "pass1": getattr(p.one, attr),
            "pass2": getattr(p.two, attr),
            "pass1_text": p.one.text,
            "pass2_text": p.two.text,
        }
        for p in pairs
        if getattr(p.one, attr) != getattr(p.two, attr)
    ]


def analyse_clauses(
    pass1: dict[str, dict[str, Any]], pass2: dict[str, dict[str, Any]], common: Sequence[str]
) -> dict[str, Any]:
    """Clause counts, one-to-one matching with label/role agreement, and segmentation overlap."""
    pairs: list[Pair] = []
    overlaps: list[Pair] = []
    per_notice: list[dict[str, Any]] = []
    unmatched: list[dict[str, Any]] = []
    total1 = total2 = 0
    for ocid in common:
        c1, c2 = clauses_of(pass1[ocid]), clauses_of(pass2[ocid])
        total1 += len(c1)
        total2 += len(c2)
        found = match_clauses(ocid, c1, c2)
        every = all_overlaps(ocid, c1, c2)
        pairs.extend(found)
        overlaps.extend(every)
        per_notice.append({"ocid": ocid, "pass1": len(c1), "pass2": len(c2), "matched": len(found)})
        matched1 = {id(p.one) for p in found}
        matched2 = {id(p.two) for p in found}
        touched1 = {id(p.one) for p in every}
        touched2 = {id(p.two) for p in every}
        for which, clauses, matched, touched in (
            ("pass1", c1, matched1, touched1),
            ("pass2", c2, matched2, touched2),
        ):
            for c in clauses:
                if id(c) not in matched:
                    unmatched.append(
                        {
                            "ocid": ocid,
                            "pass": which,
                            "field": c.field,
                            "label": c.label,
                            "role": c.role,
                            "overlaps_other_pass": id(c) in touched,
                            "text": c.text,
                        }
                    )

    label = categorical_agreement(
        [p.one.label for p in pairs], [p.two.label for p in pairs], LABELS
    )
    label["disagreements"] = _pair_rows(pairs, "label")
    role = categorical_agreement([p.one.role for p in pairs], [p.two.role for p in pairs], ROLES)
    role["disagreements"] = _pair_rows(pairs, "role")

    one_to_one = {(id(p.one), id(p.two)) for p in pairs}
    extra = [p for p in overlaps if (id(p.one), id(p.two)) not in one_to_one]
    covered1 = len({id(p.one) for p in overlaps})
    covered2 = len({id(p.two) for p in overlaps})
    segmentation = {
        "note": (
            "many-to-many view: a clause of one pass often spans several clauses of the other "
            "(sentence vs paragraph units); one-to-one matching leaves the extra pieces unmatched"
        ),
        "overlapping_pairs": len(overlaps),
        "pass1_clauses_overlapping": covered1,
        "pass2_clauses_overlapping": covered2,
        "pass1_clauses_without_counterpart": total1 - covered1,
        "pass2_clauses_without_counterpart": total2 - covered2,
        "label": categorical_agreement(
            [p.one.label for p in overlaps], [p.two.label for p in overlaps], LABELS
        ),
        "role": categorical_agreement(
            [p.one.role for p in overlaps], [p.two.role for p in overlaps], ROLES
        ),
        "extra_label_disagreements": _pair_rows(extra, "label"),
        "extra_role_disagreements": _pair_rows(extra, "role"),
    }
    return {
        "match_rule": (
            f"same field, and one text contains the other (case/whitespace-insensitive) or word-token "
            f"Jaccard >= {JACCARD_MIN}; one-to-one, containment first then highest Jaccard"
        ),
        "pass1_total": total1,
        "pass2_total": total2,
        "matched": len(pairs),
        "matched_by": dict(Counter(p.how for p in pairs)),
        "unmatched_pass1": total1 - len(pairs),
        "unmatched_pass2": total2 - len(pairs),
        "label": label,
        "role": role,
        "segmentation": segmentation,
        "per_notice": per_notice,
        "unmatched": unmatched,
    }


# ---------------------------------------------------------------------------- output


def _fmt_kappa(value: object) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def summary_lines(report: dict[str, Any]) -> list[str]:
    n = report["notices"]
    v, b, e, c = report["verdict"], report["basis"], report["effective_pct"], report["clauses"]
    lines = [
        f"Notices: pass1 {n['pass1']}, pass2 {n['pass2']}, compared {n['compared']}",
        f"Verdict: {v['agree']}/{v['n']} agree ({v['raw_pct']}%), Cohen's kappa {_fmt_kappa(v['kappa'])}"
        f" over {'/'.join(v['categories'])}",
    ]
    lines += [
        f"  differs: {d['ocid']} pass1={d['pass1']} pass2={d['pass2']}" for d in v["disagreements"]
    ]
    lines.append(
        f"Basis: {b['agree']}/{b['n']} agree ({b['raw_pct']}%), kappa {_fmt_kappa(b['kappa'])}"
    )
    lines += [
        f"  differs: {d['ocid']} pass1={d['pass1']} pass2={d['pass2']}" for d in b["disagreements"]
    ]
    lines.append(
        f"Effective %: {e['agree']}/{e['n']} agree ({e['raw_pct']}%); both null on {e['both_null']}"
    )
    lines += [
        f"  differs: {d['ocid']} pass1={d['pass1']} pass2={d['pass2']}" for d in e["disagreements"]
    ]
    lines += [
        f"Clauses: pass1 {c['pass1_total']}, pass2 {c['pass2_total']}, matched {c['matched']}"
        f" ({', '.join(f'{k} {val}' for k, val in sorted(c['matched_by'].items()))});"
        f" unmatched pass1 {c['unmatched_pass1']}, pass2 {c['unmatched_pass2']}",
        f"  label on matched: {c['label']['agree']}/{c['label']['n']} ({c['label']['raw_pct']}%),"
        f" kappa {_fmt_kappa(c['label']['kappa'])}",
        f"  role on matched:  {c['role']['agree']}/{c['role']['n']} ({c['role']['raw_pct']}%),"
        f" kappa {_fmt_kappa(c['role']['kappa'])}",
    ]
    seg = c["segmentation"]
    lines += [
        f"  segmentation (many-to-many): {seg['overlapping_pairs']} overlapping pairs;"
        f" pass1 clauses with a counterpart {seg['pass1_clauses_overlapping']}/{c['pass1_total']},"
        f" pass2 {seg['pass2_clauses_overlapping']}/{c['pass2_total']}",
        f"    label on all overlapping pairs: {seg['label']['agree']}/{seg['label']['n']}"
        f" ({seg['label']['raw_pct']}%), kappa {_fmt_kappa(seg['label']['kappa'])};"
        f" role: {seg['role']['agree']}/{seg['role']['n']} ({seg['role']['raw_pct']}%),"
        f" kappa {_fmt_kappa(seg['role']['kappa'])}",
    ]
    for d in c["label"]["disagreements"]:
        lines.append(
            f"  label differs: {d['ocid']} pass1={d['pass1']} pass2={d['pass2']}: {d['pass1_text'][:80]!r}"
        )
    for d in seg["extra_label_disagreements"]:
        lines.append(
            f"  label differs (extra overlap): {d['ocid']} pass1={d['pass1']} pass2={d['pass2']}:"
            f" {d['pass1_text'][:70]!r}"
        )
    for d in c["role"]["disagreements"]:
        lines.append(
            f"  role differs:  {d['ocid']} pass1={d['pass1']} pass2={d['pass2']}: {d['pass1_text'][:80]!r}"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(
            "Compare the two independent annotation passes of the real OCDS notices: verdict, "
            "weight basis, effective %, and clause-level label/role agreement (Cohen's kappa)."
        )
    )
    parser.add_argument(
        "--pass1",
        type=Path,
        default=HERE / "pass1.yaml",
        help="first pass (default: corpus/real/pass1.yaml)",
    )
    parser.add_argument(
        "--pass2",
        type=Path,
        default=HERE / "pass2.yaml",
        help="second pass (default: corpus/real/pass2.yaml)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "agreement.json",
        help="JSON report to write (default: corpus/real/agreement.json)",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the summary only; do not write the JSON"
    )
    args = parser.parse_args(argv)

    report: dict[str, Any] = {
        "inputs": {"pass1": _display(args.pass1), "pass2": _display(args.pass2)},
        **analyse(load_pass(args.pass1), load_pass(args.pass2)),
    }
    print("\n".join(summary_lines(report)))
    if not args.no_write:
        args.out.write_text(
            json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"Wrote {_display(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
