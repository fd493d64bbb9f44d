"""The annotated video: the input with skeleton, key angles, rep counter, phase and cue captions.

Output is H.264 (yuv420p) MP4 that browsers play, with every input frame at its own timestamp, so
the frame count and duration match the input. Audio is not copied. Frames stream through: decoded
on a second thread a few ahead, drawn, encoded, dropped; nothing is kept per frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from formcoach.analysis.prepare import Measured
from formcoach.analysis.result import Analysis
from formcoach.arrays import nearest_frame
from formcoach.coaching import CoachingEvent
from formcoach.memory import release_free_memory
from formcoach.report.draw import LEFT_RGB, RIGHT_RGB, draw_caption, draw_label, draw_panel, draw_skeleton
from formcoach.report.timeline import PHASES, Timeline, build_timeline
from formcoach.track import LM
from formcoach.video import VideoWriter, iter_frames, probe
from formcoach.video.prefetch import prefetch

#: Full-size frames decoded ahead while the previous one is drawn and encoded (memory: a few
#: frames, whatever the video's length).
ANNOTATE_PREFETCH_FRAMES = 3
#: Every this many frames the C heap's free pages are handed back (:mod:`formcoach.memory`): the
#: decoder and encoder free full-size frame buffers from two threads, and without it the resident
#: size wandered between 504 and 570 MB over a 10-minute 1080p video's first 4000 frames (441-447
#: with it), so the longer the video, the higher its peak.
ANNOTATE_TRIM_FRAMES = 100


def _panel_lines(timeline: Timeline, i: int, target: int | None) -> list[str]:
    rep = int(timeline.rep[i])
    phase = PHASES[int(timeline.phase[i])]
    of = f"/{target}" if target else ""
    first = f"Rep {rep}: {phase}" if rep else "Standing"
    return [first, f"Left {int(timeline.done_left[i])}{of}   Right {int(timeline.done_right[i])}{of}"]


def annotate_frame(rgb: np.ndarray, landmarks: np.ndarray, knee_deg: np.ndarray, hip_deg: np.ndarray,
                   lines: list[str], caption: CoachingEvent | None, working_leg: str = "") -> np.ndarray:
    """Draw one frame: skeleton, knee angles (interior, degrees; both knees, or the working leg's
    knee and hip during a rep), the counter panel and the caption."""
    out = draw_skeleton(rgb, landmarks)
    for side, colour in (("left", LEFT_RGB), ("right", RIGHT_RGB)):
        s = 0 if side == "left" else 1
        if working_leg and side != working_leg:
            continue
        if np.isfinite(knee_deg[s]):
            knee = landmarks[LM[f"{side}_knee"], :2]
            out = draw_label(out, f"knee {knee_deg[s]:.0f}", (float(knee[0]), float(knee[1])), colour)
        if working_leg and np.isfinite(hip_deg[s]):
            hip = landmarks[LM[f"{side}_hip"], :2]
            out = draw_label(out, f"hip {hip_deg[s]:.0f}", (float(hip[0]), float(hip[1])), colour)
    out = draw_panel(out, lines)
    if caption is not None:
        out = draw_caption(out, caption.text, praise=caption.kind == "praise")
    return out


def interior_angles_deg(measured: Measured) -> tuple[np.ndarray, np.ndarray]:
    """(T, 2) knee and (T, 2) hip interior angles (180 = straight), degrees, of the person's left and
    right leg as the analysis measured them: what the video's labels show."""
    knee_flex, hip_flex = measured.flexion_deg()
    return 180.0 - knee_flex, 180.0 - hip_flex


def annotate_video(video: Path, measured: Measured, analysis: Analysis,
                   events: Sequence[CoachingEvent], out_path: Path,
                   progress: Callable[[int, int], None] | None = None) -> Path:
    """Write the annotated copy of ``video`` to ``out_path`` (MP4, H.264); return the path.

    ``measured`` is what ``analysis`` measured this video's pose track from: the skeleton, the
    angles and the leg labels are the analysis's own (the person's left and right, also in a mirror
    image), placed where the video shows them.
    """
    info = probe(video)
    width, height = info.width - info.width % 2, info.height - info.height % 2
    track = measured.video_track()
    knee_deg, hip_deg = interior_angles_deg(measured)
    timeline = build_timeline(track.times_s, analysis.reps, events)
    per_side = analysis.prescription.reps_per_side
    with VideoWriter(out_path, width, height, fps=info.fps) as writer:
        for n, (t_s, rgb) in enumerate(prefetch(iter_frames(video), depth=ANNOTATE_PREFETCH_FRAMES)):
            i = nearest_frame(track.times_s, t_s)
            k = int(timeline.caption[i])
            frame = annotate_frame(rgb[:height, :width], track.image[i], knee_deg[i], hip_deg[i],
                                   _panel_lines(timeline, i, per_side),
                                   timeline.captions[k] if k >= 0 else None, str(timeline.leg[i]))
            writer.write(np.ascontiguousarray(frame), t_s)
            if (n + 1) % ANNOTATE_TRIM_FRAMES == 0:
                release_free_memory()
            if progress is not None:
                progress(n + 1, max(info.frames, n + 1))
    return out_path
