"""``formcoach demo``: a synthetic athlete's session, analysed end to end through the real pose model.

It renders a short simulated session with two known mistakes, runs BlazePose on the video, analyses
it like any user's video, compares what was found with what the athlete really did, and writes the
HTML report and the annotated video.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from formcoach.cli.commands_analyze import print_coaching, print_summary, write_outputs
from formcoach.cli.commands_history import open_for_saving, save_session
from formcoach.cli.commands_pose import Model, ModelOption, run_pose
from formcoach.cli.console import console
from formcoach.cli.progress import progress_bar
from formcoach.errors import UserError

if TYPE_CHECKING:
    from formcoach.analysis import Analysis

#: Camera of the demo: the view that can judge both of the demo's mistakes.
DEMO_VIEW: Literal["side"] = "side"
DEMO_FPS = 24.0
#: The simulator's mistake magnitudes (the rest of ``requested`` describes the clean movement).
MISTAKE_FIELDS = ("pelvis_tilt_deg", "pelvis_rotation_deg", "knee_valgus_deg", "hip_drop_deg",
                  "hip_flexion_top_deg", "heel_lift_cm", "front_weight_share")


def _truth_lines(truth: dict[str, Any], found: Analysis) -> list[str]:
    reps = truth.get("reps", [])
    faulty = [r for r in reps if r.get("faulty")]
    clean = next((r.get("requested") or {} for r in reps if not r.get("faulty")), {})
    names = sorted({name for r in faulty for name, value in (r.get("requested") or {}).items()
                    if name in MISTAKE_FIELDS and value != clean.get(name)})
    legs_true = [r.get("leg") for r in reps]
    legs_found = [r.leg for r in found.reps]
    return [
        f"Reps: the athlete did {len(reps)}, formcoach counted {len(legs_found)}"
        f"{' (legs all right)' if legs_true == legs_found else ''}.",
        f"Mistakes built in: {', '.join(names) or 'none'} on reps "
        f"{', '.join(str(i + 1) for i, r in enumerate(reps) if r.get('faulty')) or '-'}.",
    ]


def register(app: typer.Typer) -> None:
    """Add ``demo`` to ``app``."""

    @app.command("demo")
    def demo(
        out: Annotated[Path, typer.Option("--out", help="Folder for the demo's video, report and "
                                          "annotated video.")] = Path("formcoach-demo"),
        seed: Annotated[int, typer.Option(help="Random seed of the synthetic athlete.")] = 0,
        model: ModelOption = Model.full,
        db: Annotated[str | None, typer.Option("--db", metavar="URL", help="Keep the demo session in "
                                               "this history (default: a throwaway one in --out).")] = None,
    ) -> None:
        """Watch a synthetic athlete do reverse lunges and coach them, end to end, offline.

        The athlete is simulated (not a real person): one set of 4 reps on each leg with two
        mistakes of moderate size on some reps. The video is analysed exactly like yours would be.
        """
        from formcoach.api import analyze_track
        from formcoach.exercise import load_exercise
        from formcoach.sim import Camera, make_demo_session, render_session

        began = time.perf_counter()
        if out.exists() and not out.is_dir():
            raise UserError(f"{out}: exists and is not a folder")
        out.mkdir(parents=True, exist_ok=True)
        history = open_for_saving(db or str(out / "history.sqlite"), no_save=False)
        console.print("[bold]formcoach demo[/]: the athlete below is [bold]synthetic[/], a simulated "
                      "person rendered to video, not a real one.", highlight=False)
        with progress_bar("Rendering the synthetic athlete") as update:
            update(0, 1)
            paths = render_session(make_demo_session(seed), Camera(view=DEMO_VIEW, fps=DEMO_FPS), out,
                                   supersample=1)
            update(1, 1)
        if paths.video is None:
            raise RuntimeError("the renderer wrote no demo video")
        video = paths.video
        track = run_pose(video, model)
        result = analyze_track(track, load_exercise("reverse_lunge"), video=video)
        print_summary(result.analysis)
        print_coaching(result)
        truth = json.loads(paths.truth.read_text())
        for line in _truth_lines(truth, result.analysis):
            console.print(f"[cyan]{line}[/]", highlight=False)
        (out / "analysis.json").write_text(json.dumps(result.to_dict(), indent=1) + "\n")
        write_outputs(result, out / "report.html", out / "annotated.mp4", synthetic=True)
        save_session(history, result, "file")
        console.print(f"Done in {time.perf_counter() - began:.0f} s. Open {out / 'report.html'} in a "
                      "browser.", highlight=False)
