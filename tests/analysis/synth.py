"""A small synthetic lunger for unit tests: exact timings, any view, frame rate, jitter and gaps.

The body is a stick figure in metres (thigh and shank 0.45 m) whose legs follow a cosine depth profile
per rep; the planted foot never slides, so feet move the way each lunge type moves them. World
landmarks use MediaPipe's axes (x right, y down, z away from the camera, origin between the hips).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcoach.track import LM, N_LANDMARKS, PoseTrack

THIGH_M, SHANK_M, HIP_HALF_M, TRUNK_M = 0.45, 0.45, 0.10, 0.50
VIEW_YAW_DEG = {"side": 90.0, "side_left": -90.0, "front": 0.0, "rear": 180.0, "oblique": 45.0}


@dataclass(frozen=True)
class Rep:
    """Ground truth of one synthetic rep (times in seconds)."""

    leg: str
    start_s: float
    bottom_s: float
    end_s: float
    lowering_s: float
    rise_s: float


def _profile(times_s: np.ndarray, plan: list[tuple[str, str, float]], lowering_s: float, bottom_s: float,
             rise_s: float, top_s: float, lead_s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                  np.ndarray, list[Rep]]:
    """Depth progress s (0..1), working leg (+1 right, -1 left), type code and phase (0 down, 1 up)."""
    s = np.zeros_like(times_s)
    leg = np.zeros_like(times_s)
    kind = np.zeros(len(times_s), dtype=int)
    rising = np.zeros_like(times_s)
    truth = []
    t0 = lead_s
    kinds = {"reverse": 0, "forward": 1, "walking": 2, "split": 3, "lateral": 4}
    for side, lunge, depth in plan:
        t1, t2, t3 = t0 + lowering_s, t0 + lowering_s + bottom_s, t0 + lowering_s + bottom_s + rise_s
        down = (times_s >= t0) & (times_s < t1)
        s[down] = depth * 0.5 * (1 - np.cos(np.pi * (times_s[down] - t0) / lowering_s))
        hold = (times_s >= t1) & (times_s < t2)
        s[hold] = depth
        up = (times_s >= t2) & (times_s < t3)
        s[up] = depth * 0.5 * (1 + np.cos(np.pi * (times_s[up] - t2) / rise_s))
        rising[hold | up] = 1
        span = (times_s >= t0) & (times_s < t3)
        leg[span] = 1.0 if side == "right" else -1.0
        kind[span] = kinds[lunge]
        truth.append(Rep(side, t0, 0.5 * (t1 + t2), t3, lowering_s, rise_s))
        t0 = t3 + top_s
    # between reps the body keeps the last rep's stance (a split squat stays split)
    idx = np.maximum.accumulate(np.where(leg != 0, np.arange(len(leg)), 0))
    first = int(np.argmax(leg != 0)) if (leg != 0).any() else 0
    idx = np.where(np.arange(len(leg)) < first, first, idx)
    leg, kind = leg[idx], kind[idx]
    return s, leg, kind, rising, truth


def _chain(a: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Knee and ankle in the sagittal plane for thigh angle ``a`` and knee flexion ``k`` (rad)."""
    zero = np.zeros_like(a)
    knee = np.stack([THIGH_M * np.sin(a), THIGH_M * np.cos(a), zero], 1)
    return knee, knee + np.stack([SHANK_M * np.sin(a - k), SHANK_M * np.cos(a - k), zero], 1)


def _legs(s: np.ndarray, leg: np.ndarray, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Knee and ankle of each leg in the body frame (forward, down, right), metres, (T, 2, 3).

    Lunges: the front thigh comes to about level and both knees bend 90 deg; a split squat keeps the
    feet apart at the top. A lateral lunge bends one leg while the other, straight, slides sideways.
    """
    split = np.where(kind == 3, 1.0, 0.0)
    lateral = (kind == 4)[:, None]
    front = _chain(np.radians(25.0) * split + np.radians(55.0 + 25.0 * (1 - split)) * s, np.radians(90.0) * s)
    back = _chain(-np.radians(25.0) * split - np.radians(35.0 - 25.0 * split) * s, np.radians(90.0) * s)
    bent = _chain(np.radians(60.0) * s, np.radians(100.0) * s)
    theta = np.arccos(np.clip(bent[1][:, 1] / (THIGH_M + SHANK_M), -1.0, 1.0))
    knees, ankles = np.zeros((len(s), 2, 3)), np.zeros((len(s), 2, 3))
    for j, sign in enumerate((-1.0, 1.0)):  # 0 left, 1 right
        is_front = ((leg == sign) | (leg == 0))[:, None]
        straight = [np.stack([np.zeros_like(s), length * np.cos(theta), sign * length * np.sin(theta)], 1)
                    for length in (THIGH_M, THIGH_M + SHANK_M)]
        knees[:, j] = np.where(lateral, np.where(is_front, bent[0], straight[0]),
                               np.where(is_front, front[0], back[0]))
        ankles[:, j] = np.where(lateral, np.where(is_front, bent[1], straight[1]),
                                np.where(is_front, front[1], back[1]))
        knees[:, j, 2] += sign * HIP_HALF_M
        ankles[:, j, 2] += sign * HIP_HALF_M
    return knees, ankles


def _body(s: np.ndarray, leg: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """(T, 33, 3) landmarks in the body frame (forward, down, right), origin between the hips."""
    knees, ankles = _legs(s, leg, kind)
    out = np.zeros((len(s), N_LANDMARKS, 3))
    lean = np.radians(15.0) * s
    shoulder = np.stack([TRUNK_M * np.sin(lean), -TRUNK_M * np.cos(lean), np.zeros_like(s)], 1)
    head = shoulder + np.array([0.05, -0.25, 0.0])
    for j, side in enumerate(("left", "right")):
        sign = -1.0 if side == "left" else 1.0
        lat = np.array([0.0, 0.0, sign])
        out[:, LM[f"{side}_hip"]] = HIP_HALF_M * lat
        out[:, LM[f"{side}_knee"]] = knees[:, j]
        out[:, LM[f"{side}_ankle"]] = ankles[:, j]
        out[:, LM[f"{side}_heel"]] = ankles[:, j] + np.array([-0.06, 0.05, 0.0])
        out[:, LM[f"{side}_foot_index"]] = ankles[:, j] + np.array([0.16, 0.06, 0.0])
        out[:, LM[f"{side}_shoulder"]] = shoulder + 0.18 * lat
        out[:, LM[f"{side}_elbow"]] = shoulder + 0.2 * lat + np.array([0.0, 0.28, 0.0])
        for part in ("wrist", "pinky", "index", "thumb"):
            out[:, LM[f"{side}_{part}"]] = shoulder + 0.2 * lat + np.array([0.05, 0.52, 0.0])
        for part in ("eye_inner", "eye", "eye_outer", "ear"):
            out[:, LM[f"{side}_{part}"]] = head + np.array([0.08 if part != "ear" else 0.0, 0.0, 0.04 * sign])
    out[:, LM["nose"]] = head + np.array([0.11, 0.03, 0.0])
    out[:, LM["mouth_left"]] = head + np.array([0.1, 0.07, -0.02])
    out[:, LM["mouth_right"]] = head + np.array([0.1, 0.07, 0.02])
    return out


def _root(body: np.ndarray, leg: np.ndarray, kind: np.ndarray, rising: np.ndarray) -> np.ndarray:
    """(T, 3) hip position in the room (forward, down, right) such that the planted foot stays put."""
    ankles = body[:, [LM["left_ankle"], LM["right_ankle"]]]
    front = np.where(leg > 0, 1, 0)
    front_ank = ankles[np.arange(len(leg)), front]
    back_ank = ankles[np.arange(len(leg)), 1 - front]
    planted_front = (kind == 0) | (kind == 3) | (kind == 4) | ((kind == 2) & (rising > 0))
    planted = np.where(planted_front[:, None], front_ank, back_ank)
    root = -planted
    root[:, 1] = -np.max(ankles[:, :, 1], axis=1)
    # forward travel of a walking lunge: cumulative where the planted foot switches
    switch = np.flatnonzero(planted_front[1:] != planted_front[:-1]) + 1
    offset = np.zeros((len(leg), 3))
    for i in switch:
        offset[i:] += (root[i - 1] - root[i]) * np.array([1.0, 0.0, 1.0])
    return root + offset


def lunge_track(plan: list[tuple[str, str, float]], *, fps: float = 30.0, lowering_s: float = 2.0,
                bottom_s: float = 0.4, rise_s: float = 1.0, top_s: float = 1.0, lead_s: float = 1.0,
                tail_s: float = 1.0, view: str = "side", jitter_m: float = 0.0, seed: int = 0,
                variable_fps: bool = False, enter_s: float = 0.0,
                gaps_s: tuple[tuple[float, float], ...] = ()) -> tuple[PoseTrack, list[Rep]]:
    """A pose track of the reps in ``plan`` (each ``(leg, lunge type, depth 0..1)``) and their truth.

    ``enter_s``: the person walks in from beyond the right edge of the frame during the first
    seconds (not found while their hips are outside it). ``gaps_s``: spans with no person found
    (a title card, a dropout).
    """
    rng = np.random.default_rng(seed)
    total = lead_s + len(plan) * (lowering_s + bottom_s + rise_s + top_s) - top_s + tail_s
    if variable_fps:
        dt = rng.uniform(0.5, 1.5, size=int(total * fps) + 2) / fps
        times = np.cumsum(dt) - dt[0]
        times = times[times < total]
    else:
        times = np.arange(0.0, total, 1.0 / fps)
    s, leg, kind, rising, truth = _profile(times, plan, lowering_s, bottom_s, rise_s, top_s, lead_s)
    body = _body(s, leg, kind)
    root = _root(body, leg, kind, rising)
    yaw = np.radians(VIEW_YAW_DEG[view])
    # body frame (forward, down, right) -> camera (x right, y down, z away); yaw 0 faces the camera
    fwd = np.array([np.sin(yaw), 0.0, -np.cos(yaw)])
    down = np.array([0.0, 1.0, 0.0])
    right = np.cross(fwd, -down)
    rot = np.stack([fwd, down, right], axis=0)
    world = body @ rot + rng.normal(0.0, jitter_m, size=body.shape)
    room = (body + root[:, None, :]) @ rot + np.array([0.0, 1.0, 4.5])
    room = room + rng.normal(0.0, jitter_m, size=room.shape)
    if enter_s > 0:
        room[..., 0] += np.clip(1.0 - times / enter_s, 0.0, None)[:, None] * 5.0
        # a walking gait while entering: the legs swing a little
        swing = 0.15 * np.sin(2 * np.pi * 1.0 * times) * (times < enter_s)
        for side, sign in (("left", 1.0), ("right", -1.0)):
            for part in ("knee", "ankle", "heel", "foot_index"):
                room[:, LM[f"{side}_{part}"], 0] += sign * swing
    focal = 1.2
    x = 0.5 + focal * room[..., 0] / room[..., 2] * 9 / 16
    y = 0.5 + focal * room[..., 1] / room[..., 2]
    image = np.stack([x, y, world[..., 2], np.full(x.shape, 0.9)], axis=-1)
    hidden = x[:, [LM["left_hip"], LM["right_hip"]]].mean(axis=1) > 1.0
    for a, b in gaps_s:
        hidden |= (times >= a) & (times < b)
    image[hidden] = np.nan
    world = world.copy()
    world[hidden] = np.nan
    return PoseTrack(times, image, world, 1280, 720, fps, "synthetic"), truth
