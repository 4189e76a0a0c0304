"""Shared plumbing for the benchmark scripts: run one backend in a subprocess, print a table.

Each benchmark script measures itself when run as ``script.py --backend NAME --json`` and
prints one JSON object of figures; the parent collects the objects of every backend it was
given (scopeflow always; TensorFlow when ``--tf-python`` names a Python that has it) and
prints the figures side by side with the ratio to scopeflow.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--tf-python", help="a Python interpreter with tensorflow installed")
    parser.add_argument("--backend", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=5, help="timed repetitions (median)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="fresh processes per backend, run alternately (the figures are their medians): "
        "on a shared machine the load drifts, and alternating spreads it over both",
    )
    return parser.parse_args()


def import_backend(name: str):
    """``scopeflow`` or TF1 graph mode (``tensorflow.compat.v1``), imported as ``tf``."""
    if name == "scopeflow":
        import scopeflow as tf

        return tf
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    return tf


def median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_child(python: str, script: str, backend: str, repeats: int) -> dict | None:
    cmd = [python, script, "--backend", backend, "--json", "--repeats", str(repeats)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        print(f"[{backend}] failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(script: str, description: str, measure) -> None:
    """Entry point of a benchmark script; ``measure(tf, repeats)`` returns {label: seconds}."""
    args = parse_args(description)
    if args.backend:
        figures = measure(args.backend, args.repeats)
        print(json.dumps(figures) if args.json else figures)
        return
    backends = {"scopeflow": sys.executable}
    if args.tf_python:
        backends["tensorflow"] = args.tf_python
    runs: dict[str, list[dict]] = {name: [] for name in backends}
    for _ in range(max(1, args.rounds)):
        for name, python in backends.items():
            figures = run_child(
                python, script, "tf" if name == "tensorflow" else name, args.repeats
            )
            if figures is not None:
                runs[name].append(figures)
    results = {name: _medians(figures) if figures else None for name, figures in runs.items()}
    print_table(description, results)


def _medians(runs: list[dict]) -> dict:
    return {label: statistics.median(run[label] for run in runs) for label in runs[0]}


def _human(value: float, label: str) -> str:
    if value != value:  # NaN: not measured
        return "-"
    if label.endswith("(MB)"):
        return f"{value:.0f} MB"
    if label.endswith("(steps/s)"):
        return f"{value:.1f}/s"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.2f} ms"
    return f"{value * 1e6:.1f} us"


def _advantage(ours: float, theirs: float, label: str) -> float:
    """How many times better scopeflow is (>1: faster or smaller)."""
    if label.endswith("(steps/s)"):
        return ours / theirs
    return theirs / ours


def print_table(title: str, results: dict[str, dict | None]) -> None:
    """Labels ending in "(MB)" or "(steps/s)" are memory and throughput; others are seconds.
    The last column is scopeflow's advantage over TensorFlow (>1: faster or smaller)."""
    ours = results.get("scopeflow") or {}
    backends = [b for b, r in results.items() if r]
    print(f"{title}  (medians)")
    header = f"{'measurement':44s}" + "".join(f"{b:>14s}" for b in backends)
    if "tensorflow" in backends:
        header += f"{'scopeflow vs TF':>18s}"
    print(header)
    for label in ours:
        row = f"{label:44s}" + "".join(
            f"{_human(results[b].get(label, float('nan')), label):>14s}" for b in backends
        )
        theirs = results.get("tensorflow") or {}
        if label in theirs and ours[label] > 0 and theirs[label] > 0:
            row += f"{_advantage(ours[label], theirs[label], label):17.2f}x"
        print(row)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def training_figures(
    tf, train, x, y, data, labels, batch: int, steps: int, repeats: int, label: str
) -> dict:
    """Initializes a session, runs ``train`` on successive batches, and returns the median
    steps per second (after one warm-up pass) and the peak memory."""
    batches = len(data) // batch

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())

        def run_steps():
            for i in range(steps):
                j = (i % batches) * batch
                sess.run(train, {x: data[j : j + batch], y: labels[j : j + batch]})

        run_steps()
        seconds = median_seconds(run_steps, repeats)
    return {f"{label} (steps/s)": steps / seconds, "peak memory (MB)": peak_rss_mb()}
