"""``tf.config.threading``: the thread counts a ``tf.Session`` made without a ``config`` uses
(``intra_op_parallelism_threads``, ``inter_op_parallelism_threads``), as TF 2's sessions take
them from the process's context. 0 (the default) lets the session choose.

>>> import scopeflow as tf
>>> tf.config.threading.get_intra_op_parallelism_threads()
0
"""

from __future__ import annotations

import threading

from scopeflow.session.config import ConfigProto

_LOCK = threading.Lock()
_COUNTS = {"intra_op_parallelism_threads": 0, "inter_op_parallelism_threads": 0}


def _set(field: str, num_threads) -> None:
    with _LOCK:
        _COUNTS[field] = int(num_threads)


def get_intra_op_parallelism_threads() -> int:
    """The threads one op may use in new sessions (0: the session's choice)."""
    return _COUNTS["intra_op_parallelism_threads"]


def set_intra_op_parallelism_threads(num_threads) -> None:
    """Sets the threads one op may use in sessions made from now on without a ``config``."""
    _set("intra_op_parallelism_threads", num_threads)


def get_inter_op_parallelism_threads() -> int:
    """How many ops may run at once in new sessions (0: the session's choice)."""
    return _COUNTS["inter_op_parallelism_threads"]


def set_inter_op_parallelism_threads(num_threads) -> None:
    """Sets how many ops may run at once in sessions made from now on without a ``config``
    (negative: one at a time on the calling thread, as TF1)."""
    _set("inter_op_parallelism_threads", num_threads)


def default_config() -> ConfigProto:
    """The ``ConfigProto`` of a session made without one."""
    with _LOCK:
        return ConfigProto(**_COUNTS)
