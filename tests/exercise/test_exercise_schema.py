"""The exercise schema: every section of the guide present, units checked, round trip lossless."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from formcoach.errors import BadExerciseError, UserError
from formcoach.exercise import (
    FINDING_IDS,
    MISTAKE_IDS,
    SIGNALS,
    UNITS,
    Exercise,
    Quantity,
    RepDetection,
    list_exercises,
    load_exercise,
)
from formcoach.exercise.tuning import Coaching, FindingDetection
from formcoach.exercise.units import convert

WriteYaml = Callable[..., Path]


def test_packaged_exercises_load_sorted_by_id() -> None:
    exercises = list_exercises()
    assert [e.id for e in exercises] == ["forward_lunge", "reverse_lunge"]
    assert [e.lunge_type for e in exercises] == ["forward", "reverse"]


def test_reverse_lunge_names_and_prescription(reverse: Exercise) -> None:
    assert reverse.id == "reverse_lunge" and reverse.lunge_type == "reverse"
    assert "reverse lunge" in reverse.name.lower()
    assert any("backward" in name.lower() for name in reverse.other_names)
    assert reverse.summary and len(reverse.about) >= 2
    assert reverse.equipment == []
    assert (reverse.prescription.sets, reverse.prescription.reps_per_side) == (2, 8)
    assert isinstance(reverse.prescription.sets, int) and isinstance(reverse.prescription.reps_per_side, int)
    assert isinstance(reverse.prescription.rest_between_sets_s, float)
    assert 30 <= reverse.prescription.rest_between_sets_s <= 180


def test_reverse_lunge_tempo_is_slow_down_quick_up(reverse: Exercise) -> None:
    tempo = reverse.tempo
    assert all(
        isinstance(v, float)
        for v in (tempo.lowering_s_min, tempo.lowering_s_target, tempo.rise_s_min, tempo.rise_s_max)
    )
    assert tempo.lowering_s_min >= 2.0
    assert tempo.lowering_s_target >= tempo.lowering_s_min
    assert tempo.rise_s_min < 1.0 <= 1.5 <= tempo.rise_s_max
    assert tempo.rise_s_max <= tempo.lowering_s_target


def test_reverse_lunge_muscles_each_with_lowering_and_rise(reverse: Exercise) -> None:
    names = " ".join(m.name.lower() for m in reverse.muscles)
    for muscle in ("gluteus maximus", "medius", "minimus", "quadriceps", "hamstrings", "calves", "core"):
        assert muscle in names
    assert all(m.lowering and m.rise for m in reverse.muscles)
    assert next(m for m in reverse.muscles if m.name == "Gluteus maximus").role == "primary"


def test_reverse_lunge_setup_steps_and_cues(reverse: Exercise) -> None:
    feet = reverse.setup.feet_apart
    assert (feet.min, feet.max, feet.unit) == (10, 13, "cm")
    parts = {item.part for item in reverse.setup.items}
    assert {"Feet", "Spine and neck", "Core", "Chest", "Shoulders and hips", "Hands"} <= parts
    assert len(reverse.steps) >= 5
    weight = next(cue for cue in reverse.cues if cue.id == "front_leg_weight")
    assert weight.target is not None
    assert (weight.target.min, weight.target.max, weight.target.unit) == (70, 75, "percent")
    cue_text = " ".join(cue.text.lower() for cue in reverse.cues)
    assert "hinge" in cue_text and "ball of your front foot" in cue_text and "straighten the hip" in cue_text


def test_reverse_lunge_mistakes_follow_the_contract(reverse: Exercise) -> None:
    assert [m.id for m in reverse.mistakes] == [*MISTAKE_IDS, *FINDING_IDS]
    assert [m.id for m in reverse.of_kind("mistake")] == list(MISTAKE_IDS)
    assert [m.number for m in reverse.of_kind("mistake")] == [1, 2, 3, 4, 5, 6]
    assert [m.id for m in reverse.of_kind("finding")] == list(FINDING_IDS)
    for mistake in reverse.mistakes:
        assert mistake.title and mistake.why and mistake.fixes and mistake.cue and mistake.not_assessable_hint
        assert mistake.severity in ("low", "medium", "high")
        assert mistake.direction in ("above", "below")
        assert mistake.views and set(mistake.views) <= {"front", "side", "rear", "oblique"}
        for check in mistake.checks():
            assert check.limit.unit in SIGNALS[check.signal].units
            assert isinstance(check.limit.value, float)


@pytest.mark.parametrize(
    ("mistake_id", "signal", "value", "unit", "direction"),
    [
        ("pelvis_tilt", "pelvis_obliquity_deg", 6, "deg", "above"),
        ("knee_caving", "knee_over_foot_cm", 3, "cm", "above"),
        ("hip_drop", "hip_drop_deg", 5, "deg", "above"),
        ("hip_not_extended", "hip_flexion_top_deg", 15, "deg", "above"),
        ("back_leg_weight", "front_leg_weight_fraction", 0.6, "fraction", "below"),
        ("heel_lift", "heel_lift_cm", 3, "cm", "above"),
        ("shallow_depth", "front_knee_flexion_deg", 70, "deg", "below"),
        ("balance", "com_sway_cm", 5, "cm", "above"),
        ("tempo", "lowering_s", 2.0, "s", "below"),
    ],
)
def test_each_mistake_signal_and_limit(
    reverse: Exercise, mistake_id: str, signal: str, value: float, unit: str, direction: str
) -> None:
    mistake = reverse.mistake(mistake_id)
    assert (mistake.signal, mistake.limit.value, mistake.limit.unit, mistake.direction) == (
        signal,
        value,
        unit,
        direction,
    )


def test_views_match_what_a_camera_can_see(reverse: Exercise) -> None:
    assert "side" not in reverse.mistake("knee_caving").views
    assert "front" in reverse.mistake("knee_caving").views
    assert reverse.mistake("knee_caving").not_assessable_hint == "film from the front to check knee alignment"
    assert "front" not in reverse.mistake("hip_not_extended").views
    assert "front" not in reverse.mistake("heel_lift").views
    assert set(reverse.mistake("tempo").views) == {"side", "oblique"}


def test_a_check_is_judged_from_its_own_views_else_the_mistakes(reverse: Exercise) -> None:
    pelvis = reverse.mistake("pelvis_tilt")
    assert [(c.signal, c.views) for c in pelvis.checks()] == [
        ("pelvis_obliquity_deg", ["front"]),
        ("pelvis_rotation_deg", []),  # measured, judged from no view (an empty list is no view)
    ]
    assert pelvis.judged_views() == ["front"]
    tempo = reverse.mistake("tempo")
    assert all(c.views == tempo.views for c in tempo.checks())
    assert tempo.judged_views() == tempo.views


def test_per_check_views_are_optional_and_old_files_stay_valid(
    raw_reverse: dict[str, Any], write_yaml: WriteYaml
) -> None:
    for check in raw_reverse["mistakes"][0]["also"]:
        del check["views"]
    pelvis = load_exercise(write_yaml(raw_reverse)).mistake("pelvis_tilt")
    assert pelvis.also[0].views is None
    assert [c.views for c in pelvis.checks()] == [pelvis.views, pelvis.views]
    assert pelvis.judged_views() == pelvis.views == ["front"]
    raw_reverse["mistakes"][0]["also"][0]["views"] = ["oblique", "front"]
    pelvis = load_exercise(write_yaml(raw_reverse)).mistake("pelvis_tilt")
    assert pelvis.judged_views() == ["front", "oblique"]


def test_tempo_finding_takes_its_limits_from_the_tempo_section(reverse: Exercise) -> None:
    checks = reverse.mistake("tempo").checks()
    as_tuples = [(c.signal, c.direction, c.limit.value) for c in checks]
    assert as_tuples == [
        ("lowering_s", "below", reverse.tempo.lowering_s_min),
        ("rise_s", "above", reverse.tempo.rise_s_max),
        ("rise_s", "below", reverse.tempo.rise_s_min),
    ]


def test_retuning_the_tempo_retunes_the_finding(raw_reverse: dict[str, Any], write_yaml: WriteYaml) -> None:
    raw_reverse["tempo"]["lowering_s_min"] = 2.5
    exercise = load_exercise(write_yaml(raw_reverse))
    assert exercise.mistake("tempo").limit.value == 2.5


def test_other_sections_present(reverse: Exercise) -> None:
    assert len(reverse.benefits) >= 5
    assert any("stairs" in use.title for use in reverse.everyday_uses)
    assert [f.muscle for f in reverse.feel_muscles] == ["Quadriceps", "Hamstrings", "Gluteus maximus"]
    assert any("kneecap" in note for note in reverse.knee_notes)
    assert reverse.self_check and reverse.references


def test_rep_detection_defaults_and_override(raw_reverse: dict[str, Any], write_yaml: WriteYaml) -> None:
    defaults = RepDetection()
    assert defaults.filter_cutoff_hz == 3.0 and defaults.max_gap_s == 0.25
    assert (defaults.enter_depth, defaults.exit_depth) == (0.45, 0.2)
    assert (defaults.min_knee_flexion_deg, defaults.min_rep_s, defaults.max_rep_s) == (40, 0.6, 12.0)
    assert defaults.set_rest_s == 8.0
    del raw_reverse["rep_detection"]
    assert load_exercise(write_yaml(raw_reverse)).rep_detection == defaults
    raw_reverse["rep_detection"] = {"filter_cutoff_hz": 4}
    changed = load_exercise(write_yaml(raw_reverse)).rep_detection
    assert changed.filter_cutoff_hz == 4.0 and changed.set_rest_s == 8.0


@pytest.mark.parametrize(("section", "model"), [("rep_detection", RepDetection),
                                                ("finding_detection", FindingDetection),
                                                ("coaching", Coaching)])
def test_packaged_file_spells_out_every_tuning_at_its_default(
        raw_reverse: dict[str, Any], section: str,
        model: type[RepDetection | FindingDetection | Coaching]) -> None:
    # the schema holds the one default of each tuning; the packaged file writes every one out (with
    # its reason) and a value that differs from the schema's would be a second source
    written = raw_reverse[section]
    assert set(written) == set(model.model_fields)
    assert model(**written) == model()
    assert getattr(load_exercise("reverse_lunge"), section) == model()
    assert getattr(load_exercise("forward_lunge"), section) == model()


def test_a_version_1_file_without_the_tuning_sections_loads(raw_reverse: dict[str, Any],
                                                            write_yaml: WriteYaml) -> None:
    del raw_reverse["rep_detection"], raw_reverse["finding_detection"], raw_reverse["coaching"]
    exercise = load_exercise(write_yaml(raw_reverse))
    assert exercise.version == 1
    assert (exercise.rep_detection, exercise.finding_detection, exercise.coaching) == (
        RepDetection(), FindingDetection(), Coaching())
    raw_reverse["finding_detection"] = {"peak_pct": 95}
    assert load_exercise(write_yaml(raw_reverse)).finding_detection.peak_pct == 95.0


def test_forward_lunge_is_complete_under_the_same_schema() -> None:
    forward = load_exercise("forward_lunge")
    assert forward.lunge_type == "forward"
    assert [m.id for m in forward.mistakes] == [*MISTAKE_IDS, *FINDING_IDS]
    assert forward.tempo != load_exercise("reverse_lunge").tempo
    assert forward.prescription.sets >= 1 and forward.steps and forward.cues


@pytest.mark.parametrize("exercise_id", ["reverse_lunge", "forward_lunge"])
def test_round_trip_file_model_json_model(exercise_id: str) -> None:
    exercise = load_exercise(exercise_id)
    dumped = json.dumps(exercise.model_dump(mode="json"))
    again = Exercise.model_validate(json.loads(dumped))
    assert again == exercise
    assert again.model_dump(mode="json") == exercise.model_dump(mode="json")


def test_round_trip_through_a_yaml_file(reverse: Exercise, write_yaml: WriteYaml) -> None:
    path = write_yaml(reverse.model_dump(mode="json"))
    assert load_exercise(path) == reverse


def test_mistake_lookup_names_the_known_ids(reverse: Exercise) -> None:
    assert reverse.mistake("heel_lift").id == "heel_lift"
    assert reverse.find_mistake("nope") is None
    with pytest.raises(BadExerciseError, match=r"reverse_lunge.*'nope'.*pelvis_tilt") as raised:
        reverse.mistake("nope")
    assert isinstance(raised.value, UserError)


def test_quantities_convert() -> None:
    assert Quantity(value=60, unit="percent").to("fraction") == pytest.approx(0.6)
    assert Quantity(value=2, unit="cm").to("m") == pytest.approx(0.02)
    assert Quantity(value=0.01, unit="body_heights").to("cm", body_height_m=1.7) == pytest.approx(1.7)
    assert convert(1.7, "cm", "body_heights", body_height_m=1.7) == pytest.approx(0.01)
    assert Quantity(value=13, unit="deg").human() == "13°"
    assert Quantity(value=0.6, unit="fraction").human() == "60 %"
    with pytest.raises(ValueError, match="'deg' to 'cm'"):
        Quantity(value=1, unit="deg").to("cm")
    with pytest.raises(ValueError, match="body_height_m"):
        Quantity(value=1, unit="cm").to("body_heights")
    assert set(UNITS) >= {"deg", "cm", "s", "percent", "fraction", "ratio", "m", "Hz", "body_heights"}


def test_the_format_documentation_covers_every_signal_and_unit() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "exercise-file.md").read_text(encoding="utf-8")
    for name in [*SIGNALS, *UNITS]:
        assert f"`{name}`" in docs, name
    for name, signal in SIGNALS.items():
        assert f"| `{name}` | {', '.join(signal.units)} | {signal.description} |" in docs, name
