"""BlazePose through MediaPipe's Tasks API (``PoseLandmarker``, VIDEO running mode).

The ``.task`` bundles (lite, full, heavy) are vendored next to this module, so nothing is
downloaded; ``tools/build_pose_bundles.py`` rebuilds them from the Apache-2.0 models in registry
packages. This is the only module that imports mediapipe.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from types import TracebackType

import numpy as np

from formcoach.pose.protocol import FramePose
from formcoach.track import N_LANDMARKS

MODEL_VARIANTS = ("lite", "full", "heavy")


def model_path(variant: str) -> Path:
    """Path of the vendored ``pose_landmarker_<variant>.task`` bundle."""
    if variant not in MODEL_VARIANTS:
        raise ValueError(f"model must be one of {', '.join(MODEL_VARIANTS)}, got {variant!r}")
    path = Path(str(resources.files("formcoach.pose") / "models" / f"pose_landmarker_{variant}.task"))
    if not path.is_file():
        raise FileNotFoundError(f"vendored pose model missing: {path}; reinstall formcoach")
    return path


_QUIET_LOCK = threading.RLock()  # stderr is the process's: one thread at a time redirects it


@contextlib.contextmanager
def quiet_native_logs() -> Iterator[None]:
    """Silence the native (C++) log lines MediaPipe and LiteRT print to stderr while inside (one
    thread at a time: another thread wanting quiet waits)."""
    with _QUIET_LOCK:
        try:
            saved = os.dup(2)
        except OSError:
            yield
            return
        try:
            with open(os.devnull, "wb") as devnull:
                os.dup2(devnull.fileno(), 2)
                yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class MediaPipePose:
    """BlazePose GHUM 3D: 33 landmarks with image and world coordinates and visibility.

    ``max_people`` is how many people the model looks for per frame (2 lets the caller notice a
    second person); confidences are MediaPipe's, in [0, 1].
    """

    def __init__(self, variant: str = "full", max_people: int = 2, min_detection: float = 0.5,
                 min_presence: float = 0.5, min_tracking: float = 0.5) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        with quiet_native_logs():
            import mediapipe as mp
            from mediapipe.tasks.python import BaseOptions, vision

            options = vision.PoseLandmarkerOptions(
                base_options=BaseOptions(model_asset_path=str(model_path(variant))),
                running_mode=vision.RunningMode.VIDEO,
                num_poses=max_people,
                min_pose_detection_confidence=min_detection,
                min_pose_presence_confidence=min_presence,
                min_tracking_confidence=min_tracking,
            )
            self._landmarker = vision.PoseLandmarker.create_from_options(options)
        self._mp = mp
        self.name = f"mediapipe-blazepose-{variant}"
        self._last_ms = -1
        self._first = True

    def process(self, rgb: np.ndarray, t_s: float) -> FramePose:
        """Find people in one RGB uint8 frame shown at ``t_s`` seconds (times must increase)."""
        t_ms = max(int(round(t_s * 1000.0)), self._last_ms + 1)
        self._last_ms = t_ms
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self._first:
            with quiet_native_logs():
                result = self._landmarker.detect_for_video(image, t_ms)
            self._first = False
        else:
            result = self._landmarker.detect_for_video(image, t_ms)
        people = len(result.pose_landmarks)
        img = np.empty((people, N_LANDMARKS, 4))
        world = np.empty((people, N_LANDMARKS, 3))
        for p in range(people):
            img[p] = [(lm.x, lm.y, lm.z, lm.visibility) for lm in result.pose_landmarks[p]]
            world[p] = [(lm.x, lm.y, lm.z) for lm in result.pose_world_landmarks[p]]
        return FramePose(img, world)

    def close(self) -> None:
        """Release the native graph (always call it; MediaPipe's finaliser is unreliable)."""
        if self._landmarker is not None:
            with quiet_native_logs():
                self._landmarker.close()
            self._landmarker = None

    def __enter__(self) -> MediaPipePose:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
