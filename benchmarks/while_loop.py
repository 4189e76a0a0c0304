"""``tf.while_loop`` cost: per-iteration overhead of a 1,000-step scalar loop, and a 100-step
``[64, 256]`` matmul recurrence over TensorArrays, forward and forward+backward (the gradient
loop). Goals: per-iteration overhead at most a third of TF1's; the recurrence within 1.5x of
TF1's time.

    python benchmarks/while_loop.py --tf-python /path/to/tf-venv/bin/python
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

STEPS = 1000
T, B, H = 100, 64, 256


def _median_time(fn, repeats: int) -> float:
    fn()  # compile / warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]


def measure(backend: str, repeats: int) -> dict:
    tf = _harness.import_backend(backend)
    n = tf.placeholder(tf.int32, [])
    counted = tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + 1.0), [0, 0.0])

    rng = np.random.default_rng(0)
    x = tf.placeholder(tf.float32, [T, B, H])
    w = tf.Variable((rng.standard_normal((H, H)) / np.sqrt(H)).astype(np.float32), name="w")
    u = tf.Variable((rng.standard_normal((H, H)) / np.sqrt(H)).astype(np.float32), name="u")
    inputs = tf.TensorArray(tf.float32, size=T).unstack(x)

    def step(t, h, out):
        h = tf.tanh(tf.matmul(h, w) + tf.matmul(inputs.read(t), u))
        return t + 1, h, out.write(t, h)

    _, _, out = tf.while_loop(
        lambda t, *_: t < T, step, [0, tf.zeros([B, H]), tf.TensorArray(tf.float32, size=T)]
    )
    hs = out.stack()
    loss = tf.reduce_sum(hs * hs)
    grads = tf.gradients(loss, [w, u])
    feed = {x: rng.standard_normal((T, B, H)).astype(np.float32)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        empty = _median_time(lambda: sess.run(counted, {n: 0}), repeats)
        full = _median_time(lambda: sess.run(counted, {n: STEPS}), repeats)
        return {
            "scalar loop, per iteration": (full - empty) / STEPS,
            "recurrence forward (100 steps)": _median_time(lambda: sess.run(hs, feed), repeats),
            "recurrence forward+backward": _median_time(lambda: sess.run(grads, feed), repeats),
            "peak memory (MB)": _harness.peak_rss_mb(),
        }


if __name__ == "__main__":
    _harness.main(os.path.abspath(__file__), "tf.while_loop", measure)
