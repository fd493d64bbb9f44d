"""``formcoach simulate`` in-process."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from formcoach.cli.app import build_app
from formcoach.trackio import read_track

runner = CliRunner()


def test_simulate_writes_track_and_truth_without_video(tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["simulate", "--out", str(tmp_path), "--no-video",
                                         "--reps-per-side", "1", "--mistake", "knee_valgus=10",
                                         "--view", "front", "--seed", "2"])
    assert result.exit_code == 0, result.output
    truth = json.loads((tmp_path / "truth.json").read_text())
    assert truth["camera"]["view"] == "front" and len(truth["reps"]) == 2
    assert truth["reps"][0]["requested"]["knee_valgus_deg"] == 10.0
    track = read_track(tmp_path / "track.jsonl")
    assert len(track) == truth["frames"] and track.found.all()
    assert not (tmp_path / "video.mp4").exists()


def test_simulate_renders_a_small_video(tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["simulate", "--out", str(tmp_path), "--reps-per-side", "1",
                                         "--width", "96", "--height", "64", "--fps", "6"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "video.mp4").stat().st_size > 1000


def test_bad_input_is_a_one_line_error(tmp_path: Path) -> None:
    for args in (["--mistake", "wobble=3"], ["--mistake", "knee_valgus=90"], ["--view", "top"],
                 ["--width", "641"]):
        result = runner.invoke(build_app(), ["simulate", "--out", str(tmp_path), "--no-video", *args])
        assert result.exit_code == 2, (args, result.output)
        assert "simulate:" in result.output
