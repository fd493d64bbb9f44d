"""The pose model turning the whole person round while she stands, undone.

Seen from the front or from behind, a person standing tall with her hands on her pelvis looks much
the same either way round, and BlazePose sometimes reads her the wrong way: it labels her left side
as her right, shoulders, arms, hips and legs alike, and draws her face on the far side of the head
(its world landmarks mirrored along the camera's axis). In the lunge itself, where the split legs
and the bent front knee show which way the body faces, it reads her the right way round.

On the rendered randomized front set (79 sessions, 2026-12-06) it labelled 97-100 % of each
session's deep lunge frames (a knee bent past 45 deg) the right way round, while in 29 sessions it
labelled 6-99 % of the standing frames the wrong way (``benchmarks/fault_random.py``;
docs/findings.md). Where that happens the body's facing swings by 180 deg between each rep and the
pause after it, the view is a guess, and a baseline read on the turned frames measures the pelvis's
tilt with the wrong sign.

:func:`turned_round_frames` finds the frames whose labels put the person's left on the other side
of the image from where the deep lunge frames put it; :func:`repair_turned_round` relabels them
(every left landmark with its right twin) and mirrors their world landmarks' depth back. It acts only
when the deep frames agree among themselves: a person who really turns (walking lunges coming back)
lunges both ways round and is left alone.
"""

from __future__ import annotations

import numpy as np

from formcoach.analysis.params import AnalysisParams
from formcoach.arrays import knee_flexion_deg
from formcoach.track import LM, mirror_index

#: the landmark pairs whose image order across the frame says which way round the labels put the body
ACROSS_PAIRS = ("shoulder", "hip")


def across_sign(pixels: np.ndarray, scale_px: np.ndarray, across_legs: float) -> np.ndarray:
    """(T,) +1 where the labels put the person's left on the image's right (facing the camera), -1
    on its left (back to the camera), 0 where the shoulders' and hips' left-to-right offsets across
    the image, summed, are under ``across_legs`` image leg lengths (``scale_px``, pixels) either way
    (side-on, or not seen). ``pixels``: (T, 33, 2) image landmarks, pixels."""
    dx = sum(pixels[:, LM[f"left_{p}"], 0] - pixels[:, LM[f"right_{p}"], 0] for p in ACROSS_PAIRS)
    with np.errstate(invalid="ignore"):
        ratio = np.asarray(dx / scale_px)
    return np.where(ratio > across_legs, 1, np.where(ratio < -across_legs, -1, 0))


def turned_round_frames(pixels: np.ndarray, world: np.ndarray, scale_px: np.ndarray, times_s: np.ndarray,
                        params: AnalysisParams) -> np.ndarray:
    """(T,) bool: frames the pose model labelled the other way round from the deep lunge frames.

    Deep frames are those whose more bent knee (``world`` landmarks, either label) is flexed at least
    ``params.turned_deep_knee_deg`` degrees and whose sides lie clearly across the image
    (:func:`across_sign` with ``params.turned_across_legs``). When there are at least
    ``params.turned_min_deep_s`` seconds of them and at least ``params.turned_agree_share`` of them
    put the left on the same side, every frame clearly labelled the other way is returned; otherwise
    none. ``times_s``: (T,) seconds.
    """
    out = np.zeros(len(pixels), dtype=bool)
    if len(pixels) < 2:
        return out
    sign = across_sign(pixels, scale_px, params.turned_across_legs)
    with np.errstate(invalid="ignore", divide="ignore"):   # a leg with two points on one spot
        bent = np.max(np.nan_to_num(knee_flexion_deg(world), nan=-np.inf), axis=1)
    deep = (bent >= params.turned_deep_knee_deg) & (sign != 0)
    dt = float(np.median(np.diff(times_s)))
    if deep.sum() * dt < params.turned_min_deep_s:
        return out
    facing = 1 if np.mean(sign[deep] > 0) >= 0.5 else -1
    if np.mean(sign[deep] == facing) < params.turned_agree_share:
        return out
    return np.asarray(sign == -facing)


def repair_turned_round(image: np.ndarray, world: np.ndarray,
                        turned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``image`` (T, 33, 4) and ``world`` (T, 33, 3) with every left landmark exchanged for its right
    twin on the ``turned`` frames, and those frames' world depth (z, metres from the hips' centre)
    mirrored; the arrays themselves (not copies) when no frame is turned."""
    if not turned.any():
        return image, world
    idx = mirror_index()
    image_out, world_out = image.copy(), world.copy()
    image_out[turned] = image[turned][:, idx]
    world_out[turned] = world[turned][:, idx]
    world_out[turned, :, 2] *= -1.0
    return image_out, world_out
