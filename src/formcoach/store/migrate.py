"""Bring a history database to this code's schema (Alembic), once, on first use.

The check and the upgrade run in one write transaction (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL:
an advisory lock), so two processes opening a new database at once migrate it once. A database
whose revision this code does not know was written by a newer formcoach: a :class:`StoreError`.
SQLite answers some lock conflicts "database is locked" at once instead of waiting out its busy
timeout (two processes creating the same new file, one of them upgrading a read to a write): the
whole check is then tried again, as SQLite's documentation asks, for up to the busy timeout.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from formcoach.store.engine import BUSY_TIMEOUT_S, WRITE_OPTION, StoreError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The newest revision in ``migrations/versions`` (a test keeps the two equal): a database already
#: there is opened without loading Alembic at all.
HEAD = "0001"
#: PostgreSQL advisory lock key held while migrating ("fcoach" in ASCII).
LOCK_KEY = 0x66636F616368


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the packaged migrations, bound to ``connection`` when given."""
    from alembic.config import Config

    config = Config(stdout=io.StringIO())  # Alembic's messages never reach a command's output
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, where: str) -> None:
    """Upgrade the database of ``engine`` to the newest revision; refuse one newer than the code.
    Tried again while SQLite says "database is locked" without waiting (see the module), for up to
    ``BUSY_TIMEOUT_S`` seconds, waiting 0.02 s and then twice as long each time (at most 0.5 s)."""
    deadline, delay = time.monotonic() + BUSY_TIMEOUT_S, 0.02
    while True:
        try:
            _migrate_once(engine, where)
            return
        except OperationalError as error:
            if "database is locked" not in str(error.orig) or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(0.5, 2 * delay)


def _migrate_once(engine: Engine, where: str) -> None:
    """One try of :func:`migrate`."""
    if _at_head(engine):
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    known = {rev.revision for rev in script.walk_revisions()}
    heads = set(script.get_heads())
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        current = set(MigrationContext.configure(conn).get_current_heads())
        if current - known:
            raise StoreError(f"{where}: this history database was written by a newer formcoach "
                             f"(schema {', '.join(sorted(current - known))}); update formcoach or use "
                             "another --db")
        if current != heads:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")


def _at_head(engine: Engine) -> bool:
    """True when the database is at :data:`HEAD` (one quick query; False when it has no schema yet)."""
    try:
        with engine.connect() as conn:
            versions = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except DBAPIError as error:
        if "alembic_version" in str(error.orig) or "no such table" in str(error.orig):
            return False
        raise
    return versions == {HEAD}
