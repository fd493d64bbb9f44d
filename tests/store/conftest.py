"""Fixtures of the store's tests: a real analysis result, and a real database of each kind.

``store_url`` runs a test against a SQLite file and against PostgreSQL. The PostgreSQL half needs
``FORMCOACH_TEST_PG_URL`` (``.ci/run`` starts a server and sets it); without it the half skips
with a reason, except under ``CI=true``, where it fails. Each PostgreSQL test gets its own schema.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from formcoach.api import SessionResult

PG_ENV = "FORMCOACH_TEST_PG_URL"


def make_result(tmp: Path, seed: int = 1, model: str = "full") -> SessionResult:
    """A real analysis of a simulated session's exact track (2 reps per side, two mistakes)."""
    from formcoach.api import analyze_track
    from formcoach.exercise import load_exercise
    from formcoach.sim import Camera, make_demo_session, render_session
    from formcoach.trackio import read_track

    paths = render_session(make_demo_session(seed), Camera(view="side", width=320, height=240, fps=15.0),
                           tmp, video=False)
    track = read_track(paths.track)
    track.meta["model"] = model
    return analyze_track(track, load_exercise("reverse_lunge"))


@pytest.fixture(scope="session")
def result(tmp_path_factory: pytest.TempPathFactory) -> SessionResult:
    """One analysed simulated session, computed once per test run."""
    return make_result(tmp_path_factory.mktemp("store-sim"))


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real data folder or a real FORMCOACH_DB."""
    monkeypatch.setenv("FORMCOACH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FORMCOACH_DB", raising=False)


def pg_base_url() -> str:
    """The test server's URL, or skip (fail under CI=true) without one."""
    url = os.environ.get(PG_ENV)
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {PG_ENV} is not set: .ci/run starts PostgreSQL and sets it")
    pytest.skip(f"no PostgreSQL server: set {PG_ENV}=postgresql+psycopg://user:pw@host/db to run this half")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search path is a fresh schema, dropped afterwards."""
    from sqlalchemy import create_engine, text

    base = pg_base_url()
    schema = "t_" + uuid.uuid4().hex[:12]
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database: a SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite")
    return str(request.getfixturevalue("pg_url"))
