"""``run_batch``: plan the videos, skip what is done, run the rest on a backend, keep every result.

The driver hashes each video, skips those its ``--out`` folder's records (or the history) already
have for the same content, model and exercise, hands the others to a backend (a local process pool
or Ray), and for each outcome writes the files, saves the session to the history, appends a record
and updates the watcher. Ctrl-C ends the workers at once; what finished is kept, and a rerun of
the same command picks up the rest.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from formcoach.batch.history import History
from formcoach.batch.inputs import collect_videos
from formcoach.batch.records import ANALYSIS_SUFFIX, OutFolder, Record, summary_fields
from formcoach.batch.tasks import Outcome, Settings, Task, file_sha256
from formcoach.batch.worker import one_line
from formcoach.trackio import is_track_path


class Backend(Protocol):
    """Where tasks run: :class:`~formcoach.batch.local.LocalPool` or ``ray_runner.RayPool``."""

    def describe(self) -> str:
        """One line naming the backend."""

    def run(self, tasks: Sequence[Task], settings: Settings) -> Iterator[tuple[str, str, int] | Outcome]:
        """Yield ``("start", key, pid)`` events and outcomes."""

    def close(self) -> None:
        """End every worker at once."""


class Watcher:
    """What the batch tells its caller (the progress bar); every method does nothing by default."""

    def planned(self, total: int, skipped: int, backend: str) -> None:
        """``total`` videos, ``skipped`` of them already done; tasks run on ``backend``."""

    def started(self, task: Task, pid: int) -> None:
        """A worker (process ``pid``) started on ``task``."""

    def finished(self, task: Task, record: Record) -> None:
        """``task`` finished (done or failed) and ``record`` was kept."""


@dataclass(frozen=True)
class BatchOptions:
    """The settings of one batch: ``out`` folder, analysis ``settings``, ``workers`` (local pool
    size, or the CPUs of a new local Ray instance), ``ray`` (None for the local pool, ``"local"``
    for a new local Ray instance, else a Ray address), ``db`` URL and whether to ``save`` there."""

    out: Path
    settings: Settings
    workers: int | None = None
    ray: str | None = None
    db: str | None = None
    save: bool = True


@dataclass
class BatchReport:
    """How a batch went: counts per status, skips, whether Ctrl-C stopped it, the summary file."""

    total: int = 0
    done: int = 0
    failed: int = 0
    skipped: int = 0
    not_run: int = 0
    stopped: bool = False
    summary: Path | None = None
    seconds: float = 0.0
    rows: list[dict[str, Any]] = field(default_factory=list)


def make_backend(options: BatchOptions) -> Backend:
    """The backend ``options`` ask for (Ray is imported only here, and only with ``--ray``)."""
    if options.ray is None:
        from formcoach.batch.local import LocalPool

        return LocalPool(options.workers or os.cpu_count() or 1)
    from formcoach.batch.ray_runner import RayPool

    return RayPool(None if options.ray == "local" else options.ray, options.workers)


def _is_final(record: Record | None, out: OutFolder) -> bool:
    """True when the out folder already has this task's final outcome (done, or bad input)."""
    if record is None or not out.is_complete(record):
        return False
    return record.status == "done" or record.kind == "input"


def _plan(videos: list[Path], options: BatchOptions, out: OutFolder,
          history: History | None) -> tuple[list[Task], dict[str, dict[str, Any]], dict[str, str]]:
    """Tasks to run, the summary row of every video by its path as given (skipped and unreadable
    ones final), and the path as given of each task's key."""
    records, tasks, rows = out.load(), [], {}
    first: dict[str, str] = {}
    for path in videos:
        video = str(path)
        try:
            sha = file_sha256(path)
        except OSError as error:
            rows[video] = Record("", video, "", "failed", f"{path}: cannot read ({error.strerror})",
                                 "input", runs=0).row()
            continue
        task = Task(path.resolve(), sha, options.settings.key(sha))
        record = records.get(task.key)
        if task.key in first:
            rows[video] = Record(task.key, video, sha, "skipped", runs=0).row()
            rows[video]["error"] = f"same video as {first[task.key]}"
        elif record is not None and _is_final(record, out):
            rows[video] = record.row("skipped") | {"video": video}
        elif history is not None and not is_track_path(path) and (
                session := history.find_done(task, options.settings)):
            rows[video] = Record(task.key, video, sha, "skipped", session_id=session, runs=0).row()
            rows[video]["error"] = "already in the history"
        else:
            rows[video] = Record(task.key, video, sha, "not run", "the batch was stopped before it; "
                                 "run the same command again", runs=0).row()
            tasks.append(task)
        first.setdefault(task.key, video)
    return tasks, rows, first


@contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Hold SIGINT back in the block (POSIX; elsewhere a no-op); a Ctrl-C meanwhile arrives after it."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@dataclass
class _Keeper:
    """Keeps each outcome: files under ``out``, the session in ``history``, a record, its row."""

    out: OutFolder
    history: History | None
    rows: dict[str, dict[str, Any]]
    given: dict[str, str]
    watcher: Watcher

    def keep(self, task: Task, outcome: Outcome) -> None:
        """Write ``outcome``'s files, save a done session, append the record, update the row; as
        one step that Ctrl-C waits for (its KeyboardInterrupt is raised once the step is done)."""
        with _ctrl_c_deferred():
            record = self._keep(task, outcome)
        self.watcher.finished(task, record)

    def _keep(self, task: Task, outcome: Outcome) -> Record:
        out, files = self.out, {}
        if outcome.analysis_json:
            files[ANALYSIS_SUFFIX] = out.write(f"{task.stem}.{ANALYSIS_SUFFIX}", outcome.analysis_json)
        for suffix, data in outcome.files.items():
            files[suffix] = out.write(f"{task.stem}.{suffix}", data)
        fields = summary_fields(json.loads(outcome.analysis_json)) if outcome.analysis_json else {}
        video = self.given[task.key]
        record = Record(task.key, video, task.sha256, outcome.status, outcome.error, outcome.kind,
                        files, fields, runs=outcome.attempts, seconds=outcome.seconds)
        if outcome.status == "done" and self.history is not None and outcome.result is not None:
            try:
                paths = {suffix: out.root / name for suffix, name in files.items()}
                record.session_id = self.history.save(outcome.result, task, paths)
            except Exception as error:  # the database went away: keep the files, retry on a rerun
                record.status, record.kind = "failed", "internal"
                record.error = f"analysed, but not saved to the history: {one_line(error)}"
        out.append(record)
        self.rows[video] = record.row()
        return record


def _run(backend: Backend, tasks: list[Task], total: int, options: BatchOptions, keeper: _Keeper) -> bool:
    """Run ``tasks`` on ``backend``, keeping each outcome; True when Ctrl-C stopped it."""
    by_key = {task.key: task for task in tasks}
    try:
        keeper.watcher.planned(total, total - len(tasks), backend.describe())
        for event in backend.run(tasks, options.settings):
            if isinstance(event, Outcome):
                keeper.keep(by_key[event.key], event)
            else:
                keeper.watcher.started(by_key[event[1]], event[2])
    except KeyboardInterrupt:
        return True
    finally:
        backend.close()
    return False


def run_batch(paths: Sequence[Path], options: BatchOptions, watcher: Watcher | None = None,
              backend: Backend | None = None) -> BatchReport:
    """Analyse every video named by ``paths`` (videos, folders, list files) as ``options`` say.

    Raises UserError before any work for bad paths, an unusable ``--out`` or database, or Ray
    missing. Never raises for a bad video: it is a failed row of the summary.
    """
    watcher = watcher or Watcher()
    start = time.perf_counter()
    videos = collect_videos(paths, skip=options.out)
    backend = backend or make_backend(options)
    out = OutFolder(options.out)
    history = History(options.db) if options.save else None
    report = BatchReport(total=len(videos))
    try:
        tasks, rows, given = _plan(videos, options, out, history)
        if tasks:
            keeper = _Keeper(out, history, rows, given, watcher)
            report.stopped = _run(backend, tasks, len(videos), options, keeper)
        else:
            watcher.planned(len(videos), len(videos), "nothing")
        report.rows = [rows[str(video)] for video in videos]
        report.summary = out.write_summary(report.rows)
    finally:
        if history is not None:
            history.close()
    for row in report.rows:
        status = row["status"]
        report.done += status == "done"
        report.failed += status == "failed"
        report.skipped += status == "skipped"
        report.not_run += status == "not run"
    report.seconds = time.perf_counter() - start
    return report
