"""How long ``import scopeflow`` takes in a fresh process (goal: <= 0.3 s), and that it pulls
in nothing heavy. Compare with TensorFlow: ``python benchmarks/import_time.py --tf-python
/path/to/tf-venv/bin/python``.

Both imports are timed with a warm bytecode cache, as after ``pip install``: the probe runs
once first with ``PYTHONPYCACHEPREFIX`` pointing at a temporary folder, so a shell that sets
``PYTHONDONTWRITEBYTECODE`` (which makes every import compile each module from source, 0.6 s
instead of 0.25 s here) does not distort the figure."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

_PYCACHE = tempfile.TemporaryDirectory(prefix="scopeflow-pycache-")
HEAVY = ("jax", "tensorboard", "google.protobuf", "scipy", "rich", "tqdm", "tensorflow")
PROBE = """
import sys, time
t = time.perf_counter()
{stmt}
dt = time.perf_counter() - t
print(dt, ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def measure(backend: str, repeats: int) -> dict:
    stmt = (
        "import scopeflow"
        if backend == "scopeflow"
        else ("import tensorflow.compat.v1 as tf; tf.disable_v2_behavior()")
    )
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPYCACHEPREFIX=_PYCACHE.name)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times, heavy = [], ""
    for _ in range(repeats + 1):
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(stmt=stmt, heavy=HEAVY)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout.split()
        times.append(float(out[0]))
        heavy = out[1] if len(out) > 1 else ""
    if backend == "scopeflow" and heavy:
        print(f"warning: import scopeflow also imported {heavy}", file=sys.stderr)
    times = sorted(times[1:])  # the first run fills the bytecode cache
    return {"import (fresh process)": times[len(times) // 2]}


if __name__ == "__main__":
    _harness.main(os.path.abspath(__file__), "import time", measure)
