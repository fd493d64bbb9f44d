"""What the pages and the API show of a stored session, computed here so templates stay simple:
the API's JSON shape, dates and numbers in words, the exercises to choose from."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

#: The words a person reads for each job status.
STATUS_WORDS = {"queued": "Waiting to start", "running": "Analysing", "done": "Ready",
                "failed": "Could not be analysed", "interrupted": "Stopped by a restart"}
#: The fields of a session in ``GET /api/sessions`` (see docs/web-api.md).
SUMMARY_FIELDS = ("id", "status", "progress", "error", "filename", "exercise_id", "mirrored", "source",
                  "duration_s", "view", "reps_left", "reps_right", "sets", "lowering_median_s",
                  "rise_median_s", "depth_median")


def session_json(record: Any, with_analysis: bool = False) -> dict[str, Any]:
    """A session as the API's JSON object; ``analysis`` (the analysis JSON) when asked and done."""
    data: dict[str, Any] = {name: getattr(record, name) for name in SUMMARY_FIELDS}
    data["created_at"] = record.created_at.isoformat()
    data["progress"] = 1.0 if record.status == "done" else float(record.progress or 0.0)
    if with_analysis:
        data["analysis"] = record.analysis if record.status == "done" else None
    return data


@functools.cache
def exercise_choices() -> dict[str, str]:
    """The packaged exercises as ``{id: name}``, the guide's first one first."""
    from formcoach.exercise import list_exercises

    found = {ex.id: ex.name for ex in list_exercises()}
    first = {"reverse_lunge": found.pop("reverse_lunge")} if "reverse_lunge" in found else {}
    return {**first, **found}


def when(moment: dt.datetime | None) -> str:
    """A stored time as a person says it, in local time: "Mon 4 Dec, 18:05"."""
    if moment is None:
        return "–"
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def number(value: Any, digits: int = 1, unit: str = "") -> str:
    """``value`` rounded to ``digits``, with ``unit``; "–" for a missing value."""
    if not isinstance(value, (int, float)) or value != value:
        return "–"
    return f"{value:.{digits}f}{(' ' + unit) if unit else ''}"


def percent(value: Any) -> str:
    """A share 0..1 as a whole percentage ("40 %"); "–" when missing."""
    return number(value * 100 if isinstance(value, (int, float)) else None, 0, "%")


def status_word(status: str) -> str:
    """The words shown for a job status."""
    return STATUS_WORDS.get(status, status)


GLOBALS: dict[str, Any] = {"status_word": status_word, "exercise_choices": exercise_choices}
FILTERS: dict[str, Any] = {"when": when, "number": number, "percent": percent}
