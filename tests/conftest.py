"""Shared fixtures: the real videos in ``../shared/data`` and their pose tracks, computed once, and
one short simulated session rendered to video once for the whole run (reports, live path).

Real-video tests skip with a reason when the data folder is absent, except under ``CI=true``,
where a missing folder is an error: CI must run them.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from formcoach.track import PoseTrack

if TYPE_CHECKING:
    from formcoach.api import SessionResult

DATA_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data"
VIDEO_DIR = DATA_DIR / "videos"


def _require_data() -> Path:
    if VIDEO_DIR.is_dir():
        return DATA_DIR
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the real videos are missing: {VIDEO_DIR}")
    pytest.skip(f"real videos not found at {VIDEO_DIR} (the shared data folder sits next to the repo)")


@pytest.fixture(autouse=True)
def _private_data_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test keeps its history and files in a temporary data folder, never the user's."""
    monkeypatch.setenv("FORMCOACH_HOME", str(tmp_path_factory.mktemp("formcoach-home")))
    monkeypatch.delenv("FORMCOACH_DB", raising=False)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """``../shared/data``, or skip (fail under CI=true) when it is absent."""
    return _require_data()


@pytest.fixture(scope="session")
def labels(data_dir: Path) -> dict[str, dict[str, object]]:
    """``labels.json`` as a dict keyed by clip file name."""
    raw = json.loads((data_dir / "labels.json").read_text())
    return {entry["file"]: entry for entry in raw["videos"]}


class TrackCache:
    """Pose tracks of the real clips (full model), each computed at most once per test session."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._memory: dict[str, PoseTrack] = {}

    def __call__(self, clip: str) -> PoseTrack:
        from formcoach.pose import estimate_track
        from formcoach.trackio import read_track, write_track

        if clip not in self._memory:
            cached = self.root / f"{clip}.npz"
            if cached.exists():
                self._memory[clip] = read_track(cached)
            else:
                track = estimate_track(VIDEO_DIR / clip, model="full")
                write_track(track, cached)
                self._memory[clip] = track
        return self._memory[clip]


@pytest.fixture(scope="session")
def real_track(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> TrackCache:
    """``real_track("clip.mp4") -> PoseTrack`` for a clip in ``../shared/data/videos``.

    Tracks are cached for the session in a temporary folder (never in the repository). Set
    ``FORMCOACH_TRACK_CACHE`` to a folder to reuse tracks across runs while developing.
    """
    override = os.environ.get("FORMCOACH_TRACK_CACHE")
    root = Path(override) if override else tmp_path_factory.mktemp("real-tracks")
    root.mkdir(parents=True, exist_ok=True)
    return TrackCache(root)


@dataclass(frozen=True)
class SimulatedSession:
    """The rendered video, its exact track, and the analysis of that track."""

    video: Path
    result: SessionResult


@pytest.fixture(scope="session")
def simulated_session(tmp_path_factory: pytest.TempPathFactory) -> SimulatedSession:
    """One rep per leg (left, then right), the hip left bent at the top of the second rep, seen from
    the side: 320x240 at 15 fps, 9.7 s, rendered once per test run (about 1.5 s)."""
    from formcoach.api import analyze_track
    from formcoach.exercise import load_exercise
    from formcoach.sim import Camera, Mistakes, SessionSpec, Tempo, render_session
    from formcoach.trackio import read_track

    spec = SessionSpec(reps_per_side=1, tempo=Tempo(2.2, 0.3, 1.0, 0.6), lead_in_s=0.6, lead_out_s=0.8,
                       mistakes=Mistakes(hip_flexion_top_deg=30.0), mistake_reps=(1,), arms="hips", seed=3)
    out = tmp_path_factory.mktemp("sim-session")
    paths = render_session(spec, Camera(view="side", width=320, height=240, fps=15.0), out, supersample=1)
    assert paths.video is not None
    track = read_track(paths.track)
    result = analyze_track(track, load_exercise("reverse_lunge"), video=paths.video)
    return SimulatedSession(paths.video, result)
