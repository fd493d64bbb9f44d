"""Analyses run one at a time in a worker process, so the pages stay responsive while the pose
model works. The worker reads jobs from a queue, reports progress (0-1) and the outcome to the
history store; the web process only reads the store.

A job a restart interrupts is marked ``interrupted`` by the store when the app starts again; its
uploaded video is still in the session's folder, so it can be queued again (retried).
"""

from __future__ import annotations

import logging
import multiprocessing
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcoach.errors import UserError
from formcoach.web import history

log = logging.getLogger("formcoach.web")

#: Share of the progress bar each stage fills: pose model, then report, then annotated video.
POSE_SHARE, REPORT_SHARE = 0.75, 0.05
#: Progress is written to the store at most this often, in seconds.
PROGRESS_EVERY_S = 0.5
UNEXPECTED = ("Something went wrong inside formcoach while analysing this video. "
              "Try again; if it happens again, try another video.")


@dataclass(frozen=True)
class Job:
    """One analysis to run: the session, its uploaded video, and the user's choices."""

    session_id: str
    video: str
    filename: str
    exercise: str
    mirrored: bool
    model: str


class _Progress:
    """Writes the job's progress to the store, at most every PROGRESS_EVERY_S seconds."""

    def __init__(self, store: Any, session_id: str) -> None:
        self.store, self.session_id, self.last = store, session_id, 0.0

    def set(self, fraction: float, force: bool = False) -> None:
        """Report ``fraction`` (0-1) done, unless the last report was too recent (or ``force``)."""
        now = time.monotonic()
        if force or now - self.last >= PROGRESS_EVERY_S:
            self.last = now
            self.store.set_status(self.session_id, "running", progress=round(min(max(fraction, 0.0), 1.0), 3))

    def stage(self, start: float, share: float) -> Any:
        """A ``progress(done, total)`` callback filling ``share`` of the bar from ``start``."""
        def update(done: int, total: int) -> None:
            self.set(start + share * (done / total if total else 0.0))

        return update


def friendly(message: str, job: Job) -> str:
    """A UserError's message with the stored file's path replaced by the user's file name."""
    return message.replace(job.video, job.filename).replace(Path(job.video).name, job.filename)


def run_job(store: Any, job: Job) -> None:
    """Analyse one uploaded video and save the session (or its failure) in ``store``."""
    import formcoach
    from formcoach.store import video_sha256

    progress = _Progress(store, job.session_id)
    video = Path(job.video)
    try:
        progress.set(0.0, force=True)
        result = formcoach.analyze(video, job.exercise, mirrored=job.mirrored, model=job.model,
                                   progress=progress.stage(0.0, POSE_SHARE))
        report = formcoach.write_report(result, history.artefact(store, job.session_id, history.REPORT))
        progress.set(POSE_SHARE + REPORT_SHARE, force=True)
        annotated = formcoach.write_annotated_video(
            result, history.artefact(store, job.session_id, history.ANNOTATED),
            progress.stage(POSE_SHARE + REPORT_SHARE, 1.0 - POSE_SHARE - REPORT_SHARE))
        store.complete(job.session_id, result, video_hash=video_sha256(video),
                       artefacts={"report": report, "annotated_video": annotated})
    except KeyError:  # deleted while it was analysed: drop what this job wrote since
        log.info("session %s was deleted while it was analysed", job.session_id)
        shutil.rmtree(Path(store.artefact_root) / job.session_id, ignore_errors=True)
        return
    except UserError as error:
        _fail(store, job, friendly(str(error), job))
        return
    except Exception:
        log.exception("analysis of session %s failed", job.session_id)
        _fail(store, job, UNEXPECTED)
        return
    video.unlink(missing_ok=True)


def _fail(store: Any, job: Job, message: str) -> None:
    """Mark the job failed (unless the session was deleted meanwhile) and drop its uploaded video."""
    try:
        store.set_status(job.session_id, "failed", error=message)
    except KeyError:
        return
    Path(job.video).unlink(missing_ok=True)


def _work(db_url: str | None, queue: Any) -> None:
    """The worker process: open the store, then run each job from ``queue`` until ``None``."""
    store = history.open_store(db_url)
    for job in iter(queue.get, None):
        run_job(store, job)


class JobQueue:
    """The queue of analyses and the one worker process that runs them, started on first use."""

    def __init__(self, db_url: str | None, *, enabled: bool = True) -> None:
        self.db_url = db_url
        self.enabled = enabled
        self._context = multiprocessing.get_context("spawn")
        self._queue: Any = None
        self._process: Any = None

    def submit(self, job: Job) -> None:
        """Queue ``job``; start the worker if it is not running (and the queue is enabled)."""
        if self._queue is None:
            self._queue = self._context.Queue()
        if self.enabled and (self._process is None or not self._process.is_alive()):
            self._process = self._context.Process(target=_work, args=(self.db_url, self._queue),
                                                  name="formcoach-analysis", daemon=True)
            self._process.start()
        self._queue.put(job)

    def lost(self) -> bool:
        """True when the worker was started and has died (its queued jobs are dropped with it)."""
        if self._process is None or self._process.is_alive():
            return False
        if self._queue is not None:
            self._queue.close()
        self._queue = self._process = None
        return True

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop the worker now (an analysis in progress is left to be marked interrupted)."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout_s)
        if self._queue is not None:
            self._queue.close()
            self._queue.join_thread()
        self._queue = self._process = None
