"""All-or-nothing graph building.

A public op or variable constructor runs inside :func:`atomic`. Every change it makes to a graph
(a reserved name, an added op, a collection entry, a stored variable) registers how to undo
itself with :func:`record`; if the constructor raises, the changes are undone newest first, so
the graph looks as if the call never happened and the next call gets the same names.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

_local = threading.local()
F = TypeVar("F", bound=Callable)


def record(undo: Callable[[], None]) -> None:
    """Registers ``undo`` with the innermost running atomic call, if any."""
    log = getattr(_local, "log", None)
    if log is not None:
        log.append(undo)


def atomic(fn: F) -> F:
    """Decorates a graph-building function so that a failure leaves no trace in the graph."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if getattr(_local, "log", None) is not None:
            return fn(*args, **kwargs)
        log: list[Callable[[], None]] = []
        _local.log = log
        try:
            return fn(*args, **kwargs)
        except BaseException:
            _local.log = None
            for undo in reversed(log):
                undo()
            raise
        finally:
            _local.log = None

    return wrapper
