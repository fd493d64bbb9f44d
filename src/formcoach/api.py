"""The one call every shell (command line, demo, live loop, web app, batch runner) makes.

``analyze(source, exercise)`` is the entry point, exported from the package root: ``source`` is a
video or pose-track file (``str`` or ``Path``) or a :class:`PoseTrack`, ``exercise`` a packaged
exercise id, a YAML path or an :class:`Exercise`. ``analyze_track(track, exercise)`` runs the whole
analysis on a pose track: reps, legs, sets and tempo (:mod:`formcoach.analysis`), the mistakes
(:mod:`formcoach.findings`) and the coaching cues (:mod:`formcoach.coaching`).
``analyze_file(path, exercise)`` first reads a track file or runs the pose model on a video. Reports
are written from the result by :func:`write_report` and :func:`write_annotated_video`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from formcoach.analysis import Analysis, AnalysisParams
from formcoach.analysis.pipeline import analyze_measured
from formcoach.analysis.prepare import Measured, measure
from formcoach.coaching import CoachingEvent, coach, cue_texts
from formcoach.errors import UserError
from formcoach.exercise import Exercise, load_exercise
from formcoach.findings.api import attach_findings, detect
from formcoach.memory import release_free_memory
from formcoach.track import PoseTrack

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SessionResult:
    """Everything one analysis produced: the track, the analysis with its findings, the coaching."""

    track: PoseTrack
    analysis: Analysis
    exercise: Exercise
    events: tuple[CoachingEvent, ...]
    video: Path | None = None
    #: the landmarks and features the analysis measured (mirror image undone, leg swaps repaired,
    #: filtered); None only for a result built by hand, when :meth:`prepared` measures them
    measured: Measured | None = None

    def prepared(self) -> Measured:
        """What the analysis measured ``track`` from (prepared now if the result was built without it)."""
        if self.measured is not None:
            return self.measured
        params = AnalysisParams.from_exercise(self.exercise)
        return measure(self.track, params, mirrored=self.analysis.mirrored)

    def to_dict(self) -> dict[str, Any]:
        """The documented analysis JSON object (``docs/analysis-json.md``), coaching included."""
        data = self.analysis.to_dict()
        data["coaching"] = [event.to_dict() for event in self.events]
        return data


def analyze_track(track: PoseTrack, exercise: Exercise, *, mirrored: bool = False,
                  video: Path | None = None, cooldown_reps: int | None = None) -> SessionResult:
    """Analyse a pose track against ``exercise``; ``mirrored`` for selfie (mirror-image) footage;
    ``cooldown_reps`` overrides the exercise file's ``coaching.cooldown_reps``."""
    began = time.perf_counter()
    params = AnalysisParams.from_exercise(exercise)
    measured = measure(track, params, mirrored=mirrored)
    analysis = analyze_measured(measured, params)
    per_rep, session = detect(measured, analysis, exercise)
    analysis = attach_findings(analysis, per_rep, session)
    analysis = replace(analysis, timing={"analysis_s": time.perf_counter() - began})
    cooldown = exercise.coaching.cooldown_reps if cooldown_reps is None else cooldown_reps
    events = coach(analysis.reps, cue_texts(exercise), cooldown_reps=cooldown)
    release_free_memory()  # the analysis's temporary arrays
    return SessionResult(track, analysis, exercise, tuple(events), video, measured)


def analyze_file(path: str | Path, exercise: Exercise, *, model: str = "full", mirrored: bool = False,
                 progress: Progress | None = None, backend: str | None = None,
                 cache: bool = True) -> SessionResult:
    """Analyse a video (pose estimation first, or its cached track) or a pose-track file."""
    from formcoach.pose import load_input
    from formcoach.pose.estimate import DEFAULT_BACKEND
    from formcoach.trackio import is_track_path

    path = Path(path)
    track = load_input(path, model=model, progress=progress, backend=backend or DEFAULT_BACKEND, cache=cache)
    return analyze_track(track, exercise, mirrored=mirrored, video=None if is_track_path(path) else path)


def analyze(source: str | Path | PoseTrack, exercise: str | Path | Exercise = "reverse_lunge", *,
            mirrored: bool = False, model: str = "full", progress: Progress | None = None,
            backend: str | None = None, cache: bool = True) -> SessionResult:
    """Analyse a lunge session: reps, legs, sets, tempo, the mistakes and the coaching cues.

    Args:
        source: a video file, a pose-track file (``.jsonl``/``.npz``), as ``str`` or ``Path``, or a
            :class:`PoseTrack` already in memory.
        exercise: a packaged exercise id (``"reverse_lunge"``), the path of an exercise YAML file,
            or an :class:`Exercise`.
        mirrored: True for selfie-camera footage (a mirror image): left and right are swapped back.
        model: the pose model for a video: ``"lite"``, ``"full"`` or ``"heavy"``.
        progress: called as ``progress(done, total)`` in frames while the pose model runs.
        backend: who runs the pose model: ``"litert"`` (LiteRT on every core, the default) or
            ``"mediapipe"`` (MediaPipe's Tasks API: the same analyses, a little slower).
        cache: read a video's pose track from the pose-track cache in the data folder when this
            video was analysed before with the same model and backend, and store it there otherwise.

    Raises:
        UserError: (and its subclasses) for input a user can fix, with a one-line message.
    """
    chosen = exercise if isinstance(exercise, Exercise) else load_exercise(exercise)
    if isinstance(source, PoseTrack):
        return analyze_track(source, chosen, mirrored=mirrored)
    return analyze_file(source, chosen, model=model, mirrored=mirrored, progress=progress, backend=backend,
                        cache=cache)


def write_report(result: SessionResult, path: Path, *, synthetic: bool = False) -> Path:
    """Write the self-contained HTML report of ``result`` to ``path``; return the path."""
    from formcoach.report.html import render_report

    _check_folder(path)
    html = render_report(result, synthetic=synthetic)
    path.write_text(html, encoding="utf-8")
    del html
    release_free_memory()  # the plots' and stills' buffers
    return path


def write_annotated_video(result: SessionResult, path: Path, progress: Progress | None = None) -> Path:
    """Write the annotated copy of the analysed video to ``path`` (H.264 MP4); return the path."""
    from formcoach.report.annotate import annotate_video

    if result.video is None:
        raise UserError("an annotated video needs the original video: analyse the video, not a track file")
    _check_folder(path)
    return annotate_video(result.video, result.prepared(), result.analysis, result.events, path, progress)


def _check_folder(path: Path) -> None:
    if not path.parent.is_dir():
        raise UserError(f"{path.parent}: folder does not exist")
    if path.exists() and path.is_dir():
        raise UserError(f"{path}: is a folder; give a file name")
