"""BlazePose run directly through LiteRT (``ai-edge-litert``), from our own vendored ``.task`` bundles.

It does what MediaPipe's pose landmarker does in VIDEO mode, with the geometry of
:mod:`formcoach.pose.blazepose`: the landmark model looks at a crop placed from the previous
frame's landmarks, and while fewer people are followed than it may find (``max_people``), the
person detector runs on the frame too and its crops replace the followed ones they overlap
(``PoseLandmarkerGraph``'s association of the two). Unlike MediaPipe's Python API it lets the models
use several threads. This is the only module that imports ``ai_edge_litert``.
"""

from __future__ import annotations

import os
import zipfile
from types import TracebackType

import numpy as np

from formcoach.pose.blazepose import (
    BODY_LANDMARKS,
    DETECTOR_SIZE_PX,
    LANDMARK_SIZE_PX,
    Roi,
    aligned_roi,
    decode_detections,
    project,
    refine_with_heatmap,
    rotate_world,
    sigmoid,
    ssd_anchors,
    unletterbox,
)
from formcoach.pose.mediapipe_backend import model_path
from formcoach.pose.protocol import FramePose
from formcoach.video.warp import crop_square


def default_threads() -> int:
    """Threads for the model: every core this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class _Model:
    """One TFLite model with named outputs."""

    def __init__(self, content: bytes, threads: int) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self._interpreter = Interpreter(model_content=content, num_threads=threads)
        self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]["index"]
        self._outputs = {d["name"]: d["index"] for d in self._interpreter.get_output_details()}

    def run(self, tensor: np.ndarray, *names: str) -> list[np.ndarray]:
        """Run on one (H, W, 3) float32 input; the named outputs, batch axis dropped."""
        self._interpreter.set_tensor(self._input, tensor[None])
        self._interpreter.invoke()
        return [self._interpreter.get_tensor(self._outputs[name])[0] for name in names]


class PersonDetector:
    """BlazePose's person detector alone, from the vendored ``variant`` bundle: where the people in
    a frame are (the crops the landmark model would look at), without their landmarks."""

    def __init__(self, variant: str = "full", min_detection: float = 0.5, threads: int | None = None) -> None:
        with zipfile.ZipFile(model_path(variant)) as bundle:
            self._model = _Model(bundle.read("pose_detector.tflite"), threads or default_threads())
        self._anchors = ssd_anchors()
        self._min_detection = min_detection

    def detect(self, rgb: np.ndarray) -> list[Roi]:
        """The crops around every person found in the (H, W, 3) uint8 RGB frame, most confident first
        (centre and size as shares of the frame's width and height)."""
        height, width = rgb.shape[:2]
        side = max(width, height)
        whole = Roi(0.5, 0.5, side / width, side / height, 0.0)
        crop = crop_square(rgb, whole.corners_px(width, height), DETECTOR_SIZE_PX)
        tensor = crop.astype(np.float32) * np.float32(1 / 127.5) - np.float32(1.0)
        boxes, scores = self._model.run(tensor, "Identity", "Identity_1")
        _, coords = decode_detections(boxes, scores, self._anchors, self._min_detection)
        rois = []
        for row in coords:
            points = unletterbox(row[4:8].reshape(2, 2), width, height)
            rois.append(aligned_roi(points[0], points[1], width, height))
        return rois


class LiteRtPose:
    """BlazePose GHUM 3D through LiteRT: 33 landmarks with image and world coordinates and
    visibility, as :class:`~formcoach.pose.mediapipe_backend.MediaPipePose` gives them.

    ``threads`` is how many threads the models use (default: every available core);
    ``max_people`` 2 makes it look for a second person on every frame where it follows one.
    """

    def __init__(self, variant: str = "full", max_people: int = 2, min_detection: float = 0.5,
                 min_presence: float = 0.5, min_tracking: float = 0.5, threads: int | None = None) -> None:
        if max_people not in (1, 2):
            raise ValueError(f"max_people must be 1 or 2, got {max_people}")
        threads = threads or default_threads()
        self._detector = PersonDetector(variant, min_detection, threads)
        with zipfile.ZipFile(model_path(variant)) as bundle:
            self._landmarker = _Model(bundle.read("pose_landmarks_detector.tflite"), threads)
        self._min_presence = min_presence
        self._min_tracking, self._max_people = min_tracking, max_people
        self._followed: list[Roi] = []
        self.name = f"litert-blazepose-{variant}"

    def detect(self, rgb: np.ndarray) -> list[Roi]:
        """The crops around every person the detector finds in ``rgb``, most confident first."""
        return self._detector.detect(rgb)

    def landmarks(self, rgb: np.ndarray, roi: Roi) -> tuple[np.ndarray, np.ndarray, Roi] | None:
        """(33, 4) image and (33, 3) world landmarks of the person in ``roi`` and the crop for the
        next frame, or None when the model says nobody is there."""
        height, width = rgb.shape[:2]
        # The landmark crop repeats the frame's edge where it runs off the frame (MediaPipe's
        # default); a black border made the model lose a person cut by the frame's edge.
        crop = crop_square(rgb, roi.corners_px(width, height), LANDMARK_SIZE_PX, replicate=True)
        tensor = crop.astype(np.float32) * np.float32(1 / 255.0)
        raw, flag, heatmap, world = self._landmarker.run(tensor, "Identity", "Identity_1", "Identity_3",
                                                         "Identity_4")
        if float(flag.reshape(-1)[0]) < self._min_presence:
            return None
        raw = raw.reshape(-1, 5).astype(np.float64)
        points = raw[:, :3] / LANDMARK_SIZE_PX
        points[:, :2] = refine_with_heatmap(points[:, :2], heatmap)
        placed = project(points, roi)
        visibility = sigmoid(raw[:BODY_LANDMARKS, 3])
        image = np.column_stack([placed[:BODY_LANDMARKS], visibility])
        world_xyz = rotate_world(world.reshape(-1, 3)[:BODY_LANDMARKS].astype(np.float64), roi.rotation)
        following = aligned_roi(placed[BODY_LANDMARKS, :2], placed[BODY_LANDMARKS + 1, :2], width, height)
        return image, world_xyz, following

    def _rois(self, rgb: np.ndarray) -> list[Roi]:
        """The crops to run the landmark model on, as MediaPipe's pose landmarker picks them: the
        people followed from the last frame, and while fewer than ``max_people`` are followed the
        detector's finds too, each replacing the followed crops it overlaps."""
        followed = list(self._followed)
        if len(followed) >= self._max_people:
            return followed
        found = self.detect(rgb)
        kept = [f for f in followed if all(f.iou(d) <= self._min_tracking for d in found)]
        return [*kept, *found][:self._max_people]

    def process(self, rgb: np.ndarray, t_s: float) -> FramePose:
        """Find people in one RGB uint8 frame shown at ``t_s`` seconds (frames in time order)."""
        images: list[np.ndarray] = []
        worlds: list[np.ndarray] = []
        following: list[Roi] = []
        for roi in self._rois(rgb):
            found = self.landmarks(rgb, roi)
            if found is None or any(found[2].iou(f) > self._min_tracking for f in following):
                continue
            images.append(found[0])
            worlds.append(found[1])
            following.append(found[2])
        self._followed = following
        if not images:
            return FramePose(np.empty((0, BODY_LANDMARKS, 4)), np.empty((0, BODY_LANDMARKS, 3)))
        return FramePose(np.stack(images), np.stack(worlds))

    def close(self) -> None:
        """Nothing to release beyond memory; present for the protocol."""

    def __enter__(self) -> LiteRtPose:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
