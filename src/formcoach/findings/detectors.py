"""One pure detector per mistake: ``(features, rep, rule) -> Finding``.

No I/O, no printing. Limits, views and cue text arrive in the :class:`Rule` built from the exercise
file; the windows of the rep in the :class:`RepContext`. Statistics over a window are robust ones
(medians and percentiles of low-passed signals) so that one bad frame cannot make a fault.

The view gate is :func:`run`: a rep filmed from a view the exercise file lists for none of a
mistake's checks gets ``not_assessable`` with the file's hint, and the detector is not consulted;
otherwise the detector sees only the checks that view can judge.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from formcoach.findings.context import RepContext
from formcoach.findings.model import Finding, Rule, not_assessable
from formcoach.findings.pelvis_detectors import hip_drop, pelvis_tilt
from formcoach.findings.signals import FindingFeatures, sway_range
from formcoach.findings.verdicts import (
    BOTTOM_FRAC,
    DEEP_FRAC,
    PEAK_PCT,
    Detector,
    Reading,
    baseline_median,
    deep_frames,
    nan_median,
    percentile,
    quality,
    side_of,
    signed_peak,
    verdict,
)
from formcoach.track import LM

#: the feet must stand this far apart across the image, leg lengths, before the front foot counts as
#: clear of the back one (from the side the far foot hides behind the near one while standing)
CLEAR_FEET_LEGS = 0.25
#: how long after the feet first stand clear the front heel's floor level is read, seconds
CLEAR_WINDOW_S = 0.2
#: the front heel counts as planted while its image speed stays under this, leg lengths a second: a
#: stepping foot moves at 1-5 (the real clips' forward lunges), a planted one under 0.3 (pose jitter
#: as the other foot passes it on the rendered athlete)
PLANTED_LEGS_S = 0.5

def knee_caving(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Front knee's frontal-plane projection angle (image), degrees: the largest (90th percentile)
    over the frames at least half-way down; "in" (valgus) or "out" (varus)."""
    frames = deep_frames(feat, ctx, DEEP_FRAC)
    fppa = signed_peak(feat.knee_fppa_deg[frames, ctx.front])
    s = ctx.leg
    q = quality(feat, frames, (f"{s}_hip", f"{s}_knee", f"{s}_ankle"))
    direction = "in" if fppa >= 0 else "out"
    offset = signed_peak(feat.knee_toe_offset_legs[frames, ctx.front]) * feat.cm_per_leg
    return verdict(rule, ctx, rule.main, Reading(abs(fppa), frames, q), direction=direction, signed_deg=fppa,
                   knee_over_toe_offset_cm=offset)


#: lunges whose feet stay apart between reps, so that there is no standing top to judge the hip at
NO_STANDING_TOP = {"split_squat": "the feet stay apart between reps in a split squat, so there is no "
                                  "standing top to judge the hip at"}


def hip_not_extended(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Front hip flexion left at the top, degrees: a low (20th) percentile over the standing frames
    between the rep's end and the next step back. Not assessable in a split squat
    (:data:`NO_STANDING_TOP`), whose top is the split stance with the front hip bent."""
    if ctx.lunge_type in NO_STANDING_TOP:
        return not_assessable(rule, ctx.index, ctx.leg, (ctx.end, ctx.end),
                              reason=NO_STANDING_TOP[ctx.lunge_type])
    frames = np.arange(*ctx.top)
    if len(frames) < 2:
        return not_assessable(rule, ctx.index, ctx.leg, (ctx.end, ctx.end),
                              reason=f"the next rep began before standing tall; {rule.hint}")
    value = percentile(feat.hip_flexion_deg[frames, ctx.front], 20.0)
    s = ctx.leg
    q = quality(feat, frames, (f"{s}_shoulder", f"{s}_hip", f"{s}_knee"))
    return verdict(rule, ctx, rule.main, Reading(value, frames, q), direction="bent")


def back_leg_weight(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Share of body weight over the front foot at the bottom, a fraction: the median over the bottom
    frames of where the centre of mass (de Leva segment masses) falls between the feet."""
    frames = deep_frames(feat, ctx, BOTTOM_FRAC)
    share = feat.front_share[frames, ctx.front]
    value = float(np.nanmedian(share)) if np.isfinite(share).any() else math.nan
    b = side_of(ctx, front=False)
    q = quality(feat, frames, (f"{ctx.leg}_heel", f"{ctx.leg}_foot_index", f"{b}_foot_index"))
    return verdict(rule, ctx, rule.main, Reading(value, frames, q), direction="back")


def clear_foot_frames(feat: FindingFeatures, ctx: RepContext) -> np.ndarray:
    """Frames of the lowering from the first one with the ankles ``CLEAR_FEET_LEGS`` leg lengths apart
    across the image, for ``CLEAR_WINDOW_S`` seconds, provided the front foot has stayed planted (heel
    and toe under ``PLANTED_LEGS_S``) from the rep's start: the front foot on the floor and in clear
    view as the back foot steps clear of it, before the knee travels far over it. Empty when the
    front foot steps (a forward lunge) or the feet never stand that far apart (a view from the front
    or behind)."""
    pixels, scale = feat.prepared.pixels, feat.prepared.scale_px
    idx = np.arange(ctx.start, ctx.peak + 1)
    if len(feat.times_s) < 2:
        return idx[:0]
    foot = pixels[:, [LM[f"{ctx.leg}_heel"], LM[f"{ctx.leg}_foot_index"]]]
    speed = np.linalg.norm(np.gradient(foot, feat.times_s, axis=0), axis=-1).max(axis=1)[idx] / scale[idx]
    planted = np.logical_and.accumulate(np.nan_to_num(speed, nan=np.inf) <= PLANTED_LEGS_S)
    x = pixels[idx][:, [LM[f"{ctx.leg}_ankle"], LM[f"{side_of(ctx, front=False)}_ankle"]], 0]
    clear = idx[planted & (np.nan_to_num(np.abs(x[:, 0] - x[:, 1]) / scale[idx], nan=0.0) >= CLEAR_FEET_LEGS)]
    if not len(clear):
        return np.asarray(clear)
    return np.asarray(clear[feat.times_s[clear] <= feat.times_s[clear[0]] + CLEAR_WINDOW_S])


def heel_lift(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Rise of the front heel over its floor level, centimetres (leg lengths x the person's leg
    length): the 90th percentile over the frames at least half-way down.

    Each frame's rise is the smaller of two readings: the heel's height over its own toe, and the
    heel's level in the frame (the camera stands still). A lifted heel rises in both; BlazePose's
    habit of sinking the toe of a planted foot in a deep lunge (seen on the rendered athlete) shows in
    the first only, and camera shake in the second only. Both are read against the frames just after
    the back foot has stepped clear of the front one (:func:`clear_foot_frames`), or the standing
    frames when it never does: from the side, the far foot hides behind the near one while standing
    and the pose model places its heel and toe there by guesswork (2 cm low on the rendered athlete).
    """
    frames = deep_frames(feat, ctx, DEEP_FRAC)
    clear = clear_foot_frames(feat, ctx)
    over_toe = feat.heel_height_legs[:, ctx.front]
    level = feat.heel_level_legs[:, ctx.front]
    base_toe, base_level = nan_median(over_toe[clear]), nan_median(level[clear])
    seen = math.isfinite(base_toe) and math.isfinite(base_level)
    if not seen:
        base_toe, base_level = baseline_median(over_toe, ctx), baseline_median(level, ctx)
    lift = np.fmin(over_toe[frames] - base_toe, level[frames] - base_level) * feat.cm_per_leg
    value = percentile(lift, PEAK_PCT)
    q = quality(feat, frames, (f"{ctx.leg}_heel", f"{ctx.leg}_foot_index"))
    return verdict(rule, ctx, rule.main, Reading(value, frames, q), direction="up",
                   baseline="clear_foot" if seen else "standing")


#: said when the world landmarks are flattened along the camera's axis (seen from the front or behind)
FLATTENED = ("the pose model's 3-D view of this video is flattened front to back, so knee angles read "
             "too small")


def shallow_depth(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Front knee flexion at the bottom, degrees: the largest over the bottom frames. Not assessable
    where the world landmarks are flattened along the camera's axis at the rep's bottom
    (``feat.depth_from_image``): their knee angles then read a full lunge as a shallow one."""
    if bool(feat.depth_from_image[ctx.peak]):
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=f"{FLATTENED}; {rule.hint}")
    frames = deep_frames(feat, ctx, BOTTOM_FRAC)
    knee = feat.knee_flexion_deg[frames, ctx.front]
    value = float(np.nanmax(knee)) if np.isfinite(knee).any() else math.nan
    s = ctx.leg
    q = quality(feat, frames, (f"{s}_hip", f"{s}_knee", f"{s}_ankle"))
    return verdict(rule, ctx, rule.main, Reading(value, frames, q), direction="shallow",
                   depth=float(feat.depth[ctx.peak]))


def balance(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Side-to-side sway of the centre of mass over the front ankle (along the standing hip line in
    the image), centimetres, while at least half-way down: the 5-95 % range after the steady shift of weight
    (a straight line over the window) is taken out. The front knee's shake (RMS above 5 Hz,
    degrees) is reported with it."""
    frames = deep_frames(feat, ctx, DEEP_FRAC)
    # not divided by the cosine of the facing angle: from 45 deg that lifts the noise floor (3-3.5 cm)
    # and the fore-aft shift of weight as much as the sway, and raised false faults in the benchmark
    lateral_cm = feat.com_lateral_legs[frames, ctx.front] * feat.cm_per_leg
    value = sway_range(feat.times_s[frames], lateral_cm)
    shake = feat.knee_shake_deg[ctx.bottom_first:ctx.bottom_last + 1, ctx.front]
    shake_deg = float(np.sqrt(np.nanmean(shake**2))) if np.isfinite(shake).any() else None
    q = quality(feat, frames, ("left_hip", "right_hip", "left_shoulder", "right_shoulder"))
    return verdict(rule, ctx, rule.main, Reading(value, frames, q), direction="sway",
                   front_knee_shake_deg=shake_deg)


def tempo(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Lowering and rise durations, seconds, against each of the file's tempo checks; the check
    furthest past its limit (relative to the limit) is the one reported. A phase is a fault only
    when it is past its limit by more than ``ctx.tempo_tolerance_s``, as in the rep analysis's own
    tempo verdict, so the two never disagree."""
    values = {"lowering_s": ctx.lowering_s, "rise_s": ctx.rise_s}
    labels = {("lowering_s", "below"): "fast_lowering", ("lowering_s", "above"): "slow_lowering",
              ("rise_s", "above"): "slow_rise", ("rise_s", "below"): "fast_rise"}
    scored = [(c.excess(values[c.signal]) / max(abs(c.limit), 1e-9), c)
              for c in rule.checks if c.signal in values]
    if not scored:
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames)
    _, worst = max(scored, key=lambda sc: sc[0])
    frames = np.arange(ctx.start, ctx.end + 1)
    found = verdict(rule, ctx, worst, Reading(values[worst.signal], frames, 1.0),
                    direction=labels.get((worst.signal, worst.direction)), lowering_s=ctx.lowering_s,
                    rise_s=ctx.rise_s)
    if found.verdict == "fault" and worst.excess(values[worst.signal]) <= ctx.tempo_tolerance_s:
        return replace(found, verdict="ok", direction=None)
    return found


DETECTORS: dict[str, Detector] = {
    "pelvis_tilt": pelvis_tilt, "knee_caving": knee_caving, "hip_drop": hip_drop,
    "hip_not_extended": hip_not_extended, "back_leg_weight": back_leg_weight, "heel_lift": heel_lift,
    "shallow_depth": shallow_depth, "balance": balance, "tempo": tempo,
}


def run(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """The finding of ``rule`` on one rep: ``not_assessable`` (with the file's hint) when the rep's
    view can judge none of its checks, else its detector's verdict on the checks that view can judge
    (:meth:`~formcoach.findings.model.Rule.for_view`)."""
    judged = rule.for_view(ctx.view)
    if judged is None:
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames)
    return DETECTORS[rule.code](feat, ctx, judged)
