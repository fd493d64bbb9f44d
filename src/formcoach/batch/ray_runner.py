"""The Ray backend: the same tasks on a Ray cluster, or on a Ray instance started on this machine.

The only module of formcoach that imports Ray (an optional extra: ``pip install 'formcoach[ray]'``).
Each video is one Ray task asking for one CPU; Ray itself runs a task again, once, when the worker
process running it dies (``max_retries=1``: a crash, not an exception, since :func:`run_task`
turns every exception into a failed outcome). Workers report the start of a task on a Ray queue,
so the driver can count runs and show progress. Ray's usage statistics are turned off for an
instance started here (nothing leaves the machine); set ``RAY_USAGE_STATS_ENABLED=0`` on a cluster.
See ``docs/batch.md`` for clusters: how workers get formcoach and how they share a history.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any

from formcoach.batch.tasks import Outcome, Settings, Task
from formcoach.batch.worker import one_line, run_task
from formcoach.errors import UserError

POLL_S = 0.2
CRASH_REASON = "the Ray worker analysing it died twice (killed, or out of memory)"


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise UserError("--ray needs Ray, an optional extra: pip install 'formcoach[ray]' "
                        "(or run without --ray on a local process pool)") from None
    return ray


def _ray_run(task: Task, settings: Settings, events: Any) -> Outcome:
    events.put(("start", task.key, os.getpid()))
    return run_task(task, settings)


class RayPool:
    """Tasks on Ray: ``address`` of a running cluster (``"auto"``, ``"ray://host:10001"``), or
    ``None`` for a new local instance with ``cpus`` CPUs (all of this machine's when ``None``).
    When this process is already connected to Ray, that connection is used as it is."""

    def __init__(self, address: str | None = None, cpus: int | None = None) -> None:
        self.address = address or os.environ.get("RAY_ADDRESS") or None
        self.cpus = cpus
        self._ray = _ray()
        self._started_here = False
        self._running: dict[Any, Task] = {}

    def _connect(self) -> None:
        ray = self._ray
        if ray.is_initialized():
            return
        try:
            if self.address is None:
                os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
                ray.init(num_cpus=self.cpus, include_dashboard=False, log_to_driver=False,
                         logging_level=logging.WARNING)
            else:
                ray.init(address=self.address, log_to_driver=False, logging_level=logging.WARNING)
        except (ConnectionError, RuntimeError, ValueError) as error:
            where = self.address or "a local instance"
            raise UserError(f"cannot start or reach Ray at {where}: {one_line(error)}; check the "
                            "address (ray status on the head node prints it)") from None
        self._started_here = True

    def describe(self) -> str:
        """One line naming the backend and its CPUs, for the command's output."""
        self._connect()
        cpus = int(self._ray.cluster_resources().get("CPU", 0))
        nodes = len([n for n in self._ray.nodes() if n.get("Alive")])
        return f"Ray, {nodes} node{'s' if nodes != 1 else ''}, {cpus} CPUs"

    def run(self, tasks: Sequence[Task], settings: Settings) -> Iterator[tuple[str, str, int] | Outcome]:
        """Run ``tasks`` on Ray; yield start events and outcomes (in completion order)."""
        from ray.util.queue import Queue

        ray = self._ray
        self._connect()
        remote = ray.remote(num_cpus=1, max_retries=1, retry_exceptions=False)(_ray_run)
        window = max(2, 2 * int(ray.cluster_resources().get("CPU", 1)))
        events, settings_ref = Queue(), ray.put(settings)
        queue, started = deque(tasks), dict[str, int]()
        while queue or self._running:
            while queue and len(self._running) < window:
                task = queue.popleft()
                self._running[remote.remote(task, settings_ref, events)] = task
            ready, _ = ray.wait(list(self._running), num_returns=len(self._running), timeout=POLL_S)
            for kind, key, pid in events.get_nowait_batch(events.qsize()):
                started[key] = started.get(key, 0) + 1
                yield kind, key, pid
            for ref in ready:
                task = self._running.pop(ref)
                yield self._outcome(ref, task, started.get(task.key, 1))

    def _outcome(self, ref: Any, task: Task, runs: int) -> Outcome:
        exceptions = self._ray.exceptions
        try:
            outcome: Outcome = self._ray.get(ref)
        except (exceptions.WorkerCrashedError, exceptions.NodeDiedError):
            return Outcome(task.key, "failed", CRASH_REASON, "crash", attempts=runs)
        except exceptions.RayError as error:
            return Outcome(task.key, "failed", f"Ray error: {one_line(error)}", "internal", attempts=runs)
        outcome.attempts = runs
        return outcome

    def close(self) -> None:
        """Stop at once: cancel the running tasks; shut down a Ray instance started here."""
        for ref in self._running:
            self._ray.cancel(ref, force=True)
        self._running.clear()
        if self._started_here:
            self._ray.shutdown()
            self._started_here = False
