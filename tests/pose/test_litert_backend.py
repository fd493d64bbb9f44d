"""The LiteRT backend against MediaPipe's Tasks API: the same person, the same analysis."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from formcoach.api import analyze_track
from formcoach.exercise import load_exercise
from formcoach.pose.blazepose import Roi
from formcoach.pose.estimate import create_estimator, estimate_track
from formcoach.pose.litert_backend import LiteRtPose
from formcoach.track import PoseTrack


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
    assert (litert.found & tasks.found).mean() > 0.95
    px, a, b = _compare(litert, tasks)
    assert px <= 2.0
    assert a["counts"] == b["counts"]
    assert [r["leg"] for r in a["reps"]] == [r["leg"] for r in b["reps"]]


def _compare(litert: PoseTrack, tasks: PoseTrack) -> tuple[float, dict[str, Any], dict[str, Any]]:
    """Median landmark distance (pixels at 640 px) over the frames both found, and both analyses."""
    both = litert.found & tasks.found
    scale = 640 / max(litert.width, litert.height) * np.array([litert.width, litert.height])
    diff = (litert.image[both, :, :2] - tasks.image[both, :, :2]) * scale
    exercise = load_exercise("reverse_lunge")
    return (float(np.median(np.hypot(diff[..., 0], diff[..., 1]))),
            analyze_track(litert, exercise).to_dict(), analyze_track(tasks, exercise).to_dict())


class _Scripted(LiteRtPose):
    """LiteRT with the detector replaced by a list of finds per call, counting its calls."""

    def __init__(self, max_people: int, finds: list[list[Roi]]) -> None:
        super().__init__("lite", max_people=max_people, threads=1)
        self.finds, self.calls = finds, 0

    def detect(self, rgb: np.ndarray) -> list[Roi]:
        self.calls += 1
        return self.finds.pop(0) if self.finds else []


def test_the_detector_runs_on_every_frame_while_a_second_person_may_come() -> None:
    followed, moved, elsewhere = Roi(0.5, 0.5, 0.4, 0.6, 0.0), Roi(0.52, 0.5, 0.4, 0.6, 0.0), \
        Roi(0.1, 0.5, 0.2, 0.3, 0.0)
    frame = np.zeros((240, 320, 3), np.uint8)
    two = _Scripted(2, [[moved], [], [elsewhere]])
    two._followed = [followed]
    assert two._rois(frame) == [moved]  # the detector's crop replaces the one it overlaps
    assert two._rois(frame) == [followed]  # nobody found: the followed crop stays
    assert two._rois(frame) == [followed, elsewhere]  # someone new: both are looked at
    assert two.calls == 3
    one = _Scripted(1, [[moved]])
    one._followed = [followed]
    assert one._rois(frame) == [followed] and one.calls == 0  # following its one person: no detector
    one._followed = []
    assert one._rois(frame) == [moved] and one.calls == 1


@pytest.mark.slow
def test_litert_agrees_with_mediapipe_on_real_25_fps_footage(data_dir) -> None:  # type: ignore[no-untyped-def]
    video = data_dir / "videos" / "side_walking_md1.mp4"  # 25 fps: every frame to the model (was 1.9 px)
    tasks = estimate_track(video, model="full", backend="mediapipe")
    litert = estimate_track(video, model="full", backend="litert")
    assert (litert.found & tasks.found).sum() >= 0.95 * tasks.found.sum()
    px, a, b = _compare(litert, tasks)
    assert px <= 0.5
    assert a["counts"] == b["counts"]
    assert [r["leg"] for r in a["reps"]] == [r["leg"] for r in b["reps"]]
    assert [(f["code"], f["verdict"]) for r in a["reps"] for f in r["findings"]] == \
        [(f["code"], f["verdict"]) for r in b["reps"] for f in r["findings"]]
