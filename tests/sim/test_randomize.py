"""Randomized sessions: reproducible from a seed, inside the stated ranges, the person in frame."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcoach.sim import Appearance, BodyShape, Camera, SessionSpec, Tempo, simulate
from formcoach.sim.body import body_dims
from formcoach.sim.camera import place_camera
from formcoach.sim.randomize import (
    CAMERA_HEIGHT_M,
    CLOSE_DISTANCE_M,
    CLOSE_VFOV_DEG,
    DISTANCE_M,
    HEIGHT_M,
    MAX_HFOV_DEG,
    STANCE_M,
    VFOV_DEG,
    _fits,
    noisy_track,
    place_variation,
    sample_close_variation,
    sample_variation,
    widen_to_fit,
)
from formcoach.sim.render import iter_frames
from formcoach.sim.truth import exact_track

SHORT = SessionSpec(reps_per_side=1, tempo=Tempo(1.2, 0.3, 0.9, 0.4), lead_in_s=0.4, lead_out_s=0.4)


def test_the_same_seed_gives_the_same_variation() -> None:
    assert sample_variation(7, "front", SHORT) == sample_variation(7, "front", SHORT)
    assert sample_variation(7, "front", SHORT) != sample_variation(8, "front", SHORT)
    assert sample_variation(7, "front", SHORT).spec.body != sample_variation(7, "side", SHORT).spec.body


def test_draws_stay_inside_the_stated_ranges_and_cover_them() -> None:
    draws = [sample_variation(seed, "side", SHORT) for seed in range(200)]
    heights = np.array([v.spec.body.height_m for v in draws])
    cam_h = np.array([v.camera.height_m for v in draws])
    dist = np.array([v.camera.distance_m for v in draws], dtype=float)
    stance = np.array([v.spec.stance_width_m for v in draws])
    vfov = np.array([np.degrees(2 * np.arctan(np.tan(np.radians(v.camera.hfov_deg) / 2)
                                              * v.camera.height / v.camera.width)) for v in draws])
    for values, (low, high) in ((heights, HEIGHT_M), (cam_h, CAMERA_HEIGHT_M), (dist, DISTANCE_M),
                                (stance, STANCE_M), (vfov, VFOV_DEG)):
        assert values.min() >= low - 1e-9 and values.max() <= high + 1e-9
        assert values.min() < low + 0.15 * (high - low) and values.max() > high - 0.15 * (high - low)
    assert {min(v.camera.width, v.camera.height) for v in draws} == {360, 480, 720, 1080}
    assert {v.camera.fps for v in draws} >= {24.0, 60.0}
    assert max(abs(v.camera.yaw_offset_deg) for v in draws) > 15.0
    assert len({v.spec.appearance.top for v in draws}) > 100


def test_caps_limit_size_and_rate_without_changing_the_rest() -> None:
    full, small = sample_variation(3, "front", SHORT), sample_variation(3, "front", SHORT, max_lines=360,
                                                                         max_fps=24.0)
    assert min(small.camera.width, small.camera.height) == 360 and small.camera.fps == 24.0
    assert small.spec == full.spec
    assert small.camera.height_m == full.camera.height_m


@pytest.mark.parametrize("view", ["front", "side", "rear", "oblique"])
def test_the_whole_movement_is_in_frame(view: str) -> None:
    for seed in range(6):
        var = sample_variation(seed, view, SHORT)  # type: ignore[arg-type]
        sim = simulate(var.spec, fps=var.camera.fps)
        placed = place_variation(var.camera, sim.landmarks.reshape(-1, 3))
        xy = exact_track(sim, placed).image[:, :, :2]
        assert xy.min() > 0.0 and xy.max() < 1.0
        away = np.hypot(*(placed.centre[:2] - sim.landmarks[0, 0, :2]))
        assert DISTANCE_M[0] <= away <= DISTANCE_M[1] + 0.6


@pytest.mark.parametrize("view", ["front", "side", "rear", "oblique"])
def test_a_close_phone_keeps_its_distance_and_widens_its_lens_to_frame_the_movement(view: str) -> None:
    lenses = []
    for seed in range(6):
        far = sample_variation(seed, view, SHORT)  # type: ignore[arg-type]
        var = sample_close_variation(seed, view, SHORT)  # type: ignore[arg-type]
        assert var.spec == far.spec and var.camera.height_m == far.camera.height_m
        sim = simulate(var.spec, fps=var.camera.fps)
        placed = widen_to_fit(var.camera, sim.landmarks.reshape(-1, 3))
        xy = exact_track(sim, placed).image[:, :, :2]
        assert xy.min() > 0.0 and xy.max() < 1.0
        assert placed.camera.hfov_deg <= MAX_HFOV_DEG
        assert CLOSE_DISTANCE_M[0] <= var.camera.distance_m <= CLOSE_DISTANCE_M[1]  # type: ignore[operator]
        if placed.camera.distance_m > var.camera.distance_m:  # type: ignore[operator]
            # stepped back: only when even the widest lens could not frame it where it stood
            assert not _fits(place_camera(replace(placed.camera, distance_m=var.camera.distance_m),
                                          sim.landmarks.reshape(-1, 3)), sim.landmarks.reshape(-1, 3))
        else:
            assert placed.camera.distance_m == var.camera.distance_m
        lenses.append(placed.camera.hfov_deg)
        # the narrowest lens that frames it: one 5 deg narrower (vertically) would cut the movement off
        vfov = np.degrees(2 * np.arctan(np.tan(np.radians(placed.camera.hfov_deg) / 2)
                                        * placed.camera.height / placed.camera.width))
        if vfov > CLOSE_VFOV_DEG[0] + 1:
            tighter = np.degrees(2 * np.arctan(np.tan(np.radians(vfov - 5) / 2)
                                               * placed.camera.width / placed.camera.height))
            cut = place_camera(replace(placed.camera, hfov_deg=float(tighter)), sim.landmarks.reshape(-1, 3))
            assert not _fits(cut, sim.landmarks.reshape(-1, 3))
    assert max(lenses) > 70.0  # wider than any phone's main camera for at least one seed


def test_segment_scales_change_the_segments_but_not_the_stature() -> None:
    plain, long_legs = body_dims(BodyShape()), body_dims(BodyShape(thigh_scale=1.05, shank_scale=1.05,
                                                                   hip_width_scale=1.2))
    assert long_legs.thigh == pytest.approx(1.05 * plain.thigh)
    assert long_legs.hip_height > plain.hip_height and long_legs.trunk < plain.trunk
    assert long_legs.hip_half_width == pytest.approx(1.2 * plain.hip_half_width)
    with pytest.raises(ValueError, match="thigh_scale"):
        BodyShape(thigh_scale=1.3)


def test_off_view_yaw_turns_the_camera_about_the_athlete() -> None:
    a = Camera(view="front").azimuth
    b = Camera(view="front", yaw_offset_deg=20.0).azimuth
    assert np.degrees(np.arccos(a @ b)) == pytest.approx(20.0)
    with pytest.raises(ValueError, match="pitch_offset_deg"):
        Camera(pitch_offset_deg=50.0)


def test_noise_is_reproducible_and_about_the_stated_size() -> None:
    sim = simulate(SHORT, fps=30.0)
    var = sample_variation(1, "front", SHORT)
    track = exact_track(sim, place_variation(var.camera, sim.landmarks.reshape(-1, 3)))
    a, b = noisy_track(track, 5), noisy_track(track, 5)
    assert np.array_equal(a.image, b.image) and not np.array_equal(a.image, track.image)
    span = np.median(np.ptp(track.image[:, :, 1], axis=1))
    sd = np.std(a.image[:, :, 1] - track.image[:, :, 1]) / span
    assert 0.003 < sd < 0.009
    assert 0.007 < np.std(a.world - track.world) < 0.02


def test_wall_floor_and_light_come_from_the_appearance() -> None:
    sim = simulate(replace(SHORT, appearance=Appearance(wall=(40, 200, 40), light=0.6)), fps=5.0)
    placed = place_variation(Camera(view="front", width=160, height=120, distance_m=3.0),
                             sim.landmarks.reshape(-1, 3))
    frame = next(iter_frames(sim, placed, supersample=1))
    top = frame[:5].reshape(-1, 3).mean(axis=0)
    assert top[1] > top[0] + 60 and top[1] > top[2] + 60
