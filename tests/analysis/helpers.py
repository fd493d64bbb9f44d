"""Small builders shared by the analysis tests."""

from __future__ import annotations

from formcoach.analysis import Analysis, AnalysisParams, analyze
from formcoach.track import PoseTrack

#: the numbers of the packaged reverse-lunge exercise file, spelled out so that these tests do not
#: depend on it (the pipeline test checks that the two agree)
PARAMS = AnalysisParams()


def run(track: PoseTrack, **kwargs: object) -> Analysis:
    """``analyze`` with the test parameters."""
    return analyze(track, PARAMS, **kwargs)  # type: ignore[arg-type]


def legs(result: Analysis) -> list[str]:
    """The working leg of each counted rep."""
    return [r.rep.leg for r in result.reps]
