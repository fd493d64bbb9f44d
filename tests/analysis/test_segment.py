"""The rep's phase edges: what makes a lowering a time."""

from __future__ import annotations

from formcoach.analysis.segment import faster_than_falling


def test_no_lowering_is_quicker_than_falling_its_drop() -> None:
    # falling 0.2 m from rest takes sqrt(2 * 0.2 / 9.81) = 0.202 s
    assert faster_than_falling(0.13, 0.2) and not faster_than_falling(0.21, 0.2)
    assert not faster_than_falling(0.05, 0.0) and not faster_than_falling(0.05, -0.1)
