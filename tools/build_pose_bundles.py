"""Rebuild the vendored BlazePose ``.task`` bundles in ``src/formcoach/pose/models``.

MediaPipe 1.x wheels ship no model files and the Tasks API needs ``.task`` bundles: a zip of
``pose_detector.tflite`` and ``pose_landmarks_detector.tflite``, each carrying the
NormalizationOptions metadata that tells the Tasks runtime how to scale pixels
(detector: mean 127.5, std 127.5 -> [-1, 1]; landmarks: mean 0, std 255 -> [0, 1]).

The Apache-2.0 BlazePose models come from registry packages:

* the npm package ``@mediapipe/pose@0.5.1675469404``: ``pose_landmark_{lite,full,heavy}.tflite``
  and the detector, packed as the single file ``pose_solution_packed_assets.data``;
* the PyPI package ``mediapipe==0.10.21`` provides the metadata writer (the one in 1.2.x is broken).

Run (once, by a maintainer; nothing here runs at formcoach's run time)::

    python3 -m venv /tmp/mp021 && /tmp/mp021/bin/pip install mediapipe==0.10.21
    (cd /tmp && npm pack @mediapipe/pose@0.5.1675469404 && tar xzf mediapipe-pose-*.tgz)
    /tmp/mp021/bin/python tools/build_pose_bundles.py --npm-package /tmp/package

It writes ``pose_landmarker_{lite,full,heavy}.task`` and prints their sizes and SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parents[1] / "src" / "formcoach" / "pose" / "models"
VARIANTS = ("lite", "full", "heavy")


def _with_metadata(model: bytes, name: str, mean: float, std: float, n_outputs: int) -> bytes:
    """Return ``model`` with image-input NormalizationOptions and plain output metadata."""
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, "BlazePose GHUM 3D (Apache-2.0), repackaged by formcoach")
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    for i in range(n_outputs):
        writer.add_feature_output(name=f"output_{i}")
    content, _ = writer.populate()
    return bytes(content)


def _n_outputs(model: bytes) -> int:
    """Number of output tensors of a TFLite flatbuffer's first subgraph."""
    from mediapipe.tasks.python.metadata.metadata_writers import writer_utils

    return len(writer_utils.get_output_tensor_types(bytearray(model)))


def main() -> int:
    """Build the three bundles; return a process exit code."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--npm-package", type=Path, required=True,
                        help="folder of the unpacked @mediapipe/pose npm package")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()

    from mediapipe.tasks.python.metadata.metadata_writers import model_asset_bundle_utils

    detector_raw = (args.npm_package / "pose_solution_packed_assets.data").read_bytes()
    if detector_raw[4:8] != b"TFL3":
        print("pose_solution_packed_assets.data is not a single TFLite model", file=sys.stderr)
        return 1
    detector = _with_metadata(detector_raw, "pose_detector", 127.5, 127.5, _n_outputs(detector_raw))
    args.out.mkdir(parents=True, exist_ok=True)
    for variant in VARIANTS:
        raw = (args.npm_package / f"pose_landmark_{variant}.tflite").read_bytes()
        landmarks = _with_metadata(raw, "pose_landmarks_detector", 0.0, 255.0, _n_outputs(raw))
        target = args.out / f"pose_landmarker_{variant}.task"
        model_asset_bundle_utils.create_model_asset_bundle(
            {"pose_detector.tflite": detector, "pose_landmarks_detector.tflite": landmarks},
            str(target),
        )
        data = target.read_bytes()
        print(f"{target.name}: {len(data) / 1e6:.1f} MB sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
