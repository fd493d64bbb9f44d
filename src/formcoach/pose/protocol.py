"""The protocol a pose backend follows, so other backends can come later."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class FramePose:
    """The people found in one frame.

    ``image`` is (P, 33, 4): x, y normalised to [0, 1] of the frame's width/height, z, visibility;
    ``world`` is (P, 33, 3) in metres, hips-centred. P may be 0.
    """

    image: np.ndarray
    world: np.ndarray

    @property
    def count(self) -> int:
        """Number of people found."""
        return int(self.image.shape[0])


class PoseEstimator(Protocol):
    """Estimates poses frame by frame from a video stream (frames in time order)."""

    name: str

    def process(self, rgb: np.ndarray, t_s: float) -> FramePose:
        """Find people in one (H, W, 3) uint8 RGB frame shown at ``t_s`` seconds."""
        ...

    def close(self) -> None:
        """Release the model."""
        ...

    def __enter__(self) -> PoseEstimator: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...
