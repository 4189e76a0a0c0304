"""Graph-construction speed: a 200-layer scoped MLP built, rebuilt under ``reuse=True``, and
10,000 ``get_variable`` reuse lookups. Goal: at least 5x faster than TF1 graph mode.

    python benchmarks/build.py --tf-python /path/to/tf-venv/bin/python
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

LAYERS = 200
WIDTH = 64
LOOKUPS = 10_000


def measure(backend: str, repeats: int) -> dict:
    tf = _harness.import_backend(backend)

    def mlp(x, reuse):
        with tf.variable_scope("mlp", reuse=reuse):
            for i in range(LAYERS):
                with tf.variable_scope(f"layer{i}"):
                    w = tf.get_variable("w", [WIDTH, WIDTH])
                    b = tf.get_variable("b", [WIDTH], initializer=tf.zeros_initializer())
                    x = tf.nn.relu(tf.matmul(x, w) + b)
        return x

    state = {}

    def build():
        state["graph"] = g = tf.Graph()
        with g.as_default():
            state["x"] = tf.placeholder(tf.float32, [None, WIDTH])
            mlp(state["x"], reuse=False)

    def rebuild():
        with state["graph"].as_default():
            mlp(state["x"], reuse=True)

    def lookups():
        with state["graph"].as_default():
            with tf.variable_scope("mlp", reuse=True):
                for i in range(LOOKUPS):
                    tf.get_variable(f"layer{i % LAYERS}/w", [WIDTH, WIDTH])

    build_s = _harness.median_seconds(build, repeats)
    rebuild_s = _harness.median_seconds(rebuild, repeats)
    lookup_s = _harness.median_seconds(lookups, repeats)
    return {
        f"build {LAYERS}-layer scoped MLP": build_s,
        "rebuild it under reuse=True": rebuild_s,
        f"{LOOKUPS} get_variable reuse lookups": lookup_s,
    }


if __name__ == "__main__":
    _harness.main(os.path.abspath(__file__), "graph construction", measure)
