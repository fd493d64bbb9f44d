"""The analysis result, its JSON contract and the parameters built from the exercise file."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pytest

from formcoach.analysis import AnalysisParams
from formcoach.analysis.result import FORMAT, VERSION

from .helpers import run
from .synth import lunge_track

REP_KEYS = {"index", "set", "leg", "start_s", "bottom_s", "end_s", "lowering_s", "rise_s", "complete",
            "findings"}


def test_json_contract() -> None:
    track, truth = lunge_track([("right", "reverse", 1.0), ("left", "reverse", 1.0)], jitter_m=0.005)
    data = json.loads(json.dumps(run(track).to_dict(), allow_nan=False))
    assert data["format"] == FORMAT == "formcoach.analysis" and data["version"] == VERSION == 1
    for key, kind in {"exercise": str, "lunge_type": str, "view": str, "reps": list, "sets": list,
                      "findings": list, "attempts": list}.items():
        assert isinstance(data[key], kind), key
    assert data["lunge_type"] == "reverse" and data["view"] == "side" and data["findings"] == []
    assert [r["leg"] for r in data["reps"]] == [t.leg for t in truth]
    for rep in data["reps"]:
        assert set(rep) >= REP_KEYS and rep["complete"] is True and rep["findings"] == []
        assert rep["start_s"] < rep["bottom_s"] < rep["end_s"] and rep["set"] == 1
    assert data["sets"] == [{"index": 1, "left": 1, "right": 1, "target_per_side": 8,
                             "start_s": data["reps"][0]["start_s"], "end_s": data["reps"][1]["end_s"],
                             "progress": "set 1: left 1/8, right 1/8"}]


def test_json_has_no_nan_even_for_an_empty_track() -> None:
    track, _ = lunge_track([], lead_s=2.0, tail_s=0.0)
    empty = track.slice(0, 0)
    nan_track = type(track)(track.times_s, np.full_like(track.image, np.nan),
                            np.full_like(track.world, np.nan), track.width, track.height, track.fps, "nobody")
    for t in (empty, nan_track):
        data = run(t).to_dict()
        json.dumps(data, allow_nan=False)
        assert data["reps"] == [] and data["lunge_type"] == "none" and data["view"] in ("side", "unknown")


def test_params_from_an_exercise_object() -> None:
    exercise = SimpleNamespace(
        id="my_lunge", lunge_type="forward",
        prescription=SimpleNamespace(sets=3, reps_per_side=10, rest_between_sets_s=90.0),
        tempo=SimpleNamespace(lowering_s_min=1.0, lowering_s_target=2.0, rise_s_min=0.5, rise_s_max=1.0),
        rep_detection=SimpleNamespace(filter_cutoff_hz=4.0, max_gap_s=0.3, enter_depth=0.5,
                                      exit_depth=0.25, min_knee_flexion_deg=45.0, min_rep_s=0.5,
                                      max_rep_s=10.0, set_rest_s=9.0))
    params = AnalysisParams.from_exercise(exercise)
    got = (params.exercise, params.lunge_type, params.sets, params.reps_per_side)
    assert got == ("my_lunge", "forward", 3, 10)
    assert (params.enter_depth, params.set_rest_s, params.filter_cutoff_hz) == (0.5, 9.0, 4.0)


def test_packaged_exercise_file_agrees_with_the_defaults() -> None:
    from formcoach.exercise import load_exercise

    params = AnalysisParams.from_exercise(load_exercise("reverse_lunge"))
    defaults = AnalysisParams()
    for name in ("enter_depth", "exit_depth", "min_knee_flexion_deg", "set_rest_s", "lowering_s_min"):
        assert getattr(params, name) == getattr(defaults, name), name


@pytest.mark.parametrize("bad", [{"exit_depth": 0.6}, {"filter_cutoff_hz": 0.0}, {"min_rep_s": 20.0}])
def test_bad_params_are_rejected_by_name(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(bad))):
        AnalysisParams(**bad)


def test_analysis_records_its_time() -> None:
    # how fast it is, is benchmarks/accuracy.py's business (never a timed unit test)
    track, _ = lunge_track([("right", "reverse", 1.0), ("left", "forward", 1.0)] * 5, jitter_m=0.005)
    result = run(track)
    assert result.timing["analysis_s"] > 0
    assert math.isfinite(result.duration_s)
