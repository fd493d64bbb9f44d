"""Webcam capture: a missing camera is a clear user error; frames are scaled for the pose model."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.errors import NoCameraError, UserError
from formcoach.video.camera import Webcam, scale_to


def test_no_camera_at_that_index_says_what_to_do(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(NoCameraError) as caught:
        Webcam(7)
    assert isinstance(caught.value, UserError)
    assert str(caught.value) == "no camera found at index 7: connect one or pass --source FILE"
    assert capfd.readouterr().err == ""  # OpenCV's own log lines are silenced


def test_a_negative_index_is_refused() -> None:
    with pytest.raises(ValueError, match="-1"):
        Webcam(-1)


def test_scale_to_keeps_the_aspect_and_small_frames() -> None:
    rgb = np.zeros((1080, 1920, 3), np.uint8)
    assert scale_to(rgb, 960).shape == (540, 960, 3)
    small = np.zeros((240, 320, 3), np.uint8)
    assert scale_to(small, 960) is small
    assert scale_to(rgb, None) is rgb


class FakeCapture:
    """Stands in for ``cv2.VideoCapture``: ``n`` BGR frames (blue, 720p) at 100 fps, then nothing."""

    released = False

    def __init__(self, index: int, n: int = 12) -> None:
        self.left = n + 1  # the first frame is read when the camera is opened

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's spelling
        return True

    def read(self) -> tuple[bool, np.ndarray | None]:
        import time

        time.sleep(0.01)
        if self.left <= 0:
            return False, None
        self.left -= 1
        frame = np.zeros((720, 1280, 3), np.uint8)
        frame[..., 0] = 255  # blue in BGR
        return True, frame

    def get(self, prop: int) -> float:
        return 0.0  # the driver does not say its frame rate

    def release(self) -> None:
        FakeCapture.released = True


def test_frames_come_newest_first_as_rgb_until_the_camera_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    import formcoach.video.camera as camera

    monkeypatch.setattr(camera.cv2, "VideoCapture", FakeCapture)  # type: ignore[attr-defined]
    with Webcam(0, max_side=640) as cam:
        assert (cam.width, cam.height, cam.fps) == (1280, 720, camera.FALLBACK_CAMERA_FPS)
        frames = list(cam.frames())
    times = [t for t, _ in frames]
    assert 1 <= len(frames) <= 12 and len(frames) + cam.dropped == 12
    assert np.all(np.diff(times) > 0) and times[0] >= 0
    assert frames[0][1].shape == (360, 640, 3) and tuple(frames[0][1][0, 0]) == (0, 0, 255)
    assert cam.warnings == [f"webcam 0: the camera stopped sending frames after {len(frames)}; the summary "
                            "covers what it showed"]
    assert FakeCapture.released
