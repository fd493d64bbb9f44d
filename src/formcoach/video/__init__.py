"""Video input and output (PyAV), and webcam capture (OpenCV, in :mod:`formcoach.video.camera`,
imported on demand). The only package that imports ``av`` or opens a camera."""

from formcoach.video.reader import GAP_SLACK_S, VideoInfo, iter_frames, iter_frames_sparse, probe
from formcoach.video.writer import VideoWriter

__all__ = ["GAP_SLACK_S", "VideoInfo", "VideoWriter", "iter_frames", "iter_frames_sparse", "probe"]
