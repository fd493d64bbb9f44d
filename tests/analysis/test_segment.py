"""The rep's phase edges: what makes a lowering a time."""

from __future__ import annotations

import numpy as np

from formcoach.analysis.segment import faster_than_falling, stood


def test_no_lowering_is_quicker_than_falling_its_drop() -> None:
    # falling 0.2 m from rest takes sqrt(2 * 0.2 / 9.81) = 0.202 s
    assert faster_than_falling(0.13, 0.2) and not faster_than_falling(0.21, 0.2)
    assert not faster_than_falling(0.05, 0.0) and not faster_than_falling(0.05, -0.1)


def test_standing_counts_when_it_lasts() -> None:
    t = np.arange(10) / 10  # 10 frames a second
    depth = np.array([0.5, 0.3, 0.15, 0.1, 0.12, 0.3, np.nan, 0.1, 0.4, 0.5])
    assert stood(t, depth, 0.2, 0.2)  # 0.2-0.4 s at or above standing
    assert not stood(t, depth, 0.2, 0.25)
    assert not stood(t, np.full(10, np.nan), 0.2, 0.0)
