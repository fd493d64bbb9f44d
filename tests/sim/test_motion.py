"""The simulated body obeys its physics and shows each requested mistake in its exact landmarks."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from formcoach.sim import Mistakes, SessionSpec, simulate
from formcoach.sim.body import COM_FRACTION, MASS_FRACTION
from formcoach.sim.landmarks import SEGMENTS, centre_of_mass
from formcoach.sim.motion import Simulation
from formcoach.sim.truth import truth_dict
from formcoach.track import LM

Faulty = Callable[..., Simulation]
Joint = Callable[[Simulation, str], np.ndarray]
Frames = Callable[[Simulation], np.ndarray]
MakeSpec = Callable[..., SessionSpec]


def _lm(sim: Simulation, name: str) -> np.ndarray:
    return np.asarray(sim.landmarks[:, LM[name]])


def _front_lm(sim: Simulation, joint: str) -> np.ndarray:
    left = (sim.channels.side > 0)[:, None]
    return np.asarray(np.where(left, _lm(sim, f"left_{joint}"), _lm(sim, f"right_{joint}")))


def _angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    u, v = a - b, c - b
    cos = (u * v).sum(-1) / np.linalg.norm(u, axis=-1) / np.linalg.norm(v, axis=-1)
    return np.asarray(np.degrees(np.arccos(np.clip(cos, -1, 1))))


def test_same_seed_same_session_and_seeds_differ(make_spec: MakeSpec) -> None:
    a, b = simulate(make_spec(seed=4)), simulate(make_spec(seed=4))
    assert np.array_equal(a.landmarks, b.landmarks) and np.array_equal(a.times_s, b.times_s)
    c = simulate(make_spec(seed=5))
    assert a.reps[0].end_s != c.reps[0].end_s


def test_planted_front_foot_does_not_slide(clean: Simulation) -> None:
    for rep in clean.reps:
        side = "left" if rep.leg == "left" else "right"
        during = (clean.times_s >= rep.start_s) & (clean.times_s <= rep.end_s)
        for joint in ("foot_index", "heel", "ankle"):
            track = _lm(clean, f"{side}_{joint}")[during]
            assert np.ptp(track, axis=0).max() < 1e-9, joint


def test_front_toes_stay_put_when_the_heel_lifts(faulty: Faulty, front: Joint) -> None:
    sim = faulty(heel_lift_cm=4.0)
    assert np.ptp(front(sim, "toe")[sim.channels.side > 0], axis=0).max() < 1e-9
    assert np.ptp(front(sim, "heel")[:, 2]) > 0.03


def test_back_foot_stays_planted_while_loaded(clean: Simulation, back: Joint) -> None:
    stance = clean.channels.back_x_m <= -0.999 * clean.step_m
    for s in (1.0, -1.0):
        toe = back(clean, "toe")[stance & (clean.channels.side == s)]
        assert len(toe) > 10
        assert np.ptp(toe, axis=0).max() < 0.002
        assert toe[:, 2].max() < 0.02


def test_nothing_goes_through_the_floor_and_motion_is_smooth(clean: Simulation) -> None:
    assert np.nanmin(clean.landmarks[:, :, 2]) >= 0.0
    speed = np.linalg.norm(np.diff(clean.landmarks, axis=0), axis=2) * clean.fps
    assert speed.max() < 5.0


def test_centre_of_mass_is_the_mass_weighted_segment_centres(clean: Simulation) -> None:
    p, sex = clean.skeleton.points, clean.dims.shape.sex
    manual = sum(MASS_FRACTION[sex][seg] * (p[a] + COM_FRACTION[sex][seg] * (p[b] - p[a]))
                 for seg, a, b in SEGMENTS.values())
    weight = sum(MASS_FRACTION[sex][seg] for seg, _, _ in SEGMENTS.values())
    assert np.allclose(centre_of_mass(clean.skeleton, clean.dims), manual / weight)
    standing = clean.com[0, 2] / clean.dims.shape.height_m
    assert 0.52 < standing < 0.60          # standing CoM height is about 55 % of stature


@pytest.mark.parametrize("share", [0.5, 0.72, 0.85])
def test_front_leg_weight_share_is_realised_by_the_centre_of_mass(share: float, faulty: Faulty,
                                                                  bottom_frames: Frames) -> None:
    sim = faulty(front_weight_share=share)
    for k in bottom_frames(sim):
        f, b = (("left", "right") if sim.channels.side[k] > 0 else ("right", "left"))
        support_front = 0.5 * (_lm(sim, f"{f}_heel")[k] + _lm(sim, f"{f}_foot_index")[k])[:2]
        support_back = _lm(sim, f"{b}_foot_index")[k, :2]
        line = support_front - support_back
        got = (sim.com[k, :2] - support_back) @ line / (line @ line)
        assert got == pytest.approx(share, abs=0.015)


def test_depth_and_bottom_time_match_the_plan(clean: Simulation, bottom_frames: Frames) -> None:
    flexion = 180.0 - _angle(_front_lm(clean, "hip"), _front_lm(clean, "knee"), _front_lm(clean, "ankle"))
    for rep, k in zip(clean.reps, bottom_frames(clean), strict=True):
        assert flexion[k] == pytest.approx(rep.depth_deg, abs=0.5)
        during = (clean.times_s >= rep.start_s) & (clean.times_s <= rep.end_s)
        deepest = clean.times_s[during][np.argmax(flexion[during])]
        assert rep.bottom_start_s - 0.02 <= deepest <= rep.bottom_end_s + 0.02


@pytest.mark.parametrize("valgus", [12.0, -8.0])
def test_knee_valgus_shows_in_the_frontal_plane(valgus: float, faulty: Faulty, bottom_frames: Frames) -> None:
    sim = faulty(knee_valgus_deg=valgus)
    for k in bottom_frames(sim):
        hip, knee, ankle = (_front_lm(sim, j)[k] for j in ("hip", "knee", "ankle"))
        angle = 180.0 - _angle(hip[1:], knee[1:], ankle[1:])
        assert angle == pytest.approx(abs(valgus), abs=0.5)
        towards_midline = abs(knee[1]) < abs(0.5 * (hip[1] + ankle[1]))
        assert towards_midline == (valgus > 0)


def _hip_line(sim: Simulation, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Obliquity (back hip lower = +) and rotation (back hip behind = +) in degrees at frames k."""
    left = sim.channels.side[k] > 0
    front_hip = np.where(left[:, None], _lm(sim, "left_hip")[k], _lm(sim, "right_hip")[k])
    back_hip = np.where(left[:, None], _lm(sim, "right_hip")[k], _lm(sim, "left_hip")[k])
    d = front_hip - back_hip
    lateral = np.hypot(d[:, 0], d[:, 1])
    return np.degrees(np.arctan2(d[:, 2], lateral)), np.degrees(np.arctan2(d[:, 0], np.abs(d[:, 1])))


def test_pelvis_tilt_and_rotation_show_in_the_hip_line(faulty: Faulty, bottom_frames: Frames) -> None:
    tilt, turn = _hip_line(faulty(pelvis_tilt_deg=8.0), bottom_frames(faulty(pelvis_tilt_deg=8.0)))
    assert np.allclose(tilt, 8.0, atol=0.3) and np.allclose(turn, 0.0, atol=0.3)
    sim = faulty(pelvis_rotation_deg=12.0)
    tilt, turn = _hip_line(sim, bottom_frames(sim))
    assert np.allclose(turn, 12.0, atol=0.3) and np.allclose(tilt, 0.0, atol=0.3)


def test_hip_drop_peaks_while_the_back_leg_swings(faulty: Faulty, bottom_frames: Frames) -> None:
    sim = faulty(hip_drop_deg=7.0)
    tilt, _ = _hip_line(sim, np.arange(len(sim.times_s)))
    assert tilt.max() == pytest.approx(7.0, abs=0.3)
    swinging = sim.channels.back_lift_m > 0.5 * sim.channels.back_lift_m.max()
    assert tilt[swinging].min() > 3.0
    assert np.abs(tilt[bottom_frames(sim)]).max() < 0.5


def test_hip_left_bent_at_the_top_and_heel_lift_are_measured(faulty: Faulty) -> None:
    sim = faulty(hip_flexion_top_deg=20.0, heel_lift_cm=3.0)
    for rep in truth_dict(sim)["reps"]:
        assert rep["measured"]["hip_flexion_top_deg"] == pytest.approx(20.0, abs=2.0)
        assert rep["measured"]["heel_lift_cm"] == pytest.approx(3.0, abs=0.3)
    clean = truth_dict(faulty())["reps"][0]["measured"]
    assert clean["hip_flexion_top_deg"] < 2.0 and abs(clean["heel_lift_cm"]) < 0.05


def test_mistakes_apply_only_to_the_chosen_reps(make_spec: MakeSpec) -> None:
    sim = simulate(make_spec(mistakes=Mistakes(knee_valgus_deg=10.0), mistake_reps=(1,)), fps=60)
    reps = truth_dict(sim)["reps"]
    assert [r["faulty"] for r in reps] == [False, True]
    assert abs(reps[0]["measured"]["knee_valgus_deg"]) < 0.1
    assert reps[1]["measured"]["knee_valgus_deg"] == pytest.approx(10.0, abs=0.3)


def test_sway_and_tremor_move_the_front_leg(faulty: Faulty, bottom_frames: Frames) -> None:
    still, shaky = faulty(), faulty(sway_cm=3.0, tremor_deg=4.0)
    k = bottom_frames(still)[0]
    window = slice(k - 15, k + 15)
    hips_still, hips_shaky = _front_lm(still, "hip")[window, 1], _front_lm(shaky, "hip")[window, 1]
    assert np.ptp(hips_shaky) > np.ptp(hips_still) + 0.005


def test_forward_lunge_keeps_the_back_foot_and_steps_the_front_foot(bottom_frames: Frames,
                                                                    make_spec: MakeSpec) -> None:
    sim = simulate(make_spec(lunge_type="forward"), fps=60)
    rep = sim.reps[0]
    during = (sim.times_s >= rep.start_s) & (sim.times_s <= rep.end_s)
    back_toe = _lm(sim, "right_foot_index")[during]
    assert np.ptp(back_toe[:, 0]) < 0.002
    k = bottom_frames(sim)[0]
    assert _lm(sim, "left_foot_index")[k, 0] - back_toe[0, 0] == pytest.approx(sim.step_m, abs=0.01)
