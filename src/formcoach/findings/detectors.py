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

from formcoach.analysis.sets import phase_past
from formcoach.exercise.tuning import FindingDetection
from formcoach.findings.context import RepContext
from formcoach.findings.knee import offset_sigma_cm
from formcoach.findings.model import Finding, Rule, not_assessable
from formcoach.findings.pelvis_detectors import hip_drop, pelvis_tilt
from formcoach.findings.signals import FindingFeatures, sway_range
from formcoach.findings.verdicts import (
    VALUE_DIGITS,
    Detector,
    Reading,
    baseline_median,
    deep_frames,
    deep_window_s,
    nan_median,
    percentile,
    quality,
    settled_frames,
    side_of,
    signed_peak,
    standing_reference,
    too_close,
    unsure_band,
    verdict,
    view_error,
)
from formcoach.track import LM
from formcoach.wording import FLATTENED, FOOT_REDRAWN, NO_STANDING_TOP, NO_TOP, TEMPO_UNSEEN

#: Seconds between two readings of the sway, resampled from the frames (a continuous window).
SWAY_STEP_S = 0.01

#: lunges whose front foot steps during the rep, and what that leaves a measure without
STEPPING = ("forward", "walking")
STEPPED_KNEE = ("the front foot steps in a forward or walking lunge, a step nearer the camera than the "
                "standing body that sets the scale, and the knee's offset from it read 2-12 cm out on "
                "clean knees in real front-view clips, so it is not judged")
HAND_AT_HEEL = ("a hand, or a weight it holds, is next to the front heel, so the heel's landmarks cannot be "
                "trusted (a dumbbell over a flat heel reads as a lifted one)")
TOE_WANDERS = ("the front foot's landmarks wander while the foot stays planted (the other leg passes in "
               "front of it or hides it), so its heel cannot be read")
STEPPED_HEEL = ("the front foot steps in a forward or walking lunge, so its heel has no standing floor level "
                "to be measured from (the standing one read 45 % of clean real heels as lifted)")


def knee_caving(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """The front knee's sideways offset from the foot's line, centimetres (:mod:`formcoach.findings.knee`):
    the largest (90th percentile) over the bottom frames (where the knee stands over the forefoot),
    less the knee's offset from its ankle over the standing baseline; "in" (towards the other leg)
    or "out". Judged with the offset's own error (:func:`~formcoach.findings.knee.offset_sigma_cm`:
    the pose model's, and what the camera's turn off the front can add). The image hip-knee-ankle
    angle (``signed_deg``) and the knee's offset from the toe tip are reported as evidence only."""
    if ctx.lunge_type in STEPPING:
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=STEPPED_KNEE)
    frames = deep_frames(feat, ctx, rule.params.bottom_frac)
    standing_cm = feat.knee_over_ankle_legs[:, ctx.front] * feat.cm_per_leg
    base, unsteady = standing_reference(standing_cm, np.arange(*ctx.baseline),
                                        settled_frames(feat, ctx, rule.params.baseline_s),
                                        np.flatnonzero(feat.standing))
    pct = rule.params.peak_pct
    offset = signed_peak(feat.knee_over_foot_legs[frames, ctx.front] * feat.cm_per_leg - base, pct)
    s = ctx.leg
    q = quality(feat, frames, (f"{s}_knee", f"{s}_ankle", f"{s}_foot_index"))
    fppa = signed_peak(feat.knee_fppa_deg[frames, ctx.front], rule.params.peak_pct)
    toe = signed_peak(feat.knee_toe_offset_legs[frames, ctx.front], rule.params.peak_pct) * feat.cm_per_leg
    reading = Reading(abs(offset), frames, q, sigma=offset_sigma_cm(ctx.yaw_deg, q, rule.params),
                      reference_spread=unsteady)
    return verdict(rule, ctx, rule.main, reading, direction="in" if offset >= 0 else "out",
                   signed_cm=offset, signed_deg=fppa, knee_over_toe_offset_cm=toe)


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
                              reason=f"{NO_TOP}; {rule.hint}")
    value = percentile(feat.hip_flexion_deg[frames, ctx.front], 20.0)
    s = ctx.leg
    q = quality(feat, frames, (f"{s}_shoulder", f"{s}_hip", f"{s}_knee"))
    return verdict(rule, ctx, rule.main, Reading(value, frames, q), direction="bent")


def back_leg_weight(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Share of body weight over the front foot at the bottom, a fraction: the median over the bottom
    frames of where the centre of mass (de Leva segment masses) falls between the feet."""
    frames = deep_frames(feat, ctx, rule.params.bottom_frac)
    share = feat.front_share[frames, ctx.front]
    value = float(np.nanmedian(share)) if np.isfinite(share).any() else math.nan
    b = side_of(ctx, front=False)
    q = quality(feat, frames, (f"{ctx.leg}_heel", f"{ctx.leg}_foot_index", f"{b}_foot_index"))
    return verdict(rule, ctx, rule.main, Reading(value, frames, q), direction="back")


def clear_foot_frames(feat: FindingFeatures, ctx: RepContext, params: FindingDetection) -> np.ndarray:
    """Frames of the lowering from the first one with the ankles ``params.clear_feet_legs`` leg lengths
    apart across the image, for ``params.clear_window_s`` seconds, provided the front foot has stayed
    planted (heel and toe under ``params.front_heel_planted_legs_s`` leg lengths a second) from the
    rep's start: the front foot on the floor and in clear
    view as the back foot steps clear of it, before the knee travels far over it. Empty when the
    front foot steps (a forward lunge) or the feet never stand that far apart (a view from the front
    or behind)."""
    pixels, scale = feat.prepared.pixels, feat.prepared.scale_px
    idx = np.arange(ctx.start, ctx.peak + 1)
    if len(feat.times_s) < 2:
        return idx[:0]
    foot = pixels[:, [LM[f"{ctx.leg}_heel"], LM[f"{ctx.leg}_foot_index"]]]
    speed = np.linalg.norm(np.gradient(foot, feat.times_s, axis=0), axis=-1).max(axis=1)[idx] / scale[idx]
    planted = np.logical_and.accumulate(np.nan_to_num(speed, nan=np.inf) <= params.front_heel_planted_legs_s)
    x = pixels[idx][:, [LM[f"{ctx.leg}_ankle"], LM[f"{side_of(ctx, front=False)}_ankle"]], 0]
    apart = np.nan_to_num(np.abs(x[:, 0] - x[:, 1]) / scale[idx], nan=0.0)
    clear = idx[planted & (apart >= params.clear_feet_legs)]
    if not len(clear):
        return np.asarray(clear)
    return np.asarray(clear[feat.times_s[clear] <= feat.times_s[clear[0]] + params.clear_window_s])


def hand_to_heel_legs(feat: FindingFeatures, ctx: RepContext, frames: np.ndarray) -> float:
    """How near a hand comes to the front foot's heel or ankle over ``frames``, image leg lengths:
    the median over the frames of the nearest wrist's distance (NaN when unseen)."""
    pixels, scale = feat.prepared.pixels[frames], feat.prepared.scale_px[frames]
    foot = pixels[:, [LM[f"{ctx.leg}_heel"], LM[f"{ctx.leg}_ankle"]], None]
    hands = pixels[:, None, [LM["left_wrist"], LM["right_wrist"]]]
    near = np.linalg.norm(foot - hands, axis=-1).min(axis=(1, 2)) / scale
    return nan_median(near)


def toe_drift_legs(feat: FindingFeatures, ctx: RepContext, frames: np.ndarray,
                   home: np.ndarray) -> np.ndarray:
    """(len(frames),) distance of the front foot's toe from where it stands on the floor (``home``,
    indices of the frames that define it), image leg lengths. A heel that lifts pivots on the toes,
    which stay put; a toe that travels on a foot that does not step is the pose model losing the foot."""
    pixels, scale = feat.prepared.pixels, feat.prepared.scale_px
    toe = pixels[:, LM[f"{ctx.leg}_foot_index"]]
    if not len(home) or not np.isfinite(toe[home]).any():
        return np.full(len(frames), np.nan)
    floor = np.nanmedian(toe[home], axis=0)
    return np.asarray(np.linalg.norm(toe[frames] - floor, axis=1) / scale[frames])


def heel_lift(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Rise of the front heel over its floor level, centimetres (leg lengths x the person's leg
    length): the 90th percentile over the frames at least half-way down.

    Each frame's rise is the smaller of two readings: the heel's height over its own toe, and the
    heel's level in the frame (the camera stands still). A lifted heel rises in both; BlazePose's
    habit of sinking the toe of a planted foot in a deep lunge (seen on the rendered athlete) shows in
    the first only, and camera shake in the second only. Not judged when a hand is within
    ``params.heel_hand_clear_legs`` of the heel or ankle at the bottom (:func:`hand_to_heel_legs`): a dumbbell
    hanging over a flat heel pulls its landmarks up. Both are read against the frames just after
    the back foot has stepped clear of the front one (:func:`clear_foot_frames`), or the standing
    frames when it never does: from the side, the far foot hides behind the near one while standing
    and the pose model places its heel and toe there by guesswork (2 cm low on the rendered athlete).
    Frames whose front toe has left its floor position by more than ``params.heel_toe_still_legs``
    (:func:`toe_drift_legs`) are left out: the pose model has lost the foot there (a camera high and
    off to the side, the back leg crossing in front of it, read 4-13 cm of lift on clean heels). With
    fewer than ``params.heel_min_still_frac`` of the frames left, the heel is not judged. A lift past
    the limit is "couldn't tell" when the front ankle's rise over the same frames and floor level
    (90th percentile), divided by ``params.heel_ankle_rise_ratio``, is not past it: a lifting heel
    takes the ankle up with it, a redrawn foot does not (a phone close by looking steeply down).
    """
    if ctx.lunge_type in STEPPING:
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=STEPPED_HEEL)
    frames = deep_frames(feat, ctx, rule.params.deep_frac)
    bottom = deep_frames(feat, ctx, rule.params.bottom_frac)
    if hand_to_heel_legs(feat, ctx, bottom) < rule.params.heel_hand_clear_legs:
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=HAND_AT_HEEL)
    clear = clear_foot_frames(feat, ctx, rule.params)
    over_toe = feat.heel_height_legs[:, ctx.front]
    level = feat.heel_level_legs[:, ctx.front]
    base_toe, base_level = nan_median(over_toe[clear]), nan_median(level[clear])
    seen = math.isfinite(base_toe) and math.isfinite(base_level)
    if not seen:
        base_toe, base_level = baseline_median(over_toe, ctx), baseline_median(level, ctx)
    drift = toe_drift_legs(feat, ctx, frames, clear if seen else np.arange(*ctx.baseline))
    if np.isfinite(drift).any():  # else no floor position: the baseline's own gaps decide below
        still = np.nan_to_num(drift, nan=np.inf) <= rule.params.heel_toe_still_legs
        if still.mean() < rule.params.heel_min_still_frac:
            return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=TOE_WANDERS)
        frames = frames[still]
    lift = np.fmin(over_toe[frames] - base_toe, level[frames] - base_level) * feat.cm_per_leg
    value = percentile(lift, rule.params.peak_pct)
    ankle = feat.ankle_level_legs[:, ctx.front]
    base_ankle = nan_median(ankle[clear]) if seen else baseline_median(ankle, ctx)
    ankle_lift = percentile((ankle[frames] - base_ankle) * feat.cm_per_leg, rule.params.peak_pct)
    implied = ankle_lift / rule.params.heel_ankle_rise_ratio
    if rule.main.is_past(value) and math.isfinite(implied) and not rule.main.is_past(implied):
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=f"{FOOT_REDRAWN}; {rule.hint}")
    q = quality(feat, frames, (f"{ctx.leg}_heel", f"{ctx.leg}_foot_index"))
    return verdict(rule, ctx, rule.main, Reading(value, frames, q), direction="up",
                   baseline="clear_foot" if seen else "standing")


def shallow_depth(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Front knee flexion at the bottom, degrees: the largest over the bottom frames, with the
    measurement error of the rep's camera view (``params.depth_knee_sigma_deg``). Not assessable
    where the world landmarks are flattened along the camera's axis at the rep's bottom
    (``feat.depth_from_image``): their knee angles then read a full lunge as a shallow one."""
    if bool(feat.depth_from_image[ctx.peak]):
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=f"{FLATTENED}; {rule.hint}")
    frames = deep_frames(feat, ctx, rule.params.bottom_frac)
    knee = feat.knee_flexion_deg[frames, ctx.front]
    value = float(np.nanmax(knee)) if np.isfinite(knee).any() else math.nan
    s = ctx.leg
    q = quality(feat, frames, (f"{s}_hip", f"{s}_knee", f"{s}_ankle"))
    sigma = view_error(rule.params.depth_knee_sigma_deg, ctx.view, rule.params.confidence_sigma_deg)
    return verdict(rule, ctx, rule.main, Reading(value, frames, q, sigma / max(q, 0.3)), direction="shallow",
                   depth=float(feat.depth[ctx.peak]))


def balance(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Side-to-side sway of the centre of mass over the front ankle (along the standing hip line in
    the image), centimetres, while at least half-way down (:func:`deep_window_s`, read every
    :data:`SWAY_STEP_S` between the frames): the 5-95 % range after the steady shift of weight
    (a straight line over the window) is taken out. The front knee's shake (RMS above 5 Hz,
    degrees) is reported with it."""
    frames = deep_frames(feat, ctx, rule.params.deep_frac)
    # not divided by the cosine of the facing angle: from 45 deg that lifts the noise floor (3-3.5 cm)
    # and the fore-aft shift of weight as much as the sway, and raised false faults in the benchmark
    lateral_cm = feat.com_lateral_legs[:, ctx.front] * feat.cm_per_leg
    # read every SWAY_STEP_S between the window's smooth ends, so the range moves smoothly too
    t0, t1 = deep_window_s(feat, ctx, rule.params.deep_frac)
    ok = np.isfinite(lateral_cm)
    grid = np.linspace(t0, t1, max(3, int(round((t1 - t0) / SWAY_STEP_S)) + 1))
    if ok[frames].sum() < 3:
        value = math.nan
    else:
        value = sway_range(grid, np.interp(grid, feat.times_s[ok], lateral_cm[ok]))
    shake = feat.knee_shake_deg[ctx.bottom_first:ctx.bottom_last + 1, ctx.front]
    shake_deg = float(np.sqrt(np.nanmean(shake**2))) if np.isfinite(shake).any() else None
    q = quality(feat, frames, ("left_hip", "right_hip", "left_shoulder", "right_shoulder"))
    return verdict(rule, ctx, rule.main, Reading(value, frames, q), direction="sway",
                   front_knee_shake_deg=shake_deg)


def tempo(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Lowering and rise durations, seconds, against each of the file's tempo checks, judged by the
    rep analysis's own :func:`~formcoach.analysis.sets.phase_past` (past the limit by more than
    ``ctx.tempo_tolerance_s``), so that the finding and the rep's ``tempo`` never disagree. The check
    reported is the one furthest past its limit (relative to the limit) among those judged past,
    else among all. A phase past its limit by the tolerance but not by the timing error of the rep's
    view (``params.tempo_sigma_s``, seconds) is too close to tell (``not_assessable``; the rep's
    ``tempo`` is then dropped too, :func:`~formcoach.findings.api.attach_findings`). Only that side
    of the limit is in doubt: the pose model shows a step's start late, so lowerings read short,
    not long, and rises within a few hundredths (docs/findings.md)."""
    if not ctx.phases_seen:
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=TEMPO_UNSEEN)
    values = {"lowering_s": ctx.lowering_s, "rise_s": ctx.rise_s}
    labels = {("lowering_s", "below"): "fast_lowering", ("lowering_s", "above"): "slow_lowering",
              ("rise_s", "above"): "slow_rise", ("rise_s", "below"): "fast_rise"}
    scored = [(c.excess(values[c.signal]) / max(abs(c.limit), 1e-9), c)
              for c in rule.checks if c.signal in values]
    if not scored:
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames)
    past = [sc for sc in scored
            if phase_past(values[sc[1].signal], sc[1].limit, sc[1].direction, ctx.tempo_tolerance_s)]
    _, worst = max(past or scored, key=lambda sc: sc[0])
    frames = np.arange(ctx.start, ctx.end + 1)
    sigma = view_error(rule.params.tempo_sigma_s, ctx.view, 0.0)
    value = values[worst.signal]
    band = max(unsure_band(sigma), ctx.tempo_tolerance_s)
    if past and not phase_past(value, worst.limit, worst.direction, band):
        return too_close(rule, ctx, worst, round(float(value), VALUE_DIGITS), ctx.frames, sigma,
                         lowering_s=ctx.lowering_s, rise_s=ctx.rise_s)
    found = verdict(rule, ctx, worst, Reading(value, frames, 1.0, sigma=0.0),
                    direction=labels.get((worst.signal, worst.direction)), lowering_s=ctx.lowering_s,
                    rise_s=ctx.rise_s)
    if found.verdict == "fault" and not past:
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
    (:meth:`~formcoach.findings.model.Rule.for_view`), naming the checks it could not judge
    (``not_judged``: their signals, ``not_judged_reason``: the file's hint) so that an ``ok`` never
    passes for more than was checked."""
    judged = rule.for_view(ctx.view)
    if judged is None:
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames)
    found = DETECTORS[rule.code](feat, ctx, judged)
    skipped = [c.signal for c in rule.checks if c not in judged.checks]
    if not skipped:
        return found
    # no silent "ok": say which part of the mistake this view could not check, and how to check it
    extra = {**found.extra, "not_judged": ", ".join(skipped), "not_judged_reason": rule.hint}
    return replace(found, extra=extra)
