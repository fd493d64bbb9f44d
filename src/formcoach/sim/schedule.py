"""The session's timetable: when each rep starts, bottoms out and ends, with which leg in front."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from formcoach.sim.session import Leg, Mistakes, SessionSpec

#: ``solver(depth_deg, mistakes) -> offset_deg`` (see ``motion.solve_share_offset``).
ShareSolver = Callable[[float, Mistakes], float]


@dataclass(frozen=True)
class RepPlan:
    """One rep as planned: times in seconds from the start of the video, its leg and magnitudes.

    The rep runs from ``start_s`` (the lowering begins) to ``end_s`` (standing again); the hold
    at the bottom lasts from ``bottom_start_s`` to ``bottom_end_s``; ``top_s`` is the standing
    time after it (including any rest before the next set).
    """

    index: int
    set_index: int
    leg: Leg
    start_s: float
    bottom_start_s: float
    bottom_end_s: float
    end_s: float
    top_s: float
    depth_deg: float
    mistakes: Mistakes
    faulty: bool
    share_offset_deg: float

    @property
    def bottom_s(self) -> float:
        """Middle of the hold at the bottom, seconds."""
        return 0.5 * (self.bottom_start_s + self.bottom_end_s)

    @property
    def lowering_s(self) -> float:
        """Duration of the lowering, seconds."""
        return self.bottom_start_s - self.start_s

    @property
    def rise_s(self) -> float:
        """Duration of the rise, seconds."""
        return self.end_s - self.bottom_end_s


def leg_sequence(spec: SessionSpec) -> list[tuple[int, Leg]]:
    """(set index, front leg) of every rep in order."""
    first: Leg = spec.first_leg
    other: Leg = "right" if first == "left" else "left"
    out: list[tuple[int, Leg]] = []
    for s in range(spec.sets):
        if spec.leg_order == "alternate":
            legs = [first, other] * spec.reps_per_side
        else:
            legs = [first] * spec.reps_per_side + [other] * spec.reps_per_side
        out += [(s, leg) for leg in legs]
    return out


def plan_reps(spec: SessionSpec, share_solver: ShareSolver) -> tuple[RepPlan, ...]:
    """Every rep's times and magnitudes, with the tempo jittered reproducibly by ``spec.seed``."""
    rng = np.random.default_rng(spec.seed)
    sequence = leg_sequence(spec)
    jitter = np.clip(rng.normal(0.0, spec.tempo_jitter, (len(sequence), 5)),
                     -2 * spec.tempo_jitter, 2 * spec.tempo_jitter)
    tempo = spec.tempo
    clean = Mistakes()
    cache: dict[tuple[float, float, float], float] = {}
    reps: list[RepPlan] = []
    t = spec.lead_in_s
    for i, (set_index, leg) in enumerate(sequence):
        j = 1.0 + jitter[i]
        lower, hold, rise, top = (tempo.lowering_s * j[0], tempo.bottom_s * j[1],
                                  tempo.rise_s * j[2], tempo.top_s * j[3])
        last_of_set = i + 1 < len(sequence) and sequence[i + 1][0] != set_index
        top += spec.rest_s if last_of_set else 0.0
        faulty = spec.mistake_reps is None or i in spec.mistake_reps
        mistakes = spec.mistakes if faulty else clean
        depth = float(np.clip(spec.depth_deg * (1.0 + 0.4 * jitter[i, 4]), 30.0, 120.0))
        key = (round(depth, 3), mistakes.front_weight_share, mistakes.trunk_lean_deg)
        if key not in cache:
            cache[key] = share_solver(depth, mistakes)
        reps.append(RepPlan(i, set_index, leg, t, t + lower, t + lower + hold, t + lower + hold + rise,
                            top, depth, mistakes, faulty and mistakes != clean, cache[key]))
        t += lower + hold + rise + top
    return tuple(reps)
