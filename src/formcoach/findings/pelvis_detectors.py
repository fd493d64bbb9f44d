"""The pelvis's detectors: its tilt and twist (``pelvis_tilt``) and the hip drop (``hip_drop``).

The signals they read are in :mod:`formcoach.findings.pelvis`; the shared verdict machinery in
:mod:`formcoach.findings.verdicts`.
"""

from __future__ import annotations

import math

import numpy as np

from formcoach.findings.context import RepContext
from formcoach.findings.model import Finding, Rule, not_assessable
from formcoach.findings.pelvis import choose_cue, facing_sign, side_twist_deg
from formcoach.findings.signals import FindingFeatures
from formcoach.findings.verdicts import (
    Reading,
    baseline_median,
    deep_frames,
    nan_median,
    percentile,
    quality,
    reference_unsteadiness,
    settled_frames,
    verdict,
)
from formcoach.wording import NO_HANDS_TILT, TURNED_STANDING

#: the landmarks each obliquity cue is read from (for the finding's confidence)
CUE_LANDMARKS = {"hips": ("left_hip", "right_hip"), "wrists": ("left_wrist", "right_wrist")}
#: why a pelvis angle is not judged without the hands on the pelvis: on the rendered athlete the pose
#: model's hip points follow a 12 deg tilt by about 1 deg, and clean reps read up to 7 deg
#: (docs/findings.md), so the hip line can neither see a tilt nor stay quiet without one

def turned_standing(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding | None:
    """``not_assessable`` (:data:`TURNED_STANDING`) when the pose model read the person the wrong way
    round (:attr:`Prepared.relabelled <formcoach.analysis.prepare.Prepared.relabelled>`) on most of
    the rep's standing frames before it or on most of those just after it
    (:func:`~formcoach.findings.verdicts.settled_frames`); else None. The pelvis's tilt and drop are
    measured against that standing: there the model draws the hands on the far side of the body it
    imagines, and a rendered close-by session's standing wrist line read 13 deg against 4.5 on the
    frames read the right way round."""
    turned = feat.prepared.relabelled
    if turned is None:
        return None
    windows = (np.arange(*ctx.baseline), settled_frames(feat, ctx, rule.params.baseline_s))
    if any(len(w) and float(np.mean(turned[w])) > 0.5 for w in windows):
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=f"{TURNED_STANDING}; {rule.hint}")
    return None


def obliquity_cue(feat: FindingFeatures, ctx: RepContext, frames: np.ndarray,
                  hands_share_min: float) -> tuple[np.ndarray, str]:
    """The rep's obliquity signal (degrees, + = left side higher) and its cue's name: the wrist line
    when the hands rest on the pelvis through the baseline and ``frames`` (on ``hands_share_min`` of
    their frames), else the hip line (:func:`formcoach.findings.pelvis.choose_cue`)."""
    baseline = np.arange(*ctx.baseline)
    return choose_cue(feat.pelvis_obliquity_deg, feat.wrist_obliquity_deg, [baseline, frames],
                      hands_share_min)


def pelvis_tilt(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Sideways tilt (obliquity, + = back leg's side lower) and twist (+ = back leg's side turned
    backwards) of the pelvis at the bottom, degrees, against the standing baseline: medians over the
    bottom frames. Of the checks the rep's view can judge (:func:`run` passes only those), the one
    furthest past its limit is reported.

    The tilt is read from the wrist line when the hands rest on the pelvis (:func:`obliquity_cue`);
    without them it is not judged (:data:`NO_HANDS_TILT`), though both lines' readings are reported
    (``hip_line_deg``, ``wrist_line_deg``).
    The twist is read from the side from the hands resting on the pelvis
    (:func:`~formcoach.findings.pelvis.side_twist_deg`, ``rotation_cue`` "wrists"; without them, or
    when they travel far across the image, the side view cannot judge it), from other views from the
    world hip line ("hips"), whose reading is always reported (``hip_line_yaw_deg``).
    """
    if (unread := turned_standing(feat, ctx, rule)) is not None:
        return unread
    frames = deep_frames(feat, ctx, rule.params.bottom_frac)
    lines = {"hips": feat.pelvis_obliquity_deg, "wrists": feat.wrist_obliquity_deg}
    reads = {name: nan_median(ctx.side_sign * (x[frames] - baseline_median(x, ctx)))
             for name, x in lines.items()}
    _, cue = obliquity_cue(feat, ctx, frames, rule.params.hands_share_min)
    turn = feat.pelvis_yaw_deg[frames] - baseline_median(feat.pelvis_yaw_deg, ctx)
    yaw_deg = nan_median((turn + 180.0) % 360.0 - 180.0)
    turn_deg, turn_cue, why_not = yaw_deg, "hips", None
    if ctx.view == "side":
        turn_cue, facing = "wrists", facing_sign(feat.prepared.pixels, ctx.leg, frames)
        turn_deg, why_not = side_twist_deg(feat.wrist_spread_legs, feat.wrist_perspective_legs,
                                           np.arange(*ctx.baseline), frames, facing, ctx.side_sign,
                                           rule.params)
    tilt_check, turn_check = rule.check("pelvis_obliquity_deg"), rule.check("pelvis_rotation_deg")
    if tilt_check is None and turn_check is None:
        tilt_check = rule.main
    tilt_deg = reads[cue] if cue == "wrists" else math.nan
    reads_by_check = [(c, value, label, CUE_LANDMARKS[name], why) for c, value, label, name, why in
                      ((tilt_check, tilt_deg, "tilt", cue, NO_HANDS_TILT),
                       (turn_check, turn_deg, "rotation", turn_cue, why_not))
                      if c is not None]
    seen = [r[:4] for r in reads_by_check if math.isfinite(r[1])]
    reasons = [r[4] for r in reads_by_check if not math.isfinite(r[1]) and r[4] is not None]
    if not seen and reasons:
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=f"{reasons[0]}; {rule.hint}")
    chosen, value, label, names = max(seen or [r[:4] for r in reads_by_check],
                                      key=lambda r: r[0].excess(abs(r[1])) / max(abs(r[0].limit), 1e-9))
    # the tilt is measured against the standing wrist line: how unsteady that was can set its error
    unsteady = (reference_unsteadiness(lines[cue], np.arange(*ctx.baseline),
                                       settled_frames(feat, ctx, rule.params.baseline_s))
                if label == "tilt" else 0.0)
    return verdict(rule, ctx, chosen, Reading(abs(value), frames, quality(feat, frames, names),
                                              reference_spread=unsteady),
                   direction=label,
                   obliquity_deg=reads[cue], rotation_deg=turn_deg, obliquity_cue=cue,
                   rotation_cue=turn_cue, hip_line_deg=reads["hips"], wrist_line_deg=reads["wrists"],
                   hip_line_yaw_deg=yaw_deg)


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
    before = baseline_median(x, ctx)
    settled = nan_median(x[after]) if len(after) else math.nan
    if not math.isfinite(before) or not math.isfinite(settled):
        return np.full(len(x), before if math.isfinite(before) else settled)
    t0, t1 = times_s[ctx.start], times_s[ctx.end]
    weight = np.clip((times_s - t0) / max(t1 - t0, 1e-9), 0.0, 1.0)
    return np.asarray(before + weight * (settled - before))


def hip_drop(feat: FindingFeatures, ctx: RepContext, rule: Rule) -> Finding:
    """Transient drop of the back leg's side of the pelvis while that leg swings, degrees: the 95th
    percentile of the drop over those frames.

    The obliquity is read as for ``pelvis_tilt`` (the wrist line when the hands rest on the pelvis;
    not judged without them, :data:`NO_HANDS_TILT`), against the standing pelvis before the rep
    drifting to the one after it (:func:`drifting_baseline`). The sustained tilt that grows with depth
    (judged by ``pelvis_tilt``) is taken out: the drop is the obliquity beyond the baseline-to-bottom
    tilt scaled by the depth reached at each frame.
    """
    if (unread := turned_standing(feat, ctx, rule)) is not None:
        return unread
    swing = np.concatenate([np.arange(ctx.start, ctx.bottom_first + 1),
                            np.arange(ctx.bottom_last, ctx.end + 1)])
    obliquity, cue = obliquity_cue(feat, ctx, swing, rule.params.hands_share_min)
    if cue != "wrists":
        return not_assessable(rule, ctx.index, ctx.leg, ctx.frames, reason=f"{NO_HANDS_TILT}; {rule.hint}")
    settled = settled_frames(feat, ctx, rule.params.baseline_s)
    standing = drifting_baseline(obliquity, feat.times_s, ctx, settled)
    drop = ctx.side_sign * (obliquity - standing)
    bottom = deep_frames(feat, ctx, rule.params.bottom_frac)
    sustained = float(np.nanmedian(drop[bottom])) if np.isfinite(drop[bottom]).any() else 0.0
    share = np.clip(np.nan_to_num(feat.depth[swing] / feat.depth[ctx.peak], nan=0.0), 0.0, 1.0)
    excess = drop[swing] - sustained * share
    value = percentile(excess, 95.0)
    q = quality(feat, swing, CUE_LANDMARKS[cue])
    unsteady = reference_unsteadiness(obliquity, np.arange(*ctx.baseline), settled)
    return verdict(rule, ctx, rule.main, Reading(value, swing, q, reference_spread=unsteady),
                   direction="down", sustained_tilt_deg=sustained,
                   obliquity_cue=cue)
