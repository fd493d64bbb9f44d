"""Run a pose backend over a whole video and keep one person's track (:mod:`formcoach.pose.builder`).

Both cores work: frames are decoded on a second thread while the model looks at the previous one,
and a video long enough is cut into consecutive spans of time, one per core, each with its own
model and decoder (MediaPipe's Python API runs its model on one thread); the spans' tracks are
joined in time order.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from formcoach.errors import BadVideoError
from formcoach.memory import release_free_memory
from formcoach.pose.builder import TrackBuilder, choose_person, require_person
from formcoach.pose.protocol import PoseEstimator
from formcoach.pose.zoom import ZOOM_BELOW, Crop, CroppedPose, find_crop
from formcoach.track import PoseTrack
from formcoach.trackio import is_track_path, read_track
from formcoach.video import VideoInfo, iter_frames_sparse, probe
from formcoach.video.prefetch import prefetch

__all__ = ["BACKENDS", "DEFAULT_BACKEND", "MODELS", "POSE_MAX_SIDE_PX", "POSE_MIN_GAP_S", "TrackBuilder",
           "check_choice", "choose_person", "create_estimator", "estimate_track", "load_input",
           "require_person"]

MODELS = ("lite", "full", "heavy")
#: Pose backends: BlazePose run by MediaPipe's Tasks API, or by LiteRT with every core (about 1.5x
#: less CPU a frame, on two threads; docs/benchmarks.md "Pipeline speed").
BACKENDS = ("litert", "mediapipe")
#: LiteRT is the default: the faster of the two (docs/benchmarks.md "Pipeline speed"), and its
#: analyses match MediaPipe's on every labelled clip and the rendered session, landmarks within
#: 0.69 px (``benchmarks/backend_agreement.py``, since 2026-12-06).
DEFAULT_BACKEND = "litert"
#: Frames are scaled so their longer side is at most this many pixels before pose estimation: the
#: detector sees 224x224 of the whole frame and the landmark model 256x256 of the person, who fills
#: more than that in a 640 px frame when filmed whole (larger frames cost time, not detail).
POSE_MAX_SIDE_PX = 640
#: ... and at most this many when the pose stage looks again zoomed in on a person too small in the
#: picture (:mod:`formcoach.pose.zoom`), so that the crop keeps their detail (the size that second
#: look was measured at).
ZOOM_MAX_SIDE_PX = 960
#: The model runs on frames at least this far apart, seconds; the frames between get landmarks
#: interpolated in time (0: every frame). At most 25 poses a second: every frame of 24-25 fps video,
#: every 2nd of 30 fps (15 a second), every 3rd of 60 fps (20). The analysis low-passes the landmarks
#: at 3 Hz (``filter_cutoff_hz``), under half of 15 a second; the model's work halves on 30 fps
#: video, and the labelled real clips' counts and legs hold (docs/benchmarks.md, "Reps, legs...").
POSE_MIN_GAP_S = 0.04
#: A video is cut into spans run side by side only if each lasts at least this long, seconds (each
#: span's model starts with its person detector, and has its own start-up cost).
MIN_SPAN_S = 6.0

Progress = Callable[[int, int], None]


def check_choice(model: str, backend: str) -> None:
    """ValueError naming the bad value unless ``model`` is in MODELS and ``backend`` in BACKENDS."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")


def create_estimator(model: str = "full", backend: str = DEFAULT_BACKEND,
                     threads: int | None = None) -> PoseEstimator:
    """BlazePose ``lite``, ``full`` or ``heavy`` run by ``backend`` (``litert`` or ``mediapipe``);
    ``threads`` caps LiteRT's model threads (default: every core; MediaPipe's model uses one)."""
    check_choice(model, backend)
    if backend == "mediapipe":
        from formcoach.pose.mediapipe_backend import MediaPipePose

        return MediaPipePose(model)
    from formcoach.pose.litert_backend import LiteRtPose

    return LiteRtPose(model, threads=threads)


def usable_cores() -> int:
    """Cores this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def span_edges(duration_s: float, workers: int) -> list[float]:
    """Where to cut a ``duration_s``-second video into equal spans, one per worker, each at least
    :data:`MIN_SPAN_S` long: the inner cut times in seconds (empty: one span)."""
    spans = max(1, min(workers, int(duration_s // MIN_SPAN_S)))
    return [duration_s * k / spans for k in range(1, spans)]


class _Span:
    """One span of a video, estimated by its own model (on the calling thread or its own)."""

    def __init__(self, video: Path, start_s: float, end_s: float, capacity: int, max_side_px: int) -> None:
        self.video, self.start_s, self.end_s, self.max_side_px = video, start_s, end_s, max_side_px
        self.builder = TrackBuilder(capacity=capacity)
        self.warnings: list[str] = []
        self.error: BaseException | None = None

    def run(self, estimator: PoseEstimator, min_gap_s: float, stop: threading.Event,
            on_frame: Callable[[], None] | None = None) -> None:
        """Estimate every frame of the span (stops early when ``stop`` is set)."""
        frames = iter_frames_sparse(self.video, self.max_side_px, min_gap_s, self.warnings,
                                    start_s=self.start_s, end_s=self.end_s)
        try:
            for t_s, rgb in prefetch(frames):
                if stop.is_set():
                    return
                if rgb is None:
                    self.builder.skip(t_s)
                else:
                    self.builder.add(t_s, estimator.process(rgb, t_s))
                if on_frame is not None:
                    on_frame()
        except BadVideoError as error:
            if not self.start_s:
                raise
            self.warnings.append(f"{self.video.name}: nothing could be read after {self.start_s:.1f} s "
                                 f"({error}); analysed what could be read")

    def run_own(self, model: str, backend: str, threads: int, min_gap_s: float,
                stop: threading.Event, crop: Crop | None) -> None:
        """:meth:`run` with a model of its own (looking at ``crop`` of each frame when given), keeping
        any error for the caller to raise."""
        try:
            with _estimator(model, backend, threads, crop) as estimator:
                self.run(estimator, min_gap_s, stop)
        except BaseException as error:  # handed to the calling thread, which raises it
            self.error = error


def _estimator(model: str, backend: str, threads: int, crop: Crop | None) -> PoseEstimator:
    est = create_estimator(model, backend, threads=threads)
    return est if crop is None else CroppedPose(est, crop)


def _joined(spans: list[_Span], info_width: int, info_height: int, fps: float, source: str,
            meta: dict[str, object]) -> PoseTrack:
    """The spans' tracks end to end as one track (their counts of frames summed in ``meta``)."""
    tracks = [span.builder.track(info_width, info_height, fps, source) for span in spans]
    if len(tracks) == 1:
        return dataclasses.replace(tracks[0], meta={**meta, **tracks[0].meta})
    joined = {**meta, "multi_person_frames": sum(int(t.meta["multi_person_frames"]) for t in tracks)}
    interpolated = sum(int(t.meta.get("interpolated_frames", 0)) for t in tracks)
    if interpolated:
        joined["interpolated_frames"] = interpolated
    return PoseTrack(np.concatenate([t.times_s for t in tracks]), np.concatenate([t.image for t in tracks]),
                     np.concatenate([t.world for t in tracks]), info_width, info_height, fps, source, joined)


def estimate_track(video: Path | str, model: str = "full", progress: Progress | None = None,
                   estimator: PoseEstimator | None = None, backend: str = DEFAULT_BACKEND,
                   min_gap_s: float = POSE_MIN_GAP_S, workers: int | None = None) -> PoseTrack:
    """Decode ``video`` and give one person's pose in every frame: estimated on frames at least
    ``min_gap_s`` seconds apart (0: every frame), interpolated in time on the others.

    Frames are decoded and scaled on a second thread while the model works on the previous one, and
    the video is cut into up to ``workers`` spans estimated side by side (default: one per usable
    core; one span with a given ``estimator``). When the person is found in under ``ZOOM_BELOW`` of
    the frames, they may be too small in the picture for the model's detector: the video is looked at
    again zoomed in on where they are (:mod:`formcoach.pose.zoom`; not with a given ``estimator``),
    and that reading is kept, with a warning, if it finds them in more frames. Raises
    BadVideoError for an unreadable video and NoPersonError when nobody is found.
    ``progress(done, total)`` is called as frames are done (``total`` is an estimate).
    """
    video = Path(video)
    info = probe(video)
    job = _Pass(video, info, model, backend, min_gap_s, workers, progress)
    track = _estimate(job, estimator, None)
    crop = None
    if estimator is None and track.found.mean() < ZOOM_BELOW:
        crop = find_crop(video, model, POSE_MAX_SIDE_PX, info.duration_s)
    if crop is not None:
        zoomed = _estimate(job, None, crop)
        if zoomed.found.sum() > track.found.sum():
            track = zoomed
            track.meta["warnings"].append(
                f"{video.name}: the person is too small in the picture for the pose model to find in "
                "the whole frame, so formcoach zoomed in on them; film closer (the body filling most "
                "of the frame's height) for a sure reading")
            track.meta["zoom"] = dataclasses.asdict(crop)
    return require_person(track, str(video))


@dataclasses.dataclass(frozen=True)
class _Pass:
    """What one pass of :func:`estimate_track` over a video needs (see its arguments)."""

    video: Path
    info: VideoInfo
    model: str
    backend: str
    min_gap_s: float
    workers: int | None
    progress: Progress | None


def _estimate(job: _Pass, estimator: PoseEstimator | None, crop: Crop | None) -> PoseTrack:
    """One pass of :func:`estimate_track` over the whole video, looking at ``crop`` of each frame
    when given; the track, whether or not anyone was found."""
    video, info, model, backend = job.video, job.info, job.model, job.backend
    min_gap_s, workers, progress = job.min_gap_s, job.workers, job.progress
    cores = usable_cores()
    edges = [] if estimator is not None else span_edges(info.duration_s, workers or cores)
    bounds = [0.0, *edges, float("inf")]
    capacity = max(info.frames // (len(bounds) - 1) + 32, 256)  # no regrowth for a truthful header
    max_side_px = POSE_MAX_SIDE_PX if crop is None else ZOOM_MAX_SIDE_PX
    spans = [_Span(video, a, b, capacity, max_side_px) for a, b in itertools.pairwise(bounds)]
    threads = max(1, cores // len(spans))
    stop = threading.Event()
    helpers = [threading.Thread(target=span.run_own, args=(model, backend, threads, min_gap_s, stop, crop),
                                name=f"pose-span-{k + 1}", daemon=True) for k, span in enumerate(spans[1:])]

    def report() -> None:
        if progress is not None:
            done = sum(len(span.builder) for span in spans)
            progress(done, max(info.frames, done))

    est = _estimator(model, backend, threads, crop) if estimator is None else estimator
    try:
        for helper in helpers:
            helper.start()
        spans[0].run(est, min_gap_s, stop, report)
        for helper in helpers:
            while helper.is_alive():
                helper.join(timeout=0.25)
                report()
    finally:
        stop.set()  # on an error or Ctrl-C, the other spans stop at their next frame
        for helper in helpers:
            if helper.is_alive():
                helper.join(timeout=5.0)
        if estimator is None:
            est.close()
    for span in spans[1:]:
        if span.error is not None:
            raise span.error
    warnings = [w for span in spans for w in span.warnings]
    track = _joined(spans, info.width, info.height, info.fps, video.name,
                    {"warnings": warnings, "model": model, "backend": est.name, "pose_min_gap_s": min_gap_s})
    if info.frames > 10 and len(track) < 0.9 * info.frames and not warnings:
        warnings.append(f"{video.name}: the file says {info.frames} frames but only {len(track)} "
                        "could be read; the video may be truncated")
    release_free_memory()  # the decoders' and models' per-frame buffers
    return track


def load_input(path: Path | str, model: str = "full", progress: Progress | None = None, *,
               backend: str = DEFAULT_BACKEND, cache: bool = True,
               min_gap_s: float = POSE_MIN_GAP_S) -> PoseTrack:
    """A pose track from ``path``: read a ``.jsonl``/``.npz`` track file, or run pose on a video
    (on frames at least ``min_gap_s`` seconds apart, the rest interpolated: :func:`estimate_track`).

    With ``cache`` a video's track is looked up in the pose-track cache (by the video's content,
    ``model``, ``backend`` and ``min_gap_s``; :mod:`formcoach.pose.cache`) and stored there after it
    is computed.
    """
    path = Path(path)
    if is_track_path(path):
        return read_track(path)
    check_choice(model, backend)
    if not cache:
        return estimate_track(path, model=model, progress=progress, backend=backend, min_gap_s=min_gap_s)
    from formcoach.pose import cache as pose_cache

    probe(path)  # a clear message for a file that is not a video, before hashing it
    key = pose_cache.cache_key(pose_cache.content_hash(path), model, backend, POSE_MAX_SIDE_PX, min_gap_s)
    cached = pose_cache.load(key)
    if cached is not None:
        return dataclasses.replace(require_person(cached, str(path)), source=path.name)
    track = estimate_track(path, model=model, progress=progress, backend=backend, min_gap_s=min_gap_s)
    with contextlib.suppress(OSError):  # a full or read-only data folder costs the next run time only
        pose_cache.store(key, track)
    return track
