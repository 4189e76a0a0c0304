"""Tracebacks that start at the user's line.

An error raised inside scopeflow reaches user code with scopeflow's own frames taken out of its
traceback (as JAX does with its internal frames): what is left is the user's code, including
any callback of theirs that scopeflow called, and the message. Standard-library frames that
only lead into scopeflow's (``contextlib`` between a ``with`` and a scope's checks) go too.

Public entry points are *boundaries*: functions decorated with :func:`api_boundary`, and
graph-building functions decorated with :func:`scopeflow.framework.undo.atomic`. The boundary
through which an error passes into user code filters it, in its ``except`` clause, so a call
that succeeds pays nothing. ``SCOPEFLOW_TRACEBACK=full`` in the environment, read when the
error passes, keeps every frame; so does ``tf.debugging.disable_traceback_filtering()``, for
the calling thread (TF's switch, on by default in each thread).
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Callable
from types import CodeType, FrameType, TracebackType
from typing import TypeVar

from scopeflow.framework.source import is_internal

F = TypeVar("F", bound=Callable)

ENV_VAR = "SCOPEFLOW_TRACEBACK"
NOTE = (
    "scopeflow removed its own frames from this traceback; set the environment variable "
    "SCOPEFLOW_TRACEBACK=full to see them."
)
# Before 3.11 a bare ``raise`` restores the traceback the ``except`` clause caught.
_CAN_FILTER = sys.version_info >= (3, 11)
_STDLIB = os.path.dirname(os.__file__) + os.sep
_SITE_PACKAGES = _STDLIB + "site-packages" + os.sep  # inside the stdlib folder outside a venv

_boundaries: set[CodeType] = set()  # the code of every boundary wrapper
_switch = threading.local()  # ``off``: tf.debugging.disable_traceback_filtering in this thread


def enable_traceback_filtering() -> None:
    """Errors reaching this thread's code lose scopeflow's frames again (the default)."""
    _switch.off = False


def disable_traceback_filtering() -> None:
    """Errors reaching this thread's code keep every frame (as ``SCOPEFLOW_TRACEBACK=full``
    does for all threads)."""
    _switch.off = True


def is_traceback_filtering_enabled() -> bool:
    """Whether errors reaching this thread's code lose scopeflow's frames.

    >>> import scopeflow as tf
    >>> tf.debugging.is_traceback_filtering_enabled()
    True
    """
    return not getattr(_switch, "off", False)


def register_boundary(wrapper: Callable) -> None:
    """Marks frames of ``wrapper`` as a boundary; its ``except`` clause calls
    :func:`leave_boundary` and then re-raises with a bare ``raise``."""
    _boundaries.add(wrapper.__code__)


def api_boundary(fn: F) -> F:
    """Decorates a public entry point: an error leaving it for user code loses scopeflow's
    frames."""

    @functools.wraps(fn)
    def boundary(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            leave_boundary(e)
            raise

    register_boundary(boundary)
    return boundary


def leave_boundary(e: BaseException) -> None:
    """Removes scopeflow's frames from the traceback of ``e``, caught by a boundary, when the
    boundary hands it to user code; a boundary that hands it to an enclosing boundary leaves
    the work to that one."""
    tb = e.__traceback__
    if (
        not _CAN_FILTER
        or not isinstance(e, Exception)
        or tb is None
        or os.environ.get(ENV_VAR, "").lower() == "full"
        or getattr(_switch, "off", False)
        or not _handed_to_user(tb.tb_frame.f_back)
    ):
        return
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    head = None
    dropped = False  # whether the frame that the current one called was dropped
    for tb in reversed(entries):
        filename = tb.tb_frame.f_code.co_filename
        dropped = is_internal(filename) or (dropped and _is_stdlib(filename))
        if not dropped:
            head = TracebackType(head, tb.tb_frame, tb.tb_lasti, tb.tb_lineno)
    e.__traceback__ = head
    notes = getattr(e, "__notes__", None)
    if notes is None:
        e.__notes__ = [NOTE]
    elif NOTE not in notes:
        notes.append(NOTE)


def _handed_to_user(frame: FrameType | None) -> bool:
    """Whether an error leaving a boundary for ``frame`` meets user code before another
    boundary (``False`` also when no user code is on the stack: then nothing is hidden)."""
    while frame is not None:
        code = frame.f_code
        if code in _boundaries:
            return False
        if not is_internal(code.co_filename) and not _is_stdlib(code.co_filename):
            return True
        frame = frame.f_back
    return False


def _is_stdlib(filename: str) -> bool:
    return filename.startswith(_STDLIB) and not filename.startswith(_SITE_PACKAGES)
