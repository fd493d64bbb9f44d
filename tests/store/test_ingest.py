"""What the history keeps of an analysis JSON's reps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.results import make_rep

from formcoach.analysis.sets import Tempo
from formcoach.store.ingest import PHASE_KEYS, REP_KEYS, rep_values, session_values

if TYPE_CHECKING:
    from formcoach.api import SessionResult


def test_a_rep_whose_feet_were_cut_off_keeps_no_depth() -> None:
    """Its depth came from feet the pose model guessed: the history's depth trend leaves it out."""
    seen, cut = make_rep(1).to_dict(), {**make_rep(2).to_dict(), "feet_seen": False}
    rows = rep_values({"reps": [seen, cut]})
    assert [set(row) for row in rows] == [set(REP_KEYS)] * 2
    assert rows[0]["depth"] == seen["depth"] and rows[1]["depth"] is None
    old = {k: v for k, v in seen.items() if k != "feet_seen"}  # an analysis from before the key
    assert rep_values({"reps": [old]})[0]["depth"] == seen["depth"]


def test_phase_times_are_kept_only_for_reps_the_view_could_time(result: SessionResult) -> None:
    """The report's lowering and rise times cover the reps with a tempo verdict; so do the history's
    per-rep rows and the session's medians (a front view's untimed reps read their phases wrongly)."""
    timed = make_rep(1, lowering_s=2.5, rise_s=1.0, tempo=Tempo("ok", "ok")).to_dict()
    untimed = make_rep(2, lowering_s=0.8, rise_s=3.0).to_dict()
    rows = rep_values({"reps": [timed, untimed]})
    assert [rows[0][k] for k in PHASE_KEYS] == [timed[k] for k in PHASE_KEYS]
    assert [rows[1][k] for k in PHASE_KEYS] == [None, None, None]
    assert rows[1]["depth"] == untimed["depth"] and rows[1]["bottom_s"] == untimed["bottom_s"]

    data = result.to_dict()
    data["reps"] = [timed, untimed, {**timed, "lowering_s": 3.5, "rise_s": 1.4}]
    values = session_values(result, data)
    assert values["lowering_median_s"] == 3.0 and values["rise_median_s"] == 1.2
    data["reps"] = [untimed]
    values = session_values(result, data)
    assert values["lowering_median_s"] is None and values["rise_median_s"] is None
