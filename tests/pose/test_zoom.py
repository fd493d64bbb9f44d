"""A person too small for the detector in the whole frame: found on zoomed tiles, then followed in
a fixed crop whose landmarks are mapped back to the frame."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import numpy as np
import pytest

from formcoach.pose.blazepose import Roi
from formcoach.pose.protocol import FramePose
from formcoach.pose.zoom import MAX_SHARE, Crop, CroppedPose, person_crop
from formcoach.track import N_LANDMARKS

W, H = 640, 360


def _frame_with_person(x_px: int, y_px: int) -> np.ndarray:
    rgb = np.zeros((H, W, 3), np.uint8)
    rgb[y_px - 30:y_px + 30, x_px - 10:x_px + 10] = 255  # a small bright figure, a sixth of the height
    return rgb


def _detector_needing_zoom(rgb: np.ndarray) -> list[Roi]:
    """A stand-in for the person detector: finds the bright figure only when it fills more than a
    tenth of the image's height (as BlazePose's detector needs a large enough person)."""
    ys, xs = np.nonzero(rgb[..., 0])
    if not len(ys) or (ys.max() - ys.min()) < 0.2 * rgb.shape[0]:
        return []
    h, w = rgb.shape[:2]
    size = 1.5 * (ys.max() - ys.min())
    return [Roi(xs.mean() / w, ys.mean() / h, size / w, size / h, 0.0)]


def test_a_small_person_is_found_on_tiles_and_cropped_around() -> None:
    frames = [_frame_with_person(320 + dx, 200) for dx in (-30, 0, 30)]  # stepping a little
    assert _detector_needing_zoom(frames[0]) == []  # too small in the whole frame
    crop = person_crop(frames, _detector_needing_zoom)
    assert crop is not None
    rows, cols = crop.pixels(W, H)
    for dx in (-30, 0, 30):  # every place the person stood is inside, with a margin
        assert cols.start < 320 + dx - 10 and 320 + dx + 10 < cols.stop
    assert rows.start < 170 and rows.stop > 230
    assert max(cols.stop - cols.start, rows.stop - rows.start) <= MAX_SHARE * W


def test_nobody_on_any_tile_gives_no_crop() -> None:
    assert person_crop([np.zeros((H, W, 3), np.uint8)], _detector_needing_zoom) is None


class _Fixed:
    """An inner estimator that finds one person at the centre of whatever image it is given."""

    name = "fixed"

    def __init__(self) -> None:
        self.seen: list[tuple[int, int]] = []

    def process(self, rgb: np.ndarray, t_s: float) -> FramePose:
        self.seen.append(rgb.shape[:2])
        image = np.zeros((1, N_LANDMARKS, 4))
        image[0, :, :2] = 0.5
        image[0, :, 2] = 0.1
        image[0, :, 3] = 0.9
        return FramePose(image, np.ones((1, N_LANDMARKS, 3)))

    def close(self) -> None: ...

    def __enter__(self) -> _Fixed:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


def test_cropped_landmarks_are_mapped_back_to_the_frame() -> None:
    inner = _Fixed()
    est = CroppedPose(inner, Crop(0.25, 0.5, 0.5, 0.25))
    found = est.process(np.zeros((H, W, 3), np.uint8), 0.0)
    assert inner.seen == [(90, 320)]  # the model saw the crop only
    np.testing.assert_allclose(found.image[0, 0], [0.5, 0.625, 0.05, 0.9])  # crop centre, in the frame
    np.testing.assert_array_equal(found.world, np.ones((1, N_LANDMARKS, 3)))


@pytest.mark.slow
def test_a_figure_far_away_from_behind_is_found_zoomed_in(tmp_path: Path) -> None:
    """A rendered session from behind, 4.2 m away with a 90 deg lens at 640x360: BlazePose finds
    nobody in the whole frame; zoomed in, the person is followed in every frame and the reps are
    counted, with a warning to film closer."""
    from formcoach.api import analyze_track
    from formcoach.exercise import load_exercise
    from formcoach.pose import estimate_track
    from formcoach.sim import Camera, SessionSpec, Tempo, render_session

    spec = SessionSpec(reps_per_side=1, tempo=Tempo(2.0, 0.3, 1.0, 0.5), seed=1)
    camera = Camera(view="rear", width=640, height=360, fps=15.0, hfov_deg=90.0, height_m=0.4,
                    distance_m=4.2)
    paths = render_session(spec, camera, tmp_path, supersample=1)
    assert paths.video is not None
    track = estimate_track(paths.video, model="full")
    assert "zoom" in track.meta and track.found.mean() > 0.9
    assert any("too small in the picture" in w for w in track.meta["warnings"])
    assert len(analyze_track(track, load_exercise("reverse_lunge")).analysis.reps) == 2
