"""Training speed: a 784-512-512-10 MLP with Adam, batch 128, on synthetic data. Prints steps
per second and peak memory (goal for the NumPy executor: at least 0.7x TF1's steps/s with no
more memory).

    python benchmarks/train_mlp.py --tf-python /path/to/tf-venv/bin/python

``--executor jax`` compares, in one process, the NumPy executor, ``Session(executor="jax")``
and the same step written by hand with ``jax.jit`` (and TF1 when ``--tf-python`` is given),
and reports the JAX executor's compile time and first-step latency apart (measured in the
first run: ``_jax_timing.py``):

    python benchmarks/train_mlp.py --executor jax --tf-python /path/to/tf-venv/bin/python
"""

from __future__ import annotations

import functools
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402
import _jax_timing  # noqa: E402

STEPS = 30
BATCH = 128


def build(tf):
    """The MLP's input placeholders, loss and Adam train op in the default graph."""
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.int64, [None])
    h = x
    for i, width in enumerate([512, 512]):
        with tf.variable_scope(f"dense{i}"):
            w = tf.get_variable("w", [h.shape[1].value, width])
            b = tf.get_variable("b", [width], initializer=tf.zeros_initializer())
            h = tf.nn.relu(tf.matmul(h, w) + b)
    with tf.variable_scope("out"):
        w = tf.get_variable("w", [512, 10])
        logits = tf.matmul(h, w)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.AdamOptimizer(1e-3).minimize(loss)
    return x, y, loss, train


def _data():
    rng = np.random.default_rng(0)
    data = rng.standard_normal((BATCH * 8, 784)).astype(np.float32)
    return data, rng.integers(0, 10, BATCH * 8)


def measure(backend: str, repeats: int) -> dict:
    tf = _harness.import_backend(backend)
    data, labels = _data()
    x, y, loss, train = build(tf)
    return _harness.training_figures(
        tf, train, x, y, data, labels, BATCH, STEPS, repeats, "MLP Adam steps per second"
    )


def _session_steps(tf, executor: str, repeats: int) -> dict:
    """Steps/s of ``Session(executor=...)``, the loss fetched at the end of each pass (the
    JAX executor dispatches asynchronously: the fetch waits for every step)."""
    data, labels = _data()
    with tf.Graph().as_default():
        x, y, loss, train = build(tf)
        with tf.Session(executor=executor) as sess:
            sess.run(tf.global_variables_initializer())
            first = _jax_timing.first_run(
                lambda: sess.run([train, loss], {x: data[:BATCH], y: labels[:BATCH]})
            )

            def run_steps():
                for i in range(STEPS):
                    j = (i % 8) * BATCH
                    out = sess.run(
                        [train, loss], {x: data[j : j + BATCH], y: labels[j : j + BATCH]}
                    )
                return out

            run_steps()
            seconds = _harness.median_seconds(run_steps, repeats)
    return {"steps/s": STEPS / seconds, "first run": first}


def _handwritten_jax(repeats: int) -> dict:
    """The same MLP step written directly in JAX: Glorot init, Adam as TF1's ApplyAdam, the
    state donated and the loss fetched to the host at every step, as ``sess.run([train,
    loss])`` does."""
    import jax
    import jax.numpy as jnp

    data, labels = _data()
    keys = jax.random.split(jax.random.key(0), 3)
    sizes = [(784, 512), (512, 512), (512, 10)]
    params = [jax.random.normal(k, s, jnp.float32) * 0.05 for k, s in zip(keys, sizes, strict=True)]
    params += [jnp.zeros(512, jnp.float32), jnp.zeros(512, jnp.float32)]

    def loss_fn(p, x, y):
        h = jax.nn.relu(x @ p[0] + p[3])
        h = jax.nn.relu(h @ p[1] + p[4])
        logits = h @ p[2]
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], 1))

    @functools.partial(jax.jit, donate_argnums=0)
    def step(state, x, y):
        p, m, v, t = state
        loss, g = jax.value_and_grad(loss_fn)(p, x, y)
        t = t + 1
        lr = 1e-3 * jnp.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        m = [mi + (gi - mi) * 0.1 for mi, gi in zip(m, g, strict=True)]
        v = [vi + (gi * gi - vi) * 0.001 for vi, gi in zip(v, g, strict=True)]
        p = [pi - lr * mi / (jnp.sqrt(vi) + 1e-8) for pi, mi, vi in zip(p, m, v, strict=True)]
        return (p, m, v, t), loss

    zeros = [jnp.zeros_like(q) for q in params]
    state = [(params, zeros, [jnp.zeros_like(q) for q in params], jnp.float32(0))]

    def run_steps():
        for i in range(STEPS):
            j = (i % 8) * BATCH
            state[0], loss = step(state[0], data[j : j + BATCH], labels[j : j + BATCH])
            loss = float(loss)
        return loss

    run_steps()
    return {"steps/s": STEPS / _harness.median_seconds(run_steps, repeats)}


def compare_executors(args) -> None:
    import scopeflow as tf

    rows = {
        "scopeflow, executor='numpy'": _session_steps(tf, "numpy", args.repeats),
        "scopeflow, executor='jax'": _session_steps(tf, "jax", args.repeats),
        "hand-written jax.jit step": _handwritten_jax(args.repeats),
    }
    if args.tf_python:
        script = os.path.abspath(__file__)
        tf1 = _harness.run_child(args.tf_python, script, "tensorflow", args.repeats)
        if tf1 is not None:
            rows["TF1 (tensorflow.compat.v1)"] = {
                "steps/s": tf1["MLP Adam steps per second (steps/s)"]
            }
    jax_rate = rows["scopeflow, executor='jax'"]["steps/s"]
    for name, row in rows.items():
        ratio = jax_rate / row["steps/s"]
        first = row.get("first run")
        extra = f", {_jax_timing.describe(first)}" if first else ""
        print(f"{name:34s} {row['steps/s']:8.1f} steps/s  (jax executor: {ratio:.2f}x){extra}")


if __name__ == "__main__":
    if "--executor" in sys.argv:
        index = sys.argv.index("--executor")
        executor = sys.argv[index + 1]
        del sys.argv[index : index + 2]
        if executor == "jax":
            compare_executors(_harness.parse_args("MLP: NumPy vs JAX executor"))
            sys.exit(0)
        os.environ["SCOPEFLOW_EXECUTOR"] = executor
    _harness.main(os.path.abspath(__file__), "train 784-512-512-10 MLP, Adam, batch 128", measure)
