"""``formcoach track``: run pose estimation once and save a pose-track file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from formcoach.cli.console import console, err_console
from formcoach.cli.progress import progress_bar
from formcoach.errors import UserError
from formcoach.pose.estimate import DEFAULT_BACKEND as _DEFAULT_BACKEND
from formcoach.track import PoseTrack


class Model(StrEnum):
    """BlazePose model size: lite is fastest, heavy most accurate."""

    lite = "lite"
    full = "full"
    heavy = "heavy"


ModelOption = Annotated[Model, typer.Option("--model", "-m", help="BlazePose model: lite (fastest), "
                                            "full (default) or heavy (most accurate, ~3x slower).")]


class Backend(StrEnum):
    """Who runs the pose model: LiteRT on every core, or MediaPipe's Tasks API (one core)."""

    litert = "litert"
    mediapipe = "mediapipe"


BackendOption = Annotated[Backend, typer.Option("--backend", help="Who runs the pose model: "
                                                "litert (the default: LiteRT on every core) or mediapipe "
                                                "(MediaPipe's Tasks API; the same analyses, a little "
                                                "slower).")]
#: The backend used when ``--backend`` is not given (the pose package's default).
DEFAULT_BACKEND = Backend(_DEFAULT_BACKEND)
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Run the pose model even when this "
                                             "video's pose track is in the cache (the data folder).")]


def run_pose(path: Path, model: Model, backend: Backend = DEFAULT_BACKEND, cache: bool = True,
             every_frame: bool = False) -> PoseTrack:
    """Load a track file, or a video's cached track, or run pose estimation on a video with a
    progress bar (on every frame with ``every_frame``, else at most 25 a second:
    :data:`~formcoach.pose.estimate.POSE_MIN_GAP_S`); print warnings."""
    from formcoach.pose import load_input
    from formcoach.pose.estimate import POSE_MIN_GAP_S
    from formcoach.trackio import is_track_path
    from formcoach.video import probe

    if not is_track_path(path):
        probe(path)  # fail fast, before the progress bar, on a file that is not a video
    with progress_bar(f"Finding the pose in {path.name}") as update:
        track = load_input(path, model=model.value, progress=update, backend=backend.value, cache=cache,
                           min_gap_s=0.0 if every_frame else POSE_MIN_GAP_S)
    print_track_warnings(track)
    return track


def print_track_warnings(track: PoseTrack) -> None:
    """Print what the user should know about how the video was read (:func:`track_notes`)."""
    from formcoach.pose.builder import track_notes

    for note in track_notes(track):
        err_console.print(f"[yellow]warning:[/] {note}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``track`` to ``app``."""

    @app.command("track")
    def track(
        video: Annotated[Path, typer.Argument(help="Video file (mp4, mov, webm, gif...).")],
        output: Annotated[Path, typer.Option("--output", "-o", help="Track file to write: .jsonl "
                                             "(documented format) or .npz (fast).")],
        model: ModelOption = Model.full,
        backend: BackendOption = DEFAULT_BACKEND,
        no_cache: NoCacheOption = False,
        every_frame: Annotated[bool, typer.Option(
            "--every-frame", help="Run the pose model on every frame (slower). By default it runs on "
            "at most 25 frames a second and the frames between are interpolated.")] = False,
    ) -> None:
        """Find the body's 33 landmarks in each frame of VIDEO and save them as a pose track.

        The track can then be analysed again and again without the video.
        """
        from formcoach.trackio import write_track

        if output.suffix.lower() not in (".jsonl", ".npz"):
            raise UserError(f"{output}: the output must end in .jsonl or .npz")
        result = run_pose(video, model, backend, cache=not no_cache, every_frame=every_frame)
        if not output.parent.exists():
            raise UserError(f"{output.parent}: folder does not exist")
        write_track(result, output)
        seen = float(result.found.mean()) * 100
        console.print(f"Wrote {output} ({len(result)} frames, {result.duration_s:.1f} s, person found "
                      f"in {seen:.0f} % of frames).", highlight=False)
