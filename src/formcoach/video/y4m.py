"""Y4M (YUV4MPEG2, 4:2:0) files: the raw video Chromium's fake camera plays
(``--use-file-for-fake-video-capture``), written from RGB frames with OpenCV's colour conversion."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import numpy as np


def write_y4m(frames: Iterable[np.ndarray], path: Path, fps: float) -> int:
    """Write (H, W, 3) uint8 RGB ``frames`` (even H and W, all the same size) to ``path`` at ``fps``
    frames per second; return the number of frames written."""
    import cv2

    rate = Fraction(fps).limit_denominator(1001)
    count = 0
    with path.open("wb") as out:
        for rgb in frames:
            height, width = rgb.shape[:2]
            if height % 2 or width % 2:
                raise ValueError(f"Y4M 4:2:0 needs an even frame size, got {width}x{height}")
            if count == 0:
                out.write(f"YUV4MPEG2 W{width} H{height} F{rate.numerator}:{rate.denominator} Ip A1:1 "
                          "C420jpeg\n".encode("ascii"))
            out.write(b"FRAME\n")
            out.write(cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2YUV_I420).tobytes())
            count += 1
    return count
