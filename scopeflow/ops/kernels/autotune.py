"""Convolution algorithms chosen by measurement, as cuDNN's autotuner does.

The first time a process meets a convolution problem (the op - forward, input gradient or
filter gradient -, its shapes, strides, dilations, pads and dtype), every
candidate algorithm computes it and is timed; the fastest is remembered for the process and
used from then on. That first call returns the fastest candidate's result, so every call
of a problem uses one algorithm. The candidates agree within floating-point tolerances
(README: "Convolution algorithms").

Problems under ``MIN_WORK`` multiply-adds are not timed (their timings are noise): the cost
model's choice (:func:`scopeflow.ops.kernels.conv.conv2d_algorithm`) serves, as it does for
every problem when the environment variable ``SCOPEFLOW_CONV_AUTOTUNE`` is ``0`` (for
results that do not depend on timings).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Hashable

import numpy as np

ENV = "SCOPEFLOW_CONV_AUTOTUNE"
MIN_WORK = 1 << 24  # multiply-adds (about a millisecond): smaller problems are not timed
# A second timing for candidates within this factor of the fastest first one: first calls
# pay one-time costs (cached transform matrices, fresh pages).
_RETIME = 1.5

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
    key: Hashable, candidates: dict[str, Callable[[], np.ndarray]], default: str, work: float
) -> np.ndarray:
    """The result of the algorithm chosen for problem ``key`` among ``candidates`` (name:
    function computing it); ``default`` is the cost model's choice, ``work`` the problem's
    multiply-adds."""
    if len(candidates) == 1 or work < MIN_WORK or not enabled():
        return candidates[default]()
    choice = _choices.get(key)
    if choice is not None:
        return candidates[choice]()
    times: dict[str, float] = {}
    best, best_result = None, None
    for name, fn in candidates.items():
        start = time.perf_counter()
        result = fn()
        times[name] = time.perf_counter() - start
        if best is None or times[name] < times[best]:
            best, best_result = name, result
        del result
    first = times[best]
    for name, fn in candidates.items():
        if name != best and times[name] < _RETIME * first:
            start = time.perf_counter()
            result = fn()
            times[name] = min(times[name], time.perf_counter() - start)
            if times[name] < times[best]:
                best, best_result = name, result
            del result
    with _lock:
        choice = _choices.setdefault(key, best)
    return best_result if choice == best else candidates[choice]()
