"""BlazePose's 33 landmarks and the whole-body centre of mass, from the simulated skeleton."""

from __future__ import annotations

import numpy as np

from formcoach.sim.body import COM_FRACTION, MASS_FRACTION, BodyDims
from formcoach.sim.skeleton import Skeleton, apply
from formcoach.track import LANDMARK_NAMES, N_LANDMARKS

#: Face landmarks in the head frame relative to the head's centre, in units of stature.
FACE_POINTS = {
    "nose": (0.064, 0.0, -0.012),
    "left_eye_inner": (0.054, 0.010, 0.010), "left_eye": (0.051, 0.018, 0.010),
    "left_eye_outer": (0.045, 0.027, 0.010),
    "right_eye_inner": (0.054, -0.010, 0.010), "right_eye": (0.051, -0.018, 0.010),
    "right_eye_outer": (0.045, -0.027, 0.010),
    "left_ear": (0.0, 0.044, 0.0), "right_ear": (0.0, -0.044, 0.0),
    "mouth_left": (0.047, 0.014, -0.032), "mouth_right": (0.047, -0.014, -0.032),
}
_BODY_POINTS = {"shoulder": "shoulder", "elbow": "elbow", "wrist": "wrist", "pinky": "pinky",
                "index": "index", "thumb": "thumb", "hip": "hip", "knee": "knee", "ankle": "ankle",
                "heel": "heel", "foot_index": "toe"}


def landmarks_world(skel: Skeleton, dims: BodyDims) -> np.ndarray:
    """(T, 33, 3) BlazePose landmark positions in the simulator's world frame, metres."""
    h = dims.shape.height_m
    n = len(skel.points["pelvis"])
    out = np.empty((n, N_LANDMARKS, 3))
    for i, name in enumerate(LANDMARK_NAMES):
        if name in FACE_POINTS:
            out[:, i] = skel.points["head"] + apply(skel.frames["head"], h * np.asarray(FACE_POINTS[name]))
            continue
        side, _, part = name.partition("_")
        out[:, i] = skel.points[f"{_BODY_POINTS[part]}_{side[0]}"]
    return out


#: Segments for the centre of mass: name -> (de Leva segment, proximal point, distal point).
SEGMENTS = {
    "head": ("head", "vertex", "neck"), "trunk": ("trunk", "neck", "pelvis"),
    **{f"{seg}_{s}": (seg, f"{a}_{s}", f"{b}_{s}") for s in "lr" for seg, a, b in (
        ("upper_arm", "shoulder", "elbow"), ("forearm", "elbow", "wrist"), ("hand", "wrist", "hand"),
        ("thigh", "hip", "knee"), ("shank", "knee", "ankle"), ("foot", "heel", "toe"))},
}


def centre_of_mass(skel: Skeleton, dims: BodyDims) -> np.ndarray:
    """(T, 3) whole-body centre of mass, metres: segment centres weighted by de Leva's masses."""
    sex = dims.shape.sex
    total = np.zeros_like(skel.points["pelvis"])
    weight = 0.0
    for seg, prox, dist in SEGMENTS.values():
        frac, mass = COM_FRACTION[sex][seg], MASS_FRACTION[sex][seg]
        p, d = skel.points[prox], skel.points[dist]
        total += mass * (p + frac * (d - p))
        weight += mass
    return np.asarray(total / weight)


def front_share(com: np.ndarray, front_heel: np.ndarray, front_toe: np.ndarray,
                back_toe: np.ndarray) -> np.ndarray:
    """(T,) share of body weight on the front foot, from the centre of mass's place between the feet.

    Static balance on two supports: the front foot bears on the midpoint of its heel and toe
    landmarks, the back foot (heel up) on its toe landmark; the share is where the floor
    projection of the centre of mass falls along the line between them (1 = over the front foot).
    """
    front = 0.5 * (front_heel + front_toe)[:, :2]
    line = front - back_toe[:, :2]
    along = np.sum((com[:, :2] - back_toe[:, :2]) * line, axis=1)
    return np.asarray(along / np.maximum(np.sum(line * line, axis=1), 1e-9))
