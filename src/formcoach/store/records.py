"""Typed records the store hands out: plain frozen dataclasses, no SQLAlchemy in sight.

Units: times and durations in seconds, depth as a share of a full lunge (1.0 = front thigh level),
shares in 0..1, ``measured``/``limit`` of a finding in its ``unit``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Source = Literal["file", "live", "upload", "batch"]
Status = Literal["queued", "running", "done", "failed", "interrupted"]
SOURCES: tuple[str, ...] = ("file", "live", "upload", "batch")
STATUSES: tuple[str, ...] = ("queued", "running", "done", "failed", "interrupted")


@dataclass(frozen=True)
class RepRecord:
    """One counted rep as stored: index and set (1-based), working leg, phase times, depth."""

    index: int
    set: int | None
    leg: str
    start_s: float | None
    bottom_s: float | None
    end_s: float | None
    lowering_s: float | None
    bottom_hold_s: float | None
    rise_s: float | None
    depth: float | None


@dataclass(frozen=True)
class FindingRecord:
    """One finding as stored; ``rep`` is None for a session finding (``unit`` "reps")."""

    rep: int | None
    leg: str | None
    code: str
    verdict: str
    measured: float | None
    limit: float | None
    unit: str | None
    confidence: float | None


@dataclass(frozen=True)
class SessionSummary:
    """A session's row: what ``formcoach history`` lists. Numbers are None until it is done.

    ``filename`` is the name the user gave the video: display it escaped, never open it.
    """

    id: str
    created_at: dt.datetime
    week: dt.date
    source: str
    status: str
    progress: float | None
    error: str | None
    filename: str | None
    exercise_id: str
    exercise_version: int | None
    video_hash: str | None
    model: str | None
    mirrored: bool
    duration_s: float | None
    view: str | None
    lunge_type: str | None
    reps_left: int | None
    reps_right: int | None
    sets: int | None
    lowering_median_s: float | None
    rise_median_s: float | None
    depth_median: float | None

    @property
    def reps(self) -> int | None:
        """Counted reps, both legs together (None until done)."""
        if self.reps_left is None or self.reps_right is None:
            return None
        return self.reps_left + self.reps_right


@dataclass(frozen=True)
class SessionRecord(SessionSummary):
    """A whole session: its row, the analysis JSON exactly as ``analyze --json`` printed it, its
    reps, findings and artefact files (absolute paths inside :meth:`Store.artefact_dir`)."""

    analysis_json: str | None = None
    rep_rows: tuple[RepRecord, ...] = ()
    findings: tuple[FindingRecord, ...] = ()
    artefacts: Mapping[str, Path] = field(default_factory=dict)

    @property
    def analysis(self) -> dict[str, Any] | None:
        """The analysis JSON object (``docs/analysis-json.md``), or None before it is done."""
        return None if self.analysis_json is None else json.loads(self.analysis_json)


@dataclass(frozen=True)
class WeekProgress:
    """One week of done sessions (weeks start on Monday, local time).

    ``depth_*`` are medians of the reps' depth (share of a full lunge), ``lowering_*_s`` medians of
    the lowering time in seconds, per leg and both; ``depth_gap`` is left minus right.
    ``fault_share`` maps each mistake's code to the share (0..1) of assessed reps that had it;
    ``assessed`` to the number of reps the camera view could judge for it.
    """

    week: dt.date
    sessions: int
    reps_left: int
    reps_right: int
    depth_median: float | None
    depth_left: float | None
    depth_right: float | None
    lowering_median_s: float | None
    lowering_left_s: float | None
    lowering_right_s: float | None
    fault_share: Mapping[str, float | None]
    assessed: Mapping[str, int]

    @property
    def depth_gap(self) -> float | None:
        """Left minus right median depth (share of a full lunge); None without both legs."""
        if self.depth_left is None or self.depth_right is None:
            return None
        return self.depth_left - self.depth_right

    def to_dict(self) -> dict[str, Any]:
        """The week as JSON-ready data (``week`` as an ISO date)."""
        return {"week": self.week.isoformat(), "sessions": self.sessions, "reps_left": self.reps_left,
                "reps_right": self.reps_right, "depth_median": self.depth_median,
                "depth_left": self.depth_left, "depth_right": self.depth_right, "depth_gap": self.depth_gap,
                "lowering_median_s": self.lowering_median_s, "lowering_left_s": self.lowering_left_s,
                "lowering_right_s": self.lowering_right_s, "fault_share": dict(self.fault_share),
                "assessed": dict(self.assessed)}
