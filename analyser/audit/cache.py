"""The audit's SQLite file (``DIR/audit.sqlite``): results cached by document hash, and the
current run's per-document status.

Only the audit's main process writes, one committed transaction per finished document, so
an interrupted run (kill -9 included) keeps everything it finished and a re-run skips it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DB_NAME = "audit.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    sha256 TEXT NOT NULL,
    engine TEXT NOT NULL,
    assessment TEXT,            -- the assessment JSON (output contract), or NULL on error
    error TEXT,                 -- why the document could not be assessed, or NULL
    seconds REAL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (sha256, engine)
);
CREATE TABLE IF NOT EXISTS documents (   -- the current (or last) run, one row per document
    position INTEGER NOT NULL,
    file TEXT PRIMARY KEY,
    sha256 TEXT,
    status TEXT NOT NULL,       -- pending | done | failed
    cached INTEGER NOT NULL DEFAULT 0,
    verdict TEXT,
    score INTEGER,
    error TEXT
);
CREATE TABLE IF NOT EXISTS run (key TEXT PRIMARY KEY, value TEXT);
"""


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Result:
    """A cached outcome for one document hash: its assessment JSON or its error."""

    sha256: str
    assessment: dict[str, Any] | None
    error: str | None
    seconds: float | None = None


class Cache:
    """Results by (sha256, engine) and the run's document table, in ``DIR/audit.sqlite``."""

    def __init__(self, path: Path, engine: str) -> None:
        self.path = path
        self.engine = engine
        self.db = sqlite3.connect(path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # durable across a killed process
        self.db.executescript(SCHEMA)
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    def get(self, sha256: str) -> Result | None:
        row = self.db.execute(
            "SELECT assessment, error, seconds FROM results WHERE sha256 = ? AND engine = ?",
            (sha256, self.engine),
        ).fetchone()
        if row is None:
            return None
        assessment = json.loads(row[0]) if row[0] is not None else None
        return Result(sha256, assessment, row[1], row[2])

    def stale(self, hashes: Sequence[str]) -> int:
        """How many of ``hashes`` have results only from another version of the analyser."""
        stale = {
            r[0]
            for r in self.db.execute("SELECT sha256 FROM results WHERE engine != ?", (self.engine,))
        }
        return len(stale.intersection(hashes))

    def start_run(self, documents: Sequence[tuple[str, str | None, str | None]]) -> None:
        """Reset the run table: ``(file, sha256, error)`` in order; errors are final at once."""
        with self.db:
            self.db.execute("DELETE FROM documents")
            self.db.executemany(
                "INSERT INTO documents (position, file, sha256, status, error) VALUES (?, ?, ?, ?, ?)",
                [
                    (n, file, sha, "failed" if error else "pending", error)
                    for n, (file, sha, error) in enumerate(documents)
                ],
            )
            self.db.execute("DELETE FROM run")
            self.db.executemany(
                "INSERT INTO run (key, value) VALUES (?, ?)",
                [
                    ("state", "running"),
                    ("started_at", now()),
                    ("total", str(len(documents))),
                    ("engine", self.engine),
                ],
            )

    def store(
        self,
        result: Result,
        files: Sequence[str],
        *,
        cached: bool = False,
        keep: bool = True,
    ) -> None:
        """Record one document's outcome (and, unless ``keep`` is false, cache it) in one commit."""
        a = result.assessment
        with self.db:
            if keep and not cached:
                self.db.execute(
                    "INSERT OR REPLACE INTO results (sha256, engine, assessment, error, seconds, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        result.sha256,
                        self.engine,
                        json.dumps(a, ensure_ascii=False, separators=(",", ":")) if a else None,
                        result.error,
                        result.seconds,
                        now(),
                    ),
                )
            self.db.executemany(
                "UPDATE documents SET status = ?, cached = ?, verdict = ?, score = ?, error = ? WHERE file = ?",
                [
                    (
                        "failed" if result.error else "done",
                        int(cached),
                        a.get("verdict") if a else None,
                        a.get("score") if a else None,
                        result.error,
                        file,
                    )
                    for file in files
                ],
            )

    def finish_run(self, state: str = "finished", detail: str | None = None) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO run VALUES ('state', ?)", (state,))
            self.db.execute("INSERT OR REPLACE INTO run VALUES ('finished_at', ?)", (now(),))
            if detail:
                self.db.execute("INSERT OR REPLACE INTO run VALUES ('detail', ?)", (detail,))


@contextlib.contextmanager
def _reader(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        yield db
    finally:
        db.close()


def read_run(path: Path) -> dict[str, Any] | None:
    """The run's state and documents as stored (no lock check; see ``audit.read_status``)."""
    if not path.exists():
        return None
    try:
        with _reader(path) as db:
            run = dict(db.execute("SELECT key, value FROM run").fetchall())
            rows = db.execute(
                "SELECT file, status, cached, verdict, score, error FROM documents ORDER BY position"
            ).fetchall()
    except sqlite3.OperationalError:  # being created: the tables are not there yet
        return None
    documents = [
        {
            "file": file,
            "status": status,
            "cached": bool(cached),
            "verdict": verdict,
            "score": score,
            "error": error,
        }
        for file, status, cached, verdict, score, error in rows
    ]
    return {"run": run, "documents": documents}
