"""``tf.logging``: TF1's logging functions on Python's ``logging``, through the logger named
``"tensorflow"`` (as TF1: ``INFO:tensorflow:message`` on stderr when nothing else configured
logging; records name the caller's file and line, not this module's)."""

from __future__ import annotations

import os
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging

# Python's logging levels; ``logging`` is imported on first use (``import scopeflow`` stays light).
DEBUG, INFO, WARN, ERROR, FATAL = 10, 20, 30, 40, 50
_THIS_FILE = os.path.normcase(__file__)
_CONFIGURE_LOCK = threading.Lock()
_log_counts: dict[tuple[str, int], int] = {}  # per call site, for log_every_n / log_first_n
_COUNTS_LOCK = threading.Lock()


def _caller():
    """The frame of the first caller outside this module and Python's ``logging``."""
    import logging

    frame = sys._getframe(1)
    while frame is not None and os.path.normcase(frame.f_code.co_filename) in (
        _THIS_FILE,
        os.path.normcase(logging.__file__),
    ):
        frame = frame.f_back
    return frame


def _find_caller(stack_info=False, stacklevel=1):
    import traceback

    frame = _caller()
    sinfo = "".join(traceback.format_stack()) if stack_info else None
    if frame is None:
        return "(unknown file)", 0, "(unknown function)", sinfo
    return frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name, sinfo


def get_logger() -> logging.Logger:
    """The ``"tensorflow"`` logger, given a stderr handler (stdout, at INFO, in an interactive
    shell) on first use unless the root logger already has handlers, as TF1.

    >>> import scopeflow as tf
    >>> tf.get_logger().name
    'tensorflow'
    """
    import logging

    logger = logging.getLogger("tensorflow")
    if logger.__dict__.get("findCaller") is _find_caller:
        return logger
    with _CONFIGURE_LOCK:
        if logger.__dict__.get("findCaller") is not _find_caller:
            if not logging.getLogger().handlers:
                interactive = hasattr(sys, "ps1") or bool(sys.flags.interactive)
                if interactive:
                    logger.setLevel(INFO)
                handler = logging.StreamHandler(sys.stdout if interactive else sys.stderr)
                handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT, None))
                logger.addHandler(handler)
            logger.findCaller = _find_caller
    return logger


def log(level: int, msg, *args, **kwargs) -> None:
    """Logs ``msg % args`` at ``level``."""
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs) -> None:
    get_logger().debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs) -> None:
    """Logs at INFO (not shown at the default verbosity, WARN).

    >>> import scopeflow as tf
    >>> tf.logging.info("step %d", 10)
    """
    get_logger().info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs) -> None:
    get_logger().warning(msg, *args, **kwargs)


warn = warning


def error(msg, *args, **kwargs) -> None:
    get_logger().error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs) -> None:
    """Logs at FATAL (Python's CRITICAL); like TF1 it does not exit."""
    get_logger().fatal(msg, *args, **kwargs)


def vlog(level: int, msg, *args, **kwargs) -> None:
    """``log(level, ...)``: TF1's verbose logging is plain logging at that level."""
    get_logger().log(level, msg, *args, **kwargs)


def log_if(level: int, msg, condition, *args) -> None:
    """Logs ``msg % args`` at ``level`` when ``condition`` holds."""
    if condition:
        vlog(level, msg, *args)


def _next_count() -> int:
    """How often the calling line has counted before (0 the first time)."""
    frame = _caller()
    site = (frame.f_code.co_filename, frame.f_lineno) if frame else ("<unknown>", 0)
    with _COUNTS_LOCK:
        count = _log_counts[site] = _log_counts.get(site, -1) + 1
    return count


def log_every_n(level: int, msg, n: int, *args) -> None:
    """Logs the 1st, (n+1)th, (2n+1)th... call from this line (TF1 documents this, but its
    counter is keyed on the frame that called the caller's file, so all the calls of one
    file share one count)."""
    log_if(level, msg, not _next_count() % n, *args)


def log_first_n(level: int, msg, n: int, *args) -> None:
    """Logs the first ``n`` calls from this line."""
    log_if(level, msg, _next_count() < n, *args)


def TaskLevelStatusMessage(msg) -> None:  # noqa: N802 - TF1's name
    """Logs ``msg`` at ERROR, as TF1."""
    error(msg)


def flush() -> None:
    """Flushes the ``"tensorflow"`` logger's handlers."""
    for handler in get_logger().handlers:
        handler.flush()


def get_verbosity() -> int:
    """The effective level of the ``"tensorflow"`` logger (WARN, 30, by default)."""
    return get_logger().getEffectiveLevel()


def set_verbosity(v) -> None:
    """Shows messages at level ``v`` and above (``tf.logging.INFO``, 20, or ``"INFO"``).

    >>> import scopeflow as tf
    >>> old = tf.logging.get_verbosity()
    >>> tf.logging.set_verbosity(tf.logging.DEBUG)
    >>> tf.logging.get_verbosity()
    10
    >>> tf.logging.set_verbosity(old)
    """
    get_logger().setLevel(v)


__all__ = [
    "DEBUG",
    "ERROR",
    "FATAL",
    "INFO",
    "WARN",
    "TaskLevelStatusMessage",
    "debug",
    "error",
    "fatal",
    "flush",
    "get_verbosity",
    "info",
    "log",
    "log_every_n",
    "log_first_n",
    "log_if",
    "set_verbosity",
    "vlog",
    "warn",
    "warning",
]
