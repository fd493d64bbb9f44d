"""Where the history database lives and how formcoach connects to it.

``resolve_url(None)`` is ``$FORMCOACH_DB`` or the SQLite file ``history.sqlite`` in the user's data
folder (:func:`formcoach.paths.data_dir`). A plain path means a SQLite file; ``postgresql://`` URLs
use psycopg 3. SQLite runs in WAL mode with foreign keys on and a busy timeout, and every write
transaction takes the write lock at its start (``BEGIN IMMEDIATE``), so two writers wait for each
other instead of failing. Connection failures become a one-line :class:`StoreError`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from formcoach.errors import UserError

ENV_DB = "FORMCOACH_DB"
DEFAULT_FILE = "history.sqlite"
#: How long a writer waits for another to finish before giving up, seconds.
BUSY_TIMEOUT_S = 30.0
#: How long to wait for a PostgreSQL server to answer, seconds.
CONNECT_TIMEOUT_S = 5
#: Execution option of the engine that writes: SQLite begins with ``BEGIN IMMEDIATE``.
WRITE_OPTION = "formcoach_write"


class StoreError(UserError):
    """The history database cannot be used: unreachable, not a database, read-only, too new."""


def resolve_url(url: str | None = None) -> URL:
    """The database URL: ``url``, else ``$FORMCOACH_DB``, else the default SQLite file.

    A value without ``://`` is a SQLite file path; ``postgresql://`` and ``postgres://`` select
    psycopg 3 (``postgresql+psycopg://``).
    """
    from formcoach.paths import data_dir

    text = url or os.environ.get(ENV_DB) or str(data_dir() / DEFAULT_FILE)
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))
    for prefix in ("postgres://", "postgresql://"):
        if text.startswith(prefix):
            text = "postgresql+psycopg://" + text[len(prefix):]
    try:
        return make_url(text)
    except ArgumentError:
        raise StoreError(f"{text!r}: not a database URL (give a file path or postgresql://...)") from None


def describe(url: URL) -> str:
    """The URL as shown to a user: a SQLite file's path, otherwise the URL without its password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def sqlite_path(url: URL) -> Path | None:
    """The SQLite file of ``url``; None for an in-memory database or another backend."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def make_engine(url: URL) -> Engine:
    """An engine for ``url``: SQLite tuned (WAL, foreign keys, busy timeout), PostgreSQL with a
    connect timeout. Nothing is connected yet."""
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None and not path.parent.is_dir():
            raise StoreError(f"{path.parent}: folder does not exist (for the history database {path.name})")
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        _tune_sqlite(engine)
        return engine
    if url.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
    raise StoreError(f"{describe(url)}: unsupported database (use a SQLite file or postgresql://)")


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, not by the driver
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # in WAL: safe against a killed process
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def translate(error: DBAPIError, url: URL) -> StoreError:
    """A database error met while opening or writing, as a one-line message for the user."""
    text = str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
    where = describe(url)
    low = text.lower()
    if "file is not a database" in low:
        return StoreError(f"{where}: is not a formcoach history database (not a SQLite file); "
                          "give another --db")
    if "readonly" in low or "read-only" in low or "unable to open database" in low:
        return StoreError(f"{where}: cannot write the history database there (read-only folder or "
                          "file?); give another --db or FORMCOACH_DB")
    if url.get_backend_name() == "postgresql":
        return StoreError(f"cannot use the database {where}: {text}")
    return StoreError(f"{where}: {text}")
