"""From an analysis result to the values of the store's rows: pure, no database.

A result is read only through its public contract: ``result.to_dict()`` (the analysis JSON,
format ``formcoach.analysis`` v1, ``docs/analysis-json.md``), ``result.exercise`` (``id``,
``version``), ``result.track.meta["model"]`` and ``result.video``. Nothing of the analysis
internals, so their refactors do not reach the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import statistics
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

ANALYSIS_FORMAT = "formcoach.analysis"
ANALYSIS_VERSION = 1
CHUNK_BYTES = 1 << 20


class Result(Protocol):
    """What the store needs of a ``formcoach.SessionResult``."""

    @property
    def exercise(self) -> Any:
        """The exercise (its ``id`` and ``version``)."""

    @property
    def track(self) -> Any:
        """The pose track (its ``meta`` may name the pose ``model``)."""

    @property
    def video(self) -> Path | None:
        """The analysed video, None for a pose-track file."""

    def to_dict(self) -> dict[str, Any]:
        """The analysis JSON object."""


def video_sha256(path: Path | str) -> str:
    """The SHA-256 of a file's content as 64 hex digits, read in 1 MiB chunks (any size of file)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def week_of(when: dt.datetime) -> dt.date:
    """The Monday that starts ``when``'s week, in local time."""
    local = when.astimezone().date()
    return local - dt.timedelta(days=local.weekday())


def _median(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return float(statistics.median(kept)) if kept else None


def check_analysis(data: dict[str, Any]) -> None:
    """Refuse anything but the analysis JSON this store understands (``ValueError``)."""
    if data.get("format") != ANALYSIS_FORMAT or data.get("version") != ANALYSIS_VERSION:
        raise ValueError(f"expected analysis JSON {ANALYSIS_FORMAT} v{ANALYSIS_VERSION}, got "
                         f"{data.get('format')!r} v{data.get('version')!r}")


def session_values(result: Result, data: dict[str, Any]) -> dict[str, Any]:
    """The session row's analysis columns, from ``result`` and its ``data = result.to_dict()``,
    with ``analysis_json``: exactly what ``formcoach analyze --json`` prints (``json.dumps``)."""
    check_analysis(data)
    reps = data["reps"]
    meta = getattr(result.track, "meta", None) or {}
    values = {
        "exercise_id": str(result.exercise.id), "exercise_version": int(result.exercise.version),
        "model": meta.get("model"), "mirrored": bool(data["mirrored"]), "duration_s": data["duration_s"],
        "view": data["view"], "lunge_type": data["lunge_type"],
        "reps_left": data["counts"]["left"], "reps_right": data["counts"]["right"], "sets": len(data["sets"]),
        "lowering_median_s": _median(r["lowering_s"] for r in reps if _timed(r)),
        "rise_median_s": _median(r["rise_s"] for r in reps if _timed(r)),
        "depth_median": _median(_depth(r) for r in reps),
        "analysis_json": json.dumps(data),
    }
    return values


REP_KEYS = ("index", "set", "leg", "start_s", "bottom_s", "end_s", "lowering_s", "bottom_hold_s", "rise_s",
            "depth")
FINDING_KEYS = ("rep", "leg", "code", "verdict", "measured", "limit", "unit", "confidence")


def _depth(rep: dict[str, Any]) -> float | None:
    """A rep's depth (share of a full lunge), None where its feet were out of the picture (a guess)."""
    return rep["depth"] if rep.get("feet_seen", True) else None


#: a rep's phase times, kept only where the camera view could time them (:func:`_timed`)
PHASE_KEYS = ("lowering_s", "bottom_hold_s", "rise_s")


def _timed(rep: dict[str, Any]) -> bool:
    """Whether the camera view could time the rep's phases: it has a ``tempo`` verdict. The report's
    lowering and rise times cover these reps only (from the front or behind the rep's start and end
    come too late or too early to time it), and so does the history."""
    return rep.get("tempo") is not None


def rep_values(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One dict per counted rep of the analysis JSON (attempts are kept in the JSON only); no depth
    for a rep whose feet were out of the picture, no phase times (lowering, hold, rise) for a rep
    the view could not time (:func:`_timed`)."""
    out = []
    for rep in data["reps"]:
        row = {**{key: rep[key] for key in REP_KEYS}, "depth": _depth(rep)}
        if not _timed(rep):
            row.update(dict.fromkeys(PHASE_KEYS))
        out.append(row)
    return out


def finding_values(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One dict per finding: every rep's findings, then the session's (``rep`` None)."""
    found = [f for rep in data["reps"] for f in rep["findings"]] + list(data["findings"])
    return [{key: finding.get(key) for key in FINDING_KEYS} for finding in found]
