"""``tf.contrib.opt``: decoupled weight decay (``DecoupledWeightDecayExtension``,
``AdamWOptimizer``, ``MomentumWOptimizer``, ``extend_with_decoupled_weight_decay``;
Loshchilov & Hutter), ``LazyAdamOptimizer``, ``NadamOptimizer``, ``AdaMaxOptimizer`` and
``MovingAverageOptimizer`` (with its ``swapping_saver``), as TF 1.15 builds them; the
external minimizers (``ScipyOptimizerInterface``) are ``external_optimizer.py``'s.

With decoupled weight decay each step first shrinks the variable, ``var -= weight_decay *
var`` (an ``AssignSub``; for an ``IndexedSlices`` gradient only its rows, a ``ScatterAdd`` of
``-weight_decay * gather(var, indices)``), and the optimizer's own update runs after it. The
decay is not scaled by the learning rate: schedule ``weight_decay`` with it if wanted.
``decay_var_list`` in ``minimize``/``apply_gradients`` limits the decay to those variables.

``LazyAdamOptimizer`` is Adam whose sparse update touches only the gradient's rows: their
``m`` and ``v`` (``ScatterUpdate``) and their values (``ScatterSub``); rows not looked up keep
their moments, unlike ``tf.train.AdamOptimizer``'s. Dense updates are Adam's.

>>> import scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     w = tf.Variable([1.0, 2.0], name="w")
...     opt = tf.contrib.opt.MomentumWOptimizer(0.1, learning_rate=0.5, momentum=0.9)
...     train = opt.minimize(tf.reduce_sum(w))
...     sess.run(tf.global_variables_initializer())
...     _ = sess.run(train)
...     print(sess.run(w).round(6))
[0.4 1.3]
"""

from __future__ import annotations

from scopeflow.contrib.external_optimizer import ExternalOptimizerInterface, ScipyOptimizerInterface
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.ops.array.gather import gather
from scopeflow.ops.control import grouping as control_flow_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.state import scatter as scatter_ops
from scopeflow.ops.state import storage as state_ops
from scopeflow.ops.state.training import apply_update
from scopeflow.train.moving_averages import ExponentialMovingAverage
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.optimizers import AdamOptimizer, MomentumOptimizer, _value
from scopeflow.train.saver import Saver
from scopeflow.variables.collections import global_variables
from scopeflow.variables.partitioned import PartitionedVariable


class DecoupledWeightDecayExtension:
    """Mixin adding decoupled weight decay to an optimizer class: put it first among the
    bases (``class MyW(DecoupledWeightDecayExtension, MyOptimizer)``) and pass
    ``weight_decay`` first to the constructor."""

    def __init__(self, weight_decay, **kwargs):
        self._decay_var_list = None
        self._weight_decay = weight_decay
        self._weight_decay_tensor = None
        super().__init__(**kwargs)

    def minimize(
        self,
        loss,
        global_step=None,
        var_list=None,
        gate_gradients=Optimizer.GATE_OP,
        aggregation_method=None,
        colocate_gradients_with_ops=False,
        name=None,
        grad_loss=None,
        decay_var_list=None,
    ):
        self._decay_var_list = set(decay_var_list) if decay_var_list else False
        return super().minimize(
            loss,
            global_step=global_step,
            var_list=var_list,
            gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops,
            name=name,
            grad_loss=grad_loss,
        )

    def apply_gradients(self, grads_and_vars, global_step=None, name=None, decay_var_list=None):
        self._decay_var_list = set(decay_var_list) if decay_var_list else False
        return super().apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def _prepare(self):
        weight_decay = self._call_if_callable(self._weight_decay)
        self._weight_decay_tensor = convert_to_tensor(weight_decay, name="weight_decay")
        super()._prepare()

    def _decays(self, var) -> bool:
        return not self._decay_var_list or var in self._decay_var_list

    def _apply_dense(self, grad, var):
        if not self._decays(var):
            return super()._apply_dense(grad, var)
        decay = self._cast(self._weight_decay_tensor, var) * var
        with control_dependencies([var.assign_sub(decay, self._use_locking)]):
            return super()._apply_dense(grad, var)

    def _apply_sparse(self, grad, var):
        if not self._decays(var):
            return super()._apply_sparse(grad, var)
        rows = -self._cast(self._weight_decay_tensor, var) * gather(var, grad.indices)
        decay = scatter_ops.scatter_add(var, grad.indices, rows, self._use_locking)
        with control_dependencies([decay]):
            return super()._apply_sparse(grad, var)


def extend_with_decoupled_weight_decay(base_optimizer):
    """A subclass of ``base_optimizer`` with decoupled weight decay: its constructor takes
    ``weight_decay``, then the base's arguments by keyword (as TF 1.15's)."""

    class OptimizerWithDecoupledWeightDecay(DecoupledWeightDecayExtension, base_optimizer):
        """``base_optimizer`` with decoupled weight decay (arguments by keyword)."""

    return OptimizerWithDecoupledWeightDecay


class MomentumWOptimizer(DecoupledWeightDecayExtension, MomentumOptimizer):
    """Momentum with decoupled weight decay; slot ``momentum`` (``<var>/MomentumW``)."""

    def __init__(
        self,
        weight_decay,
        learning_rate,
        momentum,
        use_locking=False,
        name="MomentumW",
        use_nesterov=False,
    ):
        super().__init__(
            weight_decay,
            learning_rate=learning_rate,
            momentum=momentum,
            use_locking=use_locking,
            name=name,
            use_nesterov=use_nesterov,
        )


class AdamWOptimizer(DecoupledWeightDecayExtension, AdamOptimizer):
    """Adam with decoupled weight decay; slots ``m``/``v`` (``<var>/AdamW``,
    ``<var>/AdamW_1``)."""

    def __init__(
        self,
        weight_decay,
        learning_rate=0.001,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
        use_locking=False,
        name="AdamW",
    ):
        super().__init__(
            weight_decay,
            learning_rate=learning_rate,
            beta1=beta1,
            beta2=beta2,
            epsilon=epsilon,
            use_locking=use_locking,
            name=name,
        )


class LazyAdamOptimizer(AdamOptimizer):
    """Adam whose sparse updates change only the gradient's rows (of the variable and of
    ``m`` and ``v``); dense updates are ``AdamOptimizer``'s."""

    def _apply_sparse(self, grad, var):
        beta1_power, beta2_power = (self._cast(p, var) for p in self._get_beta_accumulators())
        lr_t, beta1_t, beta2_t, epsilon_t = (
            self._cast(t, var) for t in (self._lr_t, self._beta1_t, self._beta2_t, self._epsilon_t)
        )
        lr = lr_t * math_ops.sqrt(1 - beta2_power) / (1 - beta1_power)
        indices, values = grad.indices, grad.values
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_rows = beta1_t * gather(m, indices) + (1 - beta1_t) * values
        m_t = scatter_ops.scatter_update(m, indices, m_rows, use_locking=self._use_locking)
        v_rows = beta2_t * gather(v, indices) + (1 - beta2_t) * math_ops.square(values)
        v_t = scatter_ops.scatter_update(v, indices, v_rows, use_locking=self._use_locking)
        denominator = math_ops.sqrt(gather(v_t, indices)) + epsilon_t
        step = lr * gather(m_t, indices) / denominator
        var_update = scatter_ops.scatter_sub(var, indices, step, use_locking=self._use_locking)
        return control_flow_ops.group(var_update, m_t, v_t)


class NadamOptimizer(AdamOptimizer):
    """Adam with Nesterov momentum (Dozat, 2015), slots and ``beta1_power``/``beta2_power`` as
    ``AdamOptimizer``'s: a dense update is ``ApplyAdam`` with ``use_nesterov``; a sparse one
    decays ``m`` and ``v`` in every row, adds the gradient's rows, and moves only those rows
    of the variable, by the look-ahead moment ``(1 - beta1) * g + beta1 * m_t``."""

    def _apply_dense(self, grad, var):
        beta1_power, beta2_power = self._get_beta_accumulators()
        inputs = [
            var._ref(),
            self.get_slot(var, "m")._ref(),
            self.get_slot(var, "v")._ref(),
            *(self._cast(t, var) for t in (beta1_power, beta2_power, self._lr_t)),
            *(self._cast(t, var) for t in (self._beta1_t, self._beta2_t, self._epsilon_t)),
            grad,
        ]
        return apply_update("ApplyAdam", inputs, self._use_locking, use_nesterov=True).op

    def _apply_sparse(self, grad, var):
        beta1_power, beta2_power = (self._cast(p, var) for p in self._get_beta_accumulators())
        lr_t, beta1_t, beta2_t, epsilon_t = (
            self._cast(t, var) for t in (self._lr_t, self._beta1_t, self._beta2_t, self._epsilon_t)
        )
        lr = lr_t * math_ops.sqrt(1 - beta2_power) / (1 - beta1_power)
        values, indices = grad.values, grad.indices
        m = self.get_slot(var, "m")
        m_scaled = values * (1 - beta1_t)
        m_t = state_ops.assign(m, m * beta1_t, use_locking=self._use_locking)
        with control_dependencies([m_t]):
            m_t = _value(scatter_ops.scatter_add(m, indices, m_scaled, self._use_locking))
            m_bar = m_scaled + beta1_t * gather(m_t, indices)
        v = self.get_slot(var, "v")
        v_scaled = (values * values) * (1 - beta2_t)
        v_t = state_ops.assign(v, v * beta2_t, use_locking=self._use_locking)
        with control_dependencies([v_t]):
            v_t = _value(scatter_ops.scatter_add(v, indices, v_scaled, self._use_locking))
        v_sqrt = math_ops.sqrt(gather(v_t, indices))
        step = -lr * m_bar / (v_sqrt + epsilon_t)
        var_update = scatter_ops.scatter_add(var, indices, step, use_locking=self._use_locking)
        return control_flow_ops.group(var_update, m_bar, v_t)


class AdaMaxOptimizer(AdamOptimizer):
    """AdaMax (Kingma & Ba, section 7.1): slots ``m`` and ``v`` (``<var>/AdaMax``,
    ``<var>/AdaMax_1``) and one non-slot ``beta1_power``; a dense update is ``ApplyAdaMax``
    (``v`` the decayed infinity norm ``max(beta2 * v, |g|)``), a sparse one updates only the
    gradient's rows of ``m``, ``v`` and the variable."""

    def __init__(
        self,
        learning_rate=0.001,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
        use_locking=False,
        name="AdaMax",
    ):
        super().__init__(learning_rate, beta1, beta2, epsilon, use_locking, name)

    def _get_beta_accumulators(self):
        return self._get_non_slot_variable("beta1_power", graph=get_default_graph())

    def _create_slots(self, var_list):
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(self._beta1, "beta1_power", first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _apply_dense(self, grad, var):
        inputs = [
            var._ref(),
            self.get_slot(var, "m")._ref(),
            self.get_slot(var, "v")._ref(),
            *(self._cast(t, var) for t in (self._get_beta_accumulators(), self._lr_t)),
            *(self._cast(t, var) for t in (self._beta1_t, self._beta2_t, self._epsilon_t)),
            grad,
        ]
        return apply_update("ApplyAdaMax", inputs, self._use_locking).op

    def _apply_sparse(self, grad, var):
        beta1_power = self._cast(self._get_beta_accumulators(), var)
        lr_t, beta1_t, beta2_t, epsilon_t = (
            self._cast(t, var) for t in (self._lr_t, self._beta1_t, self._beta2_t, self._epsilon_t)
        )
        values, indices = grad.values, grad.indices
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_t_rows = gather(m, indices) * beta1_t + values * (1 - beta1_t)
        with control_dependencies([m_t_rows]):
            m_t = scatter_ops.scatter_update(m, indices, m_t_rows, use_locking=self._use_locking)
        v_t_rows = math_ops.maximum(gather(v, indices) * beta2_t, math_ops.abs(values))
        with control_dependencies([v_t_rows]):
            v_t = scatter_ops.scatter_update(v, indices, v_t_rows, use_locking=self._use_locking)
        var_rows = -lr_t / (1 - beta1_power) * (m_t_rows / (v_t_rows + epsilon_t))
        with control_dependencies([var_rows]):
            var_update = scatter_ops.scatter_add(var, indices, var_rows, self._use_locking)
        return control_flow_ops.group(var_update, m_t, v_t)

    def _finish(self, update_ops, name_scope):
        beta1_power = self._get_beta_accumulators()
        graph = get_default_graph()
        with graph.control_dependencies(update_ops), graph.colocate_with(beta1_power):
            update_beta1 = beta1_power.assign(
                beta1_power * self._beta1_t, use_locking=self._use_locking
            )
        return control_flow_ops.group(*update_ops, update_beta1, name=name_scope)


class MovingAverageOptimizer(Optimizer):
    """Wraps ``opt``: each step also updates an ``ExponentialMovingAverage`` of the trained
    variables (after the update with ``sequential_update``), grouped as ``train_with_avg``;
    ``swapping_saver()`` then saves each average under its variable's name and the variable
    under its average's, so code that restores the checkpoint gets the averages."""

    def __init__(self, opt, average_decay=0.9999, num_updates=None, sequential_update=True):
        super().__init__(False, "MovingAverage")
        self._optimizer = opt
        self._ema = ExponentialMovingAverage(average_decay, num_updates=num_updates)
        self._swapped_variable_name_map = None
        self._sequential_update = sequential_update

    def compute_gradients(self, *args, **kwargs):
        return self._optimizer.compute_gradients(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        grads_and_vars = list(grads_and_vars)
        train_op = self._optimizer.apply_gradients(
            grads_and_vars, global_step=global_step, name=name
        )
        var_list = [v for g, v in grads_and_vars if g is not None]
        self._swapped_variable_name_map = {}
        if self._sequential_update:
            with control_dependencies([train_op]):
                ma_op = self._ema.apply(var_list)
        else:
            ma_op = self._ema.apply(var_list)
        for v in var_list:
            average = self._ema.average(v)
            self._swapped_variable_name_map[v.op.name] = average.op.name
            self._swapped_variable_name_map[average.op.name] = v.op.name
        return control_flow_ops.group(train_op, ma_op, name="train_with_avg")

    def swapping_saver(self, var_list=None, name="swapping_saver", **kwargs):
        """A ``Saver`` of ``var_list`` (default: the global variables) with every trained
        variable and its moving average swapped.

        Raises:
            RuntimeError: before ``apply_gradients`` or ``minimize``.
            ValueError: ``var_list`` holds a variable but not its average (or the reverse).
        """
        if self._swapped_variable_name_map is None:
            raise RuntimeError(
                "Must call apply_gradients or minimize before creating the swapping_saver"
            )
        if var_list is None:
            var_list = global_variables()
        if not isinstance(var_list, dict):
            if any(isinstance(v, PartitionedVariable) for v in var_list):
                raise NotImplementedError(
                    "swapping_saver of partitioned variables is not supported; pass a var_list "
                    "dict naming each part, or average unpartitioned variables."
                )
            var_list = {v.op.name: v for v in var_list}
        swapped = {}
        for key, value in var_list.items():
            other = self._swapped_variable_name_map.get(key)
            if other is None:
                swapped[key] = value
            elif other in var_list:
                swapped[key] = var_list[other]
            else:
                raise ValueError(
                    f"Variable to swap {other} is not part of variables to save. This breaks "
                    "MovingAverageOptimizer."
                )
        return Saver(swapped, name=name, **kwargs)


__all__ = [
    "AdaMaxOptimizer",
    "AdamWOptimizer",
    "DecoupledWeightDecayExtension",
    "ExternalOptimizerInterface",
    "LazyAdamOptimizer",
    "MomentumWOptimizer",
    "MovingAverageOptimizer",
    "NadamOptimizer",
    "ScipyOptimizerInterface",
    "extend_with_decoupled_weight_decay",
]
