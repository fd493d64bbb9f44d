"""``formcoach track`` in-process: it writes a valid track, and bad input exits 2 with one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from formcoach.cli.app import build_app
from formcoach.trackio import read_track

runner = CliRunner()


def test_help_lists_the_commands() -> None:
    result = runner.invoke(build_app(), ["--help"])
    assert result.exit_code == 0
    assert "track" in result.output


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [(b"plain text, not a video", "notes.mp4", "not a readable video"),
     (b"", "empty.mov", "not a readable video")],
)
def test_bad_video_exits_2_with_one_line(tmp_path: Path, content: bytes, name: str, message: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    result = runner.invoke(build_app(), ["track", str(bad), "-o", str(tmp_path / "t.jsonl")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "t.jsonl").exists()


def test_missing_file_and_wrong_suffix(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.mp4")
    result = runner.invoke(build_app(), ["track", missing, "-o", str(tmp_path / "t.jsonl")])
    assert result.exit_code == 2 and "no such file" in result.output
    result = runner.invoke(build_app(), ["track", str(tmp_path / "nope.mp4"), "-o", str(tmp_path / "t.csv")])
    assert result.exit_code == 2 and ".jsonl or .npz" in result.output


@pytest.mark.slow
def test_track_a_real_gif(tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "lunge.jsonl"
    result = runner.invoke(build_app(), ["track", str(data_dir / "videos/side_reverse_ngoquocbao.gif"),
                                         "-o", str(out), "--model", "lite"])
    assert result.exit_code == 0, result.output
    track = read_track(out)
    assert len(track) == 50 and track.found.mean() > 0.9


def test_analyze_refuses_bad_outputs_before_any_work(tmp_path: Path) -> None:
    track = tmp_path / "t.jsonl"
    track.write_text("")
    result = runner.invoke(build_app(), ["analyze", str(track), "--report", str(tmp_path / "r.txt")])
    assert result.exit_code == 2 and "must end in .html" in result.output
    result = runner.invoke(build_app(), ["analyze", str(track), "--video", str(tmp_path / "v.mp4")])
    assert result.exit_code == 2 and "needs the original video" in result.output
    result = runner.invoke(build_app(), ["analyze", str(track)])
    assert result.exit_code == 2 and "empty" in result.output
