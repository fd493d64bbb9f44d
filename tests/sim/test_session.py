"""The session description: validation, mistake parsing, the demo session."""

from __future__ import annotations

import pytest

from formcoach.sim import Mistakes, SessionSpec, Tempo, make_demo_session, parse_mistake
from formcoach.sim.schedule import leg_sequence


def test_parse_mistake_accepts_aliases_and_full_names() -> None:
    assert parse_mistake("knee_caving=12") == ("knee_valgus_deg", 12.0)
    assert parse_mistake("heel_lift_cm=2.5") == ("heel_lift_cm", 2.5)
    assert parse_mistake("back_leg_weight=0.5") == ("front_weight_share", 0.5)


@pytest.mark.parametrize("text", ["knee", "nonsense=3", "knee_valgus=abc"])
def test_parse_mistake_rejects_bad_text(text: str) -> None:
    with pytest.raises(ValueError, match="mistake"):
        parse_mistake(text)


def test_out_of_range_values_are_named() -> None:
    with pytest.raises(ValueError, match="knee_valgus_deg"):
        Mistakes(knee_valgus_deg=60)
    with pytest.raises(ValueError, match="depth_deg"):
        SessionSpec(depth_deg=10)
    with pytest.raises(ValueError, match="lowering_s"):
        Tempo(lowering_s=0.1)


def test_leg_orders() -> None:
    alt = leg_sequence(SessionSpec(sets=2, reps_per_side=2))
    assert [leg for _, leg in alt] == ["left", "right"] * 4
    assert [s for s, _ in alt] == [0] * 4 + [1] * 4
    blocks = leg_sequence(SessionSpec(reps_per_side=2, leg_order="blocks", first_leg="right"))
    assert [leg for _, leg in blocks] == ["right", "right", "left", "left"]


def test_demo_session_has_two_moderate_mistakes_on_some_reps() -> None:
    spec = make_demo_session(3)
    assert spec.n_reps == 8 and spec.seed == 3
    applied = {k for k, v in spec.mistakes.as_dict().items() if v != Mistakes().as_dict()[k]}
    assert applied == {"hip_flexion_top_deg", "heel_lift_cm"}
    assert spec.mistake_reps is not None and 0 < len(spec.mistake_reps) < spec.n_reps
