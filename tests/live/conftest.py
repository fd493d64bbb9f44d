"""A pose track replayed as a live source, with a stand-in pose model that returns its landmarks
(no video, no MediaPipe: the live loop's logic in a fraction of a second)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import TracebackType

import numpy as np
import pytest

from formcoach.live.source import FrameCounts, LiveSource
from formcoach.pose.protocol import FramePose
from formcoach.sim import Camera, SessionSpec, Tempo, simulate
from formcoach.sim.api import frame_camera
from formcoach.sim.truth import exact_track
from formcoach.track import PoseTrack


class ReplayPose:
    """A pose "model" that answers each frame with the track's landmarks at that time."""

    name = "replay"

    def __init__(self, track: PoseTrack) -> None:
        self.track = track

    def process(self, rgb: np.ndarray, t_s: float) -> FramePose:
        i = int(np.argmin(np.abs(self.track.times_s - t_s)))
        if not self.track.found[i]:
            return FramePose(np.empty((0, 33, 4)), np.empty((0, 33, 3)))
        return FramePose(self.track.image[i:i + 1], self.track.world[i:i + 1])

    def close(self) -> None:
        pass

    def __enter__(self) -> ReplayPose:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _frames(times_s: np.ndarray, counts: FrameCounts,
            stop_at_s: float | None) -> Iterator[tuple[float, np.ndarray]]:
    blank = np.zeros((2, 2, 3), np.uint8)
    for t_s in times_s:
        if stop_at_s is not None and t_s >= stop_at_s:
            raise KeyboardInterrupt
        counts.delivered += 1
        yield float(t_s), blank


def replay_source(track: PoseTrack, kind: str = "file", stop_at_s: float | None = None) -> LiveSource:
    """``track``'s frame times as a live source; Ctrl-C is pressed at ``stop_at_s`` seconds."""
    counts = FrameCounts()
    return LiveSource(track.source, kind, track.width, track.height, track.fps,
                      _frames(track.times_s, counts, stop_at_s), counts=counts)


@pytest.fixture(scope="session")
def sim_track() -> PoseTrack:
    """Exact pose track of 2 reps per leg (left, right, left, right) seen from the side at 15 fps."""
    spec = SessionSpec(reps_per_side=2, tempo=Tempo(2.0, 0.3, 1.0, 0.5), lead_in_s=0.5, lead_out_s=0.8,
                       seed=5)
    camera = Camera(view="side", fps=15.0)
    sim = simulate(spec, fps=camera.fps)
    return exact_track(sim, frame_camera(sim, camera))


@pytest.fixture
def replay() -> Callable[..., tuple[LiveSource, ReplayPose]]:
    """``replay(track, kind="file", stop_at_s=None) -> (source, pose model)``."""

    def make(track: PoseTrack, kind: str = "file", stop_at_s: float | None = None) -> tuple[LiveSource,
                                                                                                ReplayPose]:
        return replay_source(track, kind, stop_at_s), ReplayPose(track)

    return make
