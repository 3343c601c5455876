"""The `sva` command: score one tender, audit many, or serve the web page and API.

Thin by design: it parses arguments, calls the pipeline and prints. Errors a user can act
on are one line on stderr with exit status 2; no traceback ever reaches the terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from analyser.errors import InputError

EXAMPLES_SCORE = """examples:
  sva score itt.pdf                 readable summary: verdict, score, weight, rubric, clauses
  sva score itt.pdf --json          the assessment JSON (the output contract) on stdout
  sva score itt.docx --html out.html  also write the commissioner's HTML report
  sva score notice.json             an OCDS release, release package or record

exit status: 0 assessed; 2 bad input (missing, empty, corrupt, encrypted, no text layer,
unsupported type), with one line on stderr naming the file and the problem."""

EXAMPLES_MAIN = """examples:
  sva score tender.pdf --json
  sva audit tenders/ council.zip --out audit-2026
  sva serve --port 8000

Run `sva COMMAND --help` for the options of each command."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sva",
        description="Social Value Analyser: tells whether the social value in a tender is real or a token gesture.",
        epilog=EXAMPLES_MAIN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_score = sub.add_parser(
        "score",
        help="assess one tender document",
        description="Assess one tender document (PDF, DOCX, plain text or OCDS JSON).",
        epilog=EXAMPLES_SCORE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_score.add_argument("path", metavar="PATH", help="the tender document")
    p_score.add_argument(
        "--json", action="store_true", help="print the assessment JSON instead of the summary"
    )
    p_score.add_argument("--html", metavar="FILE", help="also write the HTML report to FILE")

    p_audit = sub.add_parser(
        "audit",
        help="assess many tenders into tables and an HTML report",
        description="Assess many tender documents (files, folders, zip archives) into tables and charts.",
    )
    p_audit.add_argument(
        "paths", nargs="+", metavar="PATH", help="files, folders (recursive) or zip archives"
    )
    p_audit.add_argument(
        "--out", required=True, metavar="DIR", help="output folder (created if missing)"
    )
    p_audit.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="parallel processes (default: cores)",
    )
    p_audit.add_argument("--buyer", help="buyer name to record when documents do not say")

    p_serve = sub.add_parser(
        "serve",
        help="start the web page and the API",
        description="Start the web page (upload a tender, read its report) and the API (see /docs).",
    )
    p_serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    p_serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "score":
            return _score(args)
        if args.command == "audit":
            return _audit(args)
        if args.command == "serve":
            return _serve(args)
    except InputError as exc:
        print(f"sva: {exc.name}: {exc.problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sva: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    parser.print_help()
    return 0


def _score(args: argparse.Namespace) -> int:
    from analyser.pipeline import Analyser

    path = Path(args.path)
    try:
        assessment = Analyser().assess_path(path, name=str(args.path))
    except InputError:
        raise
    except Exception as exc:  # an unforeseen failure on this document: one line, no traceback
        detail = " ".join(str(exc).split())[:200]
        print(
            f"sva: {args.path}: could not be analysed ({type(exc).__name__}: {detail})",
            file=sys.stderr,
        )
        return 2
    if args.html:
        from analyser.report.html import render_html

        try:
            Path(args.html).write_text(render_html(assessment), encoding="utf-8")
        except OSError as exc:
            print(
                f"sva: {args.html}: cannot write the HTML report ({exc.strerror})", file=sys.stderr
            )
            return 2
    if args.json:
        json.dump(assessment.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        from analyser.report.text import summary

        print(summary(assessment))
    return 0


def _audit(args: argparse.Namespace) -> int:
    try:
        from analyser.audit import run_audit
    except ImportError:
        print("sva: audit is not available in this installation", file=sys.stderr)
        return 2
    return run_audit(args.paths, Path(args.out), workers=args.workers, buyer=args.buyer)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run("api.main:create_app", factory=True, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
