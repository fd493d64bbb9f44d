"""Drawing leaves the input untouched, draws where the body is, and skips frames with no person."""

from __future__ import annotations

import numpy as np

from formcoach.report.draw import draw_caption, draw_label, draw_panel, draw_skeleton
from formcoach.track import LM, N_LANDMARKS


def standing_person() -> np.ndarray:
    landmarks = np.zeros((N_LANDMARKS, 4))
    landmarks[:, 3] = 1.0
    for side, dx in (("left", 0.05), ("right", -0.05)):
        for part, y in (("shoulder", 0.3), ("elbow", 0.42), ("wrist", 0.52), ("hip", 0.55), ("knee", 0.72),
                        ("ankle", 0.9), ("heel", 0.92), ("foot_index", 0.93)):
            landmarks[LM[f"{side}_{part}"], :2] = (0.5 + dx, y)
    return landmarks


def test_skeleton_is_drawn_on_a_copy_along_the_legs() -> None:
    frame = np.zeros((200, 200, 3), np.uint8)
    out = draw_skeleton(frame, standing_person())
    assert frame.sum() == 0
    assert out[int(0.63 * 200), int(0.55 * 200)].sum() > 0  # the left thigh
    assert out[10, 10].sum() == 0


def test_nothing_drawn_without_a_person() -> None:
    frame = np.zeros((100, 100, 3), np.uint8)
    assert draw_skeleton(frame, np.full((N_LANDMARKS, 4), np.nan)).sum() == 0


def test_text_overlays_change_their_region() -> None:
    frame = np.full((240, 320, 3), 128, np.uint8)
    assert (draw_panel(frame, ["Rep 1: lowering"])[:20, :60] != 128).any()
    caption = draw_caption(frame, "Keep your hips level.")
    assert (caption[-20:] != 128).any() and (caption[:100] == 128).all()
    assert (draw_label(frame, "knee 90", (0.5, 0.5)) != 128).any()
