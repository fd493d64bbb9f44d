"""The live loop: frames in, their poses, the analysis every half second, reps out.

Frames at least :data:`~formcoach.pose.estimate.POSE_MIN_GAP_S` apart (every frame of a 24-25 fps
camera, every second one of a 30 fps one, as ``formcoach analyze`` does with a file) go through
the pose model and into a :class:`~formcoach.pose.estimate.TrackBuilder` (the same per-frame step
as ``formcoach track``). Every :data:`ANALYSIS_EVERY_S` seconds of
footage the last :data:`WINDOW_S` seconds of the track are analysed (the whole analysis: reps,
findings, coaching, with the mirror image undone when the source is mirrored) and every rep that
is newly complete is handed to ``on_rep`` once (:class:`~formcoach.live.announce.RepAnnouncer`).
Everything a person follows (visible or not, placement, view, reps against the prescription, sets
and rests, frames dropped, the summary) goes to ``on_event`` as typed events
(:mod:`formcoach.live.events`, made by :class:`~formcoach.live.tracker.EventTracker`).
When the source ends, on Ctrl-C, or after ``idle_stop_s`` of footage with nobody in view, the whole
track is analysed once more exactly as ``formcoach analyze`` would, and the reps not announced yet
are announced. The source may be a camera, a file or a browser: the loop only sees ``(t_s, rgb)``.
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
from formcoach.live.events import FramesEvent, LiveEvent
from formcoach.live.source import LiveSource
from formcoach.live.tracker import EventTracker
from formcoach.pose.estimate import POSE_MIN_GAP_S, TrackBuilder, require_person
from formcoach.pose.protocol import PoseEstimator
from formcoach.track import PoseTrack
from formcoach.video import GAP_SLACK_S

#: Footage between two analyses of the growing track, seconds.
ANALYSIS_EVERY_S = 0.5
#: Footage each live analysis looks back over, seconds: long enough for several reps (the longest
#: rep counted is 12 s), short enough that an analysis costs the same at minute 1 and 30.
WINDOW_S = 30.0
#: Footage between two reports of frames analysed and dropped, seconds.
FRAMES_EVERY_S = 2.0
#: When the pose model keeps up with fewer frames than the camera sends (a slow or busy machine),
#: the live track's frames lie further apart than the exercise's ``max_gap_s`` allows for a
#: dropout; a gap is then a dropout only when longer than this many median frame intervals.
GAP_INTERVALS = 3.0

OnRep = Callable[[RepAnnouncement], None]
OnEvent = Callable[[LiveEvent], None]


@dataclass
class LiveStats:
    """How the loop kept up: frames taken and dropped, frames the pose model saw, time spent, in
    seconds of wall clock."""

    frames: int = 0
    dropped: int = 0
    posed: int = 0
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
    """The end of a live session: the full analysis, every announcement, how the loop kept up,
    whether it was stopped by Ctrl-C, and why it ended (``end``: the source ended, ``interrupted``:
    Ctrl-C, ``idle``: nobody in view for ``idle_stop_s``)."""

    result: SessionResult
    announced: tuple[Announced, ...]
    stats: LiveStats
    interrupted: bool
    reason: str = "end"


@dataclass
class _Loop:
    """The mutable state of one live session (kept out of the loop body for readability)."""

    source: LiveSource
    exercise: Exercise
    mirrored: bool
    on_rep: OnRep
    on_event: OnEvent
    clock: Callable[[], float]
    window_s: float
    tracker: EventTracker
    builder: TrackBuilder = field(default_factory=TrackBuilder)
    announcer: RepAnnouncer = field(default_factory=RepAnnouncer)
    announced: list[Announced] = field(default_factory=list)
    stats: LiveStats = field(default_factory=LiveStats)
    started: float = math.nan
    next_frames_s: float = FRAMES_EVERY_S

    def emit(self, events: list[LiveEvent]) -> None:
        """Hand ``events`` to ``on_event`` in order."""
        for event in events:
            self.on_event(event)

    def add_frame(self, t_s: float, rgb: np.ndarray, estimator: PoseEstimator) -> None:
        """Run the pose model on one frame, keep it in the track and send what changed."""
        if not self.builder:
            self.started = self.clock()
        began = self.clock()
        pose = estimator.process(rgb, t_s)
        self.builder.add(t_s, pose)
        self.stats.pose_s += self.clock() - began
        self.stats.posed += 1
        self.emit(self.tracker.frame(t_s, self.builder.latest_image))
        if t_s >= self.next_frames_s:
            self.next_frames_s = t_s + FRAMES_EVERY_S
            counts = self.source.counts
            lag = counts.newest_s - t_s if math.isfinite(counts.newest_s) else 0.0
            self.on_event(FramesEvent(t_s, counts.delivered, counts.dropped, max(lag, 0.0)))

    def track(self, meta: dict[str, Any] | None = None) -> PoseTrack:
        """The track so far; a camera's frame rate is the one measured, not the driver's claim."""
        fps = self.source.fps
        times = self.builder.times_s
        if self.source.kind != "file" and len(times) >= 3:
            fps = float(1.0 / np.median(np.diff(times)))
        return self.builder.track(self.source.width, self.source.height, fps, self.source.name, meta)

    def announce(self, result: SessionResult, now_s: float) -> list[RepAnnouncement]:
        """Hand the reps of ``result`` not announced yet to ``on_rep``, noting the wall time."""
        fresh = self.announcer.update(result.analysis.reps, result.events, now_s)
        for rep in fresh:
            self.announced.append(Announced(rep, self.clock() - self.started))
            self.on_rep(rep)
        return fresh

    def analyse_window(self, now_s: float) -> None:
        """Analyse the last ``window_s`` seconds of footage up to ``now_s`` and announce new reps."""
        began = self.clock()
        track = self.track()
        first = int(np.searchsorted(track.times_s, now_s - self.window_s))
        window = track.slice(first, len(track))
        result = analyze_track(window, sampled(self.exercise, window.times_s), mirrored=self.mirrored)
        self.stats.analyses += 1
        self.stats.analysis_s += self.clock() - began
        self.emit(self.tracker.analysis(now_s, result, self.announce(result, now_s)))


def sampled(exercise: Exercise, times_s: np.ndarray) -> Exercise:
    """``exercise`` as it is, or with its rep detection's ``max_gap_s`` widened to
    :data:`GAP_INTERVALS` median frame intervals of ``times_s`` (seconds) when that is longer: a
    sparse frame rate is the loop's sampling, not the person leaving the picture."""
    if len(times_s) < 3:
        return exercise
    gap_s = GAP_INTERVALS * float(np.median(np.diff(times_s)))
    detection = exercise.rep_detection
    if gap_s <= detection.max_gap_s:
        return exercise
    return exercise.model_copy(update={"rep_detection": detection.model_copy(update={"max_gap_s": gap_s})})


@dataclass(frozen=True)
class LiveTiming:
    """How often the live loop analyses and how much: ``every_s`` seconds of footage between
    analyses, each of the last ``window_s`` seconds, timed by ``clock`` (seconds of wall clock);
    ``idle_stop_s`` seconds of footage with nobody in view end the session (None: never); the pose
    model sees frames at least ``pose_min_gap_s`` seconds of footage apart (0: every frame)."""

    every_s: float = ANALYSIS_EVERY_S
    window_s: float = WINDOW_S
    clock: Callable[[], float] = time.perf_counter
    idle_stop_s: float | None = None
    pose_min_gap_s: float = POSE_MIN_GAP_S


@dataclass(frozen=True)
class LiveHooks:
    """What the live loop calls as it goes: ``on_rep`` once per newly completed rep, ``on_event``
    with every event (:mod:`formcoach.live.events`), the summary last. None: nothing is called."""

    on_rep: OnRep | None = None
    on_event: OnEvent | None = None


def run_live(source: LiveSource, estimator: PoseEstimator, exercise: Exercise, *, mirrored: bool,
             hooks: LiveHooks = LiveHooks(), timing: LiveTiming = LiveTiming(),
             meta: dict[str, Any] | None = None) -> LiveOutcome:
    """Watch ``source`` until it ends, Ctrl-C, or ``timing.idle_stop_s`` seconds of footage with
    nobody in view, calling ``hooks`` as reps end and events happen.

    ``mirrored``: the source shows a mirror image; left and right are swapped back in every
    analysis. ``timing``: how often and how much footage each live analysis covers. ``meta`` goes
    into the track's ``meta``. The source is closed on the way out. Raises NoPersonError when no
    person was seen (or no frame came at all).
    """
    every_s, window_s, clock = timing.every_s, timing.window_s, timing.clock
    if not every_s > 0 or not window_s > 0:
        raise ValueError(f"every_s and window_s must be positive, got {every_s} and {window_s}")
    loop = _Loop(source, exercise, mirrored, hooks.on_rep or (lambda rep: None),
                 hooks.on_event or (lambda event: None),
                 clock, window_s, EventTracker(exercise))
    reason = _watch(loop, estimator, timing)
    loop.stats.frames, loop.stats.dropped = source.counts.delivered, source.counts.dropped
    loop.stats.wall_s = clock() - loop.started if loop.builder else 0.0
    if not loop.builder:
        raise NoPersonError(f"{source.name}: no frame was read, so there is nothing to analyse")
    notes = {**(meta or {}), "warnings": [*(meta or {}).get("warnings", []), *source.warnings]}
    track = require_person(loop.track(notes), source.name)
    result = analyze_track(track, sampled(exercise, track.times_s), mirrored=mirrored, video=source.video)
    end_s = float(track.times_s[-1])
    loop.emit(loop.tracker.analysis(end_s, None, loop.announce(result, math.inf)))
    loop.on_event(loop.tracker.summary(end_s, result, loop.stats.frames, loop.stats.dropped, reason))
    return LiveOutcome(result, tuple(loop.announced), loop.stats, reason == "interrupted", reason)


def _watch(loop: _Loop, estimator: PoseEstimator, timing: LiveTiming) -> str:
    """The frame loop: pose on frames ``timing.pose_min_gap_s`` apart, an analysis on a fixed grid
    of ``timing.every_s`` seconds of footage; returns why it ended (``end``, ``interrupted`` or
    ``idle``). Closes the source."""
    every_s, idle_stop_s = timing.every_s, timing.idle_stop_s
    next_analysis_s, next_pose_s = every_s, -math.inf
    try:
        for t_s, rgb in loop.source.frames:
            if t_s >= next_pose_s:
                next_pose_s = t_s + timing.pose_min_gap_s - GAP_SLACK_S
                loop.add_frame(t_s, rgb, estimator)
            if t_s >= next_analysis_s:  # on a fixed half-second grid of footage time
                next_analysis_s += every_s * (1 + (t_s - next_analysis_s) // every_s)
                loop.analyse_window(t_s)
            if idle_stop_s is not None and loop.tracker.idle_s(t_s) >= idle_stop_s:
                return "idle"
    except KeyboardInterrupt:
        return "interrupted"
    finally:
        loop.source.close()
    return "end"
