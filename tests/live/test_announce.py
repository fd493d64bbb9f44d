"""Announcing reps: each once, in order, only once settled, whatever later analyses re-time."""

from __future__ import annotations

import math

import pytest
from tests.results import make_rep

from formcoach.analysis.result import RepResult
from formcoach.coaching import CoachingEvent
from formcoach.live.announce import RepAnnouncer
from formcoach.vocab import Leg


def rep(index: int, leg: Leg, bottom_s: float, end_s: float | None, lowering_s: float | None = 2.4,
        rise_s: float | None = 1.1) -> RepResult:
    """A counted rep (None: not measured)."""
    nan = math.nan
    return make_rep(index, leg=leg, bottom_s=bottom_s, end_s=nan if end_s is None else end_s,
                    lowering_s=nan if lowering_s is None else lowering_s,
                    rise_s=nan if rise_s is None else rise_s)


def test_a_rep_is_announced_once_though_later_analyses_retime_it() -> None:
    announcer = RepAnnouncer(tolerance_s=0.5, settle_s=0.2)
    first = announcer.update([rep(1, "left", 3.00, 4.3)], [], now_s=4.6)
    assert [a.line() for a in first] == ["rep 1 · left · lowering 2.4 s · rise 1.1 s"]
    # the next analyses move the bottom by a few frames and find the second rep
    assert announcer.update([rep(1, "left", 3.07, 4.31)], [], now_s=5.1) == []
    second = announcer.update([rep(1, "left", 2.96, 4.29), rep(2, "right", 7.1, 8.3, 2.0, None)], [],
                              now_s=8.6)
    assert [(a.number, a.leg, a.line()) for a in second] == [
        (2, "right", "rep 2 · right · lowering 2.0 s · rise -")]
    assert second[0].footage_s == 8.6


def test_a_rep_waits_until_its_end_has_settled() -> None:
    announcer = RepAnnouncer(settle_s=0.2)
    assert announcer.update([rep(1, "left", 3.0, 4.3)], [], now_s=4.4) == []
    assert [a.number for a in announcer.update([rep(1, "left", 3.0, 4.35)], [], now_s=4.6)] == [1]


def test_at_the_end_everything_left_is_announced_in_order_of_bottoms() -> None:
    announcer = RepAnnouncer()
    done = announcer.update([rep(2, "right", 7.0, 8.3), rep(1, "left", 3.0, 4.3)], [], now_s=math.inf)
    assert [(a.number, a.leg) for a in done] == [(1, "left"), (2, "right")]


def test_the_coachs_words_go_with_their_rep() -> None:
    events = [CoachingEvent(2, 8.3, "cue", "hip_not_extended", "Stand tall and squeeze the glutes."),
              CoachingEvent(3, 12.0, "praise", "hip_not_extended", "Better.")]
    announced = RepAnnouncer().update([rep(1, "left", 3.0, 4.3), rep(2, "right", 7.0, 8.3)], events,
                                      now_s=9.0)
    assert [a.coaching_lines() for a in announced] == [[], ["  → Stand tall and squeeze the glutes."]]


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="tolerance_s"):
        RepAnnouncer(tolerance_s=0.0)
    with pytest.raises(ValueError, match="settle_s"):
        RepAnnouncer(settle_s=-1.0)
