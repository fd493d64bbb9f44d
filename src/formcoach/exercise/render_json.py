"""The exercise as JSON: exactly ``Exercise.model_dump(mode="json")``, so it loads back unchanged."""

from __future__ import annotations

import json

from formcoach.exercise.schema import Exercise


def render_json(exercise: Exercise, *, indent: int | None = 2) -> str:
    """Return the exercise as a JSON document (a str ending in a newline); units stay in the data."""
    return json.dumps(exercise.model_dump(mode="json"), indent=indent, ensure_ascii=False) + "\n"
