"""Signal helpers: gap filling, filtering at any frame rate, angles, stretches."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.analysis.signals import fill_gaps, lowpass, rolling_median, stretches, usable_frames
from formcoach.arrays import angle_deg, runs
from formcoach.track import LM


def test_runs_finds_true_stretches() -> None:
    mask = np.array([0, 1, 1, 0, 0, 1, 0, 1, 1, 1], dtype=bool)
    assert runs(mask).tolist() == [[1, 3], [5, 6], [7, 10]]
    assert runs(np.zeros(3, dtype=bool)).shape == (0, 2)


def test_fill_gaps_bridges_short_dropouts_only() -> None:
    t = np.arange(20) / 10.0
    x = t.copy()
    x[3:5] = np.nan      # 0.3 s between valid frames 0.2 and 0.5: filled
    x[10:16] = np.nan    # 0.7 s: left alone
    x[0] = np.nan        # before the first valid frame: left alone
    out = fill_gaps(t, x[:, None], max_gap_s=0.4)[:, 0]
    np.testing.assert_allclose(out[3:5], t[3:5])
    assert np.isnan(out[10:16]).all()
    assert np.isnan(out[0])


@pytest.mark.parametrize("fps", [10.0, 24.0, 25.0, 30.0, 60.0])
def test_lowpass_keeps_slow_motion_and_removes_jitter(fps: float) -> None:
    t = np.arange(0, 10, 1 / fps)
    slow = np.sin(2 * np.pi * 0.4 * t)
    jitter = 0.2 * np.sin(2 * np.pi * 0.45 * fps * t)  # near the Nyquist frequency
    out = lowpass(t, (slow + jitter)[:, None], cutoff_hz=3.0)[:, 0]
    inner = slice(int(fps), -int(fps))
    assert np.max(np.abs(out[inner] - slow[inner])) < 0.05


def test_lowpass_on_variable_frame_rate_has_no_lag() -> None:
    rng = np.random.default_rng(1)
    t = np.cumsum(rng.uniform(0.5, 1.5, 300) / 30.0)
    slow = np.sin(2 * np.pi * 0.5 * t)
    out = lowpass(t, slow[:, None], cutoff_hz=3.0)[:, 0]
    # zero phase: the peak stays where it was
    peaks_in, peaks_out = np.argmax(slow[:60]), np.argmax(out[:60])
    assert abs(t[peaks_in] - t[peaks_out]) < 0.05
    assert np.max(np.abs(out[30:-30] - slow[30:-30])) < 0.03


def test_angle_deg() -> None:
    a, b, c = np.array([[1.0, 0, 0]]), np.zeros((1, 3)), np.array([[0, 1.0, 0]])
    assert angle_deg(a, b, c)[0] == pytest.approx(90.0)
    assert angle_deg(a, b, -a)[0] == pytest.approx(180.0)


def test_stretches_split_at_gaps_and_jumps_and_drop_glitches() -> None:
    t = np.arange(100) / 25.0
    usable = np.ones(100, dtype=bool)
    usable[40:60] = False                     # 0.8 s without a person
    hips = np.zeros((100, 2))
    hips[80:, 0] = 500.0                      # a camera cut at frame 80
    scale = np.full(100, 300.0)
    spans = stretches(t, usable, hips, scale, max_gap_s=0.3, cut_jump_legs=0.4, min_stretch_s=0.5)
    assert spans[:2].tolist() == [[0, 40], [60, 80]]
    assert 80 <= spans[2][0] <= 82 and spans[2][1] == 100  # a frame or two at the cut may go
    short = stretches(t, usable, hips, scale, max_gap_s=0.3, cut_jump_legs=0.4, min_stretch_s=1.0)
    assert short.tolist() == [[0, 40]]


def test_a_glitch_reached_through_interpolated_frames_is_cut_out_with_the_packaged_numbers() -> None:
    """0.7 s of landmarks on the wrong body, the hips 0.35 leg lengths away (more than a lunge's hips
    move in 0.1 s), entered and left over two frames as the interpolated frames between every 2nd
    frame of 30 fps give it: both edges are cuts and the glitch, shorter than a stretch, is dropped."""
    from formcoach.analysis import AnalysisParams
    from formcoach.exercise import load_exercise

    p = AnalysisParams.from_exercise(load_exercise("reverse_lunge"))
    t = np.arange(180) / 30.0
    hips = np.zeros((180, 2))
    hips[80:101, 1] = 0.35 * 300.0
    hips[79, 1] = hips[101, 1] = 0.5 * 0.35 * 300.0  # halfway, interpolated
    spans = stretches(t, np.ones(180, dtype=bool), hips, np.full(180, 300.0), p.max_gap_s, p.cut_jump_legs,
                      p.min_stretch_s)
    assert len(spans) == 2
    assert spans[0][1] <= 80 and spans[1][0] >= 100
    assert p.cut_jump_legs < 0.35


def test_rolling_median_removes_a_one_frame_spike() -> None:
    x = np.zeros((9, 1))
    x[4] = 100.0
    assert np.all(rolling_median(x, 3) == 0.0)


def test_usable_frames_may_let_the_feet_but_nothing_else_leave_the_picture() -> None:
    """Ankles 0.2 below the frame: unusable within 0.1, usable with the feet allowed 0.35 out; a knee
    as far out is unusable either way."""
    image = np.full((3, 33, 4), 0.5)
    image[1:, [LM["left_ankle"], LM["right_ankle"]], 1] = 1.2
    image[2, LM["left_knee"], 1] = 1.2
    assert usable_frames(image, 0.1).tolist() == [True, False, False]
    assert usable_frames(image, 0.1, 0.35).tolist() == [True, True, False]
