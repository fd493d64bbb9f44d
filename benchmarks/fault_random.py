"""The randomized set for ``fault_accuracy.py``: bodies, rooms and cameras the nominal set never shows.

Session ``seed`` of a view is :func:`formcoach.sim.randomize.sample_variation` (stature 1.50-1.90 m,
segments +-5 %, widths, stance 8-20 cm, clothes, skin, hair, wall, floor, light; camera 0.3-1.6 m
high, 2-5 m away, up to 20 deg off the view, pitch, 45-70 deg vertical lens, 360p-1080p, 24-60 fps)
of 3 reps a side. Its mistake is ``KINDS[seed % len(KINDS)]``: per-rep mistakes on reps 2, 4 and 6
(the right leg's; reps 1, 3 and 5 clean), or on reps 1, 3 and 5 (the left leg's) for the odd seeds
from ``LEFT_FAULTS_SEED0`` on, or a whole-session one (too shallow, too fast) on every rep.
Magnitudes lie past the exercise file's limits by at least the benchmark's margin. Clean sessions
(``--clean-sessions``, seeds from ``CLEAN_SEED0``, so other bodies and cameras) have
``CLEAN_REPS_PER_SIDE`` reps a side and no mistake: they grow the clean-rep set for the false-fault
rate at a third of the rendering cost per clean rep.

Two modes. ``exact``: the simulated landmarks projected through the sampled camera with pose-model-like
noise (``noisy_track``: 0.4 % of the person's image height and 1 cm, white plus slow drift), no
renderer, no pose model: seconds for hundreds of sessions, the geometric conditioning of each measure.
``rendered``: the session rendered (at most 360p, 24 fps, supersample 1, to save time) and read back
by BlazePose full; tracks are cached (``--cache``), so ``python benchmarks/fault_random.py --fill N``
can fill the cache in the background (nice) and the benchmark then reads what is there
(``--model heavy --cache DIR`` reads the same renders with another model into a cache of its own).

``close`` sessions (``--close``): the same seeds' bodies and rooms with the phone 1.0-1.6 m away and its
lens widened just enough to frame the movement (:func:`formcoach.sim.randomize.sample_close_variation`,
:func:`~formcoach.sim.randomize.widen_to_fit`; up to 110 deg vertical), rendered at most 720p, 30 fps
(the strong perspective is the point, and a close person is not small in the frame).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from formcoach.sim.session import Mistakes, SessionSpec, Tempo
from formcoach.track import PoseTrack

#: (name, per-rep mistake magnitudes, session-wide overrides: depth_deg or tempo fields)
KINDS: tuple[tuple[str, dict[str, float], dict[str, float]], ...] = (
    ("knee_in", {"knee_valgus_deg": 35.0}, {}),
    ("heel", {"heel_lift_cm": 5.5}, {}),
    ("hip_top", {"hip_flexion_top_deg": 25.0}, {}),
    ("weight", {"front_weight_share": 0.45}, {}),
    ("tilt", {"pelvis_tilt_deg": 12.0}, {}),
    ("twist", {"pelvis_rotation_deg": 18.0}, {"bottom_s": 2.0}),
    ("drop", {"hip_drop_deg": 11.0}, {}),
    ("knee_out", {"knee_valgus_deg": -35.0}, {}),
    ("sway", {"sway_cm": 8.0}, {"bottom_s": 2.0}),
    ("shallow", {}, {"depth_deg": 55.0}),
    ("fast", {}, {"lowering_s": 1.0, "rise_s": 2.6}),
)
BASE_TEMPO = {"lowering_s": 2.6, "bottom_s": 0.5, "rise_s": 1.1, "top_s": 0.7}
REPS_PER_SIDE = 3
#: clean sessions: reps a side, and their first seed (apart from the mistake sessions' seeds)
CLEAN_REPS_PER_SIDE, CLEAN_SEED0 = 5, 1000
#: from this seed on, the odd mistake sessions put their per-rep mistakes on the left leg's reps (seeds
#: below it, rendered before, keep theirs on the right leg's: a pose model's left/right offset then
#: inflates or shrinks every fault the same way)
LEFT_FAULTS_SEED0 = 51
#: rendered mode's caps on the sampled frame size (short side, pixels) and rate; the close sessions'
RENDER_LINES, RENDER_FPS = 360, 24.0
CLOSE_RENDER_LINES, CLOSE_RENDER_FPS = 720, 30.0


def left_faults(seed: int) -> bool:
    """Whether mistake session ``seed`` has its per-rep mistakes on the left leg's reps."""
    return LEFT_FAULTS_SEED0 <= seed < CLEAN_SEED0 and seed % 2 == 1


def base_spec(seed: int) -> SessionSpec:
    """The session (reps, tempo, mistakes) of ``seed`` before the body and camera are sampled."""
    if seed >= CLEAN_SEED0:
        return SessionSpec(reps_per_side=CLEAN_REPS_PER_SIDE, tempo=Tempo(**BASE_TEMPO))
    _, mistakes, overrides = KINDS[seed % len(KINDS)]
    tempo = Tempo(**{k: overrides.get(k, v) for k, v in BASE_TEMPO.items()})
    faulty = tuple(range(0 if left_faults(seed) else 1, 2 * REPS_PER_SIDE, 2))
    return SessionSpec(reps_per_side=REPS_PER_SIDE, tempo=tempo, depth_deg=overrides.get("depth_deg", 90.0),
                       mistakes=Mistakes(**mistakes), mistake_reps=faulty if mistakes else None)


def _caps(close: bool) -> tuple[int, float]:
    """The rendered sessions' caps on the frame's short side (pixels) and rate (frames/s)."""
    return (CLOSE_RENDER_LINES, CLOSE_RENDER_FPS) if close else (RENDER_LINES, RENDER_FPS)


def _key(seed: int, view: str, close: bool = False) -> str:
    from formcoach.sim.motion import MOTION_VERSION

    clean = seed >= CLEAN_SEED0
    kind, reps = ("clean", CLEAN_REPS_PER_SIDE) if clean else (KINDS[seed % len(KINDS)], REPS_PER_SIDE)
    parts: list[Any] = [kind, BASE_TEMPO, reps, *_caps(close), seed, view, MOTION_VERSION]
    if left_faults(seed):
        parts.append("left-faults")
    text = json.dumps([*parts, "close"] if close else parts)
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def _folder(cache: Path, seed: int, view: str, close: bool = False) -> Path:
    """The cache folder of session ``seed`` seen from ``view`` (by a close phone if ``close``)."""
    prefix = ("close-" if close else "") + ("clean" if seed >= CLEAN_SEED0 else "random")
    return cache / f"{prefix}-{view}-{seed}-{_key(seed, view, close)}"


def session(seed: int, view: str, rendered: bool, close: bool = False) -> tuple[Any, Any]:
    """The simulated session ``seed`` and its camera placed for ``view`` (``rendered``: with the
    rendered mode's caps on frame size and rate; ``close``: a phone close by with a wide lens)."""
    from formcoach.sim import simulate
    from formcoach.sim.randomize import (
        place_variation,
        sample_close_variation,
        sample_variation,
        widen_to_fit,
    )

    lines, fps = _caps(close)
    caps = {"max_lines": lines, "max_fps": fps} if rendered else {}
    sample = sample_close_variation if close else sample_variation
    var = sample(seed, view, base_spec(seed), **caps)  # type: ignore[arg-type]
    sim = simulate(var.spec, fps=var.camera.fps)
    place = widen_to_fit if close else place_variation
    return sim, place(var.camera, sim.landmarks.reshape(-1, 3))


def random_case(seed: int, view: str, mode: str, cache: Path, cached_only: bool = False,
                close: bool = False, model: str = "full") -> tuple[PoseTrack, dict[str, Any]] | None:
    """Pose track and truth of session ``seed`` seen from ``view`` (``mode`` "exact" or "rendered"),
    by a close phone with a wide lens if ``close``; None when ``cached_only`` and the rendered track is
    not in ``cache``. A track not cached yet is read by BlazePose ``model`` (keep each model's tracks
    in a cache of their own)."""
    from fault_accuracy import add_derived_truth

    from formcoach.sim.randomize import noisy_track
    from formcoach.sim.truth import exact_track, truth_dict

    rendered = mode == "rendered"
    folder = _folder(cache, seed, view, close)
    if rendered and cached_only and not (folder / "pose.npz").exists():
        return None
    sim, placed = session(seed, view, rendered, close)
    exact = exact_track(sim, placed)
    truth = truth_dict(sim, placed)
    add_derived_truth(truth, sim, exact)
    if not rendered:
        return noisy_track(exact, seed), truth
    track = _rendered_track(sim, placed, folder, model)
    return None if track is None else (track, truth)


def _rendered_track(sim: Any, placed: Any, folder: Path, model: str = "full") -> PoseTrack | None:
    """BlazePose ``model``'s track of the rendered session, from ``folder``'s cache or made and cached;
    None when the pose model found nobody in the whole video (kept as ``no-person.txt``)."""
    from formcoach.errors import NoPersonError
    from formcoach.pose import estimate_track
    from formcoach.sim.render import write_video
    from formcoach.trackio import read_track, write_track

    track_file, nobody = folder / "pose.npz", folder / "no-person.txt"
    if track_file.exists():
        return read_track(track_file)
    if nobody.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    video = write_video(sim, placed, folder / "video.mp4", supersample=1)
    try:
        track = estimate_track(video, model=model)
    except NoPersonError as error:
        nobody.write_text(f"{error}\n")
        return None
    finally:
        video.unlink()
    write_track(track, track_file)
    return track


def run_random(args: argparse.Namespace, exercise: Any, rules: dict[str, Any],
               views: tuple[str, ...], close: bool = False) -> list[dict[str, Any]]:
    """Rows of every randomized session per view (filmed close by if ``close``): seeds 0 ..
    ``args.random_sessions`` - 1, then the clean sessions ``CLEAN_SEED0`` .. ``CLEAN_SEED0 +
    args.clean_sessions`` - 1."""
    from fault_scoring import evaluate_case

    rows: list[dict[str, Any]] = []
    mode = "exact" if args.exact else "rendered"
    seeds = [*range(args.random_sessions), *range(CLEAN_SEED0, CLEAN_SEED0 + args.clean_sessions)]
    for view in views:
        began, used, nobody = time.perf_counter(), 0, 0
        for seed in seeds:
            case = random_case(seed, view, mode, args.cache, cached_only=args.cached_only, close=close)
            if case is None:
                nobody += (_folder(args.cache, seed, view, close) / "no-person.txt").exists()
                continue
            evaluate_case(case[0], case[1], exercise, rules, view, f"{'c' if close else 'r'}{seed}", rows)
            used += 1
        print(f"  {'close' if close else 'randomized'} {view:8s} {used} sessions ({mode}), "
              f"{time.perf_counter() - began:5.1f} s"
              + (f"; {nobody} more where the pose model found nobody (left out)" if nobody else ""),
              file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    """``--fill N``: render and pose-estimate randomized sessions ``--first``..N-1 of every view into
    the cache, seed by seed across the views (so a run cut short still covers them all); with
    ``--clean``, the clean sessions ``CLEAN_SEED0 + first`` .. ``CLEAN_SEED0 + N`` - 1; ``--seeds``
    names them instead. ``--model`` reads them with another BlazePose model."""
    from fault_accuracy import BENCH_DIR

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fill", type=int, default=0, help="number of sessions per view")
    parser.add_argument("--first", type=int, default=0, help="first seed")
    parser.add_argument("--clean", action="store_true", help="the clean sessions instead")
    parser.add_argument("--views", default="front,side,rear,oblique")
    parser.add_argument("--cache", type=Path, default=BENCH_DIR / "faults")
    parser.add_argument("--close", action="store_true", help="the close sessions (phone 1.0-1.6 m away)")
    parser.add_argument("--model", default="full", choices=("lite", "full", "heavy"),
                        help="the pose model that reads the renders (give another model its own --cache)")
    parser.add_argument("--seeds", default=None, help="comma-separated seeds instead of --first..--fill")
    args = parser.parse_args(argv)
    if not (args.fill or args.seeds):
        parser.error("give --fill N or --seeds")
    offset = CLEAN_SEED0 if args.clean else 0
    seeds = ([int(s) for s in args.seeds.split(",")] if args.seeds
             else range(offset + args.first, offset + args.fill))
    for seed in seeds:
        for view in args.views.split(","):
            began = time.perf_counter()
            random_case(seed, view, "rendered", args.cache, close=args.close, model=args.model)
            print(f"{seed} {view} {time.perf_counter() - began:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

