"""``FileWriter.add_summary`` cost per training step: a merged summary of 20 scalars and 2
histograms (1,000 and 10,000 values) written each step, as a training loop does. Goal:
``add_summary`` at most a third of TF1's time. Also shown: computing the merged summary
(``Session.run``), and ``add_summary`` with the writer's flush at the end counted in (the
background thread's writing shares the two cores).

    python benchmarks/summary.py --tf-python /path/to/tf-venv/bin/python
"""

from __future__ import annotations

import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

STEPS = 500


def measure(backend: str, repeats: int) -> dict:
    tf = _harness.import_backend(backend)
    rng = np.random.default_rng(0)
    for i in range(20):
        with tf.name_scope(f"layer{i // 5}"):
            tf.summary.scalar(f"s{i}", tf.Variable(float(i), name=f"v{i}"))
    h1 = tf.Variable(rng.standard_normal(1000).astype(np.float32), name="h1")
    h2 = tf.Variable(rng.standard_normal((100, 100)).astype(np.float32), name="h2")
    tf.summary.histogram("h1", h1)
    tf.summary.histogram("h2", h2)
    merged = tf.summary.merge_all()
    writer = tf.summary.FileWriter(tempfile.mkdtemp())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        summary = sess.run(merged)

        def add():
            for step in range(STEPS):
                writer.add_summary(summary, step)

        def add_and_flush():
            add()
            writer.flush()

        def compute():
            for _ in range(50):
                sess.run(merged)

        add_and_flush()  # warm up
        figures = {
            "add_summary, per step": _harness.median_seconds(add, repeats) / STEPS,
            "add_summary + final flush, per step": (
                _harness.median_seconds(add_and_flush, repeats) / STEPS
            ),
            "Session.run(merged), per step": _harness.median_seconds(compute, repeats) / 50,
        }
    writer.close()
    return figures


if __name__ == "__main__":
    _harness.main(os.path.abspath(__file__), "FileWriter.add_summary", measure)
