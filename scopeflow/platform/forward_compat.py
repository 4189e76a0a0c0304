"""``tf.compat.forward_compatible`` and ``tf.compat.forward_compatibility_horizon``: the
forward-compatibility date of TensorFlow 2.21 (the version whose graphs scopeflow writes),
moved by ``TF_FORWARD_COMPATIBILITY_DELTA_DAYS`` days as TF's. scopeflow builds the same
graphs whatever the date; code that gates its own graphs on it sees TF 2.21's answers.

>>> import scopeflow as tf
>>> tf.compat.forward_compatible(2026, 1, 15), tf.compat.forward_compatible(2026, 1, 16)
(True, False)
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import threading

HORIZON = datetime.date(2026, 1, 16)  # TF 2.21's
_DELTA_DAYS = "TF_FORWARD_COMPATIBILITY_DELTA_DAYS"
_log = logging.getLogger("tensorflow")
_lock = threading.Lock()
_state = {"number": 0}


def _number(year, month, day) -> int:
    """TF's date number: the fields' bits side by side (no calendar check, as TF)."""
    return (year << 9) | (month << 5) | day


def _set(date=None) -> None:
    if date is None:
        date = HORIZON
        delta = os.getenv(_DELTA_DAYS)
        if delta:
            date += datetime.timedelta(days=int(delta))
    if date < HORIZON:
        _log.warning(
            "Trying to set the forward compatibility date to the past date %s. This will be "
            "ignored by TensorFlow.",
            date,
        )
        return
    _state["number"] = _number(date.year, date.month, date.day)


_set()


def forward_compatible(year, month, day):
    """Whether graphs may use what consumers built after ``year-month-day`` understand: the
    forward-compatibility date is later than that day."""
    return _state["number"] > _number(year, month, day)


@contextlib.contextmanager
def forward_compatibility_horizon(year, month, day):
    """Within the block, the forward-compatibility date is ``year-month-day`` (a date before
    TF 2.21's horizon is ignored with TF's warning); afterwards it is the default again."""
    with _lock:
        _set(datetime.date(year, month, day))
    try:
        yield
    finally:
        with _lock:
            _set()
