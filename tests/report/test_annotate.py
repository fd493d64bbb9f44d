"""The annotated video decodes, keeps the input's frames and duration, and shows the overlays."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from formcoach.api import write_annotated_video
from formcoach.video import iter_frames, probe


def test_annotated_video_matches_the_input(simulated_session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = write_annotated_video(simulated_session.result, tmp_path / "annotated.mp4")
    source, annotated = probe(simulated_session.video), probe(out)
    assert annotated.codec == "h264"
    assert (annotated.width, annotated.height) == (source.width, source.height)
    in_frames = [t for t, _ in iter_frames(simulated_session.video)]
    out_frames = list(iter_frames(out))
    assert len(out_frames) == len(in_frames)
    np.testing.assert_allclose([t for t, _ in out_frames], in_frames, atol=1e-3)
    assert abs(annotated.duration_s - source.duration_s) < 0.1
    # the first frame differs from the input where the counter panel is drawn
    first_in = next(iter_frames(simulated_session.video))[1]
    assert np.abs(out_frames[0][1][:20, :60].astype(int) - first_in[:20, :60]).mean() > 10


def test_free_memory_is_handed_back_as_the_video_is_drawn(simulated_session, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           monkeypatch) -> None:
    """The frame buffers freed by the decoder and the encoder go back every ANNOTATE_TRIM_FRAMES
    frames, so the peak does not grow with the video's length."""
    from formcoach.report import annotate

    calls: list[int] = []

    def release() -> bool:
        calls.append(1)
        return True

    monkeypatch.setattr(annotate, "ANNOTATE_TRIM_FRAMES", 10)
    monkeypatch.setattr(annotate, "release_free_memory", release)
    write_annotated_video(simulated_session.result, tmp_path / "annotated.mp4")
    frames = sum(1 for _ in iter_frames(simulated_session.video))
    assert len(calls) == frames // 10 > 0
