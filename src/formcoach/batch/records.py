"""The ``--out`` folder of a batch: per-video outputs, the run's own records, ``summary.csv``.

Layout (``STEM`` is the video's file name plus 12 hex digits of its content hash, see
:attr:`Task.stem`)::

    OUT/STEM.analysis.json        the analysis JSON, byte for byte what ``analyze --json`` prints
    OUT/STEM.report.html          with --report
    OUT/STEM.annotated.mp4        with --video
    OUT/batch-records.jsonl       one line per finished video: what a rerun reads to skip it
    OUT/summary.csv               one row per video of the last run

Every file is written to a temporary name and renamed, and a record is appended only after its
files are in place, so a batch stopped at any moment (Ctrl-C, a power cut) leaves no half file
behind a record.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from formcoach.errors import UserError

RECORDS_NAME = "batch-records.jsonl"
SUMMARY_NAME = "summary.csv"
ANALYSIS_SUFFIX = "analysis.json"
#: Columns of ``summary.csv``, in order.
SUMMARY_COLUMNS = ("video", "status", "reps", "reps_left", "reps_right", "sets", "attempts", "view",
                   "lunge_type", "main_findings", "error", "analysis", "report", "annotated_video",
                   "session_id", "runs", "seconds", "sha256")
_FILE_COLUMNS = {ANALYSIS_SUFFIX: "analysis", "report.html": "report", "annotated.mp4": "annotated_video"}


def main_findings(data: dict[str, Any], limit: int = 3) -> str:
    """The session's mistakes, most frequent first: ``"knee_caving 3/4; shallow_depth 1/4"`` (reps
    with the fault / reps assessed), at most ``limit`` of them; ``""`` when none was found."""
    faults = [f for f in data.get("findings", []) if f.get("verdict") == "fault"]
    faults.sort(key=lambda f: -(f.get("measured") or 0))
    return "; ".join(f"{f['code']} {f.get('measured') or 0:g}/{f.get('assessed') or 0:g}"
                     for f in faults[:limit])


def summary_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The summary columns taken from one analysis JSON object."""
    counts = data["counts"]
    return {"reps": counts["total"], "reps_left": counts["left"], "reps_right": counts["right"],
            "sets": len(data["sets"]), "attempts": counts["attempts"], "view": data["view"],
            "lunge_type": data["lunge_type"], "main_findings": main_findings(data)}


@dataclass
class Record:
    """One finished video as the out folder remembers it (one JSON line of ``batch-records.jsonl``).

    ``files`` maps an output suffix to its file name under the folder; ``fields`` holds the
    summary columns taken from the analysis; ``runs`` is how many times a worker started on it.
    """

    key: str
    video: str
    sha256: str
    status: str
    error: str = ""
    kind: str = ""
    files: dict[str, str] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    session_id: str = ""
    runs: int = 1
    seconds: float = 0.0

    def row(self, status: str | None = None) -> dict[str, Any]:
        """This record as a ``summary.csv`` row; ``status`` overrides it (``"skipped"``)."""
        row: dict[str, Any] = {column: "" for column in SUMMARY_COLUMNS}
        row.update(self.fields)
        row.update(video=self.video, status=status or self.status, error=self.error,
                   session_id=self.session_id, runs=self.runs, seconds=f"{self.seconds:.1f}",
                   sha256=self.sha256)
        for suffix, name in self.files.items():
            row[_FILE_COLUMNS.get(suffix, suffix)] = name
        return row


class OutFolder:
    """The batch's output folder: atomic file writes, the records log, the summary."""

    def __init__(self, root: Path) -> None:
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UserError(f"{root}: cannot create the output folder ({error.strerror or error}); "
                            "choose another --out") from None
        if not os.access(root, os.W_OK):
            raise UserError(f"{root}: the output folder is not writable; choose another --out")
        self.root = root

    @property
    def records_path(self) -> Path:
        """``OUT/batch-records.jsonl``."""
        return self.root / RECORDS_NAME

    def load(self) -> dict[str, Record]:
        """The latest record of each key; a torn last line (a stop mid-write) is ignored."""
        records: dict[str, Record] = {}
        if not self.records_path.exists():
            return records
        for line in self.records_path.read_text(encoding="utf-8").splitlines():
            try:
                record = Record(**json.loads(line))
            except (ValueError, TypeError):
                continue
            records[record.key] = record
        return records

    def is_complete(self, record: Record) -> bool:
        """True when every file ``record`` names is still in the folder."""
        return all((self.root / name).is_file() for name in record.files.values())

    def write(self, name: str, data: bytes | str) -> str:
        """Write ``data`` to ``OUT/name`` atomically (temporary file, then rename); return ``name``."""
        target = self.root / name
        tmp = target.with_name(f".{name}.part")
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        tmp.replace(target)
        return name

    def append(self, record: Record) -> None:
        """Add ``record`` to the records log (one line, flushed to disk)."""
        with self.records_path.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(asdict(record)) + "\n")
            stream.flush()
            os.fsync(stream.fileno())

    def write_summary(self, rows: list[dict[str, Any]]) -> Path:
        """Write ``summary.csv`` (one row a video, :data:`SUMMARY_COLUMNS`); return its path."""
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=SUMMARY_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        self.write(SUMMARY_NAME, text.getvalue())
        return self.root / SUMMARY_NAME
