"""Frames a web page sends (JPEG or WebP with their capture times) as a live source.

The network side calls :meth:`FrameFeed.push` for every frame received; the live loop pulls from
:func:`browser_source` in its own thread. Only the newest frame waits: one the loop had no time for
is replaced (and counted as dropped), so a slow model never builds a growing delay. A frame whose
capture time is not after the last one's (out of order) or which arrived more than ``max_late_s``
later than the quickest frame did (late, after a Wi-Fi stall) is dropped too. Frames are decoded
only when the loop takes them, so dropping costs nothing.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator

import numpy as np

from formcoach.live.source import FrameCounts, LiveSource

#: A frame arriving this much later than the quickest one did (relative to capture) is dropped, s.
MAX_LATE_S = 1.0
#: With no frame for this long the session ends (the page went away without closing), seconds.
STALL_S = 120.0
#: The pose model's frame size cap for browser frames, pixels on the longer side.
MAX_SIDE_PX = 640


class FrameFeed:
    """A one-frame mailbox between the network (:meth:`push`) and the live loop (:meth:`frames`)."""

    def __init__(self, *, max_late_s: float = MAX_LATE_S, stall_s: float = STALL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not max_late_s > 0 or not stall_s > 0:
            raise ValueError(f"max_late_s and stall_s must be positive, got {max_late_s} and {stall_s}")
        self.max_late_s, self.stall_s, self.clock = max_late_s, stall_s, clock
        self.counts = FrameCounts()
        self.received = 0
        self.bad = 0
        self._cond = threading.Condition()
        self._pending: tuple[float, bytes] | None = None
        self._closed = False
        self._origin_ms: float | None = None
        self._last_s = -math.inf
        self._min_offset_s = math.inf

    def push(self, capture_ms: float, data: bytes) -> str:
        """Offer one frame captured at ``capture_ms`` milliseconds (any origin, the page's clock):
        ``"ok"``, or why it was dropped: ``"out_of_order"``, ``"late"`` or ``"closed"``."""
        now = self.clock()
        with self._cond:
            if self._closed:
                return "closed"
            self.received += 1
            if self._origin_ms is None:
                self._origin_ms = capture_ms
            t_s = (capture_ms - self._origin_ms) / 1000.0
            if not t_s > self._last_s:
                self.counts.dropped += 1
                return "out_of_order"
            offset = now - t_s
            self._min_offset_s = min(self._min_offset_s, offset)
            if offset - self._min_offset_s > self.max_late_s:
                self.counts.dropped += 1
                return "late"
            self._last_s = self.counts.newest_s = t_s
            if self._pending is not None:
                self.counts.dropped += 1
            self._pending = (t_s, data)
            self._cond.notify_all()
            return "ok"

    def reject(self) -> None:
        """Count a frame refused before it got here (too large, not an image, too fast)."""
        with self._cond:
            self.received += 1
            self.bad += 1
            self.counts.dropped += 1

    def take(self) -> tuple[float, bytes] | None:
        """The newest frame not taken yet, waiting for one; None once closed (and the last frame
        taken) or when none came for ``stall_s`` seconds."""
        with self._cond:
            self._cond.wait_for(lambda: self._pending is not None or self._closed, timeout=self.stall_s)
            frame, self._pending = self._pending, None
            return frame

    def close(self) -> None:
        """No more frames: the loop ends after the frame waiting, if any. Safe to call twice."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called."""
        return self._closed


def browser_source(feed: FrameFeed, name: str = "browser", max_side: int = MAX_SIDE_PX) -> LiveSource:
    """``feed`` as a live source: frames decoded (at most ``max_side`` pixels long) as the loop takes
    them; its size is the first good frame's. Undecodable frames are counted in ``feed.bad``."""
    source = LiveSource(name, "browser", 0, 0, 30.0, iter(()), counts=feed.counts, close=feed.close)
    source.frames = _decoded(feed, source, max_side)
    return source


def _decoded(feed: FrameFeed, source: LiveSource, max_side: int) -> Iterator[tuple[float, np.ndarray]]:
    from formcoach.video.image import decode_image

    while (frame := feed.take()) is not None:
        rgb = decode_image(frame[1], max_side)
        if rgb is None:
            feed.bad += 1
            feed.counts.dropped += 1
            continue
        if not source.width:
            source.height, source.width = rgb.shape[:2]
        feed.counts.delivered += 1
        yield frame[0], rgb
