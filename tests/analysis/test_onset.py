"""Rep start and end: the movement's progress from standing, whichever body part moves first."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.analysis import AnalysisParams
from formcoach.analysis.onset import RepFrames, leaves_standing, progress, start_and_end

from .helpers import PARAMS, run
from .synth import lunge_track

FPS = 30.0


def _smooth(t: np.ndarray, t0: float, t1: float) -> np.ndarray:
    """0 before ``t0``, 1 after ``t1``, a smoothstep between (zero speed at both ends)."""
    x = np.clip((t - t0) / (t1 - t0), 0.0, 1.0)
    return np.asarray(x * x * (3.0 - 2.0 * x))


def _rep(t: np.ndarray, down: tuple[float, float], up: tuple[float, float]) -> np.ndarray:
    return _smooth(t, *down) - _smooth(t, *up)


def test_a_step_back_before_the_hips_sink_starts_the_rep() -> None:
    # the back foot steps from 1.0 s to 2.4 s; the knees and hips only begin at 1.8 s; all are at
    # the bottom from 3.5 s to 4.0 s; the rise ends with the foot back at 5.2 s
    t = np.arange(0.0, 7.0, 1.0 / FPS)
    feet = 0.26 + 0.5 * _rep(t, (1.0, 2.4), (4.3, 5.2))
    knees = 90.0 * _rep(t, (1.8, 3.5), (4.0, 5.0))
    depth = 0.7 * _rep(t, (1.8, 3.5), (4.0, 5.0))
    signals = np.stack([knees, depth, feet, feet], axis=1)
    first, peak, last = (int(np.searchsorted(t, x)) for x in (3.5, 3.75, 4.0))
    start, end = start_and_end(signals, t, RepFrames(0, first, peak, last, len(t)), PARAMS)
    assert start == pytest.approx(1.0, abs=0.15)
    assert end == pytest.approx(5.2, abs=0.15)


def test_hips_alone_time_the_rep_when_the_feet_do_not_move() -> None:
    # a split squat: the feet's spread never changes, so it is left out
    t = np.arange(0.0, 6.0, 1.0 / FPS)
    depth = 0.7 * _rep(t, (1.0, 3.0), (3.5, 4.5))
    signals = np.stack([np.full_like(t, np.nan), depth, np.full_like(t, 0.8), np.full_like(t, 0.8)], axis=1)
    first, peak, last = (int(np.searchsorted(t, x)) for x in (3.0, 3.2, 3.5))
    start, end = start_and_end(signals, t, RepFrames(0, first, peak, last, len(t)), PARAMS)
    assert start == pytest.approx(1.0, abs=0.15)
    assert end == pytest.approx(4.5, abs=0.15)


def test_a_bump_while_standing_does_not_start_the_rep() -> None:
    t = np.arange(0.0, 5.0, 1.0 / FPS)
    share = 0.2 * np.exp(-(((t - 0.6) / 0.15) ** 2)) + _smooth(t, 2.0, 4.0)
    assert leaves_standing(t, share, 0.05, 0.3, 0.08) == pytest.approx(2.0, abs=0.15)


def test_jitter_while_standing_does_not_start_the_rep_early() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(0.0, 6.0, 1.0 / FPS)
    share = _smooth(t, 2.0, 5.0) + np.convolve(rng.normal(0, 0.01, len(t)), np.ones(5) / 5, mode="same")
    assert leaves_standing(t, share, 0.05, 0.3, 0.08) == pytest.approx(2.0, abs=0.25)


@pytest.mark.parametrize("fps", [10.0, 24.0, 60.0])
def test_low_frame_rates_do_not_widen_the_movement_by_a_frame(fps: float) -> None:
    # a 0.6 s rise sampled at 10 fps: a central-difference speed is already non-zero one frame
    # before the movement begins, which used to move the edge 0.1 s out
    t = np.arange(0.0, 4.0, 1.0 / fps) + 0.037
    share = _smooth(t, 2.0, 2.6)
    start = leaves_standing(t, share, 0.05, 0.3, 0.08)
    assert start == pytest.approx(2.0, abs=0.035)
    end = leaves_standing(t[::-1], 1.0 - _smooth(t, 1.0, 1.6)[::-1], 0.05, 0.3, 0.08)
    assert end == pytest.approx(1.6, abs=0.035)


def test_standing_level_ignores_a_dip_below_it() -> None:
    # as the stepping foot passes the other in the image, their spread dips below its standing value
    t = np.arange(0.0, 4.0, 1.0 / FPS)
    spread = 0.16 + 0.2 * _smooth(t, 2.0, 3.0) - 0.03 * np.exp(-(((t - 1.6) / 0.1) ** 2))
    signals = np.stack([np.full_like(t, np.nan)] * 3 + [spread], axis=1)
    share = progress(t, signals, signals[-1], 0)
    assert np.nanmedian(share[t < 1.2]) == pytest.approx(0.0, abs=0.01)


def test_slow_smooth_lowering_starts_where_it_begins() -> None:
    # a 3 s lowering whose first second barely moves: the old pause rule read it as standing
    track, truth = lunge_track([("left", "reverse", 1.0), ("right", "reverse", 1.0)], lowering_s=3.0,
                               rise_s=1.5)
    result = run(track)
    assert len(result.reps) == 2
    for rep, want in zip(result.reps, truth, strict=True):
        assert rep.rep.start_s == pytest.approx(want.start_s, abs=0.15)
        assert rep.rep.end_s == pytest.approx(want.end_s, abs=0.15)
        # the bottom edges of this stick figure come 0.1-0.2 s early (timed on the knees' speed)
        assert rep.rep.lowering_s == pytest.approx(want.lowering_s, abs=0.25)
        assert rep.tempo is not None and rep.tempo.lowering == "ok"


def test_onset_share_must_be_below_moving_share() -> None:
    with pytest.raises(ValueError, match="onset_share"):
        AnalysisParams(onset_share=0.4, moving_share=0.3)
