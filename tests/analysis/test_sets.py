"""Sets from rests and leg switches; progress against the prescription; tempo verdicts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from formcoach.analysis.reps import Rep
from formcoach.analysis.sets import set_numbers, summarise_sets, tempo_verdict

BASE = Rep(leg="left", start_s=0.0, bottom_s=1.0, deepest_s=1.0, end_s=2.0, lowering_s=1.0, bottom_hold_s=0.0,
           rise_s=1.0, depth=1.0, front_knee_flexion_deg=90.0, back_knee_flexion_deg=90.0, leg_confidence=1.0,
           lunge_type="reverse", complete=True, reason="", frames=(0, 1, 2))


def reps(legs: str, gap_s: float = 1.0, rest_after: int = -1, rest_s: float = 60.0) -> list[Rep]:
    out, t = [], 0.0
    for i, c in enumerate(legs):
        out.append(replace(BASE, leg="left" if c == "L" else "right", start_s=t, end_s=t + 3.0))
        t += 3.0 + (rest_s if i == rest_after else gap_s)
    return out


def test_rest_starts_a_new_set() -> None:
    assert set_numbers(reps("LLRR", rest_after=1, rest_s=30.0), set_rest_s=8.0) == [1, 1, 2, 2]


def test_blocks_of_legs_without_rest_make_sets() -> None:
    assert set_numbers(reps("LLLRRRLLLRRR"), set_rest_s=8.0) == [1] * 6 + [2] * 6


def test_alternating_legs_stay_one_set() -> None:
    assert set_numbers(reps("LRLRLRLR"), set_rest_s=8.0) == [1] * 8


def test_progress_against_prescription() -> None:
    r = reps("L" * 8 + "R" * 7 + "L" * 2, rest_after=14)
    sets = summarise_sets(r, set_numbers(r, 8.0), target_per_side=8)
    assert [s.progress() for s in sets] == ["set 1: left 8/8, right 7/8", "set 2: left 2/8, right 0/8"]


@pytest.mark.parametrize(("lowering", "rise", "want"), [
    (2.5, 1.0, ("ok", "ok")), (1.0, 1.0, ("fast", "ok")), (2.5, 0.3, ("ok", "fast")),
    (2.5, 3.0, ("ok", "slow")), (1.9, 0.7, ("ok", "ok")),
])
def test_tempo_against_the_exercise_numbers(lowering: float, rise: float, want: tuple[str, str]) -> None:
    got = tempo_verdict(lowering, rise, lowering_s_min=2.0, rise_s_min=0.75, rise_s_max=2.0, tolerance_s=0.15)
    assert (got.lowering, got.rise) == want
