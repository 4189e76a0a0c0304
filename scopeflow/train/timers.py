"""``tf.train.SecondOrStepTimer``, which the stock hooks fire by, and what the hooks share:
the global step's read tensor and the cached ``FileWriter`` of a directory."""

from __future__ import annotations

import logging
import time

from scopeflow.summary.writer import FileWriterCache
from scopeflow.train import training_util

_log = logging.getLogger("tensorflow")


class SecondOrStepTimer:
    """Fires every ``every_secs`` seconds or every ``every_steps`` steps (exactly one of the
    two), and on the first step it is asked about.

    >>> import scopeflow as tf
    >>> timer = tf.train.SecondOrStepTimer(every_steps=10)
    >>> timer.should_trigger_for_step(0), timer.update_last_triggered_step(0)
    (True, (None, None))
    >>> timer.should_trigger_for_step(9), timer.should_trigger_for_step(10)
    (False, True)
    """

    def __init__(self, every_secs=None, every_steps=None):
        self.reset()
        self._every_secs = every_secs
        self._every_steps = every_steps
        if every_secs is None and every_steps is None:
            raise ValueError("Either every_secs or every_steps should be provided.")
        if every_secs is not None and every_steps is not None:
            raise ValueError("Can not provide both every_secs and every_steps.")

    def reset(self) -> None:
        self._last_triggered_step = None
        self._last_triggered_time = None

    def should_trigger_for_step(self, step) -> bool:
        """Whether ``step`` is due: the first step asked about, or ``every_steps`` (or
        ``every_secs``) after the last one fired; never the same step twice."""
        if self._last_triggered_step is None:
            return True
        if self._last_triggered_step == step:
            return False
        if self._every_secs is not None and time.time() >= (
            self._last_triggered_time + self._every_secs
        ):
            return True
        return self._every_steps is not None and step >= (
            self._last_triggered_step + self._every_steps
        )

    def update_last_triggered_step(self, step):
        """Records that ``step`` fired; returns ``(seconds, steps)`` since the last firing
        (``(None, None)`` the first time)."""
        now = time.time()
        if self._last_triggered_time is None:
            elapsed = (None, None)
        else:
            elapsed = (now - self._last_triggered_time, step - self._last_triggered_step)
        self._last_triggered_time = now
        self._last_triggered_step = step
        return elapsed

    def last_triggered_step(self):
        return self._last_triggered_step


class NeverTriggerTimer:
    """A timer that never fires (``LoggingTensorHook(at_end=True)`` alone, as TF1)."""

    def reset(self) -> None:
        pass

    def should_trigger_for_step(self, step) -> bool:
        return False

    def update_last_triggered_step(self, step):
        return None, None

    def last_triggered_step(self):
        return None


def global_step_read(hook_name: str):
    """The global step's read tensor the hooks fetch; RuntimeError without a global step."""
    read = training_util._get_or_create_global_step_read()
    if read is None:
        raise RuntimeError(f"Global step should be created to use {hook_name}.")
    return read


def summary_writer(logdir):
    """``FileWriterCache.get(logdir)``, the writer TF1's hooks share; ``None``, after a warning
    naming the extra to install, when the ``tensorboard`` package that events files need is
    missing (the training goes on without them)."""
    try:
        return FileWriterCache.get(logdir)
    except ImportError as e:
        _log.warning("No events file is written to %s: %s", logdir, e)
        return None
