"""Exercise files: the guide's domain knowledge as validated, typed data.

``load_exercise("reverse_lunge")`` (or a path to a YAML file) returns an :class:`Exercise`;
``list_exercises()`` returns the packaged ones. The renderers (``render_text``, ``render_markdown``,
``render_html``, ``render_json``) are imported on demand so the analysis core never loads Rich or
Jinja2.
"""

from __future__ import annotations

from formcoach.exercise.loader import exercise_ids, list_exercises, load_exercise, parse_exercise
from formcoach.exercise.quantity import Quantity, QuantityRange
from formcoach.exercise.schema import (
    FINDING_IDS,
    MISTAKE_IDS,
    Check,
    Cue,
    Exercise,
    Mistake,
    Prescription,
    RepDetection,
    Tempo,
)
from formcoach.exercise.units import SIGNALS, UNITS

__all__ = [
    "FINDING_IDS",
    "MISTAKE_IDS",
    "SIGNALS",
    "UNITS",
    "Check",
    "Cue",
    "Exercise",
    "Mistake",
    "Prescription",
    "Quantity",
    "QuantityRange",
    "RepDetection",
    "Tempo",
    "exercise_ids",
    "list_exercises",
    "load_exercise",
    "parse_exercise",
]
