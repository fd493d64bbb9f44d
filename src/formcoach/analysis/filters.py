"""Second-order Butterworth filters run forwards and backwards, and local maxima, in plain numpy.

They give what ``scipy.signal``'s ``butter(2, ..., output="sos")``, ``sosfiltfilt`` (odd padding,
steady-state initial conditions) and ``find_peaks`` (no conditions) give, to floating-point
rounding (``tests/analysis/test_filters.py`` compares them). They live here because importing
``scipy.signal`` takes 0.65 s, a third of re-analysing a video from its cached pose track.
"""

from __future__ import annotations

import math

import numpy as np


def butterworth2(cutoff: float, highpass: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``(b, a)`` of a digital second-order Butterworth filter (bilinear transform with the cut-off
    pre-warped), ``cutoff`` as a share of the Nyquist frequency (0 < cutoff < 1); ``a[0]`` is 1."""
    if not 0.0 < cutoff < 1.0:
        raise ValueError(f"the cut-off must lie between 0 and 1 of the Nyquist frequency, got {cutoff}")
    k = math.tan(math.pi * cutoff / 2)
    norm = 1.0 / (1.0 + math.sqrt(2.0) * k + k * k)
    a = np.array([1.0, 2.0 * (k * k - 1.0) * norm, (1.0 - math.sqrt(2.0) * k + k * k) * norm])
    b = np.array([1.0, -2.0, 1.0]) * norm if highpass else np.array([1.0, 2.0, 1.0]) * (k * k * norm)
    return b, a


def _steady_state(b: np.ndarray, a: np.ndarray) -> np.ndarray:
    """The filter's (2,) internal state after an endless input of ones (transposed direct form II)."""
    rhs = b[1:] - a[1:] * b[0]
    return np.linalg.solve(np.array([[1.0 + a[1], -1.0], [a[2], 1.0]]), rhs)


def _run(b: np.ndarray, a: np.ndarray, x: np.ndarray, state: np.ndarray) -> np.ndarray:
    """Filter ``x`` (T, C) along its first axis from the (2, C) initial ``state``."""
    y = np.empty_like(x)
    z0, z1 = state[0].copy(), state[1].copy()
    b0, b1, b2, a1, a2 = float(b[0]), float(b[1]), float(b[2]), float(a[1]), float(a[2])
    for n in range(len(x)):
        xn = x[n]
        yn = b0 * xn + z0
        z0 = b1 * xn - a1 * yn + z1
        z1 = b2 * xn - a2 * yn
        y[n] = yn
    return y


def filtfilt(b: np.ndarray, a: np.ndarray, x: np.ndarray, padlen: int) -> np.ndarray:
    """Zero-phase filtering of ``x`` (T,) or (T, C) along its first axis by the second-order filter
    ``(b, a)``: forwards, then backwards, each started in the steady state of its first sample,
    after extending both ends by ``padlen`` samples mirrored about the end value (odd extension)."""
    values = np.asarray(x, dtype=np.float64)
    flat = values.reshape(len(values), -1)
    if not 0 <= padlen < len(flat):
        raise ValueError(f"padlen must lie in [0, {len(flat) - 1}], got {padlen}")
    if padlen:
        flat = np.concatenate([2 * flat[:1] - flat[padlen:0:-1], flat,
                               2 * flat[-1:] - flat[-2:-padlen - 2:-1]])
    zi = _steady_state(b, a)[:, None]
    forward = _run(b, a, flat, zi * flat[0])
    backward = _run(b, a, forward[::-1], zi * forward[-1])[::-1]
    out = backward[padlen:len(backward) - padlen]
    return out.reshape(values.shape)


def local_maxima(x: np.ndarray) -> np.ndarray:
    """Indices of the samples of ``x`` (T,) higher than both neighbours; a flat top counts once, at
    its middle (the left one of two middles). The first and last samples are never maxima."""
    values = np.asarray(x, dtype=np.float64)
    if len(values) < 3:
        return np.zeros(0, dtype=np.intp)
    starts = np.concatenate([[0], np.flatnonzero(values[1:] != values[:-1]) + 1])
    ends = np.concatenate([starts[1:], [len(values)]]) - 1
    level = values[starts]
    top = np.zeros(len(starts), dtype=bool)
    top[1:-1] = (level[1:-1] > level[:-2]) & (level[1:-1] > level[2:])
    middles: np.ndarray = ((starts[top] + ends[top]) // 2).astype(np.intp)
    return middles
