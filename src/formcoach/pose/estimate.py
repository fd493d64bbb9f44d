"""Run a pose backend over a whole video and keep one person's track.

When the model sees more than one person, the track follows the person chosen in the first frames
(the largest in view) from frame to frame by the position of their hips; frames with a second
person are counted in ``track.meta["multi_person_frames"]`` so the caller can warn.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.errors import NoPersonError
from formcoach.pose.protocol import FramePose, PoseEstimator
from formcoach.track import LM, N_LANDMARKS, PoseTrack
from formcoach.trackio import is_track_path, read_track
from formcoach.video import iter_frames, probe
from formcoach.video.prefetch import prefetch

MODELS = ("lite", "full", "heavy")
#: Pose backends: BlazePose run by MediaPipe's Tasks API, or by LiteRT with every core (about 1.5x
#: less CPU a frame, on two threads; docs/benchmarks.md "Pipeline speed").
BACKENDS = ("litert", "mediapipe")
#: The default stays MediaPipe's until LiteRT's analyses match it on every labelled clip
#: (``benchmarks/backend_agreement.py``): some borderline verdicts still differ.
DEFAULT_BACKEND = "mediapipe"
#: Frames are scaled so their longer side is at most this many pixels before pose estimation
#: (the landmark model sees 256x256, so larger frames only cost decode time).
POSE_MAX_SIDE_PX = 960

Progress = Callable[[int, int], None]


def check_choice(model: str, backend: str) -> None:
    """ValueError naming the bad value unless ``model`` is in MODELS and ``backend`` in BACKENDS."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")


def create_estimator(model: str = "full", backend: str = DEFAULT_BACKEND) -> PoseEstimator:
    """BlazePose ``lite``, ``full`` or ``heavy`` run by ``backend`` (``litert`` or ``mediapipe``)."""
    check_choice(model, backend)
    if backend == "mediapipe":
        from formcoach.pose.mediapipe_backend import MediaPipePose

        return MediaPipePose(model)
    from formcoach.pose.litert_backend import LiteRtPose

    return LiteRtPose(model)


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


class TrackBuilder:
    """One person's landmarks gathered frame by frame: the per-frame step of every pose loop.

    ``add(t_s, pose)`` keeps the person to follow (see :func:`choose_person`) or NaN when nobody is
    in view; ``track(...)`` returns the frames so far as a :class:`PoseTrack` without copying them
    (buffers grow by doubling, and frames already handed out are never written again).
    """

    def __init__(self, capacity: int = 256) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity}")
        self._times = np.empty(capacity)
        self._image = np.empty((capacity, N_LANDMARKS, 4))
        self._world = np.empty((capacity, N_LANDMARKS, 3))
        self._n = 0
        self._previous_hips: np.ndarray | None = None
        self.multi_person_frames = 0

    def __len__(self) -> int:
        return self._n

    @property
    def times_s(self) -> np.ndarray:
        """(T,) timestamps of the frames so far, seconds (a read-only view)."""
        view = self._times[:self._n]
        view.flags.writeable = False
        return view

    @property
    def latest_image(self) -> np.ndarray | None:
        """(33, 4) image landmarks of the person followed in the latest frame, None when nobody was
        seen there (or no frame came yet)."""
        if not self._n or np.isnan(self._image[self._n - 1, 0, 0]):
            return None
        latest: np.ndarray = self._image[self._n - 1]
        return latest

    def _grow(self) -> None:
        size = 2 * len(self._times)
        self._times = np.resize(self._times, size)
        self._image = np.resize(self._image, (size, N_LANDMARKS, 4))
        self._world = np.resize(self._world, (size, N_LANDMARKS, 3))

    def add(self, t_s: float, pose: FramePose) -> None:
        """Append the frame shown at ``t_s`` seconds (later than the previous frame) with its people."""
        if self._n and not t_s > self._times[self._n - 1]:
            raise ValueError(f"frame times must increase: {t_s} s after {self._times[self._n - 1]} s")
        if self._n == len(self._times):
            self._grow()
        i = self._n
        self._times[i] = t_s
        if pose.count == 0:
            self._image[i] = np.nan
            self._world[i] = np.nan
        else:
            self.multi_person_frames += pose.count > 1
            k = choose_person(pose, self._previous_hips)
            self._previous_hips = _hip_centre(pose.image[k:k + 1])[0]
            self._image[i] = pose.image[k]
            self._world[i] = pose.world[k]
        self._n += 1

    def track(self, width: int, height: int, fps: float, source: str,
              meta: dict[str, Any] | None = None) -> PoseTrack:
        """The frames so far as a track (``meta`` gains ``multi_person_frames``)."""
        n = self._n
        info = {**(meta or {}), "multi_person_frames": self.multi_person_frames}
        return PoseTrack(self._times[:n], self._image[:n], self._world[:n], width, height, fps, source, info)


def require_person(track: PoseTrack, what: str) -> PoseTrack:
    """``track`` itself, or NoPersonError naming ``what`` when nobody was seen in any frame."""
    if not track.found.any():
        raise NoPersonError(f"{what}: no person was found in any of its {len(track)} frames; film "
                            "the whole body, head to feet, in good light")
    return track


def estimate_track(video: Path | str, model: str = "full", progress: Progress | None = None,
                   estimator: PoseEstimator | None = None, backend: str = DEFAULT_BACKEND) -> PoseTrack:
    """Decode ``video`` and estimate one person's pose in every frame.

    Frames are decoded and scaled on a second thread while the model works on the previous one.
    Raises BadVideoError for an unreadable video and NoPersonError when nobody is found.
    ``progress(done, total)`` is called after each frame (``total`` is an estimate).
    """
    video = Path(video)
    info = probe(video)
    warnings: list[str] = []
    builder = TrackBuilder(capacity=max(info.frames + 16, 256))  # no regrowth for a truthful header
    own = estimator is None
    est = create_estimator(model, backend) if estimator is None else estimator
    try:
        for t_s, rgb in prefetch(iter_frames(video, max_side=POSE_MAX_SIDE_PX, warnings=warnings)):
            builder.add(t_s, est.process(rgb, t_s))
            if progress is not None:
                progress(len(builder), max(info.frames, len(builder)))
    finally:
        if own:
            est.close()
    track = builder.track(info.width, info.height, info.fps, video.name,
                          {"warnings": warnings, "model": model, "backend": est.name})
    if info.frames > 10 and len(track) < 0.9 * info.frames and not warnings:
        warnings.append(f"{video.name}: the file says {info.frames} frames but only {len(track)} "
                        "could be read; the video may be truncated")
    return require_person(track, str(video))


def load_input(path: Path | str, model: str = "full", progress: Progress | None = None, *,
               backend: str = DEFAULT_BACKEND, cache: bool = True) -> PoseTrack:
    """A pose track from ``path``: read a ``.jsonl``/``.npz`` track file, or run pose on a video.

    With ``cache`` a video's track is looked up in the pose-track cache (by the video's content,
    ``model`` and ``backend``; :mod:`formcoach.pose.cache`) and stored there after it is computed.
    """
    path = Path(path)
    if is_track_path(path):
        return read_track(path)
    check_choice(model, backend)
    if not cache:
        return estimate_track(path, model=model, progress=progress, backend=backend)
    from formcoach.pose import cache as pose_cache

    probe(path)  # a clear message for a file that is not a video, before hashing it
    key = pose_cache.cache_key(pose_cache.content_hash(path), model, backend, POSE_MAX_SIDE_PX)
    cached = pose_cache.load(key)
    if cached is not None:
        return dataclasses.replace(require_person(cached, str(path)), source=path.name)
    track = estimate_track(path, model=model, progress=progress, backend=backend)
    with contextlib.suppress(OSError):  # a full or read-only data folder costs the next run time only
        pose_cache.store(key, track)
    return track
