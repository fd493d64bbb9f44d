"""Reps from the segmented depth: which leg worked, which lunge it was, and whether it counts.

The segmentation itself (hysteresis, phases) lives in :mod:`formcoach.analysis.segment`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import get_args

import numpy as np

from formcoach.analysis.params import AnalysisParams
from formcoach.analysis.segment import Span, candidate_spans, hysteresis, labelled_runs, rep_spans
from formcoach.analysis.signals import Features
from formcoach.vocab import Leg, LungeType, RepReason

__all__ = ["LUNGE_TYPES", "Rep", "bottom_time", "detect_reps", "feet_seen", "hysteresis", "labelled_runs",
           "lunge_type", "working_leg"]

LUNGE_TYPES: tuple[str, ...] = get_args(LungeType)


@dataclass(frozen=True)
class Rep:
    """One descent and return of the hips, counted or not.

    Times are seconds from the start of the video; ``bottom_s`` is the bottom of the rep (see
    :func:`bottom_time`), ``deepest_s`` the one frame the hips were lowest; depth is a share of a full
    lunge's hip drop; frames point into the track. ``complete`` is False for attempts (``reason``
    says why). ``phases_seen`` is False when the hips were not seen standing before the rep or after
    it (it ran into a neighbouring dip, or the footage starts or stops inside it): its lowering or
    rise time then only runs to where it was cut off, and its tempo cannot be judged.
    """

    leg: Leg
    start_s: float
    bottom_s: float
    deepest_s: float
    end_s: float
    lowering_s: float
    bottom_hold_s: float
    rise_s: float
    depth: float
    front_knee_flexion_deg: float
    back_knee_flexion_deg: float
    leg_confidence: float
    lunge_type: LungeType
    complete: bool
    reason: RepReason
    frames: tuple[int, int, int]
    phases_seen: bool = True
    feet_seen: bool = True


def feet_seen(feat: Features, first: int, last: int, max_gap_s: float) -> bool:
    """Whether the ankles lay inside the image over frames ``first..last``, but for gaps of at most
    ``max_gap_s`` seconds (what the analysis bridges anyway when a landmark drops out)."""
    seen = feat.feet_in_view[first:last + 1]
    if seen.all():
        return True
    t = feat.times_s[first:last + 1]
    edges = np.diff(np.concatenate(([1], seen.astype(np.int8), [1])))
    gaps_start, gaps_stop = np.flatnonzero(edges == -1), np.flatnonzero(edges == 1)
    # a gap runs from the last frame seen before it to the first seen after it
    before = t[np.maximum(gaps_start - 1, 0)]
    after = t[np.minimum(gaps_stop, len(t) - 1)]
    return bool(np.all(after - before <= max_gap_s))


def working_leg(feat: Features, first: int, last: int) -> tuple[Leg, float]:
    """The front (working) leg over the bottom frames ``first..last`` and a confidence in 0..1.

    At the bottom of any lunge the front knee is high (the thigh about level) and its hip flexed,
    while the back knee nears the floor and its hip is straight; both cues hold from any view. Where
    the world landmarks are flattened (``feat.depth_from_image``), the knees' heights in the image
    count as well.
    """
    sl = slice(first, last + 1)
    # each cue scaled by a typical difference at the bottom: knees 0.25 leg lengths apart in
    # height, hips 45 deg apart in flexion
    kh = feat.knee_height[sl]
    hf = feat.hip_flexion_deg[sl]
    score = (kh[:, 0] - kh[:, 1]) / 0.25 + (hf[:, 0] - hf[:, 1]) / 45.0
    # where the world landmarks are flattened along the camera's axis (seen from the front or behind,
    # the depth then comes from the image) their knee heights can read level while the image shows
    # the back knee well below the front one: the image's knee heights count too
    rise = feat.knee_rise_image[sl]
    score = score + np.where(feat.depth_from_image[sl], (rise[:, 0] - rise[:, 1]) / 0.25, 0.0)
    value = float(np.nanmedian(score)) if np.isfinite(score).any() else 0.0
    return ("left" if value > 0 else "right"), float(min(1.0, abs(value) / 2.0))


def _moved(feat: Features, a: int, b: int) -> np.ndarray:
    """(2,) net image displacement of the left and right foot from frame a to b, leg lengths."""
    return np.asarray(np.linalg.norm(feat.feet_image[b] - feat.feet_image[a], axis=-1))


def _mover(moved: np.ndarray, front: int, step_min_legs: float, dominance: float) -> str:
    """"front", "back" or "unclear": which foot stepped, given both feet's displacements."""
    if not np.isfinite(moved).all() or moved.max() < step_min_legs:
        return "unclear"
    if moved[front] > dominance * moved[1 - front]:
        return "front"
    if moved[1 - front] > dominance * moved[front]:
        return "back"
    return "unclear"


#: which lunge the feet that stepped on the way down and on the way up make (the lunge types'
#: definitions, not a tuning)
STEP_TABLE: dict[tuple[str, str], LungeType] = {
              ("front", "front"): "forward", ("front", "unclear"): "forward", ("unclear", "front"): "forward",
              ("back", "back"): "reverse", ("back", "unclear"): "reverse", ("unclear", "back"): "reverse",
              ("front", "back"): "walking", ("back", "front"): "walking"}


def _size_change(feat: Features, first: int, last: int) -> float:
    """How much the body's size in the picture changed from frame ``first`` to ``last``, as a share
    of the smaller (0 when unknown): a person walking at or away from the camera grows or shrinks.
    The trunk's length is taken where the person stands upright, a few frames either side."""
    k = 3
    before = feat.trunk_image_px[max(0, first - k):first + k + 1]
    after = feat.trunk_image_px[max(0, last - k):last + k + 1]
    if not (np.isfinite(before).any() and np.isfinite(after).any()):
        return 0.0
    a, b = float(np.nanmedian(before)), float(np.nanmedian(after))
    return max(a, b) / min(a, b) - 1.0 if min(a, b) > 0 else 0.0


def lunge_type(feat: Features, span: Span, front: int, lateral: bool, p: AnalysisParams) -> LungeType:
    """Which lunge a rep was: "reverse", "forward", "walking", "split_squat", "lateral" or "unknown".

    A split squat never brings the feet together: their horizontal distance
    (:attr:`~formcoach.analysis.signals.Features.feet_apart`, which a leg swap of the pose model
    does not move) stays above 70 % of the split at the bottom on either side of the rep. A walking
    lunge carries the hips forward by more than ``p.walk_travel_legs`` leg lengths in the image over
    the rep, or walks at or away from the camera: the body's size in the picture changes by more
    than ``p.walk_scale_change`` from standing before the rep to standing after
    (:func:`_size_change`). Otherwise the foot that stepped while lowering and while rising tells
    the rest: forward, the front foot steps out and back; reverse, the back foot steps back and
    returns. A camera that moves with the person, or walking straight at the camera, can leave
    this "unknown" or wrong.
    """
    if lateral:
        return "lateral"
    sep = feat.feet_apart
    before, after = sep[span.lo:span.peak + 1], sep[span.peak:span.hi]
    if np.isfinite(before).any() and np.isfinite(after).any():
        together = min(float(np.nanmin(before)), float(np.nanmin(after)))
        if together > 0.7 * float(sep[span.peak]):
            return "split_squat"
    # a little before and after the rep, so that a step finishing as the hips settle is included
    t = feat.times_s
    first = max(span.lo, int(np.searchsorted(t, span.start_s - p.step_margin_s)))
    last = min(span.hi - 1, int(np.searchsorted(t, span.end_s + p.step_margin_s)))
    travel = float(np.linalg.norm(feat.hips_image[last] - feat.hips_image[first]))
    if travel > p.walk_travel_legs or _size_change(feat, first, last) > p.walk_scale_change:
        return "walking"
    down = _mover(_moved(feat, first, span.bottom_first), front, p.step_min_legs, p.step_dominance_ratio)
    up = _mover(_moved(feat, span.bottom_last, last), front, p.step_min_legs, p.step_dominance_ratio)
    kind = STEP_TABLE.get((down, up), "unknown")
    return "unknown" if kind == "walking" and travel < 0.4 * p.walk_travel_legs else kind


def _is_lateral(feat: Features, peak: int, front: int, lateral_stance_frac: float,
                straight_knee_deg: float, min_width_legs: float) -> bool:
    """A lateral lunge: at the bottom the feet are wide apart along the hip line (more than
    ``min_width_legs`` leg lengths, and mostly so), the other knee straight."""
    apart = feat.feet_world[peak, 1] - feat.feet_world[peak, 0]
    apart[1] = 0.0
    width = abs(float(apart @ feat.pelvis_line[peak]))
    sideways = width / max(float(np.linalg.norm(apart)), 1e-9)
    knee_other = float(feat.knee_flexion_deg[peak, 1 - front])
    return sideways > lateral_stance_frac and width > min_width_legs and knee_other < straight_knee_deg


def _verdict(span: Span, duration_s: float, depth: float, front_knee: float | None, lateral: bool,
             p: AnalysisParams) -> tuple[bool, RepReason]:
    """Whether a rep counts and, if not, why ("" when it counts). ``front_knee`` is None when the
    knee angles cannot be trusted (the depth came from the image) and only the depth decides."""
    if lateral:
        return False, "not_a_lunge"
    if span.cut:
        return False, "cut_off"
    if duration_s > p.max_rep_s:
        return False, "too_slow"
    if depth < p.enter_depth or (front_knee is not None and front_knee < p.min_knee_flexion_deg):
        return False, "shallow"
    return True, ""


def bottom_time(times_s: np.ndarray, depth: np.ndarray, first: int, last: int,
                share: float) -> float:
    """The bottom of the rep whose frames are ``first..last``, seconds: the mean time of the frames
    deeper than ``share`` of its deepest depth, each weighted by how much deeper. On a sharp bottom
    that is the deepest moment; over a long, flat hold, where pose jitter decides which frame is the
    very deepest, it is where the hips stayed lowest rather than one jittery frame."""
    seg = depth[first:last + 1]
    if not np.isfinite(seg).any():
        return float(times_s[first])
    weight = seg - share * float(np.nanmax(seg))
    weight = np.where(np.isfinite(weight) & (weight > 0), weight, 0.0)
    if weight.sum() <= 0:
        return float(times_s[first + int(np.nanargmax(seg))])
    return float(np.sum(times_s[first:last + 1] * weight) / weight.sum())


def _make_rep(feat: Features, span: Span, p: AnalysisParams, leg: Leg | None = None) -> Rep:
    """Measure one segmented rep: leg (unless given), lunge type, depth, phases and whether it counts."""
    t = feat.times_s
    found, confidence = working_leg(feat, span.bottom_first, span.bottom_last)
    leg = leg or found
    front = 0 if leg == "left" else 1
    knees = feat.knee_flexion_deg[span.peak]
    lateral = _is_lateral(feat, span.peak, front, p.lateral_stance_frac, p.straight_knee_deg,
                          p.lateral_min_width_legs)
    seen = feet_seen(feat, span.start, span.end, p.max_gap_s)
    kind = lunge_type(feat, span, front, lateral, p) if seen else "unknown"
    depth = float(feat.depth[span.peak])
    duration = span.end_s - span.start_s
    knee_check = None if feat.depth_from_image[span.peak] else float(knees[front])
    complete, reason = _verdict(span, duration, depth, knee_check, lateral, p)
    bottom_s = bottom_time(t, feat.depth, span.start, span.end, p.bottom_share)
    return Rep(leg=leg, start_s=span.start_s, bottom_s=bottom_s,
               deepest_s=float(t[span.peak]), end_s=span.end_s,
               lowering_s=span.bottom_first_s - span.start_s,
               bottom_hold_s=span.bottom_last_s - span.bottom_first_s,
               rise_s=span.end_s - span.bottom_last_s, depth=depth,
               front_knee_flexion_deg=float(knees[front]), back_knee_flexion_deg=float(knees[1 - front]),
               leg_confidence=confidence, lunge_type=kind, complete=complete, reason=reason,
               frames=(int(span.start), int(span.peak), int(span.end)), phases_seen=span.phases_seen,
               feet_seen=seen)


def detect_reps(feat: Features, p: AnalysisParams) -> list[Rep]:
    """Every rep and attempt in the track, in time order.

    Dips that pass ``attempt_depth`` but never ``enter_depth`` are shallow attempts; dips shorter than
    ``min_rep_s`` are jitter and dropped.
    """
    low = candidate_spans(feat, p.attempt_depth, p.exit_depth)
    spans = rep_spans(feat, low, p)
    kept = []
    for span in spans:
        rep = _make_rep(feat, span, p)
        duration = rep.end_s - rep.start_s
        if duration >= p.min_rep_s or (not rep.complete and duration >= 0.5 * p.min_rep_s):
            kept.append((span, rep))
    return agree_lunge_types(feat, kept, p)


#: the two lunges whose types tell the front leg from the foot that stepped
STEPPED = ("forward", "reverse")


def agree_lunge_types(feat: Features, reps: list[tuple[Span, Rep]], p: AnalysisParams) -> list[Rep]:
    """The reps, with the leg of each forward or reverse rep that disagrees with the session's lunge
    flipped when its leg was a weak call (``leg_confidence`` under ``p.leg_flip_max_confidence``) and
    the other leg makes it the session's lunge.

    Which foot stepped shows in the image from any camera, while the cues that name the front leg
    (:func:`working_leg`) can all but vanish: a phone close by in front of the person draws the near
    front knee as low as the far back one and the world landmarks flatten both. A person does one
    kind of lunge in a session, so a rep whose weakly called leg makes it the other kind (a reverse
    lunge whose front leg was taken for the back one reads as a forward lunge) has the wrong leg. The
    session's lunge is the more common of the two among the counted reps, or the exercise's own
    (``p.lunge_type``) when they are as common.
    """
    kinds = Counter(r.lunge_type for _, r in reps if r.complete and r.lunge_type in STEPPED).most_common()
    if not kinds:
        return [r for _, r in reps]
    tie = len(kinds) > 1 and kinds[0][1] == kinds[1][1]
    session = p.lunge_type if tie else kinds[0][0]
    out = []
    for span, rep in reps:
        if rep.lunge_type in STEPPED and rep.lunge_type != session \
                and rep.leg_confidence < p.leg_flip_max_confidence:
            other = _make_rep(feat, span, p, leg="right" if rep.leg == "left" else "left")
            if other.lunge_type == session:
                rep = replace(other, leg_confidence=rep.leg_confidence)
        out.append(rep)
    return out
