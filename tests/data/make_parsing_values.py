"""Writes ``parsing_values.json``: the serialized messages and the parsing values and errors
of ``parsing_model.py``, and the string-op values and errors of ``strings_model.py``, under
TensorFlow.

Run from the repository root with a Python that has TensorFlow (never scopeflow's venv):

    /path/to/tf-venv/bin/python tests/data/make_parsing_values.py
"""

import json
import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import strings_model  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402
from parsing_model import protos, sequences, tensors, values  # noqa: E402

tf.disable_v2_behavior()


def main() -> None:
    record = {"generated_by": "tests/data/make_parsing_values.py", "tensorflow": tf.__version__}
    record["protos"] = protos(tf)
    record["values"] = values(tf)
    record["strings"] = strings_model.values(tf)
    record["tensors"] = tensors(tf)
    record["sequences"] = sequences(tf)
    path = os.path.join(HERE, "parsing_values.json")
    with open(path, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print(path)


if __name__ == "__main__":
    main()
