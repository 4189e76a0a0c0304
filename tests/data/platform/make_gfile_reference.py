"""Writes ``gfile_reference.json``: what TensorFlow's ``tf.gfile``/``tf.io.gfile`` do for
each case of ``gfile_cases.py``.

Run from the repository root with a Python that has TensorFlow (never scopeflow's venv):

    /path/to/tf-venv/bin/python tests/data/platform/make_gfile_reference.py
"""

import json
import os
import sys
import tempfile

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import tensorflow.compat.v1 as tf  # noqa: E402
from gfile_cases import CASES, make_tree, run_case  # noqa: E402


def main() -> None:
    records = {}
    for expr in CASES:
        with tempfile.TemporaryDirectory() as d:
            make_tree(d)
            records[expr] = run_case(tf, expr, d)
    path = os.path.join(HERE, "gfile_reference.json")
    with open(path, "w") as f:
        json.dump({"tensorflow": tf.__version__, "cases": records}, f, indent=1)
        f.write("\n")
    print(path)


if __name__ == "__main__":
    main()
