"""Fixtures of the store's tests: a real analysis result, and a real database of each kind.

``store_url`` runs a test against a SQLite file and against PostgreSQL. The PostgreSQL half needs
``FORMCOACH_TEST_PG_URL`` (``.ci/run`` starts a server and sets it); without it the half skips
with a reason, except under ``CI=true``, where it fails. Each PostgreSQL test gets its own schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from formcoach.api import SessionResult

from tests.store.pg import pg_url  # noqa: F401  (a fixture)


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


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database: a SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite")
    return str(request.getfixturevalue("pg_url"))
