"""A person too small in the picture for the pose model's person detector: find them on zoomed-in
tiles of a few frames, then run the whole video on a fixed crop around them.

BlazePose's detector sees the whole frame at 224x224 pixels and needs the person's head and
shoulders clearly: from behind, a figure a quarter of the frame high (a phone 4-5 m away with a
wide lens) is not found at all, while the same figure on a tile of half the frame's size is. The
crop is a square (in pixels) around every place the person was found, with a margin of
:data:`MARGIN` of their size, so lunges and steps stay inside it; landmarks found in it are mapped
back to the whole frame (world landmarks are hip-centred metres and do not change).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np

from formcoach.pose.blazepose import Roi
from formcoach.pose.protocol import FramePose, PoseEstimator

#: A whole-frame pass that finds the person in under this share of the frames is tried zoomed in,
#: and the zoomed pass kept if it finds them in more (the real clips' lowest is 69 %: title cards
#: before and after the exercise). Not lower: one lucky detection of a far figure (a detector score
#: of 0.501 against its 0.5) is followed for a third of the frames and would keep the zoom away.
ZOOM_BELOW = 0.5
#: Tiles are this share of the frame's width and height, every half tile across and down (3 x 3).
TILE = 0.5
#: Frames sampled evenly through the video to look for the person.
SAMPLES = 8
#: The crop reaches this many times the person's detected size beyond their centres.
MARGIN = 0.9
#: A crop larger than this share of the frame's longer side would hardly zoom in: not worth it.
MAX_SHARE = 0.8


@dataclass(frozen=True)
class Crop:
    """A rectangle of the frame, as shares of its width and height (``x0 + width <= 1``)."""

    x0: float
    y0: float
    width: float
    height: float

    def pixels(self, frame_w: int, frame_h: int) -> tuple[slice, slice]:
        """Row and column slices of the crop in a ``frame_w`` x ``frame_h`` pixel frame."""
        x0, y0 = round(self.x0 * frame_w), round(self.y0 * frame_h)
        x1 = max(x0 + 2, round((self.x0 + self.width) * frame_w))
        y1 = max(y0 + 2, round((self.y0 + self.height) * frame_h))
        return slice(y0, y1), slice(x0, x1)


def _tiles(frame_w: int, frame_h: int) -> Iterator[tuple[int, int, int, int]]:
    """(x0, y0, width, height) pixels of the overlapping tiles of one frame."""
    tw, th = round(TILE * frame_w), round(TILE * frame_h)
    for fy in np.arange(0.0, 1.0 - TILE + 1e-9, TILE / 2):
        for fx in np.arange(0.0, 1.0 - TILE + 1e-9, TILE / 2):
            yield round(fx * frame_w), round(fy * frame_h), tw, th


def person_crop(frames: list[np.ndarray], detect: Callable[[np.ndarray], list[Roi]]) -> Crop | None:
    """The crop around the person found on the zoomed tiles of ``frames`` ((H, W, 3) RGB uint8,
    one size), or None when nobody is found or the crop would barely zoom in. ``detect(rgb)`` gives
    the detector's crops (:meth:`formcoach.pose.litert_backend.PersonDetector.detect`)."""
    if not frames:
        return None
    frame_h, frame_w = frames[0].shape[:2]
    centres, sizes = [], []
    for rgb in frames:
        for x0, y0, tw, th in _tiles(frame_w, frame_h):
            for roi in detect(np.ascontiguousarray(rgb[y0:y0 + th, x0:x0 + tw])):
                centres.append((x0 + roi.x * tw, y0 + roi.y * th))
                sizes.append(max(roi.width * tw, roi.height * th))
    if not centres:
        return None
    pts, size = np.array(centres), float(np.median(sizes))
    lo, hi = pts.min(axis=0) - MARGIN * size, pts.max(axis=0) + MARGIN * size
    side = float(max(hi - lo))
    if side > MAX_SHARE * max(frame_w, frame_h):
        return None
    centre = (lo + hi) / 2
    left = float(np.clip(centre[0] - side / 2, 0, max(0.0, frame_w - side)))
    top = float(np.clip(centre[1] - side / 2, 0, max(0.0, frame_h - side)))
    return Crop(left / frame_w, top / frame_h, min(side, frame_w) / frame_w, min(side, frame_h) / frame_h)


class CroppedPose:
    """A pose estimator that looks only at ``crop`` of each frame and gives landmarks in the whole
    frame's coordinates (x, y and MediaPipe's z, which is on x's scale)."""

    def __init__(self, inner: PoseEstimator, crop: Crop) -> None:
        self._inner, self._crop = inner, crop
        self.name = inner.name

    def process(self, rgb: np.ndarray, t_s: float) -> FramePose:
        """The people in ``crop`` of one (H, W, 3) RGB frame shown at ``t_s`` seconds."""
        rows, cols = self._crop.pixels(rgb.shape[1], rgb.shape[0])
        found = self._inner.process(np.ascontiguousarray(rgb[rows, cols]), t_s)
        if not found.count:
            return found
        c = self._crop
        image = found.image.copy()
        image[..., 0] = c.x0 + image[..., 0] * c.width
        image[..., 1] = c.y0 + image[..., 1] * c.height
        image[..., 2] *= c.width
        return FramePose(image, found.world)

    def close(self) -> None:
        """Release the inner estimator."""
        self._inner.close()

    def __enter__(self) -> CroppedPose:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def find_crop(video: Path, model: str, max_side: int, duration_s: float) -> Crop | None:
    """:func:`person_crop` on :data:`SAMPLES` frames spread through ``video`` (scaled to at most
    ``max_side`` pixels, as the pose stage sees them), with the ``model`` bundle's detector."""
    from formcoach.pose.litert_backend import PersonDetector
    from formcoach.pose.mediapipe_backend import quiet_native_logs
    from formcoach.video import iter_frames_sparse

    gap = max(duration_s, 1.0) / SAMPLES
    frames = [rgb for _, rgb in iter_frames_sparse(video, max_side, gap) if rgb is not None][:SAMPLES]
    with quiet_native_logs():
        detector = PersonDetector(model)
    return person_crop(frames, detector.detect)
