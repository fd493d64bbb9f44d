"""``formcoach batch`` in-process: the progress and closing lines, failures listed, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from formcoach.cli.app import build_app

runner = CliRunner()


@pytest.fixture
def track_file(tmp_path: Path) -> Path:
    """A short simulated session's exact pose track (analysed in about a second)."""
    from formcoach.sim import Camera, SessionSpec, Tempo, render_session

    spec = SessionSpec(reps_per_side=1, tempo=Tempo(1.2, 0.3, 0.9, 0.4), lead_in_s=0.4, lead_out_s=0.4)
    return render_session(spec, Camera(view="side", fps=30.0), tmp_path / "sim", video=False).track


def test_batch_prints_counts_failures_and_the_summary(track_file: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMCOACH_HOME", str(tmp_path / "home"))
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 64)
    out = tmp_path / "out"
    args = ["batch", str(track_file), str(broken), "--out", str(out), "--workers", "1", "--no-save"]
    first = runner.invoke(build_app(), args)
    assert first.exit_code == 0, first.output
    assert "2 videos: 1 done, 1 failed, 0 skipped" in first.stdout
    assert "failed" in first.stdout and "broken.mp4" in first.stdout
    assert (out / "summary.csv").is_file()
    again = runner.invoke(build_app(), args)
    assert "2 videos: 0 done, 0 failed, 2 skipped" in again.stdout


def test_batch_refuses_a_missing_path_with_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["batch", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr and "Traceback" not in result.output
