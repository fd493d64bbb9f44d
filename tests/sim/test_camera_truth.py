"""Camera placement, the exact pose track it sees, and the ground-truth JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from formcoach.sim import Camera
from formcoach.sim.api import frame_camera
from formcoach.sim.motion import Simulation
from formcoach.sim.truth import TRUTH_FORMAT, exact_track, knee_flexion, truth_dict
from formcoach.track import LM


@pytest.mark.parametrize("view", ["side", "front", "rear", "oblique"])
def test_the_whole_movement_is_in_frame(clean: Simulation, view: str) -> None:
    track = exact_track(clean, frame_camera(clean, Camera(view=view)))  # type: ignore[arg-type]
    xy = track.image[:, :, :2]
    assert xy.min() > 0.03 and xy.max() < 0.97
    assert np.all(track.image[:, :, 3] == 1.0)


def test_world_landmarks_are_hips_centred_with_y_down(clean: Simulation) -> None:
    track = exact_track(clean, frame_camera(clean, Camera(view="front")))
    hips = 0.5 * (track.world[:, LM["left_hip"]] + track.world[:, LM["right_hip"]])
    assert np.allclose(hips, 0.0, atol=1e-9)
    assert np.all(track.world[:, LM["nose"], 1] < 0)            # the head is above the hips
    seen_left = track.image[0, LM["left_shoulder"], 0] > track.image[0, LM["right_shoulder"], 0]
    assert seen_left                                            # facing the camera: left on the right
    lengths = np.linalg.norm(track.world[:, LM["left_knee"]] - track.world[:, LM["left_ankle"]], axis=1)
    assert np.ptp(lengths) < 1e-9


def test_side_view_sees_the_athlete_facing_sideways(clean: Simulation) -> None:
    track = exact_track(clean, frame_camera(clean, Camera(view="side", side="left")))
    nose_depth = track.image[:, LM["left_ear"], 2] - track.image[:, LM["right_ear"], 2]
    assert np.all(nose_depth < 0)                               # the left ear is nearer the camera


def test_image_depth_is_on_the_scale_of_x(clean: Simulation) -> None:
    placed = frame_camera(clean, Camera(view="side"))
    track = exact_track(clean, placed)
    shoulder = LM["left_shoulder"]
    z_img = track.image[0, shoulder, 2]
    z_cam = track.world[0, shoulder, 2]
    hips = 0.5 * (clean.landmarks[0, LM["left_hip"]] + clean.landmarks[0, LM["right_hip"]])
    mid_depth = placed.to_camera(hips)[2]
    assert z_img == pytest.approx(z_cam * placed.focal_px / mid_depth / 640, rel=0.05)


def test_truth_json_describes_every_rep(clean: Simulation) -> None:
    truth = truth_dict(clean, frame_camera(clean, Camera()))
    text = json.dumps(truth)
    assert json.loads(text)["format"] == TRUTH_FORMAT
    assert [r["leg"] for r in truth["reps"]] == ["left", "right"]
    assert truth["sets"] == [{"index": 0, "left": 1, "right": 1}]
    for rep in truth["reps"]:
        assert rep["start_s"] < rep["bottom_s"] < rep["end_s"]
        assert rep["lowering_s"] + rep["bottom_hold_s"] + rep["rise_s"] == pytest.approx(
            rep["end_s"] - rep["start_s"], abs=1e-3)
        assert rep["measured"]["front_weight_share"] == pytest.approx(0.72, abs=0.01)
    assert truth["camera"]["view"] == "side"


def test_knee_flexion_helper_is_zero_when_standing(clean: Simulation) -> None:
    p = {k: v[:1] for k, v in clean.skeleton.points.items()}
    assert knee_flexion(p, "l")[0] == pytest.approx(0.0, abs=1.0)


def test_bad_camera_values_are_named() -> None:
    with pytest.raises(ValueError, match="view"):
        Camera(view="top")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="even"):
        Camera(width=641)
