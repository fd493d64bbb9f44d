"""Per-frame signals the mistakes are judged on, beyond the rep analysis's own.

Everything works on whole arrays; names carry units. World landmarks are MediaPipe's (metres,
hips-centred, x right, y down, z away from the camera); "up" is estimated from the standing posture
so a tilted camera does not read as a tilted pelvis. Image positions are pixels, scaled by the
person's image leg length (hip-knee-ankle) where a length is needed.

Signals (all (T,) or (T, 2) for left, right):

* pelvis obliquity (image, against the pelvis's full width) from the hip line and, where the hands
  rest on the pelvis, from the wrist line (:mod:`formcoach.findings.pelvis`), and yaw (world), degrees;
  the wrists' spread across the image, leg lengths, for the twist seen from the side;
* knee frontal-plane projection angle (FPPA), degrees, + = knee towards the midline (image);
* knee offset from the hip-ankle line and from the toes, leg lengths, + = medial (image);
* whole-body centre of mass from de Leva (1996) segment masses, projected in the image: the share of
  body weight over each foot were it the front one, and its side-to-side offset from each ankle;
* heel height over the toes, heel and ankle level in the frame, leg lengths (image, up = +);
* knee and hip flexion, degrees: the larger of the world angle (rep analysis) and the image angle. Both
  read low when they err (BlazePose's lifted depth flattens the bend; a leg turned from the image
  plane foreshortens it), so the larger is the better estimate of the depth reached;
* high-passed knee flexion, degrees, for the front leg's shake.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcoach.analysis.filters import butterworth2, filtfilt
from formcoach.analysis.prepare import Prepared
from formcoach.analysis.signals import Features, fill_gaps
from formcoach.arrays import SIDES, angle_deg, hip_flexion_deg, knee_flexion_deg, points, runs
from formcoach.exercise.tuning import FindingDetection
from formcoach.findings.knee import knee_offsets
from formcoach.findings.pelvis import (
    line_obliquity_deg,
    perspective_spread_legs,
    wrist_obliquity_deg,
    wrist_spread_legs,
)
from formcoach.track import LM

#: de Leva (1996) table 4, mean of the female and male values: segment -> (mass fraction of the
#: body, centre of mass as a fraction of the segment from its proximal end).
DE_LEVA: dict[str, tuple[float, float]] = {
    "head": (0.0681, 0.5935), "trunk": (0.4302, 0.4319), "upper_arm": (0.0263, 0.5763),
    "forearm": (0.0150, 0.4567), "hand": (0.0059, 0.7687), "thigh": (0.1447, 0.3854),
    "shank": (0.0457, 0.4438), "foot": (0.0133, 0.4215),
}


@dataclass(frozen=True)
class FindingFeatures:
    """Every per-frame signal the detectors read. Arrays are (T,) or (T, 2) (left, right), NaN where
    unusable; see the module docstring. ``wrist_obliquity_deg`` is NaN where the hands do not rest on
    the pelvis, ``wrist_spread_legs`` where they do not as seen from the side (its perspective part
    taken out, ``wrist_perspective_legs``). ``hip_flexion_deg`` is the image angle (judged from the
    side, where the hip bends in the image plane; BlazePose's world landmarks read a standing hip
    10-21 deg bent from a phone close by and high up); ``knee_flexion_deg`` the larger of the rep
    analysis's world angle and the image angle. ``depth`` and ``depth_from_image`` are the rep
    analysis's (:class:`~formcoach.analysis.signals.Features`;
    ``depth_from_image`` is True where the world landmarks are flattened along the camera's axis, so
    their knee angles read too small); ``standing`` (T,) marks the session's standing frames (shallower
    than the file's standing depth, not read the wrong way round); ``up`` and ``lateral`` are (3,)
    unit vectors in world axes;
    ``cm_per_leg`` turns leg lengths into centimetres.
    """

    times_s: np.ndarray
    prepared: Prepared
    up: np.ndarray
    lateral: np.ndarray
    pelvis_obliquity_deg: np.ndarray
    wrist_obliquity_deg: np.ndarray
    wrist_spread_legs: np.ndarray
    wrist_perspective_legs: np.ndarray
    pelvis_yaw_deg: np.ndarray
    knee_fppa_deg: np.ndarray
    knee_line_offset_legs: np.ndarray
    knee_toe_offset_legs: np.ndarray
    knee_over_foot_legs: np.ndarray
    knee_over_ankle_legs: np.ndarray
    front_share: np.ndarray
    com_lateral_legs: np.ndarray
    heel_height_legs: np.ndarray
    heel_level_legs: np.ndarray
    ankle_level_legs: np.ndarray
    knee_shake_deg: np.ndarray
    hip_flexion_deg: np.ndarray
    knee_flexion_deg: np.ndarray
    depth: np.ndarray
    depth_from_image: np.ndarray
    standing: np.ndarray
    cm_per_leg: float


def _unit(v: np.ndarray) -> np.ndarray:
    return np.asarray(v / np.linalg.norm(v, axis=-1, keepdims=True))


def body_axes(world: np.ndarray, depth: np.ndarray, hip_flexion_deg: np.ndarray,
              standing_depth: float = 0.15) -> tuple[np.ndarray, np.ndarray]:
    """(3,) unit "up" and "lateral" (left to right hip, horizontal) in world axes, from standing.

    Up is the median ankle-to-shoulder direction over the straightest third of the standing frames
    (``depth`` below ``standing_depth``), made perpendicular to the flat feet's heel-to-toe line so a
    bent hip or a lean cannot tip it forwards. Falls back to MediaPipe's -y and +x.
    """
    feet = 0.5 * (points(world, "left_ankle") + points(world, "right_ankle"))
    top = 0.5 * (points(world, "left_shoulder") + points(world, "right_shoulder"))
    ok = np.isfinite(top - feet).all(axis=1) & (np.nan_to_num(depth, nan=1.0) < standing_depth)
    if ok.sum() < 3:
        return np.array([0.0, -1.0, 0.0]), np.array([1.0, 0.0, 0.0])
    bend = np.abs(hip_flexion_deg).max(axis=1)
    ok &= np.isfinite(bend)
    if ok.sum() < 3:
        return np.array([0.0, -1.0, 0.0]), np.array([1.0, 0.0, 0.0])
    straight = ok & (bend <= np.nanpercentile(bend[ok], 33))
    up = _unit(np.median(_unit((top - feet)[straight]), axis=0))
    toes = sum(points(world, f"{s}_foot_index") - points(world, f"{s}_heel") for s in SIDES)[straight]
    toes = _unit(np.median(_unit(toes), axis=0))
    up = _unit(up - (up @ toes) * toes)
    hips = points(world, "right_hip") - points(world, "left_hip")
    lateral = np.median(_unit(hips[straight]), axis=0)
    lateral = _unit(lateral - (lateral @ up) * up)
    return up, lateral


def horizontal(v: np.ndarray, up: np.ndarray) -> np.ndarray:
    """``v`` (..., 3) with its component along ``up`` removed."""
    return np.asarray(v - (v @ up)[..., None] * up)


def _yaw_deg(v: np.ndarray, up: np.ndarray) -> np.ndarray:
    """(T,) direction of ``v`` (T, 3) about ``up``, degrees."""
    ref = horizontal(np.array([1.0, 0.0, 0.0]), up)
    ref /= np.linalg.norm(ref)
    flat = horizontal(v, up)
    return np.asarray(np.degrees(np.arctan2(flat @ np.cross(up, ref), flat @ ref)))


def pelvis_yaw_deg(world: np.ndarray, up: np.ndarray) -> np.ndarray:
    """(T,) direction of the hip line (right to left hip) about ``up``, degrees, in world axes.

    (Tried and dropped: the hip line against the planted foot's heel-to-toe line; BlazePose's foot
    direction in depth is noisier than the hip line's, see the issue report.)
    """
    return _yaw_deg(points(world, "left_hip") - points(world, "right_hip"), up)


def knee_frontal(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Knee FPPA (deg), knee offset from the hip-ankle line and from the toe (pixels), (T, 2) each.

    The clinical 2D frontal-plane projection angle (Willson & Davis 2008; Munro et al. 2012): 180 deg
    minus the hip-knee-ankle angle in the image of a camera in front of (or behind) the person. Sign
    and offsets are positive when the knee lies on the midline's side (towards the other hip) of the
    hip-ankle line: valgus, "in". The image is used rather than the world landmarks because
    BlazePose's depth is its weakest axis, and the 2D angle is what the literature's limits measure.
    """
    fppa, line_off, toe_off = [], [], []
    zero = np.zeros((len(pixels), 1))
    for side, other in (("left", "right"), ("right", "left")):
        hip, knee, ankle = (points(pixels, f"{side}_{p}") for p in ("hip", "knee", "ankle"))
        toe = points(pixels, f"{side}_foot_index")
        medial = np.sign(points(pixels, f"{other}_hip")[:, 0] - hip[:, 0])
        dy = hip[:, 1] - ankle[:, 1]
        frac = (knee[:, 1] - ankle[:, 1]) / np.where(np.abs(dy) > 1e-6, dy, np.nan)
        off = medial * (knee[:, 0] - (ankle[:, 0] + frac * (hip[:, 0] - ankle[:, 0])))
        angle = 180.0 - angle_deg(*(np.hstack([q, zero]) for q in (hip, knee, ankle)))
        fppa.append(np.where(off >= 0, angle, -angle))
        line_off.append(off)
        toe_off.append(medial * (knee[:, 0] - toe[:, 0]))
    return np.stack(fppa, 1), np.stack(line_off, 1), np.stack(toe_off, 1)


def image_obliquity_deg(pixels: np.ndarray, world: np.ndarray, px_per_m: np.ndarray) -> np.ndarray:
    """(T,) pelvis obliquity from the hip line in the image, degrees, + = left hip higher.

    The rise of one hip over the other (pixels) against the pelvis's full width (the world hip
    distance in metres times the image scale), so a pelvis turned away from the camera (oblique
    views) does not inflate the angle the way the foreshortened image hip line would.
    """
    return line_obliquity_deg(pixels, world, px_per_m, "hip")


def _segments(world: np.ndarray) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(de Leva segment, proximal, distal) point arrays for the centre of mass."""
    mid = 0.5
    shoulders = mid * (points(world, "left_shoulder") + points(world, "right_shoulder"))
    hips = mid * (points(world, "left_hip") + points(world, "right_hip"))
    ears = mid * (points(world, "left_ear") + points(world, "right_ear"))
    head_top = ears + (ears - shoulders) * 0.6
    out = [("head", head_top, shoulders), ("trunk", shoulders, hips)]
    for s in SIDES:
        hand = mid * (points(world, f"{s}_index") + points(world, f"{s}_pinky"))
        chain = (("upper_arm", "shoulder", "elbow"), ("forearm", "elbow", "wrist"), ("thigh", "hip", "knee"),
                 ("shank", "knee", "ankle"), ("foot", "heel", "foot_index"))
        out += [(seg, points(world, f"{s}_{a}"), points(world, f"{s}_{b}")) for seg, a, b in chain]
        out.append(("hand", points(world, f"{s}_wrist"), hand))
    return out


def centre_of_mass_m(world: np.ndarray) -> np.ndarray:
    """(T, D) whole-body centre of mass of (T, 33, D) points (world metres, or image pixels for its
    projection): segment centres weighted by the de Leva (1996) mass fractions. The head runs from a
    point above the ears to mid-shoulder."""
    total = np.zeros((world.shape[0], world.shape[2]))
    mass = 0.0
    for seg, prox, dist in _segments(world):
        frac_m, frac_com = DE_LEVA[seg]
        total += frac_m * (prox + frac_com * (dist - prox))
        mass += frac_m
    return np.asarray(total / mass)


def com_lateral_legs(pixels: np.ndarray, scale_px: np.ndarray, depth: np.ndarray,
                     standing_depth: float = 0.15) -> np.ndarray:
    """(T, 2) side-to-side offset of the image centre of mass from each ankle, leg lengths.

    Side to side is the image direction of the standing hip line (left to right hip, median over
    standing frames). The image is used because BlazePose's depth, which the world landmarks'
    side-to-side axis mixes in from any view but the front, is far noisier than its image positions;
    from 45 deg the sway reads about cos 45 = 0.7 of its size (correcting by the image/world hip
    width ratio over-read the front view, so it is not done).
    """
    com = centre_of_mass_m(pixels)
    line = points(pixels, "right_hip") - points(pixels, "left_hip")
    ok = np.isfinite(line).all(axis=1) & (np.nan_to_num(depth, nan=1.0) < standing_depth)
    if ok.sum() < 3:
        ok = np.isfinite(line).all(axis=1)
    if not ok.any():
        return np.full((len(pixels), 2), np.nan)
    direction = _unit(np.median(_unit(line[ok]), axis=0))
    return np.stack([((com - points(pixels, f"{s}_ankle")) @ direction) / scale_px for s in SIDES], 1)


def front_share_image(pixels: np.ndarray, scale_px: np.ndarray, min_apart_legs: float = 0.15) -> np.ndarray:
    """(T, 2) share of body weight over the front foot if the left (column 0) or right leg is in front.

    Static balance on two supports, as in the simulator: the front foot bears at the middle of its
    heel and toe landmarks, the back foot (heel up) at its toe; the share is where the centre of
    mass's floor point falls along the line between them (1 = over the front foot).

    That floor point is taken where the image vertical through the projected centre of mass meets
    the image line between the feet: exact from the side, off by the centre of mass's small sideways
    distance from that line at 45 deg, and free of BlazePose's depth (the world landmarks gave 0.25
    errors from 45 deg on the rendered athlete, the image 0.07). NaN when the feet are less than
    ``min_apart_legs`` apart across the image (a view from the front or behind).
    """
    com_x = centre_of_mass_m(pixels)[:, 0]
    out = []
    for front, back in (("left", "right"), ("right", "left")):
        f = 0.5 * (points(pixels, f"{front}_heel")[:, 0] + points(pixels, f"{front}_foot_index")[:, 0])
        b = points(pixels, f"{back}_foot_index")[:, 0]
        apart = f - b
        ok = np.abs(apart) >= min_apart_legs * scale_px
        out.append(np.where(ok, (com_x - b) / np.where(ok, apart, 1.0), np.nan))
    return np.stack(out, 1)


def heel_height_px(pixels: np.ndarray) -> np.ndarray:
    """(T, 2) height of each heel above its toe in the image, pixels (+ = heel higher)."""
    return np.stack([points(pixels, f"{s}_foot_index")[:, 1] - points(pixels, f"{s}_heel")[:, 1]
                     for s in SIDES], 1)


def highpass(times_s: np.ndarray, values: np.ndarray, cutoff_hz: float) -> np.ndarray:
    """Zero-phase high-pass of ``values`` (T, C) at ``cutoff_hz``; NaN where the input is NaN or
    the frame rate cannot carry the band (Nyquist below 1.2 x the cut-off)."""
    out = np.full(values.shape, np.nan)
    ok = np.isfinite(values).all(axis=1)
    if ok.sum() < 16:
        return out
    dt = float(np.median(np.diff(times_s[ok])))
    fs_hz = 1.0 / dt
    if fs_hz / 2 < 1.2 * cutoff_hz:
        return out
    b, a = butterworth2(cutoff_hz / (0.5 * fs_hz), highpass=True)
    for start, stop in runs(ok):
        if stop - start > 15:
            out[start:stop] = filtfilt(b, a, values[start:stop], padlen=min(15, stop - start - 1))
    return out


def sway_range(times_s: np.ndarray, x: np.ndarray) -> float:
    """5-95 % range of ``x`` (any unit) about its least-squares straight line over ``times_s``: the
    wobble left once a steady drift (the weight moving onto the front foot) is taken out; NaN if
    fewer than three samples are finite."""
    ok = np.isfinite(x) & np.isfinite(times_s)
    if ok.sum() < 3:
        return math.nan
    t = times_s[ok] - times_s[ok].mean()
    slope, offset = np.polyfit(t, x[ok], 1)
    rest = x[ok] - (slope * t + offset)
    return float(np.percentile(rest, 95) - np.percentile(rest, 5))


def compute(base: Features, prep: Prepared, params: FindingDetection, standing_depth: float,
            body_height_m: float | None = None) -> FindingFeatures:
    """All finding signals from the rep analysis's features and the prepared landmarks.

    Lengths in leg lengths become centimetres through the person's leg length:
    ``params.leg_per_stature`` x ``body_height_m`` when the height is known, else the world
    landmarks' own leg length (metres). ``params`` (the exercise file's ``finding_detection``) also
    gives the hands-on-pelvis tests, the camera's field of view and the knee shake's high-pass;
    frames shallower than ``standing_depth`` (the file's ``rep_detection.standing_depth``) stand.
    """
    up, lateral = body_axes(prep.world, base.depth, base.hip_flexion_deg)
    yaw = pelvis_yaw_deg(prep.world, up)
    px_per_m = prep.scale_px / prep.leg_length_m
    obliquity = image_obliquity_deg(prep.pixels, prep.world, px_per_m)
    wrists = wrist_obliquity_deg(prep.pixels, prep.world, px_per_m, prep.scale_px, params)
    perspective = perspective_spread_legs(prep.pixels, prep.world, prep.frame_px, params.camera_fov_deg,
                                          params.hands_width_legs)
    fppa, line_off, toe_off = knee_frontal(prep.pixels)
    scale = prep.scale_px[:, None]
    standing = np.nan_to_num(base.depth, nan=1.0) < standing_depth
    over_foot, over_ankle = knee_offsets(prep.pixels, prep.scale_px, standing, params.knee_foot_point_frac)
    if prep.relabelled is not None:
        standing = standing & ~prep.relabelled
    raw_knee = knee_flexion_deg(fill_gaps(prep.times_s, prep.world_raw, prep.max_gap_s))
    return FindingFeatures(
        times_s=base.times_s, prepared=prep, up=up, lateral=lateral, pelvis_obliquity_deg=obliquity,
        wrist_obliquity_deg=wrists, wrist_perspective_legs=perspective, pelvis_yaw_deg=yaw,
        wrist_spread_legs=wrist_spread_legs(prep.pixels, prep.scale_px, perspective, params),
        knee_fppa_deg=fppa, knee_line_offset_legs=line_off / scale, knee_toe_offset_legs=toe_off / scale,
        knee_over_foot_legs=over_foot, knee_over_ankle_legs=over_ankle,
        front_share=front_share_image(prep.pixels, prep.scale_px),
        com_lateral_legs=com_lateral_legs(prep.pixels, prep.scale_px, base.depth),
        heel_height_legs=heel_height_px(prep.pixels) / scale,
        heel_level_legs=-prep.pixels[:, [LM["left_heel"], LM["right_heel"]], 1] / scale,
        ankle_level_legs=-prep.pixels[:, [LM["left_ankle"], LM["right_ankle"]], 1] / scale,
        knee_shake_deg=highpass(prep.times_s, raw_knee, params.shake_highpass_hz),
        hip_flexion_deg=hip_flexion_deg(prep.pixels), depth=base.depth,
        depth_from_image=base.depth_from_image, standing=standing,
        knee_flexion_deg=np.fmax(base.knee_flexion_deg, knee_flexion_deg(prep.pixels)),
        cm_per_leg=100.0 * (params.leg_per_stature * body_height_m if body_height_m else prep.leg_length_m))
