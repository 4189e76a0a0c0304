"""``tf.train.SessionRunHook`` and what a hook sees: ``SessionRunArgs`` (what it asks to add
to a ``run``), ``SessionRunContext`` (the call in progress) and ``SessionRunValues`` (what it
asked for, computed).

A monitored session calls its hooks in TF1's order: ``begin()`` of each hook when it is
made, ``after_create_session(session, coord)`` once a session exists (and again after a
recovery), ``before_run(run_context)`` and ``after_run(run_context, run_values)`` around each
``run``, ``end(session)`` when it closes without an error.
"""

from __future__ import annotations

import collections


class SessionRunHook:
    """Base class of the hooks a ``MonitoredSession`` calls; every method does nothing.

    >>> import scopeflow as tf
    >>> class CountRuns(tf.train.SessionRunHook):
    ...     def begin(self):
    ...         self.runs = 0
    ...     def after_run(self, run_context, run_values):
    ...         self.runs += 1
    >>> hook = CountRuns()
    >>> hook.begin()
    >>> hook.after_run(None, tf.train.SessionRunValues(results=None, options=None,
    ...                                                run_metadata=None))
    >>> hook.runs
    1
    """

    def begin(self) -> None:
        """Called once before the session is made; the graph may still be changed here."""

    def after_create_session(self, session, coord) -> None:
        """Called when the session (``tf.Session``, not the monitored one) is ready to use,
        with the session's ``tf.train.Coordinator``; the graph is finalized by then."""

    def before_run(self, run_context: SessionRunContext):
        """Called before each ``run``: return ``SessionRunArgs`` to add fetches, feeds or
        options to it, or ``None``."""
        return None

    def after_run(self, run_context: SessionRunContext, run_values: SessionRunValues) -> None:
        """Called after each ``run`` that succeeded, with what ``before_run`` asked for."""

    def end(self, session) -> None:
        """Called when the monitored session closes without an error."""


class SessionRunArgs(collections.namedtuple("SessionRunArgs", ["fetches", "feed_dict", "options"])):
    """What a hook's ``before_run`` adds to a ``run``: ``fetches`` (any structure
    ``Session.run`` takes), a ``feed_dict``, ``RunOptions``."""

    __slots__ = ()

    def __new__(cls, fetches, feed_dict=None, options=None):
        return super().__new__(cls, fetches, feed_dict, options)


class SessionRunContext:
    """The ``run`` call in progress: the caller's ``original_args``, the raw ``session`` (run
    it to read more without calling the hooks again), and ``request_stop()``."""

    def __init__(self, original_args: SessionRunArgs, session):
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    @property
    def original_args(self) -> SessionRunArgs:
        """The fetches and feeds the caller passed to ``run``."""
        return self._original_args

    @property
    def session(self):
        """The session being run (a ``tf.Session`` or a wrapper of one)."""
        return self._session

    @property
    def stop_requested(self) -> bool:
        return self._stop_requested

    def request_stop(self) -> None:
        """Makes the monitored session's ``should_stop()`` true after this ``run``."""
        self._stop_requested = True


class SessionRunValues(
    collections.namedtuple("SessionRunValues", ["results", "options", "run_metadata"])
):
    """What ``after_run`` receives: ``results`` (the values of the hook's fetches, in their
    structure; ``None`` when it asked for none), the run's ``options`` and
    ``run_metadata``."""

    __slots__ = ()
