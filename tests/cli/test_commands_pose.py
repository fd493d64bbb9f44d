"""``formcoach track`` in-process: it writes a valid track, and bad input exits 2 with one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
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


@pytest.mark.slow
def test_track_runs_the_model_on_every_2nd_frame_of_30_fps(tmp_path: Path, data_dir: Path) -> None:
    """By default the model sees at most 25 frames a second (every 2nd of 30 fps) and the frames
    between lie halfway between their neighbours; ``--every-frame`` runs it on each frame."""
    clip = str(data_dir / "videos/side_forward_studio_kt1.mp4")  # 30 fps
    tracks = []
    for extra in ([], ["--every-frame"]):
        out = tmp_path / f"t{len(extra)}.npz"
        result = runner.invoke(build_app(), ["track", clip, "-o", str(out), "--model", "lite", "--no-cache",
                                             *extra])
        assert result.exit_code == 0, result.output
        tracks.append(read_track(out))
    sparse, every = tracks
    assert len(sparse) == len(every) == 247
    odd = np.arange(1, len(sparse) - 1, 2)
    for track, halfway in ((sparse, True), (every, False)):
        seen = odd[track.found[odd - 1] & track.found[odd] & track.found[odd + 1]]
        middle = 0.5 * (track.image[seen - 1, :, :2] + track.image[seen + 1, :, :2])
        off = np.abs(track.image[seen, :, :2] - middle).max()
        assert len(seen) > 100 and bool(off < 1e-5) is halfway, off


def test_analyze_refuses_bad_outputs_before_any_work(tmp_path: Path) -> None:
    track = tmp_path / "t.jsonl"
    track.write_text("")
    result = runner.invoke(build_app(), ["analyze", str(track), "--report", str(tmp_path / "r.txt")])
    assert result.exit_code == 2 and "must end in .html" in result.output
    result = runner.invoke(build_app(), ["analyze", str(track), "--video", str(tmp_path / "v.mp4")])
    assert result.exit_code == 2 and "needs the original video" in result.output
    result = runner.invoke(build_app(), ["analyze", str(track)])
    assert result.exit_code == 2 and "empty" in result.output
