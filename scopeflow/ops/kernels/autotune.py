"""Convolution algorithms chosen by measurement, as cuDNN's autotuner does.

The first time a process meets a convolution problem (the op - forward, input gradient or
filter gradient -, its shapes, strides, dilations, pads and dtype), every
candidate algorithm computes it and is timed; the fastest is remembered for the process and
used from then on (the cost model's choice is kept unless another is 10% faster). That
first call returns the chosen candidate's result, so every call
of a problem uses one algorithm. The candidates agree within floating-point tolerances
(README: "Convolution algorithms").

Problems under ``MIN_WORK`` multiply-adds are not timed (their timings are noise): the cost
model's choice (:func:`scopeflow.ops.kernels.conv.conv2d_algorithm`) serves, as it does for
every problem when the environment variable ``SCOPEFLOW_CONV_AUTOTUNE`` is ``0`` (for
results that do not depend on timings).
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Hashable

import numpy as np

ENV = "SCOPEFLOW_CONV_AUTOTUNE"
MIN_WORK = 1 << 24  # multiply-adds (about a millisecond): smaller problems are not timed
# Each candidate is timed up to _ROUNDS times, interleaved, and its fastest time counts
# (first calls pay one-time costs, and the machine's load drifts); after the first round,
# those _PRUNE times slower than the fastest are not timed again. Another algorithm
# replaces the cost model's choice only when _MARGIN times faster.
_ROUNDS = 3
_PRUNE = 3.0
_MARGIN = 1.1

_choices: dict[Hashable, str] = {}
_lock = threading.Lock()


def enabled() -> bool:
    """Whether algorithms are chosen by measurement (``SCOPEFLOW_CONV_AUTOTUNE`` is not 0)."""
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "off", "no")


def choices() -> dict[Hashable, str]:
    """The algorithms chosen so far in this process, by problem."""
    with _lock:
        return dict(_choices)


def forget() -> None:
    """Forgets every choice: the next call of each problem times its candidates again."""
    with _lock:
        _choices.clear()


def run(
    key: Hashable,
    candidates: dict[str, Callable[[], np.ndarray]],
    default: str,
    work: float,
    timed: dict[str, Callable[[], np.ndarray]] | None = None,
) -> np.ndarray:
    """The result of the algorithm chosen for problem ``key`` among ``candidates`` (name:
    function computing it); ``default`` is the cost model's choice, ``work`` the problem's
    multiply-adds. ``timed`` (same names) computes the same results for the timing, without
    what ``candidates`` share with other kernels of a run or across runs (spectra kept in a
    run's memo or an op's cache): repeated timing calls would find those kept and time the
    algorithm without its transforms."""
    if len(candidates) == 1 or work < MIN_WORK or not enabled():
        return candidates[default]()
    choice = _choices.get(key)
    if choice is not None:
        return candidates[choice]()
    times: dict[str, float] = {}
    kept: dict[str, np.ndarray] = {}  # the latest results of the default and of the fastest
    for round_ in range(_ROUNDS):
        for name, fn in (timed or candidates).items():
            if round_ and times[name] > _PRUNE * min(times.values()):
                continue
            start = time.perf_counter()
            result = fn()
            times[name] = min(times.get(name, math.inf), time.perf_counter() - start)
            if name == default or times[name] == min(times.values()):
                kept[name] = result
            del result
            kept = {
                k: v for k, v in kept.items() if k == default or times[k] == min(times.values())
            }
    best = min(times, key=times.get)
    best = default if times[default] <= _MARGIN * times[best] else best
    with _lock:
        choice = _choices.setdefault(key, best)
    return kept[choice] if choice in kept else candidates[choice]()
