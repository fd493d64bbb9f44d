"""Video input and output (PyAV). The only package that imports ``av``."""

from formcoach.video.reader import VideoInfo, iter_frames, probe
from formcoach.video.writer import VideoWriter

__all__ = ["VideoInfo", "VideoWriter", "iter_frames", "probe"]
