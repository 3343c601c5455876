"""Run an audit: assess many documents in a process pool, resumably, and write the outputs."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import multiprocessing
import os
import sys
import time
import warnings
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyser.audit.cache import DB_NAME, Cache, Result, read_run
from analyser.audit.inputs import ArchiveLimits, ArchiveReader, Item, collect, sha256_file
from analyser.audit.tables import Digest, assessments_frame, digest, summary_frame

if TYPE_CHECKING:
    import pandas as pd

LOCK_NAME = "audit.lock"
OUTPUTS = ("assessments.csv", "assessments.xlsx", "summary.csv", "report.html")
CRASHED = (
    "the analysis process stopped unexpectedly on this document (crashed or ran out of memory)"
)


class AuditError(Exception):
    """The audit could not run at all (no documents, output folder unusable, analyser broken)."""


@dataclass
class AuditResult:
    """What an audit produced: the tables, the output files and the counts."""

    out_dir: Path
    assessments: pd.DataFrame
    summary: pd.DataFrame
    digests: list[Digest]
    total: int = 0
    assessed: int = 0  # assessed in this run
    cached: int = 0  # answered from DIR/audit.sqlite
    failed: int = 0  # rows with an error
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def files(self) -> dict[str, Path]:
        return {name: self.out_dir / name for name in OUTPUTS}

    @property
    def attempted(self) -> int:
        """Documents that reached the analyser (this run or a previous one)."""
        return self.assessed + self.cached


# --- the worker side -----------------------------------------------------------------

AnalyserFactory = Callable[[], Any]
_worker: dict[str, Any] = {}


def default_factory(max_pages: int | None = None) -> Any:
    from analyser.pipeline import Analyser

    return Analyser(max_pages=max_pages)


def _init_worker(factory: AnalyserFactory | None, max_pages: int | None) -> None:
    """Build ONE analyser per worker process; remember (not raise) a failure to build it."""
    _worker.clear()
    _watch_parent()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            _worker["analyser"] = factory() if factory else default_factory(max_pages)
        except Exception as exc:
            _worker["init_error"] = f"the analyser could not start ({type(exc).__name__}: {exc})"
    _worker["warnings"] = sorted({str(w.message) for w in caught})


def _watch_parent() -> None:
    """Exit when the audit's main process is gone (killed with -9): no orphans left running."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="sva-audit-parent-watch", daemon=True).start()


def _assess(
    name: str, path: str | None, data: bytes | None
) -> tuple[str, str | None, str | None, float, list[str]]:
    """``(kind, assessment JSON, error, seconds, warnings)``; kind is ok | error | init."""
    import json

    from analyser.errors import InputError

    notes = _worker.pop("warnings", [])
    if "init_error" in _worker:
        return "init", None, _worker["init_error"], 0.0, notes
    start = time.perf_counter()
    analyser = _worker["analyser"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if data is not None:
                assessment = analyser.assess_bytes(data, name)
            else:
                assert path is not None
                assessment = analyser.assess_path(path, name=name)
        out = json.dumps(assessment.to_dict(), ensure_ascii=False, separators=(",", ":"))
        return "ok", out, None, time.perf_counter() - start, notes
    except InputError as exc:
        return "error", None, exc.problem, time.perf_counter() - start, notes
    except Exception as exc:  # one document's unforeseen failure: record it, go on
        detail = " ".join(str(exc).split())[:200]
        problem = f"could not be analysed ({type(exc).__name__}: {detail})"
        return "error", None, problem, time.perf_counter() - start, notes


# --- the main side ---------------------------------------------------------------------


def engine_fingerprint(factory: AnalyserFactory | None = None, max_pages: int | None = None) -> str:
    """Changes when the analyser's code, rubric, data or models change: cached results of
    another engine are not reused."""
    import analyser

    digest_ = hashlib.sha256()
    root = Path(analyser.__file__).resolve().parent
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if (
            not path.is_file()
            or "__pycache__" in rel.parts
            or rel.parts[0] == "audit"
            or rel.as_posix() == "cli.py"
            or path.suffix not in {".py", ".yaml", ".json", ".txt", ".gz"}
        ):
            continue
        digest_.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    with contextlib.suppress(Exception):
        from analyser.clause_model import ARTEFACT_NAME, MODELS_DIR

        st = (MODELS_DIR / ARTEFACT_NAME).stat()
        digest_.update(f"models:{st.st_size}:{st.st_mtime_ns}".encode())
    digest_.update(repr(max_pages).encode())
    if factory is not None:
        digest_.update(
            f"{getattr(factory, '__module__', '')}.{getattr(factory, '__qualname__', repr(factory))}".encode()
        )
    return digest_.hexdigest()[:16]


@contextlib.contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """One audit at a time per output folder (released by the OS even after kill -9)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    fh = (out_dir / LOCK_NAME).open("a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise AuditError(f"{out_dir}: another audit is writing to this folder") from None
        yield
    finally:
        fh.close()


def is_running(out_dir: Path) -> bool:
    """True while an audit holds the folder's lock."""
    try:
        import fcntl
    except ImportError:
        return False
    path = out_dir / LOCK_NAME
    if not path.exists():
        return False
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return False


def read_status(out_dir: str | os.PathLike[str]) -> dict[str, Any] | None:
    """Progress and per-document status of the audit in ``out_dir`` (``None`` before it starts).

    ``state`` is running, finished, failed, or interrupted (the run stopped before finishing
    and nothing is running now; running the audit again resumes it).
    """
    out = Path(out_dir)
    stored = read_run(out / DB_NAME)
    if stored is None:
        return None
    run, documents = stored["run"], stored["documents"]
    state = run.get("state", "running")
    if state == "running" and not is_running(out):
        state = "interrupted"
    counts = {"pending": 0, "done": 0, "failed": 0}
    for d in documents:
        counts[d["status"]] = counts.get(d["status"], 0) + 1
    return {
        "state": state,
        "total": len(documents),
        **counts,
        "cached": sum(1 for d in documents if d["cached"]),
        "started_at": run.get("started_at"),
        "finished_at": run.get("finished_at"),
        "detail": run.get("detail"),
        "documents": documents,
    }


def _write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


class _Progress:
    """A rich progress bar on stderr (counts, failures, elapsed and time left), or nothing."""

    def __init__(self, enabled: bool) -> None:
        self.bar: Any = None
        self.task: Any = None
        if enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"),
                TextColumn("elapsed"),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
            )

    def start(self, total: int, cached: int) -> None:
        if self.bar is None:
            return
        label = f"assessing ({cached} from cache)" if cached else "assessing"
        self.bar.start()
        self.task = self.bar.add_task(label, total=total, failed=0)

    def advance(self, n: int, failed: int) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, advance=n, failed=failed)

    def note(self, message: str) -> None:
        if self.bar is not None:
            self.bar.console.print(message, markup=False, highlight=False)
        else:
            print(message, file=sys.stderr)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def audit(
    paths: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    workers: int | None = None,
    buyer: str | None = None,
    buyers: Mapping[str, str] | None = None,
    limits: ArchiveLimits | None = None,
    max_pages: int | None = None,
    progress: bool = False,
    relative_to: str | os.PathLike[str] | None = None,
    analyser_factory: AnalyserFactory | None = None,
    title: str = "Social value audit",
) -> AuditResult:
    """Assess every document under ``paths`` (files, folders, zip archives) into ``out_dir``.

    ``buyer`` is recorded for documents that do not name their buyer; ``buyers`` maps a row's
    ``file`` to its buyer and wins over both. Results are cached by document hash in
    ``out_dir/audit.sqlite``: running again after an interruption redoes nothing finished.
    ``analyser_factory`` (a picklable callable) builds the analyser in each worker process.
    Raises ``AuditError`` when nothing could run.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    if workers is None:
        workers = os.cpu_count() or 1
    if workers < 1:
        raise AuditError(f"--workers must be at least 1 (got {workers})")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AuditError(
            f"{out}: cannot create the output folder ({exc.strerror or exc})"
        ) from None
    if not os.access(out, os.W_OK):
        raise AuditError(f"{out}: the output folder is not writable")
    limits = limits or ArchiveLimits()
    base = Path(relative_to) if relative_to is not None else None
    with _locked(out):
        items = collect(paths, limits=limits, exclude=[out], relative_to=base)
        if not items:
            raise AuditError("no documents found in " + ", ".join(str(p) for p in paths))
        try:
            cache = Cache(out / DB_NAME, engine_fingerprint(analyser_factory, max_pages))
        except Exception as exc:
            raise AuditError(f"{out / DB_NAME}: cannot open the audit cache ({exc})") from None
        reader = ArchiveReader(limits)
        bar = _Progress(progress)
        try:
            return _run(
                items, cache, reader, bar, out,
                workers=workers, buyer=buyer, buyers=buyers or {}, max_pages=max_pages,
                factory=analyser_factory, started=started, title=title,
            )  # fmt: skip
        except BaseException as exc:
            bar.stop()
            with contextlib.suppress(Exception):
                cache.finish_run(
                    "failed" if isinstance(exc, AuditError) else "interrupted", str(exc) or None
                )
            raise
        finally:
            bar.stop()
            reader.close()
            cache.close()


def _run(
    items: list[Item],
    cache: Cache,
    reader: ArchiveReader,
    bar: _Progress,
    out: Path,
    *,
    workers: int,
    buyer: str | None,
    buyers: Mapping[str, str],
    max_pages: int | None,
    factory: AnalyserFactory | None,
    started: float,
    title: str,
) -> AuditResult:
    # 1. Hash every document (archive members in memory) to find what is already done.
    for item in items:
        if item.error is not None:
            continue
        try:
            if item.in_archive:
                item.sha256 = hashlib.sha256(reader.read(item)).hexdigest()
            else:
                assert item.path is not None
                item.sha256 = sha256_file(item.path)
        except ValueError as exc:
            item.error = str(exc)
        except OSError as exc:
            item.error = f"cannot be read ({exc.strerror or exc})"
    cache.start_run([(i.file, i.sha256, i.error) for i in items])

    groups: OrderedDict[str, list[Item]] = OrderedDict()
    for item in items:
        if item.error is None and item.sha256:
            groups.setdefault(item.sha256, []).append(item)
    # Only a digest of each assessment is kept in memory: audits may hold thousands.
    results: dict[str, Digest] = {}
    for sha, group in groups.items():
        hit = cache.get(sha)
        if hit is not None:
            results[sha] = digest("", hit.assessment, hit.error, sha256=sha)
            cache.store(hit, [i.file for i in group], cached=True)
    todo = OrderedDict((sha, g) for sha, g in groups.items() if sha not in results)
    n_cached = sum(len(g) for sha, g in groups.items() if sha in results)
    n_todo = sum(len(g) for g in todo.values())
    failed = sum(1 for i in items if i.error is not None) + sum(
        len(groups[sha]) for sha, d in results.items() if d.row["error"]
    )
    notes: list[str] = []

    # 2. Assess the rest in a process pool, committing each result as it arrives.
    if todo:
        stale = cache.stale(list(todo))
        if stale:
            bar.note(
                f"sva: {stale} document{'s were' if stale != 1 else ' was'} assessed before by "
                "another version of the analyser; assessing again"
            )
        bar.start(n_todo, n_cached)

        def finished(result: Result, keep: bool = True) -> None:
            nonlocal failed
            results[result.sha256] = digest(
                "", result.assessment, result.error, sha256=result.sha256
            )
            group = todo[result.sha256]
            cache.store(result, [i.file for i in group], keep=keep)
            if result.error:
                failed += len(group)
            bar.advance(len(group), failed)

        def note(message: str) -> None:
            if message not in notes:
                notes.append(message)
                bar.note(f"sva: warning: {message}")

        _pool(todo, reader, workers, factory, max_pages, finished, note)
        bar.stop()
    cache.finish_run()

    # 3. Tables, spreadsheet, report.
    digests = []
    for item in items:
        base = results.get(item.sha256 or "") if item.error is None else None
        if base is None:
            error = item.error or "not assessed"
            d = digest(item.file, None, error, sha256=item.sha256)
        else:
            d = dataclasses.replace(base, row={**base.row, "file": item.file})
        d.row["buyer"] = buyers.get(item.file) or d.row["buyer"] or buyer
        digests.append(d)
    frame = assessments_frame(digests)
    summary = summary_frame(frame)
    write_outputs(out, frame, summary, digests, title=title)
    return AuditResult(
        out_dir=out,
        assessments=frame,
        summary=summary,
        digests=digests,
        total=len(items),
        assessed=n_todo,
        cached=n_cached,
        failed=int(frame["error"].notna().sum()),
        seconds=time.perf_counter() - started,
        warnings=notes,
    )


def _pool(
    todo: OrderedDict[str, list[Item]],
    reader: ArchiveReader,
    workers: int,
    factory: AnalyserFactory | None,
    max_pages: int | None,
    finished: Callable[..., None],
    note: Callable[[str], None],
) -> None:
    """Assess each hash of ``todo`` once. A worker that dies takes only its own document
    down: the documents in flight are retried one at a time to find which one it was."""
    queue: deque[str] = deque(todo)
    suspects: deque[str] = deque()
    in_flight: dict[Future[Any], str] = {}
    context = multiprocessing.get_context("spawn")  # safe from threads (the API) and notebooks
    pool: ProcessPoolExecutor | None = None
    solo = False

    def submit(sha: str) -> None:
        item = todo[sha][0]
        try:
            data = reader.read(item) if item.in_archive else None
        except ValueError as exc:
            finished(Result(sha, None, str(exc)), keep=False)
            return
        assert pool is not None
        path = str(item.path) if not item.in_archive else None
        in_flight[pool.submit(_assess, item.file, path, data)] = sha

    size = 0
    try:
        while queue or suspects or in_flight:
            wanted = 1 if suspects else max(1, min(workers, len(queue)))
            if pool is not None and not in_flight and wanted > size:
                pool.shutdown(wait=True)  # leaving one-at-a-time mode: full size again
                pool = None
            if pool is None:
                size = wanted
                pool = ProcessPoolExecutor(
                    max_workers=size,
                    mp_context=context,
                    initializer=_init_worker,
                    initargs=(factory, max_pages),
                )
            if suspects:
                if not in_flight:
                    solo = True
                    submit(suspects.popleft())
            else:
                solo = False
                while queue and len(in_flight) < 2 * workers:
                    submit(queue.popleft())
            if not in_flight:
                continue
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                sha = in_flight.pop(future)
                try:
                    kind, payload, error, seconds, messages = future.result()
                except BrokenProcessPool:
                    broken = True
                    if solo:
                        finished(Result(sha, None, CRASHED))
                    else:
                        suspects.append(sha)
                    continue
                for message in messages:
                    note(message)
                if kind == "init":
                    raise AuditError(error or "the analyser could not start")
                import json

                assessment = json.loads(payload) if payload else None
                finished(Result(sha, assessment, error, seconds))
            if broken:
                suspects.extend(in_flight.values())
                in_flight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def write_outputs(
    out: Path,
    frame: pd.DataFrame,
    summary: pd.DataFrame,
    digests: Sequence[Digest],
    *,
    title: str = "Social value audit",
) -> None:
    """``assessments.csv``, ``assessments.xlsx``, ``summary.csv`` and ``report.html`` in ``out``."""
    import pandas as pd

    from analyser.audit.report import render_report

    _write_atomic(out / "assessments.csv", lambda p: frame.to_csv(p, index=False))
    _write_atomic(out / "summary.csv", lambda p: summary.to_csv(p, index=False))

    names: dict[str, tuple[str, float]] = {}
    for d in digests:
        names.update(d.dimension_names)
    legend = pd.DataFrame(
        [{"dimension": k, "name": v[0], "max": v[1]} for k, v in sorted(names.items())],
        columns=["dimension", "name", "max"],
    )

    def xlsx(path: Path) -> None:
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name="assessments", index=False)
            summary.to_excel(writer, sheet_name="summary", index=False)
            legend.to_excel(writer, sheet_name="dimensions", index=False)
            for sheet in writer.sheets.values():
                sheet.freeze_panes = "A2"
                for column in sheet.columns:
                    width = max(len(str(c.value or "")) for c in column[:200])
                    sheet.column_dimensions[column[0].column_letter].width = min(
                        60, max(8, width + 2)
                    )

    _write_atomic(out / "assessments.xlsx", xlsx)
    html = render_report(frame, summary, digests, title=title)

    def write_html(path: Path) -> None:
        path.write_text(html, encoding="utf-8")

    _write_atomic(out / "report.html", write_html)


def run_audit(
    paths: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    workers: int | None = None,
    buyer: str | None = None,
    **options: Any,
) -> int:
    """The ``sva audit`` command: exit status 0 when it ran (even with failed documents),
    2 when nothing could run, with one line on stderr. ``options`` go to ``audit``."""
    options.setdefault("progress", True)
    try:
        result = audit(paths, out_dir, workers=workers, buyer=buyer, **options)
    except AuditError as exc:
        print(f"sva: {exc}", file=sys.stderr)
        return 2
    out = result.out_dir
    print(
        f"sva: {result.total} document{'s' if result.total != 1 else ''}: {result.assessed} assessed, {result.cached} from cache, "
        f"{result.failed} failed, in {result.seconds:.1f} s -> {out / 'assessments.csv'}, "
        f"{out / 'report.html'}",
        file=sys.stderr,
    )
    if result.attempted == 0:
        print("sva: no document could be assessed; see the error column", file=sys.stderr)
        return 2
    return 0
