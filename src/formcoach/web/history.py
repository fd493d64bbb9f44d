"""The web app's one door to the history store (:mod:`formcoach.store`): every page, API call and
job reads and writes sessions through these few functions, so the routers never touch SQL.

Session ids come from the store (random, unguessable); :func:`valid_id` rejects anything else
before it reaches the store, so an id is never a path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

#: What a session id may look like (letters, digits, ``-``, ``_``; no dots, no slashes).
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
#: The statuses a session goes through, in order; ``failed`` and ``interrupted`` end it early.
STATUSES = ("queued", "running", "done", "failed", "interrupted")
#: Artefact file names inside a session's folder (chosen here, never by the user).
REPORT = "report.html"
ANNOTATED = "annotated.mp4"
ORIGINAL = "video"


def valid_id(session_id: str) -> bool:
    """True when ``session_id`` has the shape of a store id (so it is safe to look up)."""
    return ID_PATTERN.fullmatch(session_id) is not None


def open_store(url: str | None) -> Any:
    """Open (and migrate) the history database at ``url`` (None: the user's default)."""
    from formcoach import store

    return store.open(url)


def artefact(store: Any, session_id: str, name: str) -> Path:
    """The path of artefact ``name`` (one of this module's constants) of a session."""
    return Path(store.artefact_dir(session_id)) / name


def original_video(store: Any, session_id: str) -> Path | None:
    """The uploaded video kept until its analysis is done, or None."""
    folder = Path(store.artefact_dir(session_id))
    found = sorted(folder.glob(ORIGINAL + ".*")) if folder.is_dir() else []
    return found[0] if found else None
