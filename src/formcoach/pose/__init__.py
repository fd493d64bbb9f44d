"""Pose estimation: video in, :class:`~formcoach.track.PoseTrack` out.

``PoseEstimator`` is the small protocol every backend follows; the default backend is MediaPipe's
BlazePose through the Tasks API (``formcoach.pose.mediapipe_backend``, the only module that
imports mediapipe), with model bundles vendored in ``formcoach/pose/models``.
"""

from formcoach.pose.estimate import MODELS, estimate_track, load_input
from formcoach.pose.protocol import FramePose, PoseEstimator

__all__ = ["MODELS", "FramePose", "PoseEstimator", "estimate_track", "load_input"]
