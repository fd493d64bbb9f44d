"""Webcam capture (OpenCV): the only module that opens a camera.

A background thread reads the camera as fast as it delivers and keeps only the newest frame, so a
slow consumer (the pose model) always gets the latest picture instead of a growing backlog: frames
it had no time for are dropped and counted, and the delay from the camera to the coach stays one
frame. Timestamps are the capture times in seconds from the first frame (a monotonic clock), so a
camera that slows down in dim light still gives true tempos.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from types import TracebackType

import cv2
import numpy as np

from formcoach.errors import NoCameraError

#: Frame rate assumed when the driver does not say, frames per second.
FALLBACK_CAMERA_FPS = 30.0
#: How long to wait for the camera's next frame before taking it as gone, seconds.
FRAME_TIMEOUT_S = 5.0


@contextlib.contextmanager
def _silent_opencv() -> Iterator[None]:
    """Silence OpenCV's log lines (a missing camera prints several) while inside."""
    logging = cv2.utils.logging
    level = logging.getLogLevel()
    logging.setLogLevel(logging.LOG_LEVEL_SILENT)
    try:
        yield
    finally:
        logging.setLogLevel(level)


def scale_to(rgb: np.ndarray, max_side: int | None) -> np.ndarray:
    """``rgb`` resized (area filter) so its longer side is at most ``max_side`` pixels."""
    height, width = rgb.shape[:2]
    if not max_side or max(width, height) <= max_side:
        return rgb
    scale = max_side / max(width, height)
    size = (max(2, int(round(width * scale))), max(2, int(round(height * scale))))
    return np.ascontiguousarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA))


class Webcam:
    """A camera opened by index, delivering ``(t_s, rgb)`` frames through :meth:`frames`.

    ``width``/``height`` are the camera's frame size in pixels and ``fps`` its nominal frame rate
    (frames per second; :data:`FALLBACK_CAMERA_FPS` when the driver does not say). ``dropped``
    counts frames replaced by a newer one before they were taken. A camera that stops sending
    frames ends :meth:`frames` with a note appended to ``warnings``. Use as a context manager, or
    call :meth:`close`.
    """

    def __init__(self, index: int, max_side: int | None = None, warnings: list[str] | None = None) -> None:
        if index < 0:
            raise ValueError(f"camera index must be >= 0, got {index}")
        with _silent_opencv():
            capture = cv2.VideoCapture(index)
            ok, first = capture.read() if capture.isOpened() else (False, None)
        if not ok or first is None:
            capture.release()
            raise NoCameraError(f"no camera found at index {index}: connect one or pass --source FILE")
        self.index = index
        self.max_side = max_side
        self.height, self.width = int(first.shape[0]), int(first.shape[1])
        fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if 1.0 <= fps <= 240.0 else FALLBACK_CAMERA_FPS
        self.dropped = 0
        self.warnings = warnings if warnings is not None else []
        self._capture = capture
        self._lock = threading.Condition()
        self._latest: tuple[float, np.ndarray] | None = None
        self._ended = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._t0 = 0.0

    def _read_loop(self) -> None:
        """Grab frames until stopped or the camera stops answering (runs in the reader thread)."""
        while not self._stop.is_set():
            ok, bgr = self._capture.read()
            t_s = time.monotonic() - self._t0
            with self._lock:
                if not ok or bgr is None:
                    self._ended = True
                    self._lock.notify_all()
                    return
                if self._latest is not None:
                    self.dropped += 1
                self._latest = (t_s, bgr)
                self._lock.notify_all()

    def frames(self) -> Iterator[tuple[float, np.ndarray]]:
        """Yield ``(t_s, rgb)``: the newest frame each time, capture time in seconds, RGB uint8
        scaled to at most ``max_side`` pixels. Ends when the camera stops delivering frames."""
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._read_loop, name=f"webcam-{self.index}", daemon=True)
        self._thread.start()
        last, count = -np.inf, 0
        while True:
            with self._lock:
                if self._latest is None and not self._ended:
                    self._lock.wait(FRAME_TIMEOUT_S)
                if self._latest is None:
                    break
                t_s, bgr = self._latest
                self._latest = None
            if t_s > last:
                last, count = t_s, count + 1
                yield t_s, scale_to(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), self.max_side)
        if not self._stop.is_set():
            self.warnings.append(f"webcam {self.index}: the camera stopped sending frames after {count}; "
                                 "the summary covers what it showed")

    def close(self) -> None:
        """Stop the reader thread and release the camera."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        self._capture.release()

    def __enter__(self) -> Webcam:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
