"""formcoach: a private, local AI form coach for home strength training.

The public API, importable from the package root::

    import formcoach
    result = formcoach.analyze("lunges.mp4")          # or a .jsonl track, or a PoseTrack
    result.analysis.reps[0].leg

Names are imported on first use, so ``import formcoach`` itself loads nothing heavy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "analyze": "formcoach.api",
    "SessionResult": "formcoach.api",
    "write_report": "formcoach.api",
    "write_annotated_video": "formcoach.api",
    "load_exercise": "formcoach.exercise",
    "Exercise": "formcoach.exercise",
    "Analysis": "formcoach.analysis",
    "PoseTrack": "formcoach.track",
    "UserError": "formcoach.errors",
}

__all__ = [
    "Analysis",
    "Exercise",
    "PoseTrack",
    "SessionResult",
    "UserError",
    "__version__",
    "analyze",
    "load_exercise",
    "write_annotated_video",
    "write_report",
]

if TYPE_CHECKING:
    from formcoach.analysis import Analysis
    from formcoach.api import SessionResult, analyze, write_annotated_video, write_report
    from formcoach.errors import UserError
    from formcoach.exercise import Exercise, load_exercise
    from formcoach.track import PoseTrack


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562)."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'formcoach' has no attribute {name!r}")
