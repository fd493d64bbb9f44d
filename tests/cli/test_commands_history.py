"""``formcoach history`` in-process, on a real database: analyze saves, history lists, shows,
plots, exports and deletes; ``--no-save``; unusable databases are one line and exit code 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from tests.store.pg import pg_url  # noqa: F401  (a fixture)
from typer.testing import CliRunner

from formcoach import store
from formcoach.cli.app import build_app

runner = CliRunner()


def invoke(*args: str, answer: str | None = None) -> Any:
    """Run ``formcoach ARGS`` on a wide terminal."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", "140")
        patch.delenv("FORMCOACH_EXERCISE", raising=False)
        return runner.invoke(build_app(), list(args), input=answer)


@pytest.fixture(scope="module")
def track(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated session's exact pose track (8 reps, two mistakes)."""
    from formcoach.sim import Camera, make_demo_session, render_session

    out = tmp_path_factory.mktemp("history-sim")
    return render_session(make_demo_session(2), Camera(view="side", width=320, height=240, fps=15.0), out,
                          video=False).track


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new database: a SQLite file, then a PostgreSQL schema (see tests/store/conftest.py)."""
    if request.param == "sqlite":
        return str(tmp_path / "h.sqlite")
    return str(request.getfixturevalue("pg_url"))


def _only_id(db: str) -> str:
    with store.open(db) as history:
        (session,) = history.list_sessions()
    return session.id


def test_analyze_saves_and_history_shows_the_same_json(track: Path, db: str) -> None:
    analysed = invoke("analyze", str(track), "--json", "--db", db)
    assert analysed.exit_code == 0, analysed.output
    session_id = _only_id(db)
    assert f"Saved in your history as {session_id[:8]}" in analysed.stderr
    listed = invoke("history", "--db", db)
    assert session_id[:8] in listed.stdout and "track.jsonl" in listed.stdout and "4/4" in listed.stdout
    assert invoke("history", "list", "--db", db).stdout == listed.stdout
    shown = invoke("history", "show", session_id[:8], "--json", "--db", db)
    assert shown.exit_code == 0, shown.output
    before, after = json.loads(analysed.stdout), json.loads(shown.stdout)
    assert after["reps"] == before["reps"] and after["findings"] == before["findings"]
    assert shown.stdout == analysed.stdout


def test_history_show_prints_what_analyze_printed(track: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite")
    analysed = invoke("analyze", str(track), "--db", db)
    shown = invoke("history", "show", _only_id(db), "--db", db)
    assert shown.exit_code == 0, shown.output
    summary = analysed.stdout.split("Saved in your history")[0].strip().splitlines()
    again = shown.stdout.strip().splitlines()[1:]  # after the line naming the session
    assert again == summary


def test_no_save_keeps_nothing(track: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite")
    assert invoke("analyze", str(track), "--no-save", "--db", db).exit_code == 0
    assert not Path(db).exists()


def test_progress_plot_export_and_delete(track: Path, db: str, tmp_path: Path) -> None:
    for _ in range(2):
        assert invoke("analyze", str(track), "--db", db).exit_code == 0
    progress = invoke("history", "progress", "--db", db, "--plot", str(tmp_path / "p.png"))
    assert progress.exit_code == 0, progress.output
    assert "8/8" in progress.stdout and "Hip left bent at the top" in progress.stdout
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert invoke("history", "progress", "--db", db, "--plot", str(tmp_path / "p.html")).exit_code == 0
    assert "<img src='data:image/png;base64," in (tmp_path / "p.html").read_text()
    rows = list(csv.DictReader(io.StringIO(invoke("history", "export", "--db", db).stdout)))
    assert len(rows) == 2 and {r["reps_left"] for r in rows} == {"4"}
    invoke("history", "export", "--format", "json", "--out", str(tmp_path / "all.json"), "--db", db)
    exported = json.loads((tmp_path / "all.json").read_text())
    assert len(exported["sessions"]) == 2 and exported["sessions"][0]["analysis"]["counts"]["total"] == 8
    with store.open(db) as history:
        first, second = (s.id for s in history.list_sessions())
    assert invoke("history", "delete", first[:8], "--db", db, answer="n\n").exit_code == 1
    assert invoke("history", "delete", first[:8], "--db", db, answer="y\n").exit_code == 0
    with store.open(db) as history:
        assert [s.id for s in history.list_sessions()] == [second]
    assert invoke("history", "delete", "--all", "--db", db, answer="y\n").exit_code == 0
    with store.open(db) as history:
        assert history.count() == 0


@pytest.mark.parametrize("command", [("history",), ("history", "progress"), ("analyze", "TRACK")])
def test_an_unusable_database_is_one_line_and_exit_2(command: tuple[str, ...], track: Path,
                                                     tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 50)
    args = [str(track) if a == "TRACK" else a for a in command]
    result = invoke(*args, "--db", str(notes))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "not a SQLite file" in result.stderr
    assert notes.read_text() == "not a database\n" * 50


def test_unknown_id_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = invoke("history", "show", "abcdef12", "--db", str(tmp_path / "h.sqlite"))
    assert result.exit_code == 2 and "is not a session" in result.stderr


def test_formcoach_db_selects_the_database(track: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMCOACH_DB", str(tmp_path / "env.sqlite"))
    assert invoke("analyze", str(track)).exit_code == 0
    assert invoke("history").stdout.count("track.jsonl") == 1
    with store.open(str(tmp_path / "env.sqlite")) as history:
        assert history.count() == 1


@pytest.mark.slow
def test_live_saves_its_session_unless_told_not_to(simulated_session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "h.sqlite")
    video = str(simulated_session.video)
    assert invoke("live", "--source", video, "--json", "--db", db, "--no-save").exit_code == 0
    assert not Path(db).exists()
    live = invoke("live", "--source", video, "--json", "--db", db)
    assert live.exit_code == 0, live.output
    with store.open(db) as history:
        (session,) = history.list_sessions()
        assert session.source == "live" and session.filename == simulated_session.video.name
        assert history.get(session.id).analysis_json == live.stdout.strip()
