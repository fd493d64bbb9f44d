"""Pelvic obliquity from the hip line and the wrist line (hands on the pelvis), on hand-made tracks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcoach.findings.detectors import DETECTORS
from formcoach.findings.pelvis import choose_cue, hands_on_pelvis, line_obliquity_deg, wrist_obliquity_deg
from formcoach.track import LM, N_LANDMARKS

from .helpers import FIRST, START, T, context, deep_mask, features, rule

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
    assert hands_on_pelvis(px, np.full(len(px), LEG_PX)).tolist() == [want] * len(px)


def test_wrist_obliquity_is_nan_without_the_hands_on_the_pelvis() -> None:
    px = np.concatenate([_person(25.0, 40.0, 8.0, n=3), _person(45.0, -10.0, 8.0, n=2)])
    got = wrist_obliquity_deg(px, _world(px), np.full(len(px), PX_PER_M), np.full(len(px), LEG_PX))
    assert got[:3] == pytest.approx([8.0] * 3) and np.isnan(got[3:]).all()


def test_choose_cue_needs_the_hands_on_the_pelvis_in_every_window() -> None:
    hips, wrists = np.zeros(10), np.ones(10)
    assert choose_cue(hips, wrists, [np.arange(5), np.arange(5, 10)])[1] == "wrists"
    wrists[:2] = np.nan  # 60 % of the first window: not enough
    assert choose_cue(hips, wrists, [np.arange(5), np.arange(5, 10)])[1] == "hips"
    assert choose_cue(hips, wrists, [np.arange(2, 10)])[1] == "wrists"
    assert choose_cue(hips, wrists, [np.arange(0)])[1] == "hips"


PELVIS = rule("pelvis_tilt", ("pelvis_obliquity_deg", 6.0, "deg", "above"),
              ("pelvis_rotation_deg", 10.0, "deg", "above"))


@pytest.mark.parametrize(("delta", "want"), [(-0.1, "ok"), (0.0, "ok"), (0.1, "fault")])
@pytest.mark.parametrize("leg", ["left", "right"])
def test_pelvis_tilt_reads_the_wrist_line_when_the_hands_rest_on_the_pelvis(delta: float, want: str,
                                                                           leg: str) -> None:
    sign = 1.0 if leg == "left" else -1.0
    wrists = np.where(deep_mask(0.8), sign * (6.0 + delta), 0.0) + 2.0  # any standing offset
    hips = np.where(deep_mask(0.8), sign * 1.0, 0.0)  # the hip landmarks barely move
    f = DETECTORS["pelvis_tilt"](features(pelvis_obliquity_deg=hips, wrist_obliquity_deg=wrists),
                                 context(leg=leg), PELVIS)
    assert f.verdict == want and f.measured == pytest.approx(6.0 + delta)
    assert f.extra["obliquity_cue"] == "wrists"
    assert f.extra["hip_line_deg"] == pytest.approx(1.0)
    assert f.extra["wrist_line_deg"] == pytest.approx(6.0 + delta)


def test_pelvis_tilt_falls_back_to_the_hip_line() -> None:
    wrists = np.where(deep_mask(0.8), 9.0, 0.0)
    wrists[:START // 2] = np.nan  # hands on the pelvis only late in the standing baseline
    hips = np.where(deep_mask(0.8), 7.0, 0.0)
    f = DETECTORS["pelvis_tilt"](features(pelvis_obliquity_deg=hips, wrist_obliquity_deg=wrists),
                                 context(leg="left"), PELVIS)
    assert f.extra["obliquity_cue"] == "hips" and f.measured == pytest.approx(7.0) and f.verdict == "fault"


@pytest.mark.parametrize(("delta", "want"), [(-0.1, "ok"), (0.0, "ok"), (0.1, "fault")])
def test_hip_drop_reads_the_wrist_line(delta: float, want: str) -> None:
    r = rule("hip_drop", ("hip_drop_deg", 5.0, "deg", "above"))
    wrists = np.zeros(T)
    wrists[START + 3:FIRST - 15] = -(5.0 + delta)  # right leg leads: the left (back) side drops
    f = DETECTORS["hip_drop"](features(wrist_obliquity_deg=wrists), context(leg="right"), r)
    assert f.verdict == want and f.measured == pytest.approx(5.0 + delta)
    assert f.extra["obliquity_cue"] == "wrists"
