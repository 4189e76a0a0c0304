"""Writes ``tf_checkpoint/`` with TensorFlow's own ``tf.compat.v1.train.Saver``.

Run from the repository root with a Python that has TensorFlow (never scopeflow's venv):

    /path/to/tf-venv/bin/python tests/data/make_tf_checkpoint.py

It saves the variables of ``checkpoint_values.py`` as ``tf_checkpoint/model.ckpt-7`` and the
``checkpoint`` state file beside it; the tests read them back without TensorFlow.
"""

import os
import shutil
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import tensorflow.compat.v1 as tf  # noqa: E402
from checkpoint_values import expected_values  # noqa: E402

tf.disable_v2_behavior()


def main() -> None:
    out = os.path.join(os.path.relpath(HERE), "tf_checkpoint")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    variables = []
    for name, (dtype, value) in expected_values().items():
        initial = tf.constant(value.tolist() if dtype == "string" else value, dtype=dtype)
        variables.append(tf.Variable(initial, name=name))
    saver = tf.train.Saver(variables)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(
            saver.save(sess, os.path.join(out, "model.ckpt"), global_step=7, write_meta_graph=False)
        )


if __name__ == "__main__":
    main()
