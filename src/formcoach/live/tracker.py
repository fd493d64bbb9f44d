"""From what the live loop sees to the events a person follows: visible or not, placement, view,
each rep against the prescription, sets and rests, and the summary. Pure logic: no I/O.

The loop calls :meth:`EventTracker.frame` for every frame analysed, :meth:`EventTracker.analysis`
after every live analysis with the reps newly announced, and :meth:`EventTracker.summary` at the
end; each returns the events to send, in order. An event is sent only when something changed.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from formcoach.api import SessionResult
from formcoach.coaching import cue_texts, top_cues
from formcoach.exercise import Exercise
from formcoach.live import wording
from formcoach.live.announce import RepAnnouncement
from formcoach.live.events import (
    LiveEvent,
    PersonEvent,
    PlacementEvent,
    Progress,
    RepEvent,
    SetEvent,
    SummaryEvent,
    ViewEvent,
)
from formcoach.track import LM

#: The feet's landmarks: ankles, heels and toes.
FEET = [LM[f"{side}_{part}"] for side in ("left", "right") for part in ("ankle", "heel", "foot_index")]
#: A foot landmark the pose model is less sure of than this is taken as out of the picture.
MIN_FOOT_VISIBILITY = 0.5
#: Placement is judged on this many seconds of the latest frames.
PLACEMENT_WINDOW_S = 1.0
#: Nobody is "gone" until unseen for this long, seconds (one missed frame is not leaving).
GONE_AFTER_S = 1.0


def feet_in_picture(image: np.ndarray) -> bool:
    """True when the feet's landmarks of one person's ``image`` (33, 4: x, y in [0, 1] of the frame,
    z, visibility) all lie inside the frame and the model sees them."""
    feet = image[FEET]
    inside = (feet[:, 0] >= 0.0) & (feet[:, 0] <= 1.0) & (feet[:, 1] <= 1.0)
    return bool(inside.all() and np.median(feet[:, 3]) >= MIN_FOOT_VISIBILITY)


class PrescriptionCounter:
    """Reps per leg in the current set against the exercise's prescription; a set is done when both
    legs reached the reps per side."""

    def __init__(self, exercise: Exercise) -> None:
        p = exercise.prescription
        self.sets, self.per_side = int(p.sets), int(p.reps_per_side)
        self.rest_s = float(p.rest_between_sets_s)
        self.set_number, self.counts = 1, {"left": 0, "right": 0}
        self.sets_done = 0

    def progress(self) -> Progress:
        """Where the current set stands."""
        return Progress(self.set_number, self.sets, self.counts["left"], self.counts["right"], self.per_side)

    def add(self, leg: str, t_s: float) -> tuple[Progress, SetEvent | None]:
        """Count a rep of ``leg`` at ``t_s``: the progress with it, and the set's end (with the rest
        before the next set, seconds) when it completed one."""
        if leg in self.counts:
            self.counts[leg] += 1
        after = self.progress()
        if min(self.counts.values()) < self.per_side:
            return after, None
        done, self.sets_done = self.set_number, self.sets_done + 1
        last = done >= self.sets
        self.set_number, self.counts = done + 1, {"left": 0, "right": 0}
        return after, SetEvent(t_s, done, 0.0 if last else self.rest_s, last, self.progress())


class EventTracker:
    """The state behind the events of one live session (see the module docstring)."""

    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise
        self.counter = PrescriptionCounter(exercise)
        self.visible = False
        self.last_seen_s = 0.0
        self.feet: deque[tuple[float, bool]] = deque()
        self.view = "unknown"
        self.advice: tuple[str, ...] | None = None
        self.announced: list[RepEvent] = []

    def idle_s(self, t_s: float) -> float:
        """Seconds of footage up to ``t_s`` since the person was last seen."""
        return t_s - self.last_seen_s

    def frame(self, t_s: float, image: np.ndarray | None) -> list[LiveEvent]:
        """Note one analysed frame at ``t_s`` with the followed person's image landmarks (None when
        nobody is seen); the person-visible event when that changed."""
        if image is not None:
            self.last_seen_s = t_s
            self.feet.append((t_s, feet_in_picture(image)))
        while self.feet and self.feet[0][0] < t_s - PLACEMENT_WINDOW_S:
            self.feet.popleft()
        visible = image is not None or (self.visible and t_s - self.last_seen_s < GONE_AFTER_S)
        if visible == self.visible:
            return []
        self.visible = visible
        return [PersonEvent(t_s, visible)]

    def analysis(self, t_s: float, result: SessionResult | None,
                 reps: list[RepAnnouncement]) -> list[LiveEvent]:
        """The events after a live analysis at ``t_s``: the view when it changed, placement advice when
        it changed, and one event per newly announced rep (and per completed set)."""
        events: list[LiveEvent] = []
        if result is not None and result.analysis.views:
            view = str(result.analysis.views[-1].view)
            if view != self.view:
                self.view = view
                can, cannot = wording.judged(self.exercise, view)
                events.append(ViewEvent(t_s, view, can, cannot))
        advice = self.placement()
        if advice != self.advice:
            self.advice = advice
            events.append(PlacementEvent(t_s, advice))
        for rep in reps:
            events.extend(self.rep(rep))
        return events

    def placement(self) -> tuple[str, ...]:
        """What the person should change now (empty when nothing)."""
        if not self.visible:
            return (wording.NOBODY,)
        advice = []
        if self.feet and sum(ok for _, ok in self.feet) < len(self.feet) / 2:
            advice.append(wording.FEET_OUT)
        turn = wording.turn_advice(self.exercise, self.view)
        if turn:
            advice.append(turn)
        return tuple(advice)

    def rep(self, rep: RepAnnouncement) -> list[LiveEvent]:
        """The rep's event with the progress after it, then the set's end when it completed one."""
        said = {event.kind: event.text for event in rep.coaching}
        progress, done = self.counter.add(rep.leg, rep.footage_s)
        event = RepEvent(rep.footage_s, rep.number, rep.leg, rep.end_s, rep.lowering_s, rep.rise_s,
                         said.get("cue"), said.get("praise"), progress)
        self.announced.append(event)
        return [event] if done is None else [event, done]

    def summary(self, t_s: float, result: SessionResult, analysed: int, dropped: int,
                reason: str) -> SummaryEvent:
        """The session's summary from the final analysis ``result``."""
        reps = result.analysis.reps
        work_on = tuple(text.cue for text, _ in top_cues(reps, cue_texts(self.exercise)))
        left = sum(rep.leg == "left" for rep in reps)
        right = sum(rep.leg == "right" for rep in reps)
        return SummaryEvent(t_s, len(reps), left, right, self.counter.sets_done,
                            work_on, analysed, dropped, reason)
