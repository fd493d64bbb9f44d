"""The knee over the foot: the guide's "kneecap over the second and third toes", measured so that it
holds for any body and any camera in front of the person.

The knee's sideways offset from the foot's line, in the image, along the direction square to the
person's standing "up" (so a tilted phone does not count), positive towards the other leg ("in").
At the bottom the foot's point under the knee is taken three quarters of the way from the ankle to
the toe tip (BlazePose's ``foot_index``): a front knee over the forefoot stands about there in a
lunge, so a camera turned off the person's front (which turns the knee's forward travel into a
sideways shift of ``sin(turn)`` times the distance between the two) barely moves the reading. The
standing baseline is the knee's offset from its own ankle (the knee stands over the ankle), which
takes out the person's own alignment and the pose model's habits. Both are in image leg lengths,
turned into centimetres by the person's leg length.

How it moves with what a user cannot control (``benchmarks/fault_accuracy.py --exact``, randomized
set: 1.50-1.90 m bodies, camera 0.3-1.6 m high, 2-5 m away, 45-70 deg lens, up to 20 deg off the
front): camera height and distance change a clean knee's reading by under 0.1 cm (both points lie
at nearly the same depth) and a 7.5 cm offset by up to 10 % (perspective on the image scale, a
camera at 1.6 against 1.0 m); stature and segment lengths barely (the reading is scaled by the
person's own leg); a
camera 20 deg off the front shifts it by 0.34 x the knee's forward distance from the 3/4 point
(0-2 cm on the simulator's lunges, up to 4 cm when the shin leans far forward or back), which
:func:`offset_sigma_cm` adds to the measurement's error from the rep's facing angle. The image
hip-knee-ankle angle this replaces read -46..+40 deg on the same clean reps: a thigh pointing at
the camera turns a 2 cm offset into 15 deg. On real front-view forward and walking lunges clean
knees read 2-12 cm "out", so those are not judged (``detectors.STEPPING``): the front foot is a step
nearer the camera than the standing body whose leg gives the scale, and a person walking at the
camera grows in the picture (up to 1.5x over one rep), which ``reps.lunge_type`` now reads as walking.
"""

from __future__ import annotations

import math

import numpy as np

from formcoach.exercise.tuning import FindingDetection
from formcoach.track import LM

SIDES = ("left", "right")


def standing_up(pixels: np.ndarray, standing: np.ndarray) -> np.ndarray:
    """(2,) unit image direction from the ankles to the hips over the ``standing`` frames (up in
    the picture is -y); the image's own up when no standing frame is seen."""
    hips = 0.5 * (pixels[:, LM["left_hip"]] + pixels[:, LM["right_hip"]])
    ankles = 0.5 * (pixels[:, LM["left_ankle"]] + pixels[:, LM["right_ankle"]])
    v = (hips - ankles)[standing & np.isfinite(hips - ankles).all(axis=1)]
    if len(v) == 0:
        return np.array([0.0, -1.0])
    up = np.median(v / np.linalg.norm(v, axis=1, keepdims=True), axis=0)
    return np.asarray(up / np.linalg.norm(up))


def knee_offsets(pixels: np.ndarray, scale_px: np.ndarray, standing: np.ndarray,
                 foot_point: float) -> tuple[np.ndarray, np.ndarray]:
    """(T, 2) each, image leg lengths, + = towards the other leg: the knee's sideways offset from
    the foot point ``foot_point`` of the way to the toe (judged at the bottom), and from its
    own ankle (the standing baseline). ``standing`` (T,) marks the frames that give "up"."""
    up = standing_up(pixels, standing)
    across = np.array([-up[1], up[0]])
    over_foot, over_ankle = [], []
    for side, other in (("left", "right"), ("right", "left")):
        knee, ankle, toe = (pixels[:, LM[f"{side}_{p}"]] for p in ("knee", "ankle", "foot_index"))
        medial = np.sign((pixels[:, LM[f"{other}_hip"]] - pixels[:, LM[f"{side}_hip"]]) @ across)
        foot = ankle + foot_point * (toe - ankle)
        over_foot.append(medial * ((knee - foot) @ across) / scale_px)
        over_ankle.append(medial * ((knee - ankle) @ across) / scale_px)
    return np.stack(over_foot, 1), np.stack(over_ankle, 1)


def offset_sigma_cm(yaw_deg: float, landmark_quality: float, params: FindingDetection) -> float:
    """The knee offset's measurement error, cm: the pose model's ``params.knee_offset_sigma_cm``,
    grown as the landmarks' visibility falls, combined with what a camera turned ``yaw_deg`` off the
    person's front can shift it by (``params.knee_forward_slack_cm`` x sin(turn)); an unknown turn
    counts as 20 deg."""
    turn = math.radians(abs(yaw_deg)) if math.isfinite(yaw_deg) else math.radians(20.0)
    model = params.knee_offset_sigma_cm / max(landmark_quality, 0.3)
    return float(math.hypot(model, params.knee_forward_slack_cm * math.sin(min(turn, math.pi / 2))))
