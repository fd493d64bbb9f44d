"""Rendered synthetic videos read by the real pose model (BlazePose full) with known answers.

One rep per leg, 640x480 at 30 fps, from the side and from the front. BlazePose's left/right
labels are matched to the simulator's legs by image position (repairing leg swaps is the
analysis's job, not the renderer's), then the front knee's angle is compared with the truth:
from the side, the image angle against the simulator's 3D knee flexion; from the front, where
flexion runs along the optical axis, the image angle against the exact track's image angle.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcoach.sim import Camera, SessionSpec, Tempo, render_session, simulate
from formcoach.sim.api import frame_camera
from formcoach.sim.motion import Simulation
from formcoach.sim.truth import exact_track
from formcoach.track import LM, PoseTrack

pytestmark = pytest.mark.slow

SPEC = SessionSpec(reps_per_side=1, tempo=Tempo(1.4, 0.3, 1.0, 0.4), lead_in_s=0.5, lead_out_s=0.3,
                   seed=11)


Analysed = tuple[str, Simulation, PoseTrack, PoseTrack]


def knee_angle(points: np.ndarray, side: str) -> np.ndarray:
    """(T,) knee flexion (180 minus the hip-knee-ankle angle) of (T, 33, D) points, degrees."""
    hip, knee, ankle = (points[:, LM[f"{side}_{j}"]] for j in ("hip", "knee", "ankle"))
    u, v = hip - knee, ankle - knee
    cos = (u * v).sum(axis=1) / np.linalg.norm(u, axis=1) / np.linalg.norm(v, axis=1)
    return np.asarray(180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def front_knee(est: PoseTrack, truth: PoseTrack, sim: Simulation, space: str) -> np.ndarray:
    """(T,) the estimated front knee's angle, legs matched to the truth by image position."""
    pe, pt = est.pixels(), truth.pixels()
    front_left = sim.channels.side > 0
    own = np.where(front_left[:, None], pt[:, LM["left_knee"]], pt[:, LM["right_knee"]])
    d_left = np.linalg.norm(pe[:, LM["left_knee"]] - own, axis=1)
    d_right = np.linalg.norm(pe[:, LM["right_knee"]] - own, axis=1)
    points = pe if space == "image" else est.world
    return np.where(d_left <= d_right, knee_angle(points, "left"), knee_angle(points, "right"))


def rms(a: np.ndarray, b: np.ndarray) -> float:
    ok = np.isfinite(a) & np.isfinite(b)
    return float(np.sqrt(np.mean((a[ok] - b[ok]) ** 2)))


@pytest.fixture(scope="module", params=["side", "front"])
def analysed(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Simulation, PoseTrack, PoseTrack]:
    from formcoach.pose import estimate_track

    view = str(request.param)
    camera = Camera(view=view, width=640, height=480, fps=30.0)  # type: ignore[arg-type]
    sim = simulate(SPEC, fps=camera.fps)
    paths = render_session(SPEC, camera, tmp_path_factory.mktemp(view), sim=sim)
    assert paths.video is not None
    est = estimate_track(Path(paths.video), model="full")
    return view, sim, est, exact_track(sim, frame_camera(sim, camera))


def test_a_person_is_found_in_nearly_every_frame(analysed: Analysed) -> None:
    view, sim, est, _ = analysed
    assert len(est) == len(sim.times_s)
    assert est.found.mean() >= 0.95, view


def test_the_front_knee_angle_tracks_the_simulator(analysed: Analysed) -> None:
    view, sim, est, truth = analysed
    measured = front_knee(est, truth, sim, "image")
    if view == "side":
        expected = np.where(sim.channels.side > 0, knee_angle(sim.landmarks, "left"),
                            knee_angle(sim.landmarks, "right"))
    else:
        pix = truth.pixels()
        expected = np.where(sim.channels.side > 0, knee_angle(pix, "left"), knee_angle(pix, "right"))
    assert rms(measured, expected) <= 10.0, view


@pytest.mark.parametrize("analysed", ["front"], indirect=True)
def test_front_view_3d_knee_flexion_bias_stays_bounded(analysed: Analysed) -> None:
    """From the front, flexion lies along the optical axis and rests on BlazePose's depth guess.

    BlazePose's world landmarks miss it by about 32 deg RMS on these renders (real front clips
    show the same bias: a standing knee reads 18-26 deg bent), so the issue's 10 deg bar is not
    met in 3D from the front; the analysis judges the front view on image angles. This pins the
    bias so that a renderer change that makes it worse fails.
    """
    _, sim, est, truth = analysed
    expected = np.where(sim.channels.side > 0, knee_angle(sim.landmarks, "left"),
                        knee_angle(sim.landmarks, "right"))
    assert rms(front_knee(est, truth, sim, "world"), expected) <= 40.0
