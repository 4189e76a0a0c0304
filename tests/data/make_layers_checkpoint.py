"""Writes ``tf_layers_checkpoint/`` with TensorFlow's own ``tf.layers`` and ``Saver``.

Run from the repository root with a Python that has TensorFlow and tf_keras (never
scopeflow's venv):

    /path/to/tf-venv/bin/python tests/data/make_layers_checkpoint.py

It builds :func:`model` (conv2d + batch_normalization + max_pooling2d + dense), trains it for a
few momentum steps with the batch-norm updates of ``UPDATE_OPS`` (so that the moving
statistics are not their initial values), saves ``model.ckpt`` (with the optimizer's slots)
and writes ``outputs.json``: an input batch and the logits TensorFlow computes for it in
inference and in training mode. ``tests/layers/test_checkpoint.py`` builds the same model
with scopeflow, restores the checkpoint and must give the same logits.
"""

import json
import os
import shutil

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_USE_LEGACY_KERAS"] = "1"  # tf.layers are tf_keras's

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))


def model(tf, x, training):
    """The model, in the API scopeflow and TensorFlow share (``tf`` is either)."""
    h = tf.layers.conv2d(x, 4, 3, padding="same")
    h = tf.nn.relu(tf.layers.batch_normalization(h, training=training))
    h = tf.layers.flatten(tf.layers.max_pooling2d(h, 2, 2))
    return tf.layers.dense(h, 3)


def main() -> None:
    out = os.path.join(os.path.relpath(HERE), "tf_layers_checkpoint")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    rng = np.random.default_rng(0)
    data = rng.standard_normal((8, 6, 6, 3)).astype(np.float32)
    labels = rng.integers(0, 3, 8)
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [None, 6, 6, 3], name="x")
    training = tf.placeholder_with_default(False, [], name="training")
    logits = model(tf, x, training)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        step = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(step, {x: data, training: True})
        print(saver.save(sess, os.path.join(out, "model.ckpt"), write_meta_graph=False))
        batch = data[:2] + 0.5
        outputs = {
            "input": batch.tolist(),
            "inference": sess.run(logits, {x: batch}).tolist(),
            "training": sess.run(logits, {x: batch, training: True}).tolist(),
            "variables": sorted(v.op.name for v in tf.global_variables()),
        }
    with open(os.path.join(out, "outputs.json"), "w") as f:
        json.dump(outputs, f, indent=1)


if __name__ == "__main__":
    main()
