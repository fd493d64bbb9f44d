"""``formcoach analyze`` in-process: the summary, one JSON object on stdout, bad input exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from formcoach.cli.app import build_app
from formcoach.trackio import write_track

from .synth import lunge_track

runner = CliRunner()


@pytest.fixture
def track_file(tmp_path: Path) -> Path:
    track, _ = lunge_track([("right", "reverse", 1.0), ("left", "reverse", 1.0)], jitter_m=0.005)
    return write_track(track, tmp_path / "session.jsonl")


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("FORMCOACH_EXERCISE", raising=False)


def test_json_is_one_object(track_file: Path) -> None:
    result = runner.invoke(build_app(), ["analyze", str(track_file), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "formcoach.analysis" and data["exercise"] == "reverse_lunge"
    assert [r["leg"] for r in data["reps"]] == ["right", "left"]


def test_summary(track_file: Path) -> None:
    result = runner.invoke(build_app(), ["analyze", str(track_file)])
    assert result.exit_code == 0, result.output
    assert "2 reps (left 1, right 1)" in result.stdout
    assert "set 1: left 1/8, right 1/8" in result.stdout


def test_summary_compares_the_sides_or_asks_for_the_other_leg(track_file: Path, tmp_path: Path) -> None:
    both = runner.invoke(build_app(), ["analyze", str(track_file)])
    assert "Left vs right: knee bend at the bottom" in both.stdout and "nan" not in both.stdout
    track, _ = lunge_track([("right", "reverse", 1.0), ("right", "reverse", 1.0)], jitter_m=0.005)
    one = runner.invoke(build_app(), ["analyze", str(write_track(track, tmp_path / "right.jsonl"))])
    assert one.exit_code == 0, one.output
    assert "Only the right leg worked in this video: do the left leg too" in one.stdout
    assert "nan" not in one.stdout and "Left vs right" not in one.stdout


def test_mirrored_flag(track_file: Path) -> None:
    result = runner.invoke(build_app(), ["analyze", str(track_file), "--json", "--mirrored"])
    assert [r["leg"] for r in json.loads(result.stdout)["reps"]] == ["left", "right"]


def test_lateral_lunge_says_so(tmp_path: Path) -> None:
    track, _ = lunge_track([("right", "lateral", 1.0)] * 2, view="front", jitter_m=0.005)
    result = runner.invoke(build_app(), ["analyze", str(write_track(track, tmp_path / "side.npz"))])
    assert result.exit_code == 0
    assert "lateral" in result.stdout and "0 reps" in result.stdout


@pytest.mark.parametrize("name", ["missing.jsonl", "broken.jsonl"])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.startswith("broken"):
        path.write_text("not a track\n")
    result = runner.invoke(build_app(), ["analyze", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
