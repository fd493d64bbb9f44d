"""The local process pool: the same JSON as ``analyze --json`` for every input, bad videos failed with
their reason, sessions in the history with source ``batch``, a rerun that skips everything, a
worker killed (SIGKILL, for real) whose task runs again, and Ctrl-C that a rerun picks up."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from formcoach.batch import BatchOptions, BatchReport, Settings, Task, Watcher, run_batch
from formcoach.batch.local import CRASH_REASON

pytestmark = pytest.mark.slow


class Killer(Watcher):
    """Sends SIGKILL to the worker process that starts on ``video``, ``times`` times at most."""

    def __init__(self, video: Path, times: int) -> None:
        self.video, self.times, self.killed = video.resolve(), times, 0

    def started(self, task: Task, pid: int) -> None:
        """Kill the worker (a real process, mid-task) when it starts on the chosen video."""
        if task.path == self.video and self.killed < self.times:
            self.killed += 1
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def first_run(batch_inputs: Any, settings: Settings,
              tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, BatchReport]:
    """The whole input set through a pool of 2 workers, saved to a fresh SQLite history."""
    out = tmp_path_factory.mktemp("pool")
    db = str(out.parent / f"{out.name}-history.sqlite")
    with pytest.MonkeyPatch.context() as env:  # a fresh data folder: an empty pose-track cache
        env.setenv("FORMCOACH_HOME", str(out / "home"))
        report = run_batch([batch_inputs.list_file], BatchOptions(out / "out", settings, workers=2, db=db))
    return out / "out", db, report


def _rows(report: BatchReport) -> dict[Path, dict[str, Any]]:
    return {Path(row["video"]): row for row in report.rows}


def test_pool_writes_exactly_what_analyze_json_prints(first_run: Any, batch_inputs: Any,
                                                       expected: dict[Path, str],
                                                       analysis_texts: Any) -> None:
    out, _, report = first_run
    written = analysis_texts(out, report.rows)
    assert set(written) == set(batch_inputs.good)
    for path in batch_inputs.good:
        assert written[path] == expected[path], path  # byte for byte: no field dropped
    sims = [row["analysis"] for path, row in _rows(report).items() if path.name == "video.mp4"]
    assert len(set(sims)) == 2  # two videos called video.mp4, two files


def test_summary_has_one_row_a_video_with_reps_and_reasons(first_run: Any, batch_inputs: Any,
                                                           expected: dict[Path, str],
                                                           expected_errors: dict[Path, str]) -> None:
    out, _, report = first_run
    with (out / "summary.csv").open(encoding="utf-8") as stream:
        rows = {Path(row["video"]): row for row in csv.DictReader(stream)}
    assert len(rows) == len(batch_inputs.good) + 2 == report.total
    for path in batch_inputs.good:
        data = json.loads(expected[path])
        row = rows[path]
        assert (row["status"] == "done") == data["is_lunge"], row
        if not data["is_lunge"]:  # the lateral lunge: failed with the analysis's own sentence
            assert row["error"] == data["message"] and row["analysis"]
        assert [int(row["reps_left"]), int(row["reps_right"]), int(row["sets"])] == [
            data["counts"]["left"], data["counts"]["right"], len(data["sets"])]
    for bad in (batch_inputs.corrupt, batch_inputs.empty):  # the sentence analyze prints
        assert (rows[bad]["status"], rows[bad]["error"]) == ("failed", expected_errors[bad])
    not_lunges = sum(not json.loads(text)["is_lunge"] for text in expected.values())
    assert report.done + report.failed == report.total and report.failed == 2 + not_lunges


def test_done_sessions_are_in_the_history_with_source_batch(first_run: Any) -> None:
    from formcoach import store

    out, db, report = first_run
    done = {row["session_id"]: row for row in report.rows if row["status"] == "done"}
    with store.open(db) as history:
        sessions = history.list_sessions(limit=100)
        assert {s.id for s in sessions} == set(done)
        for session in sessions:
            record, row = history.get(session.id), done[session.id]
            assert (session.source, session.video_hash) == ("batch", row["sha256"])
            assert record.analysis_json is not None
            assert record.analysis_json + "\n" == (out / row["analysis"]).read_text(encoding="utf-8")


def test_rerun_skips_everything(first_run: Any, batch_inputs: Any, settings: Settings) -> None:
    from formcoach import store

    out, db, before = first_run
    again = run_batch([batch_inputs.list_file], BatchOptions(out, settings, workers=2, db=db))
    assert (again.skipped, again.done, again.failed) == (again.total, 0, 0)
    assert [row["reps"] for row in again.rows] == [row["reps"] for row in before.rows]
    with store.open(db) as history:
        assert history.count() == before.done


def test_a_new_out_folder_skips_what_the_history_already_has(first_run: Any, batch_inputs: Any,
                                                             settings: Settings, tmp_path: Path) -> None:
    _, db, before = first_run
    report = run_batch([batch_inputs.list_file], BatchOptions(tmp_path / "out", settings, workers=2, db=db))
    # videos the history has done are skipped; pose-track files only by an out folder's records
    videos = {row["session_id"] for row in before.rows
              if row["status"] == "done" and not row["video"].endswith(".npz")}
    skipped = [row for row in report.rows if row["status"] == "skipped"]
    assert {row["session_id"] for row in skipped} == videos and len(videos) == 4
    assert all(row["error"] == "already in the history" for row in skipped)
    assert report.failed == before.failed  # bad videos are not in the history: tried again, failed again


def test_killed_worker_task_is_run_again(batch_inputs: Any, settings: Settings, expected: dict[Path, str],
                                         tmp_path: Path) -> None:
    video = next(p for p in batch_inputs.good if p.name == "video.mp4")
    killer = Killer(video, times=1)
    report = run_batch([video], BatchOptions(tmp_path / "out", settings, workers=1, save=False), killer)
    row = report.rows[0]
    assert killer.killed == 1 and row["status"] == "done" and row["runs"] == 2
    assert (tmp_path / "out" / row["analysis"]).read_text(encoding="utf-8") == expected[video]


def test_task_whose_worker_dies_twice_fails_and_the_others_go_on(batch_inputs: Any, settings: Settings,
                                                                  tmp_path: Path) -> None:
    video = next(p for p in batch_inputs.good if p.name == "video.mp4")
    track = batch_inputs.good[0]
    killer = Killer(video, times=5)
    report = run_batch([video, track], BatchOptions(tmp_path / "out", settings, workers=1, save=False),
                       killer)
    crashed, other = report.rows
    assert killer.killed == 2
    assert (crashed["status"], crashed["error"], crashed["runs"]) == ("failed", CRASH_REASON, 2)
    assert other["status"] == "done"
    again = run_batch([video, track], BatchOptions(tmp_path / "out", settings, workers=1, save=False))
    assert (again.done, again.skipped) == (1, 1)  # a crash is not final: a rerun tries it again


def _default_sigint() -> None:
    """In the child: Ctrl-C's default action, even when this test runs where SIGINT is ignored
    (a background job), since an ignored signal stays ignored across exec."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_and_a_rerun_picks_up(batch_inputs: Any, settings: Settings, tmp_path: Path) -> None:
    tracks = [p for p in batch_inputs.good if p.suffix == ".npz"][:8]
    listing = tmp_path / "tracks.txt"
    listing.write_text("".join(f"{p}\n" for p in tracks))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "formcoach", "batch", str(listing), "--out", str(out), "--workers", "1",
               "--no-save", "--model", settings.model]
    env = {**os.environ, "FORMCOACH_HOME": str(tmp_path / "home")}
    process = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)
    records = out / "batch-records.jsonl"
    deadline = time.monotonic() + 300
    while not (records.exists() and records.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "run the same command again" in stderr
    with (out / "summary.csv").open(encoding="utf-8") as stream:
        statuses = [row["status"] for row in csv.DictReader(stream)]
    finished = statuses.count("done") + statuses.count("failed")
    assert 1 <= finished < len(tracks) and statuses.count("not run") == len(tracks) - finished
    again = run_batch([listing], BatchOptions(out, settings, workers=1, save=False))
    assert again.skipped == finished and again.done + again.failed == len(tracks) - finished

