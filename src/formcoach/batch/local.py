"""The local backend: a pool of worker processes on this machine (``concurrent.futures``).

Workers are started with ``spawn`` (a clean interpreter each; the driver's threads, such as the
progress bar's, are never forked), ignore Ctrl-C (the driver alone decides to stop, and then ends
them), and tell the driver on a queue when they start a task, so the driver knows which tasks
were running when a worker died. A dead worker breaks a ``ProcessPoolExecutor``: the driver
starts a new pool and runs again, once, every task that was running in it (it cannot tell which of
the running tasks killed the worker; with one worker it is exact); tasks not yet started are
resubmitted as they were. A task whose second run dies too fails with the reason ``crash``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from formcoach.batch.tasks import Outcome, Settings, Task
from formcoach.batch.worker import run_task

#: Tasks queued in the pool beyond one per worker (few, so a stop loses little queued work).
QUEUE_AHEAD = 1
POLL_S = 0.2
CRASH_REASON = "the worker process analysing it died twice (killed, or out of memory)"
#: Pools in a row whose workers died before starting any task, after which the batch gives up.
MAX_EMPTY_BREAKS = 3

_events: Any = None


def _init_worker(events: Any) -> None:
    global _events
    _events = events
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    events.put(("ready", "", os.getpid()))


def _run(task: Task, settings: Settings) -> Outcome:
    _events.put(("start", task.key, os.getpid()))
    return run_task(task, settings)


class LocalPool:
    """``workers`` processes on this machine; :meth:`run` yields ``("start", key, pid)`` events
    and :class:`Outcome` objects as tasks start and finish."""

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.workers = workers
        self._context = multiprocessing.get_context("spawn")
        self._events = self._context.SimpleQueue()
        self._pids: set[int] = set()
        self._executor: ProcessPoolExecutor | None = None
        self._empty_breaks = self._starts_in_pool = 0

    def describe(self) -> str:
        """One line naming the backend, for the command's output."""
        return f"{self.workers} local worker process{'es' if self.workers != 1 else ''}"

    def _new_executor(self) -> ProcessPoolExecutor:
        self._starts_in_pool = 0
        return ProcessPoolExecutor(self.workers, mp_context=self._context, initializer=_init_worker,
                                   initargs=(self._events,))

    def _drain(self, started: dict[str, int]) -> list[tuple[str, str, int]]:
        events = []
        while not self._events.empty():
            kind, key, pid = self._events.get()
            self._pids.add(pid)
            if kind == "start":
                started[key] = started.get(key, 0) + 1
                self._starts_in_pool += 1
                events.append((kind, key, pid))
        return events

    def run(self, tasks: Sequence[Task], settings: Settings) -> Iterator[tuple[str, str, int] | Outcome]:
        """Run ``tasks``; yield start events and outcomes (in completion order)."""
        queue = deque(tasks)
        started: dict[str, int] = {}
        running: dict[Future[Outcome], Task] = {}
        self._executor = self._new_executor()
        while queue or running:
            while queue and len(running) < self.workers + QUEUE_AHEAD:
                task = queue.popleft()
                running[self._executor.submit(_run, task, settings)] = task
            done, _ = wait(running, timeout=POLL_S, return_when=FIRST_COMPLETED)
            yield from self._drain(started)
            broken = False
            for future in done:
                task = running.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken = True
                    queue.appendleft(task)
                    continue
                outcome.attempts = started.get(task.key, 1)
                yield outcome
            if broken:
                yield from self._recover(queue, running, started)
        self._executor.shutdown(wait=True)
        self._executor = None

    def _recover(self, queue: deque[Task], running: dict[Future[Outcome], Task],
                 started: dict[str, int]) -> Iterator[tuple[str, str, int] | Outcome]:
        """After a worker died: keep what finished, fail tasks whose second run died, requeue the
        rest (tasks running in the dead pool first), start a new pool."""
        assert self._executor is not None
        self._executor.shutdown(wait=True, cancel_futures=True)
        yield from self._drain(started)
        self._check_starts()
        rerun = []
        for future, task in running.items():
            if future.done() and not future.cancelled() and future.exception() is None:
                outcome = future.result()
                outcome.attempts = started.get(task.key, 1)
                yield outcome
            else:
                rerun.append(task)
        running.clear()
        queue.extendleft(reversed(rerun))
        for task in list(queue):
            if started.get(task.key, 0) >= 2:
                queue.remove(task)
                yield Outcome(task.key, "failed", CRASH_REASON, "crash", attempts=started[task.key])
        self._pids.clear()
        self._executor = self._new_executor()

    def _check_starts(self) -> None:
        """Give up when pool after pool dies before any of its workers starts a task."""
        self._empty_breaks = 0 if self._starts_in_pool else self._empty_breaks + 1
        if self._empty_breaks >= MAX_EMPTY_BREAKS:
            raise RuntimeError(f"the worker processes died {self._empty_breaks} times before starting "
                               "any video; run with --workers 1 to see why")

    def close(self) -> None:
        """Stop at once: cancel queued tasks and end the worker processes."""
        if self._executor is None:
            return
        self._drain({})
        executor, self._executor = self._executor, None
        # Private attributes of ProcessPoolExecutor (stable since Python 3.9), read before shutdown
        # clears them: every worker it started, and the pipe the workers send results on.
        pids = self._pids | set(getattr(executor, "_processes", None) or ())
        results = getattr(executor, "_result_queue", None)
        executor.shutdown(wait=False, cancel_futures=True)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        # A worker killed half-way through sending its result leaves the pool's manager thread
        # waiting for the rest of the message, and the interpreter's exit waiting for that thread.
        # Closing our copy of the pipe's write end (the dead worker's copy is closed) makes the
        # wait end at once: the manager sees end-of-file, marks the pool broken and exits.
        writer = getattr(results, "_writer", None)
        if writer is not None:
            writer.close()
