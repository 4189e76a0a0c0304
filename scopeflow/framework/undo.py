"""All-or-nothing graph building.

A public op or variable constructor runs inside :func:`atomic`. Every change it makes to a graph
(a reserved name, an added op, a collection entry, a stored variable) registers how to undo
itself with :func:`record`; if the constructor raises, the changes are undone newest first, so
the graph looks as if the call never happened and the next call gets the same names. The
outermost atomic call is also a traceback boundary (:mod:`.traceback_filter`): the error it
hands to user code keeps only the user's frames.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

from scopeflow.framework.traceback_filter import leave_boundary, register_boundary

_local = threading.local()
F = TypeVar("F", bound=Callable)
T = TypeVar("T")


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
        except BaseException as e:
            _local.log = None
            for undo in reversed(log):
                undo()
            leave_boundary(e)
            raise
        finally:
            _local.log = None

    register_boundary(wrapper)
    return wrapper


def discarded(fn: Callable[[], T]) -> T:
    """``fn()``, with every graph change it made undone afterwards (newest first): a dry run
    whose result's dtypes and structure stay readable, though its ops are gone."""
    outer = getattr(_local, "log", None)
    log: list[Callable[[], None]] = []
    _local.log = log
    try:
        return fn()
    finally:
        _local.log = None
        for undo in reversed(log):
            undo()
        _local.log = outer
