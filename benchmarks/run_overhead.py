"""``Session.run`` overhead: fetch ``a + b`` of two fed scalars, median microseconds per call.
Goal: at most a third of TF1's.

    python benchmarks/run_overhead.py --tf-python /path/to/tf-venv/bin/python
"""

from __future__ import annotations

import os
import sys
import time

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


if __name__ == "__main__":
    _harness.main(os.path.abspath(__file__), "Session.run overhead", measure)
