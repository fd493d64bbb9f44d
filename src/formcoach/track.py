"""The pose track: every frame's 33 BlazePose landmarks with their timestamps.

This is the one container that flows from the pose stage into the analysis. Missing data is NaN,
never 0: a frame with no person has NaN in every landmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: The 33 BlazePose landmark names, in MediaPipe's order and spelling.
LANDMARK_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner", "left_eye", "left_eye_outer",
    "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear",
    "mouth_left", "mouth_right",
    "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow",
    "left_wrist", "right_wrist",
    "left_pinky", "right_pinky",
    "left_index", "right_index",
    "left_thumb", "right_thumb",
    "left_hip", "right_hip",
    "left_knee", "right_knee",
    "left_ankle", "right_ankle",
    "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
)
N_LANDMARKS = len(LANDMARK_NAMES)
#: Landmark name -> index into the landmark axis.
LM: dict[str, int] = {name: i for i, name in enumerate(LANDMARK_NAMES)}


def mirror_index() -> np.ndarray:
    """Index array that swaps every left landmark with its right twin (for mirrored footage)."""
    out = np.arange(N_LANDMARKS)
    for name, i in LM.items():
        if name.startswith("left_"):
            j = LM["right_" + name[len("left_"):]]
            out[i], out[j] = j, i
    return out


def _landmark_array(values: object) -> np.ndarray:
    """``values`` as a float32 or float64 array, without a copy when it already is one."""
    arr = np.asarray(values)
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    return arr


@dataclass(frozen=True)
class PoseTrack:
    """Landmarks of one person over time.

    Attributes:
        times_s: (T,) frame timestamps in seconds, strictly increasing.
        image: (T, 33, 4) x, y normalised to [0, 1] of width/height, z (MediaPipe's relative depth,
            same scale as x), visibility in [0, 1]. NaN where no person was found.
        world: (T, 33, 3) metres, hips-centred (MediaPipe world landmarks). NaN where not found.
        width, height: frame size in pixels after rotation metadata is applied.
        fps: nominal frame rate in frames per second (the timestamps are the truth).
        source: where the track came from (a file name, "webcam", "simulator").

    The landmark arrays are float32 or float64 as given (anything else becomes float64): the pose
    backends and the ``.npz`` file give float32, the model's own precision, which halves a long
    video's track in memory; the timestamps are always float64.
    """

    times_s: np.ndarray
    image: np.ndarray
    world: np.ndarray
    width: int
    height: int
    fps: float
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        t = np.asarray(self.times_s, dtype=np.float64)
        image, world = _landmark_array(self.image), _landmark_array(self.world)
        n = t.shape[0] if t.ndim == 1 else -1
        if n < 0:
            raise ValueError(f"times_s must be 1-D, got shape {t.shape}")
        if image.shape != (n, N_LANDMARKS, 4):
            raise ValueError(f"image must have shape ({n}, {N_LANDMARKS}, 4), got {image.shape}")
        if world.shape != (n, N_LANDMARKS, 3):
            raise ValueError(f"world must have shape ({n}, {N_LANDMARKS}, 3), got {world.shape}")
        if n > 1 and not np.all(np.diff(t) > 0):
            raise ValueError("times_s must be strictly increasing")
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"frame size must be positive, got {self.width}x{self.height}")
        if not self.fps > 0:
            raise ValueError(f"fps must be positive, got {self.fps}")
        object.__setattr__(self, "times_s", t)
        object.__setattr__(self, "image", image)
        object.__setattr__(self, "world", world)

    def __len__(self) -> int:
        return int(self.times_s.shape[0])

    @property
    def found(self) -> np.ndarray:
        """(T,) bool: a person was found in the frame."""
        return np.asarray(np.isfinite(self.image[:, :, 0]).any(axis=1))

    @property
    def duration_s(self) -> float:
        """Time from the first to the last frame plus one nominal frame, in seconds."""
        if len(self) == 0:
            return 0.0
        return float(self.times_s[-1] - self.times_s[0] + 1.0 / self.fps)

    def pixels(self) -> np.ndarray:
        """(T, 33, 2) image landmarks in pixels (x right, y down)."""
        return self.image[:, :, :2] * np.array([self.width, self.height], dtype=np.float64)

    def mirrored(self) -> PoseTrack:
        """The track of the mirror image: x flipped and left/right landmarks swapped."""
        idx = mirror_index()
        image = self.image[:, idx].copy()
        image[:, :, 0] = 1.0 - image[:, :, 0]
        world = self.world[:, idx].copy()
        world[:, :, 0] = -world[:, :, 0]
        return PoseTrack(self.times_s, image, world, self.width, self.height, self.fps, self.source,
                         dict(self.meta))

    def slice(self, start: int, stop: int) -> PoseTrack:
        """Frames ``start:stop`` as a new track."""
        return PoseTrack(self.times_s[start:stop], self.image[start:stop], self.world[start:stop],
                         self.width, self.height, self.fps, self.source, dict(self.meta))
