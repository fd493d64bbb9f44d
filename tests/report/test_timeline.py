"""The annotated video's timeline: phases, counters and captions at each frame time."""

from __future__ import annotations

import numpy as np
from tests.results import make_rep

from formcoach.coaching import CoachingEvent
from formcoach.report.timeline import PHASES, build_timeline

REPS = [
    make_rep(1, leg="left", start_s=1.0, end_s=4.0, lowering_s=1.5, rise_s=1.0),
    make_rep(2, leg="right", start_s=5.0, end_s=8.0, lowering_s=1.0, rise_s=1.0),
]


def test_phases_follow_the_rep_times() -> None:
    times = np.array([0.5, 1.2, 2.8, 3.5, 4.5, 5.5])
    timeline = build_timeline(times, REPS, [])
    assert [PHASES[p] for p in timeline.phase] == [
        "standing",
        "lowering",
        "bottom",
        "rising",
        "standing",
        "lowering",
    ]
    assert timeline.rep.tolist() == [0, 1, 1, 1, 0, 2]
    assert timeline.leg.tolist() == ["", "left", "left", "left", "", "right"]


def test_counters_count_finished_reps_per_leg() -> None:
    timeline = build_timeline(np.array([3.9, 4.0, 7.9, 8.0, 9.0]), REPS, [])
    assert timeline.done_left.tolist() == [0, 1, 1, 1, 1]
    assert timeline.done_right.tolist() == [0, 0, 0, 1, 1]


def test_captions_show_for_a_while_and_the_next_replaces_them() -> None:
    events = [
        CoachingEvent(1, 4.0, "cue", "hip_drop", "Level hips."),
        CoachingEvent(2, 5.0, "praise", "hip_drop", "Better."),
    ]
    timeline = build_timeline(np.array([3.0, 4.5, 5.5, 7.9, 8.1]), REPS, events, caption_s=3.0)
    assert timeline.caption.tolist() == [-1, 0, 1, 1, -1]
    assert timeline.captions[1].kind == "praise"
