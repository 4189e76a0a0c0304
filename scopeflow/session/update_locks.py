"""One lock per variable for the kernels that change variables (``AssignAdd``, ``ScatterAdd``,
``SparseApplyAdagrad``...): a kernel reads a variable, computes, and writes it back, and
two runs doing that on one variable from two threads would each write a value built on the
one they read, losing the other's update. TF's C++ kernels are quick enough that this hardly
shows (and hold the variable's mutex with ``use_locking=True``); ours run Python between the
read and the write, so every such kernel holds its variables' locks, taken in one order
(their names), for as long as it runs. Reads take no lock (``session/context.py``).
"""

from __future__ import annotations

import threading


class Locked:
    """``kernel`` run holding the update locks of ``var_ops`` (the ``VariableV2`` ops behind
    an op's reference inputs) in the session the kernel runs in."""

    __slots__ = ("kernel", "var_ops", "_locks")

    def __init__(self, kernel, var_ops):
        self.kernel = kernel
        self.var_ops = tuple(sorted(set(var_ops), key=lambda v: v.name))
        self._locks = ({}, ())  # the session's lock dict and the locks taken from it

    def __call__(self, ctx, op, *args):
        session = getattr(ctx, "_session", None)
        if session is None:
            return self.kernel(ctx, op, *args)
        table, locks = self._locks
        if table is not session._update_locks:
            table = session._update_locks
            locks = tuple(update_lock(session, v) for v in self.var_ops)
            self._locks = (table, locks)
        if len(locks) == 1:
            with locks[0]:
                return self.kernel(ctx, op, *args)
        for n, lock in enumerate(locks):
            try:
                lock.acquire()
            except BaseException:  # an interrupt while waiting: let go of those taken
                for taken in reversed(locks[:n]):
                    taken.release()
                raise
        try:
            return self.kernel(ctx, op, *args)
        finally:
            for lock in reversed(locks):
                lock.release()


def update_lock(session, var_op) -> threading.Lock:
    """The lock a kernel holds while it changes ``var_op``'s value in ``session``."""
    locks = session._update_locks
    lock = locks.get(var_op)
    if lock is None:
        lock = locks.setdefault(var_op, threading.Lock())  # one winner if two threads race
    return lock
