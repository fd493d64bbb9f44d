"""Each detector on hand-made signals just inside, at and just past its limit, and the view gate.

The limit's crossing is tested with the "too close to tell" band switched off (``UNSURE_Z`` 0);
the band itself is tested in ``test_unsure.py``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from typing import cast

import numpy as np
import pytest

from formcoach.analysis.sets import tempo_verdict
from formcoach.exercise import FindingDetection, load_exercise
from formcoach.findings import verdicts
from formcoach.findings.detectors import DETECTORS, run
from formcoach.findings.pelvis_detectors import drifting_baseline
from formcoach.findings.verdicts import settled_frames
from formcoach.findings.views import rules_from_exercise
from formcoach.vocab import View

from .helpers import (
    END,
    FIRST,
    FPS,
    PEAK,
    START,
    T,
    column,
    context,
    deep_mask,
    depth_profile,
    features,
    rule,
)

VIEWS = ("front", "side", "rear", "oblique")


@pytest.fixture(autouse=True)
def _no_unsure_band(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verdicts, "UNSURE_Z", 0.0)


def _verdict(code: str, feat_kw: dict[str, object], r: object, **ctx_kw: object) -> tuple[str, float]:
    f = DETECTORS[code](features(**feat_kw), context(**ctx_kw), r)  # type: ignore[arg-type]
    return f.verdict, f.measured


PELVIS = rule("pelvis_tilt", ("pelvis_obliquity_deg", 6.0, "deg", "above"),
              ("pelvis_rotation_deg", 10.0, "deg", "above"))
ABOVE = [(-0.1, "ok"), (0.0, "ok"), (0.1, "fault")]
BELOW = [(0.01, "ok"), (0.0, "ok"), (-0.01, "fault")]


@pytest.mark.parametrize(("delta", "want"), ABOVE)
@pytest.mark.parametrize("leg", ["left", "right"])
def test_pelvis_tilt_obliquity(delta: float, want: str, leg: str) -> None:
    r = PELVIS
    sign = 1.0 if leg == "left" else -1.0  # the back leg's side drops: left hip up when the left leg leads
    obl = np.where(deep_mask(0.8), sign * (6.0 + delta), 0.0)
    verdict, measured = _verdict("pelvis_tilt", {"wrist_obliquity_deg": obl}, r, leg=leg)
    assert verdict == want and measured == pytest.approx(6.0 + delta)


@pytest.mark.parametrize(("delta", "want"), ABOVE)
def test_pelvis_tilt_rotation(delta: float, want: str) -> None:
    r = PELVIS
    yaw = np.where(deep_mask(0.8), -(10.0 + delta), 0.0)
    f = DETECTORS["pelvis_tilt"](features(pelvis_yaw_deg=yaw), context(), r)
    assert f.verdict == want
    if want == "fault":
        assert f.direction == "rotation" and f.limit == 10.0


@pytest.mark.parametrize(("delta", "want"), ABOVE)
@pytest.mark.parametrize(("sign", "direction"), [(1.0, "in"), (-1.0, "out")])
def test_knee_caving_in_and_out(delta: float, want: str, sign: float, direction: str) -> None:
    r = rule("knee_caving", ("knee_over_foot_cm", 3.0, "cm", "above"))
    base = features().knee_over_foot_legs
    feat = features(knee_over_foot_legs=column(base, 1, sign * (3.0 + delta) / 80.0))
    f = DETECTORS["knee_caving"](feat, context(leg="right"), r)
    assert f.verdict == want and f.measured == pytest.approx(3.0 + delta)
    assert f.direction == (direction if want == "fault" else None)
    assert f.extra["signed_cm"] == pytest.approx(sign * (3.0 + delta))


def test_knee_caving_reads_the_front_knee_only() -> None:
    r = rule("knee_caving", ("knee_over_foot_cm", 3.0, "cm", "above"))
    base = features().knee_over_foot_legs
    f = DETECTORS["knee_caving"](features(knee_over_foot_legs=column(base, 1, 0.2)), context(leg="left"), r)
    assert f.verdict == "ok"


def test_knee_caving_takes_the_standing_offset_out() -> None:
    # a knee that stands 4 cm inside its ankle and stays 4 cm inside the foot's line is not caving
    r = rule("knee_caving", ("knee_over_foot_cm", 3.0, "cm", "above"))
    inside = np.full((T, 2), 4.0 / 80)
    feat = features(knee_over_ankle_legs=inside, knee_over_foot_legs=inside.copy())
    f = DETECTORS["knee_caving"](feat, context(), r)
    assert f.verdict == "ok" and f.measured == pytest.approx(0.0)


def test_heel_lift_needs_the_heel_to_rise_in_the_frame_too() -> None:
    r = rule("heel_lift", ("heel_lift_cm", 2.0, "cm", "above"))
    heel = np.zeros((T, 2))
    heel[deep_mask(), 0] = 5.0 / 80.0  # the toe sinks: heel over toe reads 5 cm, the heel itself stays
    verdict, measured = _verdict("heel_lift", {"heel_height_legs": heel}, r)
    assert verdict == "ok" and measured == pytest.approx(0.0)


@pytest.mark.parametrize(("delta", "want"), ABOVE)
def test_hip_drop_during_the_swing(delta: float, want: str) -> None:
    r = rule("hip_drop", ("hip_drop_deg", 5.0, "deg", "above"))
    obl = np.zeros(T)
    obl[START + 3:FIRST - 15] = -(5.0 + delta)  # right leg leads: the left (back) side drops
    verdict, measured = _verdict("hip_drop", {"wrist_obliquity_deg": obl}, r, leg="right")
    assert verdict == want and measured == pytest.approx(5.0 + delta)


def test_hip_drop_ignores_a_sustained_tilt() -> None:
    r = rule("hip_drop", ("hip_drop_deg", 5.0, "deg", "above"))
    depth = features().depth
    obl = 9.0 * depth / depth.max()  # tilt growing with depth: pelvis_tilt's business, not a drop
    verdict, measured = _verdict("hip_drop", {"wrist_obliquity_deg": obl}, r, leg="left")
    assert verdict == "ok" and abs(measured) < 0.5


@pytest.mark.parametrize(("drop", "want"), [(7.0, "fault"), (4.0, "ok")])
def test_hip_drop_with_the_start_found_inside_the_step_back(drop: float, want: str) -> None:
    # the rep analysis placed the start late: the whole baseline before it lies in the outgoing
    # drop; the return swing is still read against the level standing frames after the rep
    r = rule("hip_drop", ("hip_drop_deg", 5.0, "deg", "above"))
    obl = np.zeros(T)
    obl[START - 10:FIRST - 15] = -drop  # right leg leads: the left (back) side drops
    obl[END - 8:END] = -drop
    ctx = replace(context(leg="right"), baseline=(START - 8, START + 1))
    f = DETECTORS["hip_drop"](features(wrist_obliquity_deg=obl), ctx, r)
    assert f.verdict == want and f.measured == pytest.approx(drop, abs=0.1 * drop)


def test_hip_drop_ignores_a_drift_of_the_standing_pelvis() -> None:
    r = rule("hip_drop", ("hip_drop_deg", 5.0, "deg", "above"))
    t = np.arange(T, dtype=float)
    obl = -6.0 * np.clip((t - START) / (END - START), 0.0, 1.0)  # the standing tilt drifts by 6 deg
    verdict, measured = _verdict("hip_drop", {"wrist_obliquity_deg": obl}, r, leg="right")
    assert verdict == "ok" and abs(measured) < 0.1


def test_drifting_baseline_runs_from_before_the_rep_to_after_it() -> None:
    ctx = context()
    feat = features()
    x = np.zeros(T)
    x[:START + 1], x[END:] = 2.0, 4.0
    baseline_s = FindingDetection().baseline_s
    after = settled_frames(feat, ctx, baseline_s)
    assert after[0] == END and feat.times_s[after[-1]] <= feat.times_s[END] + baseline_s
    base = drifting_baseline(x, feat.times_s, ctx, after)
    assert base[0] == pytest.approx(2.0) and base[START] == pytest.approx(2.0)
    assert base[(START + END) // 2] == pytest.approx(3.0) and base[-1] == pytest.approx(4.0)
    assert np.allclose(drifting_baseline(x, feat.times_s, ctx, np.array([], dtype=int)), 2.0)
    x[:START + 1] = np.nan
    assert np.allclose(drifting_baseline(x, feat.times_s, ctx, after), 4.0)


@pytest.mark.parametrize(("delta", "want"), ABOVE)
def test_hip_not_extended_at_the_top(delta: float, want: str) -> None:
    r = rule("hip_not_extended", ("hip_flexion_top_deg", 15.0, "deg", "above"))
    hip = np.zeros((T, 2))
    hip[END:, 0] = 15.0 + delta
    hip[START:END, 0] = 90.0  # deep flexion during the rep is not the top
    verdict, measured = _verdict("hip_not_extended", {"hip_flexion_deg": hip}, r)
    assert verdict == want and measured == pytest.approx(15.0 + delta)


def test_hip_not_extended_without_a_top_is_not_assessable() -> None:
    r = rule("hip_not_extended", ("hip_flexion_top_deg", 15.0, "deg", "above"))
    f = DETECTORS["hip_not_extended"](features(), context(top=(END, END + 1)), r)
    assert f.verdict == "not_assessable" and "film" in (f.reason or "")


@pytest.mark.parametrize(("delta", "want"), BELOW)
def test_back_leg_weight(delta: float, want: str) -> None:
    r = rule("back_leg_weight", ("front_leg_weight_fraction", 0.60, "fraction", "below"))
    share = features().front_share.copy()
    share[deep_mask(0.8), 0] = 0.60 + delta
    verdict, measured = _verdict("back_leg_weight", {"front_share": share}, r)
    assert verdict == want and measured == pytest.approx(0.60 + delta)


@pytest.mark.parametrize(("lift_cm", "want"), [(1.9, "ok"), (2.0, "ok"), (2.1, "fault")])
def test_heel_lift(lift_cm: float, want: str) -> None:
    r = rule("heel_lift", ("heel_lift_cm", 2.0, "cm", "above"))
    heel = np.full((T, 2), 0.01)  # a standing baseline that is not zero
    heel[deep_mask(), 0] = 0.01 + lift_cm / 80.0
    verdict, measured = _verdict("heel_lift", {"heel_height_legs": heel, "heel_level_legs": heel - 0.3,
                                           "ankle_level_legs": heel}, r)
    assert verdict == want and measured == pytest.approx(lift_cm)


@pytest.mark.parametrize(("knee", "want"), [(70.1, "ok"), (70.0, "ok"), (69.9, "fault")])
def test_shallow_depth(knee: float, want: str) -> None:
    r = rule("shallow_depth", ("front_knee_flexion_deg", 70.0, "deg", "below"))
    flex = np.where(deep_mask(0.8)[:, None], knee, 20.0) * np.ones((T, 2))
    verdict, measured = _verdict("shallow_depth", {"knee_flexion_deg": flex}, r)
    assert verdict == want and measured == pytest.approx(knee)


@pytest.mark.parametrize(("sway_cm", "want"), [(4.9, "ok"), (5.0, "ok"), (5.1, "fault")])
def test_balance_sway(sway_cm: float, want: str) -> None:
    r = rule("balance", ("com_sway_cm", 5.0, "cm", "above"))
    com = np.zeros((T, 2))
    deep = np.flatnonzero(deep_mask())
    side = np.where((np.arange(len(deep)) // 5) % 2 == 0, 1.0, -1.0)  # 5 frames to each side: 3 Hz
    com[deep, 0] = side * sway_cm / 128.0
    feat = features(com_lateral_legs=com, cm_per_leg=64.0)
    f = DETECTORS["balance"](feat, context(), r)
    assert f.verdict == want and f.measured == pytest.approx(sway_cm)


TEMPO = rule("tempo", ("lowering_s", 2.0, "s", "below"), ("rise_s", 2.0, "s", "above"),
             ("rise_s", 0.75, "s", "below"))


@pytest.mark.parametrize(("lowering", "rise", "want", "direction"), [
    (2.1, 1.2, "ok", None), (2.0, 1.2, "ok", None), (1.9, 1.2, "fault", "fast_lowering"),
    (2.5, 1.9, "ok", None), (2.5, 2.0, "ok", None), (2.5, 2.1, "fault", "slow_rise"),
    (2.5, 0.76, "ok", None), (2.5, 0.75, "ok", None), (2.5, 0.74, "fault", "fast_rise"),
])
def test_tempo(lowering: float, rise: float, want: str, direction: str | None) -> None:
    f = DETECTORS["tempo"](features(), context(lowering_s=lowering, rise_s=rise), TEMPO)
    assert f.verdict == want and f.direction == direction


@pytest.mark.parametrize(("lowering", "rise", "want"), [
    (1.9, 1.2, "ok"), (1.85, 1.2, "ok"), (1.84, 1.2, "fault"), (2.5, 2.15, "ok"), (2.5, 2.16, "fault"),
])
def test_tempo_allows_the_analysis_tolerance(lowering: float, rise: float, want: str) -> None:
    ctx = replace(context(lowering_s=lowering, rise_s=rise), tempo_tolerance_s=0.15)
    f = DETECTORS["tempo"](features(), ctx, TEMPO)
    assert f.verdict == want
    assert f.measured == pytest.approx(lowering if lowering < 2.0 else rise)
    assert (f.direction is None) == (want == "ok")


def test_missing_landmarks_are_not_assessable() -> None:
    r = rule("knee_caving", ("knee_over_foot_cm", 3.0, "cm", "above"))
    f = DETECTORS["knee_caving"](features(knee_over_foot_legs=np.full((T, 2), np.nan)), context(), r)
    assert f.verdict == "not_assessable" and f.confidence == 0.0


def test_confidence_grows_with_the_distance_from_the_limit() -> None:
    r = rule("knee_caving", ("knee_over_foot_cm", 3.0, "cm", "above"))
    base = features().knee_over_foot_legs
    near = DETECTORS["knee_caving"](features(knee_over_foot_legs=column(base, 0, 3.5 / 80)), context(), r)
    far = DETECTORS["knee_caving"](features(knee_over_foot_legs=column(base, 0, 12.0 / 80)), context(), r)
    assert 0.5 <= near.confidence < far.confidence <= 1.0


EXERCISE_RULES = rules_from_exercise(load_exercise("reverse_lunge"))
BLIND = [(code, view) for code, r in EXERCISE_RULES.items() for view in VIEWS if view not in r.views]


@pytest.mark.parametrize(("code", "view"), BLIND)
def test_a_view_that_cannot_judge_gives_not_assessable_with_the_hint(code: str, view: View) -> None:
    # signals that would be a clear fault anywhere: the view gate must still say not_assessable
    wild = features(knee_fppa_deg=np.full((T, 2), 40.0), pelvis_obliquity_deg=np.full(T, 30.0),
                    hip_flexion_deg=np.full((T, 2), 60.0), front_share=np.full((T, 2), 0.2),
                    heel_height_legs=np.full((T, 2), 0.5), knee_flexion_deg=np.full((T, 2), 20.0))
    f = run(wild, context(view=view), EXERCISE_RULES[code])
    assert f.verdict == "not_assessable"
    assert f.reason == EXERCISE_RULES[code].hint
    assert f.to_dict()["measured"] is None


@pytest.mark.parametrize("code", list(EXERCISE_RULES))
def test_an_unknown_view_is_not_assessable(code: str) -> None:
    f = run(features(), context(view="unknown"), EXERCISE_RULES[code])
    assert f.verdict == "not_assessable"


def test_every_mistake_can_be_judged_by_some_view() -> None:
    assert len(BLIND) > 0
    for code, r in EXERCISE_RULES.items():
        # the hands resting on the pelvis, as the guide asks, for the pelvis's angles
        view = cast(View, next(iter(sorted(r.views))))
        ok = run(features(wrist_obliquity_deg=np.zeros(T)), context(view=view), r)
        assert ok.verdict in ("ok", "fault"), code


def test_the_tempo_finding_and_the_reps_tempo_are_one_judgement() -> None:
    # the lowering is past its minimum by more than the tolerance; the rise, relatively further past
    # its own, is not: the rep's tempo calls the lowering fast, so must the finding
    ctx = dataclasses.replace(context(lowering_s=1.8, rise_s=0.6), tempo_tolerance_s=0.15)
    f = run(features(), dataclasses.replace(ctx, view="side"), EXERCISE_RULES["tempo"])
    rep_tempo = tempo_verdict(1.8, 0.6, lowering_s_min=2.0, rise_s_min=0.75, rise_s_max=2.0, tolerance_s=0.15)
    assert (rep_tempo.lowering, rep_tempo.rise) == ("fast", "ok")
    assert (f.verdict, f.direction, f.measured) == ("fault", "fast_lowering", 1.8)


def test_balance_moves_smoothly_as_a_frame_enters_the_deep_window() -> None:
    """Landmarks a hair apart (two pose backends, two runs) put a frame just inside or just outside
    "half-way down"; the sway must not jump with it (it moved 0.4-1 cm on real clips when a frame
    was all in or all out)."""
    r = rule("balance", ("com_sway_cm", 5.0, "cm", "above"))
    com = np.zeros((T, 2))
    com[:, 0] = 0.02 * np.sin(2 * np.pi * np.arange(T) / FPS)  # a 1 Hz wobble
    com[39, 0] = 0.06  # the weight still moving at the window's edge
    readings = []
    level = 0.5 * depth_profile()[PEAK]
    for depth_39 in (level - 1e-4, level + 1e-4):
        depth = depth_profile()
        depth[39] = depth_39
        f = DETECTORS["balance"](features(com_lateral_legs=com, cm_per_leg=80.0, depth=depth), context(), r)
        readings.append(f.measured if f.measured is not None else f.extra["near_limit_reading"])
    assert abs(readings[1] - readings[0]) < 0.02
