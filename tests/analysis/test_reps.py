"""Rep segmentation on synthetic lungers: the hard cases a phone video throws at it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcoach.analysis import reps as reps_module
from formcoach.analysis.reps import bottom_time
from formcoach.analysis.segment import hysteresis, rate, split_peaks
from formcoach.analysis.signals import feet_apart
from formcoach.analysis.view import leg_swap_index
from formcoach.track import PoseTrack

from .helpers import PARAMS, legs, run
from .synth import lunge_track

FULL = 1.0
PLAN = [("right", "reverse", FULL), ("left", "reverse", FULL), ("right", "reverse", FULL)]


def test_hysteresis_ignores_jitter_around_a_threshold() -> None:
    rng = np.random.default_rng(0)
    x = 0.45 + rng.normal(0, 0.05, 200)          # hovering at the enter threshold
    x[:20] = 0.0
    x[180:] = 0.0
    state = hysteresis(x, enter=0.45, leave=0.2)
    edges = np.flatnonzero(np.diff(state.astype(int)) == 1)
    assert len(edges) == 1


def test_hysteresis_keeps_state_through_missing_frames_only_when_told() -> None:
    x = np.array([0.0, 0.9, 0.9, np.nan, 0.9, 0.0])
    assert hysteresis(x, 0.5, 0.2).tolist() == [False, True, True, False, True, False]


def test_split_peaks_needs_a_real_dip_between_reps() -> None:
    depth = np.array([0, 0.5, 1.0, 0.9, 1.0, 0.5, 0.3, 0.5, 1.0, 0.4, 0.0])
    assert split_peaks(depth, 0, len(depth), 0.25) == [2, 8]


@pytest.mark.parametrize("view", ["side", "side_left", "front", "rear", "oblique"])
def test_counts_and_legs_from_every_view(view: str) -> None:
    track, truth = lunge_track(PLAN, view=view, jitter_m=0.005)
    result = run(track)
    assert legs(result) == [t.leg for t in truth]
    assert not result.attempts


@pytest.mark.parametrize("fps", [10.0, 24.0, 25.0, 29.97, 60.0])
def test_any_frame_rate(fps: float) -> None:
    track, truth = lunge_track(PLAN, fps=fps, jitter_m=0.005)
    result = run(track)
    assert legs(result) == [t.leg for t in truth]
    for rep, want in zip(result.reps, truth, strict=True):
        assert rep.rep.bottom_s == pytest.approx(want.bottom_s, abs=max(0.15, 1.5 / fps))


def test_variable_frame_rate() -> None:
    track, truth = lunge_track(PLAN, variable_fps=True, jitter_m=0.005, seed=3)
    result = run(track)
    assert len(result.reps) == 3
    for rep, want in zip(result.reps, truth, strict=True):
        assert rep.rep.lowering_s == pytest.approx(want.lowering_s, abs=0.3)
        assert rep.rep.rise_s == pytest.approx(want.rise_s, abs=0.2)


def test_jitter_while_standing_counts_nothing() -> None:
    track, _ = lunge_track([], lead_s=6.0, tail_s=0.0, jitter_m=0.02)
    result = run(track)
    assert result.reps == () and result.attempts == ()
    assert "No lunge" in result.message


def test_heavy_jitter_does_not_double_count() -> None:
    track, truth = lunge_track(PLAN, jitter_m=0.02, seed=7)
    assert len(run(track).reps) == len(truth)


def test_hold_at_the_bottom_is_one_rep_with_a_bottom_phase() -> None:
    track, truth = lunge_track([("left", "reverse", FULL)], bottom_s=3.0, jitter_m=0.005)
    result = run(track)
    assert len(result.reps) == 1
    rep = result.reps[0].rep
    assert rep.bottom_hold_s == pytest.approx(3.0, abs=0.4)
    assert rep.bottom_s == pytest.approx(truth[0].bottom_s, abs=0.25)


def test_rate_fitted_over_a_window_follows_a_ramp_and_averages_jitter() -> None:
    t = np.arange(0.0, 4.0, 1.0 / 30.0)
    ramp = 20.0 * t
    assert np.allclose(rate(t, ramp, 0.3), 20.0)
    rng = np.random.default_rng(0)
    noisy = ramp + rng.normal(0.0, 1.0, len(t))
    assert np.std(rate(t, noisy, 0.3) - 20.0) < 0.3 * np.std(rate(t, noisy) - 20.0)
    gappy = ramp.copy()
    gappy[40:45] = np.nan
    fitted = rate(t, gappy, 0.3)
    assert np.isnan(fitted[40:45]).all() and np.allclose(fitted[:38], 20.0) and np.allclose(fitted[47:], 20.0)


def test_bottom_time_is_the_deepest_moment_or_the_middle_of_a_flat_hold() -> None:
    t = np.arange(0.0, 6.0, 0.05)
    sharp = np.exp(-(((t - 2.3) / 0.6) ** 2))
    assert bottom_time(t, sharp, 0, len(t) - 1, PARAMS.bottom_share) == pytest.approx(2.3, abs=0.03)
    # a 1.5 s hold at the bottom with jitter whose single deepest frame lies near its end
    rng = np.random.default_rng(3)
    hold = np.clip(np.minimum((t - 0.5) / 1.5, (5.5 - t) / 1.5), 0.0, 1.0)
    flat = np.minimum(hold, 0.97) + rng.normal(0.0, 0.004, len(t))
    flat[np.argmin(np.abs(t - 3.9))] = 1.0
    assert bottom_time(t, flat, 0, len(t) - 1, PARAMS.bottom_share) == pytest.approx(3.0, abs=0.2)
    assert bottom_time(t, np.full_like(t, np.nan), 4, 10, PARAMS.bottom_share) == pytest.approx(t[4])


def test_rep_cut_short_by_the_end_of_the_video_is_an_attempt() -> None:
    track, truth = lunge_track(PLAN, jitter_m=0.005, tail_s=0.0)
    cut = track.slice(0, int(np.searchsorted(track.times_s, truth[-1].bottom_s + 0.1)))
    result = run(cut)
    assert len(result.reps) == 2
    assert [a.rep.reason for a in result.attempts] == ["cut_off"]


def test_shallow_dip_is_an_attempt_not_a_rep() -> None:
    track, _ = lunge_track([("right", "reverse", FULL), ("left", "reverse", 0.62)], jitter_m=0.005)
    result = run(track)
    assert legs(result) == ["right"]
    assert [a.rep.reason for a in result.attempts] == ["shallow"]


def test_person_walking_into_frame_is_not_counted() -> None:
    track, truth = lunge_track(PLAN, enter_s=3.0, lead_s=4.0, jitter_m=0.005)
    assert not track.found[0]
    result = run(track)
    assert legs(result) == [t.leg for t in truth]
    assert not result.attempts


def test_title_card_gap_between_reps() -> None:
    track, truth = lunge_track(PLAN, gaps_s=((4.5, 5.4),), jitter_m=0.005)
    assert legs(run(track)) == [t.leg for t in truth]


def test_lateral_lunge_is_not_counted_and_said_so() -> None:
    track, _ = lunge_track([("right", "lateral", FULL)] * 3, view="front", jitter_m=0.005)
    result = run(track)
    assert not result.is_lunge and result.reps == ()
    assert result.lunge_type == "lateral"
    assert "lateral" in result.message and len(result.attempts) == 3


@pytest.mark.parametrize(("kind", "want"), [("reverse", "reverse"), ("forward", "forward"),
                                             ("walking", "walking"), ("split", "split_squat")])
def test_lunge_type_from_the_side(kind: str, want: str) -> None:
    plan = [("right", kind, FULL), ("left", kind, FULL)] if kind != "split" else [("right", kind, FULL)] * 3
    track, _ = lunge_track(plan, jitter_m=0.003)
    result = run(track)
    assert result.lunge_type == want
    assert {r.rep.lunge_type for r in result.reps} == {want}


@pytest.mark.parametrize("view", ["front", "rear"])
def test_walking_at_or_away_from_the_camera_is_walking(view: str) -> None:
    """Walking lunges straight at the camera or away from it barely move the hips across the
    picture; the body growing or shrinking in it tells they travelled. Lunges in place do not."""
    for kind, want in (("walking", "walking"), ("reverse", "reverse")):
        track, truth = lunge_track([("right", kind, FULL), ("left", kind, FULL)], view=view, jitter_m=0.003)
        result = run(track)
        assert legs(result) == [t.leg for t in truth]
        assert {r.rep.lunge_type for r in result.reps} == {want}, (view, kind)


def _confused_legs(track: PoseTrack, first: int, swapped: int, blended: int) -> PoseTrack:
    """``track`` with the pose model's confusion from the side: the legs' labels exchanged for
    ``swapped`` frames from ``first``, then ``blended`` frames with both legs half-way between."""
    image, world = track.image.copy(), track.world.copy()
    idx = leg_swap_index()
    swap = slice(first, first + swapped)
    image[swap], world[swap] = track.image[swap][:, idx], track.world[swap][:, idx]
    blend = slice(first + swapped, first + swapped + blended)
    image[blend, :, :3] = 0.5 * (track.image[blend, :, :3] + track.image[blend][:, idx, :3])
    world[blend] = 0.5 * (track.world[blend] + track.world[blend][:, idx])
    return replace(track, image=image, world=world)


def test_a_leg_swap_between_reps_does_not_bring_a_split_squats_feet_together() -> None:
    """Seen from the side, the model can exchange the legs for a few frames and then put both feet in
    one place for a frame or two (seen on a real split squat); the split squat stays a split squat."""
    plan = [("right", "split", FULL)] * 3
    track, truth = lunge_track(plan, jitter_m=0.003)
    between = int(np.searchsorted(track.times_s, 0.5 * (truth[0].end_s + truth[1].start_s)))
    confused = _confused_legs(track, between - 3, swapped=6, blended=2)
    result = run(confused)
    assert len(result.reps) == 3
    assert {r.rep.lunge_type for r in result.reps} == {"split_squat"}


def test_feet_apart_ignores_which_foot_is_which() -> None:
    track, _ = lunge_track([("right", "split", FULL)], jitter_m=0.003)
    swapped = replace(track, world=track.world[:, leg_swap_index()])
    leg_m = 0.9
    assert np.allclose(feet_apart(track.times_s, track.world, leg_m),
                       feet_apart(swapped.times_s, swapped.world, leg_m), equal_nan=True)


@pytest.mark.parametrize(("view", "kind"), [("front", "reverse"), ("side", "reverse"), ("side", "forward")])
def test_a_weak_leg_call_that_makes_the_other_lunge_takes_the_other_leg(
        view: str, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Close in front of the person the leg cues can all point to one leg (a phone 1.2 m away: every
    rep "right"); the foot that stepped still shows, so a weakly called rep that reads as the other
    lunge than the session's takes the other leg. A confident call is left alone."""
    plan = [("right", kind, FULL), ("left", kind, FULL), ("right", kind, FULL), ("left", kind, FULL),
            ("right", kind, FULL)]
    track, truth = lunge_track(plan, view=view, jitter_m=0.003)
    assert legs(run(track)) == [t.leg for t in truth]
    for confidence, want in ((0.1, [t.leg for t in truth]), (0.9, ["right"] * len(plan))):
        monkeypatch.setattr(reps_module, "working_leg", lambda *_, c=confidence: ("right", c))
        result = run(track)
        assert legs(result) == want, confidence
        assert result.lunge_type == kind
        if confidence < PARAMS.leg_flip_max_confidence:
            assert {r.rep.lunge_type for r in result.reps} == {kind}
            assert all(r.rep.leg_confidence == confidence for r in result.reps)
