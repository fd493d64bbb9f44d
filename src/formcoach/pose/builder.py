"""One person's track, gathered frame by frame from a pose backend's finds.

When the model sees more than one person, the track follows the person chosen in the first frames
(the largest in view) from frame to frame by the position of their hips; frames with a second
person are counted in ``track.meta["multi_person_frames"]`` so the caller can warn.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from formcoach.errors import NoPersonError
from formcoach.pose.protocol import FramePose
from formcoach.track import LM, N_LANDMARKS, PoseTrack


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
    in view; ``skip(t_s)`` adds a frame the model did not see, whose landmarks are interpolated in
    time between the estimated frames around it (held from the last one at the end);
    ``track(...)`` returns the frames so far as a :class:`PoseTrack` without copying them (buffers
    grow by doubling; frames already handed out are never written again, unless they were skipped).
    """

    def __init__(self, capacity: int = 256) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity}")
        self._times = np.empty(capacity)
        self._image = np.empty((capacity, N_LANDMARKS, 4), dtype=np.float32)
        self._world = np.empty((capacity, N_LANDMARKS, 3), dtype=np.float32)
        self._n = 0
        self._previous_hips: np.ndarray | None = None
        self._last_estimated = -1
        self._last_multi = False
        self.multi_person_frames = 0
        self.interpolated_frames = 0

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

    def _append_time(self, t_s: float) -> int:
        if self._n and not t_s > self._times[self._n - 1]:
            raise ValueError(f"frame times must increase: {t_s} s after {self._times[self._n - 1]} s")
        if self._n == len(self._times):
            self._grow()
        self._times[self._n] = t_s
        self._n += 1
        return self._n - 1

    def skip(self, t_s: float) -> None:
        """Append a frame shown at ``t_s`` seconds that the model did not see (see the class doc)."""
        i = self._append_time(t_s)
        self._image[i] = np.nan
        self._world[i] = np.nan
        self.interpolated_frames += 1
        self.multi_person_frames += self._last_multi

    def _fill(self, end: int) -> None:
        """Interpolate the skipped frames between the last estimated one and ``end`` (estimated)."""
        a = self._last_estimated
        if a >= 0 and end - a > 1:
            t = self._times
            w = ((t[a + 1:end] - t[a]) / (t[end] - t[a]))[:, None, None]
            for data in (self._image, self._world):
                data[a + 1:end] = data[a] + w * (data[end] - data[a])
        self._last_estimated = end

    def add(self, t_s: float, pose: FramePose) -> None:
        """Append the frame shown at ``t_s`` seconds (later than the previous frame) with its people."""
        i = self._append_time(t_s)
        self._last_multi = pose.count > 1
        if pose.count == 0:
            self._image[i] = np.nan
            self._world[i] = np.nan
        else:
            self.multi_person_frames += pose.count > 1
            k = choose_person(pose, self._previous_hips)
            self._previous_hips = _hip_centre(pose.image[k:k + 1])[0]
            self._image[i] = pose.image[k]
            self._world[i] = pose.world[k]
        self._fill(i)

    def track(self, width: int, height: int, fps: float, source: str,
              meta: dict[str, Any] | None = None) -> PoseTrack:
        """The frames so far as a track (``meta`` gains ``multi_person_frames`` and, when frames were
        skipped, ``interpolated_frames``). Skipped frames after the last estimated one are given its
        landmarks."""
        n, last = self._n, self._last_estimated
        if last >= 0 and n - last > 1:
            self._image[last + 1:n] = self._image[last]
            self._world[last + 1:n] = self._world[last]
        info = {**(meta or {}), "multi_person_frames": self.multi_person_frames}
        if self.interpolated_frames:
            info["interpolated_frames"] = self.interpolated_frames
        return PoseTrack(self._times[:n], self._image[:n], self._world[:n], width, height, fps, source, info)


def require_person(track: PoseTrack, what: str) -> PoseTrack:
    """``track`` itself, or NoPersonError naming ``what`` when nobody was seen in any frame."""
    if not track.found.any():
        raise NoPersonError(f"{what}: no person was found in any of its {len(track)} frames; film "
                            "the whole body, head to feet, in good light")
    return track


def track_notes(track: PoseTrack) -> list[str]:
    """What the user should know about how the video was read, one sentence each: the pose stage's
    warnings (a truncated video, a person too small for the detector...) and, when a second person
    was in view in more than a fifth of the frames with someone in them, that one."""
    notes = [str(w) for w in track.meta.get("warnings", [])]
    multi = int(track.meta.get("multi_person_frames", 0))
    if multi > 0.2 * max(1, int(track.found.sum())):
        notes.append(f"A second person is in view in {multi} frames; formcoach follows the largest "
                     "person. Film with one person in view.")
    return notes
