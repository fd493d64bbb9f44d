"""The history: every analysed session kept in a database, and progress week by week.

The one package that imports SQLAlchemy (and Alembic, psycopg). Use it through :func:`open`::

    from formcoach import analyze, store

    with store.open() as history:              # $FORMCOACH_DB or the default SQLite file
        session_id = history.save(analyze("clip.mp4"), source="file")
        record = history.get(session_id)       # SessionRecord: row, analysis JSON, reps, findings
        weeks = history.progress()             # list[WeekProgress]

See ``docs/history.md`` for the tables, the job lifecycle of the web app and the progress figures.
"""

from __future__ import annotations

from pathlib import Path

from formcoach.store.engine import ENV_DB, StoreError, resolve_url
from formcoach.store.ingest import video_sha256
from formcoach.store.records import (
    FindingRecord,
    RepRecord,
    SessionRecord,
    SessionSummary,
    Source,
    Status,
    WeekProgress,
)
from formcoach.store.store import Store

__all__ = [
    "ENV_DB",
    "FindingRecord",
    "RepRecord",
    "SessionRecord",
    "SessionSummary",
    "Source",
    "Status",
    "Store",
    "StoreError",
    "WeekProgress",
    "artefact_root_for",
    "open",
    "resolve_url",
    "video_sha256",
]


def artefact_root_for(url: str | None = None) -> Path:
    """The folder of the sessions' files for a database: beside a SQLite file (``NAME-files``),
    otherwise ``artefacts`` in the user's data folder."""
    from formcoach.paths import data_dir
    from formcoach.store.engine import sqlite_path

    path = sqlite_path(resolve_url(url))
    if path is None:
        return data_dir() / "artefacts"
    return path.with_name(path.stem + "-files")


def open(url: str | None = None, *, artefact_root: Path | None = None) -> Store:
    """Open (creating and migrating on first use) the history database at ``url``.

    ``url``: a SQLite file path, ``sqlite:///...`` or ``postgresql://...``; None means
    ``$FORMCOACH_DB`` or ``history.sqlite`` in :func:`formcoach.paths.data_dir`. ``artefact_root``
    overrides where the sessions' files go (default :func:`artefact_root_for`).

    Raises:
        StoreError: (a ``UserError``) the database cannot be reached or written, is not a SQLite
            file, or was written by a newer formcoach; its message is one line.
    """
    from sqlalchemy.exc import DBAPIError

    from formcoach.store.engine import describe, make_engine, translate
    from formcoach.store.migrate import migrate

    resolved = resolve_url(url)
    engine = make_engine(resolved)
    try:
        migrate(engine, describe(resolved))
    except DBAPIError as error:
        engine.dispose()
        raise translate(error, resolved) from None
    except BaseException:
        engine.dispose()
        raise
    root = artefact_root if artefact_root is not None else artefact_root_for(resolved.render_as_string(False))
    return Store(engine, resolved, root)
