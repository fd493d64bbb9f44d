"""A separate writer process for the fault tests: saves stored analysis JSON into a database.

``python writer.py URL ANALYSIS.json N [pause]``: saves the analysis N times (alternating plain
saves and the web app's job lifecycle) and prints "saved ID" after each; with ``pause`` it stops
for a minute in the middle of its first save's transaction, after the reps are inserted, and
prints "mid-save" (the test kills it there).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any


@dataclass(frozen=True)
class StoredResult:
    """The public contract of a SessionResult (to_dict, exercise, track.meta, video) from JSON."""

    data: dict[str, Any]
    exercise: Any = field(default_factory=lambda: SimpleNamespace(id="reverse_lunge", version=1))
    track: Any = field(default_factory=lambda: SimpleNamespace(meta={"model": "full"}))
    video: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        """The analysis JSON."""
        return json.loads(json.dumps(self.data))


def _pause_mid_save(history: Any) -> None:
    from sqlalchemy import event

    @event.listens_for(history.engine, "after_cursor_execute")
    def _after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO REPS"):
            print("mid-save", flush=True)
            time.sleep(60)


def main() -> None:
    """Save the analysis N times into the database at URL."""
    from formcoach import store

    url, path, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    result = StoredResult(json.loads(path.read_text()))
    with store.open(url) as history:
        if len(sys.argv) > 4:
            _pause_mid_save(history)
        for i in range(count):
            if i % 2:
                job = history.create_pending(source="upload", filename=f"w{i}.mp4",
                                             exercise_id="reverse_lunge",
                                             mirrored=False, model="full")
                history.set_status(job, "running", progress=0.5)
                history.complete(job, result)
            else:
                job = history.save(result, source="batch")
            print("saved", job, flush=True)


if __name__ == "__main__":
    main()
