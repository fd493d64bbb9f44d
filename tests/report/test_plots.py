"""The report's plots: the left/right bars' axis."""

from __future__ import annotations

import math

import numpy as np

from formcoach.report.plots import bar_limits, sides_plot


def test_bars_that_are_all_zero_get_an_axis_from_0_to_1_not_around_0() -> None:
    """No fault on either leg: 0 to 1 faults per rep, not -0.04..0.04."""
    assert bar_limits(np.array([0.0, 0.0])) == (0.0, 1.0)
    assert bar_limits(np.array([0.0, math.nan])) == (0.0, 1.0)


def test_bars_with_a_value_start_at_0_and_keep_their_own_top() -> None:
    assert bar_limits(np.array([0.0, 2.5])) == (0.0, None)
    assert bar_limits(np.array([math.nan, 71.0])) == (0.0, None)


def test_the_left_right_plot_is_a_png_with_zero_and_missing_bars() -> None:
    png = sides_plot({"reps": {"left": 3.0, "right": 1.0}, "faults per rep": {"left": 0.0, "right": 0.0},
                      "lowering (s)": {"left": math.nan, "right": math.nan}})
    assert png.startswith(b"\x89PNG")
