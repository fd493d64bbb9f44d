"""Shared simulations for the simulator tests (numpy only, milliseconds each).

Helpers are handed out as fixtures (the suite runs with ``--import-mode=importlib``, where test
modules cannot import each other).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from formcoach.sim import Mistakes, SessionSpec, Tempo, simulate
from formcoach.sim.motion import Simulation

FPS = 60.0


def short_spec(**kwargs: object) -> SessionSpec:
    """One rep per leg with a short tempo; keyword arguments override fields."""
    base: dict[str, object] = {"reps_per_side": 1, "tempo": Tempo(1.2, 0.3, 0.9, 0.4),
                               "lead_in_s": 0.4, "lead_out_s": 0.4}
    base.update(kwargs)
    return SessionSpec(**base)  # type: ignore[arg-type]


def faulty_sim(**magnitudes: float) -> Simulation:
    """A short session with the given mistake magnitudes on every rep, sampled at 60 fps."""
    return simulate(short_spec(mistakes=Mistakes(**magnitudes)), fps=FPS)


def front_joint(sim: Simulation, joint: str) -> np.ndarray:
    """(T, 3) the joint of the leg in front at each frame (simulator world frame)."""
    p = sim.skeleton.points
    return np.asarray(np.where((sim.channels.side > 0)[:, None], p[f"{joint}_l"], p[f"{joint}_r"]))


def back_joint(sim: Simulation, joint: str) -> np.ndarray:
    """(T, 3) the joint of the leg behind at each frame."""
    p = sim.skeleton.points
    return np.asarray(np.where((sim.channels.side > 0)[:, None], p[f"{joint}_r"], p[f"{joint}_l"]))


def bottom_frame_index(sim: Simulation) -> np.ndarray:
    """Index of the frame nearest each rep's bottom."""
    return np.array([int(round(r.bottom_s * sim.fps)) for r in sim.reps])


@pytest.fixture(scope="module")
def clean() -> Simulation:
    """A clean short session at 60 fps."""
    return simulate(short_spec(), fps=FPS)


@pytest.fixture
def make_spec() -> Callable[..., SessionSpec]:
    """``make_spec(**fields)``: a short session (one rep per leg) with fields overridden."""
    return short_spec


@pytest.fixture
def faulty() -> Callable[..., Simulation]:
    """``faulty(**magnitudes)``: a short 60 fps session with those mistakes on every rep."""
    return faulty_sim


@pytest.fixture
def front() -> Callable[[Simulation, str], np.ndarray]:
    """``front(sim, joint)``: (T, 3) that joint of the leg in front."""
    return front_joint


@pytest.fixture
def back() -> Callable[[Simulation, str], np.ndarray]:
    """``back(sim, joint)``: (T, 3) that joint of the leg behind."""
    return back_joint


@pytest.fixture
def bottom_frames() -> Callable[[Simulation], np.ndarray]:
    """``bottom_frames(sim)``: index of the frame nearest each rep's bottom."""
    return bottom_frame_index
