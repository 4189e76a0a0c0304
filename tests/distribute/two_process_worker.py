"""One of the processes of tests/distribute/test_hosts.py: joins the others through
``scopeflow.distribute.initialize`` (``SCOPEFLOW_*`` environment variables), trains an MLP a
few steps on its rows of each global batch, and checks the losses, variables and a fetched
batch against this process training on the whole batches alone with the NumPy executor.
Prints one line."""

from __future__ import annotations

import sys

import numpy as np

import scopeflow as tf
from scopeflow import distribute


def train(executor: str, parallel: bool, rows: slice, steps: int = 3):
    rng = np.random.default_rng(0)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 5])
        y = tf.placeholder(tf.float32, [None, 1])
        w1 = rng.normal(size=(5, 8)).astype(np.float32)
        w2 = rng.normal(size=(8, 1)).astype(np.float32)
        h = tf.layers.dense(x, 8, tf.tanh, kernel_initializer=tf.constant_initializer(w1))
        out = tf.layers.dense(h, 1, kernel_initializer=tf.constant_initializer(w2))
        loss = tf.reduce_mean(tf.square(out - y))
        step = tf.train.AdamOptimizer(0.05).minimize(loss)
        sess = tf.Session(executor=executor)
        if parallel:
            distribute.data_parallel(sess)
        sess.run(tf.global_variables_initializer())
        losses = []
        for _ in range(steps):
            xb = rng.normal(size=(8, 5)).astype(np.float32)
            yb = rng.normal(size=(8, 1)).astype(np.float32)
            losses.append(sess.run([loss, step], {x: xb[rows], y: yb[rows]})[0])
        # A fetched batch comes back whole: each process's rows, gathered from all.
        outputs = sess.run(out, {x: xb[rows]})
        return np.array(losses), sess.run(tf.trainable_variables()), outputs


def draws() -> list:
    """Two runs of an unseeded random op under data_parallel: the same in every process."""
    with tf.Graph().as_default():
        noise = tf.random_normal([3])
        sess = distribute.data_parallel(tf.Session(executor="jax"))
        return [sess.run(noise).round(6).tolist() for _ in range(2)]


def main() -> None:
    index = distribute.initialize()
    import jax

    count = jax.process_count()
    share = 8 // count
    losses, variables, outputs = train("jax", True, slice(index * share, (index + 1) * share))
    want_losses, want, want_outputs = train("numpy", False, slice(None))
    np.testing.assert_allclose(losses, want_losses, rtol=1e-5)
    np.testing.assert_allclose(outputs, want_outputs, rtol=1e-4, atol=1e-5)
    for got, expected in zip(variables, want, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-6)
    print(f"process {index} of {count}: {jax.device_count()} devices, draws {draws()}")
    print(f"losses {losses.tolist()}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
