"""The analysis JSON read back into objects: ``Analysis.from_dict(a.to_dict())`` round-trips."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_golden import CASES, GOLDEN, case_track

from formcoach.analysis.result import Analysis
from formcoach.api import analyze_track
from formcoach.exercise import load_exercise
from formcoach.findings.model import Finding
from formcoach.sim import Camera, SessionSpec, Tempo
from formcoach.sim.api import frame_camera
from formcoach.sim.motion import simulate
from formcoach.sim.truth import exact_track

EXERCISE = load_exercise("reverse_lunge")


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_stored_analyses_read_back_to_the_same_json(name: str) -> None:
    data = json.loads((GOLDEN / f"{name}.json").read_text())
    data.pop("coaching")
    analysis = Analysis.from_dict(data)
    assert analysis.to_dict() == data
    assert all(isinstance(f, Finding) for r in analysis.reps for f in r.findings)


def test_objects_round_trip_through_json_text() -> None:
    track, mirrored = case_track("demo_side")
    analysis = analyze_track(track, EXERCISE, mirrored=mirrored).analysis
    again = Analysis.from_dict(json.loads(json.dumps(analysis.to_dict())))
    assert again.to_dict() == analysis.to_dict()
    assert again.reps[0].findings[0].verdict == analysis.reps[0].findings[0].verdict
    assert again.reps[1].leg == analysis.reps[1].leg and again.view == analysis.view


def test_other_formats_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"formcoach\.analysis"):
        Analysis.from_dict({"format": "formcoach.pose-track", "version": 1})


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(view=st.sampled_from(["front", "side", "rear", "oblique"]), fps=st.sampled_from([12.0, 20.0, 30.0]),
       lowering_s=st.floats(1.0, 3.5), seed=st.integers(0, 1000), mirrored=st.booleans())
def test_any_simulated_session_round_trips(view: str, fps: float, lowering_s: float, seed: int,
                                           mirrored: bool) -> None:
    spec = SessionSpec(reps_per_side=1, tempo=Tempo(lowering_s, 0.3, 1.0, 0.5), arms="hips", seed=seed)
    sim = simulate(spec, fps=fps)
    track = exact_track(sim, frame_camera(sim, Camera(view=view, fps=fps)))  # type: ignore[arg-type]
    analysis = analyze_track(track.mirrored() if mirrored else track, EXERCISE, mirrored=mirrored).analysis
    data = analysis.to_dict()
    assert Analysis.from_dict(data).to_dict() == data
    unjudged = [f for r in analysis.reps for f in r.findings if f.verdict == "not_assessable"]
    assert all(math.isnan(f.measured) for f in unjudged)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(measured=st.floats(allow_nan=True, allow_infinity=False, width=32), confidence=st.floats(0, 1),
       verdict=st.sampled_from(["fault", "ok", "not_assessable"]),
       leg=st.sampled_from([None, "left", "right"]),
       extra=st.dictionaries(st.sampled_from(["depth", "hip_deg", "baseline"]),
                             st.one_of(st.floats(-1e3, 1e3), st.text(max_size=5), st.none())))
def test_any_finding_round_trips(measured: float, confidence: float, verdict: str, leg: str | None,
                                 extra: dict[str, float | str | None]) -> None:
    f = Finding(code="knee_caving", rep=2, leg=leg, measured=measured, unit="deg", limit=8.0,  # type: ignore[arg-type]
                verdict=verdict, confidence=confidence, frames=(3, 9), cue="Knee out.",  # type: ignore[arg-type]
                direction="in", extra=extra)
    data = f.to_dict()
    assert Finding.from_dict(json.loads(json.dumps(data))).to_dict() == data
