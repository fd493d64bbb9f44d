"""Camera view, mirrored footage and leg-swap repair."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.analysis.signals import image_leg_scale
from formcoach.analysis.view import held_swap_frames, leg_swap_index, repair_leg_swaps, view_name
from formcoach.track import PoseTrack

from .helpers import PARAMS, legs, run
from .synth import lunge_track

PLAN = [("right", "reverse", 1.0), ("left", "reverse", 1.0)]


@pytest.mark.parametrize(("view", "want"), [("side", "side"), ("side_left", "side"), ("front", "front"),
                                            ("rear", "rear"), ("oblique", "oblique")])
def test_view_is_found(view: str, want: str) -> None:
    track, _ = lunge_track(PLAN, view=view, jitter_m=0.005)
    result = run(track)
    assert result.view == want
    assert len(result.views) == 1 and result.views[0].confidence > 0.9


def test_view_names_cover_the_circle() -> None:
    assert view_name(0.0, PARAMS.yaw_limits_deg)[0] == "front"
    assert view_name(-45.0, PARAMS.yaw_limits_deg) == ("oblique", "front-oblique, turned to image-left")
    assert view_name(90.0, PARAMS.yaw_limits_deg) == ("side", "side, facing image-right")
    assert view_name(140.0, PARAMS.yaw_limits_deg)[1].startswith("rear-oblique")
    assert view_name(-179.0, PARAMS.yaw_limits_deg)[0] == "rear"


def test_mirrored_footage_swaps_legs_and_the_flag_swaps_them_back() -> None:
    track, truth = lunge_track(PLAN, view="side", jitter_m=0.005)
    mirrored = track.mirrored()
    assert legs(run(mirrored)) == ["left", "right"]          # what the pose model sees
    fixed = run(mirrored, mirrored=True)
    assert legs(fixed) == [t.leg for t in truth] and fixed.mirrored


def test_brief_leg_swaps_are_repaired() -> None:
    track, truth = lunge_track(PLAN, view="side", jitter_m=0.003)
    image, world = track.image.copy(), track.world.copy()
    idx = leg_swap_index()
    rng = np.random.default_rng(0)
    bottoms = [int(np.searchsorted(track.times_s, t.bottom_s)) for t in truth]
    swapped = np.concatenate([np.arange(b - 2, b + 2) for b in bottoms] + [rng.integers(0, len(track), 6)])
    image[swapped] = image[swapped][:, idx]
    world[swapped] = world[swapped][:, idx]
    scale = image_leg_scale(image[:, :, :2] * np.array([track.width, track.height]))
    fixed_image, _, count = repair_leg_swaps(image, world, track.times_s, (track.width, track.height), scale,
                                             PARAMS)
    moved = np.abs(image - track.image).max(axis=(1, 2)) > 1e-9
    assert count >= 0.7 * moved.sum()
    assert np.nanmax(np.abs(fixed_image - track.image)[bottoms]) < 1e-9


def test_leg_swap_index_only_touches_legs() -> None:
    idx = leg_swap_index()
    assert idx[0] == 0 and idx[11] == 11  # nose and left shoulder stay
    assert idx[idx].tolist() == list(range(len(idx)))


def _swap(track: PoseTrack, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``track``'s image and world landmarks with the legs' labels exchanged on ``frames``."""
    image, world = track.image.copy(), track.world.copy()
    idx = leg_swap_index()
    image[frames] = image[frames][:, idx]
    world[frames] = world[frames][:, idx]
    return image, world


def test_a_swap_held_over_the_bottom_is_repaired() -> None:
    track, truth = lunge_track(PLAN, view="side", bottom_s=1.5, jitter_m=0.003)
    held = np.concatenate([np.flatnonzero(np.abs(track.times_s - t.bottom_s) < 0.6) for t in truth])
    image, world = _swap(track, held)
    scale = image_leg_scale(image[:, :, :2] * np.array([track.width, track.height]))
    fixed_image, _, count = repair_leg_swaps(image, world, track.times_s, (track.width, track.height), scale,
                                             PARAMS)
    assert count == len(held)
    assert np.nanmax(np.abs(fixed_image - track.image)) < 1e-9


def test_a_swap_that_never_swaps_back_is_left_alone() -> None:
    track, truth = lunge_track(PLAN, view="side", bottom_s=1.5, jitter_m=0.003)
    frames = np.flatnonzero(track.times_s > truth[0].bottom_s - 0.6)
    image, _ = _swap(track, frames)
    pixels = image[:, :, :2] * np.array([track.width, track.height])
    held = held_swap_frames(pixels, track.times_s, image_leg_scale(pixels), PARAMS.held_swap_lag_s,
                            PARAMS.held_swap_min_jump_legs, PARAMS.held_swap_ratio, PARAMS.held_swap_max_s)
    assert not held.any()


def test_a_track_with_nothing_to_repair_is_not_copied() -> None:
    """Repairs copy the landmarks only when a frame is swapped back: a long clean video's track is
    not held twice."""
    track, _ = lunge_track(PLAN, view="side", jitter_m=0.003)
    scale = image_leg_scale(track.pixels())
    size = (track.width, track.height)
    image, world, count = repair_leg_swaps(track.image, track.world, track.times_s, size, scale, PARAMS)
    assert count == 0 and image is track.image and world is track.world


def test_a_repair_leaves_the_callers_arrays_untouched() -> None:
    track, truth = lunge_track(PLAN, view="side", bottom_s=1.5, jitter_m=0.003)
    held = np.concatenate([np.flatnonzero(np.abs(track.times_s - t.bottom_s) < 0.6) for t in truth])
    image, world = _swap(track, held)
    before = image.copy()
    scale = image_leg_scale(image[:, :, :2] * np.array([track.width, track.height]))
    size = (track.width, track.height)
    fixed, _, count = repair_leg_swaps(image, world, track.times_s, size, scale, PARAMS)
    assert count == len(held) and fixed is not image
    np.testing.assert_array_equal(image, before)


def _held(image: np.ndarray, track: PoseTrack) -> np.ndarray:
    pixels = image[:, :, :2] * np.array([track.width, track.height])
    return held_swap_frames(pixels, track.times_s, image_leg_scale(pixels), PARAMS.held_swap_lag_s,
                            PARAMS.held_swap_min_jump_legs, PARAMS.held_swap_ratio, PARAMS.held_swap_max_s)


def test_from_the_front_a_held_swap_is_undone_only_against_the_shoulders() -> None:
    """From the front the shoulders' labels say which side is left: legs swapped over each bottom
    are undone, but legs right over each bottom and swapped while standing between (a phone on the
    floor saw that) are kept."""
    track, truth = lunge_track(PLAN, view="front", bottom_s=1.5, jitter_m=0.003)
    bottoms = np.concatenate([np.flatnonzero(np.abs(track.times_s - t.bottom_s) < 0.6) for t in truth])
    image, _ = _swap(track, bottoms)
    assert _held(image, track)[bottoms].all()
    standing = np.setdiff1d(np.arange(len(track)), bottoms)
    image, world = _swap(track, standing)
    assert not _held(image, track)[bottoms].any()
    scale = image_leg_scale(image[:, :, :2] * np.array([track.width, track.height]))
    fixed, _, _ = repair_leg_swaps(image, world, track.times_s, (track.width, track.height), scale, PARAMS)
    inner = np.concatenate([np.flatnonzero(np.abs(track.times_s - t.bottom_s) < 0.4) for t in truth])
    assert np.nanmax(np.abs(fixed - track.image)[inner]) < 1e-9  # the bottoms keep their right labels
