"""The analysis result, its JSON contract and the parameters built from the exercise file."""

from __future__ import annotations

import json
import math
from dataclasses import fields, replace
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import yaml
from tests.results import make_rep

from formcoach.analysis import AnalysisParams, analyze
from formcoach.analysis.pipeline import session_lunge_type
from formcoach.analysis.result import FORMAT, VERSION
from formcoach.exercise.tuning import RepDetection
from formcoach.vocab import LungeType

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
    params = AnalysisParams.from_exercise(exercise)  # type: ignore[arg-type]  # any object with those fields
    got = (params.exercise, params.lunge_type, params.sets, params.reps_per_side)
    assert got == ("my_lunge", "forward", 3, 10)
    assert (params.enter_depth, params.set_rest_s, params.filter_cutoff_hz) == (0.5, 9.0, 4.0)


def test_packaged_exercise_file_agrees_with_the_defaults() -> None:
    from formcoach.exercise import load_exercise

    exercise = load_exercise("reverse_lunge")
    defaults = AnalysisParams()
    # every number the file sets: a Python default that differs from it would be a second source
    in_file = {name: getattr(section, name) for section in (exercise.prescription, exercise.tempo,
                                                             exercise.rep_detection)
               for name in (f.name for f in fields(AnalysisParams)) if hasattr(section, name)}
    assert len(in_file) >= 12 + 24 + 19
    for name, value in in_file.items():
        assert getattr(defaults, name) == value, name
    assert AnalysisParams.from_exercise(exercise) == defaults
    # every rep_detection field the schema knows is written out in the packaged file and reaches the
    # analysis's parameters
    written = set(yaml.safe_load(resources.files("formcoach.exercises").joinpath("reverse_lunge.yaml")
                                 .read_text(encoding="utf-8"))["rep_detection"])
    assert written == set(RepDetection.model_fields)
    assert written <= {f.name for f in fields(AnalysisParams)}


def test_a_retuned_exercise_file_changes_the_analysis(tmp_path: Path) -> None:
    from formcoach.exercise import load_exercise

    raw = yaml.safe_load(resources.files("formcoach.exercises").joinpath("reverse_lunge.yaml")
                         .read_text(encoding="utf-8"))
    track, _ = lunge_track([("right", "reverse", 1.0), ("left", "reverse", 1.0)], jitter_m=0.005)
    assert analyze(track, AnalysisParams.from_exercise(load_exercise("reverse_lunge"))).view == "side"
    # a user who calls up to 100 deg of yaw front-oblique sees this side-on session as oblique
    raw["rep_detection"].update(view_front_oblique_max_yaw_deg=100.0, view_side_max_yaw_deg=120.0)
    path = tmp_path / "my_lunge.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert analyze(track, AnalysisParams.from_exercise(load_exercise(path))).view == "oblique"
    # a user whose full lunge drops the hips by all of their height sees half the depth, too shallow
    raw["rep_detection"] = {"full_lunge_drop_frac": 1.0}
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    shallow = analyze(track, AnalysisParams.from_exercise(load_exercise(path)))
    assert len(shallow.reps) < 2


@pytest.mark.parametrize("bad", [{"exit_depth": 0.6}, {"filter_cutoff_hz": 0.0}, {"min_rep_s": 20.0}])
def test_bad_params_are_rejected_by_name(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(bad))):
        replace(AnalysisParams(), **bad)


def test_analysis_records_its_time() -> None:
    # how fast it is, is benchmarks/accuracy.py's business (never a timed unit test)
    track, _ = lunge_track([("right", "reverse", 1.0), ("left", "forward", 1.0)] * 5, jitter_m=0.005)
    result = run(track)
    assert result.timing["analysis_s"] > 0
    assert math.isfinite(result.duration_s)


@pytest.mark.parametrize(("kinds", "expected", "session"), [
    # evenly split: the exercise's own lunge wins, whichever kind came first
    (["split_squat", "reverse", "split_squat", "reverse"], "reverse", "reverse"),
    (["reverse", "forward"], "forward", "forward"),
    # a clear majority stands against the exercise; a tie the exercise is not in keeps the first
    (["split_squat", "split_squat", "reverse"], "reverse", "split_squat"),
    (["forward", "walking", "unknown"], "reverse", "forward"),
    (["unknown"], "reverse", "unknown"),
])
def test_the_session_lunge_is_the_prescribed_one_when_the_reps_split_evenly(
        kinds: list[LungeType], expected: str, session: str) -> None:
    reps = [replace(make_rep(i + 1).rep, lunge_type=kind) for i, kind in enumerate(kinds)]
    assert session_lunge_type(reps, reps, expected) == session
