"""Writes ``tf_object_checkpoint/`` with TensorFlow's own ``tf.train.Checkpoint``.

Run from the repository root with a Python that has TensorFlow and tf_keras (never
scopeflow's venv):

    /path/to/tf-venv/bin/python tests/data/make_object_checkpoint.py

It builds ``object_checkpoint_model.build``, trains two steps, changes two variables, saves
``ckpt-1`` and writes ``values.json`` (the watched variables' values and the checkpoint's keys
with their shapes). ``tests/train/test_checkpoint_object.py`` restores it with scopeflow.
"""

import json
import os
import shutil
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import tensorflow.compat.v1 as tf  # noqa: E402
import tf_keras as keras  # noqa: E402

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from object_checkpoint_model import build  # noqa: E402


def main():
    out = os.path.join(HERE, "tf_object_checkpoint")
    shutil.rmtree(out, ignore_errors=True)
    with tf.Graph().as_default():
        root, train, updates, watched = build(tf, keras)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            sess.run(train)
            sess.run(updates)
            path = root.save(os.path.join(out, "ckpt"), session=sess)
            values = sess.run(watched)
    os.remove(os.path.join(out, "checkpoint"))
    keys = {name: shape for name, shape in tf.train.list_variables(path)}
    with open(os.path.join(out, "values.json"), "w") as f:
        values = {k: v.tolist() for k, v in values.items()}
        json.dump({"values": values, "keys": keys}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
