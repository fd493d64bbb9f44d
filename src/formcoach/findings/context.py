"""Each rep's frame windows (baseline, lowering, bottom, rise, top).

A detector looks at a rep through a :class:`RepContext`: which leg is in front, the camera view,
and frame index windows, all worked out once here from the rep analysis's times.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcoach.analysis.reps import Rep
from formcoach.analysis.result import Analysis
from formcoach.arrays import nearest_frame
from formcoach.exercise.tuning import FindingDetection
from formcoach.findings.views import view_at, view_steadiness_at
from formcoach.vocab import Leg, SessionLungeType, View


@dataclass(frozen=True)
class RepContext:
    """One rep as the detectors see it. Frame indices are into the track; stops are exclusive.

    Attributes:
        index: the rep's 1-based index among counted reps.
        leg: the working (front) leg, "left" or "right"; ``front`` is its column (0 left, 1 right).
        view: the camera view at the rep's bottom ("front", "side", "rear", "oblique", "unknown").
        start, bottom_first, peak, bottom_last, end: frames where the lowering starts, the bottom
            phase starts, the hips are lowest, the rise starts and the rep ends.
        baseline: (first, stop) standing frames just before the rep (may be empty).
        top: (first, stop) standing frames after the rep, up to the next rep's start (may be empty).
        lowering_s, rise_s: phase durations, seconds (from the rep analysis).
        yaw_deg: the body's facing angle to the camera at the bottom, degrees (0 = facing it,
            +-90 side-on; NaN if unknown), from the rep analysis's view.
        tempo_tolerance_s: how far past a tempo limit a phase must be, seconds, before it is
            called fast or slow (the rep analysis's own tempo verdict uses the same).
        lunge_type: the session's lunge type from the rep analysis ("reverse", "split_squat", ...).
        phases_seen: the rep was seen standing before and after it, so its lowering and rise times
            are its own (:attr:`formcoach.analysis.reps.Rep.phases_seen`).
        feet_seen: the feet were in the picture during the rep
            (:attr:`formcoach.analysis.reps.Rep.feet_seen`); if not, no mistake is judged on it.
        view_steadiness: how steady the body's facing was in the rep's view span, 0..1
            (:attr:`formcoach.analysis.view.ViewSpan.confidence`); below the exercise file's
            ``view_min_steadiness`` the view is not known well enough to judge anything.
    """

    index: int
    leg: Leg
    view: View
    start: int
    bottom_first: int
    peak: int
    bottom_last: int
    end: int
    baseline: tuple[int, int]
    top: tuple[int, int]
    lowering_s: float
    rise_s: float
    yaw_deg: float
    tempo_tolerance_s: float
    lunge_type: SessionLungeType
    phases_seen: bool = True
    feet_seen: bool = True
    view_steadiness: float = 1.0

    @property
    def front(self) -> int:
        """Column of the front leg in (T, 2) signals."""
        return 0 if self.leg == "left" else 1

    @property
    def back(self) -> int:
        """Column of the back leg."""
        return 1 - self.front

    @property
    def frames(self) -> tuple[int, int]:
        """First and last frame of the rep."""
        return (self.start, self.end)

    @property
    def side_sign(self) -> float:
        """+1 when the left leg is in front, -1 for the right (turns "left hip up" into "back side down")."""
        return 1.0 if self.leg == "left" else -1.0


def rep_context(times_s: np.ndarray, rep: Rep, index: int, analysis: Analysis,
                bounds_s: tuple[float, float], params: FindingDetection) -> RepContext:
    """The :class:`RepContext` of ``rep`` (``index``: its 1-based index, negative for an attempt) in
    ``analysis``, whose view, tempo tolerance and lunge type it takes; ``bounds_s``, the previous
    rep's end and the next one's start (NaN when none), bound its baseline (at most
    ``params.baseline_s`` seconds before it) and top (at most ``params.top_max_s`` after it)."""
    prev_end_s, next_start_s = bounds_s
    view, yaw_deg = view_at(analysis.views, rep.bottom_s)
    start, peak, end = (int(f) for f in rep.frames)
    first = max(start, min(peak, nearest_frame(times_s, rep.start_s + rep.lowering_s)))
    last = min(end, max(peak, nearest_frame(times_s, rep.end_s - rep.rise_s)))
    b0 = nearest_frame(times_s, max(rep.start_s - params.baseline_s, prev_end_s)) if np.isfinite(prev_end_s) \
        else nearest_frame(times_s, rep.start_s - params.baseline_s)
    top_stop_s = rep.end_s + params.top_max_s
    if np.isfinite(next_start_s):
        top_stop_s = min(top_stop_s, next_start_s)
    top_stop = int(np.searchsorted(times_s, top_stop_s, side="left"))
    return RepContext(index=index, leg=rep.leg, view=view, start=start, bottom_first=first, peak=peak,
                      bottom_last=last, end=end, baseline=(min(b0, start), start + 1),
                      top=(end, max(end + 1, top_stop)), lowering_s=rep.lowering_s, rise_s=rep.rise_s,
                      yaw_deg=yaw_deg, tempo_tolerance_s=analysis.prescription.tempo.tolerance_s,
                      lunge_type=analysis.lunge_type, phases_seen=rep.phases_seen,
                      feet_seen=rep.feet_seen,
                      view_steadiness=view_steadiness_at(analysis.views, rep.bottom_s))
