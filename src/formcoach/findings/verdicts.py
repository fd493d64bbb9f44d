"""What every detector shares: windows of a rep, robust statistics and the finding's verdict.

Pure functions over :class:`~formcoach.findings.signals.FindingFeatures` and a
:class:`~formcoach.findings.context.RepContext`; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from formcoach.findings.context import RepContext
from formcoach.findings.model import Check, Finding, Rule, not_assessable
from formcoach.findings.signals import FindingFeatures
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
    vis = feat.prepared.visibility[np.ix_(frames, cols)]
    value = float(np.nanmean(vis)) if np.isfinite(vis).any() else 0.0
    return float(np.clip(value, 0.0, 1.0))


def confidence(check: Check, value: float, landmark_quality: float) -> float:
    """0..1: 0.5 at the limit, towards 1 as ``value`` moves away from it (in units of ``SIGMA``),
    scaled by the landmarks' quality."""
    margin = abs(check.excess(value)) / SIGMA.get(check.unit, 1.0)
    return float(np.clip(landmark_quality * (0.5 + 0.5 * math.tanh(margin)), 0.0, 1.0))


@dataclass(frozen=True)
class Reading:
    """A value read on a rep (in its check's unit), the frames it was read over and how well the
    landmarks behind it were seen (0..1)."""

    value: float
    frames: np.ndarray
    quality: float


def verdict(rule: Rule, ctx: RepContext, check: Check, reading: Reading, direction: str | None = None,
            **extra: float | str | None) -> Finding:
    """A ``fault`` / ``ok`` finding for ``reading`` against ``check``, or ``not_assessable`` when its
    value is NaN or its landmarks were not seen."""
    value, frames, q = reading.value, reading.frames, reading.quality
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
    return np.asarray(idx[keep])


def baseline_median(x: np.ndarray, ctx: RepContext) -> float:
    """Median of ``x`` over the standing frames before the rep (the start frame at least)."""
    seg = x[ctx.baseline[0]:ctx.baseline[1]]
    return float(np.nanmedian(seg)) if np.isfinite(seg).any() else math.nan


def percentile(x: np.ndarray, q: float) -> float:
    """The ``q`` percentile of the finite values of ``x`` (NaN when there are none)."""
    return float(np.nanpercentile(x, q)) if np.isfinite(x).any() else math.nan


def signed_peak(x: np.ndarray) -> float:
    """The value whose size is the ``PEAK_PCT`` percentile of ``|x|``, with the sign of the larger side."""
    if not np.isfinite(x).any():
        return math.nan
    size = float(np.nanpercentile(np.abs(x), PEAK_PCT))
    return size if percentile(x, PEAK_PCT) >= -percentile(x, 100 - PEAK_PCT) else -size


def nan_median(x: np.ndarray) -> float:
    """The median of the finite values of ``x`` (NaN when there are none)."""
    return float(np.nanmedian(x)) if np.isfinite(x).any() else math.nan
