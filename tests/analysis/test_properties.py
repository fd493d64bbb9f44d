"""Invariants of the analysis, as properties over generated tracks and simulated sessions."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from formcoach.api import analyze_track
from formcoach.exercise import load_exercise
from formcoach.sim import Camera, SessionSpec, Tempo
from formcoach.sim.api import frame_camera
from formcoach.sim.motion import simulate
from formcoach.sim.truth import exact_track
from formcoach.track import N_LANDMARKS, PoseTrack

EXERCISE = load_exercise("reverse_lunge")
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
#: a whole analysis per example: fewer examples, so that the suite stays quick
SESSIONS = settings(SLOW, max_examples=12)
#: keys of the analysis JSON that are moments in the video (seconds from its start)
MOMENTS = {"start_s", "end_s", "bottom_s", "deepest_s", "time_s"}


def coords(t: int, last: int, low: float, high: float) -> st.SearchStrategy[np.ndarray]:
    """(t, 33, last) floats in ``low..high``, some NaN (unseen landmarks)."""
    return arrays(np.float64, (t, N_LANDMARKS, last),
                  elements=st.one_of(st.floats(low, high), st.just(math.nan)))


@st.composite
def tracks(draw: st.DrawFn) -> PoseTrack:
    """Any track the pose-track file format accepts: 0-40 frames at increasing times."""
    n = draw(st.integers(0, 40))
    steps = draw(arrays(np.float64, (n,), elements=st.floats(0.001, 0.5)))
    return PoseTrack(np.cumsum(steps), draw(coords(n, 4, -0.5, 1.5)), draw(coords(n, 3, -1.5, 1.5)),
                     draw(st.integers(16, 1920)), draw(st.integers(16, 1080)), draw(st.floats(1.0, 120.0)))


def session(view: str, fps: float, seed: int, reps_per_side: int = 1) -> PoseTrack:
    """The exact track of a short simulated session."""
    spec = SessionSpec(reps_per_side=reps_per_side, tempo=Tempo(2.6, 0.3, 1.1, 0.6), arms="hips", seed=seed)
    sim = simulate(spec, fps=fps)
    return exact_track(sim, frame_camera(sim, Camera(view=view, fps=fps)))  # type: ignore[arg-type]


def same(track: PoseTrack, other: PoseTrack) -> bool:
    """The two tracks' times and landmarks are equal, NaN where the other is NaN (image x to the
    rounding of ``1 - (1 - x)``)."""
    return bool(np.array_equal(track.times_s, other.times_s)
                and np.allclose(track.image, other.image, rtol=0.0, atol=1e-12, equal_nan=True)
                and np.array_equal(track.world, other.world, equal_nan=True))


@SLOW
@given(tracks())
def test_mirroring_twice_is_the_identity(track: PoseTrack) -> None:
    assert same(track.mirrored().mirrored(), track)


@settings(SLOW, max_examples=40)
@given(tracks(), st.booleans())
def test_any_track_that_parses_analyses_without_an_exception(track: PoseTrack, mirrored: bool) -> None:
    result = analyze_track(track, EXERCISE, mirrored=mirrored)
    assert result.to_dict()["frames"] == len(track)


def shifted_equal(moved: Any, first: Any, shift_s: float, key: str = "") -> bool:
    """``moved`` equals ``first`` with every moment shifted by ``shift_s`` (to the JSON's rounding)."""
    if isinstance(first, dict):
        return moved.keys() == first.keys() and all(
            shifted_equal(moved[k], v, shift_s, k) for k, v in first.items())
    if isinstance(first, list):
        return len(moved) == len(first) and all(
            shifted_equal(m, f, shift_s, key) for m, f in zip(moved, first, strict=True))
    if isinstance(first, float) and isinstance(moved, float):
        want = first + shift_s if key in MOMENTS else first
        return math.isclose(moved, want, abs_tol=0.0105, rel_tol=1e-6)
    return bool(moved == first)


@SESSIONS
@given(view=st.sampled_from(["front", "side", "oblique"]), seed=st.integers(0, 99),
       shift_s=st.floats(0.5, 3600.0))
def test_shifting_the_times_shifts_every_rep_time_and_nothing_else(view: str, seed: int,
                                                                   shift_s: float) -> None:
    track = session(view, 24.0, seed)
    moved = PoseTrack(track.times_s + shift_s, track.image, track.world, track.width, track.height, track.fps,
                      track.source, track.meta)
    first = analyze_track(track, EXERCISE).to_dict()
    again = analyze_track(moved, EXERCISE).to_dict()
    assert first["counts"]["total"] == 2
    assert shifted_equal(again, first, shift_s)


@SESSIONS
@given(view=st.sampled_from(["front", "side", "rear", "oblique"]), seed=st.integers(0, 99),
       drop=st.integers(0, 2**32 - 1))
def test_dropping_a_tenth_of_the_frames_keeps_the_count(view: str, seed: int, drop: int) -> None:
    track = session(view, 30.0, seed, reps_per_side=2)
    rng = np.random.default_rng(drop)
    keep = np.sort(rng.choice(len(track), size=len(track) - len(track) // 10, replace=False))
    thinned = PoseTrack(track.times_s[keep], track.image[keep], track.world[keep], track.width, track.height,
                        track.fps, track.source, track.meta)
    counted = len(analyze_track(track, EXERCISE).analysis.reps)
    assert len(analyze_track(thinned, EXERCISE).analysis.reps) == counted == 4
