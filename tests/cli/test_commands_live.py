"""``formcoach live`` in-process on a rendered simulated session (BlazePose full, a few seconds a run):
reps printed as they end, once each; a mirrored recording corrected by ``--mirrored``; the end is
``formcoach analyze``'s own summary and JSON; no camera is a one-line error with exit code 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from formcoach.cli.app import build_app
from formcoach.trackio import read_track
from formcoach.video import VideoWriter, iter_frames, probe

runner = CliRunner()


def invoke(*args: str) -> Any:
    """Run ``formcoach ARGS`` on a wide terminal."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", "120")
        patch.delenv("FORMCOACH_EXERCISE", raising=False)
        return runner.invoke(build_app(), list(args))


def legs(result: Any) -> list[str]:
    assert result.exit_code == 0, result.output
    return [rep["leg"] for rep in json.loads(result.stdout)["reps"]]


@pytest.fixture(scope="module")
def flipped(simulated_session, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    """The simulated session as a selfie camera would record it: every frame flipped left-right."""
    info = probe(simulated_session.video)
    path = tmp_path_factory.mktemp("selfie") / "selfie.mp4"
    with VideoWriter(path, info.width, info.height, fps=info.fps) as out:
        for t_s, rgb in iter_frames(simulated_session.video):
            out.write(np.ascontiguousarray(rgb[:, ::-1]), t_s)
    return path


@pytest.fixture(scope="module")
def plain(simulated_session, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:  # type: ignore[no-untyped-def]
    """``formcoach live --source VIDEO --out DIR --report FILE`` and the folder it wrote into."""
    out = tmp_path_factory.mktemp("live")
    yield invoke("live", "--source", str(simulated_session.video), "--out", str(out / "session"),
                 "--report", str(out / "report.html")), out


@pytest.fixture(scope="module")
def live_json(simulated_session) -> Any:  # type: ignore[no-untyped-def]
    """``formcoach live --source VIDEO --json``."""
    return invoke("live", "--source", str(simulated_session.video), "--json")


def test_reps_are_printed_once_each_in_order_before_the_summary(plain: tuple[Any, Path]) -> None:
    result, _ = plain
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    reps = [line for line in lines if line.startswith("rep ")]
    assert [line.split(" · ")[:2] for line in reps] == [["rep 1", "left"], ["rep 2", "right"]]
    assert all(" · lowering " in line and " · rise " in line for line in reps)
    # the coach's cue for rep 2 (hip left bent at the top) follows its line; the summary comes last
    assert lines[lines.index(reps[1]) + 1] == "  → Stand tall and squeeze the glutes."
    assert lines.index(reps[1]) < next(i for i, line in enumerate(lines) if line.startswith("video.mp4: "))
    assert "2 reps (left 1, right 1)" in result.stdout
    assert "Watching video.mp4 (320x240, not mirrored" in result.stderr


def test_the_session_is_saved_and_reported(plain: tuple[Any, Path], simulated_session) -> None:  # type: ignore[no-untyped-def]
    _, out = plain
    track = read_track(out / "session" / "track.jsonl")
    assert len(track) == probe(simulated_session.video).frames and track.source == "video.mp4"
    assert (out / "report.html").read_text().startswith("<!DOCTYPE html>")
    again = invoke("analyze", str(out / "session" / "track.jsonl"), "--json")
    assert legs(again) == ["left", "right"]


def test_a_mirrored_recording_is_corrected_by_mirrored(live_json: Any, flipped: Path) -> None:
    original = legs(live_json)
    assert original == ["left", "right"]
    corrected = invoke("live", "--source", str(flipped), "--mirrored", "--json")
    assert legs(corrected) == original and json.loads(corrected.stdout)["mirrored"] is True
    assert "mirror image: left and right are swapped back" in corrected.stderr
    # without the flag the mirror image's legs come out swapped
    assert legs(invoke("live", "--source", str(flipped), "--json")) == ["right", "left"]


def test_json_is_the_analysis_contract_and_equals_analyze(live_json: Any, simulated_session) -> None:  # type: ignore[no-untyped-def]
    live = live_json
    assert live.exit_code == 0, live.output
    data = json.loads(live.stdout)  # one object on stdout; the rep lines went to stderr
    assert data["format"] == "formcoach.analysis" and data["version"] == 1
    assert [(r["index"], r["leg"]) for r in data["reps"]] == [(1, "left"), (2, "right")]
    assert {"counts", "sets", "prescription", "coaching", "findings"} <= data.keys()
    assert "rep 1 · left" in live.stderr
    assert data == json.loads(invoke("analyze", str(simulated_session.video), "--json").stdout)


def test_no_camera_is_a_clear_error() -> None:
    result = invoke("live", "--camera", "7")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: no camera found at index 7: connect one or pass --source FILE"
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--camera", "1", "--source", "x.mp4"], "either --camera N or --source FILE"),
    (["--fast"], "a camera is always real time"),
    (["--source", "session.jsonl"], "is a pose-track file"),
    (["--source", "missing.mp4"], "no such file"),
    (["--source", "x.mp4", "--report", "r.txt"], "must end in .html"),
])
def test_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = invoke("live", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output
