"""Reading the history tables into typed records, and the weekly progress as SQL queries.

Weeks start on Monday (local time, stored with each session). Medians are taken over the reps'
values in Python (SQLite has no median); counts and shares are SQL aggregates.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from pathlib import Path
from typing import TypeVarTuple

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from formcoach.store.models import FindingRow, RepRow, SessionRow
from formcoach.store.records import FindingRecord, RepRecord, SessionRecord, SessionSummary, WeekProgress

SUMMARY_FIELDS = tuple(SessionSummary.__dataclass_fields__)


def to_summary(row: SessionRow) -> SessionSummary:
    """A session row as a :class:`SessionSummary`."""
    values = {name: getattr(row, name) for name in SUMMARY_FIELDS}
    values["created_at"] = _aware(values["created_at"])
    return SessionSummary(**values)


def to_record(row: SessionRow, folder: Path) -> SessionRecord:
    """A session row with its reps, findings and artefacts (paths inside ``folder``)."""
    values = {name: getattr(row, name) for name in SUMMARY_FIELDS}
    values["created_at"] = _aware(values["created_at"])
    reps = tuple(RepRecord(index=r.index, set=r.set, leg=r.leg, start_s=r.start_s, bottom_s=r.bottom_s,
                           end_s=r.end_s, lowering_s=r.lowering_s, bottom_hold_s=r.bottom_hold_s,
                           rise_s=r.rise_s, depth=r.depth) for r in row.reps)
    findings = tuple(FindingRecord(rep=f.rep, leg=f.leg, code=f.code, verdict=f.verdict, measured=f.measured,
                                   limit=f.limit, unit=f.unit, confidence=f.confidence) for f in row.findings)
    artefacts = {a.kind: folder / a.name for a in row.artefacts}
    return SessionRecord(**values, analysis_json=row.analysis_json, rep_rows=reps, findings=findings,
                         artefacts=artefacts)


def _aware(when: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back naive; they were stored in UTC."""
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


_Cols = TypeVarTuple("_Cols")


def _done(query: Select[*_Cols], exercise_id: str | None,
          since: dt.date | None) -> Select[*_Cols]:
    query = query.where(SessionRow.status == "done")
    if exercise_id is not None:
        query = query.where(SessionRow.exercise_id == exercise_id)
    if since is not None:
        query = query.where(SessionRow.week >= since)
    return query


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def weekly(session: Session, *, exercise_id: str | None = None,
           since: dt.date | None = None) -> list[WeekProgress]:
    """Progress per week, oldest first (see :class:`WeekProgress`)."""
    counts = dict(session.execute(_done(select(SessionRow.week, func.count()), exercise_id, since)
                                  .group_by(SessionRow.week)).all())
    reps: dict[tuple[dt.date, str], dict[str, list[float]]] = defaultdict(
        lambda: {"n": [], "depth": [], "lowering": []})
    rep_rows = session.execute(_done(select(SessionRow.week, RepRow.leg, RepRow.depth, RepRow.lowering_s)
                                     .join(RepRow, RepRow.session_id == SessionRow.id), exercise_id, since))
    for week, leg, depth, lowering in rep_rows:
        bucket = reps[(week, leg)]
        bucket["n"].append(1.0)
        if depth is not None:
            bucket["depth"].append(depth)
        if lowering is not None:
            bucket["lowering"].append(lowering)
    fault = func.sum(case((FindingRow.verdict == "fault", 1), else_=0))
    judged = func.sum(case((FindingRow.verdict != "not_assessable", 1), else_=0))
    shares: dict[dt.date, dict[str, tuple[int, int]]] = defaultdict(dict)
    finding_rows = session.execute(_done(select(SessionRow.week, FindingRow.code, fault, judged)
                                         .join(FindingRow, FindingRow.session_id == SessionRow.id)
                                         .where(FindingRow.rep.is_not(None)), exercise_id, since)
                                   .group_by(SessionRow.week, FindingRow.code))
    for week, code, faults, assessed in finding_rows:
        shares[week][code] = (int(faults or 0), int(assessed or 0))
    return [_week(week, count, reps, shares[week]) for week, count in sorted(counts.items())]


def _week(week: dt.date, count: int, reps: dict[tuple[dt.date, str], dict[str, list[float]]],
          shares: dict[str, tuple[int, int]]) -> WeekProgress:
    left, right = reps.get((week, "left"), {}), reps.get((week, "right"), {})
    both = {key: left.get(key, []) + right.get(key, []) for key in ("depth", "lowering")}
    return WeekProgress(
        week=week, sessions=count, reps_left=len(left.get("n", [])), reps_right=len(right.get("n", [])),
        depth_median=_median(both["depth"]), depth_left=_median(left.get("depth", [])),
        depth_right=_median(right.get("depth", [])), lowering_median_s=_median(both["lowering"]),
        lowering_left_s=_median(left.get("lowering", [])),
        lowering_right_s=_median(right.get("lowering", [])),
        fault_share={code: (f / a if a else None) for code, (f, a) in sorted(shares.items())},
        assessed={code: a for code, (_f, a) in sorted(shares.items())},
    )
