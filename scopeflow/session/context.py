"""What a kernel sees while a ``Session.run`` executes: the array namespace, the session's
variables (this run's writes undone if it fails), per-op random generators and the threads a
kernel may use.

Variable values are read-only arrays; a kernel writes a new array for a variable, which
becomes the session's value at once (as TF's in-place updates: a run in flight on another
thread reads it from then on, and an update it makes is never lost by this run committing
later), the value it replaced kept until the run ends and put back if the run fails, unless
another run has written the variable since. Kernels that read and write a variable hold its
update lock meanwhile (``session/update_locks.py``), so two runs never build on one value.

Sparse updates (``ScatterSub``, ``SparseApplyAdagrad``...) change a few rows of a possibly
huge table, so :meth:`RunContext.update_rows` changes them in place, in time proportional to
the rows, when nothing but the session holds the array (its reference count says so). The
array is then *changing* (``Session._changing``): every run may change it in place too, each
change logged with the rows it replaced, and a run reading it gets a copy of it as it is
(every change made so far, as TF's in-place kernels show them), never the array itself. A
run that fails writes its old rows back, except rows another run changed after it (those keep
both runs' changes, as in TF); once no run in flight has changed it, the array is no longer
changing. When something else holds the array (a fetched value, an earlier read in the same
run), the update copies it first.
"""

from __future__ import annotations

import sys

import numpy as np

from scopeflow.framework import errors
from scopeflow.session.loops import run_loop

_MISSING = object()


class RunContext:
    """Per-run state handed to every kernel as ``ctx``."""

    __slots__ = (
        "xp",
        "threads",
        "side_by_side",
        "_committed",
        "_staged",
        "_session",
        "memo",
        "_undo",
        "_replaced",
        "_buffers",
        "_taken",
        "_at_end",
        "deadline",
    )

    def __init__(self, session):
        self.xp = np
        # The session's decision (``ConfigProto.intra_op_parallelism_threads``): a kernel
        # splits work with ``ctx.threads.split_ufunc``, ``run_spans``, ``batch_spans``.
        self.threads = session._threads
        # Whether independent heavy ops may run two at a time (session/side_by_side.py).
        self.side_by_side = session._side_by_side
        # Kept for this run only: results one kernel computes for another (e.g. a conv's
        # input spectrum for its filter gradient), keyed by the arrays they came from.
        self.memo: dict = {}
        self._session = session
        self._committed = session._values
        self._staged: dict = {}
        # the variables whose changing arrays this run changed in place (their _Changes)
        self._undo: set = set()
        # {var_op: [the session's value before this run's first write_variable (or _MISSING),
        #           the session's count of the variable's writes then, this run's writes]}
        self._replaced: dict = {}
        self._buffers = session._buffers  # freed arrays kept for later runs (buffers.py)
        self._taken: dict = {}  # {(shape, dtype): [arrays held, most held]} (buffers.py)
        self._at_end: list = []  # called once the run has committed or been abandoned
        # time.monotonic() when blocking ops give up (RunOptions.timeout_in_ms), or None
        self.deadline: float | None = None

    def empty(self, shape: tuple, dtype) -> np.ndarray:
        """A writeable array for a kernel's result (contents undefined), from the arrays
        earlier steps and runs freed where one fits (session/buffers.py), as ``np.empty``."""
        return self._buffers.take(tuple(shape), np.dtype(dtype), self._taken)

    def recycle(self, array: np.ndarray) -> None:
        """Offers a large array whose slot the plan just freed to later steps and runs: kept
        only when nothing but the caller's name holds it (its reference count)."""
        self._buffers.give(array, self._taken, 2)  # the caller's name and ``array``

    def give_scratch(self, array: np.ndarray) -> None:
        """Takes back a kernel's scratch array (``ops/kernels/workspace.py``'s ``release``)
        when nothing but the kernel's name holds it."""
        self._buffers.give(array, self._taken, 3)  # the kernel's name, release's and ours

    def read_variable(self, var_op, reader=None):
        """The current value of the variable whose ``VariableV2`` op is ``var_op``."""
        value = self._committed.get(var_op, _MISSING)
        if value is _MISSING:
            raise uninitialized_error(var_op, reader)
        if var_op in self._session._changing:  # checked after the read: see update_rows
            value = committed_value(self._session, var_op, value)
        return value

    def variable_shape(self, var_op, reader=None) -> tuple[int, ...]:
        value = self._committed.get(var_op, _MISSING)
        if value is _MISSING:
            raise uninitialized_error(var_op, reader)
        return value.shape

    def variable_rows(self, var_op, rows: np.ndarray, reader=None) -> np.ndarray:
        """A copy of the variable's rows ``rows`` (indices into its first dimension)."""
        with self._session._lock:  # no half-changed row (changes are made holding it)
            value = self._committed.get(var_op, _MISSING)
            if value is _MISSING:
                raise uninitialized_error(var_op, reader)
            return value[rows]

    def update_rows(self, var_op, rows: np.ndarray, new_rows, reader=None) -> np.ndarray:
        """Sets the variable's rows ``rows`` (distinct indices into its first dimension) to
        ``new_rows``; returns its new value (read-only). Changes the array in place when only
        the session holds it or it is changing already, else a copy (see the module's
        docstring)."""
        session = self._session
        with session._lock:
            array = self._committed.get(var_op, _MISSING)
            if array is _MISSING:
                raise uninitialized_error(var_op, reader)
            changes = session._changing.get(var_op)
            if changes is None and array.base is None:
                # Claimed before counting: a run reading the array after the count sees the
                # claim and copies (committed_value), one reading it before is counted. The
                # references: the session's dict, ``array``, the count's argument, the claim
                # and this run's last write.
                changes = session._changing[var_op] = _Changes(array)
                if sys.getrefcount(array) != 4 + (self._staged.get(var_op) is array):
                    del session._changing[var_op]
                    changes = None
            if changes is not None and changes.array is array:
                changes.log.append((self, rows, array[rows]))
                self._undo.add(var_op)
                _set_rows(array, rows, new_rows)
                return array
            new = array.copy()
            new[rows] = new_rows
            self.write_variable(var_op, new)
            return new

    def run_loop(self, loop, inputs: tuple):
        """Runs a ``tf.while_loop`` inside this run (``plan.LoopStep``)."""
        return run_loop(loop, self, inputs)

    def write_variable(self, var_op, value) -> None:
        """Makes ``value`` the variable's value, for this run and the session's others; the
        value it replaced comes back if this run fails (see the module's docstring)."""
        value.flags.writeable = False
        self._staged[var_op] = value
        committed = self._committed
        session = self._session
        with session._lock:
            count = session._writes[var_op] = session._writes.get(var_op, 0) + 1
            replaced = self._replaced.get(var_op)
            if replaced is None:
                self._replaced[var_op] = [committed.get(var_op, _MISSING), count, 1]
            else:
                replaced[2] += 1
            committed[var_op] = value

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

    def at_run_end(self, callback) -> None:
        """Calls ``callback()`` once this run has committed or been abandoned (a
        ``CriticalSection``'s lock is released then, after the writes it guarded settle)."""
        self._at_end.append(callback)

    def _end(self) -> None:
        if self._at_end:
            callbacks, self._at_end = self._at_end, []
            for callback in callbacks:
                callback()

    def commit(self) -> None:
        """Ends a run that succeeded: its writes (already the session's values) stay."""
        if not self._staged and not self._undo:
            self._buffers.settle(self._taken)
            self._end()
            return
        session = self._session
        with session._lock:
            if session._closed:  # closed while this run went on: as TF's
                raise errors.CancelledError(
                    None, None, "Run call was cancelled: the session was closed."
                )
            old = [r[0] for r in self._replaced.values() if r[0] is not _MISSING]
            self._replaced = {}
            self._release(committed=True)
        self._settle(old)
        self._end()

    def _settle(self, old: list) -> None:
        """Offers the variables' replaced values to later runs (an optimizer's results then
        alternate between two sets of arrays) and records what this run took."""
        buffers = self._buffers
        while old:
            array = old.pop()
            if type(array) is np.ndarray:
                buffers.give(array, self._taken, 1)  # ``array``
        buffers.settle(self._taken)

    def abandon(self) -> None:
        """Puts back the values this run replaced, unless another run has written them since,
        and the rows it changed in place in committed arrays (it failed)."""
        try:
            self._put_back()
        finally:
            self._end()

    def _put_back(self) -> None:
        self._buffers.settle(self._taken)
        if not self._undo and not self._replaced:
            return
        session = self._session
        with session._lock:
            committed = self._committed
            for var_op, (old, first, writes) in self._replaced.items():
                # put back unless another run wrote it since this run's first write (its
                # updates, built on this run's values, would be lost: both are kept, as TF)
                changes = session._changing.get(var_op)
                if session._writes[var_op] - first == writes - 1 and (
                    changes is None or changes.only(self)
                ):
                    if old is _MISSING:
                        del committed[var_op]
                    else:
                        committed[var_op] = old
            self._replaced = {}
            for var_op in self._undo:
                session._changing[var_op].write_back(self)
            self._release()

    def _release(self, committed: bool = False) -> None:
        """Forgets this run's changes: a committed run's rows stay in the logs (an earlier
        run failing must not write them over) while a run in flight has changes there."""
        changing = self._session._changing
        for var_op in self._undo:
            changes = changing[var_op]
            if committed:
                log = [(None, e[1], None) if e[0] is self else e for e in changes.log]
            else:
                log = [e for e in changes.log if e[0] is not self]
            if all(e[0] is None for e in log):
                del changing[var_op]
            else:
                changes.log = log
        self._undo = set()


class _Changes:
    """A committed array runs in flight change in place, and each change: ``(run, rows,
    the rows before)``, in the order made."""

    __slots__ = ("array", "log")

    def __init__(self, array: np.ndarray):
        self.array = array
        self.log: list = []

    def only(self, run) -> bool:
        return all(entry[0] is run for entry in self.log)

    def write_back(self, run) -> None:
        """Puts back the rows ``run`` changed (it failed), latest first, but not the rows
        another run changed after it."""
        later = None  # the rows other runs changed after the entry being undone
        for owner, rows, old in reversed(self.log):
            if owner is not run:
                later = rows if later is None else np.union1d(later, rows)
            elif later is None:
                _set_rows(self.array, rows, old)
            else:
                keep = ~np.isin(rows, later)
                _set_rows(self.array, rows[keep], old[keep])


def _set_rows(array: np.ndarray, rows, new_rows) -> None:
    array.flags.writeable = True
    try:
        array[rows] = new_rows
    finally:
        array.flags.writeable = False


def committed_value(session, var_op, value: np.ndarray) -> np.ndarray:
    """``value``, the session's array for ``var_op``, as others may hold it: a copy of it as
    it is now when runs in flight are changing it in place."""
    with session._lock:
        changes = session._changing.get(var_op)
        if changes is None or changes.array is not value:
            return value
        snapshot = value.copy()
    snapshot.flags.writeable = False
    return snapshot


def uninitialized_error(var_op, reader=None) -> errors.FailedPreconditionError:
    name = var_op.name
    node = f" (needed by '{reader.name}')" if reader is not None and reader is not var_op else ""
    if var_op.type == "VarHandleOp":  # a resource variable: TF 2.21's words
        lead = (
            f"Could not find variable {name}. This could mean that the variable has been "
            f"deleted. In TF1, it can also mean the variable is uninitialized.{node}"
        )
    else:
        lead = f"Attempting to use uninitialized value {name}{node}."
    return errors.FailedPreconditionError(
        None,
        var_op,
        f"{lead} The variable was created at {var_op.location}. Run its initializer first, "
        "e.g. sess.run(tf.global_variables_initializer()).",
    )
