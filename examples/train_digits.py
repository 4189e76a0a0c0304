"""Train a small CNN built from the seed tutorial's ``conv_relu`` scopes on scikit-learn's
bundled 8x8 digits, save a TensorFlow-format checkpoint, and restore it into a fresh graph
built under a different outer scope.

Run with ``make demo`` (installs the ``demo`` extra: scikit-learn for the data, tqdm for the
progress bar). No download: the digits ship with scikit-learn.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

import numpy as np

import scopeflow as tf

STEPS = 300
BATCH = 64


def conv_relu(input, kernel_shape, bias_shape):
    # The seed's conv_relu, with a scale-aware initializer so the network trains quickly.
    weights = tf.get_variable(
        "weights", kernel_shape, initializer=tf.variance_scaling_initializer(2.0)
    )
    biases = tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.0))
    conv = tf.nn.conv2d(input, weights, strides=[1, 1, 1, 1], padding="SAME")
    return tf.nn.relu(conv + biases)


def model(images):
    """8x8x1 images -> 10 logits: two conv_relu scopes with pooling, then a dense layer."""
    with tf.variable_scope("conv1"):
        h = conv_relu(images, [3, 3, 1, 16], [16])
    h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    with tf.variable_scope("conv2"):
        h = conv_relu(h, [3, 3, 16, 32], [32])
    h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    flat = tf.reshape(h, [-1, 2 * 2 * 32])
    with tf.variable_scope("dense"):
        w = tf.get_variable("weights", [128, 10])
        b = tf.get_variable("biases", [10], initializer=tf.zeros_initializer())
        return tf.matmul(flat, w) + b


def load_digits():
    try:
        from sklearn.datasets import load_digits as sklearn_digits
    except ImportError:
        sys.exit("This demo needs scikit-learn: pip install -e '.[demo]' (make demo does it).")
    digits = sklearn_digits()
    x = (digits.images / 16.0).astype(np.float32)[..., None]
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    return (x[:1500], y[:1500]), (x[1500:], y[1500:])


def progress(steps):
    try:
        from tqdm import tqdm
    except ImportError:
        return steps
    return tqdm(steps, desc="training", unit="step", ncols=80, file=sys.stdout)


def accuracy(sess, logits, x, images, labels) -> float:
    predicted = sess.run(tf.argmax(logits, 1), {x: images})
    return float((predicted == labels).mean())


def train(checkpoint_dir: str) -> tuple[str, float]:
    (train_x, train_y), (test_x, test_y) = load_digits()
    tf.reset_default_graph()
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="images")
    y = tf.placeholder(tf.int64, [None], name="labels")
    logits = model(x)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    step = tf.train.get_or_create_global_step()
    train_op = tf.train.AdamOptimizer(1e-2).minimize(loss, global_step=step)
    saver = tf.train.Saver(max_to_keep=3)
    rng = np.random.default_rng(0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start = time.perf_counter()
        bar = progress(range(STEPS))
        log = getattr(bar, "write", print)  # tqdm prints around its bar
        for i in bar:
            batch = rng.integers(0, len(train_x), BATCH)
            value, _ = sess.run([loss, train_op], {x: train_x[batch], y: train_y[batch]})
            if i % 50 == 0 or i == STEPS - 1:
                log(f"  step {i:4d}  loss {value:.4f}")
        seconds = time.perf_counter() - start
        acc = accuracy(sess, logits, x, test_x, test_y)
        print(f"trained {STEPS} steps in {seconds:.1f} s; test accuracy {acc:.3f}")
        path = saver.save(sess, os.path.join(checkpoint_dir, "digits"), global_step=step)
    print(f"saved checkpoint {path}")
    return path, acc


def restore_elsewhere(path: str) -> float:
    """A fresh graph with the same model under the outer scope "restored": the saver maps
    the checkpoint's names ("conv1/weights") onto the new variables."""
    _, (test_x, test_y) = load_digits()
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    with tf.variable_scope("restored"):
        logits = model(x)
    names = {v.op.name[len("restored/") :]: v for v in tf.global_variables()}
    with tf.Session() as sess:
        tf.train.Saver(names).restore(sess, path)
        acc = accuracy(sess, logits, x, test_x, test_y)
    print(f"restored {len(names)} variables under 'restored/'; test accuracy {acc:.3f}")
    return acc


def main() -> None:
    with tempfile.TemporaryDirectory() as checkpoint_dir:
        path, trained = train(checkpoint_dir)
        restored = restore_elsewhere(path)
    assert abs(trained - restored) < 1e-9, "the restored model must score the same"


if __name__ == "__main__":
    main()
