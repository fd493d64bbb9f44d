"""PoseTrack: shape validation, derived views, mirroring."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.track import LANDMARK_NAMES, LM, N_LANDMARKS, PoseTrack, mirror_index


def make_track(n: int = 4) -> PoseTrack:
    rng = np.random.default_rng(0)
    image = rng.random((n, N_LANDMARKS, 4))
    world = rng.random((n, N_LANDMARKS, 3))
    image[1] = np.nan
    world[1] = np.nan
    return PoseTrack(np.arange(n) / 30.0, image, world, 640, 480, 30.0, "test")


def test_names_follow_mediapipe_order() -> None:
    assert len(LANDMARK_NAMES) == 33
    assert LM["nose"] == 0 and LM["left_hip"] == 23 and LM["right_foot_index"] == 32
    assert LM["left_heel"] == 29


def test_found_marks_frames_with_a_person() -> None:
    assert make_track().found.tolist() == [True, False, True, True]


def test_bad_shapes_and_times_are_rejected() -> None:
    track = make_track()
    with pytest.raises(ValueError, match="image must have shape"):
        PoseTrack(track.times_s, track.image[:, :10], track.world, 640, 480, 30.0)
    with pytest.raises(ValueError, match="strictly increasing"):
        PoseTrack(track.times_s[::-1], track.image, track.world, 640, 480, 30.0)
    with pytest.raises(ValueError, match="fps"):
        PoseTrack(track.times_s, track.image, track.world, 640, 480, 0.0)


def test_mirror_swaps_sides_and_flips_x() -> None:
    track = make_track()
    mirrored = track.mirrored()
    np.testing.assert_allclose(mirrored.image[0, LM["right_knee"], 0], 1 - track.image[0, LM["left_knee"], 0])
    np.testing.assert_allclose(mirrored.world[0, LM["left_ankle"], 0], -track.world[0, LM["right_ankle"], 0])
    np.testing.assert_allclose(mirrored.mirrored().image, track.image)
    assert mirror_index()[LM["nose"]] == LM["nose"]


def test_pixels_and_duration() -> None:
    track = make_track()
    np.testing.assert_allclose(track.pixels()[0, 0], track.image[0, 0, :2] * [640, 480])
    assert track.duration_s == pytest.approx(4 / 30.0)


@pytest.mark.parametrize(("given", "kept"), [(np.float32, np.float32), (np.float64, np.float64),
                                             (np.int64, np.float64), (np.float16, np.float64)])
def test_landmarks_keep_float32_or_float64(given: type, kept: type) -> None:
    """A float32 track (the pose backends', the .npz file's) is not widened to float64; anything else
    becomes float64."""
    t = make_track()
    track = PoseTrack(t.times_s, np.nan_to_num(t.image).astype(given), np.nan_to_num(t.world).astype(given),
                      640, 480, 30.0)
    assert track.image.dtype == track.world.dtype == kept
    assert track.times_s.dtype == np.float64
