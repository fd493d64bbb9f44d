"""H.264 MP4 writing (yuv420p, so browsers play it) with PyAV."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import numpy as np


class VideoWriter:
    """Write RGB frames to an H.264 MP4, each at its own timestamp in seconds.

    Use as a context manager::

        with VideoWriter(path, width, height, fps=30.0) as out:
            out.write(rgb, t_s)

    Width and height must be even (yuv420p); frames must be (height, width, 3) uint8.
    """

    def __init__(self, path: Path | str, width: int, height: int, fps: float = 30.0,
                 crf: int = 23, preset: str = "veryfast") -> None:
        if width <= 0 or height <= 0 or width % 2 or height % 2:
            raise ValueError(f"H.264 needs a positive, even frame size, got {width}x{height}")
        if not fps > 0:
            raise ValueError(f"fps must be positive, got {fps}")
        self.path = Path(path)
        self.width, self.height = width, height
        self._tb = Fraction(1, 90_000)
        self._container = av.open(str(self.path), mode="w")
        rate = Fraction(fps).limit_denominator(1001)
        self._stream = self._container.add_stream("libx264", rate=rate)
        self._stream.width, self._stream.height = width, height
        self._stream.pix_fmt = "yuv420p"
        self._stream.time_base = self._tb
        self._stream.codec_context.time_base = self._tb
        self._stream.options = {"crf": str(crf), "preset": preset}
        self._last_pts = -1
        self._count = 0

    def write(self, rgb: np.ndarray, t_s: float | None = None) -> None:
        """Encode one frame shown at ``t_s`` seconds (default: the nominal frame rate)."""
        if rgb.shape != (self.height, self.width, 3) or rgb.dtype != np.uint8:
            raise ValueError(f"frame must be ({self.height}, {self.width}, 3) uint8, got "
                             f"{rgb.shape} {rgb.dtype}")
        if t_s is None:
            t_s = self._count / float(self._stream.average_rate or 30)
        pts = max(int(round(t_s / self._tb)), self._last_pts + 1)
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
        frame.pts, frame.time_base = pts, self._tb
        self._last_pts = pts
        self._count += 1
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def close(self) -> None:
        """Flush the encoder and close the file."""
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self._container.close()

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
