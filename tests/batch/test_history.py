"""Two batch drivers, each with its own output folder, share one PostgreSQL history: the first saves
its sessions with source ``batch``, the second skips the video the first already analysed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.store.pg import pg_url  # noqa: F401  (a fixture: a fresh schema on the CI server)

from formcoach.batch import BatchOptions, Settings, run_batch

pytestmark = pytest.mark.slow


def test_two_drivers_share_a_postgresql_history(pg_url: str, batch_inputs: Any,  # noqa: F811
                                                settings: Settings, tmp_path: Path) -> None:
    from formcoach import store

    video = next(p for p in batch_inputs.good if p.name == "video.mp4")
    track = next(p for p in batch_inputs.good if p.name == "side_reverse_ngoquocbao.gif.npz")
    first = run_batch([video, track], BatchOptions(tmp_path / "a", settings, workers=2, db=pg_url))
    assert [row["status"] for row in first.rows] == ["done", "done"]
    second = run_batch([video], BatchOptions(tmp_path / "b", settings, workers=1, db=pg_url))
    assert (second.skipped, second.rows[0]["session_id"]) == (1, first.rows[0]["session_id"])
    with store.open(pg_url) as history:
        sessions = history.list_sessions()
        assert sorted(s.id for s in sessions) == sorted(row["session_id"] for row in first.rows)
        saved = {(s.source, s.video_hash) for s in sessions}
        assert saved == {("batch", row["sha256"]) for row in first.rows}
