"""Counts at the clip's edges: a rep cut by the clip's start or end is not counted (an attempt,
``cut_off``); a rep that ends shortly before the clip does is counted."""

from __future__ import annotations

from dataclasses import replace

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
