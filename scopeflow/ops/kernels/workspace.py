"""Kernels' large results and scratch arrays, taken from the arrays a session's earlier steps
and runs freed (``session/buffers.py``) instead of from the allocator.

A kernel that gets no ``ctx`` down to where it allocates (the convolution algorithms of this
package take ``threads`` only) calls :func:`empty` where it would call ``np.empty``, and
:func:`release` on a scratch array it is done with. Inside a ``Session.run`` these go to the
run's pool, on the run's thread and on the pool threads working for it (``parallel``'s lanes
enter :func:`callers_pool`); anywhere else (constant folding, the JAX executor's host ops, a
direct call) they are ``np.empty`` and nothing. A released array goes back only when nothing
but the kernel's name holds it: a view, a cache or a memo keeps it out.
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np

_state = threading.local()
_NOTHING = contextlib.nullcontext()


def empty(shape: tuple, dtype) -> np.ndarray:
    """A writeable array of ``shape`` and ``dtype`` (contents undefined), as ``np.empty``.

    >>> empty((2, 3), np.float32).shape
    (2, 3)
    """
    pool = getattr(_state, "pool", None)
    if pool is None:
        return np.empty(shape, dtype)
    return pool.empty(shape, dtype)


def release(array: np.ndarray) -> None:
    """Hands a scratch array back to the run's pool when nothing but the caller holds it."""
    pool = getattr(_state, "pool", None)
    if pool is not None:
        pool.give_scratch(array)


class using:
    """Within it, :func:`empty` and :func:`release` on this thread use ``pool`` (a run's
    context: ``empty(shape, dtype)`` and ``give_scratch(array)``)."""

    __slots__ = ("_pool", "_prior")

    def __init__(self, pool):
        self._pool = pool

    def __enter__(self) -> None:
        self._prior = getattr(_state, "pool", None)
        _state.pool = self._pool

    def __exit__(self, *exc) -> None:
        _state.pool = self._prior


def callers_pool():
    """A factory of contexts under which another thread uses the calling thread's pool."""
    pool = getattr(_state, "pool", None)
    if pool is None:
        return lambda: _NOTHING
    return lambda: using(pool)
