"""``tf.ConditionalAccumulator`` and ``tf.SparseConditionalAccumulator`` (with their base
``tf.ConditionalAccumulatorBase``): graph builders over the ops of ``accumulator_ops`` with
TF 2.21's op names (``conditional_accumulator``, ``ResourceAccumulatorApplyGradient``...).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     acc = tf.ConditionalAccumulator(tf.float32, shape=[2])
...     apply = [acc.apply_grad([1.0, 2.0]), acc.apply_grad([3.0, 4.0])]
...     with tf.Session() as sess:
...         _ = sess.run(apply)
...         print(sess.run(acc.take_grad(2)))
[2. 3.]
"""

from __future__ import annotations

import collections
from contextlib import nullcontext

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import colocate_with, control_dependencies, name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.ops.array.cast import cast
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.data_flow import accumulator_ops  # noqa: F401  (registers the op types)

SparseAccumulatorTakeGradient = collections.namedtuple(
    "SparseAccumulatorTakeGradient", ["indices", "values", "shape"]
)


def _make(op_type: str, dtype, shape, shared_name, name, reduction_type):
    if reduction_type not in ("MEAN", "SUM"):
        raise ValueError(
            f"Attr 'reduction_type' of '{op_type}' Op passed string '{reduction_type}' not in: "
            '"MEAN", "SUM".'
        )
    attrs = {
        "dtype": dtypes.as_dtype(dtype).base_dtype,
        "shape": tensor_shape.TensorShape(shape),
        "container": b"",
        "shared_name": (shared_name or "").encode(),
        "reduction_type": reduction_type.encode(),
    }
    with control_dependencies(None):
        return apply_op(op_type, [], attrs, name=name)


def _step(value):
    return cast(convert_to_tensor(value), dtypes.int64)


def _num_required(op_type: str, num_required, name):
    with name_scope(name, op_type) as scope:
        n = convert_to_tensor(num_required, dtype=dtypes.int32, name="num_required")
    return n, scope


class ConditionalAccumulatorBase:
    """An accumulator of gradients kept in the session: the base of TF1's accumulators."""

    _prefix = "ResourceAccumulator"

    def __init__(self, dtype, shape, accumulator_ref):
        self._dtype = dtypes.as_dtype(dtype)
        self._shape = tensor_shape.TensorShape(shape)
        self._accumulator_ref = accumulator_ref
        self._name = accumulator_ref.op.name.split("/")[-1]

    @property
    def accumulator_ref(self):
        return self._accumulator_ref

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self):
        return self._dtype

    def _on_handle(self):
        """TF's sparse accumulator handle is a reference: its ops are colocated with it."""
        return (
            colocate_with(self._accumulator_ref) if self._prefix == "Accumulator" else nullcontext()
        )

    @undo.atomic
    def num_accumulated(self, name=None):
        """An int32 scalar: the gradients accumulated since the last take."""
        name = name or f"{self._name}_NumAccumulated"
        with self._on_handle():
            return apply_op(f"{self._prefix}NumAccumulated", [self._accumulator_ref], {}, name)

    @undo.atomic
    def set_global_step(self, new_global_step, name=None):
        """An op setting the step below which applied gradients are dropped as stale."""
        step = _step(new_global_step)
        op_type = f"{self._prefix}SetGlobalStep"
        with self._on_handle():
            return get_default_graph().create_op(
                op_type, [self._accumulator_ref, step], {}, name=name or op_type
            )


class ConditionalAccumulator(ConditionalAccumulatorBase):
    """Averages (or sums) dense gradients of ``dtype`` and ``shape`` until taken."""

    @undo.atomic
    def __init__(
        self,
        dtype,
        shape=None,
        shared_name=None,
        name="conditional_accumulator",
        reduction_type="MEAN",
    ):
        op_type = "ResourceConditionalAccumulator"
        ref = _make(op_type, dtype, shape, shared_name, name, reduction_type)
        super().__init__(dtype, shape, ref)

    @undo.atomic
    def apply_grad(self, grad, local_step=0, name=None):
        """An op adding ``grad`` unless ``local_step`` is below the global step."""
        grad = convert_to_tensor(grad, dtype=self._dtype)
        grad.shape.assert_is_compatible_with(self._shape)
        step = _step(local_step)
        op_type = "ResourceAccumulatorApplyGradient"
        return get_default_graph().create_op(
            op_type, [self._accumulator_ref, step, grad], {"dtype": self._dtype}, name or op_type
        )

    @undo.atomic
    def take_grad(self, num_required, name=None):
        """The mean (or sum) once ``num_required`` gradients are in; empties the accumulator
        and advances its global step."""
        op_type = "ResourceAccumulatorTakeGradient"
        n, scope = _num_required(op_type, num_required, name)
        out = apply_op(op_type, [self._accumulator_ref, n], {"dtype": self._dtype}, scope)
        out.set_shape(self._shape)
        return out


class SparseConditionalAccumulator(ConditionalAccumulatorBase):
    """Averages (or sums) sparse gradients (indices, values, shape), row by row."""

    _prefix = "Accumulator"

    @undo.atomic
    def __init__(
        self,
        dtype,
        shape=None,
        shared_name=None,
        name="sparse_conditional_accumulator",
        reduction_type="MEAN",
    ):
        op_type = "SparseConditionalAccumulator"
        ref = _make(op_type, dtype, shape, shared_name, name, reduction_type)
        super().__init__(dtype, shape, ref)

    @undo.atomic
    def apply_indexed_slices_grad(self, grad, local_step=0, name=None):
        """``apply_grad`` of an ``IndexedSlices``."""
        return self.apply_grad(grad.indices, grad.values, grad.dense_shape, local_step, name)

    @undo.atomic
    def apply_grad(self, grad_indices, grad_values, grad_shape=None, local_step=0, name=None):
        """An op adding the rows ``grad_values`` at ``grad_indices`` unless ``local_step`` is
        below the global step."""
        step = _step(local_step)
        indices = cast(grad_indices, dtypes.int64)
        shape = cast([] if grad_shape is None else grad_shape, dtypes.int64)
        op_type = "SparseAccumulatorApplyGradient"
        with name_scope(name, op_type) as scope:
            values = convert_to_tensor(grad_values, dtype=self._dtype, name="gradient_values")
        attrs = {"dtype": self._dtype, "has_known_shape": grad_shape is not None}
        inputs = [self._accumulator_ref, step, indices, values, shape]
        with self._on_handle():
            return get_default_graph().create_op(op_type, inputs, attrs, name=scope)

    @undo.atomic
    def take_grad(self, num_required, name=None):
        """``(indices, values, shape)`` once ``num_required`` gradients are in."""
        op_type = "SparseAccumulatorTakeGradient"
        n, scope = _num_required(op_type, num_required, name)
        with self._on_handle():
            outputs = apply_op(op_type, [self._accumulator_ref, n], {"dtype": self._dtype}, scope)
        return SparseAccumulatorTakeGradient(*outputs)

    @undo.atomic
    def take_indexed_slices_grad(self, num_required, name=None):
        """``take_grad`` as an ``IndexedSlices``."""
        indices, values, shape = self.take_grad(num_required, name)
        return IndexedSlices(values=values, indices=indices, dense_shape=shape)


__all__ = ["ConditionalAccumulator", "ConditionalAccumulatorBase", "SparseConditionalAccumulator"]
