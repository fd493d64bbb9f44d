"""Rep segmentation: hysteresis on the lunge depth, one rep per prominent dip, and phase edges.

A rep starts when the movement begins (a foot steps, the knees bend or the hips sink), reaches
its bottom where the hips are lowest, and ends when the person is back standing still. Hysteresis
on the depth (enter above ``enter_depth``, leave below ``exit_depth``) keeps jitter near a
threshold from counting twice; the bottom phase's edges come from where the knees' speed stays
below a share of its peak, so a hold at the bottom becomes a bottom phase rather than a second
rep; start and end come from the movement's progress (:mod:`formcoach.analysis.onset`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from formcoach.analysis.filters import local_maxima
from formcoach.analysis.onset import RepFrames, movement_signals, start_and_end
from formcoach.analysis.params import AnalysisParams
from formcoach.analysis.signals import Features
from formcoach.arrays import runs

#: Gravity, m/s^2: a lowering that starts and ends at rest takes at least the time of a free fall
#: over its drop.
GRAVITY_M_S2 = 9.81


def hysteresis(x: np.ndarray, enter: float, leave: float) -> np.ndarray:
    """(T,) bool state: switches on when ``x > enter``, off when ``x < leave``; NaN keeps the state."""
    on = x > enter
    off = (x < leave) | ~np.isfinite(x)
    event = np.where(on | off, np.arange(len(x)), -1)
    last = np.maximum.accumulate(event) if len(x) else event
    return np.where(last >= 0, on[np.clip(last, 0, None)], False)


def labelled_runs(key: np.ndarray) -> np.ndarray:
    """(n, 2) start/stop of runs of equal non-negative values in an int array."""
    change = np.flatnonzero(np.diff(key) != 0) + 1
    starts = np.concatenate(([0], change))
    stops = np.concatenate((change, [len(key)]))
    keep = key[starts] >= 0
    return np.stack([starts[keep], stops[keep]], axis=1) if len(key) else np.zeros((0, 2), dtype=int)


def rate(times_s: np.ndarray, signal: np.ndarray, window_s: float = 0.0) -> np.ndarray:
    """(T,) time derivative of ``signal``, units per second; NaN where the signal is unknown.

    With ``window_s`` > 0 each frame's rate is the slope of a straight line fitted to the frames
    within half of ``window_s`` on either side, which averages pose jitter out of the speed."""
    if len(times_s) < 3:
        return np.zeros_like(signal)
    if window_s <= 0:
        return np.asarray(np.gradient(signal, times_s))
    half = max(1, int(round(0.5 * window_s / float(np.median(np.diff(times_s))))))
    n = len(times_s)
    idx = np.arange(n)[:, None] + np.arange(-half, half + 1)[None, :]
    inside = (idx >= 0) & (idx < n)
    idx = np.clip(idx, 0, n - 1)
    x, y = times_s[idx], signal[idx]
    ok = inside & np.isfinite(y)
    w = ok.astype(float)
    cnt = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = (w * x).sum(axis=1) / cnt
        my = (w * np.nan_to_num(y)).sum(axis=1) / cnt
        dx = (x - mx[:, None]) * w
        slope = (dx * (np.nan_to_num(y) - my[:, None])).sum(axis=1) / (dx * (x - mx[:, None])).sum(axis=1)
    return np.where((cnt >= 3) & np.isfinite(signal), slope, np.nan)


def _fastest(values: np.ndarray, lo: int, hi: int) -> int:
    """Index of the largest finite value in ``values[lo:hi]`` (``lo`` if none)."""
    seg = values[lo:hi]
    return lo + int(np.nanargmax(seg)) if hi > lo and np.isfinite(seg).any() else lo


def _settled(quiet: np.ndarray, times_s: np.ndarray, min_s: float, last: bool) -> int | None:
    """Index in ``quiet`` (bool over a window) of the inner edge of its last quiet run (``last``) or
    first one: a run counts if it lasts at least ``min_s`` seconds or touches the window's start
    (looking for the last) or end (looking for the first). None if there is none."""
    spans = runs(quiet)
    if len(spans) == 0:
        return None
    long = times_s[spans[:, 1] - 1] - times_s[spans[:, 0]] >= min_s
    touches = spans[:, 0] == 0 if last else spans[:, 1] == len(quiet)
    ok = spans[long | touches]
    if len(ok) == 0:
        return None
    return int(ok[-1, 1] - 1) if last else int(ok[0, 0])


def _cross(times_s: np.ndarray, speed: np.ndarray, k: int, step: int, threshold: float) -> float:
    """Time between quiet frame ``k`` and its moving neighbour ``k + step`` where ``speed`` crosses
    ``threshold`` (linear interpolation; the frame's own time if the neighbour is out of range)."""
    j = k + step
    if not 0 <= j < len(speed) or not np.isfinite(speed[[k, j]]).all() or speed[j] == speed[k]:
        return float(times_s[k])
    w = float(np.clip((threshold - speed[k]) / (speed[j] - speed[k]), 0.0, 1.0))
    return float(times_s[k] + w * (times_s[j] - times_s[k]))


@dataclass(frozen=True)
class PhaseSignals:
    """What a rep's phases are timed on, per frame: ``times_s`` (s), the knees' ``signal`` (degrees)
    and its ``speed`` (deg/s), the hips' ``depth`` and the ``movement`` signals
    (:func:`formcoach.analysis.onset.movement_signals`)."""

    times_s: np.ndarray
    signal: np.ndarray
    speed: np.ndarray
    depth: np.ndarray
    movement: np.ndarray


def phase_edges(sig: PhaseSignals, window: tuple[int, int, int], level: float, params: AnalysisParams
                ) -> tuple[float | None, float, float, float | None]:
    """Start, bottom first, bottom last and end time (s) of the rep at ``peak`` within ``[lo, hi)``
    (``window`` is ``(lo, peak, hi)``), with ``params.phase_speed_frac`` as ``frac`` and
    ``params.phase_pause_s`` as ``min_quiet_s`` below.

    The bottom phase is timed on ``signal`` (the knees, degrees; ``speed`` is its derivative): the
    fastest lowering is looked for after the last frame shallower than ``level`` and the fastest
    rising before the next one, so a bump before or after the rep cannot pull its edges away; the
    bottom phase runs between the pauses nearest the deepest point, among frames deeper than half
    of it. A pause is at least ``min_quiet_s`` of speed below ``frac`` of that phase's fastest
    (shorter dips are jitter), or reaches the edge of the search window; each edge is placed
    between frames where the speed crosses its threshold. Start and end come from the progress of
    the ``movement`` signals (:func:`formcoach.analysis.onset.start_and_end`, ``onset_share``,
    ``moving_share`` and ``onset_speed_frac``). Start or end is None when the hips never come above
    ``level`` on that side.
    """
    lo, peak, hi = window
    times_s, speed, depth = sig.times_s, sig.speed, sig.depth
    frac, min_quiet_s = params.phase_speed_frac, params.phase_pause_s
    before = np.flatnonzero(depth[lo:peak] < level)
    after = np.flatnonzero(depth[peak:hi] < level)
    lo_local = lo + int(before[-1]) if len(before) else lo
    hi_local = peak + int(after[0]) + 1 if len(after) else hi
    down = _fastest(speed, lo_local, peak + 1)
    up = _fastest(-speed, peak, hi_local)
    v_down, v_up = speed[down], -speed[up]
    deep = depth >= 0.5 * depth[peak]
    k = _settled(~(speed[down:peak + 1] > frac * v_down) & deep[down:peak + 1], times_s[down:peak + 1],
                 min_quiet_s, last=False)
    first = min(down + k if k is not None else peak, peak)
    k = _settled(~(-speed[peak:up + 1] > frac * v_up) & deep[peak:up + 1], times_s[peak:up + 1],
                 min_quiet_s, last=True)
    last = max(peak + k if k is not None else peak, peak)
    first_s = _cross(times_s, speed, first, -1, frac * v_down)
    last_s = _cross(times_s, -speed, last, +1, frac * v_up)
    start_s, end_s = start_and_end(sig.movement, times_s, RepFrames(lo, first, peak, last, hi), params)
    return (min(start_s, first_s) if len(before) else None, first_s, last_s,
            max(end_s, last_s) if len(after) and hi > up else None)


def split_peaks(depth: np.ndarray, a: int, b: int, min_prominence: float) -> list[int]:
    """Peaks of ``depth[a:b]``, one per rep: neighbouring local maxima are merged (keeping the
    deeper) unless the hips rise by more than ``min_prominence`` between them."""
    seg = np.nan_to_num(depth[a:b], nan=0.0)
    maxima = local_maxima(np.concatenate(([-np.inf], seg, [-np.inf])))
    kept: list[int] = []
    for p in (maxima - 1).tolist():
        if kept and min(seg[kept[-1]], seg[p]) - seg[kept[-1]:p + 1].min() < min_prominence:
            if seg[p] > seg[kept[-1]]:
                kept[-1] = p
            continue
        kept.append(p)
    return [a + p for p in kept] if kept else [a + int(np.argmax(seg))]


def candidate_spans(feat: Features, enter_depth: float, exit_depth: float) -> np.ndarray:
    """(n, 2) frame ranges where the hysteresis state is on, split at stretch boundaries."""
    state = np.zeros(len(feat.times_s), dtype=bool)
    for k in np.unique(feat.stretch[feat.stretch >= 0]):
        idx = np.flatnonzero(feat.stretch == k)
        state[idx] = hysteresis(feat.depth[idx], enter_depth, exit_depth)
    return labelled_runs(np.where(state, feat.stretch, -1))


@dataclass(frozen=True)
class Span:
    """One rep's edges: times in seconds and the nearest frames; ``cut`` is True when the footage
    ends it early; ``lo`` and ``hi`` bound the frames that belong to it (up to the shallowest frame
    towards its neighbours); ``phases_seen`` is False when the hips were not seen standing before
    it or after it within those bounds (they never came up to the rep's level there, or the footage
    starts or stops with them below ``exit_depth`` and they did not stand for ``cut_edge_window_s``
    between that edge and the rep), so its start or end, and its lowering or rise
    time, are only where the footage or its neighbour's dip cut it off; or when its lowering would
    have been quicker than a free fall over its drop (:func:`faster_than_falling`)."""

    start: int
    bottom_first: int
    peak: int
    bottom_last: int
    end: int
    cut: bool
    lo: int
    hi: int
    start_s: float
    bottom_first_s: float
    bottom_last_s: float
    end_s: float
    phases_seen: bool = True


def _bounds(feat: Features, peaks: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Search bounds around each peak: the middle of the shallowest stretch between it and its
    neighbours, or the edges of its stretch; and whether each bound is a stretch edge (the footage
    stops there)."""
    k = feat.stretch[peaks]
    idx = np.arange(len(feat.times_s))
    lo_edge = np.array([idx[feat.stretch == s][0] for s in k], dtype=int)
    hi_edge = np.array([idx[feat.stretch == s][-1] + 1 for s in k], dtype=int)
    lo, hi = lo_edge.copy(), hi_edge.copy()
    for i in range(1, len(peaks)):
        if k[i] == k[i - 1]:
            a, b = peaks[i - 1], peaks[i]
            seg = feat.depth[a:b + 1]
            low = float(np.nanmin(seg))
            # the middle of the standing between the two reps, not a jittery lowest frame in it
            near = np.flatnonzero(seg <= low + max(0.05, 0.1 * (min(seg[0], seg[-1]) - low)))
            split = a + (int(near[0]) + int(near[-1])) // 2
            hi[i - 1], lo[i] = split + 1, split
    return lo, hi, lo == lo_edge, hi == hi_edge


def phase_signal(feat: Features, params: AnalysisParams) -> np.ndarray:
    """(T,) mean knee flexion of both legs, degrees: the signal the bottom phase is timed on.

    Knee flexion grows in proportion to the movement from its first instant, while the hips sink
    only slowly at first. Where the depth came from the image (``feat.depth_from_image``), the
    world knee angles are as compressed as the world depth; the depth is used instead, plus the
    feet's spread in the image (both scaled to degrees by ``params.phase_depth_to_knee_deg`` and
    ``phase_spread_to_knee_deg``).
    """
    knees = np.mean(feat.knee_flexion_deg, axis=1)
    spread = np.linalg.norm(feat.feet_image[:, 1] - feat.feet_image[:, 0], axis=-1)
    image = params.phase_depth_to_knee_deg * feat.depth + params.phase_spread_to_knee_deg * spread
    return np.asarray(np.where(feat.depth_from_image, image, knees))


def edge_depths(times_s: np.ndarray, depth: np.ndarray, a: int, b: int, window_s: float
                ) -> tuple[float, float]:
    """The hips' depth where frames ``a..b-1`` begin and end: the median over their first and last
    ``window_s`` seconds (at least one frame each), so that one off frame at a stretch's edge (the
    person detector's first guess) cannot decide whether a rep was seen whole."""
    first = depth[a:max(a + 1, int(np.searchsorted(times_s, times_s[a] + window_s, side="right")))]
    last = depth[min(b - 1, int(np.searchsorted(times_s, times_s[b - 1] - window_s, side="left"))):b]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN edge gives NaN: not cut
        return float(np.nanmedian(first)), float(np.nanmedian(last))


def stood(times_s: np.ndarray, depth: np.ndarray, standing_depth: float, min_s: float) -> bool:
    """True when the hips stayed at or above ``standing_depth`` (depth at most that) for at least
    ``min_s`` seconds somewhere in these frames."""
    for lo, hi in runs(np.nan_to_num(depth, nan=np.inf) <= standing_depth):
        if times_s[hi - 1] - times_s[lo] >= min_s:
            return True
    return False


def faster_than_falling(lowering_s: float, drop_m: float) -> bool:
    """True when a lowering of ``lowering_s`` seconds from standing over a hip drop of ``drop_m``
    metres would be quicker than falling that far from rest: its start was found late (the hips
    were already on their way down), so it is not the lowering's time."""
    return drop_m > 0 and lowering_s < float(np.sqrt(2.0 * drop_m / GRAVITY_M_S2))


def rep_spans(feat: Features, cands: np.ndarray, params: AnalysisParams) -> list[Span]:
    """Phase edges of every rep: one per depth peak of each candidate run that stands out by at least
    ``enter_depth - exit_depth`` (see :func:`phase_edges` for the rest of ``params``).

    A rep is ``cut`` when an edge lies beyond the footage: its stretch starts while the hips are
    already past ``params.cut_start_share`` of the rep's depth, or stops while they are still past
    ``params.cut_end_share`` of it (the hips' depth at the edge: :func:`edge_depths`), or when its
    footage starts less than ``params.cut_min_seen_lowering_s`` before its bottom phase. A rep
    whose footage starts higher than that (someone who walks into view early in the descent) and is
    seen going all the way down and up counts; so does one that ends before the footage does.
    """
    exit_depth = params.exit_depth
    min_prominence = params.enter_depth - params.exit_depth
    peaks = [p for a, b in cands for p in split_peaks(feat.depth, int(a), int(b), min_prominence)]
    if not peaks:
        return []
    t = feat.times_s
    signal = phase_signal(feat, params)
    speed = rate(t, signal, params.phase_speed_window_s)
    sig = PhaseSignals(t, signal, speed, feat.depth, movement_signals(feat))
    lo, hi, lo_is_edge, hi_is_edge = _bounds(feat, peaks)
    spans = []
    for i, peak in enumerate(peaks):
        a, b = int(lo[i]), int(hi[i])
        level = max(exit_depth, 0.3 * feat.depth[peak])
        start, first, last, end = phase_edges(sig, (a, peak, b), level, params)
        start_found, end_found = start is not None, end is not None
        # a rep must be seen to come back up; its lowering may be partly out of view
        depth = feat.depth[peak]
        at_start, at_end = edge_depths(t, feat.depth, a, b, params.cut_edge_window_s)
        cut_start = start is None and lo_is_edge[i] and (
            at_start > max(exit_depth, params.cut_start_share * depth)
            or first - t[a] < params.cut_min_seen_lowering_s)
        cut_end = end is None and hi_is_edge[i] and at_end > max(exit_depth, params.cut_end_share * depth)
        start = float(t[a]) if start is None else start
        end = float(t[b - 1]) if end is None else end
        frames = [int(np.clip(np.searchsorted(t, x), a, b - 1)) for x in (start, first, last, end)]
        # standing seen on both sides: the hips came up to the rep's level within its window, and
        # the footage does not start or stop with them still down, unless they stood between the
        # rep and that edge (a looping clip that ends as the next rep begins)
        window = params.cut_edge_window_s
        seen = (start_found and end_found
                and not (lo_is_edge[i] and at_start > exit_depth
                         and not stood(t[a:frames[0] + 1], feat.depth[a:frames[0] + 1], exit_depth, window))
                and not (hi_is_edge[i] and at_end > exit_depth
                         and not stood(t[frames[3]:b], feat.depth[frames[3]:b], exit_depth, window)))
        # the lowering times the whole drop from standing: depth is the drop below standing
        drop_m = feat.depth[frames[1]] * params.full_lunge_drop_frac * feat.leg_length_m
        seen = seen and not faster_than_falling(first - start, float(drop_m))
        spans.append(Span(frames[0], min(frames[1], peak), peak, max(frames[2], peak), frames[3],
                          bool(cut_start or cut_end), a, b, start, first, last, end, seen))
    return spans
