"""Camera view per stretch of video, and a consistent left and right.

The view comes from which way the body faces in BlazePose's world landmarks: the line through the
shoulders and hips gives the body's right, and with "up" that gives where the chest points. Its yaw
against the camera's axis is 0 deg facing the camera (front), +-90 deg side-on, 180 deg back to it.

BlazePose sometimes swaps the two legs for a frame or a few, above all from the side where one leg
hides the other. :func:`repair_leg_swaps` undoes swaps that show as both legs sitting on each
other's places compared with the frames around them, and longer swaps bounded by two such jumps
(:func:`held_swap_frames`). Mirrored footage (a webcam's selfie view) is undone with
:meth:`formcoach.track.PoseTrack.mirrored` before any of this.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcoach.analysis.depth import circular_median_deg, facing_yaw_deg
from formcoach.analysis.params import AnalysisParams
from formcoach.analysis.signals import rolling_median
from formcoach.arrays import runs
from formcoach.track import LM, N_LANDMARKS
from formcoach.vocab import View

VIEWS = ("front", "oblique", "side", "rear")
LEG_PARTS = ("hip", "knee", "ankle", "heel", "foot_index")


@dataclass(frozen=True)
class ViewSpan:
    """The camera view over one stretch of video.

    Attributes:
        start_s, end_s: the stretch, seconds.
        view: "front", "oblique", "side" or "rear".
        detail: finer name ("front-oblique", "rear-oblique", "side, facing image-left", ...).
        yaw_deg: median facing angle, 0 = facing the camera, positive = turned to image-right.
        confidence: 0..1, how steady the facing angle was.
    """

    start_s: float
    end_s: float
    view: View
    detail: str
    yaw_deg: float
    confidence: float


def view_name(yaw_deg: float, yaw_limits_deg: tuple[float, float, float, float]) -> tuple[View, str]:
    """Coarse and detailed view names for a facing yaw in degrees, given the |yaw| limits (degrees) of
    the front, front-oblique, side and rear-oblique views (``AnalysisParams.yaw_limits_deg``)."""
    a = abs(yaw_deg)
    front, oblique, side, rear = yaw_limits_deg
    facing = "image-right" if yaw_deg > 0 else "image-left"
    if a <= front:
        return "front", "front"
    if a <= oblique:
        return "oblique", f"front-oblique, turned to {facing}"
    if a <= side:
        return "side", f"side, facing {facing}"
    if a <= rear:
        return "oblique", f"rear-oblique, turned to {facing}"
    return "rear", "rear"


def view_spans(times_s: np.ndarray, world: np.ndarray, stretch: np.ndarray,
               yaw_limits_deg: tuple[float, float, float, float]) -> list[ViewSpan]:
    """One :class:`ViewSpan` per stretch of usable video (``stretch`` from the features; the views'
    |yaw| limits in degrees as in :func:`view_name`)."""
    yaw = facing_yaw_deg(world)
    out = []
    for k in np.unique(stretch[stretch >= 0]):
        idx = np.flatnonzero(stretch == k)
        med, steady = circular_median_deg(yaw[idx])
        if not np.isfinite(med):
            continue
        view, detail = view_name(med, yaw_limits_deg)
        out.append(ViewSpan(float(times_s[idx[0]]), float(times_s[idx[-1]]), view, detail, round(med, 1),
                            round(steady, 3)))
    return out


def main_view(spans: list[ViewSpan]) -> View:
    """The view covering the most time, or "unknown"."""
    if not spans:
        return "unknown"
    totals: dict[View, float] = {}
    for s in spans:
        totals[s.view] = totals.get(s.view, 0.0) + (s.end_s - s.start_s)
    return max(totals, key=lambda v: totals[v])


def leg_swap_index() -> np.ndarray:
    """Landmark index array that swaps the left and right leg (hip to toes), nothing else."""
    out = np.arange(N_LANDMARKS)
    for part in LEG_PARTS:
        i, j = LM[f"left_{part}"], LM[f"right_{part}"]
        out[i], out[j] = j, i
    return out


def swapped_frames(pixels: np.ndarray, times_s: np.ndarray, scale_px: np.ndarray, window_s: float,
                   min_jump_legs: float, ratio: float) -> np.ndarray:
    """(T,) bool: frames whose two legs sit on each other's places compared with their neighbours.

    Each frame's knees, ankles, heels and toes are compared with the rolling median of the frames
    around it (``window_s`` seconds): keeping the labels must put the legs more than
    ``min_jump_legs`` leg lengths away from it, and exchanging them must explain the frame
    ``1/ratio`` times better. Brief swaps (shorter than half the window) are found; legs that merely
    pass each other are not, since either labelling then fits about as well.
    """
    parts = ("knee", "ankle", "heel", "foot_index")
    left = pixels[:, [LM[f"left_{p}"] for p in parts]]
    right = pixels[:, [LM[f"right_{p}"] for p in parts]]
    dt = float(np.median(np.diff(times_s))) if len(times_s) > 1 else 1.0
    window = max(3, int(round(window_s / dt)) | 1)
    med_l, med_r = rolling_median(left, window), rolling_median(right, window)

    def dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.asarray(np.linalg.norm(a - b, axis=-1).mean(axis=-1))

    keep = (dist(left, med_l) + dist(right, med_r)) / scale_px
    swap = (dist(left, med_r) + dist(right, med_l)) / scale_px
    return np.asarray(np.nan_to_num((keep > min_jump_legs) & (swap < ratio * keep), nan=0.0).astype(bool))


#: legs and shoulders are across the image from each other (front or behind) when their left and
#: right landmarks lie this many leg lengths apart across it; from the side they overlap
ACROSS_LEGS = 0.1
#: ... and a stretch's legs agree with its shoulders when their labels put left on the same side of
#: the image on at least this share of the frames where both are across
AGREE_SHARE = 0.8


def agrees_with_shoulders(pixels: np.ndarray, scale_px: np.ndarray) -> bool:
    """Whether the legs' labels (knees and ankles) put left on the same side of the image as the
    shoulders' labels, on at least :data:`AGREE_SHARE` of the frames of ``pixels`` (T, 33, 2) where
    both lie :data:`ACROSS_LEGS` leg lengths (``scale_px``) apart across the image, and on at least a
    third of all of them (else the view does not tell)."""
    def across(name_pairs: tuple[str, ...]) -> np.ndarray:
        dx = np.mean([pixels[:, LM[f"left_{p}"], 0] - pixels[:, LM[f"right_{p}"], 0] for p in name_pairs],
                     axis=0)
        return np.asarray(dx / scale_px)

    legs, shoulders = across(("knee", "ankle")), across(("shoulder",))
    clear = (np.abs(legs) > ACROSS_LEGS) & (np.abs(shoulders) > ACROSS_LEGS)
    if clear.sum() < max(1, len(pixels) / 3):
        return False
    return bool(np.mean(np.sign(legs[clear]) == np.sign(shoulders[clear])) >= AGREE_SHARE)


def held_swap_frames(pixels: np.ndarray, times_s: np.ndarray, scale_px: np.ndarray, lag_s: float,
                     min_jump_legs: float, ratio: float, max_swap_s: float) -> np.ndarray:
    """(T,) bool: frames of a stretch whose leg labels are the exchange of those either side of it.

    From the side BlazePose can hand the labels over for a whole held lunge bottom (seen on the
    rendered athlete with the weight sitting back): as the bottom is reached both legs jump onto each
    other's places of ``lag_s`` seconds before (staying put costs more than ``min_jump_legs`` leg
    lengths and exchanging explains the move ``1/ratio`` times better), and as the rise starts they
    jump back. Legs cannot trade places and trade back without moving between, so a stretch shorter
    than ``max_swap_s`` between two such jumps is taken as swapped when the labels just before it and
    just after it agree (again by ``ratio``). A single jump, or one after which the legs do not
    return to the earlier labels, is left alone: nothing tells which side of it is right. So is a
    stretch whose legs lie on the same sides of the image as the shoulders of the same name
    (:func:`agrees_with_shoulders`): there the labels either side were the swapped ones (from a
    phone on the floor, the pose model traded the legs' labels while the person stood between
    reps, and kept them right through each lunge).
    """
    parts = ("knee", "ankle", "heel", "foot_index")
    left = pixels[:, [LM[f"left_{p}"] for p in parts]]
    right = pixels[:, [LM[f"right_{p}"] for p in parts]]
    out = np.zeros(len(pixels), dtype=bool)
    dt = float(np.median(np.diff(times_s))) if len(times_s) > 1 else 1.0
    lag = max(1, int(round(lag_s / dt)))
    if len(pixels) <= lag:
        return out

    def dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.asarray(np.linalg.norm(a - b, axis=-1).mean(axis=-1))

    keep = (dist(left[lag:], left[:-lag]) + dist(right[lag:], right[:-lag])) / scale_px[lag:]
    swap = (dist(left[lag:], right[:-lag]) + dist(right[lag:], left[:-lag])) / scale_px[lag:]
    jump = np.zeros(len(pixels), dtype=bool)
    jump[lag:] = np.nan_to_num((keep > min_jump_legs) & (swap < ratio * keep), nan=0.0).astype(bool)
    spans = runs(jump)
    # jumps closer than the lag are one hand-over seen from several frames
    starts = spans[np.concatenate(([True], spans[1:, 0] - spans[:-1, 1] >= lag)), 0] if len(spans) else spans
    k = 0
    while k + 1 < len(starts):
        first, stop = starts[k], starts[k + 1]
        before, after = first - lag, stop
        same = dist(left[before], left[after]) + dist(right[before], right[after])
        cross = dist(left[before], right[after]) + dist(right[before], left[after])
        if (times_s[stop] - times_s[first] <= max_swap_s and same < ratio * cross
                and not agrees_with_shoulders(pixels[first:stop], scale_px[first:stop])):
            out[first:stop] = True
            k += 2
        else:
            k += 1
    return out


def repair_leg_swaps(image: np.ndarray, world: np.ndarray, times_s: np.ndarray, size_px: tuple[int, int],
                     scale_px: np.ndarray, params: AnalysisParams) -> tuple[np.ndarray, np.ndarray, int]:
    """Undo leg swaps; return repaired image and world landmarks and the number of frames fixed.

    BlazePose's labels are right most of the time and consistent with its own depth order, so only
    brief swaps against the surrounding frames (:func:`swapped_frames`) and then stretches whose labels
    are the exchange of those either side (:func:`held_swap_frames`) are undone; ``size_px`` is the
    image's width and height in pixels, ``params`` gives ``swap_*`` and ``held_swap_*``. With nothing
    to undo, the arrays returned are ``image`` and ``world`` themselves (not copies).
    """
    size = np.array(size_px, dtype=np.float64)
    scale = np.where(scale_px > 0, scale_px, np.nan)
    idx = leg_swap_index()
    flip = swapped_frames(image[:, :, :2] * size, times_s, scale, params.swap_window_s,
                          params.swap_min_jump_legs, params.swap_ratio)
    image_out, world_out = image, world
    if flip.any():
        image_out, world_out = image.copy(), world.copy()
        image_out[flip] = image[flip][:, idx]
        world_out[flip] = world[flip][:, idx]
    held = held_swap_frames(image_out[:, :, :2] * size, times_s, scale, params.held_swap_lag_s,
                            params.held_swap_min_jump_legs, params.held_swap_ratio, params.held_swap_max_s)
    if held.any():
        if image_out is image:
            image_out, world_out = image.copy(), world.copy()
        image_out[held] = image_out[held][:, idx]
        world_out[held] = world_out[held][:, idx]
    return image_out, world_out, int((flip ^ held).sum())
