"""The live loop: frames in, the pose of each frame, the analysis every half second, reps out.

Each frame goes through the pose model and into a :class:`~formcoach.pose.estimate.TrackBuilder`
(the same per-frame step as ``formcoach track``). Every :data:`ANALYSIS_EVERY_S` seconds of
footage the last :data:`WINDOW_S` seconds of the track are analysed (the whole analysis: reps,
findings, coaching, with the mirror image undone when the source is mirrored) and every rep that
is newly complete is handed to ``on_rep`` once (:class:`~formcoach.live.announce.RepAnnouncer`).
When the source ends, or on Ctrl-C, the whole track is analysed once more exactly as
``formcoach analyze`` would, and the reps not announced yet are announced.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from formcoach.api import SessionResult, analyze_track
from formcoach.errors import NoPersonError
from formcoach.exercise import Exercise
from formcoach.live.announce import RepAnnouncement, RepAnnouncer
from formcoach.live.source import LiveSource
from formcoach.pose.estimate import TrackBuilder, require_person
from formcoach.pose.protocol import PoseEstimator
from formcoach.track import PoseTrack

#: Footage between two analyses of the growing track, seconds.
ANALYSIS_EVERY_S = 0.5
#: Footage each live analysis looks back over, seconds: long enough for several reps (the longest
#: rep counted is 12 s), short enough that an analysis costs the same at minute 1 and 30.
WINDOW_S = 30.0

OnRep = Callable[[RepAnnouncement], None]


@dataclass
class LiveStats:
    """How the loop kept up: frames taken and dropped, time spent, in seconds of wall clock."""

    frames: int = 0
    dropped: int = 0
    analyses: int = 0
    wall_s: float = 0.0
    pose_s: float = 0.0
    analysis_s: float = 0.0

    @property
    def fps(self) -> float:
        """Frames taken per second of wall clock (0.0 before any)."""
        return self.frames / self.wall_s if self.wall_s > 0 else 0.0


@dataclass(frozen=True)
class Announced:
    """A rep announcement and when it was made: ``wall_s`` seconds after the first frame arrived."""

    rep: RepAnnouncement
    wall_s: float


@dataclass(frozen=True)
class LiveOutcome:
    """The end of a live session: the full analysis, every announcement, how the loop kept up, and
    whether it was stopped by Ctrl-C."""

    result: SessionResult
    announced: tuple[Announced, ...]
    stats: LiveStats
    interrupted: bool


@dataclass
class _Loop:
    """The mutable state of one live session (kept out of the loop body for readability)."""

    source: LiveSource
    exercise: Exercise
    mirrored: bool
    on_rep: OnRep
    clock: Callable[[], float]
    window_s: float
    builder: TrackBuilder = field(default_factory=TrackBuilder)
    announcer: RepAnnouncer = field(default_factory=RepAnnouncer)
    announced: list[Announced] = field(default_factory=list)
    stats: LiveStats = field(default_factory=LiveStats)
    started: float = math.nan

    def track(self, meta: dict[str, Any] | None = None) -> PoseTrack:
        """The track so far; a camera's frame rate is the one measured, not the driver's claim."""
        fps = self.source.fps
        times = self.builder.times_s
        if self.source.kind == "camera" and len(times) >= 3:
            fps = float(1.0 / np.median(np.diff(times)))
        return self.builder.track(self.source.width, self.source.height, fps, self.source.name, meta)

    def announce(self, result: SessionResult, now_s: float) -> None:
        """Hand the reps of ``result`` not announced yet to ``on_rep``, noting the wall time."""
        for rep in self.announcer.update(result.analysis.reps, result.events, now_s):
            self.announced.append(Announced(rep, self.clock() - self.started))
            self.on_rep(rep)

    def analyse_window(self, now_s: float) -> None:
        """Analyse the last ``window_s`` seconds of footage up to ``now_s`` and announce new reps."""
        began = self.clock()
        track = self.track()
        first = int(np.searchsorted(track.times_s, now_s - self.window_s))
        result = analyze_track(track.slice(first, len(track)), self.exercise, mirrored=self.mirrored)
        self.stats.analyses += 1
        self.stats.analysis_s += self.clock() - began
        self.announce(result, now_s)


@dataclass(frozen=True)
class LiveTiming:
    """How often the live loop analyses and how much: ``every_s`` seconds of footage between
    analyses, each of the last ``window_s`` seconds, timed by ``clock`` (seconds of wall clock)."""

    every_s: float = ANALYSIS_EVERY_S
    window_s: float = WINDOW_S
    clock: Callable[[], float] = time.perf_counter


def run_live(source: LiveSource, estimator: PoseEstimator, exercise: Exercise, *, mirrored: bool,
             on_rep: OnRep, timing: LiveTiming = LiveTiming(),
             meta: dict[str, Any] | None = None) -> LiveOutcome:
    """Watch ``source`` until it ends or Ctrl-C, calling ``on_rep`` once per newly completed rep.

    ``mirrored``: the source shows a mirror image; left and right are swapped back in every
    analysis. ``timing``: how often and how much footage each live analysis covers. ``meta`` goes
    into the track's ``meta``. The source is closed on the way out. Raises NoPersonError when no
    person was seen (or no frame came at all).
    """
    every_s, window_s, clock = timing.every_s, timing.window_s, timing.clock
    if not every_s > 0 or not window_s > 0:
        raise ValueError(f"every_s and window_s must be positive, got {every_s} and {window_s}")
    loop = _Loop(source, exercise, mirrored, on_rep, clock, window_s)
    interrupted = False
    next_analysis_s = every_s
    try:
        for t_s, rgb in source.frames:
            if not loop.builder:
                loop.started = clock()
            began = clock()
            loop.builder.add(t_s, estimator.process(rgb, t_s))
            loop.stats.pose_s += clock() - began
            if t_s >= next_analysis_s:  # on a fixed half-second grid of footage time
                next_analysis_s += every_s * (1 + (t_s - next_analysis_s) // every_s)
                loop.analyse_window(t_s)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        source.close()
    loop.stats.frames, loop.stats.dropped = source.counts.delivered, source.counts.dropped
    loop.stats.wall_s = clock() - loop.started if loop.builder else 0.0
    if not loop.builder:
        raise NoPersonError(f"{source.name}: no frame was read, so there is nothing to analyse")
    notes = {**(meta or {}), "warnings": [*(meta or {}).get("warnings", []), *source.warnings]}
    track = require_person(loop.track(notes), source.name)
    result = analyze_track(track, exercise, mirrored=mirrored, video=source.video)
    loop.announce(result, math.inf)
    return LiveOutcome(result, tuple(loop.announced), loop.stats, interrupted)
