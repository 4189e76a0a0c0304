"""Writes ``moving_average_values.json``: the moving averages of ``moving_averages_model.py``
after each step, under TensorFlow, for each variant of ``tf.train.ExponentialMovingAverage``.

Run from the repository root with a Python that has TensorFlow (never scopeflow's venv):

    /path/to/tf-venv/bin/python tests/data/make_moving_average_values.py
"""

import json
import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import tensorflow.compat.v1 as tf  # noqa: E402
from moving_averages_model import VARIANTS, values_after_each_step  # noqa: E402

tf.disable_v2_behavior()


def main() -> None:
    record = {"generated_by": "tests/data/make_moving_average_values.py"}
    record["tensorflow"] = tf.__version__
    for variant in VARIANTS:
        record[variant] = values_after_each_step(tf, variant)
    path = os.path.join(HERE, "moving_average_values.json")
    with open(path, "w") as f:
        json.dump(record, f, indent=None)
        f.write("\n")
    print(path)


if __name__ == "__main__":
    main()
