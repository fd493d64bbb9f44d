"""Streaming video decoding with real timestamps and rotation metadata honoured.

Frames are decoded one at a time (memory stays flat however long the video), timestamps come from
each frame's presentation time in seconds (phone clips are often variable-frame-rate), and the
display rotation of portrait phone clips is applied so the person stands upright.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from formcoach.errors import BadVideoError

#: Nominal frame rate assumed when a container states none, in frames per second.
FALLBACK_FPS = 25.0
#: Timestamps are rounded by containers: a gap this much shorter than asked still counts, seconds.
GAP_SLACK_S = 0.002


@dataclass(frozen=True)
class VideoInfo:
    """What a video file says about itself.

    ``width`` and ``height`` are in pixels as displayed (after rotation); ``fps`` is the nominal
    frame rate in frames per second; ``duration_s`` may be 0.0 when the container does not say;
    ``rotation_deg`` is the clockwise rotation applied to decoded frames for display.
    """

    path: Path
    width: int
    height: int
    fps: float
    duration_s: float
    frames: int
    rotation_deg: int
    codec: str


def _open(path: Path) -> av.container.InputContainer:
    if not path.exists():
        raise BadVideoError(f"{path}: no such file")
    if path.is_dir():
        raise BadVideoError(f"{path}: is a folder; give a video file")
    try:
        container = av.open(str(path), mode="r")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise BadVideoError(f"{path}: not a readable video ({_reason(error)}); check the file is "
                            "a complete video (mp4, mov, webm, gif...)") from None
    if not container.streams.video:
        container.close()
        raise BadVideoError(f"{path}: the file has no video stream")
    return container


def _seek(container: av.container.InputContainer, stream: av.video.stream.VideoStream,
          start_s: float) -> float | None:
    """Seek to the key frame at or before ``start_s`` seconds after the first frame; that first
    frame's time in seconds, or None when the stream has no timestamps to seek by or will not seek
    (then it is back at its start, to be decoded from there)."""
    first = next(container.decode(stream), None)
    if first is not None and first.time is not None and stream.time_base is not None:
        try:
            container.seek(int((first.time + start_s) / stream.time_base), stream=stream, backward=True)
            return float(first.time)
        except av.FFmpegError:
            pass
    container.seek(0, stream=stream)
    return None


def _reason(error: Exception) -> str:
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return str(text).rstrip(".").lower()


def _clockwise(rotation_ccw_deg: float) -> int:
    """Clockwise display rotation (0/90/180/270) from FFmpeg's counter-clockwise matrix angle."""
    return int(round(-rotation_ccw_deg / 90.0)) % 4 * 90


def probe(path: Path | str) -> VideoInfo:
    """Read a video's header (and its first frame, for the rotation); raise BadVideoError if broken."""
    path = Path(path)
    container = _open(path)
    try:
        stream = container.streams.video[0]
        rate = stream.average_rate or stream.base_rate or stream.guessed_rate
        fps = float(rate) if rate and float(rate) > 0 else FALLBACK_FPS
        duration = 0.0
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / 1_000_000
        rotation = 0
        try:
            first = next(container.decode(stream))
            rotation = _clockwise(first.rotation)
        except (av.FFmpegError, StopIteration):
            raise BadVideoError(f"{path}: no frame could be decoded; the video is empty or "
                                "corrupt") from None
        width, height = stream.codec_context.width, stream.codec_context.height
        if rotation in (90, 270):
            width, height = height, width
        frames = int(stream.frames) if stream.frames else int(round(duration * fps))
        return VideoInfo(path, width, height, fps, duration, frames, rotation, stream.codec_context.name)
    finally:
        container.close()


def _scaled_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    if not max_side or max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    return max(2, int(round(width * scale / 2)) * 2), max(2, int(round(height * scale / 2)) * 2)


def _rotate(image: np.ndarray, clockwise_deg: int) -> np.ndarray:
    if clockwise_deg == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, k=-(clockwise_deg // 90)))


def iter_frames(path: Path | str, max_side: int | None = None,
                warnings: list[str] | None = None) -> Iterator[tuple[float, np.ndarray]]:
    """Yield ``(t_s, rgb)`` for every decodable frame, in display order, rotated upright.

    ``t_s`` is the presentation time in seconds from the first frame; ``rgb`` is a contiguous
    (H, W, 3) uint8 array, scaled so its longer side is at most ``max_side`` pixels. Frames whose
    time does not increase are skipped. A stream that breaks part-way stops with a note appended to
    ``warnings``; a file with no decodable frame raises BadVideoError.
    """
    for t_s, rgb in iter_frames_sparse(path, max_side, 0.0, warnings):
        assert rgb is not None  # every frame is converted when min_gap_s is 0
        yield t_s, rgb


def iter_frames_sparse(path: Path | str, max_side: int | None, min_gap_s: float,
                       warnings: list[str] | None = None, *, start_s: float = 0.0,
                       end_s: float = math.inf) -> Iterator[tuple[float, np.ndarray | None]]:
    """As :func:`iter_frames`, but a frame shown less than ``min_gap_s`` seconds after the last
    converted one is decoded and yielded as ``(t_s, None)``, without scaling or colour conversion;
    and only the frames shown from ``start_s`` (seeking there) until before ``end_s``, seconds from
    the first frame, so that consecutive spans of one video give each frame exactly once.
    """
    path = Path(path)
    container = _open(path)
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    rate = stream.average_rate or stream.guessed_rate
    fps = float(rate) if rate and float(rate) > 0 else FALLBACK_FPS
    t0: float | None = None
    last = -np.inf
    last_converted = -np.inf
    count = 0
    try:
        frames = container.decode(stream)
        if start_s > 0:
            t0 = _seek(container, stream, start_s)
            frames = container.decode(stream) if t0 is not None else frames
        for index, frame in enumerate(frames):
            t_abs = float(frame.time) if frame.time is not None else index / fps
            t0 = t_abs if t0 is None else t0
            t_s = t_abs - t0
            if t_s <= last or t_s < start_s - GAP_SLACK_S:
                continue
            if t_s >= end_s - GAP_SLACK_S:
                break
            last = t_s
            count += 1
            if t_s - last_converted < min_gap_s - GAP_SLACK_S:
                yield t_s, None
                continue
            last_converted = t_s
            rotation = _clockwise(frame.rotation)
            w, h = _scaled_size(frame.width, frame.height, max_side)
            yield t_s, _rotate(frame.to_ndarray(format="rgb24", width=w, height=h), rotation)
    except av.FFmpegError as error:
        if count == 0:
            raise BadVideoError(f"{path}: no frame could be decoded ({_reason(error)}); the video "
                                "is corrupt") from None
        if warnings is not None:
            warnings.append(f"{path.name}: the video breaks off after {count} frames "
                            f"({_reason(error)}); analysed what could be read")
    finally:
        container.close()
    if count == 0:
        raise BadVideoError(f"{path}: the video has no frames")
