"""The history database's tables (SQLAlchemy 2.x declarative models).

Every schema change is an Alembic migration in ``formcoach/store/migrations/versions``; a test
checks that these models and the migrations agree (``alembic check``).

Units: times in seconds, depth as a share of a full lunge (1.0 = front thigh level), angles in
degrees, ``measured``/``limit`` of a finding in its ``unit``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Constraint names fixed by convention, so SQLite and PostgreSQL migrations name them alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of the history tables."""

    metadata = MetaData(naming_convention=NAMING)


class SessionRow(Base):
    """One analysed (or queued, running, failed) session."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    week: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    progress: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(Text)
    exercise_id: Mapped[str] = mapped_column(String(64))
    exercise_version: Mapped[int | None] = mapped_column(Integer)
    video_hash: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(16))
    mirrored: Mapped[bool] = mapped_column(Boolean)
    duration_s: Mapped[float | None] = mapped_column(Float)
    view: Mapped[str | None] = mapped_column(String(16))
    lunge_type: Mapped[str | None] = mapped_column(String(16))
    reps_left: Mapped[int | None] = mapped_column(Integer)
    reps_right: Mapped[int | None] = mapped_column(Integer)
    sets: Mapped[int | None] = mapped_column(Integer)
    lowering_median_s: Mapped[float | None] = mapped_column(Float)
    rise_median_s: Mapped[float | None] = mapped_column(Float)
    depth_median: Mapped[float | None] = mapped_column(Float)
    analysis_json: Mapped[str | None] = mapped_column(Text)

    reps: Mapped[list[RepRow]] = relationship(back_populates="session", cascade="all, delete-orphan",
                                              passive_deletes=True, order_by="RepRow.index")
    findings: Mapped[list[FindingRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                      order_by="FindingRow.id")
    artefacts: Mapped[list[ArtefactRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                        order_by="ArtefactRow.kind")

    __table_args__ = (
        Index("ix_sessions_created_at", "created_at"),
        Index("ix_sessions_week", "week"),
        Index("ix_sessions_lookup", "video_hash", "model", "exercise_id", "exercise_version"),
    )


class RepRow(Base):
    """One counted rep of a session: its leg, set, phase times and depth."""

    __tablename__ = "reps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    index: Mapped[int] = mapped_column(Integer)
    set: Mapped[int | None] = mapped_column(Integer)
    leg: Mapped[str] = mapped_column(String(8))
    start_s: Mapped[float | None] = mapped_column(Float)
    bottom_s: Mapped[float | None] = mapped_column(Float)
    end_s: Mapped[float | None] = mapped_column(Float)
    lowering_s: Mapped[float | None] = mapped_column(Float)
    bottom_hold_s: Mapped[float | None] = mapped_column(Float)
    rise_s: Mapped[float | None] = mapped_column(Float)
    depth: Mapped[float | None] = mapped_column(Float)

    session: Mapped[SessionRow] = relationship(back_populates="reps")


class FindingRow(Base):
    """One finding: per rep (``rep`` its index) or for the whole session (``rep`` null)."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    rep: Mapped[int | None] = mapped_column(Integer)
    leg: Mapped[str | None] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(16))
    measured: Mapped[float | None] = mapped_column(Float)
    limit: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float | None] = mapped_column(Float)


class ArtefactRow(Base):
    """A file kept for a session (report, pose track, annotated video...), by name in its folder."""

    __tablename__ = "artefacts"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
