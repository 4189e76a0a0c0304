"""``tf.keras.mixed_precision.LossScaleOptimizer`` (tf_keras's, in TF1 graph mode): a Keras
optimizer whose loss is multiplied by a loss scale before differentiating and whose gradients
are divided by it; the wrapped optimizer applies them only when all are finite (a ``cond``),
and a dynamic scale doubles after ``dynamic_growth_steps`` finite steps and halves (not below
1) after a step that was not, in variables ``current_loss_scale`` and ``good_steps``, as TF's.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.keras.optimizer_v2 import Optimizer
from scopeflow.ops.array.basic import identity, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.reduction import reduce_all
from scopeflow.ops.state import storage as state_ops
from scopeflow.variables.variables import Variable


def _scaled(grad, factor):
    """``grad * factor``; an ``IndexedSlices`` gradient's values scaled, its rows kept."""
    if isinstance(grad, IndexedSlices):
        return IndexedSlices(grad.values * factor, grad.indices, grad.dense_shape)
    return grad * factor


def _values(grad):
    """The values whose finiteness decides a step (an ``IndexedSlices``'s rows)."""
    return grad.values if isinstance(grad, IndexedSlices) else grad

__all__ = ["LossScaleOptimizer"]


class LossScaleOptimizer(Optimizer):
    """Wraps ``inner_optimizer`` with loss scaling: ``dynamic`` (from ``initial_scale``,
    default 2**15, growing every ``dynamic_growth_steps``, default 2000) or a fixed
    ``initial_scale``.

    Raises:
        TypeError: ``inner_optimizer`` is not a Keras optimizer (a ``tf.train`` one, say).
        ValueError: ``dynamic=False`` without ``initial_scale``, or with
            ``dynamic_growth_steps``.
    """

    def __init__(self, inner_optimizer, dynamic=True, initial_scale=None,
                 dynamic_growth_steps=None):  # fmt: skip
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                '"inner_optimizer" must be an instance of `tf.keras.optimizers.Optimizer` or '
                "`tf.keras.optimizers.experimental.Optimizer`, but got: "
                f"{inner_optimizer}."
            )
        if not dynamic and initial_scale is None:
            raise ValueError('"initial_scale" must be specified if "dynamic" is False')
        if not dynamic and dynamic_growth_steps is not None:
            raise ValueError(
                '"dynamic_growth_steps" must be None if "dynamic" is False, but got: '
                f"{dynamic_growth_steps}"
            )
        self._optimizer = inner_optimizer
        self._dynamic = bool(dynamic)
        self._name = inner_optimizer._name
        if dynamic:
            self._initial_scale = float(2**15 if initial_scale is None else initial_scale)
            self._growth_steps = int(2000 if dynamic_growth_steps is None else dynamic_growth_steps)
            scale = np.float32(self._initial_scale)
            self._scale = Variable(lambda: scale, name="current_loss_scale", trainable=False)
            self._good_steps = Variable(lambda: np.int64(0), name="good_steps", trainable=False)
        else:
            self._initial_scale = float(initial_scale)
            self._growth_steps = None
            self._scale = None

    # -- what TF's LossScaleOptimizer exposes ---------------------------------------------

    @property
    def dynamic(self) -> bool:
        return self._dynamic

    @property
    def initial_scale(self) -> float:
        return self._initial_scale

    @property
    def dynamic_growth_steps(self):
        return self._growth_steps

    @property
    def inner_optimizer(self):
        return self._optimizer

    @property
    def loss_scale(self):
        """The current loss scale, a float32 scalar tensor."""
        if self._scale is None:
            return convert_to_tensor(np.float32(self._initial_scale))
        return identity(self._scale)

    def get_scaled_loss(self, loss):
        """``loss`` times the loss scale (a callable loss: a callable of it)."""
        if callable(loss):
            return lambda: self.get_scaled_loss(loss())
        loss = convert_to_tensor(loss)
        return loss * cast(self.loss_scale, loss.dtype)

    def get_unscaled_gradients(self, grads):
        """Each gradient times ``1 / loss scale`` (``None`` kept)."""
        reciprocal = 1.0 / self.loss_scale
        return [None if g is None else _scaled(g, cast(reciprocal, g.dtype)) for g in grads]

    # -- the optimizer ---------------------------------------------------------------------

    def get_gradients(self, loss, params) -> list:
        scaled = self.get_scaled_loss(loss)
        with name_scope(f"{self._name}/gradients"):
            grads = self._optimizer.get_gradients(scaled, params)
        return self.get_unscaled_gradients(grads)

    def get_updates(self, loss, params) -> list:
        grads = self.get_gradients(loss, params)
        return [self.apply_gradients(list(zip(grads, params, strict=True)))]

    def _update_scale(self, is_finite):
        """The dynamic scale's update for this step: TF's ``cond`` of finite gradients."""
        scale, good = self._scale, self._good_steps

        def grow():
            return group(state_ops.assign(good, np.int64(0)), state_ops.assign(scale, scale * 2.0))

        def count():
            return state_ops.assign_add(good, np.int64(1)).op

        def finite():
            return cond(good + 1 >= self._growth_steps, grow, count)

        def not_finite():
            smaller = math_ops.maximum(scale / 2.0, 1.0)
            return group(state_ops.assign(good, np.int64(0)), state_ops.assign(scale, smaller))

        return cond(is_finite, finite, not_finite)

    def apply_gradients(self, grads_and_vars, name=None):
        """Applies the gradients with the wrapped optimizer when all are finite, and updates a
        dynamic loss scale."""
        grads_and_vars = list(grads_and_vars)
        grads = [g for g, _ in grads_and_vars if g is not None]
        per_grad = [reduce_all(math_ops.is_finite(_values(g))) for g in grads]
        is_finite = reduce_all(stack(per_grad))
        update = self._update_scale(is_finite) if self._dynamic else None

        def apply():
            return self._optimizer.apply_gradients(grads_and_vars, name)

        applied = cond(is_finite, apply, no_op)
        return applied if update is None else group(applied, update)

    # -- delegated to the wrapped optimizer -------------------------------------------------

    @property
    def lr(self):
        return self._optimizer.lr

    learning_rate = lr

    @property
    def iterations(self):
        return self._optimizer.iterations

    @iterations.setter
    def iterations(self, variable):
        self._optimizer.iterations = variable

    @property
    def weights(self) -> list:
        return self._optimizer.weights

    def variables(self) -> list:
        return self._optimizer.variables()

    def get_slot(self, var, slot_name: str):
        return self._optimizer.get_slot(var, slot_name)

    def get_slot_names(self) -> list[str]:
        return self._optimizer.get_slot_names()

    def get_config(self) -> dict:
        inner = {"class_name": type(self._optimizer).__name__,
                 "config": self._optimizer.get_config()}  # fmt: skip
        return {"inner_optimizer": inner, "dynamic": self._dynamic,
                "initial_scale": self._initial_scale,
                "dynamic_growth_steps": self._growth_steps}  # fmt: skip
