"""Run a pose backend over a whole video and keep one person's track.

When the model sees more than one person, the track follows the person chosen in the first frames
(the largest in view) from frame to frame by the position of their hips; frames with a second
person are counted in ``track.meta["multi_person_frames"]`` so the caller can warn.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from formcoach.errors import NoPersonError
from formcoach.pose.protocol import FramePose, PoseEstimator
from formcoach.track import LM, N_LANDMARKS, PoseTrack
from formcoach.trackio import is_track_path, read_track
from formcoach.video import iter_frames, probe

MODELS = ("lite", "full", "heavy")
#: Frames are scaled so their longer side is at most this many pixels before pose estimation
#: (the landmark model sees 256x256, so larger frames only cost decode time).
POSE_MAX_SIDE_PX = 960

Progress = Callable[[int, int], None]


def create_estimator(model: str = "full") -> PoseEstimator:
    """The default backend (MediaPipe BlazePose) with model ``lite``, ``full`` or ``heavy``."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    from formcoach.pose.mediapipe_backend import MediaPipePose

    return MediaPipePose(model)


def _size(image: np.ndarray) -> np.ndarray:
    """(P,) bounding-box diagonal of each person's landmarks, in normalised image units."""
    xy = image[:, :, :2]
    return np.asarray(np.hypot(*(xy.max(axis=1) - xy.min(axis=1)).T))


def _hip_centre(image: np.ndarray) -> np.ndarray:
    return np.asarray(image[:, [LM["left_hip"], LM["right_hip"]], :2].mean(axis=1))


def choose_person(pose: FramePose, previous_hips: np.ndarray | None) -> int:
    """Index of the person to follow: nearest to the previous hips, else the largest."""
    if pose.count == 1:
        return 0
    if previous_hips is not None:
        return int(np.argmin(np.linalg.norm(_hip_centre(pose.image) - previous_hips, axis=1)))
    return int(np.argmax(_size(pose.image)))


def estimate_track(video: Path | str, model: str = "full", progress: Progress | None = None,
                   estimator: PoseEstimator | None = None) -> PoseTrack:
    """Decode ``video`` and estimate one person's pose in every frame.

    Raises BadVideoError for an unreadable video and NoPersonError when nobody is found.
    ``progress(done, total)`` is called after each frame (``total`` is an estimate).
    """
    video = Path(video)
    info = probe(video)
    warnings: list[str] = []
    times: list[float] = []
    images: list[np.ndarray] = []
    worlds: list[np.ndarray] = []
    multi = 0
    previous_hips: np.ndarray | None = None
    own = estimator is None
    est = create_estimator(model) if estimator is None else estimator
    try:
        for t_s, rgb in iter_frames(video, max_side=POSE_MAX_SIDE_PX, warnings=warnings):
            pose = est.process(rgb, t_s)
            times.append(t_s)
            if pose.count == 0:
                images.append(np.full((N_LANDMARKS, 4), np.nan))
                worlds.append(np.full((N_LANDMARKS, 3), np.nan))
            else:
                multi += pose.count > 1
                k = choose_person(pose, previous_hips)
                previous_hips = _hip_centre(pose.image[k:k + 1])[0]
                images.append(pose.image[k])
                worlds.append(pose.world[k])
            if progress is not None:
                progress(len(times), max(info.frames, len(times)))
    finally:
        if own:
            est.close()
    track = PoseTrack(np.asarray(times), np.asarray(images), np.asarray(worlds), info.width,
                      info.height, info.fps, video.name,
                      {"multi_person_frames": multi, "warnings": warnings, "model": model})
    if info.frames > 10 and len(times) < 0.9 * info.frames and not warnings:
        warnings.append(f"{video.name}: the file says {info.frames} frames but only {len(times)} "
                        "could be read; the video may be truncated")
    if not track.found.any():
        raise NoPersonError(f"{video}: no person was found in any of its {len(track)} frames; film "
                            "the whole body, head to feet, in good light")
    return track


def load_input(path: Path | str, model: str = "full", progress: Progress | None = None) -> PoseTrack:
    """A pose track from ``path``: read a ``.jsonl``/``.npz`` track file, or run pose on a video."""
    path = Path(path)
    if is_track_path(path):
        return read_track(path)
    return estimate_track(path, model=model, progress=progress)
