"""Stills for the report: the video frame at a finding with the skeleton drawn, as PNG bytes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from formcoach.report.draw import draw_skeleton
from formcoach.track import PoseTrack
from formcoach.video import iter_frames

#: Longest side of a still in the report, pixels.
STILL_MAX_SIDE_PX = 480


def _png(rgb: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    if not ok:
        raise ValueError("could not encode a still as PNG")
    return bytes(data.tobytes())


def _blank(track: PoseTrack) -> np.ndarray:
    scale = STILL_MAX_SIDE_PX / max(track.width, track.height)
    height, width = int(track.height * scale), int(track.width * scale)
    return np.full((max(height, 2), max(width, 2), 3), 235, np.uint8)


def stills(track: PoseTrack, frame_indices: Iterable[int], video: Path | None = None) -> dict[int, bytes]:
    """PNG stills at the given track frame indices, skeleton drawn.

    With ``video`` the frames are decoded from it in one pass; without (a track file was analysed)
    the skeleton is drawn on a plain background.
    """
    wanted = sorted({int(i) for i in frame_indices if 0 <= int(i) < len(track)})
    out: dict[int, bytes] = {}
    if video is None:
        for i in wanted:
            out[i] = _png(draw_skeleton(_blank(track), track.image[i]))
        return out
    pending = list(wanted)
    for t_s, rgb in iter_frames(video, max_side=STILL_MAX_SIDE_PX):
        if not pending:
            break
        i = pending[0]
        if abs(track.times_s[i] - t_s) < 1e-3 or t_s > track.times_s[i]:
            out[i] = _png(draw_skeleton(rgb, track.image[i]))
            pending.pop(0)
    return out
