"""What every detector shares: windows of a rep, robust statistics and the finding's verdict.

Pure functions over :class:`~formcoach.findings.signals.FindingFeatures` and a
:class:`~formcoach.findings.context.RepContext`; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from formcoach.exercise.tuning import FindingDetection
from formcoach.findings.context import RepContext
from formcoach.findings.model import Check, Finding, Rule, not_assessable
from formcoach.findings.signals import FindingFeatures
from formcoach.track import LM
from formcoach.wording import NOT_SEEN

#: a reading within this many measurement errors (``Rule.params.sigma``, or the detector's own) of its
#: limit is too close to call: the finding says so (``not_assessable`` with the reason and the reading)
#: rather than guess a fault or an all-clear
UNSURE_Z = 1.0

#: measured values are rounded to this many decimals before they meet the limit, so that float noise
#: (1e-15 of a degree) cannot decide a verdict at the limit
VALUE_DIGITS = 6

Detector = Callable[[FindingFeatures, RepContext, Rule], Finding]


def side_of(ctx: RepContext, front: bool = True) -> str:
    """The working leg ("left"/"right"), or with ``front`` False the other one."""
    return ctx.leg if front else ("right" if ctx.leg == "left" else "left")


def quality(feat: FindingFeatures, frames: np.ndarray, names: Sequence[str]) -> float:
    """Mean BlazePose visibility (0..1) of landmarks ``names`` over ``frames``; 0 when unseen."""
    if len(frames) == 0:
        return 0.0
    cols = np.array([LM[n] for n in names], dtype=int)
    vis = feat.prepared.visibility(np.asarray(frames), cols)
    value = float(np.nanmean(vis)) if np.isfinite(vis).any() else 0.0
    return float(np.clip(value, 0.0, 1.0))


def confidence(check: Check, value: float, landmark_quality: float, sigma: float) -> float:
    """0..1: 0.5 at the limit, towards 1 as ``value`` moves away from it (in units of ``sigma``, the
    typical measurement error in the check's unit), scaled by the landmarks' quality."""
    margin = abs(check.excess(value)) / sigma
    return float(np.clip(landmark_quality * (0.5 + 0.5 * math.tanh(margin)), 0.0, 1.0))


@dataclass(frozen=True)
class Reading:
    """A value read on a rep (in its check's unit), the frames it was read over, how well the
    landmarks behind it were seen (0..1) and, when the detector knows it, how far off the value can
    be (``sigma``, in the check's unit; else :func:`measurement_error` uses the unit's typical error).
    ``reference_spread`` is how unsteady the standing reference the value was measured against was
    (:func:`spread`, in the check's unit; 0 when the value has no such reference)."""

    value: float
    frames: np.ndarray
    quality: float
    sigma: float | None = None
    reference_spread: float = 0.0


def spread(x: np.ndarray, frames: np.ndarray) -> float:
    """How unsteady ``x`` was over ``frames``: the robust standard deviation (1.4826 x the median
    absolute deviation) of its finite values, in ``x``'s unit; 0 with fewer than three of them."""
    values = x[frames]
    values = values[np.isfinite(values)]
    if len(values) < 3:
        return 0.0
    return float(1.4826 * np.median(np.abs(values - np.median(values))))


def measurement_error(check: Check, reading: Reading, params: FindingDetection) -> float:
    """How far ``reading`` can be off, in ``check.unit``: its own ``sigma``, or the unit's typical error
    (``params.confidence_sigma_*``, 0 for other units) grown as the landmarks' visibility falls below 1;
    or, when larger, how unsteady its standing reference was (``reading.reference_spread``): a
    reference read while the pose model had not yet settled moves every value measured against it.
    The larger, not the sum: the typical errors were measured with the references' usual unsteadiness
    in them (docs/findings.md)."""
    own = reading.sigma
    if own is None:
        own = params.sigma(check.unit, 0.0) / max(reading.quality, 0.3)
    return float(max(own, reading.reference_spread))


def view_error(errors: dict[str, float], view: str, default: float) -> float:
    """A measurement's error for the rep's camera ``view`` from a per-view table (``errors``, in the
    measure's unit); for a view the table leaves out, its largest entry (``default`` if empty)."""
    return errors.get(view, max(errors.values(), default=default))


def unsure_band(error: float) -> float:
    """How far from its limit a reading with measurement error ``error`` stays too close to tell
    (``UNSURE_Z`` errors), in the error's unit."""
    return UNSURE_Z * error


def too_close(rule: Rule, ctx: RepContext, check: Check, value: float, span: tuple[int, int],
              error: float, **extra: float | str | None) -> Finding:
    """``not_assessable`` because ``value`` lies within ``UNSURE_Z`` errors of the limit: the reason
    gives the reading, the limit and the error; ``near_limit_reading`` and ``measurement_error``
    carry them as numbers."""
    unit = {"deg": " deg", "cm": " cm", "s": " s"}.get(check.unit, "")
    reason = (f"too close to the limit to tell: read {value:.2f}{unit} against a limit of "
              f"{check.limit:g}{unit}, and the reading can be off by about {error:.2f}{unit}")
    found = not_assessable(rule, ctx.index, ctx.leg, span, reason=reason)
    return replace(found, extra={**extra, "near_limit_reading": float(value), "measurement_error": error})


def verdict(rule: Rule, ctx: RepContext, check: Check, reading: Reading, direction: str | None = None,
            **extra: float | str | None) -> Finding:
    """A ``fault`` / ``ok`` finding for ``reading`` against ``check``; ``not_assessable`` when its
    value is NaN or its landmarks were not seen, or (:func:`too_close`) when the value lies within
    ``UNSURE_Z`` measurement errors (:func:`measurement_error`) of the limit."""
    value, frames, q = reading.value, reading.frames, reading.quality
    span = (int(frames[0]), int(frames[-1])) if len(frames) else ctx.frames
    if not math.isfinite(value) or q <= 0.0:
        return not_assessable(rule, ctx.index, ctx.leg, span,
                              reason=f"{NOT_SEEN}; {rule.hint}")
    value = round(float(value), VALUE_DIGITS)
    error = measurement_error(check, reading, rule.params)
    if error > 0 and abs(check.excess(value)) < unsure_band(error):
        return too_close(rule, ctx, check, value, span, error, **extra)
    past = check.is_past(value)
    return Finding(code=rule.code, rep=ctx.index, leg=ctx.leg, measured=float(value), unit=check.unit,
                   limit=check.limit, verdict="fault" if past else "ok",
                   confidence=confidence(check, value, q, rule.params.sigma(check.unit, 1.0)), frames=span,
                   cue=rule.cue,
                   direction=direction if past else None, extra=dict(extra))


def deep_frames(feat: FindingFeatures, ctx: RepContext, frac: float) -> np.ndarray:
    """Frames of the rep whose depth is at least ``frac`` of its peak depth (the peak always counts)."""
    idx = np.arange(ctx.start, ctx.end + 1)
    depth = feat.depth[idx]
    peak = feat.depth[ctx.peak]
    keep = np.nan_to_num(depth, nan=-1.0) >= frac * peak if math.isfinite(peak) else np.zeros(len(idx), bool)
    keep |= idx == ctx.peak
    return np.asarray(idx[keep])


def deep_window_s(feat: FindingFeatures, ctx: RepContext, frac: float) -> tuple[float, float]:
    """The stretch of time around the rep's peak while its depth is at least ``frac`` of the peak's,
    seconds. Its ends lie between frames, where the depth crosses that level (linearly), moved half
    a frame inwards (where the frames at or past the level begin on average), so that the window
    moves smoothly with the landmarks instead of a whole frame at a time. The peak frame's time
    twice when the peak depth is unknown."""
    t, depth, peak = feat.times_s, feat.depth, ctx.peak
    level = frac * depth[peak]
    if not math.isfinite(level):
        return float(t[peak]), float(t[peak])
    deep = np.nan_to_num(depth, nan=-np.inf) >= level
    lo, hi = peak, peak
    while lo > ctx.start and deep[lo - 1]:
        lo -= 1
    while hi < ctx.end and deep[hi + 1]:
        hi += 1

    def end_near(inside: int, outside: int) -> float:
        if not math.isfinite(depth[outside]):
            return float(t[inside])
        share = (depth[inside] - level) / (depth[inside] - depth[outside]) - 0.5
        return float(t[inside] + share * (t[outside] - t[inside]))

    start = end_near(lo, lo - 1) if lo > ctx.start else float(t[lo])
    end = end_near(hi, hi + 1) if hi < ctx.end else float(t[hi])
    return min(start, float(t[peak])), max(end, float(t[peak]))


def baseline_median(x: np.ndarray, ctx: RepContext) -> float:
    """Median of ``x`` over the standing frames before the rep (the start frame at least)."""
    seg = x[ctx.baseline[0]:ctx.baseline[1]]
    return float(np.nanmedian(seg)) if np.isfinite(seg).any() else math.nan


def percentile(x: np.ndarray, q: float) -> float:
    """The ``q`` percentile of the finite values of ``x`` (NaN when there are none)."""
    return float(np.nanpercentile(x, q)) if np.isfinite(x).any() else math.nan


def signed_peak(x: np.ndarray, peak_pct: float) -> float:
    """The value whose size is the ``peak_pct`` percentile of ``|x|``, with the sign of the larger side."""
    if not np.isfinite(x).any():
        return math.nan
    size = float(np.nanpercentile(np.abs(x), peak_pct))
    return size if percentile(x, peak_pct) >= -percentile(x, 100 - peak_pct) else -size


def nan_median(x: np.ndarray) -> float:
    """The median of the finite values of ``x`` (NaN when there are none)."""
    return float(np.nanmedian(x)) if np.isfinite(x).any() else math.nan


def reference_unsteadiness(x: np.ndarray, before: np.ndarray, after: np.ndarray) -> float:
    """How far the standing reference of ``x`` can be off, in ``x``'s unit: the larger robust spread
    of ``x`` over the standing frames ``before`` and ``after`` the rep (:func:`spread`), combined with
    their medians' difference. A person stands the same before and after a rep; a pose model not
    yet settled at the video's start, or a rep start placed late (in the step back), does not read her
    so (a rendered clean rep read a 16 deg pelvic tilt against a wrist line at -11 to -26 deg in the
    video's first 0.8 s, +1 to +3 deg after the rep). Either reference may be the one that is off, by
    the whole difference: with half of it, a rendered clean rep whose standing wrist line read 8.4 deg
    for half a second before it and 0 after it was given a 10 deg hip drop. It is
    :func:`standing_reference`'s error without the session's reading."""
    return standing_reference(x, before, after, np.arange(0))[1]


def standing_reference(x: np.ndarray, before: np.ndarray, after: np.ndarray,
                       session: np.ndarray) -> tuple[float, float]:
    """(reference, how far it can be off), in ``x``'s unit: the median of three readings of ``x``
    standing (its medians over the frames ``before`` the rep, ``after`` it and the whole ``session``'s
    standing frames), and the larger robust spread over the frames before and after
    (:func:`spread`) combined with the reference's distance from the nearer other reading.

    A rep start placed late, when the step back has begun, spoils the frames before it; a pose model
    not yet settled at the video's start, or a knee still moving after the rep, one of the others:
    one reading, not two, so the median stands where two agree. On the rendered randomized front set
    the knee's standing offset before some reps read 4-5 cm "in" against about 1 cm "out" after
    them and over the session (a rep start inside the step back, with the knee already caving);
    with two readings only, their mean, off by up to their whole difference."""
    readings = [nan_median(x[f]) for f in (before, after, session) if len(f)]
    readings = [r for r in readings if math.isfinite(r)]
    spreads = max(spread(x, before), spread(x, after))
    if not readings:
        return math.nan, spreads
    reference = float(np.median(readings))
    if len(readings) == 3:
        off = sorted(abs(r - reference) for r in readings)[1]  # from the nearer other reading
    else:
        off = max(readings) - min(readings)  # two: either may be the wrong one
    return reference, float(math.hypot(spreads, off))


def settled_frames(feat: FindingFeatures, ctx: RepContext, baseline_s: float) -> np.ndarray:
    """Standing frames just after the rep: the first ``baseline_s`` seconds of its top window."""
    frames = np.arange(*ctx.top)
    return np.asarray(frames[feat.times_s[frames] <= feat.times_s[ctx.end] + baseline_s])
