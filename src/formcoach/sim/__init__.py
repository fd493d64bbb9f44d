"""A synthetic athlete: lunge sessions with exact ground truth, rendered as video.

``simulate(spec)`` is numpy-only; rendering (OpenCV, PyAV) is imported only when a video is made.
"""

from formcoach.sim.api import SimPaths, render_session
from formcoach.sim.body import BodyShape
from formcoach.sim.camera import Camera, place_camera
from formcoach.sim.motion import Simulation, simulate
from formcoach.sim.session import (
    APPEARANCES,
    Appearance,
    Mistakes,
    SessionSpec,
    Tempo,
    make_demo_session,
    parse_mistake,
)

__all__ = ["APPEARANCES", "Appearance", "BodyShape", "Camera", "Mistakes", "SessionSpec", "SimPaths",
           "Simulation", "Tempo", "make_demo_session", "parse_mistake", "place_camera",
           "render_session", "simulate"]
