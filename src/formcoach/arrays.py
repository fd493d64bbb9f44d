"""Array helpers every stage shares: runs of a mask, the nearest frame, joint angles and leg length.

Pure numpy on whole arrays; landmark arrays are (T, 33, D) in MediaPipe's order (:data:`LM`).
"""

from __future__ import annotations

import numpy as np

from formcoach.track import LM
from formcoach.vocab import SIDES

__all__ = ["SIDES", "angle_deg", "hip_flexion_deg", "knee_flexion_deg", "leg_chains", "nearest_frame",
           "points", "runs"]


def runs(mask: np.ndarray) -> np.ndarray:
    """(n, 2) start/stop indices (stop exclusive) of the runs of True in a 1-D bool array."""
    padded = np.concatenate(([False], np.asarray(mask, dtype=bool), [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return edges.reshape(-1, 2)


def nearest_frame(times_s: np.ndarray, t_s: float) -> int:
    """Index of the frame (times ``times_s``, seconds, increasing) nearest ``t_s`` seconds; the
    earlier of two equally near."""
    i = int(np.clip(np.searchsorted(times_s, t_s), 0, len(times_s) - 1))
    if i > 0 and abs(times_s[i - 1] - t_s) <= abs(times_s[i] - t_s):
        i -= 1
    return i


def points(arr: np.ndarray, name: str) -> np.ndarray:
    """(T, D) positions of landmark ``name`` ("left_knee") in a (T, 33, D) array."""
    return np.asarray(arr[:, LM[name]])


def angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """(T,) angle at ``b`` between b->a and b->c, degrees; NaN where any point is missing."""
    u, v = a - b, c - b
    cos = (u * v).sum(-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.asarray(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def _as_3d(arr: np.ndarray) -> np.ndarray:
    """(T, 33, 3): image points (T, 33, 2) get z = 0."""
    if arr.shape[-1] == 2:
        return np.concatenate([arr, np.zeros((*arr.shape[:2], 1))], axis=-1)
    return arr


def knee_flexion_deg(arr: np.ndarray) -> np.ndarray:
    """(T, 2) knee flexion of the left and right leg, degrees (0 = straight), from (T, 33, 3) world
    or (T, 33, 2) image points."""
    p = _as_3d(arr)
    return np.stack([180.0 - angle_deg(*(points(p, f"{s}_{j}") for j in ("hip", "knee", "ankle")))
                     for s in SIDES], 1)


def hip_flexion_deg(arr: np.ndarray) -> np.ndarray:
    """(T, 2) hip flexion of the left and right leg, degrees (0 = thigh in line with the trunk), from
    (T, 33, 3) world or (T, 33, 2) image points: the thigh against the mid-hip to mid-shoulder line."""
    p = _as_3d(arr)
    trunk = 0.5 * (points(p, "left_shoulder") + points(p, "right_shoulder")) \
        - 0.5 * (points(p, "left_hip") + points(p, "right_hip"))
    return np.stack([180.0 - angle_deg(points(p, f"{s}_hip") + trunk, points(p, f"{s}_hip"),
                                       points(p, f"{s}_knee")) for s in SIDES], 1)


def leg_chains(arr: np.ndarray) -> np.ndarray:
    """(T, 2) hip-knee-ankle chain length of the left and right leg, in the points' unit (metres for
    world landmarks, pixels for image positions)."""
    return np.stack([np.linalg.norm(points(arr, f"{s}_knee") - points(arr, f"{s}_hip"), axis=-1)
                     + np.linalg.norm(points(arr, f"{s}_ankle") - points(arr, f"{s}_knee"), axis=-1)
                     for s in SIDES], 1)
