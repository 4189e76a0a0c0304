"""Writes ``ctc_values.json``: the losses, gradients, decoded labels and run-time errors of
``ctc_model.py``'s graphs under TensorFlow.

Run from the repository root with a Python that has TensorFlow (never scopeflow's venv):

    /path/to/tf-venv/bin/python tests/data/make_ctc_values.py
"""

import json
import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import tensorflow.compat.v1 as tf  # noqa: E402
from ctc_model import values  # noqa: E402

tf.disable_v2_behavior()


def main() -> None:
    record = {"generated_by": "tests/data/make_ctc_values.py", "tensorflow": tf.__version__}
    record.update(values(tf))
    path = os.path.join(HERE, "ctc_values.json")
    with open(path, "w") as f:
        json.dump(record, f, indent=None)
        f.write("\n")
    print(path)


if __name__ == "__main__":
    main()
