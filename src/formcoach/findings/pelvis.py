"""The pelvis's sideways tilt (obliquity) seen in the image, from two cues.

* The **hip line**: BlazePose's two hip landmarks. They are estimates of joint centres hidden
  inside the body, and on the rendered athlete they follow a 12 deg tilt by only 1-5 deg.
* The **wrist line**: the guide asks the person to rest the hands on top of the pelvis, so the
  wrists sit on the iliac crests and tilt with them: a direct view of the obliquity. On the rendered
  athlete, for a true 12 deg tilt, BlazePose's wrist line reads 9.7-11.1 deg from the front and
  7.2-7.9 from behind, its hip line about 1 and 2-3 (``benchmarks/fault_accuracy.py``). It counts
  only on frames where both hands are seen resting on the pelvis (:func:`hands_on_pelvis`); arms
  hanging, swinging or holding weights leave the hip line as the only cue.

Both are angles in degrees, + = the person's left side higher, measured against the full width
between the two points (world distance times the image scale) so a turned body does not inflate
them. Per rep, :func:`choose_cue` takes the wrist line when the hands rest on the pelvis through the
standing baseline and through the frames judged, else the hip line.
"""

from __future__ import annotations

import numpy as np

from formcoach.track import LM

#: a wrist resting on the iliac crest lies above its hip joint by about 0.10 of stature (the crest's
#: height over the joint centre), 0.2 leg lengths; the band allows for the pose model's spread
#: (0.09-0.20 on the rendered athlete) and a tilt of 20 deg; hanging arms put the wrist level with
#: or below the hip (-0.17..0.06 on the real front-view clips)
WRIST_RISE_LEGS = (0.06, 0.40)
#: a resting hand lies just outside its hip (0.11-0.15 leg lengths on the rendered athlete); hanging
#: arms lie further out (0.16-0.40 on the real clips)
WRIST_SIDEWAYS_MAX_LEGS = 0.25
#: hands on the pelvis hold the wrists further apart than the hip joints (about 2x); hands joined in
#: front of the belly or chest do not
WRIST_SPREAD_MIN = 1.2
#: share of a window's frames on which the hands must rest on the pelvis for the wrist line to count
HANDS_SHARE_MIN = 0.8


def line_obliquity_deg(pixels: np.ndarray, world: np.ndarray, px_per_m: np.ndarray, point: str) -> np.ndarray:
    """(T,) tilt of the line from the right to the left ``point`` ("hip", "wrist"), degrees, + = left
    higher in the image.

    The rise of one point over the other (pixels) is set against the points' full side-to-side
    distance: the world distance in metres times the image scale ``px_per_m``, less the rise, or the
    seen distance across the image if larger. So a body turned away from the camera does not
    inflate the angle the way the foreshortened image line would.

    (Tried: the seen distance alone for the wrists, front and rear views only. The pose model's
    world wrist distance reads about 15 % wider than the image one on the rendered athlete, so the
    angle came out 15 % larger and truer, but clean reps then sat closer to the limit, and one whose
    rep start the rep analysis placed late, with the hip drop in its baseline, crossed it.)
    """
    left, right = pixels[:, LM[f"left_{point}"]], pixels[:, LM[f"right_{point}"]]
    rise = right[:, 1] - left[:, 1]
    apart_m = np.linalg.norm(world[:, LM[f"left_{point}"]] - world[:, LM[f"right_{point}"]], axis=1)
    full_px = apart_m * px_per_m
    across_px = np.sqrt(np.clip(full_px**2 - rise**2, 0.0, None))
    width_px = np.fmax(across_px, np.abs(left[:, 0] - right[:, 0]))
    return np.asarray(np.degrees(np.arctan2(rise, width_px)))


def hands_on_pelvis(pixels: np.ndarray, scale_px: np.ndarray) -> np.ndarray:
    """(T,) True on frames where both wrists rest on the pelvis in the image: each a little above
    its own hip (``WRIST_RISE_LEGS``, in image leg lengths ``scale_px``) and close beside it
    (``WRIST_SIDEWAYS_MAX_LEGS``), the wrists further apart than the hips (``WRIST_SPREAD_MIN``)."""
    ok = np.ones(len(pixels), dtype=bool)
    for side in ("left", "right"):
        wrist, hip = pixels[:, LM[f"{side}_wrist"]], pixels[:, LM[f"{side}_hip"]]
        with np.errstate(invalid="ignore"):
            rise = (hip[:, 1] - wrist[:, 1]) / scale_px
            sideways = np.abs(wrist[:, 0] - hip[:, 0]) / scale_px
            ok &= (rise >= WRIST_RISE_LEGS[0]) & (rise <= WRIST_RISE_LEGS[1])
            ok &= sideways <= WRIST_SIDEWAYS_MAX_LEGS
    spread = np.abs(pixels[:, LM["left_wrist"], 0] - pixels[:, LM["right_wrist"], 0])
    hips = np.abs(pixels[:, LM["left_hip"], 0] - pixels[:, LM["right_hip"], 0])
    with np.errstate(invalid="ignore"):
        ok &= spread >= WRIST_SPREAD_MIN * hips
    return ok


def wrist_obliquity_deg(pixels: np.ndarray, world: np.ndarray, px_per_m: np.ndarray,
                        scale_px: np.ndarray) -> np.ndarray:
    """(T,) the wrist line's tilt (:func:`line_obliquity_deg`), degrees, NaN on frames where the hands
    do not rest on the pelvis (:func:`hands_on_pelvis`)."""
    tilt = line_obliquity_deg(pixels, world, px_per_m, "wrist")
    return np.asarray(np.where(hands_on_pelvis(pixels, scale_px), tilt, np.nan))


def choose_cue(hip_deg: np.ndarray, wrist_deg: np.ndarray,
               windows: list[np.ndarray]) -> tuple[np.ndarray, str]:
    """The obliquity signal to judge a rep on and its name ("wrists" or "hips").

    The wrist line when it is defined (hands on the pelvis) on at least ``HANDS_SHARE_MIN`` of the
    frames of every window in ``windows`` (frame index arrays: the baseline and the frames judged),
    else the hip line. Choosing per rep rather than per frame keeps one cue's offset from leaking
    into the other's baseline.
    """
    for frames in windows:
        if len(frames) == 0 or np.mean(np.isfinite(wrist_deg[frames])) < HANDS_SHARE_MIN:
            return hip_deg, "hips"
    return wrist_deg, "wrists"
