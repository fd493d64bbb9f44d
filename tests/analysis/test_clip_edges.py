"""Counts at the clip's edges: a rep cut by the clip's start or end is not counted (an attempt,
``cut_off``); a rep that ends shortly before the clip does is counted."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcoach.analysis import Analysis, AnalysisParams
from formcoach.analysis.pipeline import analyze_measured
from formcoach.analysis.prepare import measure
from formcoach.exercise import load_exercise
from formcoach.sim import Camera, SessionSpec, Tempo, simulate
from formcoach.sim.api import frame_camera
from formcoach.sim.truth import exact_track
from formcoach.track import PoseTrack

PARAMS = AnalysisParams.from_exercise(load_exercise("reverse_lunge"))
FPS = 30.0


def _track(lead_out_s: float) -> tuple[PoseTrack, list[float]]:
    spec = SessionSpec(reps_per_side=2, tempo=Tempo(2.6, 0.5, 1.1, 0.8), lead_out_s=lead_out_s)
    sim = simulate(spec, fps=FPS)
    return exact_track(sim, frame_camera(sim, Camera(view="side"))), [r.bottom_s for r in sim.reps]


def _cut(track: PoseTrack, first: int, stop: int) -> PoseTrack:
    return replace(track, times_s=track.times_s[first:stop] - track.times_s[first],
                   image=track.image[first:stop], world=track.world[first:stop])


def _analyse(track: PoseTrack) -> Analysis:
    return analyze_measured(measure(track, PARAMS), PARAMS)


@pytest.mark.parametrize("lead_out_s", [0.3, 0.8])
def test_a_rep_that_ends_before_the_clip_does_is_counted(lead_out_s: float) -> None:
    track, _ = _track(lead_out_s)
    analysis = _analyse(track)
    assert len(analysis.reps) == 4 and all(r.rep.complete for r in analysis.reps)


@pytest.mark.parametrize("edge", ["start", "end"])
def test_a_rep_cut_by_the_clip_is_not_counted(edge: str) -> None:
    track, bottoms = _track(0.8)
    first, stop = (round(bottoms[0] * FPS), len(track.times_s)) if edge == "start" else \
        (0, round(bottoms[-1] * FPS))
    analysis = _analyse(_cut(track, first, stop))
    assert len(analysis.reps) == 3 and all(r.rep.complete for r in analysis.reps)
    assert [a.rep.reason for a in analysis.attempts] == ["cut_off"]
    assert all(not a.rep.complete for a in analysis.attempts)


def _first_frame_past(track: PoseTrack, bottom_s: float, share: float) -> int:
    """The first frame of the lowering to ``bottom_s`` whose hips are past ``share`` of its depth."""
    depth = measure(track, PARAMS).features.depth  # type: ignore[union-attr]
    peak = int(np.searchsorted(track.times_s, bottom_s))
    before = np.flatnonzero(depth[:peak] < share * depth[peak])
    return int(before[-1]) + 1


def test_one_off_frame_at_the_clips_start_does_not_make_a_cut_rep_whole() -> None:
    """A clip that starts near the bottom is cut even when its first frame (the person detector's
    first guess) reads the hips much higher."""
    track, bottoms = _track(0.8)
    first = _first_frame_past(track, bottoms[0], 0.9)
    early = first - round(0.8 * FPS)  # a frame from well before, as the detector's first guess
    image, world = track.image.copy(), track.world.copy()
    image[first], world[first] = track.image[early], track.world[early]
    params = replace(PARAMS, cut_min_seen_lowering_s=0.0)  # the hips' depth alone decides
    cut = _cut(replace(track, image=image, world=world), first, len(track.times_s))
    analysis = analyze_measured(measure(cut, params), params)
    assert len(analysis.reps) == 3
    assert [a.rep.reason for a in analysis.attempts] == ["cut_off"]


@pytest.mark.parametrize(("min_seen_s", "counted"), [(PARAMS.cut_min_seen_lowering_s, 4), (5.0, 3)])
def test_a_rep_seen_from_early_in_its_lowering_counts_if_seen_long_enough(min_seen_s: float,
                                                                        counted: int) -> None:
    """Footage that starts with the hips at 60 % of the rep's depth (someone walking into view) shows
    the rep if it shows enough of the lowering (``cut_min_seen_lowering_s``); its start was not seen,
    so it has no tempo (its lowering time runs from the footage's start)."""
    track, bottoms = _track(0.8)
    first = _first_frame_past(track, bottoms[0], 0.6)
    params = replace(PARAMS, cut_min_seen_lowering_s=min_seen_s)
    analysis = analyze_measured(measure(_cut(track, first, len(track.times_s)), params), params)
    assert len(analysis.reps) == counted
    seen = [r.rep.phases_seen for r in analysis.reps]
    assert seen == [False, True, True, True][4 - counted:]
    assert [r.tempo is None for r in analysis.reps] == [not s for s in seen]


def test_a_clip_that_ends_as_the_next_rep_begins_keeps_the_last_reps_tempo() -> None:
    """A looping clip: it stops 0.2 s after the hips pass standing (depth 0.2) into the next rep's
    lowering, too shallow for a rep or an attempt. The rep before stood up between, so its tempo is
    timed."""
    track, bottoms = _track(0.8)
    depth = measure(track, PARAMS).features.depth  # type: ignore[union-attr]
    stop = _first_frame_past(track, bottoms[2], PARAMS.exit_depth / depth[round(bottoms[2] * FPS)]) + 6
    cut = _cut(track, 0, stop)
    tail = measure(cut, PARAMS).features.depth[-6:]  # type: ignore[union-attr]
    assert np.median(tail) > PARAMS.exit_depth and tail.max() < PARAMS.attempt_depth
    analysis = _analyse(cut)
    assert len(analysis.reps) == 2 and not analysis.attempts
    last = analysis.reps[-1]
    assert last.rep.phases_seen and last.tempo is not None
