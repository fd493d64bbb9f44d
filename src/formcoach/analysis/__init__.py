"""Rep analysis: signals, camera view, reps, legs, sets and tempo from a pose track.

Pure numpy; imports no video or pose library. Start with :func:`analyze`.
"""

from formcoach.analysis.params import AnalysisParams
from formcoach.analysis.pipeline import analyze
from formcoach.analysis.result import Analysis

__all__ = ["Analysis", "AnalysisParams", "analyze"]
