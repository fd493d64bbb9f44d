"""The batch's one door to the history store (:mod:`formcoach.store`): find a video already done,
save a finished one with source ``batch``. Only the driver process talks to the database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from formcoach.batch.records import ANALYSIS_SUFFIX
from formcoach.batch.tasks import Settings, Task

if TYPE_CHECKING:
    from formcoach.api import SessionResult
    from formcoach.store import Store

#: Output suffix -> the store's artefact kind (the analysis JSON is in the session row itself).
ARTEFACT_KINDS = {"report.html": "report", "annotated.mp4": "video"}


class History:
    """The history database a batch saves into (``url`` as ``--db``: None for ``$FORMCOACH_DB``
    or the default SQLite file in the data folder)."""

    def __init__(self, url: str | None) -> None:
        from formcoach import store

        self._store: Store = store.open(url)

    @property
    def where(self) -> str:
        """The database as shown to a user (a file path, or the URL without its password)."""
        return self._store.where

    def find_done(self, task: Task, settings: Settings) -> str | None:
        """The id of a done session of this video content, pose model and exercise file, or None."""
        return self._store.find_done(task.sha256, settings.model, settings.exercise.id,
                                     int(settings.exercise.version))

    def save(self, result: SessionResult, task: Task, files: dict[str, Path]) -> str:
        """Save ``result`` with source ``batch``, its content hash and the report and annotated
        video among ``files`` (output suffix -> path) as artefacts; return the session id."""
        artefacts = {ARTEFACT_KINDS[suffix]: path for suffix, path in files.items()
                     if suffix != ANALYSIS_SUFFIX and suffix in ARTEFACT_KINDS}
        return self._store.save(result, source="batch", video_hash=task.sha256, artefacts=artefacts,
                                filename=task.path.name)

    def close(self) -> None:
        """Close the database connections."""
        self._store.close()
