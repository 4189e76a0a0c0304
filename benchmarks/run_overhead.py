"""``Session.run`` overhead: fetch ``a + b`` of two fed scalars, median microseconds per call.
Goal: at most a third of TF1's.

    python benchmarks/run_overhead.py --tf-python /path/to/tf-venv/bin/python

``--executor jax`` measures, in one process and interleaved (the load of a shared machine
drifts), the NumPy executor, ``Session(executor="jax")`` and a bare ``jax.jit`` call of the
same function (goal for the JAX executor: at most 2x the bare call):

    python benchmarks/run_overhead.py --executor jax
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

CALLS = 2000


def measure(backend: str, repeats: int) -> dict:
    tf = _harness.import_backend(backend)
    a = tf.placeholder(tf.float32, [])
    b = tf.placeholder(tf.float32, [])
    total = a + b
    v = tf.Variable(0.0)
    bump = tf.assign_add(v, 1.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())

        def per_call(fetch, feeds) -> float:
            sess.run(fetch, feeds)  # compile / warm up
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                for _ in range(CALLS):
                    sess.run(fetch, feeds)
                times.append((time.perf_counter() - start) / CALLS)
            times.sort()
            return times[len(times) // 2]

        return {
            "run(a + b, feeds) per call": per_call(total, {a: 1.0, b: 2.0}),
            "run(assign_add) per call": per_call(bump, None),
        }


def _fastest(calls: dict, rounds: int = 200, inner: int = 25) -> dict:
    """Microseconds per call of each function, the fastest of ``rounds`` batches, the
    functions taking turns (so a change of load hits them alike)."""
    best = dict.fromkeys(calls, float("inf"))
    for fn in calls.values():
        fn()  # compile / warm up
    for _ in range(rounds):
        for name, fn in calls.items():
            start = time.perf_counter()
            for _ in range(inner):
                fn()
            best[name] = min(best[name], (time.perf_counter() - start) / inner)
    return {name: seconds * 1e6 for name, seconds in best.items()}


def compare_executors() -> None:
    import jax
    import jax.numpy as jnp

    import scopeflow as tf

    a = tf.placeholder(tf.float32, [])
    b = tf.placeholder(tf.float32, [])
    total = a + b
    v = tf.Variable(0.0)
    bump = tf.assign_add(v, 1.0)
    sessions = {name: tf.Session(executor=name) for name in ("numpy", "jax")}
    for sess in sessions.values():
        sess.run(tf.global_variables_initializer())
    feeds = {a: 1.0, b: 2.0}
    add = jax.jit(lambda x, y: x + y)
    x, y = np.float32(1.0), np.float32(2.0)
    increment = jax.jit(lambda value: value + 1.0, donate_argnums=0)
    state = [jnp.float32(0.0)]

    def bare_increment():  # the new value fetched, as run(assign_add) returns it
        state[0] = increment(state[0])
        return np.array(state[0])[()]

    us = _fastest(
        {
            "add numpy": lambda: sessions["numpy"].run(total, feeds),
            "add jax": lambda: sessions["jax"].run(total, feeds),
            "add bare": lambda: np.asarray(add(x, y))[()],
            "bump numpy": lambda: sessions["numpy"].run(bump),
            "bump jax": lambda: sessions["jax"].run(bump),
            "bump bare": bare_increment,
        }
    )
    load = os.getloadavg()[0]
    print(f"Session.run overhead, fastest of interleaved batches (load average {load:.1f})")
    print(f"{'':34s}{'numpy':>10s}{'jax':>10s}{'bare jax.jit':>14s}{'jax / bare':>12s}")
    for label, key in (("run(a + b, feeds) per call", "add"), ("run(assign_add) per call", "bump")):
        numpy_us, jax_us, bare_us = (us[f"{key} {k}"] for k in ("numpy", "jax", "bare"))
        print(
            f"{label:34s}{numpy_us:8.1f}us{jax_us:8.1f}us{bare_us:12.1f}us{jax_us / bare_us:11.2f}x"
        )


if __name__ == "__main__":
    if "--executor" in sys.argv:
        index = sys.argv.index("--executor")
        if sys.argv[index + 1] != "jax":
            sys.exit("--executor: only 'jax' (the NumPy executor is the default table)")
        compare_executors()
        sys.exit(0)
    _harness.main(os.path.abspath(__file__), "Session.run overhead", measure)
