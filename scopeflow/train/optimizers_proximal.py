"""TF1's regularized optimizers: FTRL-proximal (``FtrlOptimizer``), ``ProximalAdagradOptimizer``,
``ProximalGradientDescentOptimizer`` and ``AdagradDAOptimizer``, with TF1's defaults, checks,
slot names and update ops (``ApplyFtrl``/``ApplyFtrlV2``... and their ``SparseApply*`` forms
for ``IndexedSlices`` gradients; see ``scopeflow/ops/state/training_proximal.py``).

As in TF1, ``ProximalAdagrad`` and ``ProximalGradientDescent`` pass their hyper-parameter
tensors to the ops uncast, so their variables must be float32 unless the hyper-parameters are
tensors of the variables' dtype.
"""

from __future__ import annotations

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.ops.array.basic import identity
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.state import training_proximal  # noqa: F401 (registers the update ops)
from scopeflow.ops.state.training import apply_update
from scopeflow.train.optimizer import Optimizer


def _non_negative(value, what: str) -> None:
    if value < 0.0:
        raise ValueError(f"{what} {value:f} needs to be positive or zero")


class FtrlOptimizer(Optimizer):
    """FTRL-proximal (McMahan et al., 2013). Slots ``accum`` (``<var>/Ftrl``, starts at
    ``initial_accumulator_value``) and ``linear`` (``<var>/Ftrl_1``); ``ApplyFtrl``, or
    ``ApplyFtrlV2`` when ``l2_shrinkage_regularization_strength`` is positive.

    >>> import scopeflow as tf
    >>> opt = tf.train.FtrlOptimizer(0.1, l1_regularization_strength=0.01)
    >>> opt.get_name(), opt.get_slot_names()
    ('Ftrl', [])
    """

    def __init__(
        self,
        learning_rate,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        use_locking=False,
        name="Ftrl",
        accum_name=None,
        linear_name=None,
        l2_shrinkage_regularization_strength=0.0,
        beta=None,
    ):
        super().__init__(use_locking, name)
        _non_negative(initial_accumulator_value, "initial_accumulator_value")
        if learning_rate_power > 0.0:
            raise ValueError(
                f"learning_rate_power {learning_rate_power:f} needs to be negative or zero"
            )
        _non_negative(l1_regularization_strength, "l1_regularization_strength")
        _non_negative(l2_regularization_strength, "l2_regularization_strength")
        _non_negative(l2_shrinkage_regularization_strength, "l2_shrinkage_regularization_strength")
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1 = l1_regularization_strength
        self._l2 = l2_regularization_strength
        self._beta = 0.0 if beta is None else beta
        self._l2_shrinkage = l2_shrinkage_regularization_strength
        self._accum_name = accum_name
        self._linear_name = linear_name

    def _create_slots(self, var_list):
        for v in var_list:
            value, accum_name = self._initial_accumulator_value, self._accum_name or self._name
            self._constant_slot(v, value, "accum", accum_name)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._learning_rate, name="learning_rate")
        self._l1_t = convert_to_tensor(self._l1, name="l1_regularization_strength")
        # TF1 folds beta into l2, so that the ops need not take it.
        adjusted = self._l2 + self._beta / (2.0 * math_ops.maximum(self._learning_rate, 1e-36))
        self._l2_t = convert_to_tensor(adjusted, name="adjusted_l2_regularization_strength")
        self._beta_t = convert_to_tensor(self._beta, name="beta")
        self._l2_shrinkage_t = convert_to_tensor(
            self._l2_shrinkage, name="l2_shrinkage_regularization_strength"
        )
        self._lr_power_t = convert_to_tensor(self._learning_rate_power, name="learning_rate_power")

    def _apply_dense(self, grad, var):
        return self._apply(var, [grad], "ApplyFtrl")

    def _apply_sparse(self, grad, var):
        return self._apply(var, [grad.values, grad.indices], "SparseApplyFtrl")

    def _apply(self, var, grad_inputs: list, op_type: str):
        hyper = [self._lr_t, self._l1_t, self._l2_t]
        if self._l2_shrinkage > 0.0:
            op_type += "V2"
            hyper.append(self._l2_shrinkage_t)
        inputs = [
            var._ref(),
            self.get_slot(var, "accum")._ref(),
            self.get_slot(var, "linear")._ref(),
            *grad_inputs,
            *(self._cast(t, var) for t in [*hyper, self._lr_power_t]),
        ]
        return apply_update(op_type, inputs, self._use_locking)


class ProximalAdagradOptimizer(Optimizer):
    """Adagrad with a proximal L1/L2 step (``ApplyProximalAdagrad``). Slot ``accumulator``
    (``<var>/ProximalAdagrad``) starts at ``initial_accumulator_value``.

    >>> import scopeflow as tf
    >>> tf.train.ProximalAdagradOptimizer(0.1).get_name()
    'ProximalAdagrad'
    """

    def __init__(
        self,
        learning_rate,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        use_locking=False,
        name="ProximalAdagrad",
    ):
        if initial_accumulator_value <= 0.0:
            raise ValueError(
                f"initial_accumulator_value must be positive: {initial_accumulator_value}"
            )
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._l1 = l1_regularization_strength
        self._l2 = l2_regularization_strength

    def _create_slots(self, var_list):
        for v in var_list:
            self._constant_slot(v, self._initial_accumulator_value, "accumulator", self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._learning_rate, name="learning_rate")
        self._l1_t = convert_to_tensor(self._l1, name="l1_regularization_strength")
        self._l2_t = convert_to_tensor(self._l2, name="l2_regularization_strength")

    def _apply_dense(self, grad, var):
        accum = self.get_slot(var, "accumulator")._ref()
        inputs = [var._ref(), accum, self._lr_t, self._l1_t, self._l2_t, grad]
        return apply_update("ApplyProximalAdagrad", inputs, self._use_locking)

    def _apply_sparse(self, grad, var):
        accum = self.get_slot(var, "accumulator")._ref()
        hyper = [self._lr_t, self._l1_t, self._l2_t]
        inputs = [var._ref(), accum, *hyper, grad.values, grad.indices]
        return apply_update("SparseApplyProximalAdagrad", inputs, self._use_locking)


class ProximalGradientDescentOptimizer(Optimizer):
    """Gradient descent with a proximal L1/L2 step (``ApplyProximalGradientDescent``); no
    slots.

    >>> import scopeflow as tf
    >>> tf.train.ProximalGradientDescentOptimizer(0.1).get_slot_names()
    []
    """

    def __init__(
        self,
        learning_rate,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        use_locking=False,
        name="ProximalGradientDescent",
    ):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._l1 = l1_regularization_strength
        self._l2 = l2_regularization_strength

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._learning_rate, name="learning_rate")
        self._l1_t = convert_to_tensor(self._l1, name="l1_regularization_strength")
        self._l2_t = convert_to_tensor(self._l2, name="l2_regularization_strength")

    def _apply_dense(self, grad, var):
        inputs = [var._ref(), self._lr_t, self._l1_t, self._l2_t, grad]
        return apply_update("ApplyProximalGradientDescent", inputs, self._use_locking).op

    def _apply_sparse(self, grad, var):
        inputs = [var._ref(), self._lr_t, self._l1_t, self._l2_t, grad.values, grad.indices]
        return apply_update("SparseApplyProximalGradientDescent", inputs, self._use_locking).op


class AdagradDAOptimizer(Optimizer):
    """Adagrad dual averaging (``ApplyAdagradDA``): the variable is recomputed from the
    slots ``gradient_accumulator`` (``<var>/AdagradDA``) and ``gradient_squared_accumulator``
    (``<var>/AdagradDA_1``) and ``global_step + 1`` (an int64 variable, which the caller
    increments, e.g. through ``minimize(global_step=...)``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     step = tf.train.get_or_create_global_step()
    ...     tf.train.AdagradDAOptimizer(0.1, step).get_name()
    'AdagradDA'
    """

    def __init__(
        self,
        learning_rate,
        global_step,
        initial_gradient_squared_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        use_locking=False,
        name="AdagradDA",
    ):
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError(
                "initial_gradient_squared_accumulator_value must be positive: "
                f"{initial_gradient_squared_accumulator_value}"
            )
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_gg = initial_gradient_squared_accumulator_value
        self._l1 = l1_regularization_strength
        self._l2 = l2_regularization_strength
        self._global_step = global_step

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "gradient_accumulator", self._name)
            self._constant_slot(v, self._initial_gg, "gradient_squared_accumulator", self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._learning_rate, name="learning_rate")
        self._global_step_on_worker = identity(self._global_step) + 1

    def _apply_dense(self, grad, var):
        return self._apply(var, [grad], "ApplyAdagradDA")

    def _apply_sparse(self, grad, var):
        return self._apply(var, [grad.values, grad.indices], "SparseApplyAdagradDA")

    def _apply(self, var, grad_inputs: list, op_type: str):
        inputs = [
            var._ref(),
            self.get_slot(var, "gradient_accumulator")._ref(),
            self.get_slot(var, "gradient_squared_accumulator")._ref(),
            *grad_inputs,
            *(self._cast(t, var) for t in (self._lr_t, self._l1, self._l2)),
            identity(self._global_step_on_worker),
        ]
        return apply_update(op_type, inputs, self._use_locking)
