"""Summary numbers: left versus right, tempo medians, faults, and what a view could not judge."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from tests.results import make_finding, make_rep
from tests.test_golden import case_track

from formcoach.analysis.sets import Tempo
from formcoach.api import analyze_track
from formcoach.exercise import load_exercise
from formcoach.report.summary import (
    fault_findings,
    judged_any,
    side_stats,
    tempo_stats,
    unjudged,
    view_phrase,
)
from formcoach.vocab import View
from formcoach.wording import FEET_OUT, FOOT_REDRAWN, TEMPO_UNSEEN, TURNED_STANDING, VIEW_UNSURE

OK = Tempo("ok", "ok")
REPS = [
    make_rep(1, make_finding("hip_drop"), make_finding("heel_lift", "ok"), lowering_s=2.0, rise_s=1.0,
             knee_deg=90.0, tempo=OK),
    make_rep(2, make_finding("heel_lift", "ok"), lowering_s=3.0, rise_s=1.2, knee_deg=80.0, tempo=OK),
    make_rep(3, make_finding("knee_caving", "not_assessable", reason="film from the front"),
             make_finding("heel_lift", "ok"), leg="right", lowering_s=1.0, rise_s=math.nan, knee_deg=70.0,
             tempo=OK),
]


def test_side_stats() -> None:
    stats = side_stats(REPS)
    assert stats["reps"] == {"left": 2.0, "right": 1.0}
    assert stats["knee flexion at bottom (deg)"]["left"] == 85.0
    assert stats["faults per rep"] == {"left": 0.5, "right": 0.0}
    assert math.isnan(stats["rise (s)"]["right"])


def test_side_stats_time_only_the_reps_the_view_could_time() -> None:
    """A rep without a tempo verdict (not seen standing before it, say: its lowering read 0.6 s for
    the part in view) does not pull its leg's mean lowering down."""
    untimed = make_rep(4, leg="right", lowering_s=0.6, rise_s=1.0, knee_deg=80.0, tempo=None)
    stats = side_stats([*REPS, untimed])
    assert stats["lowering (s)"] == {"left": 2.5, "right": 1.0}
    assert stats["reps"]["right"] == 2.0 and stats["knee flexion at bottom (deg)"]["right"] == 75.0


def test_side_stats_leave_out_what_reps_with_their_feet_cut_off_guessed() -> None:
    """A rep whose feet were out of the picture has guessed knee angles and no mistake judged."""
    cut = [replace(r, rep=replace(r.rep, feet_seen=False)) for r in REPS]
    stats = side_stats([*REPS[:2], *cut[2:]])
    knees = stats["knee flexion at bottom (deg)"]
    assert knees["left"] == 85.0 and math.isnan(knees["right"])
    assert stats["faults per rep"]["left"] == 0.5 and math.isnan(stats["faults per rep"]["right"])
    assert judged_any(REPS) and not judged_any(cut)


def test_side_stats_compare_knee_bends_only_where_the_view_could_judge_the_depth() -> None:
    """From the front the pose model's knee angle can be 27 deg off: a rep whose depth the view does
    not judge (``shallow_depth`` not assessable) does not enter its leg's knee bend; one judged
    ``ok`` or ``fault`` does."""
    front = make_finding("shallow_depth", "not_assessable", reason="film from the side")
    unjudged_reps = [replace(r, findings=(*r.findings, front)) for r in REPS]
    knees = side_stats(unjudged_reps)["knee flexion at bottom (deg)"]
    assert math.isnan(knees["left"]) and math.isnan(knees["right"])
    judged = [replace(r, findings=(*r.findings, make_finding("shallow_depth", "ok"))) for r in REPS]
    assert side_stats(judged)["knee flexion at bottom (deg)"]["left"] == 85.0


def test_tempo_and_faults() -> None:
    assert tempo_stats(REPS) == {"lowering_s": 2.0, "rise_s": 1.1}
    assert [f.code for f in fault_findings(REPS)] == ["hip_drop"]
    assert math.isnan(tempo_stats([])["rise_s"])


def test_tempo_medians_leave_out_reps_the_view_could_not_time() -> None:
    untimed = [replace(r, tempo=None) for r in REPS]
    assert tempo_stats(REPS[:2] + untimed[2:]) == {"lowering_s": 2.5, "rise_s": 1.1}
    assert math.isnan(tempo_stats(untimed)["lowering_s"])


def test_what_the_view_could_not_judge_is_one_short_line_per_check() -> None:
    exercise = load_exercise("reverse_lunge")
    filmed, mirrored = case_track("knee_tilt_front")
    result = analyze_track(filmed, exercise, mirrored=mirrored)
    lines = [u.line() for u in unjudged(result.analysis, exercise)]
    codes = [u.code for u in unjudged(result.analysis, exercise)]
    assert codes[-5:] == ["hip_not_extended", "back_leg_weight", "heel_lift", "shallow_depth", "tempo"]
    by_code = dict(zip(codes, lines, strict=True))
    assert by_code["hip_not_extended"] == ("Hip left bent at the top: not judged from the front "
                                           "(film from the side)")
    for code in codes[:-5]:  # judged from the front, but too close to the limit to call: no advice to move
        assert "too close" in by_code[code] and "(film" not in by_code[code]
    assert len(set(lines)) == len(lines) and all(len(line) < 100 for line in lines)


def test_a_detectors_own_reason_is_its_first_clause() -> None:
    exercise = load_exercise("reverse_lunge")
    hint = exercise.mistake("hip_drop").not_assessable_hint
    rep = make_rep(1, make_finding("hip_drop", "not_assessable",
                                   reason=f"the hands were not resting on the pelvis, and more; {hint}"))
    filmed, _ = case_track("knee_tilt_front")
    analysis = replace(analyze_track(filmed, exercise).analysis, reps=(rep,), findings=())
    (entry,) = unjudged(analysis, exercise)
    assert entry.line() == "Hip dropping: the hands were not resting on the pelvis"  # this view judges it


def test_a_rep_not_timed_reads_as_a_whole_clause() -> None:
    """The tempo of a rep not seen standing before or after it is not judged; the report's line says
    so in a whole clause (the report keeps a reason's first clause)."""
    exercise = load_exercise("reverse_lunge")
    rep = make_rep(1, make_finding("tempo", "not_assessable", reason=TEMPO_UNSEEN))
    filmed, _ = case_track("knee_tilt_front")
    analysis = replace(analyze_track(filmed, exercise).analysis, reps=(rep,), findings=(), view="side")
    (entry,) = unjudged(analysis, exercise)
    assert entry.line() == "Rushed lowering or slow rise: a rep was not seen starting and ending standing up"


def test_feet_out_of_the_picture_on_every_rep_is_one_line_saying_where_to_film_from() -> None:
    exercise = load_exercise("reverse_lunge")
    found = [make_finding(m.id, "not_assessable", reason=FEET_OUT) for m in exercise.mistakes]
    rep = make_rep(1, *found)
    filmed, _ = case_track("knee_tilt_front")
    analysis = replace(analyze_track(filmed, exercise).analysis, reps=(rep,), findings=())
    lines = [u.line() for u in unjudged(analysis, exercise)]
    assert lines == ["Every mistake: the feet were out of the picture (film from further away, with your "
                     "feet in the picture)"]


def test_a_view_the_pose_model_kept_turning_round_is_one_line_saying_how_to_film() -> None:
    exercise = load_exercise("reverse_lunge")
    found = [make_finding(m.id, "not_assessable", reason=VIEW_UNSURE) for m in exercise.mistakes]
    filmed, _ = case_track("knee_tilt_front")
    analysis = replace(analyze_track(filmed, exercise).analysis, reps=(make_rep(1, *found),), findings=())
    lines = [u.line() for u in unjudged(analysis, exercise)]
    assert lines == ["Every mistake: the pose model could not tell which way you faced (film from a little "
                     "further away, in good light, with your whole body in the picture)"]


def test_nothing_judged_on_any_rep_is_not_a_clean_session() -> None:
    """Feet in the picture but every finding "couldn't tell" (the view was a guess): no "well done"."""
    unsure = [replace(r, findings=tuple(replace(f, verdict="not_assessable", reason=VIEW_UNSURE)
                                        for f in r.findings)) for r in REPS]
    assert judged_any(REPS) and not judged_any(unsure)
    assert all(math.isnan(v) for v in side_stats(unsure)["faults per rep"].values())


def test_a_view_the_pose_model_kept_turning_round_is_not_named() -> None:
    """The header does not say "filmed from the rear" when every rep's view was a guess; one rep
    judged is enough to name it again."""
    exercise = load_exercise("reverse_lunge")
    filmed, _ = case_track("knee_tilt_front")
    analysis = analyze_track(filmed, exercise).analysis
    assert view_phrase(analysis) == "filmed from the front"
    unsure = [replace(r, findings=tuple(replace(f, verdict="not_assessable", reason=VIEW_UNSURE)
                                        for f in r.findings)) for r in analysis.reps]
    assert view_phrase(replace(analysis, reps=tuple(unsure))) == "camera view unclear"
    assert view_phrase(replace(analysis, reps=(*unsure[:-1], analysis.reps[-1]))) == "filmed from the front"
    assert view_phrase(replace(analysis, mirrored=True)) == "filmed from the front (mirrored)"


@pytest.mark.parametrize(("code", "view", "reason", "want"), [
    # a heel that rose without its ankle (the phone looking steeply down at the feet)
    ("heel_lift", "side", FOOT_REDRAWN,
     "Front heel lifting: the pose model could not follow the front foot (film with the phone lower or "
     "further away, so that it does not look steeply down at your feet)"),
    # the pelvis measured against a standing the pose model read the wrong way round
    ("pelvis_tilt", "front", TURNED_STANDING,
     "Pelvis tilting or rotating: the pose model read you the wrong way round while you stood between "
     "reps (film from a little further away, in good light, with your whole body in the picture)"),
])
def test_a_reason_of_the_pose_models_says_how_to_film(code: str, view: View, reason: str, want: str) -> None:
    """A mistake the view judges but the pose model could not read: the line says why in the report's
    own words and how to film."""
    exercise = load_exercise("reverse_lunge")
    hint = exercise.find_mistake(code).not_assessable_hint  # type: ignore[union-attr]
    filmed, _ = case_track("knee_tilt_front")
    analysis = replace(analyze_track(filmed, exercise).analysis, view=view, findings=(),
                       reps=(make_rep(1, make_finding(code, "not_assessable", reason=f"{reason}; {hint}")),))
    assert [u.line() for u in unjudged(analysis, exercise)] == [want]
