"""``formcoach demo`` end to end: render, real pose model, analysis, report and annotated video."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from formcoach.cli.app import build_app


@pytest.mark.slow
def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(build_app(), ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "synthetic" in result.output
    assert "formcoach counted 8" in result.output
    for name in ("video.mp4", "truth.json", "analysis.json", "report.html", "annotated.mp4"):
        assert (out / name).is_file(), name
    analysis = json.loads((out / "analysis.json").read_text())
    assert analysis["counts"] == {"total": 8, "left": 4, "right": 4, "attempts": 0}
    assert "synthetic athlete" in (out / "report.html").read_text()
    from formcoach import paths, store

    with store.open(str(out / "history.sqlite")) as demo_history:  # a throwaway history, in the demo's folder
        assert [s.reps for s in demo_history.list_sessions()] == [8]
    assert not (paths.data_dir() / "history.sqlite").exists()  # the user's own history is untouched


def test_demo_refuses_a_file_as_output_folder(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    result = CliRunner().invoke(build_app(), ["demo", "--out", str(target)])
    assert result.exit_code == 2 and "not a folder" in result.output
