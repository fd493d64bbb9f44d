"""Video decoding: real timestamps, rotation, GIFs, broken files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from formcoach.errors import BadVideoError
from formcoach.video import VideoWriter, iter_frames, iter_frames_sparse, probe


def test_variable_frame_rate_keeps_each_frames_time(tmp_path: Path, clip_writer: Callable[..., Path]) -> None:
    gaps = np.random.default_rng(3).uniform(0.015, 0.07, 40)
    times = np.concatenate([[0.0], np.cumsum(gaps)])
    clip = clip_writer(tmp_path / "vfr.mp4", times)
    got = np.array([t for t, _ in iter_frames(clip)])
    assert got.shape == times.shape
    np.testing.assert_allclose(got, times, atol=1e-4)


def test_portrait_rotation_metadata_is_applied(tmp_path: Path, clip_writer: Callable[..., Path]) -> None:
    clip = clip_writer(tmp_path / "rot.mp4", np.arange(5) / 30, size=(64, 32), rotation_ccw_deg=-90)
    info = probe(clip)
    assert (info.width, info.height, info.rotation_deg) == (32, 64, 90)
    _, image = next(iter_frames(clip))
    assert image.shape == (64, 32, 3)
    # Turned a quarter clockwise for display, the top-left red block lands top-right.
    assert image[:6, -6:, 0].mean() > 200 and image[:6, :6, 0].mean() < 50


def test_gif_frames_and_times(tmp_path: Path, clip_writer: Callable[..., Path]) -> None:
    clip = clip_writer(tmp_path / "anim.gif", np.arange(6) / 10, codec="gif")
    frames = list(iter_frames(clip))
    assert [round(t, 3) for t, _ in frames] == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    assert frames[0][1].dtype == np.uint8 and frames[0][1].shape == (32, 64, 3)


def test_max_side_scales_down(tmp_path: Path, clip_writer: Callable[..., Path]) -> None:
    clip = clip_writer(tmp_path / "big.mp4", np.arange(3) / 30, size=(320, 160))
    _, image = next(iter_frames(clip, max_side=100))
    assert image.shape == (50, 100, 3)


def test_not_a_video(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("this is not a video")
    with pytest.raises(BadVideoError, match="not a readable video"):
        probe(bogus)
    with pytest.raises(BadVideoError, match="no such file"):
        list(iter_frames(tmp_path / "missing.mp4"))
    with pytest.raises(BadVideoError, match="folder"):
        probe(tmp_path)


def test_truncated_file_is_an_error_not_a_crash(tmp_path: Path, clip_writer: Callable[..., Path]) -> None:
    clip = clip_writer(tmp_path / "ok.mp4", np.arange(30) / 30)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(clip.read_bytes()[:400])
    with pytest.raises(BadVideoError):
        list(iter_frames(cut))


def test_writer_round_trip(tmp_path: Path) -> None:
    times = np.arange(12) / 24.0
    with VideoWriter(tmp_path / "out.mp4", 48, 32, fps=24.0) as out:
        for t in times:
            out.write(np.full((32, 48, 3), 128, np.uint8), t)
    info = probe(tmp_path / "out.mp4")
    assert (info.width, info.height, info.codec) == (48, 32, "h264")
    np.testing.assert_allclose([t for t, _ in iter_frames(tmp_path / "out.mp4")], times, atol=1e-4)
    with pytest.raises(ValueError, match="even"):
        VideoWriter(tmp_path / "odd.mp4", 47, 32)


def test_spans_give_each_frame_once(tmp_path: Path, clip_writer: Callable[..., Path]) -> None:
    """Consecutive spans (the second one seeks) cover a variable-frame-rate video exactly once."""
    gaps = np.random.default_rng(5).uniform(0.02, 0.06, 90)
    times = np.concatenate([[0.0], np.cumsum(gaps)])
    clip = clip_writer(tmp_path / "vfr.mp4", times)
    whole = [t for t, _ in iter_frames_sparse(clip, None, 0.0)]
    for cut in (0.5, float(times[40]), float(times[-1]) - 0.1):
        first = [t for t, _ in iter_frames_sparse(clip, None, 0.0, end_s=cut)]
        second = [t for t, _ in iter_frames_sparse(clip, None, 0.0, start_s=cut)]
        assert first and second and max(first) < cut <= min(second) + 1e-3
        np.testing.assert_allclose(first + second, whole, atol=1e-6)


def test_min_gap_converts_only_frames_far_enough_apart(tmp_path: Path,
                                                      clip_writer: Callable[..., Path]) -> None:
    clip = clip_writer(tmp_path / "c30.mp4", np.arange(30) / 30)
    frames = list(iter_frames_sparse(clip, 32, 0.04))
    assert [t for t, _ in frames] == pytest.approx(np.arange(30) / 30, abs=1e-4)
    converted = [i for i, (_, rgb) in enumerate(frames) if rgb is not None]
    assert converted == list(range(0, 30, 2))  # 30 frames/s with 40 ms between poses: every 2nd
    assert all(rgb is None or rgb.shape == (16, 32, 3) for _, rgb in frames)
