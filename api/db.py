"""Persistence: one ``assessments`` table holding each assessment's JSON and what lists need.

SQLite by default; any SQLAlchemy URL works (PostgreSQL: ``postgresql+psycopg://...``).
The table is created when the app starts; there are no migrations yet.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    Engine,
    Integer,
    String,
    Text,
    create_engine,
    func,
    make_url,
    select,
)
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


def _now() -> datetime:
    return datetime.now(UTC)


class AssessmentRecord(Base):
    """One assessed document. ``json`` is the output contract's JSON, exactly as the analyser made it."""

    __tablename__ = "assessments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(512))
    format: Mapped[str] = mapped_column(String(16))
    buyer: Mapped[str | None] = mapped_column(String(512), index=True, nullable=True)
    verdict: Mapped[str] = mapped_column(String(16), index=True)
    score: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    json: Mapped[str] = mapped_column(Text)

    @property
    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.json)
        return loaded

    def fill(self, data: dict[str, Any]) -> None:
        """Copy an assessment's JSON (``Assessment.to_dict()``) into this row."""
        doc = data["document"]
        self.sha256 = doc["sha256"]
        self.name = str(doc["name"])[:512]
        self.format = doc["format"]
        buyer = doc.get("buyer")
        self.buyer = str(buyer)[:512] if buyer else None
        self.verdict = data["verdict"]
        self.score = round(data["score"])
        self.json = json.dumps(data, ensure_ascii=False)


def utc(moment: datetime) -> datetime:
    """SQLite drops the time zone; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class DatabaseConfigError(RuntimeError):
    """SVA_DATABASE_URL cannot be used: one line saying why (password hidden)."""


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the table created; ``DatabaseConfigError`` if that fails."""
    shown = url
    try:
        parsed = make_url(url)
        shown = parsed.render_as_string(hide_password=True)
        kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if parsed.get_backend_name() == "sqlite":
            kwargs = {"connect_args": {"check_same_thread": False}}
        engine = create_engine(parsed, **kwargs)
        Base.metadata.create_all(engine)
    except ArgumentError:
        raise DatabaseConfigError(f"SVA_DATABASE_URL is not a database URL: {shown!r}") from None
    except ModuleNotFoundError as exc:
        raise DatabaseConfigError(
            f"the database driver for {shown} is not installed (No module named {exc.name!r}); "
            "for PostgreSQL install psycopg[binary] and use postgresql+psycopg://"
        ) from None
    except (OperationalError, NoSuchModuleError) as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
        raise DatabaseConfigError(f"cannot open the database {shown}: {reason}") from None
    return engine


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


# Queries: the routers call these and nothing else touches the table.


def find_by_sha256(session: Session, sha256: str) -> AssessmentRecord | None:
    query = (
        select(AssessmentRecord)
        .where(AssessmentRecord.sha256 == sha256)
        .order_by(AssessmentRecord.updated_at.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def save(
    session: Session, data: dict[str, Any], record: AssessmentRecord | None = None
) -> AssessmentRecord:
    """Store a new assessment, or replace ``record``'s with a fresh one (same id)."""
    if record is None:
        record = AssessmentRecord()
        session.add(record)
    else:
        record.updated_at = _now()
    record.fill(data)
    session.commit()
    return record


def list_records(
    session: Session,
    *,
    limit: int,
    offset: int,
    buyer: str | None = None,
    verdict: str | None = None,
) -> tuple[Sequence[AssessmentRecord], int]:
    """A page of assessments, newest first, and how many match in all."""
    conditions = []
    if buyer:
        conditions.append(func.lower(AssessmentRecord.buyer) == buyer.strip().lower())
    if verdict:
        conditions.append(AssessmentRecord.verdict == verdict)
    total = session.scalar(select(func.count()).select_from(AssessmentRecord).where(*conditions))
    query = (
        select(AssessmentRecord)
        .where(*conditions)
        .order_by(AssessmentRecord.created_at.desc(), AssessmentRecord.id)
        .limit(limit)
        .offset(offset)
    )
    return session.scalars(query).all(), int(total or 0)


def delete(session: Session, record: AssessmentRecord) -> None:
    session.delete(record)
    session.commit()
