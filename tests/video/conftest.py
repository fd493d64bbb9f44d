"""Small synthetic videos made with PyAV for the reader's tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest


def write_clip(path: Path, times_s: np.ndarray, size: tuple[int, int] = (64, 32),
               rotation_ccw_deg: float = 0.0, codec: str = "libx264") -> Path:
    """Write frames at the given timestamps; each frame has a red block in its top-left corner."""
    width, height = size
    container = av.open(str(path), mode="w")
    stream = container.add_stream(codec, rate=10 if codec == "gif" else 30)
    assert isinstance(stream, av.VideoStream)
    stream.width, stream.height = width, height
    stream.pix_fmt = "rgb8" if codec == "gif" else "yuv420p"
    if codec != "gif":
        from fractions import Fraction

        stream.time_base = Fraction(1, 90_000)
        stream.codec_context.time_base = Fraction(1, 90_000)
    if rotation_ccw_deg:
        stream.set_display_rotation(rotation_ccw_deg)
    for t in times_s:
        image = np.zeros((height, width, 3), np.uint8)
        image[:8, :8] = (255, 0, 0)
        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
        if codec == "gif":
            frame = frame.reformat(format="rgb8")
            frame.pts = int(round(t * 10))
        else:
            frame.pts = int(round(t * 90_000))
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)
    container.close()
    return path


@pytest.fixture
def clip_writer() -> Callable[..., Path]:
    """The :func:`write_clip` helper, as a fixture."""
    return write_clip
