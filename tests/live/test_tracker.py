"""Events from what the live loop sees: placement, the view, reps against the prescription, sets."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.coaching import CoachingEvent
from formcoach.exercise import load_exercise
from formcoach.live.announce import RepAnnouncement
from formcoach.live.events import PersonEvent, PlacementEvent, Progress, RepEvent, SetEvent
from formcoach.live.tracker import FEET, EventTracker, PrescriptionCounter, feet_in_picture
from formcoach.live.wording import FEET_OUT, NOBODY, judged, turn_advice

EXERCISE = load_exercise("reverse_lunge")


def person(feet_y: float = 0.9, visibility: float = 0.9) -> np.ndarray:
    """One person's (33, 4) image landmarks, the feet at height ``feet_y`` of the frame."""
    image = np.full((33, 4), 0.5)
    image[:, 3] = 0.9
    image[FEET, 1] = feet_y
    image[FEET, 3] = visibility
    return image


def announcement(number: int, leg: str, cue: str | None = None) -> RepAnnouncement:
    said = (CoachingEvent(number, 1.0, "cue", "heel_lift", cue),) if cue else ()
    return RepAnnouncement(number, leg, 2.0 * number, 2.0 * number + 1, 2.0, 1.0, said, 2.0 * number + 1.5)


def test_feet_must_be_inside_the_frame_and_seen() -> None:
    assert feet_in_picture(person())
    assert not feet_in_picture(person(feet_y=1.05))
    assert not feet_in_picture(person(visibility=0.2))


def test_the_person_comes_and_goes_and_placement_says_what_to_do() -> None:
    tracker = EventTracker(EXERCISE)
    assert tracker.frame(0.0, person(feet_y=1.1)) == [PersonEvent(0.0, True)]
    assert tracker.frame(0.1, person(feet_y=1.1)) == []
    events = tracker.analysis(0.5, None, [])
    assert events == [PlacementEvent(0.5, (FEET_OUT,))]
    for i in range(12):
        tracker.frame(0.6 + i / 10, person())
    assert tracker.analysis(1.7, None, []) == [PlacementEvent(1.7, ())]
    assert tracker.frame(2.0, None) == []  # one missed frame is not leaving
    assert tracker.frame(3.0, None) == [PersonEvent(3.0, False)]
    assert tracker.analysis(3.0, None, []) == [PlacementEvent(3.0, (NOBODY,))]
    assert tracker.idle_s(3.5) == pytest.approx(1.8)


def test_the_front_view_is_told_to_turn_sideways_for_the_side_only_mistakes() -> None:
    can, cannot = judged(EXERCISE, "front")
    assert "Knee caving in or out" in can and "Front heel lifting" in cannot
    # the two most severe mistakes only the side view judges, as the exercise file ranks them
    assert turn_advice(EXERCISE, "front") == ("Turn sideways to judge hip left bent at the top and too much "
                                              "weight on the back leg.")
    assert turn_advice(EXERCISE, "side") is None
    assert turn_advice(EXERCISE, "unknown") is None


def test_reps_count_against_the_prescription_and_a_full_set_starts_the_rest() -> None:
    tracker = EventTracker(EXERCISE)
    events = []
    for n in range(1, 17):
        leg, cue = "left" if n <= 8 else "right", "Heel down." if n == 3 else None
        events += tracker.rep(announcement(n, leg, cue))
    reps = [e for e in events if isinstance(e, RepEvent)]
    assert [r.progress.line() for r in reps[:2]] == ["Left 1/8 Right 0/8 · set 1 of 2",
                                                     "Left 2/8 Right 0/8 · set 1 of 2"]
    assert reps[2].cue == "Heel down." and reps[1].cue is None
    assert reps[-1].progress == Progress(1, 2, 8, 8, 8)
    assert events[-1] == SetEvent(reps[-1].t_s, 1, 60.0, False, Progress(2, 2, 0, 0, 8))
    assert events[-1].to_dict()["rest_s"] == 60.0 and events[-1].to_dict()["type"] == "set"


def test_the_last_set_needs_no_rest() -> None:
    counter = PrescriptionCounter(EXERCISE)
    ends = [counter.add(leg, 1.0)[1] for _ in range(2) for leg in ["left"] * 8 + ["right"] * 8]
    done = [e for e in ends if e is not None]
    assert [(e.set_number, e.rest_s, e.last) for e in done] == [(1, 60.0, False), (2, 0.0, True)]
