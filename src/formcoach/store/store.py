"""The history store: every analysed session kept in a database, its files in a folder beside it.

:class:`Store` owns every connection (one SQLAlchemy session per unit of work). Saving a session is
one transaction: the session row, its reps, findings and artefact rows, all or none.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from formcoach.store import ingest, queries
from formcoach.store.engine import WRITE_OPTION, describe, translate
from formcoach.store.models import ArtefactRow, FindingRow, RepRow, SessionRow
from formcoach.store.records import (
    SOURCES,
    STATUSES,
    SessionRecord,
    SessionSummary,
    Source,
    Status,
    WeekProgress,
)

_ID = re.compile(r"^[0-9a-f]{32}$")
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def _check_id(session_id: str) -> str:
    if not isinstance(session_id, str) or not _ID.match(session_id):
        raise KeyError(session_id)
    return session_id


class Store:
    """A history database and its artefact folder. Build it with :func:`formcoach.store.open`."""

    def __init__(self, engine: Engine, url: URL, artefact_root: Path) -> None:
        self.engine = engine
        self.url = url
        self.artefact_root = artefact_root
        self._writer = engine.execution_options(**{WRITE_OPTION: True})

    @property
    def where(self) -> str:
        """The database as shown to a user (a file path, or the URL without its password)."""
        return describe(self.url)

    def close(self) -> None:
        """Close every connection of the store."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One write transaction; a database failure becomes a :class:`StoreError`."""
        try:
            with Session(self._writer, expire_on_commit=False) as session, session.begin():
                yield session
        except DBAPIError as error:
            raise translate(error, self.url) from None

    @contextmanager
    def _read(self) -> Iterator[Session]:
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except DBAPIError as error:
            raise translate(error, self.url) from None

    # -- writing -----------------------------------------------------------------------------

    def save(self, result: ingest.Result, *, source: Source, video_hash: str | None = None,
             artefacts: Mapping[str, Path] | None = None, filename: str | None = None,
             recorded_at: dt.datetime | None = None) -> str:
        """Keep a finished analysis; return its new session id (32 hex digits, unguessable).

        ``filename`` (default: the video's or track's file name) is only shown to the user;
        ``artefacts`` maps a kind ("report", "track", "video"...) to a file, copied into
        :meth:`artefact_dir` under the kind's name. ``recorded_at`` (aware, default now) dates it.
        """
        session_id = uuid.uuid4().hex
        when = recorded_at or dt.datetime.now(dt.UTC)
        data = result.to_dict()
        name = filename if filename is not None else _default_name(result, data)
        values = ingest.session_values(result, data)
        row = SessionRow(id=session_id, created_at=when, week=ingest.week_of(when), source=_source(source),
                         status="queued", filename=name, exercise_id=values["exercise_id"],
                         mirrored=values["mirrored"])
        try:
            with self._write() as session:
                session.add(row)
                session.flush()
                self._fill(session, row, values, data, video_hash, artefacts)
        except BaseException:
            shutil.rmtree(self.artefact_root / session_id, ignore_errors=True)
            raise
        return session_id

    def create_pending(self, *, source: Source, filename: str | None, exercise_id: str, mirrored: bool,
                       model: str | None, exercise_version: int | None = None) -> str:
        """Record a job before its analysis runs (status "queued"); return its session id."""
        when = dt.datetime.now(dt.UTC)
        session_id = uuid.uuid4().hex
        with self._write() as session:
            session.add(SessionRow(id=session_id, created_at=when, week=ingest.week_of(when),
                                   source=_source(source), status="queued", progress=0.0, filename=filename,
                                   exercise_id=exercise_id, exercise_version=exercise_version,
                                   mirrored=mirrored, model=model))
        return session_id

    def set_status(self, session_id: str, status: Status, *, progress: float | None = None,
                   error: str | None = None) -> None:
        """Move a job on: ``status`` one of queued/running/done/failed/interrupted, ``progress`` in
        0..1, ``error`` the one-line message of a failed job. ``KeyError`` for an unknown id."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
        changes: dict[str, Any] = {"status": status, "error": error}
        if progress is not None:
            changes["progress"] = float(progress)
        with self._write() as session:
            done = session.execute(update(SessionRow).where(SessionRow.id == _check_id(session_id))
                                   .values(**changes))
            if done.rowcount == 0:  # type: ignore[attr-defined]
                raise KeyError(session_id)

    def complete(self, session_id: str, result: ingest.Result, *, video_hash: str | None = None,
                 artefacts: Mapping[str, Path] | None = None) -> None:
        """Store the finished analysis of a pending job and mark it done, in one transaction."""
        with self._write() as session:
            row = session.get(SessionRow, _check_id(session_id))
            if row is None:
                raise KeyError(session_id)
            session.execute(delete(RepRow).where(RepRow.session_id == session_id))
            session.execute(delete(FindingRow).where(FindingRow.session_id == session_id))
            data = result.to_dict()
            self._fill(session, row, ingest.session_values(result, data), data, video_hash, artefacts)

    def mark_interrupted(self) -> int:
        """Mark the web app's upload jobs left queued or running (by a restart) as interrupted; return
        how many. Sessions from other sources (a batch run sharing the database) are left alone."""
        with self._write() as session:
            done = session.execute(update(SessionRow).where(SessionRow.status.in_(("queued", "running")),
                                                            SessionRow.source == "upload")
                                   .values(status="interrupted", error="stopped by a restart"))
            return int(done.rowcount)  # type: ignore[attr-defined]

    def _fill(self, session: Session, row: SessionRow, values: dict[str, Any], data: dict[str, Any],
              video_hash: str | None, artefacts: Mapping[str, Path] | None) -> None:
        for key, value in values.items():
            setattr(row, key, value)
        row.video_hash, row.status, row.progress, row.error = video_hash, "done", 1.0, None
        reps = [dict(v, session_id=row.id) for v in ingest.rep_values(data)]
        findings = [dict(v, session_id=row.id) for v in ingest.finding_values(data)]
        if reps:
            session.execute(insert(RepRow), reps)
        if findings:
            session.execute(insert(FindingRow), findings)
        for kind, name in self._keep_files(row.id, artefacts or {}).items():
            session.merge(ArtefactRow(session_id=row.id, kind=kind, name=name))

    def _keep_files(self, session_id: str, artefacts: Mapping[str, Path]) -> dict[str, str]:
        kept: dict[str, str] = {}
        folder = self.artefact_dir(session_id) if artefacts else None
        for kind, path in artefacts.items():
            if not _KIND.match(kind):
                raise ValueError(f"artefact kind must be lower-case letters, digits, _: got {kind!r}")
            path = Path(path)
            assert folder is not None
            if path.resolve().parent == folder.resolve():
                kept[kind] = path.name
                continue
            name = kind + "".join(path.suffixes[-2:])[:16]
            shutil.copyfile(path, folder / name)
            kept[kind] = name
        return kept

    # -- reading -----------------------------------------------------------------------------

    def artefact_dir(self, session_id: str) -> Path:
        """The folder of a session's files (created): named by the session id, nothing else."""
        folder = self.artefact_root / _check_id(session_id)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def get(self, session_id: str) -> SessionRecord:
        """The whole session: row, analysis JSON, reps, findings, artefacts. ``KeyError`` if unknown."""
        with self._read() as session:
            row = session.get(SessionRow, _check_id(session_id))
            if row is None:
                raise KeyError(session_id)
            return queries.to_record(row, self.artefact_root / session_id)

    def list_sessions(self, limit: int = 50, offset: int = 0) -> list[SessionSummary]:
        """Sessions newest first, ``limit`` of them from ``offset``."""
        with self._read() as session:
            rows = session.scalars(select(SessionRow).order_by(SessionRow.created_at.desc(), SessionRow.id)
                                   .limit(limit).offset(offset))
            return [queries.to_summary(row) for row in rows]

    def match_ids(self, prefix: str, limit: int = 2) -> list[str]:
        """Session ids that start with ``prefix`` (lower-case hex digits), at most ``limit``."""
        if not re.fullmatch(r"[0-9a-f]{1,32}", prefix):
            return []
        with self._read() as session:
            return list(session.scalars(select(SessionRow.id).where(SessionRow.id.startswith(prefix))
                                        .order_by(SessionRow.id).limit(limit)))

    def count(self) -> int:
        """How many sessions are stored (any status)."""
        with self._read() as session:
            return int(session.scalar(select(func.count()).select_from(SessionRow)) or 0)

    def find_done(self, video_hash: str, model: str, exercise_id: str, exercise_version: int) -> str | None:
        """The newest done session of this video content, pose model and exercise file, or None."""
        with self._read() as session:
            return session.scalar(select(SessionRow.id).where(
                SessionRow.video_hash == video_hash, SessionRow.model == model,
                SessionRow.exercise_id == exercise_id, SessionRow.exercise_version == exercise_version,
                SessionRow.status == "done").order_by(SessionRow.created_at.desc()).limit(1))

    def progress(self, *, exercise_id: str | None = None, since: dt.date | None = None) -> list[WeekProgress]:
        """Per week (oldest first) of done sessions: counts, medians and each mistake's share."""
        with self._read() as session:
            return queries.weekly(session, exercise_id=exercise_id, since=since)

    # -- deleting ----------------------------------------------------------------------------

    def delete(self, session_id: str) -> bool:
        """Remove a session, its reps, findings and files; False when there was no such session."""
        with self._write() as session:
            gone = session.execute(delete(SessionRow).where(SessionRow.id == _check_id(session_id)))
        shutil.rmtree(self.artefact_root / session_id, ignore_errors=True)
        return bool(gone.rowcount)  # type: ignore[attr-defined]

    def delete_all(self) -> int:
        """Remove every session and its files; return how many there were."""
        with self._write() as session:
            ids = list(session.scalars(select(SessionRow.id)))
            session.execute(delete(SessionRow))
        for session_id in ids:
            shutil.rmtree(self.artefact_root / session_id, ignore_errors=True)
        return len(ids)


def _source(source: str) -> str:
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
    return source


def _default_name(result: ingest.Result, data: dict[str, Any]) -> str | None:
    if result.video is not None:
        return Path(result.video).name
    source = data.get("source") or ""
    return Path(source).name or None

