"""Writes ``sparse_training_values.json``: the variables of ``sparse_training.py``'s model after
each training step, under TensorFlow, for each optimizer, with a sparse and a dense table
gradient.

Run from the repository root with a Python that has TensorFlow (never scopeflow's venv):

    /path/to/tf-venv/bin/python tests/data/make_sparse_training_values.py
"""

import json
import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import tensorflow.compat.v1 as tf  # noqa: E402
from sparse_training import OPTIMIZERS, values_after_each_step  # noqa: E402

tf.disable_v2_behavior()


def main() -> None:
    record = {"generated_by": "tests/data/make_sparse_training_values.py"}
    record["tensorflow"] = tf.__version__
    for optimizer in OPTIMIZERS:
        for dense in (False, True):
            key = f"{optimizer}-{'dense' if dense else 'sparse'}"
            record[key] = values_after_each_step(tf, optimizer, dense)
    path = os.path.join(HERE, "sparse_training_values.json")
    with open(path, "w") as f:
        json.dump(record, f, indent=None)
        f.write("\n")
    print(path)


if __name__ == "__main__":
    main()
