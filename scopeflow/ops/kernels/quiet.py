"""NumPy's floating-point warnings in kernels, silenced once per run instead of once per call.

TF computes ``log(-1.0)``, ``1.0 / 0.0`` and overflowing casts without a word, so kernels
silence NumPy's warnings. ``Session.run`` does that once for the whole run; a kernel's own
``np.errstate`` (about 3-5 us a call here: NumPy keeps the state in a context variable,
more than many small kernels' arithmetic) is needed only where a kernel runs outside a run:
constant folding, the JAX executor's host ops, a test calling it directly. ``with quiet():``
is ``np.errstate(...)`` there and nothing on a thread inside a run (:class:`silenced`).
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np

_state = threading.local()
_NOTHING = contextlib.nullcontext()


def quiet(**how):
    """``np.errstate(**how)`` (``all="ignore"`` when ``how`` is empty), or nothing on a thread
    whose warnings a run already silences.

    >>> import numpy as np
    >>> with quiet():
    ...     float(np.float32(1.0) / np.float32(0.0))
    inf
    """
    if getattr(_state, "inside", False):
        return _NOTHING
    return np.errstate(**(how or {"all": "ignore"}))


def inside_run() -> bool:
    """Whether this thread runs kernels for a run that silences floating-point warnings."""
    return getattr(_state, "inside", False)


class silenced:
    """``np.errstate(all="ignore")`` that also marks this thread, so that :func:`quiet` costs
    nothing within it: entered by ``Session.run`` and by the pool threads working for it."""

    __slots__ = ("_errstate", "_prior")

    def __enter__(self) -> None:
        self._errstate = np.errstate(all="ignore")
        self._errstate.__enter__()
        self._prior = getattr(_state, "inside", False)
        _state.inside = True

    def __exit__(self, *exc) -> None:
        _state.inside = self._prior
        self._errstate.__exit__(*exc)
