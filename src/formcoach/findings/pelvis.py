"""The pelvis's sideways tilt (obliquity) seen in the image, from two cues, and its twist seen from
the side.

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

The **twist** (rotation about the vertical) moves the pelvis's landmarks along the camera's axis
when filmed from the front or behind, the pose model's weakest direction. From the side it moves
the hands resting on the pelvis forwards and backwards across the image: the front leg's wrist
comes forward of the back leg's by the hands' width times the sine of the twist
(:func:`wrist_spread_legs`, :func:`side_twist_deg`).
"""

from __future__ import annotations

import math

import numpy as np

from formcoach.track import LM
from formcoach.wording import NO_HANDS, TRAVEL

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
#: hands resting on the iliac crests hold the wrists about a hip breadth apart, 0.191 of stature
#: (Drillis & Contini 1966, as drawn in Winter 2009, fig. 4.1), and the hip-knee-ankle leg is 0.491
#: of stature (the same figure: hip joint 0.530, ankle 0.039): 0.39 leg lengths. The simulator's
#: athlete holds them 0.42 leg lengths apart (0.194 of stature over a de Leva leg of 0.462).
WRIST_WIDTH_LEGS = 0.39
#: field of view assumed across the frame's longer side, degrees: a phone's main camera films about
#: 60-70 (the simulator's camera 60); only the side view's perspective correction uses it
CAMERA_FOV_DEG = 65.0
#: largest change of the perspective's part of the hands' spread (:func:`perspective_spread_legs`)
#: between standing and the frames judged, in degrees of twist, for the side view to read the twist:
#: a lens 15 deg wider or narrower than assumed misjudges that part by up to a third, so 2 deg here.
#: The rendered athlete's reverse lunges change it by 2.2-5.0 deg (7.6 sitting back onto the back
#: leg), the real side-view forward and walking lunges with the hands on the hips by 5.6-15.7
PERSPECTIVE_MAX_DEG = 6.0
#: why the side view could not read a rep's twist

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


def hands_on_pelvis(pixels: np.ndarray, scale_px: np.ndarray, *, frontal: bool = True) -> np.ndarray:
    """(T,) True on frames where both wrists rest on the pelvis in the image: each a little above
    its own hip (``WRIST_RISE_LEGS``, in image leg lengths ``scale_px``) and close beside it
    (``WRIST_SIDEWAYS_MAX_LEGS``), and, when ``frontal`` (a camera in front or behind), the wrists
    further apart than the hips (``WRIST_SPREAD_MIN``), which hands joined in front of the body are
    not. From the side both pairs overlap in the image, so ``frontal=False`` leaves that test out."""
    ok = np.ones(len(pixels), dtype=bool)
    for side in ("left", "right"):
        wrist, hip = pixels[:, LM[f"{side}_wrist"]], pixels[:, LM[f"{side}_hip"]]
        with np.errstate(invalid="ignore"):
            rise = (hip[:, 1] - wrist[:, 1]) / scale_px
            sideways = np.abs(wrist[:, 0] - hip[:, 0]) / scale_px
            ok &= (rise >= WRIST_RISE_LEGS[0]) & (rise <= WRIST_RISE_LEGS[1])
            ok &= sideways <= WRIST_SIDEWAYS_MAX_LEGS
    if not frontal:
        return ok
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


def perspective_spread_legs(pixels: np.ndarray, world: np.ndarray, frame_px: tuple[float, float],
                            fov_deg: float = CAMERA_FOV_DEG) -> np.ndarray:
    """(T,) the part of the left wrist's lead over the right across the image (+ = left further to
    the image right), in leg lengths, that the camera's perspective alone draws on a side view.

    Filmed from the side, the hands resting on the pelvis lie a hip breadth apart along the camera's
    axis, so a pinhole camera draws them apart in the image whenever they stand off its axis, even on
    a square pelvis: by their mean offset from the frame's middle times the hands' width over the
    camera's distance. In leg lengths that is ``WRIST_WIDTH_LEGS`` times the offset over the focal
    length (``frame_px`` = (width, height), pixels; ``fov_deg`` across the longer side), signed by
    which wrist the world landmarks put nearer the camera (their z runs away from it).
    """
    left, right = pixels[:, LM["left_wrist"], 0], pixels[:, LM["right_wrist"], 0]
    focal_px = 0.5 * max(frame_px) / math.tan(math.radians(fov_deg) / 2.0)
    left_nearer = np.sign(world[:, LM["right_wrist"], 2] - world[:, LM["left_wrist"], 2])
    offset_px = 0.5 * (left + right) - 0.5 * frame_px[0]
    return np.asarray(left_nearer * WRIST_WIDTH_LEGS * offset_px / focal_px)


def wrist_spread_legs(pixels: np.ndarray, scale_px: np.ndarray, perspective_legs: np.ndarray) -> np.ndarray:
    """(T,) how far the left wrist lies to the image right of the right wrist, in image leg lengths
    (``scale_px``), less the part the camera's perspective draws (``perspective_legs``,
    :func:`perspective_spread_legs`); NaN on frames where the hands do not rest on the pelvis as seen
    from the side (:func:`hands_on_pelvis` with ``frontal=False``)."""
    spread = (pixels[:, LM["left_wrist"], 0] - pixels[:, LM["right_wrist"], 0]) / scale_px - perspective_legs
    return np.asarray(np.where(hands_on_pelvis(pixels, scale_px, frontal=False), spread, np.nan))


def facing_sign(pixels: np.ndarray, leg: str, frames: np.ndarray) -> float:
    """+1 when the person faces the image's right (forwards = +x), -1 the left, NaN when unseen: the
    direction of the ``leg`` foot's heel-to-toe line over ``frames`` (the planted front foot)."""
    along = pixels[frames, LM[f"{leg}_foot_index"], 0] - pixels[frames, LM[f"{leg}_heel"], 0]
    if not np.isfinite(along).any():
        return math.nan
    return float(np.sign(np.nanmedian(along))) or math.nan


def _twist_deg(spread_change_legs: float) -> float:
    """The twist, degrees, that moves the hands' forward spread by ``spread_change_legs``."""
    return math.degrees(math.asin(float(np.clip(spread_change_legs / WRIST_WIDTH_LEGS, -1.0, 1.0))))


def side_twist_deg(spread_legs: np.ndarray, perspective_legs: np.ndarray, baseline: np.ndarray,
                   frames: np.ndarray, facing: float, side_sign: float) -> tuple[float, str | None]:
    """The pelvis's twist over ``frames`` against the standing ``baseline`` (frame index arrays),
    degrees, + = the back leg's side turned backwards, and None; or NaN and why the side view cannot
    read it (:data:`NO_HANDS`, :data:`TRAVEL`).

    A twist brings the front leg's wrist forward of the back leg's by ``WRIST_WIDTH_LEGS`` times its
    sine, so the twist is the arcsine of the change in that forward spread (``spread_legs``, medians
    over each window; :func:`wrist_spread_legs`) over the hands' width. It needs the hands on the
    pelvis on at least ``HANDS_SHARE_MIN`` of each window's frames, and a change in the perspective's
    part (``perspective_legs``) worth at most ``PERSPECTIVE_MAX_DEG``. ``facing`` is +1 when
    forwards is the image's +x (:func:`facing_sign`), ``side_sign`` +1 when the left leg is in front.
    """
    for window in (baseline, frames):
        if len(window) == 0 or np.mean(np.isfinite(spread_legs[window])) < HANDS_SHARE_MIN:
            return math.nan, NO_HANDS
    drawn = np.nanmedian(perspective_legs[frames]) - np.nanmedian(perspective_legs[baseline])
    if abs(_twist_deg(drawn)) > PERSPECTIVE_MAX_DEG:
        return math.nan, TRAVEL
    change = np.nanmedian(spread_legs[frames]) - np.nanmedian(spread_legs[baseline])
    return _twist_deg(facing * side_sign * change), None
