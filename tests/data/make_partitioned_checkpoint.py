"""Writes ``tf_partitioned_checkpoint/`` with TensorFlow's own ``tf.compat.v1.train.Saver``:
the partitioned variables of ``partitioned_model.py`` saved as slices.

Run from the repository root with a Python that has TensorFlow (never scopeflow's venv):

    /path/to/tf-venv/bin/python tests/data/make_partitioned_checkpoint.py

The tests read the checkpoint without TensorFlow, and compare scopeflow's own checkpoint of
the same model with it byte for byte.
"""

import os
import shutil
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import tensorflow.compat.v1 as tf  # noqa: E402
from partitioned_model import build  # noqa: E402

tf.disable_v2_behavior()


def main() -> None:
    out = os.path.join(os.path.relpath(HERE), "tf_partitioned_checkpoint")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    with tf.Graph().as_default():
        build(tf)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.get_collection("assigns"))
            path = os.path.join(out, "model.ckpt")
            print(saver.save(sess, path, write_meta_graph=False, write_state=False))


if __name__ == "__main__":
    main()
