"""TF1's gradient accumulators as ops: ``ResourceConditionalAccumulator`` (dense, with
``ResourceAccumulatorApplyGradient``, ``ResourceAccumulatorTakeGradient``,
``ResourceAccumulatorNumAccumulated``, ``ResourceAccumulatorSetGlobalStep``) and
``SparseConditionalAccumulator`` (with ``SparseAccumulatorApplyGradient``,
``SparseAccumulatorTakeGradient``, ``AccumulatorNumAccumulated``,
``AccumulatorSetGlobalStep``), the op types TF 2.21's ``tf.compat.v1`` builds.

An accumulator kept in the session sums the gradients applied to it, dropping a gradient whose
``local_step`` is below its global step (a stale one); taking waits until ``num_required``
gradients have come, hands out their mean (``reduction_type="MEAN"``; a sparse accumulator
divides each row by the gradients that gave it) or sum, empties the accumulator and advances
its global step, as TF's ``ConditionalAccumulatorBase``. As in TF, a take that is waiting is
served by the apply that brings the count to ``num_required``, within that apply: the global
step goes up at once, so a gradient applied next with the old step is already stale (what
``SyncReplicasOptimizer``'s workers rely on), whenever the taking thread wakes. A sparse
accumulator merges each gradient's indices with its own by TF's sorted two-pointer merge (so
indices are best given sorted, as TF expects). ``Session.close`` cancels a take still waiting.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op

TensorShape = tensor_shape.TensorShape


def _dims(shape) -> str:
    return str(shape.as_list()).replace(" ", "") if shape.dims is not None else "<unknown>"


class RuntimeAccumulator:
    """The gradients one accumulator op holds in one session."""

    def __init__(self, op, sparse: bool):
        attrs = op._attrs
        self.sparse = sparse
        self.dtype = attrs["dtype"].as_numpy_dtype
        self.shape = TensorShape(attrs["shape"])
        self.mean = attrs.get("reduction_type", b"MEAN") in (b"MEAN", "MEAN")
        self.cond = threading.Condition()
        self.counter = 0
        self.global_step = 0
        self.closed = False
        self.takers: list[list] = []  # takes waiting, first come first served: [n, taken]
        self._clear()

    def _clear(self) -> None:
        self.total = None  # dense: the sum; sparse: (indices, values, counts)
        self.dense_shape = None

    def session_closed(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def _check_dense(self, op, grad: np.ndarray) -> None:
        known = self.total.shape if self.counter else None
        if known is not None and known != grad.shape:
            expected = str(list(known)).replace(" ", "")
        elif not self.shape.is_compatible_with(grad.shape):
            expected = _dims(self.shape)
        else:
            return
        got = str(list(grad.shape)).replace(" ", "")
        raise errors.InvalidArgumentError(
            None, op, f"Shape mismatch: expected {expected}, got {got}"
        )

    def _check_sparse(self, op, indices, values, grad_shape) -> None:
        def mismatch(what: str):
            return errors.InvalidArgumentError(None, op, f"Shape mismatch: {what}")

        limits = self.shape.as_list() if self.shape.dims is not None else None
        if grad_shape is not None and limits is not None:
            for d, (want, got) in enumerate(zip(limits, grad_shape, strict=False)):
                if want is not None and want != got:
                    raise mismatch(f"expected shape dim {d} to be {want}, got {got}")
        if limits and limits[0] is not None:
            for i, index in enumerate(indices):
                if index >= limits[0]:
                    raise mismatch(
                        f"index of slice {i} exceeded limits of shape; index is {index} "
                        f"exceeded {limits[0]}"
                    )
        if self.counter:
            rows = self.total[1].shape[1:]
        elif limits is not None:
            rows = limits[1:]
        else:
            return
        for d, (want, got) in enumerate(zip(rows, values.shape[1:], strict=False), 1):
            if want is not None and want != got:
                raise mismatch(f"expected values dim {d} to be {want}, got {got}")

    def apply(self, op, local_step: int, grad, grad_shape=None) -> None:
        with self.cond:
            if local_step < self.global_step:  # stale: dropped, as TF (which logs it)
                return
            if self.sparse:
                indices, values = grad
                self._check_sparse(op, indices, values, grad_shape)
                self._add_sparse(indices, values, grad_shape)
            else:
                self._check_dense(op, grad)
                self.total = grad.copy() if self.total is None else self.total + grad
            self.counter += 1
            while self.takers and self.counter >= self.takers[0][0]:
                self.takers.pop(0)[1] = self._take_now()
            self.cond.notify_all()

    def _add_sparse(self, indices, values, grad_shape) -> None:
        if grad_shape is not None:
            self.dense_shape = grad_shape
        if self.total is None:
            self.total = (indices, values.copy(), np.ones(len(indices), np.int64))
            return
        old_idx, old_val, old_cnt = self.total
        idx, val, cnt = [], [], []
        i = j = 0
        while i < len(old_idx) or j < len(indices):  # TF's merge of (assumed) sorted indices
            take_old = j >= len(indices) or (i < len(old_idx) and old_idx[i] < indices[j])
            if not take_old and i < len(old_idx) and old_idx[i] == indices[j]:
                idx.append(old_idx[i])
                val.append(old_val[i] + values[j])
                cnt.append(old_cnt[i] + 1)
                i, j = i + 1, j + 1
            elif take_old:
                idx.append(old_idx[i]), val.append(old_val[i]), cnt.append(old_cnt[i])
                i += 1
            else:
                idx.append(indices[j]), val.append(values[j]), cnt.append(1)
                j += 1
        row = values.shape[1:]
        self.total = (
            np.array(idx, np.int64),
            np.array(val, self.dtype).reshape(-1, *row),
            np.array(cnt, np.int64),
        )

    def _take_now(self) -> tuple:
        """This accumulator's gradients, handed out; it is emptied and its step goes up."""
        self.global_step += 1
        taken = (self.total, self.counter, self.dense_shape)
        self.counter = 0
        self._clear()
        return taken

    def take(self, op, num_required: int, deadline: float | None = None):
        if num_required < 1:
            raise errors.InvalidArgumentError(
                None, op, f"Argument num_required must be positive, but was {num_required}"
            )
        with self.cond:
            if self.counter >= num_required and not self.takers:
                taken = self._take_now()
            else:
                taker = [num_required, None]
                self.takers.append(taker)
                while taker[1] is None:
                    if self.closed:
                        self.takers.remove(taker)
                        raise errors.CancelledError(
                            None, op, f"Session has been closed (op '{op.name}')."
                        )
                    if deadline is None:
                        self.cond.wait()
                    elif (
                        not self.cond.wait(max(deadline - time.monotonic(), 0))
                        and taker[1] is None  # not served just as the time ran out
                    ):
                        self.takers.remove(taker)  # RunOptions.timeout_in_ms: as TF's
                        raise errors.DeadlineExceededError(
                            None, None, "Timed out waiting for notification"
                        )
                taken = taker[1]
        total, counter, dense_shape = taken
        if not self.sparse:
            return (total / counter).astype(self.dtype) if self.mean else total
        indices, values, counts = total
        if self.mean:
            values = (values / counts.reshape(-1, *[1] * (values.ndim - 1))).astype(self.dtype)
        return indices, values, self._out_shape(dense_shape, values)

    def _out_shape(self, dense_shape, values) -> np.ndarray:
        if dense_shape is not None:
            return np.asarray(dense_shape, np.int64)
        if self.shape.dims is not None:
            dims = [-1 if d is None else d for d in self.shape.as_list()]
        else:
            dims = [-1, *values.shape[1:]]
        return np.array(dims, np.int64)


def _accumulator(handle) -> RuntimeAccumulator:
    return handle.item() if isinstance(handle, np.ndarray) else handle


def _make_kernel(sparse: bool):
    def kernel(ctx, op):
        shared = op._attrs.get("shared_name") or b""
        key = ("shared accumulator", shared) if shared else op
        return ctx.op_state(key, lambda: RuntimeAccumulator(op, sparse))

    return kernel


def _apply_kernel(ctx, op, handle, local_step, gradient):
    _accumulator(handle).apply(op, int(local_step), np.asarray(gradient))
    return ()


def _sparse_apply_kernel(ctx, op, handle, local_step, indices, values, shape):
    known = bool(op._attrs["has_known_shape"])
    grad = (np.asarray(indices, np.int64).reshape(-1), np.asarray(values))
    shape = [int(d) for d in np.ravel(shape)] if known else None
    _accumulator(handle).apply(op, int(local_step), grad, shape)
    return ()


def _take_kernel(ctx, op, handle, num_required):
    return _accumulator(handle).take(op, int(num_required), getattr(ctx, "deadline", None))


def _num_kernel(ctx, op, handle):
    acc = _accumulator(handle)
    with acc.cond:
        return np.int32(acc.counter)


def _set_step_kernel(ctx, op, handle, step):
    acc = _accumulator(handle)
    with acc.cond:  # TF takes any new step (warning when it goes back)
        acc.global_step = int(step)
    return ()


def _check_dtype(op_type: str, dtype) -> None:
    if not (dtype.is_floating or dtype.is_complex or dtype.is_integer):
        raise TypeError(
            f"Value passed to parameter 'dtype' of '{op_type}' has DataType {dtype.name} not in "
            "list of allowed numeric types."
        )


def _dense_infer(inputs, attrs):
    _check_dtype("ResourceConditionalAccumulator", attrs["dtype"])
    return [(dtypes.resource, TensorShape([2]))]


def _sparse_infer(inputs, attrs):
    _check_dtype("SparseConditionalAccumulator", attrs["dtype"])
    # TF's handle is a string_ref; here only variables output references (the plan follows
    # each back to its VariableV2), so the handle is a plain string tensor.
    return [(dtypes.string, TensorShape([2]))]


def _take_infer(inputs, attrs):
    return [(attrs["dtype"], tensor_shape.unknown_shape())]


def _sparse_take_infer(inputs, attrs):
    unknown = tensor_shape.unknown_shape()
    return [(dtypes.int64, unknown), (attrs["dtype"], unknown), (dtypes.int64, unknown)]


def _num_infer(inputs, attrs):
    return [(dtypes.int32, TensorShape([]))]


_FACTS = {"grad": NOT_DIFFERENTIABLE, "stateful": True}  # accumulators are state

register_op("ResourceConditionalAccumulator", _dense_infer, kernel=_make_kernel(False), **_FACTS)
register_op("SparseConditionalAccumulator", _sparse_infer, kernel=_make_kernel(True), **_FACTS)
for _prefix in ("ResourceAccumulator", "Accumulator"):
    register_op(f"{_prefix}NumAccumulated", _num_infer, kernel=_num_kernel, **_FACTS)
    register_op(f"{_prefix}SetGlobalStep", lambda i, a: [], kernel=_set_step_kernel, **_FACTS)
register_op("ResourceAccumulatorApplyGradient", lambda i, a: [], kernel=_apply_kernel, **_FACTS)
register_op("ResourceAccumulatorTakeGradient", _take_infer, kernel=_take_kernel, **_FACTS)
register_op(
    "SparseAccumulatorApplyGradient", lambda i, a: [], kernel=_sparse_apply_kernel, **_FACTS
)
register_op("SparseAccumulatorTakeGradient", _sparse_take_infer, kernel=_take_kernel, **_FACTS)
