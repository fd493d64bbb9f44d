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
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from formcoach.findings.context import BASELINE_S, RepContext
from formcoach.findings.model import Check, Finding, Rule, not_assessable
from formcoach.findings.pelvis import choose_cue, facing_sign, side_twist_deg
from formcoach.findings.signals import FindingFeatures, sway_range
from formcoach.track import LM

#: typical measurement error per unit, from the benchmark's magnitude errors: a value this far past
#: its limit gets a confidence of about 0.88 (0.5 + 0.5 tanh 1), one at the limit 0.5
SIGMA: dict[str, float] = {"deg": 3.0, "cm": 1.0, "fraction": 0.05, "s": 0.15}
#: share of the rep's peak depth above which a frame is "in the lunge" (knee bent enough to judge)
DEEP_FRAC = 0.5
#: share of the peak depth that counts as the bottom of the rep
BOTTOM_FRAC = 0.8
#: percentile used for "largest" values, so that a single jittery frame does not decide
PEAK_PCT = 90.0

#: the feet must stand this far apart across the image, leg lengths, before the front foot counts as
#: clear of the back one (from the side the far foot hides behind the near one while standing)
CLEAR_FEET_LEGS = 0.25
#: how long after the feet first stand clear the front heel's floor level is read, seconds
CLEAR_WINDOW_S = 0.2
#: the front heel counts as planted while its image speed stays under this, leg lengths a second: a
#: stepping foot moves at 1-5 (the real clips' forward lunges), a planted one under 0.3 (pose jitter
#: as the other foot passes it on the rendered athlete)
PLANTED_LEGS_S = 0.5

#: measured values are rounded to this many decimals before they meet the limit, so that float noise
#: (1e-15 of a degree) cannot decide a verdict at the limit
VALUE_DIGITS = 6

Detector = Callable[[FindingFeatures, RepContext, Rule], Finding]


def _side(ctx: RepContext, front: bool = True) -> str:
    return ctx.leg if front else ("right" if ctx.leg == "left" else "left")


def quality(feat: FindingFeatures, frames: np.ndarray, names: Sequence[str]) -> float:
    """Mean BlazePose visibility (0..1) of landmarks ``names`` over ``frames``; 0 when unseen."""
    if len(frames) == 0:
        return 0.0
    cols = np.array([LM[n] for n in names], dtype=int)
    vis = feat.prepared.visibility[np.ix_(frames, cols)]
    value = float(np.nanmean(vis)) if np.isfinite(vis).any() else 0.0
    return float(np.clip(value, 0.0, 1.0))


def confidence(check: Check, value: float, landmark_quality: float) -> float:
    """0..1: 0.5 at the limit, towards 1 as ``value`` moves away from it (in units of ``SIGMA``),
    scaled by the landmarks' quality."""
    margin = abs(check.excess(value)) / SIGMA.get(check.unit, 1.0)
    return float(np.clip(landmark_quality * (0.5 + 0.5 * math.tanh(margin)), 0.0, 1.0))


def verdict(rule: Rule, ctx: RepContext, check: Check, value: float, frames: np.ndarray, q: float,
            direction: str | None = None, **extra: float | str | None) -> Finding:
    """A ``fault`` / ``ok`` finding for ``value`` against ``check``, or ``not_assessable`` if NaN."""
    span = (int(frames[0]), int(frames[-1])) if len(frames) else ctx.frames
    if not math.isfinite(value) or q <= 0.0:
        return not_assessable(rule, ctx.index, ctx.leg, span,
                              reason=f"the landmarks needed were not seen during this rep; {rule.hint}")
    value = round(float(value), VALUE_DIGITS)
    past = check.is_past(value)
    return Finding(code=rule.code, rep=ctx.index, leg=ctx.leg, measured=float(value), unit=check.unit,
                   limit=check.limit, verdict="fault" if past else "ok",
                   confidence=confidence(check, value, q), frames=span, cue=rule.cue,
                   direction=direction if past else None, extra=dict(extra))


def deep_frames(feat: FindingFeatures, ctx: RepContext, frac: float) -> np.ndarray:
    """Frames of the rep whose depth is at least ``frac`` of its peak depth (the peak always counts)."""
    idx = np.arange(ctx.start, ctx.end + 1)
    depth = feat.depth[idx]
    peak = feat.depth[ctx.peak]
    keep = np.nan_to_num(depth, nan=-1.0) >= frac * peak if math.isfinite(peak) else np.zeros(len(idx), bool)
    keep |= idx == ctx.peak
    return idx[keep]


def _baseline(x: np.ndarray, ctx: RepContext) -> float:
    """Median of ``x`` over the standing frames before the rep (the start frame at least)."""
    seg = x[ctx.baseline[0]:ctx.baseline[1]]
    return float(np.nanmedian(seg)) if np.isfinite(seg).any() else math.nan


def _pct(x: np.ndarray, q: float) -> float:
    return float(np.nanpercentile(x, q)) if np.isfinite(x).any() else math.nan


def _signed_peak(x: np.ndarray) -> float:
    """The value whose size is the ``PEAK_PCT`` percentile of ``|x|``, with the sign of the larger side."""
    if not np.isfinite(x).any():
        return math.nan
    size = float(np.nanpercentile(np.abs(x), PEAK_PCT))
    return size if _pct(x, PEAK_PCT) >= -_pct(x, 100 - PEAK_PCT) else -size


def _median(x: np.ndarray) -> float:
    return float(np.nanmedian(x)) if np.isfinite(x).any() else math.nan


#: the landmarks each obliquity cue is read from (for the finding's confidence)
CUE_LANDMARKS = {"hips": ("left_hip", "right_hip"), "wrists": ("left_wrist", "right_wrist")}


def obliquity_cue(feat: FindingFeatures, ctx: RepContext, frames: np.ndarray) -> tuple[np.ndarray, str]:
    """The rep's obliquity signal (degrees, + = left side higher) and its cue's name: the wrist line
    when the hands rest on the pelvis through the baseline and ``frames``, else the hip line
    (:func:`formcoach.findings.pelvis.choose_cue`)."""
    baseline = np.arange(*ctx.baseline)
    return choose_cue(feat.pelvis_obliquity_deg, feat.wrist_obliquity_deg, [baseline, frames])


def pelvis_tilt(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Sideways tilt (obliquity, + = back leg's side lower) and twist (+ = back leg's side turned
    backwards) of the pelvis at the bottom, degrees, against the standing baseline: medians over the
    bottom frames. Of the checks the rep's view can judge (:func:`run` passes only those), the one
    furthest past its limit is reported.

    The tilt is read from the wrist line when the hands rest on the pelvis, else from the hip line
    (:func:`obliquity_cue`); both lines' readings are reported (``hip_line_deg``, ``wrist_line_deg``).
    The twist is read from the side from the hands resting on the pelvis
    (:func:`~formcoach.findings.pelvis.side_twist_deg`, ``rotation_cue`` "wrists"; without them, or
    when they travel far across the image, the side view cannot judge it), from other views from the
    world hip line ("hips"), whose reading is always reported (``hip_line_yaw_deg``).
    """
    frames = deep_frames(feat, ctx, BOTTOM_FRAC)
    lines = {"hips": feat.pelvis_obliquity_deg, "wrists": feat.wrist_obliquity_deg}
    reads = {name: _median(ctx.side_sign * (x[frames] - _baseline(x, ctx))) for name, x in lines.items()}
    _, cue = obliquity_cue(feat, ctx, frames)
    turn = feat.pelvis_yaw_deg[frames] - _baseline(feat.pelvis_yaw_deg, ctx)
    yaw_deg = _median((turn + 180.0) % 360.0 - 180.0)
    turn_deg, turn_cue, why_not = yaw_deg, "hips", None
    if ctx.view == "side":
        turn_cue, facing = "wrists", facing_sign(feat.prepared.pixels, ctx.leg, frames)
        turn_deg, why_not = side_twist_deg(feat.wrist_spread_legs, feat.wrist_perspective_legs,
                                           np.arange(*ctx.baseline), frames, facing, ctx.side_sign)
    tilt_check, turn_check = rule.check("pelvis_obliquity_deg"), rule.check("pelvis_rotation_deg")
    if tilt_check is None and turn_check is None:
        tilt_check = rule.main
    reads_by_check = [(c, value, label, CUE_LANDMARKS[name]) for c, value, label, name in
                      ((tilt_check, reads[cue], "tilt", cue), (turn_check, turn_deg, "rotation", turn_cue))
                      if c is not None]
    seen = [r for r in reads_by_check if math.isfinite(r[1])]
    if not seen and turn_check is not None and why_not is not None:
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=f"{why_not}; {rule.hint}")
    chosen, value, label, names = max(seen or reads_by_check,
                                      key=lambda r: r[0].excess(abs(r[1])) / max(abs(r[0].limit), 1e-9))
    return verdict(rule, ctx, chosen, abs(value), frames, quality(feat, frames, names), direction=label,
                   obliquity_deg=reads[cue], rotation_deg=turn_deg, obliquity_cue=cue,
                   rotation_cue=turn_cue, hip_line_deg=reads["hips"], wrist_line_deg=reads["wrists"],
                   hip_line_yaw_deg=yaw_deg)


def knee_caving(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Front knee's frontal-plane projection angle (image), degrees: the largest (90th percentile)
    over the frames at least half-way down; "in" (valgus) or "out" (varus)."""
    frames = deep_frames(feat, ctx, DEEP_FRAC)
    fppa = _signed_peak(feat.knee_fppa_deg[frames, ctx.front])
    s = ctx.leg
    q = quality(feat, frames, (f"{s}_hip", f"{s}_knee", f"{s}_ankle"))
    direction = "in" if fppa >= 0 else "out"
    offset = _signed_peak(feat.knee_toe_offset_legs[frames, ctx.front]) * feat.cm_per_leg
    return verdict(rule, ctx, rule.main, abs(fppa), frames, q, direction=direction, signed_deg=fppa,
                   knee_over_toe_offset_cm=offset)


def settled_frames(feat: FindingFeatures, ctx: RepContext) -> np.ndarray:
    """Standing frames just after the rep: the first ``BASELINE_S`` seconds of its top window."""
    frames = np.arange(*ctx.top)
    return frames[feat.times_s[frames] <= feat.times_s[ctx.end] + BASELINE_S]


def drifting_baseline(x: np.ndarray, times_s: np.ndarray, ctx: RepContext, after: np.ndarray) -> np.ndarray:
    """(T,) standing reference of ``x`` over the track: the median over the rep's baseline frames at
    its start, moving linearly in time to the median over the ``after`` frames at its end (constant
    before and after those); either alone when the other is not seen.

    The rep analysis can place a rep's start late, inside the step back, so that its baseline window
    holds part of the drop it should be the reference for (on the synthetic athlete from behind one
    11 deg drop in three read 4.5 deg so). Drifting to the standing frames after the rep keeps at
    least the return swing measured against a level pelvis, and a slow drift of the standing posture
    (the person or the camera turning) is not read as a drop either.
    """
    before = _baseline(x, ctx)
    settled = _median(x[after]) if len(after) else math.nan
    if not math.isfinite(before) or not math.isfinite(settled):
        return np.full(len(x), before if math.isfinite(before) else settled)
    t0, t1 = times_s[ctx.start], times_s[ctx.end]
    weight = np.clip((times_s - t0) / max(t1 - t0, 1e-9), 0.0, 1.0)
    return np.asarray(before + weight * (settled - before))


def hip_drop(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Transient drop of the back leg's side of the pelvis while that leg swings, degrees.

    The obliquity is read as for ``pelvis_tilt`` (wrist line when the hands rest on the pelvis, else
    hip line), against the standing pelvis before the rep drifting to the one after it
    (:func:`drifting_baseline`). The sustained tilt that grows with depth (judged by ``pelvis_tilt``) is
    taken out: the drop is the obliquity beyond the baseline-to-bottom tilt scaled by the depth
    reached at each frame.
    """
    swing = np.concatenate([np.arange(ctx.start, ctx.bottom_first + 1),
                            np.arange(ctx.bottom_last, ctx.end + 1)])
    obliquity, cue = obliquity_cue(feat, ctx, swing)
    standing = drifting_baseline(obliquity, feat.times_s, ctx, settled_frames(feat, ctx))
    drop = ctx.side_sign * (obliquity - standing)
    bottom = deep_frames(feat, ctx, BOTTOM_FRAC)
    sustained = float(np.nanmedian(drop[bottom])) if np.isfinite(drop[bottom]).any() else 0.0
    share = np.clip(np.nan_to_num(feat.depth[swing] / feat.depth[ctx.peak], nan=0.0), 0.0, 1.0)
    excess = drop[swing] - sustained * share
    value = _pct(excess, 95.0)
    q = quality(feat, swing, CUE_LANDMARKS[cue])
    return verdict(rule, ctx, rule.main, value, swing, q, direction="down", sustained_tilt_deg=sustained,
                   obliquity_cue=cue)


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
    value = _pct(feat.hip_flexion_deg[frames, ctx.front], 20.0)
    s = ctx.leg
    q = quality(feat, frames, (f"{s}_shoulder", f"{s}_hip", f"{s}_knee"))
    return verdict(rule, ctx, rule.main, value, frames, q, direction="bent")


def back_leg_weight(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Share of body weight over the front foot at the bottom, a fraction: the median over the bottom
    frames of where the centre of mass (de Leva segment masses) falls between the feet."""
    frames = deep_frames(feat, ctx, BOTTOM_FRAC)
    share = feat.front_share[frames, ctx.front]
    value = float(np.nanmedian(share)) if np.isfinite(share).any() else math.nan
    b = _side(ctx, front=False)
    q = quality(feat, frames, (f"{ctx.leg}_heel", f"{ctx.leg}_foot_index", f"{b}_foot_index"))
    return verdict(rule, ctx, rule.main, value, frames, q, direction="back")


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
    x = pixels[idx][:, [LM[f"{ctx.leg}_ankle"], LM[f"{_side(ctx, front=False)}_ankle"]], 0]
    clear = idx[planted & (np.nan_to_num(np.abs(x[:, 0] - x[:, 1]) / scale[idx], nan=0.0) >= CLEAR_FEET_LEGS)]
    return clear[feat.times_s[clear] <= feat.times_s[clear[0]] + CLEAR_WINDOW_S] if len(clear) else clear


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
    base_toe, base_level = _median(over_toe[clear]), _median(level[clear])
    seen = math.isfinite(base_toe) and math.isfinite(base_level)
    if not seen:
        base_toe, base_level = _baseline(over_toe, ctx), _baseline(level, ctx)
    lift = np.fmin(over_toe[frames] - base_toe, level[frames] - base_level) * feat.cm_per_leg
    value = _pct(lift, PEAK_PCT)
    q = quality(feat, frames, (f"{ctx.leg}_heel", f"{ctx.leg}_foot_index"))
    return verdict(rule, ctx, rule.main, value, frames, q, direction="up",
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
    return verdict(rule, ctx, rule.main, value, frames, q, direction="shallow",
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
    return verdict(rule, ctx, rule.main, value, frames, q, direction="sway", front_knee_shake_deg=shake_deg)


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
    found = verdict(rule, ctx, worst, values[worst.signal], frames, 1.0,
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
