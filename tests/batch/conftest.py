"""One batch input set for the local pool and Ray, and what ``formcoach analyze --json`` prints for
each of its files, computed once per test run.

The set: every labelled real clip as its pose track (the full-model tracks the other real-video
tests already compute, so the whole labelled set costs analysis time only), two short real clips
and two rendered simulated sessions as videos (the pose model runs in the batch's workers, with the
lite model, once per backend), a corrupt and an empty video, all named in one list file. The two
simulated videos are both called ``video.mp4``: their outputs must not collide.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from formcoach.batch import Settings
from formcoach.exercise import load_exercise
from formcoach.sim.camera import View as SimView

#: Real clips analysed from the video itself (short ones: 50 and 75 GIF frames).
REAL_VIDEOS = ("side_reverse_ngoquocbao.gif", "rear_forward_ec3d_notlow.gif")
MODEL = "lite"


@dataclass(frozen=True)
class BatchInputs:
    """The list file naming every input, the good inputs, and the two bad videos."""

    list_file: Path
    good: tuple[Path, ...]
    corrupt: Path
    empty: Path


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own data folder (and so its own default history database)."""
    monkeypatch.setenv("FORMCOACH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FORMCOACH_DB", raising=False)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)


def _render(folder: Path, view: SimView, seed: int = 11) -> Path:
    from formcoach.sim import Camera, SessionSpec, Tempo, render_session

    spec = SessionSpec(reps_per_side=1, tempo=Tempo(1.6, 0.3, 1.0, 0.5), lead_in_s=0.5, lead_out_s=0.6,
                       arms="hips", seed=seed)
    paths = render_session(spec, Camera(view=view, width=320, height=240, fps=15.0), folder, supersample=1)
    assert paths.video is not None
    return paths.video


@pytest.fixture(scope="session")
def render_video() -> Any:
    """``render_video(folder, view, seed=11) -> Path``: a short simulated session's video (320x240)."""
    return _render


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The reverse lunge with the lite pose model, no report or annotated video."""
    return Settings(load_exercise("reverse_lunge"), MODEL)


@pytest.fixture(scope="session")
def batch_inputs(data_dir: Path, labels: dict[str, Any], real_track: Any,
                 tmp_path_factory: pytest.TempPathFactory) -> BatchInputs:
    """The input set (see the module docstring), built once."""
    root = tmp_path_factory.mktemp("batch-inputs")
    tracks = []
    for clip in labels:
        real_track(clip)
        tracks.append(real_track.root / f"{clip}.npz")
    videos = [data_dir / "videos" / clip for clip in REAL_VIDEOS]
    sims = [_render(root / f"sim-{view}", view) for view in ("side", "front")]
    corrupt = root / "corrupt.mp4"
    corrupt.write_bytes(sims[0].read_bytes()[:4000])
    empty = root / "empty.mp4"
    empty.write_bytes(b"")
    good = (*tracks, *videos, *sims)
    list_file = root / "videos.txt"
    list_file.write_text("# the batch test set\n" + "".join(f"{p}\n" for p in (*good, corrupt, empty)))
    return BatchInputs(list_file, good, corrupt, empty)


@pytest.fixture(scope="session")
def expected(batch_inputs: BatchInputs, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, str]:
    """``formcoach analyze --json --model lite PATH`` stdout for every good input (in-process)."""
    from formcoach.cli.app import build_app

    env = {"FORMCOACH_HOME": str(tmp_path_factory.mktemp("expected-home"))}
    runner, app, printed = CliRunner(), build_app(), {}
    for path in batch_inputs.good:
        result = runner.invoke(app, ["analyze", "--json", "--model", MODEL, str(path)], env=env)
        assert result.exit_code == 0, result.output
        printed[path] = result.stdout
    return printed


@pytest.fixture(scope="session")
def expected_errors(batch_inputs: BatchInputs, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, str]:
    """The one-line message ``formcoach analyze`` prints (exit code 2) for the corrupt and the empty
    video: the reason their summary rows must give."""
    from formcoach.cli.app import build_app

    env = {"FORMCOACH_HOME": str(tmp_path_factory.mktemp("errors-home"))}
    messages = {}
    for path in (batch_inputs.corrupt, batch_inputs.empty):
        result = CliRunner().invoke(build_app(), ["analyze", "--model", MODEL, str(path)], env=env)
        assert result.exit_code == 2 and result.stderr.startswith("error: "), result.output
        messages[path] = result.stderr.removeprefix("error: ").strip()
    return messages


def analysis_files(out: Path, records: list[dict[str, Any]]) -> dict[Path, str]:
    """The analysis JSON text the batch wrote for each video, by the video's path."""
    return {Path(row["video"]): (out / row["analysis"]).read_text(encoding="utf-8")
            for row in records if row["analysis"]}


@pytest.fixture(scope="session")
def analysis_texts() -> Any:
    """:func:`analysis_files` as a fixture (test modules cannot import each other)."""
    return analysis_files
