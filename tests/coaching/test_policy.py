"""The coaching policy: one cue a rep, most important first, cool-down, praise on a fix."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest
import yaml
from tests.results import make_finding, make_rep

from formcoach.analysis.result import RepResult
from formcoach.coaching import CueText, coach, cue_texts, top_cues
from formcoach.exercise import load_exercise
from formcoach.findings.model import Finding
from formcoach.vocab import Verdict

#: the packaged file's cool-down (the schema's default)
COOLDOWN = load_exercise("reverse_lunge").coaching.cooldown_reps
TEXTS = {
    "hip_drop": CueText("hip_drop", "Hip dropping", "Keep the hips level.", "high", ("a",), "why"),
    "heel_lift": CueText("heel_lift", "Front heel lifting", "Heel down.", "medium", ("b",), "why"),
    "tempo": CueText("tempo", "Rushed lowering", "Slower on the way down.", "low", ("c",), "why"),
}


def finding(code: str, verdict: Verdict = "fault", confidence: float = 0.9) -> Finding:
    return make_finding(code, verdict, confidence)


def rep(index: int, *findings: Finding) -> RepResult:
    return make_rep(index, *findings)


def test_one_cue_per_rep_most_important_first() -> None:
    events = coach([rep(1, finding("tempo"), finding("hip_drop"), finding("heel_lift"))], TEXTS, COOLDOWN)
    assert [(e.kind, e.code, e.text) for e in events] == [("cue", "hip_drop", "Keep the hips level.")]


def test_cool_down_then_next_mistake() -> None:
    reps = [rep(i, finding("hip_drop"), finding("heel_lift")) for i in range(1, 6)]
    cues = [(e.rep, e.code) for e in coach(reps, TEXTS, cooldown_reps=2) if e.kind == "cue"]
    # hip_drop is cued on rep 1, then heel_lift while hip_drop cools down, then hip_drop again on rep 4
    assert cues == [(1, "hip_drop"), (2, "heel_lift"), (4, "hip_drop"), (5, "heel_lift")]


def test_praise_when_a_cued_mistake_is_fixed_next_rep() -> None:
    reps = [rep(1, finding("hip_drop")), rep(2, finding("hip_drop", verdict="ok"))]
    events = coach(reps, TEXTS, COOLDOWN)
    assert [(e.rep, e.kind, e.code) for e in events] == [(1, "cue", "hip_drop"), (2, "praise", "hip_drop")]
    assert "hip dropping" in events[1].text


def test_praise_waits_for_the_next_rep_of_the_same_leg() -> None:
    # the right knee caved; the left leg's clean rep in between is no fix of it, the right's next is
    reps = [make_rep(1, finding("hip_drop"), leg="right"),
            make_rep(2, finding("hip_drop", verdict="ok"), leg="left"),
            make_rep(3, finding("hip_drop", verdict="ok"), leg="right")]
    events = coach(reps, TEXTS, COOLDOWN)
    assert [(e.rep, e.kind, e.code) for e in events] == [(1, "cue", "hip_drop"), (3, "praise", "hip_drop")]


def test_no_praise_when_the_view_could_not_judge() -> None:
    reps = [rep(1, finding("hip_drop")), rep(2, finding("hip_drop", verdict="not_assessable"))]
    assert [e.kind for e in coach(reps, TEXTS, COOLDOWN)] == ["cue"]


def test_clean_session_says_nothing_and_bad_cooldown_is_rejected() -> None:
    assert coach([rep(1, finding("hip_drop", verdict="ok"))], TEXTS, COOLDOWN) == []
    with pytest.raises(ValueError, match="cooldown_reps"):
        coach([], TEXTS, cooldown_reps=-1)


def test_top_cues_rank_by_severity_and_count() -> None:
    reps = [rep(1, finding("tempo")), rep(2, finding("tempo")), rep(3, finding("tempo"), finding("hip_drop"))]
    ranked = [(text.code, count) for text, count in top_cues(reps, TEXTS)]
    assert ranked == [("tempo", 3), ("hip_drop", 1)]


def test_cue_text_comes_from_the_exercise_file() -> None:
    exercise = load_exercise("reverse_lunge")
    texts = cue_texts(exercise)
    for mistake in exercise.mistakes:
        assert texts[mistake.id].cue == mistake.cue
        assert texts[mistake.id].fixes == tuple(mistake.fixes)


def test_praise_between_equally_severe_fixes_follows_the_findings_order() -> None:
    caving = CueText("knee_caving", "Knee caving", "Knee out.", "medium", ("d",), "w")
    texts = {**TEXTS, "knee_caving": caving}
    first = rep(1, finding("heel_lift", confidence=0.95), finding("knee_caving"))
    second = rep(2, finding("heel_lift"), finding("knee_caving", confidence=0.95))
    for order in (("heel_lift", "knee_caving"), ("knee_caving", "heel_lift")):
        fixed = rep(3, *(finding(code, verdict="ok") for code in order))
        events = coach([first, second, fixed], texts, cooldown_reps=0)
        assert [(e.kind, e.code) for e in events] == [("cue", "heel_lift"), ("cue", "knee_caving"),
                                                      ("praise", order[0])]


def test_a_reading_too_close_to_tell_is_never_cued_or_praised() -> None:
    unsure = replace(finding("hip_drop", verdict="not_assessable", confidence=0.0),
                     reason="too close to the limit to tell", extra={"near_limit_reading": 5.5})
    reps = [rep(1, finding("hip_drop")), rep(2, unsure), rep(3, unsure)]
    events = coach(reps, TEXTS, COOLDOWN)
    assert [(e.kind, e.rep) for e in events] == [("cue", 1)]


def test_a_retuned_cooldown_in_the_exercise_file_changes_the_cues(tmp_path: Path) -> None:
    # the same mistake on every rep: cued on reps 1 and 4 with the packaged cool-down of 2 reps, on
    # every rep by a user's file that sets it to 0
    reps = [rep(i, finding("hip_drop")) for i in range(1, 5)]
    packaged = load_exercise("reverse_lunge")
    assert packaged.coaching.cooldown_reps == 2
    raw = yaml.safe_load(resources.files("formcoach.exercises").joinpath("reverse_lunge.yaml")
                         .read_text(encoding="utf-8"))
    raw["coaching"] = {"cooldown_reps": 0}
    path = tmp_path / "my_lunge.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    user = load_exercise(path)
    cued = {name: [e.rep for e in coach(reps, cue_texts(ex), ex.coaching.cooldown_reps) if e.kind == "cue"]
            for name, ex in (("packaged", packaged), ("user", user))}
    assert cued == {"packaged": [1, 4], "user": [1, 2, 3, 4]}
