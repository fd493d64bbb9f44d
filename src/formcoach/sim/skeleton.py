"""Forward kinematics of the synthetic athlete: joint-angle channels in, 3D joint positions out.

The simulator's world frame: metres, x forward (the athlete faces +x throughout), y to the
athlete's left, z up, the floor at z = 0, the front ankle at x = 0 when standing. The front leg is
built from its planted foot upwards (so that foot cannot slide), the pelvis hangs on the front hip,
and the back leg reaches its foot by two-link inverse kinematics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcoach.sim.body import BodyDims, foot_points


@dataclass(frozen=True)
class Channels:
    """Per-frame drivers of the pose, every field a (T,) float array.

    side is +1 when the left leg is in front, -1 for the right. Angles in degrees: shank_deg is
    the front shank's forward lean from vertical, thigh_deg the front thigh's backward lean from
    vertical (knee flexion = shank_deg + thigh_deg), trunk_deg the forward lean of pelvis and
    trunk, valgus_deg the front knee's signed frontal-plane angle (+ = towards the midline),
    obliquity_deg/yaw_deg the pelvis roll (+ = left side up) and turn (+ = towards the left),
    sway_deg a roll of the whole front leg about its ankle, back_pitch_deg the back rear-foot's
    angle to the floor. Lengths in metres: heel_lift_m (front rear-foot pivots on the ball),
    back_x_m the back foot's displacement from standing (<= 0), back_lift_m its height off the
    floor, front_lift_m the front foot's height in a forward lunge's step, shift_x_m a forward
    shift of the whole body (forward lunges).
    """

    side: np.ndarray
    shank_deg: np.ndarray
    thigh_deg: np.ndarray
    trunk_deg: np.ndarray
    valgus_deg: np.ndarray
    heel_lift_m: np.ndarray
    obliquity_deg: np.ndarray
    yaw_deg: np.ndarray
    sway_deg: np.ndarray
    back_x_m: np.ndarray
    back_lift_m: np.ndarray
    back_pitch_deg: np.ndarray
    front_lift_m: np.ndarray
    shift_x_m: np.ndarray


@dataclass(frozen=True)
class Skeleton:
    """Joint positions (name -> (T, 3) metres, world frame) and body frames (name -> (T, 3, 3))."""

    points: dict[str, np.ndarray]
    frames: dict[str, np.ndarray]


def rot(axis: int, angle_rad: np.ndarray) -> np.ndarray:
    """(T, 3, 3) right-handed rotations about world axis 0 (x), 1 (y) or 2 (z) by ``angle_rad``."""
    a = np.asarray(angle_rad, dtype=np.float64)
    c, s = np.cos(a), np.sin(a)
    out = np.zeros((*a.shape, 3, 3))
    i, j = [(1, 2), (2, 0), (0, 1)][axis]
    out[..., axis, axis] = 1.0
    out[..., i, i], out[..., j, j] = c, c
    out[..., i, j], out[..., j, i] = -s, s
    return out


def apply(frame: np.ndarray, local: np.ndarray) -> np.ndarray:
    """Rotate local vectors: frame (T, 3, 3) times local (3,) or (T, 3) -> (T, 3)."""
    return np.asarray(np.einsum("tij,...tj->...ti", frame, np.broadcast_to(local, frame.shape[:-1])))


def unit(v: np.ndarray) -> np.ndarray:
    """Vectors scaled to length 1 along the last axis."""
    return np.asarray(v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12))


def rotate_about(points: np.ndarray, origin: np.ndarray, axis: np.ndarray,
                 angle_rad: np.ndarray) -> np.ndarray:
    """Rodrigues rotation of (T, 3) points about the line through origin along axis (T, 3)."""
    k = unit(axis)
    v = points - origin
    c, s = np.cos(angle_rad)[:, None], np.sin(angle_rad)[:, None]
    dot = np.sum(k * v, axis=1, keepdims=True)
    return np.asarray(origin + v * c + np.cross(k, v) * s + k * dot * (1.0 - c))


def two_link(root: np.ndarray, target: np.ndarray, upper_m: float, lower_m: float,
             pole: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Analytic two-link IK: (middle joint, reached end), both (T, 3) metres.

    The middle joint bends towards ``pole`` (a direction); a target out of reach is approached
    along the straight line from the root.
    """
    to = target - root
    dist = np.linalg.norm(to, axis=1)
    reach = np.clip(dist, abs(upper_m - lower_m) + 1e-6, (upper_m + lower_m) * 0.99999)
    u = unit(to)
    w = unit(pole - np.sum(pole * u, axis=1, keepdims=True) * u)
    cos_a = (upper_m**2 + reach**2 - lower_m**2) / (2 * upper_m * reach)
    sin_a = np.sqrt(np.clip(1.0 - cos_a**2, 0.0, 1.0))
    middle = root + upper_m * (cos_a[:, None] * u + sin_a[:, None] * w)
    end = root + u * reach[:, None]
    return middle, end


def frontal_angle(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray, side: np.ndarray) -> np.ndarray:
    """(T,) signed knee frontal-plane projection angle, degrees; + = knee towards the midline.

    The points are projected on the world's y-z plane (the athlete's frontal plane); the angle is
    180 minus the hip-knee-ankle angle there; ``side`` (+1 left leg, -1 right) sets the sign.
    """
    a, b = hip[:, 1:] - knee[:, 1:], ankle[:, 1:] - knee[:, 1:]
    cos = np.sum(a * b, axis=1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-12)
    angle = 180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    frac = (knee[:, 2] - ankle[:, 2]) / np.where(np.abs(hip[:, 2] - ankle[:, 2]) > 1e-9,
                                                 hip[:, 2] - ankle[:, 2], 1e-9)
    line_y = ankle[:, 1] + frac * (hip[:, 1] - ankle[:, 1])
    medial = -side * (knee[:, 1] - line_y)
    return np.asarray(np.where(medial >= 0, angle, -angle))


def _foot(dims: BodyDims, ball: np.ndarray, pitch_rad: np.ndarray) -> dict[str, np.ndarray]:
    """Foot points (T, 3) with the toes flat and the rear foot pitched heel-up about the ball."""
    pts = foot_points(dims)
    bx, bz = pts["ball"]
    c, s = np.cos(pitch_rad), np.sin(pitch_rad)
    out = {"ball": ball.copy(), "toe": ball + np.array([pts["toe"][0] - bx, 0.0, pts["toe"][1] - bz])}
    for name in ("ankle", "heel"):
        dx, dz = pts[name][0] - bx, pts[name][1] - bz
        out[name] = ball + np.stack([dx * c + dz * s, 0 * c, -dx * s + dz * c], axis=1)
    return out


def _solve_valgus(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray, side: np.ndarray,
                  target_deg: np.ndarray) -> np.ndarray:
    """Knee rotated about the hip-ankle axis so its frontal-plane angle equals ``target_deg``."""
    if not np.any(target_deg):
        return knee
    axis = hip - ankle
    lo, hi = np.full(len(side), -1.4), np.full(len(side), 1.4)
    for _ in range(28):
        mid = 0.5 * (lo + hi)
        got = frontal_angle(hip, rotate_about(knee, ankle, axis, -side * mid), ankle, side)
        below = got < target_deg
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return rotate_about(knee, ankle, axis, -side * 0.5 * (lo + hi))


def front_leg(dims: BodyDims, ch: Channels, stance_m: float) -> dict[str, np.ndarray]:
    """Front foot, ankle, knee and hip (T, 3), built up from the planted foot."""
    n = len(ch.side)
    pts = foot_points(dims)
    ball = np.stack([np.full(n, pts["ball"][0]), ch.side * stance_m / 2, np.full(n, pts["ball"][1])], 1)
    lever = pts["ball"][0] - pts["heel"][0]
    foot = _foot(dims, ball, np.arcsin(np.clip(ch.heel_lift_m / lever, 0.0, 0.9)))
    ankle = foot["ankle"]
    th, ph = np.radians(ch.shank_deg), np.radians(ch.thigh_deg)
    knee = ankle + dims.shank * np.stack([np.sin(th), 0 * th, np.cos(th)], axis=1)
    hip = knee + dims.thigh * np.stack([-np.sin(ph), 0 * ph, np.cos(ph)], axis=1)
    knee = _solve_valgus(hip, knee, ankle, ch.side, ch.valgus_deg)
    reach = np.hypot(hip[:, 1] - ankle[:, 1], hip[:, 2] - ankle[:, 2])
    inward = np.arcsin(np.clip(ch.side * (dims.hip_half_width - stance_m / 2) / reach, -0.5, 0.5))
    sway = np.radians(ch.sway_deg) - inward
    x_axis = np.broadcast_to(np.array([1.0, 0.0, 0.0]), knee.shape)
    knee, hip = (rotate_about(p, ankle, x_axis, sway) for p in (knee, hip))
    return {"hip": hip, "knee": knee, **foot}


def back_leg(dims: BodyDims, ch: Channels, hip: np.ndarray, stance_m: float) -> dict[str, np.ndarray]:
    """Back foot, ankle and knee (T, 3): the foot placed by the channels, the knee by IK."""
    n = len(ch.side)
    pts = foot_points(dims)
    ball = np.stack([pts["ball"][0] + ch.back_x_m, -ch.side * stance_m / 2,
                     pts["ball"][1] + ch.back_lift_m], axis=1)
    foot = _foot(dims, ball, np.radians(ch.back_pitch_deg))
    pole = np.broadcast_to(np.array([1.0, 0.0, -0.2]), (n, 3))
    knee, ankle = two_link(hip, foot["ankle"], dims.thigh, dims.shank, pole)
    offset = ankle - foot["ankle"]
    return {"hip": hip, "knee": knee, **{k: v + offset for k, v in foot.items()}}


def _arms(dims: BodyDims, pts: dict[str, np.ndarray], frames: dict[str, np.ndarray],
          arms: str) -> None:
    """Add elbows, wrists and hand points (index, pinky, thumb, hand centre) for both arms."""
    h = dims.shape.height_m
    pelvis, trunk = frames["pelvis"], frames["trunk"]
    hand_len = 2.1 * dims.hand
    for side, s in (("l", 1.0), ("r", -1.0)):
        shoulder = pts[f"shoulder_{side}"]
        if arms == "hips":
            target = pts["pelvis"] + apply(pelvis, np.array([0.0, s * (dims.hip_half_width + 0.045 * h),
                                                             0.10 * h]))
            pole = apply(trunk, np.array([-0.5, s * 1.0, 0.0]))
            fingers = apply(pelvis, unit(np.array([0.5, -0.15 * s, -0.85])))
            thumb = apply(pelvis, np.array([-1.0, 0.0, 0.2]))
        else:
            down = dims.upper_arm + dims.forearm
            target = shoulder + np.array([0.04 * h, s * 0.02 * h, -0.97 * down])
            pole = np.broadcast_to(np.array([-1.0, 0.0, 0.0]), shoulder.shape)
            fingers = thumb = np.zeros_like(shoulder)
        elbow, wrist = two_link(shoulder, target, dims.upper_arm, dims.forearm, pole)
        if arms != "hips":
            fingers = unit(wrist - elbow)
            thumb = np.broadcast_to(np.array([1.0, 0.0, 0.0]), fingers.shape)
        thumb = unit(thumb - np.sum(thumb * fingers, axis=1, keepdims=True) * fingers)
        pts[f"elbow_{side}"], pts[f"wrist_{side}"] = elbow, wrist
        pts[f"hand_{side}"] = wrist + 0.45 * hand_len * fingers
        pts[f"index_{side}"] = wrist + hand_len * (0.9 * fingers + 0.12 * thumb)
        pts[f"pinky_{side}"] = wrist + hand_len * (0.78 * fingers - 0.22 * thumb)
        pts[f"thumb_{side}"] = wrist + hand_len * (0.45 * fingers + 0.38 * thumb)
        frames[f"hand_{side}"] = np.stack([fingers, thumb, np.cross(fingers, thumb)], axis=2)


def _upper_body(dims: BodyDims, ch: Channels, front_hip: np.ndarray,
                arms: str) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Pelvis, hips, trunk, neck, head and arms (T, 3) hung from the front hip."""
    h = dims.shape.height_m
    yaw, obl, lean = (np.radians(a) for a in (ch.yaw_deg, ch.obliquity_deg, ch.trunk_deg))
    pelvis = rot(2, yaw) @ rot(0, obl) @ rot(1, lean)
    trunk = rot(2, 0.5 * yaw) @ rot(1, lean)
    head = rot(2, 0.5 * yaw) @ rot(1, 0.45 * lean)
    hw = dims.hip_half_width
    centre = front_hip - apply(pelvis, np.stack([0 * ch.side, ch.side * hw, 0 * ch.side], 1))
    pts = {"pelvis": centre,
           "hip_l": centre + apply(pelvis, np.array([0.0, hw, 0.0])),
           "hip_r": centre + apply(pelvis, np.array([0.0, -hw, 0.0]))}
    neck = centre + apply(trunk, np.array([0.0, 0.0, dims.trunk]))
    pts["neck"] = neck
    for side, s in (("l", 1.0), ("r", -1.0)):
        pts[f"shoulder_{side}"] = neck + apply(trunk, np.array([0.0, s * dims.shoulder_half_width,
                                                                 -dims.shoulder_drop]))
    pts["head"] = neck + apply(head, np.array([0.018 * h, 0.0, 0.084 * h]))
    pts["vertex"] = pts["head"] + apply(head, np.array([0.0, 0.0, 0.066 * h]))
    frames = {"pelvis": pelvis, "trunk": trunk, "head": head}
    _arms(dims, pts, frames, arms)
    return pts, frames


def build_skeleton(dims: BodyDims, ch: Channels, stance_m: float, arms: str = "hips") -> Skeleton:
    """Every joint of the athlete over time from the channels (see :class:`Channels`).

    Points are named ``<joint>_l`` / ``<joint>_r`` by the athlete's own left and right.
    """
    front = front_leg(dims, ch, stance_m)
    pts, frames = _upper_body(dims, ch, front["hip"], arms)
    left = (ch.side > 0)[:, None]
    back_hip = np.where(left, pts["hip_r"], pts["hip_l"])
    back = back_leg(dims, ch, back_hip, stance_m)
    if np.any(ch.front_lift_m > 0):
        front = _lift_front(dims, ch, front, stance_m)
    for name in ("knee", "ankle", "heel", "ball", "toe"):
        pts[f"{name}_l"] = np.where(left, front[name], back[name])
        pts[f"{name}_r"] = np.where(left, back[name], front[name])
    shift = np.stack([ch.shift_x_m, 0 * ch.shift_x_m, 0 * ch.shift_x_m], axis=1)
    return Skeleton({k: v + shift for k, v in pts.items()}, frames)


def _lift_front(dims: BodyDims, ch: Channels, front: dict[str, np.ndarray],
                stance_m: float) -> dict[str, np.ndarray]:
    """Forward lunges: while the front foot is in the air, reach it from the hip by IK."""
    pts = foot_points(dims)
    n = len(ch.side)
    ball = np.stack([np.full(n, pts["ball"][0]), ch.side * stance_m / 2,
                     pts["ball"][1] + ch.front_lift_m], axis=1)
    foot = _foot(dims, ball, 0.0 * ch.front_lift_m)
    pole = np.broadcast_to(np.array([1.0, 0.0, 0.0]), (n, 3))
    knee, ankle = two_link(front["hip"], foot["ankle"], dims.thigh, dims.shank, pole)
    lifted = {"hip": front["hip"], "knee": knee, **{k: v + ankle - foot["ankle"] for k, v in foot.items()}}
    air = (ch.front_lift_m > 0)[:, None]
    return {k: np.where(air, lifted[k], front[k]) for k in front}
