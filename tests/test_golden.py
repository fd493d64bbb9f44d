"""The analysis JSON of fixed simulated sessions, byte for byte against files stored in ``tests/golden``.

The demo's session (``formcoach demo``: side view, 24 fps, seed 0) through its exact simulated track,
the same mirrored, and a few sessions with other mistakes and views; one slow case renders the demo
and runs the real pose model. The stored files were written before the typed-core refactor (issue
11): a change here is a change of the documented output (``docs/analysis-json.md``), so regenerate
them (``python tests/test_golden.py``) only for a deliberate, documented change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from formcoach.api import SessionResult, analyze_track
from formcoach.exercise import load_exercise
from formcoach.sim import Camera, Mistakes, SessionSpec, Tempo, make_demo_session
from formcoach.sim.api import frame_camera
from formcoach.sim.motion import simulate
from formcoach.sim.truth import exact_track
from formcoach.track import PoseTrack

GOLDEN = Path(__file__).resolve().parent / "golden"

#: name -> (session, camera view, fps, mirrored)
CASES: dict[str, tuple[SessionSpec, str, float, bool]] = {
    "demo_side": (make_demo_session(0), "side", 24.0, False),
    "demo_side_mirrored": (make_demo_session(0), "side", 24.0, True),
    "demo_oblique": (make_demo_session(0), "oblique", 24.0, False),
    "knee_tilt_front": (SessionSpec(reps_per_side=2, tempo=Tempo(2.6, 0.4, 1.1, 0.5), arms="hips",
                                    mistakes=Mistakes(knee_valgus_deg=14.0, pelvis_tilt_deg=9.0),
                                    mistake_reps=(1, 3), seed=7), "front", 30.0, False),
    "drop_rear_fast": (SessionSpec(reps_per_side=2, tempo=Tempo(1.2, 0.2, 0.6, 0.5), arms="hips",
                                   mistakes=Mistakes(hip_drop_deg=10.0, sway_cm=6.0),
                                   mistake_reps=(0, 2), seed=11), "rear", 15.0, False),
    "shallow_side": (SessionSpec(reps_per_side=2, tempo=Tempo(3.0, 0.3, 1.0, 0.6), arms="hips",
                                 depth_deg=70.0, seed=5), "side", 20.0, False),
}


def case_track(name: str) -> tuple[PoseTrack, bool]:
    """The exact pose track of case ``name`` (mirrored when the case says so) and its flag."""
    spec, view, fps, mirrored = CASES[name]
    sim = simulate(spec, fps=fps)
    track = exact_track(sim, frame_camera(sim, Camera(view=view, fps=fps)))  # type: ignore[arg-type]
    return (track.mirrored() if mirrored else track), mirrored


def as_json(result: SessionResult) -> str:
    """The analysis JSON as ``formcoach demo`` writes it (``analysis.json``)."""
    return json.dumps(result.to_dict(), indent=1) + "\n"


def analyse_case(name: str) -> str:
    """The analysis JSON of case ``name``."""
    track, mirrored = case_track(name)
    return as_json(analyze_track(track, load_exercise("reverse_lunge"), mirrored=mirrored))


@pytest.mark.parametrize("name", sorted(CASES))
def test_analysis_json_is_byte_identical(name: str) -> None:
    assert analyse_case(name) == (GOLDEN / f"{name}.json").read_text()


def demo_through_pose_model(folder: Path) -> str:
    """The demo's analysis JSON: rendered (supersample 1) and read by BlazePose full, as the demo does."""
    from formcoach.cli.commands_demo import DEMO_FPS, DEMO_VIEW
    from formcoach.pose import load_input
    from formcoach.sim import render_session

    paths = render_session(make_demo_session(0), Camera(view=DEMO_VIEW, fps=DEMO_FPS), folder, supersample=1)
    assert paths.video is not None
    track = load_input(paths.video, model="full")
    return as_json(analyze_track(track, load_exercise("reverse_lunge"), video=paths.video))


@pytest.mark.slow
def test_demo_through_the_pose_model_is_byte_identical(tmp_path: Path) -> None:
    got = json.loads(demo_through_pose_model(tmp_path))
    want = json.loads((GOLDEN / "demo_pose_model.json").read_text())
    got["source"] = want["source"] = "video.mp4"  # the temporary folder's path
    assert got == want


if __name__ == "__main__":
    import tempfile

    for case in CASES:
        (GOLDEN / f"{case}.json").write_text(analyse_case(case))
    if "--pose" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            (GOLDEN / "demo_pose_model.json").write_text(demo_through_pose_model(Path(tmp)))
