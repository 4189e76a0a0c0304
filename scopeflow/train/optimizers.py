"""TF1's optimizers: gradient descent, momentum (Nesterov), Adam, Adagrad, RMSProp (with
momentum, centered) and Adadelta, with TF1's defaults, update rules and slot names.

Each update is one op of TF's own type (``ApplyAdam``...; see ``scopeflow/ops/state/training.py``)
whose hyper-parameters are the tensors ``_prepare`` makes in the optimizer's name scope
(``Adam/learning_rate``, ``Adam/beta1``...). Hyper-parameters may be Python numbers, tensors
(e.g. a decaying learning rate) or callables returning either.

An ``IndexedSlices`` gradient gets TF1's sparse update, which touches only its rows:
``ScatterSub`` for gradient descent, ``SparseApplyMomentum``, ``SparseApplyAdagrad``,
``SparseApplyRMSProp``/``SparseApplyCenteredRMSProp`` and ``SparseApplyAdadelta``. Adam's is
TF1's too, so not lazy: ``m`` and ``v`` decay in every row (a dense ``Assign``), the gradient's
rows are added with ``ScatterAdd``, and every row of the variable moves (``AssignSub``).
"""

from __future__ import annotations

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.ops.control import grouping as control_flow_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.state import scatter as scatter_ops
from scopeflow.ops.state import storage as state_ops
from scopeflow.ops.state.training import apply_update
from scopeflow.train.optimizer import Optimizer
from scopeflow.variables import initializers


def _value(updated):
    """A scatter's result as a tensor: a resource variable's read after it (TF's Adam reads
    the slot once there), else the reference op's output."""
    return updated._as_graph_element() if getattr(updated, "_is_resource", False) else updated


class GradientDescentOptimizer(Optimizer):
    """``var -= learning_rate * grad``; no slots.

    >>> import scopeflow as tf
    >>> opt = tf.train.GradientDescentOptimizer(0.1)
    >>> opt.get_name(), opt.get_slot_names()
    ('GradientDescent', [])
    """

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._learning_rate_tensor = None

    def _prepare(self):
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = convert_to_tensor(lr, name="learning_rate")

    def _apply_dense(self, grad, var):
        lr = self._cast(self._learning_rate_tensor, var)
        return apply_update("ApplyGradientDescent", [var._ref(), lr, grad], self._use_locking).op

    def _apply_sparse_duplicate_indices(self, grad, var):
        # Subtracting is right with repeated indices: no sum first, as in TF1.
        delta = grad.values * self._cast(self._learning_rate_tensor, var)
        return scatter_ops.scatter_sub(var, grad.indices, delta, self._use_locking).op

    def _resource_apply_sparse_duplicate_indices(self, grad, handle, indices):
        # TF's: ResourceScatterAdd of -grad * lr, with repeated indices as they are.
        delta = -grad * self._cast(self._learning_rate_tensor, handle)
        return handle._resource_scatter("ResourceScatterAdd", indices, delta, None, False)


class MomentumOptimizer(Optimizer):
    """``accum = momentum * accum + grad; var -= learning_rate * accum`` (Nesterov:
    ``var -= learning_rate * (grad + momentum * accum)``). Slot ``momentum``: ``<var>/Momentum``.
    """

    def __init__(
        self, learning_rate, momentum, use_locking=False, name="Momentum", use_nesterov=False
    ):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        lr = self._call_if_callable(self._learning_rate)
        momentum = self._call_if_callable(self._momentum)
        self._learning_rate_tensor = convert_to_tensor(lr, name="learning_rate")
        self._momentum_tensor = convert_to_tensor(momentum, name="momentum")

    def _apply_dense(self, grad, var):
        inputs = [
            var._ref(),
            self.get_slot(var, "momentum")._ref(),
            self._cast(self._learning_rate_tensor, var),
            grad,
            self._cast(self._momentum_tensor, var),
        ]
        return apply_update(
            "ApplyMomentum", inputs, self._use_locking, use_nesterov=self._use_nesterov
        ).op

    def _apply_sparse(self, grad, var):
        inputs = [
            var._ref(),
            self.get_slot(var, "momentum")._ref(),
            self._cast(self._learning_rate_tensor, var),
            grad.values,
            grad.indices,
            self._cast(self._momentum_tensor, var),
        ]
        return apply_update(
            "SparseApplyMomentum", inputs, self._use_locking, use_nesterov=self._use_nesterov
        ).op


class AdamOptimizer(Optimizer):
    """Adam (Kingma & Ba): slots ``m`` (``<var>/Adam``) and ``v`` (``<var>/Adam_1``), plus the
    variables ``beta1_power`` and ``beta2_power`` shared by all updates and advanced once per
    step after them."""

    def __init__(
        self,
        learning_rate=0.001,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
        use_locking=False,
        name="Adam",
    ):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon

    def _get_beta_accumulators(self):
        graph = get_default_graph()
        return (
            self._get_non_slot_variable("beta1_power", graph=graph),
            self._get_non_slot_variable("beta2_power", graph=graph),
        )

    def _create_slots(self, var_list):
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(self._beta1, "beta1_power", first_var)
        self._create_non_slot_variable(self._beta2, "beta2_power", first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        values = [self._call_if_callable(x) for x in (self._lr, self._beta1, self._beta2)]
        epsilon = self._call_if_callable(self._epsilon)
        self._lr_t = convert_to_tensor(values[0], name="learning_rate")
        self._beta1_t = convert_to_tensor(values[1], name="beta1")
        self._beta2_t = convert_to_tensor(values[2], name="beta2")
        self._epsilon_t = convert_to_tensor(epsilon, name="epsilon")

    def _apply_dense(self, grad, var):
        beta1_power, beta2_power = self._get_beta_accumulators()
        inputs = [
            var._ref(),
            self.get_slot(var, "m")._ref(),
            self.get_slot(var, "v")._ref(),
            self._cast(beta1_power, var),
            self._cast(beta2_power, var),
            self._cast(self._lr_t, var),
            self._cast(self._beta1_t, var),
            self._cast(self._beta2_t, var),
            self._cast(self._epsilon_t, var),
            grad,
        ]
        return apply_update("ApplyAdam", inputs, self._use_locking).op

    def _apply_sparse(self, grad: IndexedSlices, var):
        """TF1's: m and v decay in every row, the gradient's rows are added to them with
        ``ScatterAdd``, and the whole variable takes the step."""
        beta1_power, beta2_power = (self._cast(p, var) for p in self._get_beta_accumulators())
        lr_t, beta1_t, beta2_t, epsilon_t = (
            self._cast(t, var) for t in (self._lr_t, self._beta1_t, self._beta2_t, self._epsilon_t)
        )
        lr = lr_t * math_ops.sqrt(1 - beta2_power) / (1 - beta1_power)
        graph = get_default_graph()
        values, indices = grad.values, grad.indices
        m = self.get_slot(var, "m")
        m_scaled_g_values = values * (1 - beta1_t)
        m_t = state_ops.assign(m, m * beta1_t, use_locking=self._use_locking)
        with graph.control_dependencies([m_t]):
            m_t = _value(scatter_ops.scatter_add(m, indices, m_scaled_g_values, self._use_locking))
        v = self.get_slot(var, "v")
        v_scaled_g_values = (values * values) * (1 - beta2_t)
        v_t = state_ops.assign(v, v * beta2_t, use_locking=self._use_locking)
        with graph.control_dependencies([v_t]):
            v_t = _value(scatter_ops.scatter_add(v, indices, v_scaled_g_values, self._use_locking))
        v_sqrt = math_ops.sqrt(v_t)
        step = lr * m_t / (v_sqrt + epsilon_t)
        var_update = state_ops.assign_sub(var, step, use_locking=self._use_locking)
        return control_flow_ops.group(var_update, m_t, v_t)

    def _finish(self, update_ops, name_scope):
        beta1_power, beta2_power = self._get_beta_accumulators()
        graph = get_default_graph()
        with graph.control_dependencies(update_ops), graph.colocate_with(beta1_power):
            update_beta1 = beta1_power.assign(
                beta1_power * self._beta1_t, use_locking=self._use_locking
            )
            update_beta2 = beta2_power.assign(
                beta2_power * self._beta2_t, use_locking=self._use_locking
            )
        return super()._finish([*update_ops, update_beta1, update_beta2], name_scope)


class AdagradOptimizer(Optimizer):
    """``accum += grad ** 2; var -= learning_rate * grad / sqrt(accum)``. Slot ``accumulator``
    (``<var>/Adagrad``) starts at ``initial_accumulator_value``."""

    def __init__(
        self, learning_rate, initial_accumulator_value=0.1, use_locking=False, name="Adagrad"
    ):
        if initial_accumulator_value <= 0.0:
            raise ValueError(
                f"initial_accumulator_value must be positive: {initial_accumulator_value}"
            )
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            self._constant_slot(v, self._initial_accumulator_value, "accumulator", self._name)

    def _prepare(self):
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = convert_to_tensor(lr, name="learning_rate")

    def _apply_dense(self, grad, var):
        inputs = [
            var._ref(),
            self.get_slot(var, "accumulator")._ref(),
            self._cast(self._learning_rate_tensor, var),
            grad,
        ]
        return apply_update("ApplyAdagrad", inputs, self._use_locking, update_slots=True).op

    def _apply_sparse(self, grad, var):
        inputs = [
            var._ref(),
            self.get_slot(var, "accumulator")._ref(),
            self._cast(self._learning_rate_tensor, var),
            grad.values,
            grad.indices,
        ]
        return apply_update("SparseApplyAdagrad", inputs, self._use_locking, update_slots=True).op


class RMSPropOptimizer(Optimizer):
    """RMSProp: ``ms = decay * ms + (1 - decay) * grad ** 2``,
    ``mom = momentum * mom + learning_rate * grad / sqrt(ms + epsilon)``, ``var -= mom``;
    centered, it divides by ``sqrt(ms - mg ** 2 + epsilon)`` with ``mg`` the mean gradient.
    Slots ``rms`` (``<var>/RMSProp``, starts at one), ``mg`` when centered, ``momentum``."""

    def __init__(
        self,
        learning_rate,
        decay=0.9,
        momentum=0.0,
        epsilon=1e-10,
        use_locking=False,
        centered=False,
        name="RMSProp",
    ):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._decay = decay
        self._momentum = momentum
        self._epsilon = epsilon
        self._centered = centered

    def _create_slots(self, var_list):
        for v in var_list:
            dtype = v.dtype.base_dtype
            self._get_or_make_slot_with_initializer(
                v, initializers.Ones(dtype=dtype), v.get_shape(), dtype, "rms", self._name
            )
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        for attr, name in (
            ("_learning_rate", "learning_rate"),
            ("_decay", "decay"),
            ("_momentum", "momentum"),
            ("_epsilon", "epsilon"),
        ):
            value = self._call_if_callable(getattr(self, attr))
            setattr(self, attr + "_tensor", convert_to_tensor(value, name=name))

    def _apply_dense(self, grad, var):
        return self._apply(var, [grad], "")

    def _apply_sparse(self, grad, var):
        return self._apply(var, [grad.values, grad.indices], "Sparse")

    def _apply(self, var, grad_inputs: list, prefix: str):
        hyper = [
            self._cast(t, var)
            for t in (
                self._learning_rate_tensor,
                self._decay_tensor,
                self._momentum_tensor,
                self._epsilon_tensor,
            )
        ]
        rms = self.get_slot(var, "rms")._ref()
        mom = self.get_slot(var, "momentum")._ref()
        if self._centered:
            mg = self.get_slot(var, "mg")._ref()
            inputs = [var._ref(), mg, rms, mom, *hyper, *grad_inputs]
            return apply_update(f"{prefix}ApplyCenteredRMSProp", inputs, self._use_locking).op
        inputs = [var._ref(), rms, mom, *hyper, *grad_inputs]
        return apply_update(f"{prefix}ApplyRMSProp", inputs, self._use_locking).op


class AdadeltaOptimizer(Optimizer):
    """Adadelta (Zeiler): slots ``accum`` (``<var>/Adadelta``) and ``accum_update``
    (``<var>/Adadelta_1``)."""

    def __init__(
        self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False, name="Adadelta"
    ):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._rho = rho
        self._epsilon = epsilon

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _prepare(self):
        lr, rho, epsilon = (self._call_if_callable(x) for x in (self._lr, self._rho, self._epsilon))
        self._lr_t = convert_to_tensor(lr, name="lr")
        self._rho_t = convert_to_tensor(rho, name="rho")
        self._epsilon_t = convert_to_tensor(epsilon, name="epsilon")

    def _apply_dense(self, grad, var):
        return self._apply(var, [grad], "ApplyAdadelta")

    def _apply_sparse(self, grad, var):
        return self._apply(var, [grad.values, grad.indices], "SparseApplyAdadelta")

    def _apply(self, var, grad_inputs: list, op_type: str):
        inputs = [
            var._ref(),
            self.get_slot(var, "accum")._ref(),
            self.get_slot(var, "accum_update")._ref(),
            self._cast(self._lr_t, var),
            self._cast(self._rho_t, var),
            self._cast(self._epsilon_t, var),
            *grad_inputs,
        ]
        return apply_update(op_type, inputs, self._use_locking).op
