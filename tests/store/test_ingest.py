"""What the history keeps of an analysis JSON's reps."""

from __future__ import annotations

from tests.results import make_rep

from formcoach.store.ingest import REP_KEYS, rep_values


def test_a_rep_whose_feet_were_cut_off_keeps_no_depth() -> None:
    """Its depth came from feet the pose model guessed: the history's depth trend leaves it out."""
    seen, cut = make_rep(1).to_dict(), {**make_rep(2).to_dict(), "feet_seen": False}
    rows = rep_values({"reps": [seen, cut]})
    assert [set(row) for row in rows] == [set(REP_KEYS)] * 2
    assert rows[0]["depth"] == seen["depth"] and rows[1]["depth"] is None
    old = {k: v for k, v in seen.items() if k != "feet_seen"}  # an analysis from before the key
    assert rep_values({"reps": [old]})[0]["depth"] == seen["depth"]
