"""The unit of work of a batch: one video (a :class:`Task`), analysed with one :class:`Settings`,
giving one :class:`Outcome`. Plain picklable data: it travels to worker processes and Ray nodes.

A task's ``key`` is what makes two analyses the same: the video's content (SHA-256 of its bytes),
the pose model, the exercise id and the exercise's version (a hash of the whole validated exercise,
so a retuned threshold is a new version). A rerun skips every key already done.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from formcoach.api import SessionResult
    from formcoach.exercise import Exercise

Status = Literal["done", "failed"]
#: Why a task failed: bad ``input`` (corrupt, no person: the same again on a rerun), an
#: ``internal`` error (a bug), or a ``crash`` (the worker process died twice).
FailureKind = Literal["", "input", "internal", "crash"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_HASH_CHUNK_BYTES = 1 << 20


def file_sha256(path: Path) -> str:
    """SHA-256 of the bytes of ``path``, as 64 hex digits (read in 1 MiB chunks)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def exercise_version(exercise: Exercise) -> str:
    """The exercise's version for resuming: its format version and a 12-hex-digit hash of its
    validated content (thresholds, views, wording), e.g. ``"1-3f2a9c0d41b7"``."""
    digest = hashlib.sha256(exercise.model_dump_json().encode("utf-8")).hexdigest()
    return f"{exercise.version}-{digest[:12]}"


@dataclass(frozen=True)
class Settings:
    """How every video of a batch is analysed and what is written for it.

    ``model`` is the pose model (``lite``, ``full``, ``heavy``); ``report`` and ``video`` ask for
    the HTML report and the annotated video besides the analysis JSON.
    """

    exercise: Exercise
    model: str = "full"
    report: bool = False
    video: bool = False

    @cached_property
    def exercise_version(self) -> str:
        """See :func:`exercise_version`."""
        return exercise_version(self.exercise)

    def key(self, sha256: str) -> str:
        """The resume key of a video with content hash ``sha256`` under these settings."""
        return f"{sha256}:{self.model}:{self.exercise.id}:{self.exercise_version}"


@dataclass(frozen=True)
class Task:
    """One video to analyse: its path (as every worker sees it), content hash and resume key."""

    path: Path
    sha256: str
    key: str

    @property
    def stem(self) -> str:
        """The base of its output file names: the file name made safe, then 12 hex digits of its
        content hash, so two videos called ``lunges.mp4`` in different folders never collide."""
        name = _UNSAFE.sub("_", self.path.stem).strip("._") or "video"
        return f"{name[:80]}.{self.sha256[:12]}"


@dataclass
class Outcome:
    """What a worker returns for a task.

    ``analysis_json`` is the exact text ``formcoach analyze --json`` prints (newline included);
    ``files`` maps an output suffix (``"report.html"``, ``"annotated.mp4"``) to its bytes, written
    under ``--out`` by the driver; ``seconds`` is the wall time the worker spent on it.
    """

    key: str
    status: Status
    error: str = ""
    kind: FailureKind = ""
    analysis_json: str = ""
    result: SessionResult | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    seconds: float = 0.0
    pid: int = 0
    attempts: int = 1
