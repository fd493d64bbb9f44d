"""Stateless drawing on RGB frames (OpenCV): skeleton, joint labels, a counter box and captions.

Every function takes an (H, W, 3) uint8 RGB image and returns a new one; none holds logic about
the analysis.
"""

from __future__ import annotations

import cv2
import numpy as np

from formcoach.track import LM

#: Bones drawn between landmarks (BlazePose topology without the face mesh).
BONES: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"),
    ("left_shoulder", "left_hip"), ("right_shoulder", "right_hip"),
    ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"),
    ("left_hip", "left_knee"), ("left_knee", "left_ankle"),
    ("right_hip", "right_knee"), ("right_knee", "right_ankle"),
    ("left_ankle", "left_heel"), ("left_heel", "left_foot_index"), ("left_ankle", "left_foot_index"),
    ("right_ankle", "right_heel"), ("right_heel", "right_foot_index"),
    ("right_ankle", "right_foot_index"),
)
LEFT_RGB = (255, 140, 40)
RIGHT_RGB = (40, 170, 255)
CENTRE_RGB = (240, 240, 240)
FONT = cv2.FONT_HERSHEY_SIMPLEX


def _scale(image: np.ndarray) -> float:
    return float(max(image.shape[:2])) / 720.0


def _colour(a: str, b: str) -> tuple[int, int, int]:
    if a.startswith("left") and b.startswith("left"):
        return LEFT_RGB
    if a.startswith("right") and b.startswith("right"):
        return RIGHT_RGB
    return CENTRE_RGB


def draw_skeleton(image: np.ndarray, landmarks: np.ndarray, min_visibility: float = 0.3) -> np.ndarray:
    """Draw the bones of one person's (33, 4) normalised image landmarks; NaN frames draw nothing."""
    out = image.copy()
    if not np.isfinite(landmarks[:, :2]).all():
        return out
    height, width = out.shape[:2]
    xy = np.round(landmarks[:, :2] * [width, height]).astype(int)
    visible = landmarks[:, 3] >= min_visibility
    thickness = max(2, int(round(3 * _scale(out))))
    for a, b in BONES:
        i, j = LM[a], LM[b]
        if visible[i] and visible[j]:
            cv2.line(out, tuple(xy[i]), tuple(xy[j]), _colour(a, b), thickness, cv2.LINE_AA)
    for i in (np.flatnonzero(visible[11:]) + 11).tolist():
        cv2.circle(out, tuple(xy[i]), thickness + 1, (255, 255, 255), -1, cv2.LINE_AA)
    return out


def draw_label(image: np.ndarray, text: str, xy_norm: tuple[float, float],
               colour: tuple[int, int, int] = (255, 255, 255)) -> np.ndarray:
    """Write ``text`` on a dark tag just right of a point given in normalised image coordinates."""
    out = image.copy()
    if not all(np.isfinite(xy_norm)):
        return out
    height, width = out.shape[:2]
    scale = 0.5 * _scale(out)
    (tw, th), base = cv2.getTextSize(text, FONT, scale, 1)
    x = int(min(max(xy_norm[0] * width + 10, 0), width - tw - 4))
    y = int(min(max(xy_norm[1] * height, th + 4), height - 4))
    cv2.rectangle(out, (x - 3, y - th - 4), (x + tw + 3, y + base), (20, 20, 20), -1)
    cv2.putText(out, text, (x, y), FONT, scale, colour, 1, cv2.LINE_AA)
    return out


def draw_panel(image: np.ndarray, lines: list[str]) -> np.ndarray:
    """A translucent box of text lines in the top-left corner (rep counter, phase)."""
    out = image.copy()
    scale = 0.6 * _scale(out)
    sizes = [cv2.getTextSize(line, FONT, scale, 2)[0] for line in lines]
    line_h = int(max(h for _, h in sizes) * 1.8) if sizes else 0
    box_w = max((w for w, _ in sizes), default=0) + 20
    box = out[0:line_h * len(lines) + 12, 0:box_w]
    box[:] = (box * 0.45).astype(np.uint8)
    for k, line in enumerate(lines):
        cv2.putText(out, line, (10, line_h * (k + 1)), FONT, scale, (255, 255, 255), 2, cv2.LINE_AA)
    return out


def draw_caption(image: np.ndarray, text: str, praise: bool = False) -> np.ndarray:
    """A coaching caption across the bottom of the frame (green for praise, amber for a cue)."""
    out = image.copy()
    height, width = out.shape[:2]
    scale = 0.7 * _scale(out)
    while scale > 0.3 and cv2.getTextSize(text, FONT, scale, 2)[0][0] > width - 24:
        scale *= 0.9
    (tw, th), _ = cv2.getTextSize(text, FONT, scale, 2)
    top = height - th - 28
    band = out[top:height]
    colour = np.array((30, 120, 50) if praise else (150, 90, 0), dtype=np.float64)
    band[:] = (band * 0.35 + colour * 0.65).astype(np.uint8)
    cv2.putText(out, text, ((width - tw) // 2, height - 16), FONT, scale, (255, 255, 255), 2, cv2.LINE_AA)
    return out
