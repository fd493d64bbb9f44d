"""The live path: a webcam (or a replayed recording) watched as you train, reps announced as they end.

``formcoach live`` opens a :class:`~formcoach.live.source.LiveSource`, runs :func:`run_live` and
prints the same summary as ``formcoach analyze`` at the end. Mirroring (a webcam's selfie view) is
undone the way the analysis always does it: ``analyze(track, params, mirrored=True)``.
"""

from formcoach.live.announce import RepAnnouncement, RepAnnouncer
from formcoach.live.session import LiveHooks, LiveOutcome, LiveStats, LiveTiming, run_live
from formcoach.live.source import LiveSource, camera_source, file_source

__all__ = [
           "LiveHooks",
           "LiveOutcome",
           "LiveSource",
           "LiveStats",
           "LiveTiming",
           "RepAnnouncement",
           "RepAnnouncer",
           "camera_source",
           "file_source",
           "run_live",
]
