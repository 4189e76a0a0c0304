"""Large arrays a session's runs no longer need, kept for its next runs (TF's allocator keeps
freed buffers the same way): a training step takes its large results from the arrays the step
before freed, so after the first step it allocates nothing large.

A run gives the pool an array when nothing else holds it - its reference count says so: no
slot, view, fetched value, cache or other run refers to it - and it owns its memory: a value
whose slot the plan frees, and a variable's old value once the run has committed a new one
(so an optimizer's results alternate between two sets of arrays). Kernels take arrays with
:meth:`~scopeflow.session.context.RunContext.empty` where they would call ``np.empty``: matrix
products, the elementwise steps (session/fusion.py), the optimizers' updates and batch norm;
the convolution algorithms, which get no ``ctx``, take their outputs and im2col's patch
blocks through ``ops/kernels/workspace.py`` (the run's pool on its threads). Their other
scratch (padded copies, FFT and Winograd transforms, NumPy's temporaries) still allocates:
a ResNet step's new allocations peak at ~25 MB (31.6 MB before outputs came from the pool).

The pool keeps, per shape and dtype, at most as many arrays as one run has held at once of
those it took, so it never holds more than a run uses: arrays of shapes nothing takes are
dropped at once, and the pool stops growing after the first runs. Taking and giving are
single list operations, safe for runs on several threads (a race costs one array more or
less, never a shared one). Plans with ``tf.cond`` and the steps inside a ``tf.while_loop``
(session/loops.py) give nothing back: there kernels' takes allocate, as without the pool.

Measured on the shared 2-core VM with glibc, which keeps freed memory in the process
(``tuning.tune_process``): steps were no faster with the pool (an MLP step had 13 minor page
faults without it), so it buys the allocator work and the page faults of other platforms, not
speed here.
"""

from __future__ import annotations

import math
import sys

import numpy as np

MIN_BYTES = 1 << 16  # smaller arrays come from the allocator's own free lists
_NUMBERS = frozenset("biufc")
_OWN_REFS = 2  # references ``give`` itself holds: its argument and ``sys.getrefcount``'s


class Buffers:
    """A session's pool of free arrays, by (shape, dtype).

    A run counts, per key, the arrays it holds that it took (``counts``: ``[held, most
    held]``, one list per key; a give counts as a return). The pool keeps at most the most
    any run has held at once of a key: what the next run will take."""

    __slots__ = ("_free", "_limits")

    def __init__(self):
        self._free: dict[tuple, list] = {}
        self._limits: dict[tuple, int] = {}

    def take(self, shape: tuple, dtype: np.dtype, counts: dict) -> np.ndarray:
        """A writeable array of ``shape`` and ``dtype`` (contents undefined): a free one, or a
        new one."""
        if math.prod(shape) * dtype.itemsize < MIN_BYTES:
            return np.empty(shape, dtype)
        key = (shape, dtype)
        count = counts.get(key)
        if count is None:
            counts[key] = count = [0, 0]
        count[0] += 1
        if count[0] > count[1]:
            count[1] = count[0]
        free = self._free.get(key)
        if free:
            try:
                array = free.pop()
            except IndexError:  # another run took the last one
                return np.empty(shape, dtype)
            array.flags.writeable = True
            return array
        return np.empty(shape, dtype)

    def give(self, array: np.ndarray, counts: dict, refs: int) -> None:
        """Keeps ``array`` for a later take when nothing holds it but the ``refs`` references
        the caller knows of, it owns its memory and is large, and the pool has fewer arrays
        of its shape and dtype than runs take."""
        if (
            array.nbytes < MIN_BYTES
            or array.base is not None
            or sys.getrefcount(array) > refs + _OWN_REFS
            or array.dtype.kind not in _NUMBERS
            or not array.flags.c_contiguous
        ):
            return
        key = (array.shape, array.dtype)
        count = counts.get(key)
        limit = self._limits.get(key, 0)
        if count is not None:
            limit = max(limit, count[1])
            count[0] = max(count[0] - 1, 0)
        if limit:
            free = self._free.setdefault(key, [])
            if len(free) < limit:
                free.append(array)

    def settle(self, counts: dict) -> None:
        """Records what a finished run held at most, so that later runs keep as many."""
        limits = self._limits
        for key, (_, most) in counts.items():
            if most > limits.get(key, 0):
                limits[key] = most

    def clear(self) -> None:
        self._free = {}
        self._limits = {}
