"""When a rep starts and ends: the movement's progress from standing to the bottom.

A rep starts when the movement begins, whichever part of the body moves first: the stepping foot
(a reverse lunge's step back comes before the hips sink), the knees or the hips. Each of these
signals is turned into progress, 0 standing and 1 at the rep's deepest point, against the standing
level before the rep (for its start) or after it (for its end); the rep's progress is the most
advanced of them. The start is where that progress last leaves standing before it climbs through
a larger share on the way to the bottom, traced back to where it began to move; the end is where
it first comes back to standing after the rise, traced on to where it stopped. Thresholds are
shares of each rep's own range, so a slow, smooth lowering (whose first second moves little) is
timed from where it begins, not from where it speeds up.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from formcoach.analysis.params import AnalysisParams
from formcoach.analysis.signals import Features

#: the movement signals, in the columns of :func:`movement_signals`
SIGNALS = ("knees", "depth", "feet_world", "feet_image")
#: smallest change from standing to the bottom for a signal to time a rep on, in its own unit:
#: knee flexion (degrees), depth (share of a full lunge), the feet's spread in the world and in
#: the image (leg lengths). A split squat's feet do not spread, and a step seen along the camera's
#: axis can spread them little; a smaller change is too close to the pose model's jitter to time
MIN_RANGE = np.array([20.0, 0.1, 0.1, 0.1])
#: a signal is still while it changes by less than this share of its range per second (a smooth
#: 2 s lowering moves at 0.75 per second at its fastest)
STILL_PER_S = 0.1


def movement_signals(feat: Features) -> np.ndarray:
    """(T, 4) signals that grow from standing to the bottom of a lunge (see :data:`SIGNALS`).

    The mean knee flexion of both legs (degrees), the depth, and the horizontal distance between
    the feet in the world and in the image (leg lengths). Where the depth came from the image
    (``feat.depth_from_image``) the world landmarks miss the movement along the camera's axis, so
    the world knees and feet are left out (NaN).
    """
    knees = np.mean(feat.knee_flexion_deg, axis=1)
    apart = feat.feet_world[:, 1] - feat.feet_world[:, 0]
    world = np.linalg.norm(apart[:, [0, 2]], axis=-1)
    image = np.linalg.norm(feat.feet_image[:, 1] - feat.feet_image[:, 0], axis=-1)
    compressed = feat.depth_from_image
    return np.stack([np.where(compressed, np.nan, knees), feat.depth, np.where(compressed, np.nan, world),
                     image], axis=1)


def progress(times_s: np.ndarray, signals: np.ndarray, bottom: np.ndarray, outer: int,
             min_range: np.ndarray = MIN_RANGE) -> np.ndarray:
    """(n,) progress from standing (0) to ``bottom`` (1) of the most advanced of ``signals`` (n, C).

    A column's standing level is its median over its still frames (changing by less than
    :data:`STILL_PER_S` of its range per second) within half of the way from its lowest value to
    ``bottom`` (C,), or, with no such frame, its value at frame ``outer`` (the window's edge away
    from the rep: 0 before it, -1 after it). A column whose change from standing to the bottom is
    under ``min_range`` (C,) is left out. NaN where no column is known.
    """
    if len(signals) < 2:
        return np.full(len(signals), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns are left out below
        lowest = np.nanmin(signals, axis=0)
        scale = np.abs(bottom - lowest)
        speed = np.abs(np.gradient(signals, times_s, axis=0)) / np.where(scale > 0, scale, np.inf)
        near = (speed < STILL_PER_S) & (signals <= lowest + 0.5 * (bottom - lowest))
        standing = np.nanmedian(np.where(near, signals, np.nan), axis=0)
        standing = np.where(np.isfinite(standing), standing, signals[outer])
        change = bottom - standing
        keep = np.isfinite(change) & (change >= min_range)
        if not keep.any():
            return np.full(len(signals), np.nan)
        return np.asarray(np.nanmax((signals[:, keep] - standing[keep]) / change[keep], axis=1))


def _between(times_s: np.ndarray, values: np.ndarray, k: int, level: float) -> float:
    """Time between frames ``k`` and ``k + 1`` where ``values`` crosses ``level`` (linear)."""
    if k + 1 >= len(values) or not np.isfinite(values[[k, k + 1]]).all() or values[k + 1] == values[k]:
        return float(times_s[k])
    w = float(np.clip((level - values[k]) / (values[k + 1] - values[k]), 0.0, 1.0))
    return float(times_s[k] + w * (times_s[k + 1] - times_s[k]))


def leaves_standing(times_s: np.ndarray, share: np.ndarray, onset_share: float, moving_share: float,
                    still_frac: float) -> float:
    """Time a movement begins, from its progress ``share`` over a window that ends in it.

    The movement is found where ``share`` last rises through ``moving_share``; it has begun by the
    last frame before that at most ``onset_share``, and began where, going back from there, its
    speed first drops below ``still_frac`` of the movement's fastest, or its progress to 0 (with
    jitter, whichever comes first). The speed is taken between neighbouring frames and placed
    half-way between them, so a low frame rate does not widen the movement by a frame on each side;
    the crossing is interpolated. The window's first time if the progress is never that low.
    (Reverse both arrays for when a movement ends.)
    """
    low = np.flatnonzero(share < moving_share)
    if len(low) == 0:
        return float(times_s[0])
    rest = np.flatnonzero(share[:low[-1] + 1] <= onset_share)
    if len(rest) == 0 or len(share) < 3:
        return float(times_s[0])
    k = int(rest[-1])
    u = np.abs(times_s - times_s[0])  # distance from the window's outer edge, also reversed
    du = np.diff(u)
    speed = np.diff(share) / np.where(du > 0, du, np.nan)  # between frames i and i + 1
    mid = 0.5 * (u[1:] + u[:-1])
    fastest = float(np.nanmax(speed[k:])) if np.isfinite(speed[k:]).any() else 0.0
    level = still_frac * fastest
    zero = np.flatnonzero(share[:k + 1] <= 0.0)
    slow = np.flatnonzero(speed[:k] <= level)
    found = []
    if len(zero):
        found.append(_between(u, share, int(zero[-1]), 0.0))
    if len(slow):
        found.append(_between(mid, speed, int(slow[-1]), level))
    if not found:
        return float(times_s[0])
    direction = 1.0 if times_s[-1] >= times_s[0] else -1.0
    return float(times_s[0] + direction * max(found))


@dataclass(frozen=True)
class RepFrames:
    """Frame indices of one rep being timed: its search window ``[lo, hi)``, the bottom phase's first
    and last frame and the deepest frame ``peak``."""

    lo: int
    first: int
    peak: int
    last: int
    hi: int


def start_and_end(signals: np.ndarray, times_s: np.ndarray, frames: RepFrames,
                  params: AnalysisParams) -> tuple[float, float]:
    """Start and end time (s) of the rep deepest at ``frames.peak`` within frames ``[lo, hi)``, which
    reaches its bottom at frame ``first`` and leaves it at ``last``: where the progress towards
    ``signals[peak]`` last leaves standing (``params.onset_share``) before the lowering, and first
    comes back to it after the rise, measured against the standing before and after the rep (see
    :func:`leaves_standing`; ``params.moving_share``, and ``params.onset_speed_frac`` as its
    ``still_frac``)."""
    lo, first, peak, last, hi = frames.lo, frames.first, frames.peak, frames.last, frames.hi
    onset_share, moving_share, still_frac = params.onset_share, params.moving_share, params.onset_speed_frac
    bottom = signals[peak]
    down = progress(times_s[lo:first + 1], signals[lo:first + 1], bottom, 0)
    up = progress(times_s[last:hi], signals[last:hi], bottom, -1)[::-1]
    start = leaves_standing(times_s[lo:first + 1], down, onset_share, moving_share, still_frac)
    end = leaves_standing(times_s[last:hi][::-1], up, onset_share, moving_share, still_frac)
    return start, end
