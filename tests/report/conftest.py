"""A short simulated session rendered to video, shared by the report tests (rendered once)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from formcoach.api import SessionResult, analyze_track
from formcoach.exercise import load_exercise
from formcoach.sim import Camera, Mistakes, SessionSpec, Tempo, render_session
from formcoach.trackio import read_track


@dataclass(frozen=True)
class SimulatedSession:
    """The rendered video, its exact track, and the analysis of that track."""

    video: Path
    result: SessionResult


@pytest.fixture(scope="session")
def simulated_session(tmp_path_factory: pytest.TempPathFactory) -> SimulatedSession:
    """One rep per leg, the hip left bent at the top of the second rep, seen from the side."""
    spec = SessionSpec(reps_per_side=1, tempo=Tempo(2.2, 0.3, 1.0, 0.6), lead_in_s=0.6, lead_out_s=0.8,
                       mistakes=Mistakes(hip_flexion_top_deg=30.0), mistake_reps=(1,), arms="hips", seed=3)
    out = tmp_path_factory.mktemp("sim-report")
    paths = render_session(spec, Camera(view="side", width=320, height=240, fps=15.0), out, supersample=1)
    assert paths.video is not None
    track = read_track(paths.track)
    result = analyze_track(track, load_exercise("reverse_lunge"), video=paths.video)
    return SimulatedSession(paths.video, result)
