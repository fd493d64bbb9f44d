"""Sets from rests and leg switches, progress against the prescription, and tempo verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from formcoach.analysis.reps import Rep
from formcoach.vocab import TempoVerdict


@dataclass(frozen=True)
class SetSummary:
    """One set: its counted reps per leg, against the prescription of ``target`` reps per side."""

    index: int
    start_s: float
    end_s: float
    left: int
    right: int
    target: int

    def progress(self) -> str:
        """For example "set 1: left 8/8, right 7/8"."""
        return f"set {self.index}: left {self.left}/{self.target}, right {self.right}/{self.target}"


def _block_starts(legs: Sequence[str]) -> np.ndarray:
    """Indices where a run of same-leg reps begins."""
    arr = np.array(legs)
    return np.concatenate(([0], np.flatnonzero(arr[1:] != arr[:-1]) + 1)) if len(arr) else np.zeros(0, int)


def set_numbers(reps: list[Rep], set_rest_s: float) -> list[int]:
    """1-based set number of each counted rep, in order.

    A new set starts after a pause longer than ``set_rest_s``, or when, with no such pause, a block
    of single-leg reps comes back to a leg that already had a block of two or more in this set (8
    left, 8 right, then left again). Alternating legs (L R L R) never split a set by themselves.
    """
    if not reps:
        return []
    starts = np.array([r.start_s for r in reps])
    ends = np.array([r.end_s for r in reps])
    legs = [r.leg for r in reps]
    rest = np.concatenate(([False], starts[1:] - ends[:-1] > set_rest_s))
    blocks = _block_starts(legs)
    stops = np.concatenate((blocks[1:], [len(reps)]))
    numbers = np.ones(len(reps), dtype=int)
    current, done = 1, {"left": 0, "right": 0}
    for b, e in zip(blocks, stops, strict=True):
        leg = legs[b]
        if rest[b:e].any() or (done[leg] >= 2 and min(done.values()) >= 2):
            current, done = current + 1, {"left": 0, "right": 0}
        numbers[b:e] = current
        done[leg] = max(done[leg], e - b)
        extra = np.flatnonzero(rest[b + 1:e])
        if len(extra):
            current, done = current + 1, {"left": 0, "right": 0}
            numbers[b + 1 + extra[0]:e] = current
    return [int(n) for n in numbers]


def summarise_sets(reps: list[Rep], numbers: list[int], target_per_side: int) -> list[SetSummary]:
    """Per set, counted reps per leg and the time it spans."""
    out = []
    for n in sorted(set(numbers)):
        mine = [r for r, k in zip(reps, numbers, strict=True) if k == n]
        out.append(SetSummary(index=n, start_s=mine[0].start_s, end_s=mine[-1].end_s,
                              left=sum(r.leg == "left" for r in mine),
                              right=sum(r.leg == "right" for r in mine), target=target_per_side))
    return out


@dataclass(frozen=True)
class Tempo:
    """Tempo of one rep against the exercise file: "ok", "fast" or "slow" per phase."""

    lowering: TempoVerdict
    rise: TempoVerdict


def tempo_verdict(lowering_s: float, rise_s: float, *, lowering_s_min: float, rise_s_min: float,
                  rise_s_max: float, tolerance_s: float) -> Tempo:
    """Lowering faster than ``lowering_s_min`` is "fast"; a rise outside ``rise_s_min..rise_s_max``
    is "fast" or "slow". Measurements within ``tolerance_s`` of a limit pass (seconds)."""
    lowering: TempoVerdict = "fast" if lowering_s < lowering_s_min - tolerance_s else "ok"
    rise: TempoVerdict
    if rise_s < rise_s_min - tolerance_s:
        rise = "fast"
    elif rise_s > rise_s_max + tolerance_s:
        rise = "slow"
    else:
        rise = "ok"
    return Tempo(lowering, rise)
