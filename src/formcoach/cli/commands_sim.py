"""``formcoach simulate``: a synthetic athlete's lunge session as video, exact track and truth."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from formcoach.errors import UserError

if TYPE_CHECKING:
    from formcoach.sim import SessionSpec


def _spec(reps_per_side: int, sets: int, seed: int, mistakes: list[str], lunge_type: str,
          look: str, arms: str) -> SessionSpec:
    from formcoach.sim import APPEARANCES, Mistakes, SessionSpec, parse_mistake

    try:
        magnitudes = dict(parse_mistake(m) for m in mistakes)
        if look not in APPEARANCES:
            raise ValueError(f"look must be one of {', '.join(APPEARANCES)}, got {look!r}")
        return SessionSpec(sets=sets, reps_per_side=reps_per_side, seed=seed,
                           mistakes=replace(Mistakes(), **magnitudes), lunge_type=lunge_type,  # type: ignore[arg-type]
                           appearance=APPEARANCES[look], arms=arms)  # type: ignore[arg-type]
    except ValueError as error:
        raise UserError(f"simulate: {error}") from None


def register(app: typer.Typer) -> None:
    """Add ``simulate`` to ``app``."""

    @app.command("simulate")
    def simulate(
        out: Annotated[Path, typer.Option("--out", help="Folder for video.mp4, track.jsonl, truth.json.")],
        view: Annotated[str, typer.Option(help="Camera view: side, front, rear or oblique.")] = "side",
        seed: Annotated[int, typer.Option(help="Random seed: same seed, same session.")] = 0,
        fps: Annotated[float, typer.Option(help="Frames per second.")] = 30.0,
        width: Annotated[int, typer.Option(help="Frame width in pixels (even).")] = 640,
        height: Annotated[int, typer.Option(help="Frame height in pixels (even).")] = 480,
        mistake: Annotated[list[str] | None, typer.Option(
            help="A mistake as NAME=MAGNITUDE, repeatable: knee_valgus=12 (deg), pelvis_tilt=8, "
                 "pelvis_rotation=10, hip_drop=8, hip_not_extended=20, front_weight_share=0.5, "
                 "heel_lift=3 (cm), trunk_lean=10, sway=3 (cm), tremor=3.")] = None,
        reps_per_side: Annotated[int, typer.Option(help="Reps per leg in each set.")] = 2,
        sets: Annotated[int, typer.Option(help="Number of sets.")] = 1,
        lunge_type: Annotated[str, typer.Option(help="reverse or forward.")] = "reverse",
        look: Annotated[str, typer.Option(help="Appearance: default, dark or light.")] = "default",
        arms: Annotated[str, typer.Option(help="hips (hands on the pelvis) or sides.")] = "hips",
        camera_side: Annotated[str, typer.Option(help="Side and oblique views: the athlete's side "
                                                 "facing the camera, left or right.")] = "left",
        camera_height: Annotated[float, typer.Option(help="Lens height above the floor, metres.")] = 1.0,
        distance: Annotated[float | None, typer.Option(
            help="Camera distance, metres (default: frame the whole movement).")] = None,
        hfov: Annotated[float, typer.Option(help="Horizontal field of view, degrees.")] = 60.0,
        no_video: Annotated[bool, typer.Option("--no-video", help="Write only track and truth.")] = False,
    ) -> None:
        """Simulate a lunge session with known answers and render it as a video."""
        from formcoach.cli.console import console
        from formcoach.sim import Camera, render_session

        spec = _spec(reps_per_side, sets, seed, mistake or [], lunge_type, look, arms)
        try:
            camera = Camera(view=view, side=camera_side, width=width, height=height,  # type: ignore[arg-type]
                            fps=fps, hfov_deg=hfov, height_m=camera_height, distance_m=distance)
        except ValueError as error:
            raise UserError(f"simulate: {error}") from None
        paths = render_session(spec, camera, out, video=not no_video)
        for label, path in (("video", paths.video), ("track", paths.track), ("truth", paths.truth)):
            if path is not None:
                console.print(f"{label}: {path}", highlight=False)
        console.print("The athlete is synthetic: every answer is in truth.json.", highlight=False)
