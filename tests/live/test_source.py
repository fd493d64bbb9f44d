"""Live sources: a recording replayed every frame or in real time (frames dropped when late)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from formcoach.errors import BadVideoError, NoCameraError
from formcoach.live.source import FrameCounts, LiveSource, camera_source, file_source, paced
from formcoach.video import probe


class FakeClock:
    """A clock that only moves when someone sleeps or works (``advance``)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.slept += seconds
        self.now += seconds


def frames(n: int, fps: float = 10.0) -> Iterator[tuple[float, np.ndarray]]:
    for i in range(n):
        yield i / fps, np.zeros((2, 2, 3), np.uint8)


def test_paced_waits_for_each_frames_time() -> None:
    clock, counts = FakeClock(), FrameCounts()
    seen = []
    for t_s, _ in paced(frames(10), counts, clock, clock.sleep):
        seen.append((t_s, clock.now - 100.0))
    np.testing.assert_allclose([s[1] for s in seen], [s[0] for s in seen])
    assert (counts.delivered, counts.dropped) == (10, 0)


def test_paced_drops_frames_a_slow_consumer_has_no_time_for() -> None:
    clock, counts = FakeClock(), FrameCounts()
    taken = []
    for t_s, _ in paced(frames(10), counts, clock, clock.sleep):
        taken.append(round(t_s, 3))
        clock.now += 0.26  # the pose model takes 2.6 frames' time
    assert taken == [0.0, 0.2, 0.5, 0.7]  # each the newest frame when the model is free
    assert (counts.delivered, counts.dropped) == (4, 6)


def test_a_recording_is_replayed_every_frame_by_default(simulated_session) -> None:  # type: ignore[no-untyped-def]
    video: Path = simulated_session.video
    source = file_source(video, max_side=160)
    got = list(source.frames)
    assert len(got) == probe(video).frames == source.counts.delivered
    assert got[0][1].shape == (120, 160, 3)
    assert (source.name, source.kind, source.video, source.mirrored_by_default) == (video.name, "file", video,
                                                                                     False)
    assert (source.width, source.height) == (320, 240) and source.fps == pytest.approx(15.0)
    source.close()


def test_a_recording_replayed_in_real_time_keeps_its_timestamps(simulated_session) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    source = file_source(simulated_session.video, realtime=True, clock=clock, sleep=clock.sleep)
    times = [t for t, _ in source.frames]
    assert clock.slept == pytest.approx(times[-1], abs=1e-6)
    assert source.counts.dropped == 0


def test_closing_a_source_early_is_safe(simulated_session) -> None:  # type: ignore[no-untyped-def]
    source = file_source(simulated_session.video)
    next(source.frames)
    source.close()
    source.close()
    assert list(source.frames) == []


def test_a_camera_is_mirrored_by_default() -> None:
    assert LiveSource("webcam 0", "camera", 640, 480, 30.0, frames(1)).mirrored_by_default


def test_bad_sources_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(BadVideoError, match="no such file"):
        file_source(tmp_path / "missing.mp4")
    with pytest.raises(NoCameraError, match="no camera found at index 7: connect one or pass --source FILE"):
        camera_source(7)
