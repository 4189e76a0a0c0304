"""``tf.train.experimental.MixedPrecisionLossScaleOptimizer`` and the graph-rewrite switches.

The wrapper scales the loss before the wrapped optimizer differentiates it, divides the
gradients by the same scale, and applies them only when all are finite (a ``cond`` around
the wrapped ``apply_gradients``, named ``<name>-wrapped``), updating a dynamic scale in the
same step.

TF's ``enable_mixed_precision_graph_rewrite`` also turns on grappler's float16 rewrite of the
graph. scopeflow has no grappler: it wraps the optimizer (the loss scaling part) and warns
that the graph still computes in float32.
"""

from __future__ import annotations

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.mixed_precision import loss_scale as loss_scale_module
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.ops.math import division
from scopeflow.platform import tf_logging
from scopeflow.train.optimizer import Optimizer


class MixedPrecisionLossScaleOptimizer(Optimizer):
    """Wraps ``opt`` with loss scaling: ``loss_scale`` is a ``LossScale``, a number (a fixed
    scale) or ``"dynamic"``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable(3.0, name="w")
    ...     opt = tf.train.experimental.MixedPrecisionLossScaleOptimizer(
    ...         tf.train.GradientDescentOptimizer(0.25), loss_scale=128)
    ...     train = opt.minimize(w * w)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         sess.run(train)
    ...         print(sess.run(w))
    1.5
    """

    def __init__(self, opt, loss_scale):
        if not isinstance(opt, Optimizer):
            raise ValueError(f'"opt" must be an instance of Optimizer, but got: {type(opt)}')
        super().__init__(opt._use_locking, opt.get_name())
        self._optimizer = opt
        self._loss_scale = loss_scale_module.get(loss_scale)
        if self._loss_scale is None:
            raise ValueError("loss_scale cannot be None.")

    def compute_gradients(
        self,
        loss,
        var_list=None,
        gate_gradients=Optimizer.GATE_OP,
        aggregation_method=None,
        colocate_gradients_with_ops=False,
        grad_loss=None,
    ) -> list[tuple]:
        """The wrapped optimizer's gradients of ``loss * scale``, divided by the scale."""
        grads_and_vars = self._optimizer.compute_gradients(
            self._scale_loss(loss),
            var_list=var_list,
            gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops,
            grad_loss=grad_loss,
        )
        grads = self._unscale_grads([g for g, _ in grads_and_vars])
        return list(zip(grads, [v for _, v in grads_and_vars], strict=True))

    def _scale_loss(self, loss):
        scale = self._loss_scale()
        if callable(loss):

            def scaled():
                value = convert_to_tensor(loss())
                return value * cast(scale, value.dtype)

            return scaled
        loss = convert_to_tensor(loss)
        return loss * cast(scale, loss.dtype)

    def _unscale_grads(self, grads: list) -> list:
        reciprocal = division.truediv(1.0, self._loss_scale())
        out = []
        for grad in grads:
            if grad is None:
                out.append(None)
            elif isinstance(grad, IndexedSlices):
                values = grad.values * cast(reciprocal, grad.values.dtype)
                out.append(IndexedSlices(values, grad.indices, grad.dense_shape))
            else:
                out.append(grad * cast(reciprocal, grad.dtype))
        return out

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Updates the loss scale and, when every gradient is finite, applies them with the
        wrapped optimizer (which also increments ``global_step`` only then)."""
        grads_and_vars = tuple(grads_and_vars)
        update_op, should_apply = self._loss_scale.update([g for g, _ in grads_and_vars])
        if should_apply is True:
            return self._optimizer.apply_gradients(grads_and_vars, global_step, name)
        var_list = [v for g, v in grads_and_vars if g is not None]
        with get_default_graph().control_dependencies(None):
            # slots (and Adam's beta powers) are made outside the cond, as TF1 lifts them
            self._optimizer._create_slots(var_list)
        wrapped = f"{name or self._name}-wrapped"

        def apply():
            return self._optimizer.apply_gradients(grads_and_vars, global_step, wrapped)

        maybe_apply = cond(should_apply, apply, no_op)
        return group(maybe_apply, update_op, name=name or self._name)

    def variables(self) -> list:
        """The wrapped optimizer's variables, then the loss scale's."""
        scale_vars = getattr(self._loss_scale, "variables", lambda: [])()
        return self._optimizer.variables() + list(scale_vars)

    def _apply_dense(self, grad, var):
        raise NotImplementedError("MixedPrecisionLossScaleOptimizer applies through its wrapped "
                                  "optimizer's apply_gradients")  # fmt: skip


def enable_mixed_precision_graph_rewrite(opt, loss_scale="dynamic"):
    """Wraps ``opt`` in a ``MixedPrecisionLossScaleOptimizer`` and returns it.

    TF also rewrites the graph to float16 with grappler; scopeflow has no such pass, so the
    graph keeps computing in float32 (a warning says so). Cast the model to float16 yourself
    for float16 compute.
    """
    if not isinstance(opt, Optimizer):
        raise ValueError(
            '"opt" must be an instance of a tf.train.Optimizer or a '
            f"tf.keras.optimizers.Optimizer, but got: {opt}"
        )
    tf_logging.warning(
        "enable_mixed_precision_graph_rewrite: scopeflow has no grappler auto mixed precision "
        "pass, so the graph is not rewritten to float16 (it still computes in float32); only "
        "loss scaling is applied, through the returned MixedPrecisionLossScaleOptimizer."
    )
    return MixedPrecisionLossScaleOptimizer(opt, loss_scale)


def disable_mixed_precision_graph_rewrite():
    """Undoes ``enable_mixed_precision_graph_rewrite``'s rewrite, which scopeflow never
    applies: nothing to do (optimizers already wrapped stay wrapped, as in TF)."""
