"""Lunge depth from any camera view: the hips' drop in the world landmarks and in the image.

BlazePose's 3-D world landmarks measure the hips' drop well when the legs move across the image
(side views, and all our real footage from the front, rear or at 45 deg), but on some footage seen
from the front, the rear or at 45 deg they miss much of the movement along the camera's axis: on our
rendered sessions they read a full lunge as two thirds of one from the front, a quarter of one from
the rear and a third to two fifths at 45 deg, and the knees as bent 15-50 deg instead of 90.
The image landmarks show the drop from every view, as the vertical pixel distance from the hips down
to the planted front foot's ankle (:func:`image_hip_height`); but its size also depends on the
camera's height and distance (the feet sit at different distances from it), so it is trusted only
where the world depth is evidently compressed (:func:`use_image_depth`).
"""

from __future__ import annotations

import math

import numpy as np

from formcoach.analysis.params import AnalysisParams
from formcoach.arrays import SIDES, runs
from formcoach.track import LM


def facing_yaw_deg(world: np.ndarray) -> np.ndarray:
    """(T,) yaw of the chest in degrees: 0 facing the camera, +-90 side-on, +-180 facing away."""
    r = (world[:, LM["right_shoulder"]] - world[:, LM["left_shoulder"]]
         + world[:, LM["right_hip"]] - world[:, LM["left_hip"]])
    return np.asarray(np.degrees(np.arctan2(-r[:, 2], -r[:, 0])))


def circular_median_deg(angles_deg: np.ndarray) -> tuple[float, float]:
    """Median direction of angles in degrees and its steadiness (mean resultant length, 0..1)."""
    a = np.radians(angles_deg[np.isfinite(angles_deg)])
    if len(a) == 0:
        return float("nan"), 0.0
    mean = np.angle(np.mean(np.exp(1j * a)))
    resultant = float(np.abs(np.mean(np.exp(1j * a))))
    centred = np.angle(np.exp(1j * (a - mean)))
    return float(np.degrees(mean + np.median(centred))), resultant


def floor_ankle_y(times_s: np.ndarray, pixels: np.ndarray, scale_px: float, facing_away: bool,
                  planted_legs_s: float, planted_window_s: float, knees_apart_legs: float = math.inf
                  ) -> np.ndarray:
    """(T,) image y (pixels, down) of the ankle of the foot that carries the lunge.

    That is the planted foot: an ankle whose net image speed over ``planted_window_s`` seconds (how
    far it got, not how far it wandered, so the pose model's jitter about a still foot does not add
    up) exceeds ``planted_legs_s`` leg lengths (``scale_px`` pixels) per second is stepping or
    swinging. With both feet planted it is the front foot. Down in the lunge, with the knees more
    than ``knees_apart_legs`` leg lengths apart in the image, that is the foot under the higher knee,
    from any view: the back knee nears the floor. Otherwise, seen from the front (or the side) the
    lower ankle in the image (the nearer foot, heel down), seen from behind the higher one (the
    further foot; the nearer back foot is up on its toes, which can draw its ankle higher still, so
    the knees decide where they can). With both feet moving, the stiller.
    """
    ankles = np.stack([pixels[:, LM[f"{s}_ankle"]] for s in SIDES], axis=1)
    y = ankles[:, :, 1]
    if len(times_s) < 3:
        return np.asarray(np.nanmax(y, axis=1))
    window = max(1, int(round(planted_window_s / float(np.median(np.diff(times_s))))))
    speed = np.linalg.norm(window_mean(np.nan_to_num(np.gradient(ankles, times_s, axis=0)), window),
                           axis=-1) / scale_px
    planted = speed <= planted_legs_s
    knees_y = np.stack([pixels[:, LM[f"{s}_knee"], 1] for s in SIDES], axis=1)
    with np.errstate(invalid="ignore"):
        apart = np.abs(knees_y[:, 0] - knees_y[:, 1]) > knees_apart_legs * scale_px
    order = np.where(apart[:, None], -knees_y, -y if facing_away else y)
    key = np.where(planted, order, -np.inf)
    pick = np.where(planted.any(axis=1), np.argmax(key, axis=1), np.argmin(speed, axis=1))
    return np.asarray(y[np.arange(len(y)), pick])


def window_mean(x: np.ndarray, window: int) -> np.ndarray:
    """Centred mean of ``x`` (T, ...) over ``window`` frames along axis 0, over the frames there are
    at the ends (a foot's net speed at the video's start is not its first frame's speed repeated)."""
    half = window // 2
    total = np.concatenate([np.zeros((1, *x.shape[1:])), np.cumsum(x, axis=0)])
    idx = np.arange(len(x))
    lo, hi = np.maximum(idx - half, 0), np.minimum(idx + half, len(x) - 1)
    count = (hi - lo + 1).reshape(-1, *([1] * (x.ndim - 1)))
    return np.asarray((total[hi + 1] - total[lo]) / count)


def size_trend(times_s: np.ndarray, pixels: np.ndarray) -> np.ndarray:
    """(T,) the person's image size relative to the stretch's start, as a straight line through the
    log of the torso's size (mean of its two diagonals) over time: someone walking towards the camera
    grows, while lunging in place only wobbles about the line."""
    diag = 0.5 * (np.linalg.norm(pixels[:, LM["left_shoulder"]] - pixels[:, LM["right_hip"]], axis=-1)
                  + np.linalg.norm(pixels[:, LM["right_shoulder"]] - pixels[:, LM["left_hip"]], axis=-1))
    ok = np.isfinite(diag) & (diag > 0)
    if ok.sum() < 2 or np.ptp(times_s[ok]) <= 0:
        return np.ones(len(times_s))
    slope = np.polyfit(times_s[ok] - times_s[0], np.log(diag[ok]), 1)[0]
    return np.asarray(np.exp(slope * (times_s - times_s[0])))


def image_hip_height(times_s: np.ndarray, pixels: np.ndarray, scale_px: float, facing_away: bool,
                     planted_legs_s: float, planted_window_s: float, knees_apart_legs: float = math.inf
                     ) -> np.ndarray:
    """(T,) hips above the carrying foot's ankle in the image, pixels of the person's size at the
    stretch's start (see :func:`floor_ankle_y`, :func:`size_trend`)."""
    hips_y = 0.5 * (pixels[:, LM["left_hip"], 1] + pixels[:, LM["right_hip"], 1])
    floor_y = floor_ankle_y(times_s, pixels, scale_px, facing_away, planted_legs_s, planted_window_s,
                            knees_apart_legs)
    return np.asarray((floor_y - hips_y) / size_trend(times_s, pixels))


def drop_share(height: np.ndarray, full_drop: float) -> np.ndarray:
    """(T,) depth from a hip height: the drop below the standing height (the 95th percentile, so
    that a few tall frames do not set it) as a share of ``full_drop`` (a share of standing)."""
    if not np.isfinite(height).any():
        return np.full(len(height), np.nan)
    standing = float(np.nanpercentile(height, 95))
    return np.asarray((1.0 - height / standing) / full_drop)


def faces_camera_axis(yaw_deg: float, max_yaw_deg: float) -> bool:
    """Whether a facing yaw (degrees, 0 facing the camera, 180 away) lies within ``max_yaw_deg`` of
    the camera's axis, either way: a lunge then moves the legs along that axis."""
    return min(abs(yaw_deg), 180.0 - abs(yaw_deg)) <= max_yaw_deg


def use_image_depth(world_depth: np.ndarray, image_depth: np.ndarray, yaw_deg: float, *, max_yaw_deg: float,
                    compressed_ratio: float, rep_depth: float) -> bool:
    """Whether a stretch's depth should come from the image.

    Only when the world landmarks evidently miss the lunge: the person faces the camera or away from
    it (within ``max_yaw_deg``), the world depth's deepest dips (98th percentile) stay below
    ``rep_depth`` (no rep would count) and reach less than ``compressed_ratio`` of the image
    depth's. The image depth is not trusted further: the feet's and hips' distances from the camera
    change its size (a forward lunge seen from behind reads deeper than it is).
    """
    if not (np.isfinite(world_depth).any() and np.isfinite(image_depth).any() and np.isfinite(yaw_deg)):
        return False
    deep_world = float(np.nanpercentile(world_depth, 98))
    deep_image = float(np.nanpercentile(image_depth, 98))
    missed = deep_world < min(rep_depth, compressed_ratio * deep_image)
    return faces_camera_axis(yaw_deg, max_yaw_deg) and missed


def lunge_depth(times_s: np.ndarray, pixels: np.ndarray, world_hip_height: np.ndarray, yaw_deg: np.ndarray,
                spans: np.ndarray, scale_px: np.ndarray, params: AnalysisParams
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Depth per frame, stretch by stretch: (depth, world depth, image depth, from image).

    Args:
        times_s: (T,) frame times, seconds.
        pixels: (T, 33, 2) filtered image landmarks, pixels; NaN outside the stretches.
        world_hip_height: (T,) hips above the lower ankle in the world landmarks, any unit.
        yaw_deg: (T,) facing yaw (:func:`facing_yaw_deg`).
        spans: (n, 2) start and stop frames of the stretches.
        scale_px: (T,) body size in pixels (leg lengths).
        params: ``planted_legs_s``, ``planted_window_s``, ``floor_knees_apart_legs``,
            ``image_depth_max_yaw_deg``, ``image_depth_min_stretch_s``, ``world_compressed_ratio``,
            ``enter_depth`` and ``exit_depth`` (:class:`AnalysisParams`).

    Depths are drops below standing as a share of ``params.full_lunge_drop_frac``. The depth is the
    world depth alone in stretches shorter than ``image_depth_min_stretch_s`` (the image depth's
    standing height is the stretch's tallest, which a fragment of video may never show), or in
    the stretches where :func:`use_image_depth` says so (``from image``, (T,) bool) the deeper of the
    world and image depths (the compressed world depth seldom reads deeper than the truth); in the
    other stretches facing the camera or away from it, so is the depth of each image dip the world
    misses (:func:`missed_dips`, ``exit_depth`` its edges), and those frames are ``from image``.
    """
    depth, world, image = (np.full(len(times_s), np.nan) for _ in range(3))
    from_image = np.zeros(len(times_s), dtype=bool)
    for start, stop in spans:
        sl = slice(int(start), int(stop))
        if not np.isfinite(world_hip_height[sl]).any():
            continue
        yaw = circular_median_deg(yaw_deg[sl])[0]
        world[sl] = drop_share(world_hip_height[sl], params.full_lunge_drop_frac)
        if times_s[int(stop) - 1] - times_s[int(start)] < params.image_depth_min_stretch_s:
            depth[sl] = world[sl]  # too short to have stood in: the image has no standing height
            continue
        height = image_hip_height(times_s[sl], pixels[sl], float(np.nanmedian(scale_px[sl])), abs(yaw) > 90.0,
                                  params.planted_legs_s, params.planted_window_s,
                                  params.floor_knees_apart_legs)
        image[sl] = drop_share(height, params.full_lunge_drop_frac)
        from_image[sl] = use_image_depth(world[sl], image[sl], yaw,
                                         max_yaw_deg=params.image_depth_max_yaw_deg,
                                         compressed_ratio=params.world_compressed_ratio,
                                         rep_depth=params.enter_depth)
        depth[sl] = np.fmax(world[sl], image[sl]) if from_image[start] else world[sl]
        if not from_image[start] and faces_camera_axis(yaw, params.image_depth_max_yaw_deg):
            dt = float(np.median(np.diff(times_s[sl]))) if stop - start > 1 else 1.0
            missed = missed_dips(world[sl], image[sl], params.exit_depth, params.enter_depth,
                                 params.world_compressed_ratio, int(round(TOUCH_S / dt)))
            depth[sl] = np.where(missed, np.fmax(world[sl], image[sl]), depth[sl])
            from_image[sl] = missed
    return depth, world, image, from_image


#: a world dip starting or ending this close to an image dip, seconds, is the same rep's
TOUCH_S = 0.2


def missed_dips(world: np.ndarray, image: np.ndarray, exit_depth: float, enter_depth: float,
                compressed_ratio: float, touch_frames: int = 0) -> np.ndarray:
    """(T,) bool: the frames of the image depth's dips (runs deeper than ``exit_depth``) that the
    world depth misses: in the image the dip goes past ``enter_depth``; in the world, over the dip and
    any world dip overlapping it or starting or ending within ``touch_frames`` frames of it, the hips
    stay shallower than that and than ``compressed_ratio`` of the image's depth.

    Seen from the front or behind, the world landmarks can flatten one leg's reps and not the other's
    (a camera 10-20 deg off the front: the rendered randomized set's front sessions read 0.3 for one
    leg's reps and 0.55 for the other's in the world, 0.6-0.7 for both in the image), so a stretch-wide
    choice keeps the world and loses half the reps. Where the world sees the dip it stays: the image
    depth of a forward lunge breaks off when the stepping foot lands (its floor reference moves to
    that foot) while the world's rep goes on; in a walking lunge towards the camera the image's dip
    can break off just as the world's begins (LiteRT's track of a real clip: 0.97 in the image, 0.15
    in the world, then 0.24 and 0.35 a frame later), so a world dip that touches it counts too.
    """
    out = np.zeros(len(world), dtype=bool)
    world_runs = runs(np.nan_to_num(world, nan=0.0) > exit_depth)
    for a, b in runs(np.nan_to_num(image, nan=0.0) > exit_depth):
        deep_image = float(np.max(image[a:b]))
        if deep_image < enter_depth:
            continue
        lo, hi = a, b
        near = (world_runs[:, 1] > a - touch_frames) & (world_runs[:, 0] < b + touch_frames)
        for wa, wb in world_runs[near]:
            lo, hi = min(lo, int(wa)), max(hi, int(wb))
        deep_world = float(np.nanmax(world[lo:hi])) if np.isfinite(world[lo:hi]).any() else 0.0
        out[a:b] = deep_world < min(enter_depth, compressed_ratio * deep_image)
    return out
