"""Hand-made signals for the detector tests: one rep whose depth rises and falls, any signal set."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from formcoach.analysis.prepare import Prepared
from formcoach.findings.context import RepContext
from formcoach.findings.model import Check, Rule
from formcoach.findings.signals import FindingFeatures
from formcoach.track import LM, N_LANDMARKS
from formcoach.vocab import Leg, View

FPS = 30.0
T = 150
#: the rep: baseline 0-20, lowering 20-60, bottom 60-90, rise 90-120, top 120-150
START, FIRST, PEAK, LAST, END = 20, 60, 75, 90, 120


def depth_profile() -> np.ndarray:
    """(T,) depth: 0 standing, ramps to 0.8 at the bottom and back."""
    d = np.zeros(T)
    d[START:FIRST] = np.linspace(0.0, 0.8, FIRST - START)
    d[FIRST:LAST] = 0.8
    d[LAST:END] = np.linspace(0.8, 0.0, END - LAST)
    return d


def deep_mask(frac: float = 0.5) -> np.ndarray:
    """(T,) frames at least ``frac`` of the peak depth deep."""
    return depth_profile() >= frac * 0.8


def _pixels() -> np.ndarray:
    """(T, 33, 2) landmarks all at the origin (the feet), but the hands: at the hips, 0.8 leg lengths
    (160 px) above the feet."""
    pixels = np.zeros((T, N_LANDMARKS, 2))
    pixels[:, [LM["left_wrist"], LM["right_wrist"]], 1] = -160.0
    return pixels


def features(**signals: Any) -> FindingFeatures:
    """A :class:`FindingFeatures` of a still, straight person doing one rep; ``signals`` replace fields."""
    zeros1, zeros2 = np.zeros(T), np.zeros((T, 2))
    prep = Prepared(times_s=np.arange(T) / FPS, world=np.zeros((T, N_LANDMARKS, 3)), pixels=_pixels(),
                    scale_px=np.full(T, 200.0), leg_length_m=0.8, fps=FPS, max_gap_s=0.25,
                    usable=np.ones(T, dtype=bool), source_world=np.zeros((T, N_LANDMARKS, 3)),
                    source_visibility=np.ones((T, N_LANDMARKS)))
    feat = FindingFeatures(
        times_s=prep.times_s, prepared=prep, up=np.array([0.0, -1.0, 0.0]), lateral=np.array([1.0, 0.0, 0.0]),
        pelvis_obliquity_deg=zeros1.copy(), wrist_obliquity_deg=np.full(T, np.nan),
        wrist_spread_legs=np.full(T, np.nan), wrist_perspective_legs=zeros1.copy(),
        pelvis_yaw_deg=zeros1.copy(), knee_fppa_deg=zeros2.copy(),
        knee_line_offset_legs=zeros2.copy(), knee_toe_offset_legs=zeros2.copy(),
        knee_over_foot_legs=zeros2.copy(), knee_over_ankle_legs=zeros2.copy(),
        front_share=np.full((T, 2), 0.72), com_lateral_legs=zeros2.copy(),
        heel_height_legs=zeros2.copy(), heel_level_legs=zeros2.copy(), ankle_level_legs=zeros2.copy(),
        knee_shake_deg=zeros2.copy(),
        hip_flexion_deg=zeros2.copy(),
        knee_flexion_deg=np.stack([depth_profile() * 110] * 2, 1), depth=depth_profile(),
        depth_from_image=np.zeros(T, dtype=bool), standing=depth_profile() < 0.15, cm_per_leg=80.0)
    return replace(feat, **signals)


def context(leg: Leg = "left", view: View = "front", lowering_s: float = 2.5, rise_s: float = 1.2,
            top: tuple[int, int] = (END, T)) -> RepContext:
    """The rep of :func:`depth_profile` as the detectors see it."""
    return RepContext(index=1, leg=leg, view=view, start=START, bottom_first=FIRST, peak=PEAK,
                      bottom_last=LAST,
                      end=END, baseline=(0, START + 1), top=top, lowering_s=lowering_s, rise_s=rise_s,
                      yaw_deg=float("nan"), tempo_tolerance_s=0.0, lunge_type="unknown")


def rule(code: str, *checks: tuple[str, float, str, str], views: tuple[str, ...] = ("front", "side", "rear",
                                                                                   "oblique")) -> Rule:
    """A rule with checks given as (signal, limit, unit, direction)."""
    return Rule(code=code, checks=tuple(Check(s, v, u, d) for s, v, u, d in checks),  # type: ignore[arg-type]
                views=frozenset(views), cue=f"cue for {code}", hint=f"film differently to check {code}")


def column(values: np.ndarray, front: int, value: float) -> np.ndarray:
    """(T, 2) copy of ``values`` with column ``front`` set to ``value`` on the deep frames."""
    out = values.copy()
    out[deep_mask(), front] = value
    return out
