"""What a kernel sees while a ``Session.run`` executes: the array namespace, the session's
variables (this run's writes undone if it fails), per-op random generators and the threads a
kernel may use.

Variable values are read-only arrays; a kernel writes a new array for a variable, which
becomes the session's value at once (as TF's in-place updates: a run in flight on another
thread reads it from then on, and an update it makes is never lost by this run committing
later), the value it replaced kept until the run ends and put back if the run fails, unless
another run has written the variable since. Sparse updates
(``ScatterSub``, ``SparseApplyAdagrad``...) change a few rows of a possibly huge table, so
:meth:`RunContext.update_rows` changes them in place, in time proportional to the rows, when
nothing but the session holds the array (its reference count says so): the old rows are kept,
and written back if the run fails, so a run stays all-or-nothing. While a run has changed a
committed array in place, other runs reading it get the committed value (a copy with the old
rows back), and are never handed the array being changed. When something else holds the array
(a fetched value, an earlier read in the same run), the update copies it first.
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
        # {var_op: (committed array this run changed in place, [(rows, old rows), ...])}
        self._undo: dict = {}
        # {var_op: the session's value before this run's first write_variable (or _MISSING)}
        self._replaced: dict = {}
        self._buffers = session._buffers  # freed arrays kept for later runs (buffers.py)
        self._taken: dict = {}  # {(shape, dtype): [arrays held, most held]} (buffers.py)
        self._at_end: list = []  # called once the run has committed or been abandoned

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
        value = self._staged.get(var_op, _MISSING)
        if value is _MISSING:
            value = self._committed.get(var_op, _MISSING)
            if value is _MISSING:
                raise uninitialized_error(var_op, reader)
            if var_op in self._session._changing:  # checked after the read: see update_rows
                value = committed_value(self._session, var_op, value)
        return value

    def variable_shape(self, var_op, reader=None) -> tuple[int, ...]:
        return self.read_variable(var_op, reader).shape

    def variable_rows(self, var_op, rows: np.ndarray, reader=None) -> np.ndarray:
        """A copy of the variable's rows ``rows`` (indices into its first dimension)."""
        return self.read_variable(var_op, reader)[rows]

    def update_rows(self, var_op, rows: np.ndarray, new_rows, reader=None) -> np.ndarray:
        """Sets the variable's rows ``rows`` (distinct indices into its first dimension) to
        ``new_rows``; returns its new value (read-only). Changes the array in place when only
        the session (or only this run) holds it, else a copy (see the module's docstring)."""
        staged = self._staged
        if var_op in staged:
            if staged[var_op] is not self._committed.get(var_op) and _held_once(staged, var_op):
                array = staged[var_op]  # made by this run: no undo needed
                _set_rows(array, rows, new_rows)
                return array
        elif var_op in self._committed:
            array = self._change_committed(var_op, rows, new_rows)
            if array is not None:
                return array
        new = np.array(self.read_variable(var_op, reader))
        new[rows] = new_rows
        self.write_variable(var_op, new)
        return new

    def _change_committed(self, var_op, rows, new_rows) -> np.ndarray | None:
        """The committed array with ``rows`` set in place, or ``None`` when it is shared."""
        session = self._session
        with session._lock:
            if var_op in session._changing:  # another run is changing it in place
                return None
            # Claimed before counting: a run reading the array after the count sees the
            # claim and copies (committed_value), one reading it before is counted.
            session._changing[var_op] = self
            if not _held_once(self._committed, var_op):
                del session._changing[var_op]
                return None
            array = self._committed[var_op]
            self._undo[var_op] = (array, [(rows, array[rows])])
            _set_rows(array, rows, new_rows)
            self._staged[var_op] = array
            return array

    def run_loop(self, loop, inputs: tuple):
        """Runs a ``tf.while_loop`` inside this run (``plan.LoopStep``)."""
        return run_loop(loop, self, inputs)

    def write_variable(self, var_op, value) -> None:
        """Makes ``value`` the variable's value, for this run and the session's others; the
        value it replaced comes back if this run fails (see the module's docstring)."""
        value.flags.writeable = False
        self._staged[var_op] = value
        committed = self._committed
        with self._session._lock:
            if var_op not in self._replaced:
                self._replaced[var_op] = committed.get(var_op, _MISSING)
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
        if not self._staged:
            self._buffers.settle(self._taken)
            self._end()
            return
        session = self._session
        with session._lock:
            if session._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            old = [v for v in self._replaced.values() if v is not _MISSING]
            self._replaced = {}
            self._undo = {}
            self._release()
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
        with self._session._lock:
            committed = self._committed
            for var_op, old in self._replaced.items():
                if committed.get(var_op) is self._staged.get(var_op):  # still this run's
                    if old is _MISSING:
                        del committed[var_op]
                    else:
                        committed[var_op] = old
            self._replaced = {}
            for array, log in self._undo.values():
                for rows, old in reversed(log):
                    _set_rows(array, rows, old)
            self._undo = {}
            self._release()

    def _release(self) -> None:
        changing = self._session._changing
        for var_op in [v for v, owner in changing.items() if owner is self]:
            del changing[var_op]


def _held_once(values: dict, key) -> bool:
    """Whether ``values[key]`` owns its memory and nothing but ``values`` refers to it (no
    view, no other dict, no slot of a run: a view refers to the array it views)."""
    return values[key].base is None and sys.getrefcount(values[key]) == 2


def _set_rows(array: np.ndarray, rows, new_rows) -> None:
    array.flags.writeable = True
    try:
        array[rows] = new_rows
    finally:
        array.flags.writeable = False


def committed_value(session, var_op, value: np.ndarray) -> np.ndarray:
    """``value``, the session's array for ``var_op``, as last committed: a copy with the old
    rows written back when a run in flight has changed it in place."""
    with session._lock:
        owner = session._changing.get(var_op)
        undo = None if owner is None else owner._undo.get(var_op)
        if undo is None or undo[0] is not value:
            return value
        snapshot = value.copy()
        log = list(undo[1])
    for rows, old in reversed(log):
        snapshot[rows] = old
    snapshot.flags.writeable = False
    return snapshot


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
