"""Depth from any view: the image depth takes over where the world landmarks miss the lunge."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from formcoach.analysis import AnalysisParams
from formcoach.analysis.depth import drop_share, floor_ankle_y, missed_dips, size_trend, use_image_depth
from formcoach.analysis.prepare import measure
from formcoach.analysis.signals import Features
from formcoach.track import LM, N_LANDMARKS, PoseTrack

from .helpers import PARAMS, legs, run
from .synth import lunge_track


def features(track: PoseTrack, params: AnalysisParams) -> Features:
    """The rep analysis's signals of ``track``."""
    feat = measure(track, params).features
    assert feat is not None
    return feat

FULL = 1.0
PLAN = [("right", "reverse", FULL), ("left", "reverse", FULL), ("right", "reverse", FULL)]


def compressed(track: PoseTrack, share: float) -> PoseTrack:
    """``track`` whose world landmarks show only ``share`` of the movement away from standing (its
    first frame), as BlazePose's do for some footage seen from the front or rear; the image
    landmarks are left exact."""
    standing = track.world[0]
    world = standing + share * (track.world - standing)
    return PoseTrack(track.times_s, track.image, world, track.width, track.height, track.fps, track.source)


@pytest.mark.parametrize("view", ["front", "rear", "oblique"])
@pytest.mark.parametrize("share", [0.2, 0.35])
def test_compressed_world_depth_is_replaced_by_the_image_depth(view: str, share: float) -> None:
    """The rendered sessions' case; at a fifth of the step the feet also look side by side and the
    straight-looking back knee made every rep a lateral lunge, until the stance had to be wide."""
    exact, truth = lunge_track(PLAN, view=view, jitter_m=0.002)
    track = compressed(exact, share)
    feat = features(track, PARAMS)
    assert feat.depth_from_image.all()
    assert np.nanmax(feat.depth_world) < PARAMS.enter_depth  # the world alone would count nothing
    result = run(track)
    assert legs(result) == [t.leg for t in truth] and not result.attempts
    want = [r.rep.depth for r in run(exact).reps]
    np.testing.assert_allclose([r.rep.depth for r in result.reps], want, atol=0.2)
    for rep, t in zip(result.reps, truth, strict=True):
        assert rep.rep.bottom_s == pytest.approx(t.bottom_s, abs=0.25)
        # timed on the hips (and feet) instead of the knees, the start of the lowering shows late
        assert rep.rep.lowering_s == pytest.approx(t.lowering_s, abs=0.5)
        # at 45 deg the rise reads up to 0.3 s long here, inside the oblique view's tempo error
        # (tempo_sigma_s, 0.6 s: a reading that close to a limit is "too close to tell")
        assert rep.rep.rise_s == pytest.approx(t.rise_s, abs=0.35 if view == "oblique" else 0.25)
    if share > 0.3:  # the lunge type still comes from the world feet, which then blur together
        assert {r.rep.lunge_type for r in result.reps} == {"reverse"}


@pytest.mark.parametrize("view", ["front", "rear", "side", "oblique"])
def test_world_depth_is_kept_when_it_sees_the_lunge(view: str) -> None:
    track, _ = lunge_track(PLAN, view=view, jitter_m=0.005)
    feat = features(track, PARAMS)
    assert not feat.depth_from_image.any()
    np.testing.assert_array_equal(feat.depth, feat.depth_world)


def test_image_depth_is_not_used_side_on() -> None:
    """From the side the image cannot stand in for the world: its feet's heights mix in the step."""
    track, _ = lunge_track(PLAN, view="side", jitter_m=0.002)
    feat = features(compressed(track, 0.3), PARAMS)
    assert not feat.depth_from_image.any()


def test_a_half_lunge_seen_from_the_side_does_not_count_from_the_image() -> None:
    """From the side the image depth can read a half lunge as a full one (here 0.66 against the
    world's 0.24), so the side's depth stays the world's: a rule that counted side dips on the mean of
    the two (which found full lunges the world read 0.42-0.45 deep on rendered tall people filmed
    from 0.5 m) counted two of these three half lunges, and was not taken."""
    half = [("right", "reverse", 0.5), ("left", "reverse", 0.5), ("right", "reverse", 0.5)]
    track, _ = lunge_track(half, view="side", jitter_m=0.002)
    feat = features(track, PARAMS)
    assert np.nanmax(feat.depth_image) > PARAMS.enter_depth > np.nanmax(feat.depth_world)
    assert not run(track).reps


def test_image_depth_switch_follows_the_parameters() -> None:
    track = compressed(lunge_track(PLAN, view="front", jitter_m=0.002)[0], 0.3)
    params = AnalysisParams(world_compressed_ratio=0.2)
    assert not features(track, params).depth_from_image.any()
    with pytest.raises(ValueError, match="world_compressed_ratio"):
        AnalysisParams(world_compressed_ratio=0.0)


def test_use_image_depth_only_where_the_world_sees_no_lunge() -> None:
    world = np.array([0.0, 0.3, 0.0])
    image = np.array([0.0, 0.8, 0.0])
    kw = {"max_yaw_deg": 25.0, "compressed_ratio": 0.7, "rep_depth": 0.45}
    assert use_image_depth(world, image, 5.0, **kw)
    assert use_image_depth(world, image, -170.0, **kw)
    assert not use_image_depth(world, image, 60.0, **kw)  # side-on enough for the world landmarks
    assert not use_image_depth(image, image, 0.0, **kw)  # the two agree
    assert not use_image_depth(world, image, float("nan"), **kw)
    # the world sees a lunge, even if the image reads it much deeper (a forward lunge from behind)
    assert not use_image_depth(np.array([0.0, 0.5, 0.0]), np.array([0.0, 1.0, 0.0]), 180.0, **kw)


@pytest.mark.parametrize("view", ["front", "rear"])
def test_reps_the_world_flattens_for_one_leg_only_still_count(view: str) -> None:
    """A camera off the front's axis: the world landmarks flatten the left leg's reps to a third and
    see the right leg's whole, so no stretch-wide switch happens; the left reps' dips come from the
    image (they were lost before, half the reps of the rendered front sessions)."""
    exact, truth = lunge_track(PLAN, view=view, jitter_m=0.002)
    flat = compressed(exact, 0.3)
    left = np.zeros(len(exact.times_s), dtype=bool)
    for t in truth:
        if t.leg == "left":
            left |= (exact.times_s >= t.start_s - 0.3) & (exact.times_s <= t.end_s + 0.3)
    world = np.where(left[:, None, None], flat.world, exact.world)
    track = PoseTrack(exact.times_s, exact.image, world, exact.width, exact.height, exact.fps, exact.source)
    feat = features(track, PARAMS)
    assert feat.depth_from_image[left].any() and not feat.depth_from_image[~left].any()
    result = run(track)
    assert legs(result) == [t.leg for t in truth] and not result.attempts
    for rep, t in zip(result.reps, truth, strict=True):
        assert rep.rep.bottom_s == pytest.approx(t.bottom_s, abs=0.25)


def test_missed_dips_are_the_image_dips_the_world_does_not_see() -> None:
    kw: dict[str, Any] = {"exit_depth": 0.2, "enter_depth": 0.45, "compressed_ratio": 0.7}
    dip = np.concatenate([np.zeros(5), np.linspace(0.0, 1.0, 10), np.linspace(1.0, 0.0, 10), np.zeros(5)])
    image = 0.65 * dip
    np.testing.assert_array_equal(missed_dips(0.3 * dip, image, **kw), image > 0.2)  # flattened
    assert not missed_dips(0.55 * dip, image, **kw).any()  # seen, if shallower
    assert not missed_dips(0.3 * dip, 0.4 * dip, **kw).any()  # no rep in the image either
    # a forward lunge: the image's dip breaks off as the stepping foot lands, the world's goes on
    broken = np.where(np.arange(len(dip)) < 12, 0.65 * dip, 0.0)
    late = np.concatenate([np.zeros(3), 0.3 * dip[:-3]])
    world = np.fmax(late, np.where(np.arange(len(dip)) > 12, 0.65 * dip, 0.0))
    assert not missed_dips(world, broken, **kw).any()


def test_a_full_lunge_the_world_reads_just_shallow_is_measured_in_the_image() -> None:
    """Rendered front sessions: the world read some full lunges 0.40-0.44 deep (just short of a rep)
    where the image read 0.55-0.65; the packaged share counts them, a 55 deg half lunge (at most 0.43
    in the image) stays an attempt."""
    p = AnalysisParams()
    kw: dict[str, Any] = {"exit_depth": p.exit_depth, "enter_depth": p.enter_depth,
                          "compressed_ratio": p.world_compressed_ratio}
    dip = np.concatenate([np.zeros(5), np.linspace(0.0, 1.0, 10), np.linspace(1.0, 0.0, 10), np.zeros(5)])
    assert missed_dips(0.44 * dip, 0.6 * dip, **kw).any()
    assert not missed_dips(0.2 * dip, 0.43 * dip, **kw).any()
    assert not missed_dips(0.5 * dip, 0.6 * dip, **kw).any()  # the world sees it: it stays


def test_an_image_dip_that_breaks_off_as_the_worlds_begins_is_the_same_rep() -> None:
    """A walking lunge towards the camera: the image's dip breaks off just as the world's begins (a
    frame apart); within ``touch_frames`` the world's dip counts as overlapping it."""
    rise = np.linspace(0.0, 1.0, 10)
    image = np.concatenate([np.zeros(5), rise, np.zeros(20)])
    world = np.concatenate([np.zeros(14), 0.7 * np.sin(np.linspace(0.0, np.pi, 14)), np.zeros(7)])
    kw: dict[str, Any] = {"exit_depth": 0.2, "enter_depth": 0.45, "compressed_ratio": 0.7}
    assert missed_dips(world, image, **kw).any()  # not touching: read as a rep the world missed
    assert not missed_dips(world, image, **kw, touch_frames=3).any()


def _ankles(y_left: np.ndarray, y_right: np.ndarray, x_left: np.ndarray | None = None) -> np.ndarray:
    pixels = np.zeros((len(y_left), N_LANDMARKS, 2))
    pixels[:, LM["left_ankle"]] = np.stack([np.zeros_like(y_left) if x_left is None else x_left, y_left], 1)
    pixels[:, LM["right_ankle"]] = np.stack([np.full_like(y_right, 50.0), y_right], 1)
    return pixels


def test_floor_is_the_planted_front_foot() -> None:
    t = np.arange(30) / 30.0
    near, far = np.full(30, 420.0), np.full(30, 390.0)
    # seen from the front the front foot is the nearer, lower one; from behind the further, higher one
    pixels = _ankles(near, far)
    np.testing.assert_allclose(floor_ankle_y(t, pixels, 160.0, False, 0.1, 0.5), 420.0)
    np.testing.assert_allclose(floor_ankle_y(t, pixels, 160.0, True, 0.1, 0.5), 390.0)
    # a foot swinging through the air is no floor, however high it is
    swing = 390.0 - 30.0 * np.sin(np.pi * t)
    pixels = _ankles(swing, np.full(30, 420.0), x_left=300.0 * t)
    floor = floor_ankle_y(t, pixels, 160.0, True, 0.1, 0.5)
    assert (floor == 420.0).all()


def test_a_planted_foot_the_pose_model_jitters_about_stays_the_floor() -> None:
    """A person small in the picture: the pose model wobbles the front ankle 8 pixels either way on a
    75-pixel leg. Averaged, its speed (0.64 leg lengths a second) looked like a step, and the floor
    moved to the other foot mid-rep (one rep counted two or three times); it gets nowhere, so it
    stays planted."""
    t = np.arange(90) / 30.0
    front = 420.0 + 8.0 * np.sin(2 * np.pi * 1.5 * t)
    pixels = _ankles(front, np.full(90, 390.0))
    np.testing.assert_allclose(floor_ankle_y(t, pixels, 75.0, False, 0.25, 1.0), front)


def _knees(pixels: np.ndarray, y_left: float, y_right: float) -> np.ndarray:
    pixels[:, LM["left_knee"], 1], pixels[:, LM["right_knee"], 1] = y_left, y_right
    return pixels


def test_down_in_the_lunge_the_floor_is_under_the_higher_knee() -> None:
    """Seen from behind by a low camera, the back foot up on its toes draws its ankle higher than the
    front foot's, where the view's rule looks for the front foot; its knee, near the floor, is the
    lower one, so the knees decide once they stand apart. With the knees level (standing, a split
    stance at the top) the view's rule stands."""
    t = np.arange(30) / 30.0
    front, back = np.full(30, 400.0), np.full(30, 380.0)
    down = _knees(_ankles(front, back), 300.0, 360.0)  # left knee high: the left foot is in front
    np.testing.assert_allclose(floor_ankle_y(t, down, 160.0, True, 0.25, 1.0, 0.2), 400.0)
    np.testing.assert_allclose(floor_ankle_y(t, down, 160.0, True, 0.25, 1.0), 380.0)  # the view alone
    level = _knees(_ankles(front, back), 300.0, 310.0)  # 0.06 leg lengths apart
    np.testing.assert_allclose(floor_ankle_y(t, level, 160.0, True, 0.25, 1.0, 0.2), 380.0)
    np.testing.assert_allclose(floor_ankle_y(t, level, 160.0, False, 0.25, 1.0, 0.2), 400.0)


def test_size_trend_follows_someone_walking_closer() -> None:
    t = np.linspace(0.0, 6.0, 61)
    grow = np.exp(0.1 * t)
    pixels = np.zeros((len(t), N_LANDMARKS, 2))
    for side, sign in (("left", -1.0), ("right", 1.0)):
        pixels[:, LM[f"{side}_shoulder"]] = np.stack([sign * 20.0 * grow, -50.0 * grow], 1)
        pixels[:, LM[f"{side}_hip"]] = np.stack([sign * 15.0 * grow, np.zeros_like(t)], 1)
    np.testing.assert_allclose(size_trend(t, pixels), grow, rtol=1e-6)


def test_drop_share_is_relative_to_standing() -> None:
    height = np.array([1.0, 1.0, 0.75, 0.5, np.nan, 1.0])
    np.testing.assert_allclose(drop_share(height, 0.5), [0.0, 0.0, 0.5, 1.0, np.nan, 0.0])
    assert np.isnan(drop_share(np.full(3, np.nan), 0.5)).all()


@pytest.mark.parametrize("view", ["front", "rear"])
def test_knees_level_in_the_world_take_the_leg_from_the_image(view: str) -> None:
    """Seen from the front or behind, the pose model's world landmarks can put both knees at one
    height at the bottom (a rendered session from behind read 0.37 and 0.38 leg lengths on every
    left rep, and called them all right reps) while the image shows the back knee far below the
    front one: where the world is flattened the image's knee heights count too."""
    exact, truth = lunge_track(PLAN, view=view, jitter_m=0.002)
    track = compressed(exact, 0.2)
    world = track.world.copy()
    knees = [LM["left_knee"], LM["right_knee"]]
    world[:, knees] = world[:, knees].mean(axis=1, keepdims=True)  # level knees, alike thighs
    level = PoseTrack(track.times_s, track.image, world, track.width, track.height, track.fps, track.source)
    feat = features(level, PARAMS)
    assert feat.depth_from_image.all()
    assert legs(run(level)) == [t.leg for t in truth]


def test_a_fragment_too_short_to_stand_in_keeps_the_world_depth() -> None:
    """The image depth's standing height is the stretch's tallest: in a stretch shorter than
    ``image_depth_min_stretch_s`` the person may never have stood, so the world depth stays."""
    plan = [("right", "reverse", FULL)]
    exact, _ = lunge_track(plan, view="front", jitter_m=0.002, lead_s=0.2, tail_s=0.2, lowering_s=1.0,
                           bottom_s=0.2, rise_s=0.8)
    track = compressed(exact, 0.2)
    assert track.duration_s < PARAMS.image_depth_min_stretch_s
    feat = features(track, PARAMS)
    assert not feat.depth_from_image.any()
    np.testing.assert_allclose(feat.depth, feat.depth_world)
    assert not run(track).reps
    longer = replace(PARAMS, image_depth_min_stretch_s=1.0)
    assert features(track, longer).depth_from_image.any()
