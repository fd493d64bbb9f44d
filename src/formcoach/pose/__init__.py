"""Pose estimation: video in, :class:`~formcoach.track.PoseTrack` out.

``PoseEstimator`` is the small protocol every backend follows. Both backends run BlazePose from
the model bundles vendored in ``formcoach/pose/models``: the default runs the two models through
LiteRT on every core, with MediaPipe's crop tracking redone in numpy
(``formcoach.pose.litert_backend`` and ``formcoach.pose.blazepose``); the other is MediaPipe's
Tasks API (``formcoach.pose.mediapipe_backend``, the only module that imports mediapipe). A video's
track is cached by content, model and backend (``formcoach.pose.cache``).
"""

from formcoach.pose.estimate import MODELS, estimate_track, load_input
from formcoach.pose.protocol import FramePose, PoseEstimator

__all__ = ["MODELS", "FramePose", "PoseEstimator", "estimate_track", "load_input"]
