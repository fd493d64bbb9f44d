"""What a worker does with one task: ``formcoach.analyze`` and the asked-for outputs, errors caught.

The same function runs in a local worker process and on a Ray node; it imports neither
multiprocessing nor Ray. Every failure of one video becomes a failed :class:`Outcome` with a
one-line reason, so one bad video never stops the batch.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from formcoach.batch.tasks import Outcome, Settings, Task
from formcoach.errors import UserError

REPORT_SUFFIX = "report.html"
VIDEO_SUFFIX = "annotated.mp4"


def one_line(error: BaseException) -> str:
    """``error`` as one line of text: its message's lines joined, or its type's name."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


def _extra_files(task: Task, settings: Settings, result: object) -> dict[str, bytes]:
    from formcoach.api import SessionResult, write_annotated_video, write_report

    assert isinstance(result, SessionResult)
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="formcoach-batch-") as tmp:
        if settings.report:
            files[REPORT_SUFFIX] = write_report(result, Path(tmp) / f"{task.stem}.html").read_bytes()
        if settings.video:
            files[VIDEO_SUFFIX] = write_annotated_video(result, Path(tmp) / f"{task.stem}.mp4").read_bytes()
    return files


def run_task(task: Task, settings: Settings) -> Outcome:
    """Analyse ``task``'s video under ``settings``; never raises for a bad video.

    A :class:`UserError` (corrupt video, no person, unreadable track) gives a failed outcome of kind
    ``input`` with its message, and so does a movement that is not a lunge (with the analysis JSON,
    which says so); any other exception a failed outcome of kind ``internal`` naming its type.
    """
    from formcoach.api import analyze

    start = time.perf_counter()
    outcome = Outcome(task.key, "done", pid=os.getpid())
    try:
        result = analyze(task.path, settings.exercise, model=settings.model)
        data = result.to_dict()
        outcome.analysis_json = json.dumps(data) + "\n"
        outcome.files = _extra_files(task, settings, result)
        outcome.result = result
        if not data["is_lunge"]:
            outcome.status, outcome.kind = "failed", "input"
            outcome.error = data["message"] or "not a lunge"
    except UserError as error:
        outcome.status, outcome.kind, outcome.error = "failed", "input", one_line(error)
    except Exception as error:  # one video's bug must not stop the batch; its type is reported
        outcome.status, outcome.kind = "failed", "internal"
        outcome.error = f"internal error ({type(error).__name__}): {one_line(error)}"
    outcome.seconds = time.perf_counter() - start
    return outcome
