"""Bring a history database to this code's schema (Alembic), once, on first use.

The check and the upgrade run in one write transaction (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL:
an advisory lock), so two processes opening a new database at once migrate it once. A database
whose revision this code does not know was written by a newer formcoach: a :class:`StoreError`.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from formcoach.store.engine import WRITE_OPTION, StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: PostgreSQL advisory lock key held while migrating ("fcoach" in ASCII).
LOCK_KEY = 0x66636F616368


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the packaged migrations, bound to ``connection`` when given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, where: str) -> None:
    """Upgrade the database of ``engine`` to the newest revision; refuse one newer than the code."""
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
