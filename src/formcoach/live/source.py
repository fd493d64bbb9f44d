"""Where live frames come from: a webcam, or a video file replayed as if it were one.

A :class:`LiveSource` is an iterator of ``(t_s, rgb)`` frames plus what the session needs to know
about them: size, nominal frame rate, a name for the track, and whether the picture is a mirror
image. A camera is mirrored by default (the selfie view most webcams and laptops show); a file is
not. A file is read either as fast as the pose model goes (every frame, for tests and replays) or
in real time (:func:`paced`), which sleeps to each frame's timestamp and drops the frames the model
had no time for, exactly as a camera would.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from formcoach.video.camera import Webcam

Frames = Iterator[tuple[float, np.ndarray]]
FrameStream = Generator[tuple[float, np.ndarray], None, None]


@dataclass
class FrameCounts:
    """Frames delivered to the session and frames dropped because it was busy, late or out of order
    (real time only), and ``newest_s``, the time of the newest frame received (NaN when unknown)."""

    delivered: int = 0
    dropped: int = 0
    newest_s: float = float("nan")


@dataclass
class LiveSource:
    """An open frame source.

    Attributes:
        name: the track's source name ("webcam 0", or the file's name).
        kind: "camera", "file" or "browser" (frames sent by the web page).
        width, height: frame size in pixels (before scaling for the pose model).
        fps: nominal frame rate, frames per second.
        frames: ``(t_s, rgb)`` with increasing ``t_s`` in seconds and ``rgb`` (H, W, 3) uint8.
        video: the file being replayed (None for a camera), for reports with stills.
        counts: frames delivered and dropped so far.
        close: releases the camera or file; safe to call twice.
        warnings: notes for the user (a video that breaks off, a camera that stops sending).
    """

    name: str
    kind: str
    width: int
    height: int
    fps: float
    frames: Frames
    video: Path | None = None
    counts: FrameCounts = field(default_factory=FrameCounts)
    close: Callable[[], None] = lambda: None
    warnings: list[str] = field(default_factory=list)

    @property
    def mirrored_by_default(self) -> bool:
        """A camera shows a selfie (mirror) view; a recording is taken as it is."""
        return self.kind == "camera"


def paced(frames: Frames, counts: FrameCounts, clock: Callable[[], float] = time.monotonic,
          sleep: Callable[[float], None] = time.sleep) -> FrameStream:
    """``frames`` delivered in real time: each is held back until ``t_s`` seconds after the first
    was delivered, and one whose successor is already due (the consumer fell more than a frame
    behind) is dropped, as a camera would overwrite it. ``counts`` is updated as frames pass; closing
    the stream closes ``frames``."""
    start: float | None = None
    previous_t = 0.0
    try:
        for t_s, rgb in frames:
            now = clock()
            if start is None:
                start = now - t_s
            interval = max(t_s - previous_t, 0.0)
            previous_t = t_s
            due = start + t_s
            if now > due + interval and counts.delivered:
                counts.dropped += 1
                continue
            if now < due:
                sleep(due - now)
            counts.delivered += 1
            yield t_s, rgb
    finally:
        _close(frames)


def counted(frames: Frames, counts: FrameCounts) -> FrameStream:
    """``frames`` unchanged, counting each one in ``counts.delivered``; closing it closes ``frames``."""
    try:
        for frame in frames:
            counts.delivered += 1
            yield frame
    finally:
        _close(frames)


def _close(frames: Frames) -> None:
    if isinstance(frames, Generator):
        frames.close()


def file_source(path: Path, *, realtime: bool = False, max_side: int | None = None,
                clock: Callable[[], float] = time.monotonic,
                sleep: Callable[[float], None] = time.sleep) -> LiveSource:
    """A video file as a live source, every frame as fast as it is taken or, with ``realtime``, at
    the pace of its timestamps (see :func:`paced`). Raises BadVideoError for an unreadable file."""
    from formcoach.video import iter_frames, probe
    from formcoach.video.prefetch import prefetch

    info = probe(path)
    counts, warnings = FrameCounts(), list[str]()
    frames = prefetch(iter_frames(path, max_side=max_side, warnings=warnings))
    stream = paced(frames, counts, clock, sleep) if realtime else counted(frames, counts)
    return LiveSource(path.name, "file", info.width, info.height, info.fps, stream, video=path,
                      counts=counts, close=stream.close, warnings=warnings)


def camera_source(index: int, *, max_side: int | None = None) -> LiveSource:
    """The webcam at ``index``; raises NoCameraError when there is none."""
    from formcoach.video.camera import Webcam

    cam = Webcam(index, max_side=max_side)
    counts = FrameCounts()
    return LiveSource(f"webcam {index}", "camera", cam.width, cam.height, cam.fps,
                      _camera_frames(cam, counts), counts=counts, close=cam.close, warnings=cam.warnings)


def _camera_frames(cam: Webcam, counts: FrameCounts) -> Frames:
    """The webcam's frames, with its dropped frames copied into ``counts``."""
    for frame in cam.frames():
        counts.delivered += 1
        counts.dropped = cam.dropped
        yield frame
