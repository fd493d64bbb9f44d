"""The LiteRT backend against MediaPipe's Tasks API: the same person, the same analysis."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.api import analyze_track
from formcoach.exercise import load_exercise
from formcoach.pose.estimate import create_estimator, estimate_track
from formcoach.pose.litert_backend import LiteRtPose


def test_choices_are_checked() -> None:
    with pytest.raises(ValueError, match="backend must be one of litert, mediapipe, got 'gpu'"):
        create_estimator("full", "gpu")
    with pytest.raises(ValueError, match="max_people must be 1 or 2"):
        LiteRtPose("lite", max_people=3)


def test_an_empty_frame_has_nobody() -> None:
    with create_estimator("lite", "litert") as estimator:
        assert estimator.name == "litert-blazepose-lite"
        pose = estimator.process(np.full((240, 320, 3), 128, np.uint8), 0.0)
    assert pose.image.shape == (0, 33, 4) and pose.world.shape == (0, 33, 3)


@pytest.mark.slow
def test_litert_agrees_with_mediapipe_on_a_rendered_session(simulated_session) -> None:  # type: ignore[no-untyped-def]
    litert = estimate_track(simulated_session.video, model="full", backend="litert")
    tasks = estimate_track(simulated_session.video, model="full", backend="mediapipe")
    both = litert.found & tasks.found
    assert both.mean() > 0.95
    scale = 640 / max(litert.width, litert.height) * np.array([litert.width, litert.height])
    diff = (litert.image[both, :, :2] - tasks.image[both, :, :2]) * scale
    assert np.median(np.hypot(diff[..., 0], diff[..., 1])) <= 2.0
    exercise = load_exercise("reverse_lunge")
    a, b = analyze_track(litert, exercise).to_dict(), analyze_track(tasks, exercise).to_dict()
    assert a["counts"] == b["counts"]
    assert [r["leg"] for r in a["reps"]] == [r["leg"] for r in b["reps"]]
