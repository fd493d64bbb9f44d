"""Issue 12's bars on every labelled real clip (pose tracks are shared with the other real tests).

Counts are exact on every clip (a lateral lunge counts none: it is not the exercise, and is found
as a ``not_a_lunge`` attempt; a clip whose feet are cut off counts its reps from the hips and knees)
and the working leg is right on at least 97 % of the matched reps; every counted rep's bottom lies
inside its labelled bottom hold (+/- 0.25 s).
"""

from __future__ import annotations

from typing import Any

import pytest

from formcoach.api import analyze_track
from formcoach.exercise import load_exercise

pytestmark = pytest.mark.slow


def _labelled_leg(rep: dict[str, Any]) -> str:
    return str(rep.get("leg_as_rendered") or rep["leg"])


def test_counts_and_legs_on_all_labelled_clips(real_track: Any, labels: dict[str, Any]) -> None:
    exercise = load_exercise("reverse_lunge")
    exact, legs_right, legs_total, outside_hold = 0, 0, 0, []
    for clip, label in labels.items():
        data = analyze_track(real_track(clip), exercise).to_dict()
        # a lateral lunge is not the exercise: nothing should be counted, an attempt says why
        lateral = [r for r in label["reps"] if r.get("type") == "lateral"]
        not_lunges = [a["bottom_s"] for a in data["attempts"] if a["reason"] == "not_a_lunge"]
        for rep in lateral:
            found = any(abs(t - rep["bottom_s"]) < 0.5 for t in not_lunges)
            assert found, (clip, rep["bottom_s"], not_lunges)
        truth = [] if label["lunge_type"] == "lateral" else [r for r in label["reps"]
                                                              if not r["partial"] and r not in lateral]
        exact += len(data["reps"]) == len(truth)
        if len(data["reps"]) != len(truth):
            continue
        for rep, want in zip(data["reps"], truth, strict=True):
            if want["leg"] in ("left", "right"):
                legs_total += 1
                legs_right += rep["leg"] == _labelled_leg(want)
            hold = [t for t in want.get("bottom_hold_s") or [] if t is not None]
            lo, hi = (min(hold), max(hold)) if hold else (want["bottom_s"], want["bottom_s"])
            if not lo - 0.25 <= rep["bottom_s"] <= hi + 0.25:
                outside_hold.append((clip, rep["index"]))
    assert exact == len(labels), f"exact counts on {exact}/{len(labels)} clips"
    assert legs_right >= 0.97 * legs_total, f"legs right on {legs_right}/{legs_total} reps"
    assert not outside_hold, outside_hold
