"""Writes ``contrib_layers_names.json``: what tf_slim (TF 1.15's ``tf.contrib.layers``, run on
TF 2.21) names for each snippet in ``contrib_layers_snippets.py``: the global variables with
their shapes, the model and trainable variables, ``UPDATE_OPS``, and each snippet's
``result`` (output tensor names and shapes).

Run from the repository root with a Python that has TensorFlow, tf_keras and tf_slim
(never scopeflow's venv):

    /path/to/tf-venv/bin/python tests/data/make_contrib_layers_names.py

``tests/contrib/test_layers_names.py`` runs the same snippets with scopeflow and compares.
"""

import importlib
import json
import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_USE_LEGACY_KERAS"] = "1"  # tf_slim builds tf_keras's legacy layers

import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()
# tf_slim 1.1 imports tf_keras.legacy_tf_layers.* and tf's ops.Tensor, both moved since;
# control_flow_ops.cond and ops.IndexedSlices too.
for sub in [
    "",
    ".base",
    ".convolutional",
    ".core",
    ".normalization",
    ".pooling",
    ".variable_scope_shim",
]:
    sys.modules["tf_keras.legacy_tf_layers" + sub] = importlib.import_module(
        "tf_keras.src.legacy_tf_layers" + sub
    )
import tensorflow.python.framework.ops as _ops  # noqa: E402
import tensorflow.python.ops.control_flow_ops as _control_flow_ops  # noqa: E402

_ops.Tensor = tf.Tensor
_ops.IndexedSlices = tf.IndexedSlices
_control_flow_ops.cond = tf.cond
import tf_slim as slim  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from contrib_layers_snippets import SNIPPETS, record  # noqa: E402


def main() -> None:
    out = {}
    for name, source in SNIPPETS.items():
        with tf.Graph().as_default():
            out[name] = record(tf, slim, source)
    with open(os.path.join(HERE, "contrib_layers_names.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
