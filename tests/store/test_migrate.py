"""Alembic: the models and migrations agree, migrations go up and down, a newer schema is refused."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import OperationalError

from formcoach import store
from formcoach.store import migrate
from formcoach.store.engine import resolve_url
from formcoach.store.migrate import alembic_config

TABLES = {"sessions", "reps", "findings", "artefacts"}


def test_alembic_check_models_and_migrations_agree(store_url: str) -> None:
    store.open(store_url).close()
    engine = create_engine(resolve_url(store_url))
    with engine.begin() as conn:
        command.check(alembic_config(conn))  # raises when autogenerate would find a difference
    engine.dispose()


def test_empty_database_migrates_to_head_and_back_down(store_url: str) -> None:
    engine = create_engine(resolve_url(store_url))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= TABLES
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    with engine.connect() as conn:
        assert not TABLES & set(inspect(conn).get_table_names())
    engine.dispose()
    with store.open(store_url) as history:  # and up again, on first use
        assert history.count() == 0


def test_a_database_from_a_newer_formcoach_is_refused(store_url: str) -> None:
    store.open(store_url).close()
    engine = create_engine(resolve_url(store_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(store.StoreError, match="newer formcoach") as caught:
        store.open(store_url)
    assert "\n" not in str(caught.value)


def test_head_constant_is_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    from formcoach.store.migrate import HEAD

    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [HEAD]


@pytest.mark.parametrize(("message", "tries"), [("database is locked", 3), ("disk I/O error", 1)])
def test_a_lock_sqlite_refuses_at_once_is_tried_again(monkeypatch: pytest.MonkeyPatch, store_url: str,
                                                      message: str, tries: int) -> None:
    """Two processes creating the same new SQLite file: the one SQLite answers "database is locked"
    without waiting tries again (twice here) and opens the database; any other error is raised."""
    calls: list[int] = []
    once = migrate._migrate_once

    def flaky(engine: object, where: str) -> None:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError(message))
        once(engine, where)  # type: ignore[arg-type]

    monkeypatch.setattr(migrate, "_migrate_once", flaky)
    if tries == 1:
        with pytest.raises(store.StoreError, match="disk I/O error"):
            store.open(store_url)
    else:
        store.open(store_url).close()
    assert len(calls) == tries
