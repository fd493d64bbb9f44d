"""Signals from a pose track: gap filling, zero-phase low-pass filtering, joint angles, depth.

Everything works on whole arrays. Angles come from the 3-D world landmarks (metres, hips-centred,
y pointing down), which do not depend on the camera's view; positions are scaled by the person's own
leg length so that near and far, tall and short people give the same numbers.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from formcoach.analysis.depth import facing_yaw_deg, lunge_depth
from formcoach.analysis.filters import butterworth2, filtfilt
from formcoach.analysis.params import AnalysisParams
from formcoach.arrays import SIDES, hip_flexion_deg, knee_flexion_deg, leg_chains
from formcoach.track import LM, PoseTrack

#: lower-body landmarks that must be inside the image for a frame to count
LOWER_BODY = tuple(LM[f"{side}_{part}"] for side in ("left", "right") for part in ("hip", "knee", "ankle"))
#: the landmarks that may lie up to ``feet_margin`` outside the image
ANKLES = (LM["left_ankle"], LM["right_ankle"])


def rolling_median(x: np.ndarray, window: int) -> np.ndarray:
    """Centred NaN-aware rolling median over axis 0 of ``x`` (T, ...), ``window`` frames (odd)."""
    if len(x) == 0:
        return np.array(x, dtype=np.float64)
    half = window // 2
    pad = np.full((half, *x.shape[1:]), np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(np.concatenate([pad, x, pad]), window, axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows give NaN, as they should
        return np.asarray(np.nanmedian(windows, axis=-1))


def fill_gaps(times_s: np.ndarray, values: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Linearly interpolate NaN rows of ``values`` (T, ...) across gaps up to ``max_gap_s`` long.

    A gap's length is the time between the valid frames on either side of it. Longer gaps, and NaN
    before the first or after the last valid frame, stay NaN.
    """
    flat = values.reshape(len(times_s), -1).copy()
    ok = np.isfinite(flat).all(axis=1)
    if ok.sum() < 2:
        return flat.reshape(values.shape)
    idx = np.flatnonzero(ok)
    t_ok = times_s[idx]
    # for every frame, the valid frame before and after it
    nxt = np.searchsorted(t_ok, times_s, side="left").clip(0, len(idx) - 1)
    prv = (np.searchsorted(t_ok, times_s, side="right") - 1).clip(0, len(idx) - 1)
    span = t_ok[nxt] - t_ok[prv]
    fill = ~ok & (span <= max_gap_s) & (times_s > t_ok[0]) & (times_s < t_ok[-1])
    if fill.any():
        w = ((times_s[fill] - t_ok[prv[fill]]) / np.where(span[fill] > 0, span[fill], 1.0))[:, None]
        flat[fill] = (1 - w) * flat[idx[prv[fill]]] + w * flat[idx[nxt[fill]]]
    return flat.reshape(values.shape)


def lowpass(times_s: np.ndarray, values: np.ndarray, cutoff_hz: float) -> np.ndarray:
    """Zero-phase second-order Butterworth low-pass of ``values`` (T, C) sampled at ``times_s`` (no NaN).

    Frames may be unevenly spaced (variable frame rate): the data are resampled onto a uniform grid
    at the median frame interval, filtered forwards and backwards, and read back at ``times_s``. The
    cut-off is capped at 40 % of the sampling rate so that 10 fps footage still works.
    """
    n = len(times_s)
    if n < 4:
        return values.copy()
    dt = float(np.median(np.diff(times_s)))
    grid = np.arange(times_s[0], times_s[-1] + 0.5 * dt, dt)
    uniform = np.stack([np.interp(grid, times_s, col) for col in values.T], axis=1)
    fs_hz = 1.0 / dt
    wn = min(cutoff_hz, 0.4 * fs_hz) / (0.5 * fs_hz)
    b, a = butterworth2(wn)
    smooth = filtfilt(b, a, uniform, padlen=min(9, len(grid) - 1))
    return np.stack([np.interp(times_s, grid, col) for col in smooth.T], axis=1)


def stretches(times_s: np.ndarray, usable: np.ndarray, hips_xy: np.ndarray, scale: np.ndarray,
              max_gap_s: float, cut_jump_legs: float, min_stretch_s: float) -> np.ndarray:
    """Continuous stretches of footage as an (n, 2) array of frame index ranges (stop exclusive).

    A stretch ends at a gap longer than ``max_gap_s`` (no person, person out of frame, title card)
    or at a camera cut: the hips move more than ``cut_jump_legs`` leg lengths (``scale``, pixels)
    within 0.1 s
    or the body's size changes by more than a third between two usable frames (the pose model
    jumped to someone else, or the video cut to another shot). Stretches shorter than
    ``min_stretch_s`` are dropped: a few frames between two jumps are a glitch, not footage.
    """
    idx = np.flatnonzero(usable)
    if len(idx) == 0:
        return np.zeros((0, 2), dtype=int)
    t = times_s[idx]
    # hips moving more than cut_jump_legs within 0.1 s (several frames at high frame rates); a
    # rolling median first, so that a glitch of a frame or two does not split the footage
    lag = max(1, int(round(0.1 / float(np.median(np.diff(t))))) if len(t) > 1 else 1)
    hips = rolling_median(hips_xy[idx], 2 * lag + 3)
    jump = np.zeros(len(idx) - 1)
    for k in range(1, lag + 1):
        moved = np.linalg.norm(hips[k:] - hips[:-k], axis=1) / scale[idx][k:]
        jump[k - 1:] = np.maximum(jump[k - 1:], moved)
    size_ratio = np.abs(np.log(scale[idx][1:] / scale[idx][:-1]))
    breaks = (np.diff(t) > max_gap_s) | (jump > cut_jump_legs) | (size_ratio > np.log(1.33))
    starts = np.concatenate(([0], np.flatnonzero(breaks) + 1))
    stops = np.concatenate((np.flatnonzero(breaks) + 1, [len(idx)]))
    spans = np.stack([idx[starts], idx[stops - 1] + 1], axis=1)
    keep = times_s[spans[:, 1] - 1] - times_s[spans[:, 0]] >= min_stretch_s
    return np.asarray(spans[keep])


@dataclass(frozen=True)
class Features:
    """Named per-frame signals of one track. Arrays are (T,) unless noted; NaN where unusable.

    Attributes:
        times_s: frame times, seconds.
        stretch: (T,) int, index of the continuous stretch a frame belongs to, -1 if unusable.
        feet_in_view: (T,) bool, a frame of a stretch whose ankles lie in the image too (within
            ``frame_margin``); stretches also take frames with the feet cut off (``feet_margin``).
        knee_flexion_deg: (T, 2) left, right; 0 = straight leg.
        hip_flexion_deg: (T, 2) left, right; thigh against the trunk, 0 = upright.
        knee_height: (T, 2) knee height above the lower ankle, leg lengths.
        hip_height: hips above the lower ankle, leg lengths.
        depth: drop of the hips below their standing height in the stretch, as a share of a full
            lunge's drop (``params.full_lunge_drop_frac``): 0 standing, about 1 at the bottom of a full lunge.
            From the world landmarks, or where ``depth_from_image`` the deeper of ``depth_world`` and
            ``depth_image`` (:func:`formcoach.analysis.depth.lunge_depth`).
        trunk_lean_deg: trunk from vertical.
        pelvis_obliquity_deg: pelvis line from horizontal, positive when the left hip is higher.
        feet_world: (T, 2, 3) left, right foot centre (heel, ankle, toes) relative to the hips, leg
            lengths, world axes (x right, y down, z away from the camera).
        feet_image: (T, 2, 2) foot centres in the image, in leg lengths of the image body (median
            over the stretch, so that a person walking across the frame travels in the same unit).
        hips_image: (T, 2) hip centre in the image, same unit as ``feet_image``.
        trunk_image_px: (T,) image length of the trunk (shoulder centre to hip centre), pixels: the
            body's size in the picture, which changes as the person comes nearer the camera.
        pelvis_line: (T, 3) unit vector from the left to the right hip, horizontal, world axes.
        leg_length_m: the person's hip-to-ankle length, metres (median over the track).
        depth_world: the same drop measured on the world landmarks alone.
        depth_image: the same drop measured in the image, from the hips to the planted front
            foot's ankle (:func:`formcoach.analysis.depth.image_hip_height`).
        depth_from_image: (T,) bool, the stretch's world landmarks miss the movement along the
            camera's axis, so its depth came from the image; their knee angles are then too small.
        feet_apart: (T,) horizontal distance between the two feet, leg lengths, from the unfiltered
            world landmarks and then a rolling median over ``FEET_APART_WINDOW_S``: a distance does not
            change when the model swaps the legs' labels, but low-passing the swapped positions would
            draw the feet crossing, and the frames either side of a swap can put both feet in one
            place.
        knee_rise_image: (T, 2) left, right knee's height in the image, leg lengths of the image body
            (up = +, from the image's bottom edge): only the difference between the knees means
            anything.
    """

    times_s: np.ndarray
    stretch: np.ndarray
    feet_in_view: np.ndarray
    knee_flexion_deg: np.ndarray
    hip_flexion_deg: np.ndarray
    knee_height: np.ndarray
    hip_height: np.ndarray
    depth: np.ndarray
    trunk_lean_deg: np.ndarray
    pelvis_obliquity_deg: np.ndarray
    feet_world: np.ndarray
    feet_image: np.ndarray
    hips_image: np.ndarray
    trunk_image_px: np.ndarray
    pelvis_line: np.ndarray
    leg_length_m: float
    depth_world: np.ndarray
    depth_image: np.ndarray
    depth_from_image: np.ndarray
    feet_apart: np.ndarray
    knee_rise_image: np.ndarray


#: the window of :attr:`Features.feet_apart`'s rolling median, seconds (the pose model's confused
#: frames around a leg swap last one or two frames; feet brought together stay so for longer)
FEET_APART_WINDOW_S = 0.2


def feet_apart(times_s: np.ndarray, world: np.ndarray, leg_m: float) -> np.ndarray:
    """(T,) horizontal distance between the feet's centres in ``world`` (T, 33, 3) metres, in leg
    lengths of ``leg_m`` metres, rolling median over :data:`FEET_APART_WINDOW_S` (NaN stays NaN)."""
    apart = (_foot(world, "right", 3) - _foot(world, "left", 3))[:, [0, 2]]
    dist = np.linalg.norm(apart, axis=-1) / leg_m
    dt = float(np.median(np.diff(times_s))) if len(times_s) > 1 else 1.0
    return rolling_median(dist, max(1, int(round(FEET_APART_WINDOW_S / dt)) | 1))


def _pts(arr: np.ndarray, name: str) -> np.ndarray:
    return arr[:, LM[name], :3]


def _foot(arr: np.ndarray, side: str, dims: int) -> np.ndarray:
    names = (f"{side}_heel", f"{side}_ankle", f"{side}_foot_index")
    return np.asarray(np.mean([arr[:, LM[n], :dims] for n in names], axis=0))


def leg_lengths(world: np.ndarray) -> np.ndarray:
    """(T,) mean of the two hip-knee-ankle chain lengths, in the points' unit (metres for world
    landmarks, pixels for image positions)."""
    return np.asarray(np.mean(leg_chains(world), axis=1))


def image_leg_scale(pixels: np.ndarray) -> np.ndarray:
    """(T,) body size in pixels: the longer of the thigh-plus-shank chains and 1.6 x the trunk."""
    chains = leg_chains(pixels).T
    shoulders = 0.5 * (pixels[:, LM["left_shoulder"]] + pixels[:, LM["right_shoulder"]])
    hips = 0.5 * (pixels[:, LM["left_hip"]] + pixels[:, LM["right_hip"]])
    trunk = np.linalg.norm(shoulders - hips, axis=-1)
    return np.asarray(np.fmax(np.fmax(chains[0], chains[1]), 1.6 * trunk))


def joint_angles(world: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Knee flexion (T, 2), hip flexion (T, 2), trunk lean (T,) and pelvis obliquity (T,), degrees."""
    shoulders = 0.5 * (_pts(world, "left_shoulder") + _pts(world, "right_shoulder"))
    hips = 0.5 * (_pts(world, "left_hip") + _pts(world, "right_hip"))
    trunk = shoulders - hips
    up = np.array([0.0, -1.0, 0.0])
    lean = np.degrees(np.arccos(np.clip((trunk @ up) / np.linalg.norm(trunk, axis=-1), -1, 1)))
    pelvis = _pts(world, "left_hip") - _pts(world, "right_hip")
    obliquity = np.degrees(np.arctan2(-pelvis[:, 1], np.linalg.norm(pelvis[:, [0, 2]], axis=-1)))
    return knee_flexion_deg(world), hip_flexion_deg(world), lean, obliquity


def usable_frames(image: np.ndarray, margin: float, feet_margin: float | None = None) -> np.ndarray:
    """(T,) bool: a person was found and hips, knees and ankles lie inside the image (+ ``margin``);
    with ``feet_margin``, the ankles may lie up to that far outside it (the feet cut off)."""
    xy = image[:, list(LOWER_BODY), :2]
    limit = np.full(len(LOWER_BODY), margin)
    if feet_margin is not None:
        limit[[k for k, lm in enumerate(LOWER_BODY) if lm in ANKLES]] = feet_margin
    inside = (xy >= -limit[:, None]) & (xy <= 1.0 + limit[:, None])
    return np.asarray(np.isfinite(xy).all(axis=(1, 2)) & inside.all(axis=(1, 2)))


def smooth_stretches(times_s: np.ndarray, values: np.ndarray, spans: np.ndarray, cutoff_hz: float,
                     max_gap_s: float) -> np.ndarray:
    """Gap-fill and low-pass ``values`` (T, ...) within each stretch; NaN outside the stretches."""
    flat = values.reshape(len(times_s), -1)
    out = np.full_like(flat, np.nan)
    for start, stop in spans:
        t = times_s[start:stop]
        filled = fill_gaps(t, flat[start:stop], max_gap_s)
        ok = np.isfinite(filled).all(axis=1)
        out[start:stop][ok] = lowpass(t[ok], filled[ok], cutoff_hz)
    return out.reshape(values.shape)


def _stretch_labels(track: PoseTrack, params: AnalysisParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Usable frames (T,) bool (the feet may be cut off, ``params.feet_margin``), the stretches' (n, 2)
    start and stop frames, and each frame's stretch index (T,) (-1 outside them)."""
    usable = usable_frames(track.image, params.frame_margin, params.feet_margin)
    pixels = track.pixels()
    scale = image_leg_scale(pixels)
    hips_px = 0.5 * (pixels[:, LM["left_hip"]] + pixels[:, LM["right_hip"]])
    usable &= np.isfinite(track.world).all(axis=(1, 2)) & (scale > 0)
    spans = stretches(track.times_s, usable, hips_px, np.where(usable, scale, 1.0), params.max_gap_s,
                      params.cut_jump_legs, params.min_stretch_s)
    stretch = np.full(len(track), -1)
    for k, (start, stop) in enumerate(spans):
        stretch[start:stop] = k
    return usable, spans, stretch


def _image_units(pix_f: np.ndarray, scale_px: np.ndarray, spans: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T, 2, 2) foot centres and (T, 2) hip centre in the image, in each stretch's median image leg
    length."""
    feet_i = np.stack([_foot(pix_f, s, 2) for s in SIDES], axis=1)
    hips_i = 0.5 * (pix_f[:, LM["left_hip"]] + pix_f[:, LM["right_hip"]])
    for start, stop in spans:
        size_px = np.nanmedian(scale_px[start:stop]) if np.isfinite(scale_px[start:stop]).any() else np.nan
        feet_i[start:stop] /= size_px
        hips_i[start:stop] /= size_px
    return feet_i, hips_i


def knee_rise_image(pix_f: np.ndarray, scale_px: np.ndarray, height_px: float) -> np.ndarray:
    """(T, 2) the left and right knee's height above the image's bottom edge, in image leg lengths
    (``scale_px`` pixels per frame)."""
    knees_y = np.stack([pix_f[:, LM[f"{s}_knee"], 1] for s in SIDES], axis=1)
    return np.asarray((height_px - knees_y) / scale_px[:, None])


def compute_features(track: PoseTrack, params: AnalysisParams) -> Features:
    """All per-frame signals of a track whose left and right are already consistent.

    ``params`` gives the filter (``filter_cutoff_hz`` Hz, gaps up to ``max_gap_s`` seconds), what
    makes a frame usable and a stretch (``frame_margin``, ``cut_jump_legs``, ``min_stretch_s``) and
    when and how the depth is measured in the image (:func:`formcoach.analysis.depth.lunge_depth`).
    """
    times_s = track.times_s
    usable, spans, stretch = _stretch_labels(track, params)
    cutoff_hz, max_gap_s = params.filter_cutoff_hz, params.max_gap_s
    world_f = smooth_stretches(times_s, np.where(usable[:, None, None], track.world, np.nan), spans,
                               cutoff_hz, max_gap_s)
    pix_f = smooth_stretches(times_s, np.where(usable[:, None, None], track.pixels(), np.nan), spans,
                             cutoff_hz, max_gap_s)
    leg_m = float(np.nanmedian(leg_lengths(world_f))) if np.isfinite(world_f).any() else 1.0
    scale_px = image_leg_scale(pix_f)
    knee_flex, hip_flex, lean, obliquity = joint_angles(world_f)
    ankles_y = np.stack([world_f[:, LM[f"{s}_ankle"], 1] for s in SIDES], axis=1)
    floor_y = np.max(ankles_y, axis=1)
    hip_height = floor_y / leg_m
    knee_height = (floor_y[:, None] - np.stack([world_f[:, LM[f"{s}_knee"], 1] for s in SIDES], 1)) / leg_m
    depth, depth_w, depth_i, from_image = lunge_depth(
        times_s, pix_f, hip_height, facing_yaw_deg(world_f), spans, scale_px, params)
    feet_i, hips_i = _image_units(pix_f, scale_px, spans)
    apart = feet_apart(times_s, np.where(usable[:, None, None], track.world, np.nan), leg_m)
    feet_w = np.stack([_foot(world_f, s, 3) for s in SIDES], axis=1) / leg_m
    trunk_px = np.linalg.norm(_pts(pix_f, "left_shoulder")[:, :2] + _pts(pix_f, "right_shoulder")[:, :2]
                              - _pts(pix_f, "left_hip")[:, :2] - _pts(pix_f, "right_hip")[:, :2], axis=-1) / 2
    pelvis = _pts(world_f, "right_hip") - _pts(world_f, "left_hip")
    pelvis[:, 1] = 0.0
    pelvis /= np.linalg.norm(pelvis, axis=-1, keepdims=True)
    feet_in_view = usable_frames(track.image, params.frame_margin) & (stretch >= 0)
    return Features(times_s=times_s, stretch=stretch, feet_in_view=feet_in_view, knee_flexion_deg=knee_flex,
                    hip_flexion_deg=hip_flex,
                    knee_height=knee_height, hip_height=hip_height, depth=depth, trunk_lean_deg=lean,
                    pelvis_obliquity_deg=obliquity, feet_world=feet_w, feet_image=feet_i, hips_image=hips_i,
                    trunk_image_px=trunk_px, pelvis_line=pelvis, leg_length_m=leg_m, depth_world=depth_w,
                    depth_image=depth_i, depth_from_image=from_image, feet_apart=apart,
                    knee_rise_image=knee_rise_image(pix_f, scale_px, track.height))
