"""Pelvic obliquity from the hip line and the wrist line (hands on the pelvis), and the pelvis's twist
seen from the side from the hands on it, on hand-made tracks."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from formcoach.exercise import FindingDetection, load_exercise
from formcoach.findings import verdicts
from formcoach.findings.detectors import DETECTORS, run
from formcoach.findings.model import Check, Rule
from formcoach.findings.pelvis import (
    choose_cue,
    facing_sign,
    hands_on_pelvis,
    line_obliquity_deg,
    perspective_spread_legs,
    side_twist_deg,
    wrist_obliquity_deg,
    wrist_spread_legs,
)
from formcoach.findings.signals import FindingFeatures
from formcoach.findings.views import rules_from_exercise
from formcoach.track import LM, N_LANDMARKS
from formcoach.vocab import Leg, View
from formcoach.wording import NO_HANDS, NO_HANDS_TILT, TRAVEL, TURNED_STANDING

from .helpers import FIRST, START, T, context, deep_mask, features, rule

#: the packaged exercise file's detector settings (its finding_detection equals the schema's defaults)
PARAMS = FindingDetection()

@pytest.fixture(autouse=True)
def _no_unsure_band(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit's crossing without the "too close to tell" band (tested in test_unsure.py)."""
    monkeypatch.setattr(verdicts, "UNSURE_Z", 0.0)

LEG_PX = 200.0
HIP_HALF_PX = 20.0
PX_PER_M = 250.0


def _person(wrist_dx_px: float, wrist_rise_px: float, tilt_deg: float = 0.0, n: int = 4) -> np.ndarray:
    """(n, 33, 2) pixels of a person facing the camera, hips at x 300 +- 20 (the person's left on the
    image right), each wrist ``wrist_dx_px`` outside its hip and ``wrist_rise_px`` above it; the
    wrists' line tilted ``tilt_deg`` (+ = the person's left side higher) about their midpoint."""
    px = np.full((n, N_LANDMARKS, 2), 300.0)
    px[:, :, 1] = 500.0
    px[:, LM["left_hip"]] = (300.0 + HIP_HALF_PX, 400.0)
    px[:, LM["right_hip"]] = (300.0 - HIP_HALF_PX, 400.0)
    half = HIP_HALF_PX + wrist_dx_px
    rise = half * math.tan(math.radians(tilt_deg))
    px[:, LM["left_wrist"]] = (300.0 + half, 400.0 - wrist_rise_px - rise)
    px[:, LM["right_wrist"]] = (300.0 - half, 400.0 - wrist_rise_px + rise)
    return px


def _world(pixels: np.ndarray) -> np.ndarray:
    """World points of a flat person facing the camera: the pixels over ``PX_PER_M``, depth 0."""
    return np.concatenate([pixels / PX_PER_M, np.zeros((*pixels.shape[:2], 1))], axis=2)


@pytest.mark.parametrize("tilt", [-12.0, -6.0, 0.0, 6.0, 12.0])
def test_wrist_line_reads_the_tilt(tilt: float) -> None:
    px = _person(25.0, 40.0, tilt)
    got = line_obliquity_deg(px, _world(px), np.full(len(px), PX_PER_M), "wrist")
    assert got == pytest.approx(np.full(len(px), tilt), abs=1e-6)


def test_a_turned_body_does_not_inflate_the_tilt() -> None:
    px = _person(25.0, 40.0, 10.0)
    world = _world(px)
    seen = px.copy()
    seen[:, :, 0] = 300.0 + (px[:, :, 0] - 300.0) * 0.5  # turned 60 deg: half as wide in the image
    got = line_obliquity_deg(seen, world, np.full(len(px), PX_PER_M), "wrist")
    assert got == pytest.approx(np.full(len(px), 10.0), abs=0.05)


@pytest.mark.parametrize(("dx", "rise", "want"), [
    (25.0, 40.0, True),      # hands on the iliac crests: 0.2 leg lengths above the hip, just outside
    (25.0, 13.0, True),      # a little above the hip, still resting (0.065 leg lengths)
    (25.0, 10.0, False),     # level with the hip: arms hanging
    (45.0, -10.0, False),    # arms hanging by the sides
    (60.0, 40.0, False),     # hands held out to the sides
    (25.0, 90.0, False),     # hands at the chest
    (-15.0, 40.0, False),    # hands joined in front of the belly: wrists closer than the hips
])
def test_hands_on_pelvis(dx: float, rise: float, want: bool) -> None:
    px = _person(dx, rise)
    assert hands_on_pelvis(px, np.full(len(px), LEG_PX), PARAMS).tolist() == [want] * len(px)


def test_wrist_obliquity_is_nan_without_the_hands_on_the_pelvis() -> None:
    px = np.concatenate([_person(25.0, 40.0, 8.0, n=3), _person(45.0, -10.0, 8.0, n=2)])
    got = wrist_obliquity_deg(px, _world(px), np.full(len(px), PX_PER_M), np.full(len(px), LEG_PX), PARAMS)
    assert got[:3] == pytest.approx([8.0] * 3) and np.isnan(got[3:]).all()


def test_choose_cue_needs_the_hands_on_the_pelvis_in_every_window() -> None:
    hips, wrists = np.zeros(10), np.ones(10)
    assert choose_cue(hips, wrists, [np.arange(5), np.arange(5, 10)], PARAMS.hands_share_min)[1] == "wrists"
    wrists[:2] = np.nan  # 60 % of the first window: not enough
    assert choose_cue(hips, wrists, [np.arange(5), np.arange(5, 10)], PARAMS.hands_share_min)[1] == "hips"
    assert choose_cue(hips, wrists, [np.arange(2, 10)], PARAMS.hands_share_min)[1] == "wrists"
    assert choose_cue(hips, wrists, [np.arange(0)], PARAMS.hands_share_min)[1] == "hips"


PELVIS = rule("pelvis_tilt", ("pelvis_obliquity_deg", 6.0, "deg", "above"),
              ("pelvis_rotation_deg", 10.0, "deg", "above"))


@pytest.mark.parametrize(("delta", "want"), [(-0.1, "ok"), (0.0, "ok"), (0.1, "fault")])
@pytest.mark.parametrize("leg", ["left", "right"])
def test_pelvis_tilt_reads_the_wrist_line_when_the_hands_rest_on_the_pelvis(delta: float, want: str,
                                                                           leg: Leg) -> None:
    sign = 1.0 if leg == "left" else -1.0
    wrists = np.where(deep_mask(0.8), sign * (6.0 + delta), 0.0) + 2.0  # any standing offset
    hips = np.where(deep_mask(0.8), sign * 1.0, 0.0)  # the hip landmarks barely move
    f = DETECTORS["pelvis_tilt"](features(pelvis_obliquity_deg=hips, wrist_obliquity_deg=wrists),
                                 context(leg=leg), PELVIS)
    assert f.verdict == want and f.measured == pytest.approx(6.0 + delta)
    assert f.extra["obliquity_cue"] == "wrists"
    assert f.extra["hip_line_deg"] == pytest.approx(1.0)
    assert f.extra["wrist_line_deg"] == pytest.approx(6.0 + delta)


def test_without_the_hands_on_the_pelvis_its_tilt_and_drop_are_not_judged() -> None:
    wrists = np.where(deep_mask(0.8), 9.0, 0.0)
    wrists[:START // 2] = np.nan  # hands on the pelvis only late in the standing baseline
    hips = np.where(deep_mask(0.8), 7.0, 0.0)
    feat = features(pelvis_obliquity_deg=hips, wrist_obliquity_deg=wrists)
    tilt = rule("pelvis_tilt", ("pelvis_obliquity_deg", 6.0, "deg", "above"))
    f = DETECTORS["pelvis_tilt"](feat, context(leg="left"), tilt)
    assert f.verdict == "not_assessable" and f.reason == f"{NO_HANDS_TILT}; {tilt.hint}"
    drop = rule("hip_drop", ("hip_drop_deg", 5.0, "deg", "above"))
    f = DETECTORS["hip_drop"](feat, context(leg="left"), drop)
    assert f.verdict == "not_assessable" and f.reason == f"{NO_HANDS_TILT}; {drop.hint}"


@pytest.mark.parametrize(("delta", "want"), [(-0.1, "ok"), (0.0, "ok"), (0.1, "fault")])
def test_hip_drop_reads_the_wrist_line(delta: float, want: str) -> None:
    r = rule("hip_drop", ("hip_drop_deg", 5.0, "deg", "above"))
    wrists = np.zeros(T)
    wrists[START + 3:FIRST - 15] = -(5.0 + delta)  # right leg leads: the left (back) side drops
    f = DETECTORS["hip_drop"](features(wrist_obliquity_deg=wrists), context(leg="right"), r)
    assert f.verdict == want and f.measured == pytest.approx(5.0 + delta)
    assert f.extra["obliquity_cue"] == "wrists"


# --- the twist, seen from the side -------------------------------------------------------------

BASE, BOTTOM = np.arange(0, START + 1), np.flatnonzero(deep_mask(0.8))


def _spread_for(twist_deg: float, facing: float, side_sign: float, offset: float = 0.03) -> np.ndarray:
    """(T,) left-minus-right wrist spread, leg lengths: ``offset`` standing, and at the bottom the
    spread a ``twist_deg`` twist adds for a person facing ``facing`` with ``side_sign``'s leg in front."""
    change = facing * side_sign * PARAMS.hands_width_legs * math.sin(math.radians(twist_deg))
    return np.where(deep_mask(0.8), offset + change, offset)


@pytest.mark.parametrize("twist", [-18.0, -10.0, 0.0, 5.0, 10.0, 18.0])
@pytest.mark.parametrize(("facing", "side_sign"), [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)])
def test_side_twist_is_the_arcsine_of_the_change_in_the_hands_spread(twist: float, facing: float,
                                                                      side_sign: float) -> None:
    spread = _spread_for(twist, facing, side_sign)
    got, why_not = side_twist_deg(spread, np.zeros(T), BASE, BOTTOM, facing, side_sign, PARAMS)
    assert got == pytest.approx(twist, abs=1e-9) and why_not is None


def test_side_twist_needs_the_hands_on_the_pelvis_in_both_windows() -> None:
    spread = _spread_for(18.0, 1.0, 1.0)
    spread[:START // 2] = np.nan  # hands on the pelvis on half of the standing baseline only
    got, why_not = side_twist_deg(spread, np.zeros(T), BASE, BOTTOM, 1.0, 1.0, PARAMS)
    assert math.isnan(got) and why_not == NO_HANDS
    got, why_not = side_twist_deg(np.full(T, np.nan), np.zeros(T), BASE, BOTTOM, 1.0, 1.0, PARAMS)
    assert math.isnan(got) and why_not == NO_HANDS


@pytest.mark.parametrize(("drawn_deg", "readable"), [(5.9, True), (6.1, False), (-6.1, False)])
def test_side_twist_is_not_read_when_the_perspective_part_changes_too_much(drawn_deg: float,
                                                                          readable: bool) -> None:
    perspective = np.where(deep_mask(0.8), PARAMS.hands_width_legs * math.sin(math.radians(drawn_deg)), 0.0)
    got, why_not = side_twist_deg(_spread_for(4.0, 1.0, 1.0), perspective, BASE, BOTTOM, 1.0, 1.0, PARAMS)
    assert (why_not is None) is readable
    assert got == pytest.approx(4.0) if readable else (math.isnan(got) and why_not == TRAVEL)


def _side_view_person(offset_m: float, leg_m: float = 0.8, distance_m: float = 2.5,
                      frame: tuple[float, float] = (640.0, 360.0)) -> tuple[np.ndarray, np.ndarray, float]:
    """(pixels (1, 33, 2), world (1, 33, 3), image leg length px) of a square pelvis seen from the
    side by a pinhole camera with ``PARAMS.camera_fov_deg``: the hands on it
    ``PARAMS.hands_width_legs`` leg lengths apart along the camera's axis (the left one nearer),
    ``offset_m`` forwards of the camera's axis."""
    focal = 0.5 * max(frame) / math.tan(math.radians(PARAMS.camera_fov_deg) / 2.0)
    half = 0.5 * PARAMS.hands_width_legs * leg_m
    px = np.full((1, N_LANDMARKS, 2), 100.0)
    world = np.zeros((1, N_LANDMARKS, 3))
    scale = focal * leg_m / distance_m
    for side, depth in (("left", -half), ("right", half)):
        x = frame[0] / 2 + focal * offset_m / (distance_m + depth)
        px[0, LM[f"{side}_wrist"]] = (x, 150.0)
        px[0, LM[f"{side}_hip"]] = (x, 150.0 + 0.15 * scale)  # the hands 0.15 leg lengths above the hips
        world[0, LM[f"{side}_wrist"], 2] = depth
    return px, world, scale


@pytest.mark.parametrize("offset_m", [-0.6, 0.0, 0.4])
def test_the_perspective_part_is_all_a_square_pelvis_shows_from_the_side(offset_m: float) -> None:
    px, world, scale = _side_view_person(offset_m)
    scale_px = np.full(1, scale)
    perspective = perspective_spread_legs(px, world, (640.0, 360.0), PARAMS.camera_fov_deg,
                                          PARAMS.hands_width_legs)
    raw = (px[0, LM["left_wrist"], 0] - px[0, LM["right_wrist"], 0]) / scale
    assert raw == pytest.approx(perspective[0], abs=2e-4)
    assert wrist_spread_legs(px, scale_px, perspective, PARAMS)[0] == pytest.approx(0.0, abs=2e-4)
    if offset_m:
        assert abs(raw) > 0.03  # worth 4-5 deg of twist uncorrected


def test_the_side_view_hands_test_leaves_out_the_spread_across_the_image() -> None:
    px = _person(0.0, 40.0)
    px[:, LM["right_wrist"], 0] = px[:, LM["left_wrist"], 0] = 300.0  # side on: the hands overlap...
    px[:, LM["right_hip"], 0], px[:, LM["left_hip"], 0] = 298.0, 302.0  # ...and so do the hips
    scale = np.full(len(px), LEG_PX)
    assert not hands_on_pelvis(px, scale, PARAMS).any()
    assert hands_on_pelvis(px, scale, PARAMS, frontal=False).all()
    hanging = _person(0.0, -10.0)
    assert not hands_on_pelvis(hanging, scale, PARAMS, frontal=False).any()


def test_facing_sign_follows_the_front_foot() -> None:
    px = np.zeros((4, N_LANDMARKS, 2))
    px[:, LM["left_heel"], 0], px[:, LM["left_foot_index"], 0] = 100.0, 140.0
    assert facing_sign(px, "left", np.arange(4)) == 1.0
    assert facing_sign(-px, "left", np.arange(4)) == -1.0
    assert math.isnan(facing_sign(px, "right", np.arange(4)))  # both at 0: no direction
    px[:, LM["right_heel"]] = np.nan
    assert math.isnan(facing_sign(px, "right", np.arange(4)))


def _side_features(twist_deg: float, leg: Leg, **signals: object) -> FindingFeatures:
    """Features of one rep filmed from the side, the person facing the image's right, with the hands
    on the pelvis and a twist of ``twist_deg`` at the bottom."""
    feat = features(wrist_spread_legs=_spread_for(twist_deg, 1.0, 1.0 if leg == "left" else -1.0), **signals)
    px = feat.prepared.pixels.copy()
    for side in ("left", "right"):
        px[:, LM[f"{side}_heel"], 0], px[:, LM[f"{side}_foot_index"], 0] = 100.0, 140.0
    return replace(feat, prepared=replace(feat.prepared, pixels=px))


#: pelvis_tilt as the exercise files have it: the tilt from the front and behind, the twist from the side
BY_VIEW = Rule("pelvis_tilt",
               (Check("pelvis_obliquity_deg", 6.0, "deg", "above", frozenset({"front", "rear"})),
                Check("pelvis_rotation_deg", 10.0, "deg", "above", frozenset({"side"}))),
               frozenset({"front", "rear", "side"}), "Hips square and level.", "film to see it")


@pytest.mark.parametrize(("delta", "want"), [(-0.1, "ok"), (0.0, "ok"), (0.1, "fault")])
@pytest.mark.parametrize("sign", [1.0, -1.0])
@pytest.mark.parametrize("leg", ["left", "right"])
def test_the_side_view_judges_the_twist_at_its_limit(delta: float, want: str, sign: float, leg: Leg) -> None:
    f = run(_side_features(sign * (10.0 + delta), leg), context(leg=leg, view="side"), BY_VIEW)
    assert f.verdict == want and f.measured == pytest.approx(10.0 + delta) and f.limit == 10.0
    assert f.extra["rotation_deg"] == pytest.approx(sign * (10.0 + delta))
    assert f.extra["rotation_cue"] == "wrists" and f.direction == ("rotation" if want == "fault" else None)


def test_the_side_view_does_not_judge_the_tilt() -> None:
    tilted = np.where(deep_mask(0.8), 30.0, 0.0)
    f = run(_side_features(2.0, "left", pelvis_obliquity_deg=tilted), context(view="side"), BY_VIEW)
    assert f.verdict == "ok" and f.measured == pytest.approx(2.0) and f.extra["obliquity_deg"] == 30.0


def test_the_side_view_without_the_hands_on_the_pelvis_is_not_assessable() -> None:
    f = run(features(), context(view="side"), BY_VIEW)
    assert f.verdict == "not_assessable" and f.reason == f"{NO_HANDS}; film to see it"


def test_the_front_judges_the_tilt_but_not_the_world_hip_line_twist() -> None:
    view: View = "front"
    rule_ = rules_from_exercise(load_exercise("reverse_lunge"))["pelvis_tilt"]
    yaw = np.where(deep_mask(0.8), 30.0, 0.0)  # the world hip line turning far past the twist limit
    hands = np.zeros(T)  # resting on a level pelvis
    f = run(features(pelvis_yaw_deg=yaw, wrist_obliquity_deg=hands), context(view=view), rule_)
    assert f.verdict == "ok" and f.limit == 6.0
    assert f.extra["rotation_deg"] == pytest.approx(30.0) and f.extra["rotation_cue"] == "hips"
    assert f.extra["hip_line_yaw_deg"] == pytest.approx(30.0)
    tilted = np.where(deep_mask(0.8), 8.0, 0.0)
    f = run(features(pelvis_yaw_deg=yaw, wrist_obliquity_deg=tilted), context(view=view), rule_)
    assert f.verdict == "fault" and f.direction == "tilt" and f.measured == pytest.approx(8.0)
    # without the hands on the pelvis its tilt is not judged, whatever the hip points say
    f = run(features(pelvis_yaw_deg=yaw, pelvis_obliquity_deg=tilted), context(view=view), rule_)
    assert f.verdict == "not_assessable" and f.reason == f"{NO_HANDS_TILT}; {rule_.hint}"
    assert f.to_dict()["measured"] is None


@pytest.mark.parametrize("window", ["before", "after"])
def test_a_standing_read_the_wrong_way_round_leaves_the_pelvis_unjudged(window: str) -> None:
    """Where the pose model read the person the wrong way round while she stood (relabelled by the
    analysis), the hands on the pelvis it drew are a guess: a 12 deg tilt and a drop measured against
    that standing are "couldn't tell", with the reason; the same rep read the right way round is
    judged."""
    tilted = np.where(deep_mask(0.8), 12.0, 0.0)
    feat = features(wrist_obliquity_deg=tilted)
    tilt = rule("pelvis_tilt", ("pelvis_obliquity_deg", 6.0, "deg", "above"))
    drop = rule("hip_drop", ("hip_drop_deg", 5.0, "deg", "above"))
    assert DETECTORS["pelvis_tilt"](feat, context(leg="left"), tilt).verdict == "fault"
    turned = np.zeros(T, dtype=bool)
    turned[: START + 1] = window == "before"
    turned[START + 100:] = window == "after"
    feat = replace(feat, prepared=replace(feat.prepared, relabelled=turned))
    for code, r in (("pelvis_tilt", tilt), ("hip_drop", drop)):
        f = DETECTORS[code](feat, context(leg="left"), r)
        assert f.verdict == "not_assessable" and f.reason is not None and TURNED_STANDING in f.reason
    # a few relabelled frames in the standing do not
    few = np.zeros(T, dtype=bool)
    few[:3] = True
    feat = replace(feat, prepared=replace(feat.prepared, relabelled=few))
    assert DETECTORS["pelvis_tilt"](feat, context(leg="left"), tilt).verdict == "fault"
