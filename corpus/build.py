"""Build the authored corpus: validate sources, render PDF/DOCX, write labels and splits.

Run from the repository root::

    python corpus/build.py            # validate, render, write labels, print counts
    python corpus/build.py --check    # validate only

Inputs are ``corpus/sources/*.yaml`` (format: ``corpus/SCHEMA.md``). Outputs are
``corpus/rendered/<id>.pdf|.docx``, ``corpus/labels/clauses.jsonl``,
``corpus/labels/documents.jsonl`` and ``corpus/splits.json``. The build exits non-zero
when any source is invalid or fails to render; the other sources are still built.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypdfium2 as pdfium  # noqa: E402
import yaml  # noqa: E402

from corpus.render import render_docx, render_pdf  # noqa: E402
from corpus.schema import (  # noqa: E402
    LABELS,
    ROLES,
    SV_LABELS,
    VERDICTS,
    Clause,
    doc_date,
    iter_clauses,
    layout_of,
    safe_text,
    validate,
)

CORPUS_DIR = Path(__file__).resolve().parent
REPO_ROOT = CORPUS_DIR.parent
SEED = 20261125
SPLITS = ("train", "dev", "test")
SPLIT_SHARE = {"train": 3, "dev": 1, "test": 1}  # fifths: 60/20/20
KEY_LENGTHS = (50, 25, 12)


@dataclass
class Built:
    """One successfully validated and rendered document."""

    doc: dict[str, Any]
    clauses: list[Clause]
    files: list[str]
    pages: list[int | None]
    n_pages: int | None
    unmatched: list[str] = field(default_factory=list)
    split: str | None = None


# ----------------------------------------------------------------------------- pages


def normalise_for_match(text: str) -> str:
    """Lowercase alphanumerics only, so PDF line breaks and punctuation do not matter."""
    return "".join(ch for ch in safe_text(text).casefold() if ch.isalnum())


def page_texts(pdf_path: Path) -> list[str]:
    """Return the text of every page of a PDF (pypdfium2, content-stream order)."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def locate_pages(
    pdf_path: Path, doc: dict[str, Any], clauses: list[Clause]
) -> tuple[list[int | None], int, list[str]]:
    """Find the 1-based page where each clause starts in the rendered PDF.

    Page texts are normalised (alphanumerics, lower case) with the running header and
    footer removed, then each clause's first ~50 normalised characters are searched for
    in order, from just after the previous clause (shorter keys are tried if needed).
    Returns (pages, number of pages, where-strings of clauses that were not found).
    """
    layout = layout_of(doc)
    texts = page_texts(pdf_path)
    furniture = [normalise_for_match(layout[k] or "") for k in ("header", "footer")]
    pages: list[str] = []
    for n, text in enumerate(texts, start=1):
        norm = normalise_for_match(text)
        numbers = {"n_of_m": f"page{n}of{len(texts)}", "n": f"page{n}"}
        # header, footer and page number are drawn last on each page: drop the last match
        for extra in (*furniture, numbers.get(layout["page_numbers"], "")):
            head, sep, tail = norm.rpartition(extra) if extra else ("", "", norm)
            norm = head + tail if sep else norm
        pages.append(norm)
    starts: list[int] = []
    total = 0
    for norm in pages:
        starts.append(total)
        total += len(norm)
    joined = "".join(pages)

    def page_at(pos: int) -> int:
        return max(1, bisect.bisect_right(starts, pos))

    result: list[int | None] = []
    unmatched: list[str] = []
    cursor = 0
    for clause in clauses:
        full = normalise_for_match(clause.match_text or clause.text)
        if not full:
            result.append(page_at(min(cursor, max(total - 1, 0))))
            continue
        found = -1
        key = full
        for n in KEY_LENGTHS:
            key = full[:n]
            found = joined.find(key, cursor)
            if found >= 0:
                break
        if found < 0:
            result.append(None)
            unmatched.append(clause.where)
            continue
        result.append(page_at(found))
        cursor = found + len(key)
    return result, len(texts), unmatched


# ----------------------------------------------------------------------------- splits


def id_prefix(doc_id: str) -> str:
    """The id without its trailing number, e.g. ``eng-council-014`` -> ``eng-council``."""
    head, _, tail = doc_id.rpartition("-")
    return head if head and tail.isdigit() else doc_id


def _id_hash(doc_id: str) -> str:
    return hashlib.sha256(f"{SEED}:{doc_id}".encode()).hexdigest()


def assign_splits(
    verdicts: dict[str, str], previous: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """Split documents about 60/20/20 by document, stratified by verdict and id prefix.

    Ids already in ``previous`` keep their split. New ids are taken per verdict stratum in
    (id prefix, seeded hash) order and each goes to the split furthest below its share of
    the stratum, so every prefix is spread over the splits. The result depends only on
    the ids, verdicts and previous assignment, never on file order or time.
    """
    previous = previous or {}
    assigned = {i: s for i, s in previous.items() if i in verdicts and s in SPLITS}
    for verdict in sorted(set(verdicts.values())):
        members = [i for i, v in verdicts.items() if v == verdict]
        counts = Counter(assigned[i] for i in members if i in assigned)
        new = sorted(
            (i for i in members if i not in assigned), key=lambda i: (id_prefix(i), _id_hash(i))
        )
        for doc_id in new:
            size = sum(counts.values()) + 1
            parts = sum(SPLIT_SHARE.values())
            best = max(
                SPLITS,
                key=lambda s: (SPLIT_SHARE[s] * size - parts * counts[s], -SPLITS.index(s)),
            )
            assigned[doc_id] = best
            counts[best] += 1
    return {s: sorted(i for i, v in assigned.items() if v == s) for s in SPLITS}


def read_previous_splits(path: Path) -> dict[str, str]:
    """Read an existing splits file into {id: split} (empty if absent or unreadable)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("seed") != SEED:
        return {}
    return {i: s for s in SPLITS for i in data.get(s, []) if isinstance(i, str)}


# ----------------------------------------------------------------------------- build


def load_source(path: Path) -> tuple[dict[str, Any] | None, list[str]]:
    """Parse and validate one source file; returns (doc or None, errors)."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, [f"cannot parse YAML: {' '.join(str(exc).split())}"]
    errors = validate(doc, path.stem)
    return (doc if not errors else None), errors


def build_document(doc: dict[str, Any], rendered_dir: Path, root: Path) -> Built:
    """Render one valid source and locate its clauses' pages."""
    clauses = iter_clauses(doc)
    files: list[str] = []
    pages: list[int | None] = [None] * len(clauses)
    n_pages: int | None = None
    unmatched: list[str] = []
    formats = doc["formats"]
    if "pdf" in formats:
        pdf_path = rendered_dir / f"{doc['id']}.pdf"
        render_pdf(doc, pdf_path)
        files.append(_relative(pdf_path, root))
        pages, n_pages, unmatched = locate_pages(pdf_path, doc, clauses)
    if "docx" in formats:
        docx_path = rendered_dir / f"{doc['id']}.docx"
        render_docx(doc, docx_path)
        files.append(_relative(docx_path, root))
    return Built(doc, clauses, files, pages, n_pages, unmatched)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def clause_records(built: Built) -> list[dict[str, Any]]:
    """The ``clauses.jsonl`` records of one document."""
    doc = built.doc
    fmt = "pdf" if "pdf" in doc["formats"] else "docx"
    return [
        {
            "doc_id": doc["id"],
            "clause_id": f"{doc['id']}#{c.n}",
            "text": c.text,
            "label": c.label,
            "role": c.role,
            "reasons": c.reasons,
            "heading_path": c.heading_path,
            "kind": c.kind,
            "confuser": c.confuser,
            "good_practice": c.good_practice,
            "page": page,
            "format": fmt,
        }
        for c, page in zip(built.clauses, built.pages, strict=True)
    ]


def document_record(built: Built) -> dict[str, Any]:
    """The ``documents.jsonl`` record of one document."""
    doc = built.doc
    labels = doc["labels"]
    return {
        "doc_id": doc["id"],
        "files": built.files,
        "formats": list(doc["formats"]),
        "buyer": doc["buyer"],
        "title": doc["title"],
        "jurisdiction": doc["jurisdiction"],
        "style": doc["style"],
        "date": doc_date(doc),
        "value_gbp": doc.get("value_gbp"),
        "columns": layout_of(doc)["columns"],
        "pages": built.n_pages,
        "verdict": labels["verdict"],
        "sv_weight": {
            "effective_pct": labels["sv_weight"].get("effective_pct"),
            "basis": labels["sv_weight"].get("basis"),
            "derivation": labels["sv_weight"].get("derivation"),
        },
        "weightings": labels.get("weightings") or [],
        "dimensions": labels.get("dimensions") or {},
        "n_clauses": len(built.clauses),
        "n_sv_clauses": sum(c.label in SV_LABELS for c in built.clauses),
        "split": built.split,
    }


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")


# ----------------------------------------------------------------------------- report


def _table(title: str, counter: Counter[str], order: list[str] | None = None) -> list[str]:
    total = sum(counter.values())
    keys = order if order is not None else sorted(counter)
    width = max([len(k) for k in keys] + [20])
    lines = [title]
    for key in keys:
        n = counter.get(key, 0)
        pct = 100.0 * n / total if total else 0.0
        lines.append(f"  {key:<{width}}  {n:>6}  {pct:5.1f}%")
    lines.append(f"  {'total':<{width}}  {total:>6}")
    return lines


def report(built: list[Built]) -> str:
    """Counts table printed at the end of a build."""
    clauses = [c for b in built for c in b.clauses]
    verdicts = Counter(b.doc["labels"]["verdict"] for b in built)
    lines: list[str] = []
    lines += _table("Documents per verdict", verdicts, list(VERDICTS))
    lines += _table("Documents per jurisdiction", Counter(b.doc["jurisdiction"] for b in built))
    lines += _table("Documents per format", Counter("+".join(b.doc["formats"]) for b in built))
    lines += _table("Documents per split", Counter(b.split or "-" for b in built), list(SPLITS))
    lines.append("Split x verdict")
    for s in SPLITS:
        row = Counter(b.doc["labels"]["verdict"] for b in built if b.split == s)
        lines.append(f"  {s:<6} " + "  ".join(f"{v} {row.get(v, 0):>3}" for v in VERDICTS))
    lines += _table("Clauses per label", Counter(c.label for c in clauses), list(LABELS))
    roles = Counter(c.role or "-" for c in clauses if c.label in SV_LABELS)
    lines += _table(
        "Social value clauses per role",
        roles,
        [r for r in ROLES if r in roles] + [r for r in roles if r not in ROLES],
    )
    distinct = {" ".join(c.text.casefold().split()) for c in clauses if c.label in SV_LABELS}
    n_sv = sum(c.label in SV_LABELS for c in clauses)
    lines.append(f"Distinct social value clause texts: {len(distinct)} (of {n_sv} SV clauses)")
    lines.append(f"Confusers: {sum(c.confuser for c in clauses)}")
    lines.append(f"Good-practice clauses: {sum(c.good_practice for c in clauses)}")
    pages = sum(b.n_pages or 0 for b in built)
    lines.append(f"PDF pages total: {pages}; clauses: {len(clauses)}; documents: {len(built)}")
    return "\n".join(lines)


def build(
    sources_dir: Path,
    out_dir: Path,
    check_only: bool = False,
    fresh_splits: bool = False,
    root: Path = REPO_ROOT,
) -> tuple[list[Built], list[str]]:
    """Validate every source and (unless ``check_only``) render and write all outputs.

    Returns the built documents and the one-line errors (``<file>: <problem>``).
    """
    errors: list[str] = []
    docs: list[tuple[str, dict[str, Any]]] = []
    paths = sorted(sources_dir.glob("*.yaml"))
    for path in paths:
        doc, problems = load_source(path)
        shown = _relative(path, root)
        errors.extend(f"{shown}: {p}" for p in problems)
        if doc is not None:
            docs.append((shown, doc))
    if check_only:
        return [], errors

    rendered_dir = out_dir / "rendered"
    rendered_dir.mkdir(parents=True, exist_ok=True)
    built: list[Built] = []
    for shown, doc in docs:
        try:
            result = build_document(doc, rendered_dir, root)
        except Exception as exc:  # a layout failure must not stop the other documents
            errors.append(
                f"{shown}: render failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
            )
            continue
        built.append(result)
    keep = {Path(f).name for b in built for f in b.files}
    for stale in sorted(rendered_dir.iterdir()):
        if stale.suffix in (".pdf", ".docx") and stale.name not in keep:
            stale.unlink()

    splits_path = out_dir / "splits.json"
    previous = {} if fresh_splits else read_previous_splits(splits_path)
    splits = assign_splits({b.doc["id"]: b.doc["labels"]["verdict"] for b in built}, previous)
    split_of = {i: s for s, ids in splits.items() for i in ids}
    for b in built:
        b.split = split_of.get(b.doc["id"])
    splits_path.write_text(json.dumps({"seed": SEED, **splits}, indent=2) + "\n", encoding="utf-8")
    _write_jsonl(
        out_dir / "labels" / "clauses.jsonl", [r for b in built for r in clause_records(b)]
    )
    _write_jsonl(
        out_dir / "labels" / "documents.jsonl",
        [document_record(b) for b in built],
    )
    return built, errors


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(
        description="Validate corpus/sources/*.yaml, render PDF/DOCX, write labels and splits."
    )
    parser.add_argument(
        "--sources", type=Path, default=CORPUS_DIR / "sources", help="source YAML directory"
    )
    parser.add_argument(
        "--out", type=Path, default=CORPUS_DIR, help="output root (rendered/, labels/, splits.json)"
    )
    parser.add_argument(
        "--check", action="store_true", help="validate only; render and write nothing"
    )
    parser.add_argument(
        "--fresh-splits",
        action="store_true",
        help="recompute splits.json from scratch instead of keeping existing assignments",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    n_sources = len(list(args.sources.glob("*.yaml")))
    built, errors = build(
        args.sources, args.out, check_only=args.check, fresh_splits=args.fresh_splits
    )
    if not args.check:
        print(report(built))
        for b in built:
            if b.unmatched:
                print(f"WARNING {b.doc['id']}: page not found for {', '.join(b.unmatched)}")
    for err in errors:
        print(f"ERROR {err}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    bad_files = len({e.split(": ", 1)[0] for e in errors})
    done = "validated" if args.check else "built"
    print(
        f"{n_sources} sources: {n_sources - bad_files} {done}, {bad_files} failed ({elapsed:.1f} s)"
    )
    if errors:
        print(
            f"corpus build FAILED: {len(errors)} problem(s) in {bad_files} source(s), see ERROR lines",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
