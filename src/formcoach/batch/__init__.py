"""``formcoach batch``: many videos analysed as independent tasks, on local processes or on Ray.

:func:`run_batch` plans the videos (:mod:`.inputs`), skips those already done (:mod:`.records`,
:mod:`.history`), runs the rest with :func:`.worker.run_task` on a backend (:mod:`.local`, or
:mod:`.ray_runner`, the one module that imports Ray) and keeps every outcome. Nothing here is
imported by the analysis; the analysis is reached only through ``formcoach.analyze`` and the
report writers. See ``docs/batch.md``.
"""

from formcoach.batch.records import Record
from formcoach.batch.runner import BatchOptions, BatchReport, Watcher, run_batch
from formcoach.batch.tasks import Outcome, Settings, Task

__all__ = ["BatchOptions", "BatchReport", "Outcome", "Record", "Settings", "Task", "Watcher", "run_batch"]
