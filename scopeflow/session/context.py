"""What a kernel sees while a ``Session.run`` executes: the array namespace, the session's
variables (with this run's writes staged until it succeeds), per-op random generators and
the threads a kernel may use."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import errors
from scopeflow.session.loops import run_loop

_MISSING = object()


class RunContext:
    """Per-run state handed to every kernel as ``ctx``."""

    __slots__ = ("xp", "threads", "_committed", "_staged", "_session", "memo")

    def __init__(self, session):
        self.xp = np
        # The session's decision (``ConfigProto.intra_op_parallelism_threads``): a kernel
        # splits work with ``ctx.threads.split_ufunc``, ``run_spans``, ``batch_spans``.
        self.threads = session._threads
        # Kept for this run only: results one kernel computes for another (e.g. a conv's
        # input spectrum for its filter gradient), keyed by the arrays they came from.
        self.memo: dict = {}
        self._session = session
        self._committed = session._values
        self._staged: dict = {}

    def read_variable(self, var_op, reader=None):
        """The current value of the variable whose ``VariableV2`` op is ``var_op``."""
        value = self._staged.get(var_op, _MISSING)
        if value is _MISSING:
            value = self._committed.get(var_op, _MISSING)
            if value is _MISSING:
                raise uninitialized_error(var_op, reader)
        return value

    def run_loop(self, loop, inputs: tuple):
        """Runs a ``tf.while_loop`` inside this run (``plan.LoopStep``)."""
        return run_loop(loop, self, inputs)

    def write_variable(self, var_op, value) -> None:
        """Stages a new value; the session commits it only if the whole run succeeds."""
        value.flags.writeable = False
        self._staged[var_op] = value

    def is_initialized(self, var_op) -> bool:
        return var_op in self._staged or var_op in self._committed

    def op_state(self, op, factory):
        """A mutable object kept per op for the session's lifetime (e.g. a print counter)."""
        return self._session._op_state(op, factory)

    def rng(self, op) -> np.random.Generator:
        """The random generator of a random op in this session (seeded from its attrs)."""
        return self._session._rng_for(op)

    @property
    def staged(self) -> dict:
        return self._staged


def uninitialized_error(var_op, reader=None) -> errors.FailedPreconditionError:
    name = var_op.name
    node = f" (needed by '{reader.name}')" if reader is not None and reader is not var_op else ""
    return errors.FailedPreconditionError(
        None,
        var_op,
        f"Attempting to use uninitialized value {name}{node}. The variable was created at "
        f"{var_op.location}. Run its initializer first, e.g. "
        "sess.run(tf.global_variables_initializer()).",
    )
