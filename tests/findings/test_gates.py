"""Findings that a rep's own conditions make not assessable: flattened 3-D landmarks (depth), no standing
top between reps (the hip at the top), feet out of the picture, a view the pose model kept turning."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcoach.analysis import AnalysisParams
from formcoach.analysis.signals import usable_frames
from formcoach.exercise import load_exercise
from formcoach.findings import attach_findings
from formcoach.findings.detectors import DETECTORS, run
from formcoach.findings.views import rules_from_exercise
from formcoach.track import LM, PoseTrack
from formcoach.vocab import LungeType, View
from formcoach.wording import FEET_OUT, FLATTENED, NO_STANDING_TOP, VIEW_UNSURE

from .helpers import END, PEAK, T, context, depth_profile, features, rule
from .test_end_to_end import _session, judged

RULE = rule("shallow_depth", ("front_knee_flexion_deg", 70.0, "deg", "below"))


def test_a_shallow_knee_is_a_fault_where_the_landmarks_are_not_flattened() -> None:
    flex = np.stack([depth_profile() / depth_profile().max() * 50.0] * 2, axis=1)
    f = DETECTORS["shallow_depth"](features(knee_flexion_deg=flex), context(view="side"), RULE)
    assert f.verdict == "fault" and f.measured == 50.0


@pytest.mark.parametrize(("view", "knee_deg", "want"),
                         [("side", 62.0, "fault"), ("oblique", 62.0, "not_assessable"),
                          ("oblique", 55.0, "fault")])
def test_the_depth_error_grows_as_the_view_looks_along_the_knee(view: View, knee_deg: float,
                                                                 want: str) -> None:
    """8 deg short of the 70 deg limit is clear from the side (error 5 deg), not at 45 deg (10 deg)."""
    flex = np.stack([depth_profile() / depth_profile().max() * knee_deg] * 2, axis=1)
    f = DETECTORS["shallow_depth"](features(knee_flexion_deg=flex), context(view=view), RULE)
    assert f.verdict == want


def test_flattened_landmarks_make_the_depth_not_assessable() -> None:
    flex = np.stack([depth_profile() / depth_profile().max() * 30.0] * 2, axis=1)
    flattened = np.zeros(T, dtype=bool)
    flattened[PEAK - 5:PEAK + 5] = True
    f = DETECTORS["shallow_depth"](features(knee_flexion_deg=flex, depth_from_image=flattened),
                                   context(view="rear"), RULE)
    assert f.verdict == "not_assessable" and np.isnan(f.measured)
    assert f.reason is not None and f.reason.startswith(FLATTENED) and RULE.hint in f.reason


def test_the_hip_at_the_top_of_a_split_squat_is_not_assessable() -> None:
    r = rule("hip_not_extended", ("hip_flexion_top_deg", 15.0, "deg", "above"))
    hip = np.zeros((T, 2))
    hip[END:, 0] = 50.0  # the split stance's front hip
    feat = features(hip_flexion_deg=hip)
    assert DETECTORS["hip_not_extended"](feat, context(), r).verdict == "fault"
    f = DETECTORS["hip_not_extended"](feat, replace(context(), lunge_type="split_squat"), r)
    assert f.verdict == "not_assessable" and f.reason == NO_STANDING_TOP["split_squat"]


def test_an_ok_names_the_checks_its_view_could_not_judge() -> None:
    rules = rules_from_exercise(load_exercise("reverse_lunge"))
    tilt = rules["pelvis_tilt"]
    hands = features(wrist_obliquity_deg=np.zeros(150))
    front = run(hands, context(view="front"), tilt)
    assert front.verdict in ("ok", "not_assessable")
    assert front.extra["not_judged"] == "pelvis_rotation_deg"
    assert front.extra["not_judged_reason"] == tilt.hint
    knee = run(features(), context(view="front"), rules["knee_caving"])
    assert "not_judged" not in knee.extra


@pytest.mark.parametrize("code", ["knee_caving", "heel_lift"])
@pytest.mark.parametrize("kind", ["forward", "walking"])
def test_a_front_foot_that_steps_leaves_knee_and_heel_unjudged(code: str, kind: LungeType) -> None:
    rules = rules_from_exercise(load_exercise("reverse_lunge"))
    ctx = replace(context(view="front" if code == "knee_caving" else "side"), lunge_type=kind)
    f = DETECTORS[code](features(), ctx, rules[code])
    assert f.verdict == "not_assessable" and "forward or walking lunge" in (f.reason or "")


FEET = [LM[f"{s}_{p}"] for s in ("left", "right") for p in ("ankle", "heel", "foot_index")]


def _feet_lowered(track: PoseTrack, frames: slice, by: float) -> PoseTrack:
    """``track`` with its feet drawn ``by`` of the frame's height lower on ``frames``: where the pose
    model guesses feet that the frame's bottom edge cut off."""
    image = track.image.copy()
    image[np.ix_(np.arange(len(track))[frames], np.array(FEET), np.array([1]))] += by
    return PoseTrack(track.times_s, image, track.world, track.width, track.height, track.fps, track.source)


def test_reps_with_the_feet_cut_off_count_but_are_not_judged() -> None:
    """A phone close by cuts the feet off: the reps still count from the hips and knees, but no
    mistake is judged, the tempo is not timed, the lunge type is unknown, and the session says to
    film from further away."""
    track, _ = _session("side", front_weight_share=0.45)
    whole, _, _ = judged(track)
    cut = _feet_lowered(track, slice(None), 1.15 - np.nanmin(track.image[:, FEET, 1]))
    analysis, per_rep, _ = judged(cut)
    assert [r.rep.leg for r in analysis.reps] == [r.rep.leg for r in whole.reps]
    assert len(analysis.reps) == 4
    assert {r.rep.lunge_type for r in analysis.reps} == {"unknown"}
    assert analysis.usable_fraction == 0.0 and "film from further away" in analysis.message
    found = [f for fs in per_rep.values() for f in fs]
    assert {f.verdict for f in found} == {"not_assessable"}
    assert {f.reason for f in found} == {FEET_OUT}
    out = attach_findings(analysis, per_rep, ()).to_dict()
    assert [r["tempo"] for r in out["reps"]] == [None] * 4


def test_feet_cut_off_for_a_moment_still_judge_the_rep() -> None:
    """Feet at the frame's edge, past it on two frames within a rep: bridged like any dropped landmark."""
    track, _ = _session("side", front_weight_share=0.45)
    track = _feet_lowered(track, slice(None), 1.04 - np.nanmax(track.image[:, FEET, 1]))
    mid = int(np.searchsorted(track.times_s, 3.0))
    track = _feet_lowered(track, slice(mid, mid + 2), 0.12)
    assert not usable_frames(track.image[mid:mid + 2], AnalysisParams().frame_margin).any()
    analysis, per_rep, _ = judged(track)
    assert any(r.rep.frames[0] < mid < r.rep.frames[2] for r in analysis.reps)
    assert [r.rep.feet_seen for r in analysis.reps] == [True] * 4
    weight = [next(f for f in per_rep[r.index] if f.code == "back_leg_weight").verdict for r in analysis.reps]
    assert weight == ["ok", "fault", "ok", "fault"]


def test_nothing_is_judged_where_the_pose_model_keeps_turning_the_body_around() -> None:
    """A pose model unsure whether the person faces the camera or away turns its 3-D body round and
    back (rendered dark-skinned people at 360p, 4 of 75 front sessions): the view is then a guess,
    and a verdict resting on it (a tempo judged as from 45 deg) can be wrong. Every mistake on such
    reps is "couldn't tell", with the reason."""
    track, _ = _session("front", knee_valgus_deg=25.0)
    steady, per_rep, _ = judged(track)
    assert steady.views[0].confidence > 0.9
    assert any(f.verdict != "not_assessable" for fs in per_rep.values() for f in fs)
    world = track.world.copy()
    turned = (np.arange(len(track)) // 5) % 2 == 1  # every other sixth of a second
    world[turned] *= np.array([-1.0, 1.0, -1.0])  # turned 180 deg about the vertical
    flipping = PoseTrack(track.times_s, track.image, world, track.width, track.height, track.fps)
    analysis, per_rep, _ = judged(flipping)
    assert analysis.reps  # they count (3 of 4 here: the turned world also moves the repair of leg swaps)
    assert max(v.confidence for v in analysis.views) < 0.5
    found = [f for fs in per_rep.values() for f in fs]
    assert found and {f.verdict for f in found} == {"not_assessable"}
    assert {f.reason for f in found} == {VIEW_UNSURE}
