"""``tf.keras.optimizers.Adagrad``, ``Adadelta``, ``Adamax``, ``Nadam`` and ``Ftrl`` (and
their ``tf.keras.optimizers.legacy`` names): TF's Keras ``OptimizerV2`` optimizers with its
slot names (``w/accumulator``, ``w/accum_grad`` and ``w/accum_var``, ``w/m`` and ``w/v``,
``w/linear``), hyperparameter variables and ``Nadam``'s ``momentum_cache``.

``Adagrad``, ``Adadelta``, ``Adamax`` and ``Ftrl`` build TF's update ops (``ApplyAdagradV2``,
``ApplyAdadelta``, ``ApplyAdaMax``, ``ApplyFtrl``/``ApplyFtrlV2``, the ``Resource*`` twins on
resource variables, and the ``Sparse`` forms for an ``IndexedSlices`` gradient); ``Nadam``'s
updates are assignments, as TF's. Adamax's and Nadam's sparse paths are tf_keras's scatter
updates (``optimizer_rows.py``).

>>> import scopeflow as tf
>>> opt = tf.keras.optimizers.get("adagrad")
>>> type(opt).__name__, opt.get_config()["initial_accumulator_value"]
('Adagrad', 0.1)
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.keras import backend
from scopeflow.keras import learning_rate_schedule as schedules
from scopeflow.keras.optimizer_rows import add_rows, decay_then_add_rows, rows_of, store_rows
from scopeflow.keras.optimizer_v2 import Optimizer
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.state import storage as state_ops
from scopeflow.ops.state.training import apply_update
from scopeflow.variables.variables import Variable


def _filled_slot(optimizer, var, slot_name: str, value: float):
    """A slot of ``var`` filled with ``value`` (made once), as Keras's ``add_slot`` with a
    constant initializer."""
    key = (slot_name, var.op.name)
    if key not in optimizer._slots:
        dims, dtype = var.shape.as_list(), var.dtype.base_dtype
        slot = Variable(
            lambda: constant(np.full(dims, value, dtype=dtype.as_numpy_dtype)),  # TF's "Const"
            name=f"{var.op.name}/{slot_name}",
            trainable=False,
            use_resource=var._is_resource,  # a resource variable's update needs its kind
        )
        optimizer._weights.append(slot)
        optimizer._slots[key] = slot
    return optimizer._slots[key]


def _const(value, dtype):
    return convert_to_tensor(value, dtype)


class Adagrad(Optimizer):
    """Adagrad: ``accumulator += g**2``; ``w -= lr * g / (sqrt(accumulator) + epsilon)``."""

    def __init__(
        self,
        learning_rate=0.001,
        initial_accumulator_value=0.1,
        epsilon=1e-7,
        name="Adagrad",
        **kwargs,
    ):
        if initial_accumulator_value < 0.0:
            raise ValueError(
                f"initial_accumulator_value must be non-negative: {initial_accumulator_value}"
            )
        if epsilon is None:
            epsilon = backend.epsilon()
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def get_config(self) -> dict:
        return {
            **self._hyper_config(),
            "initial_accumulator_value": self._initial_accumulator_value,
            "epsilon": self.epsilon,
        }

    def _create_slots(self, var_list) -> None:
        for var in var_list:
            _filled_slot(self, var, "accumulator", self._initial_accumulator_value)

    def _prepare(self, var_dtype) -> dict:
        coefficients = super()._prepare(var_dtype)
        coefficients.update(  # TF's (neg_lr_t and zero unused by its ops, as in TF's)
            epsilon=_const(self.epsilon, var_dtype),
            neg_lr_t=-coefficients["lr_t"],
            zero=array_ops.zeros([], dtype=dtypes.int64),
        )
        return coefficients

    def _apply_dense(self, grad, var, c):
        return self._apply_op("ApplyAdagradV2", var, [grad], c)

    def _apply_sparse(self, values, indices, var, c):
        # TF's ResourceSparseApplyAdagradV2: rows the gradient does not name keep their values.
        return self._apply_op("SparseApplyAdagradV2", var, [values, indices], c)

    def _apply_op(self, op_type: str, var, grad_inputs: list, c):
        accum = self.get_slot(var, "accumulator")
        inputs = [var._ref(), accum._ref(), c["lr_t"], c["epsilon"], *grad_inputs]
        return apply_update(op_type, inputs).op


class Adadelta(Optimizer):
    """Adadelta (Zeiler): running averages of squared gradients (``accum_grad``) and of
    squared updates (``accum_var``), ``ApplyAdadelta``."""

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name="Adadelta", **kwargs):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("rho", rho)
        self.epsilon = epsilon or backend.epsilon()

    def get_config(self) -> dict:
        return {**self._hyper_config(), "epsilon": self.epsilon}

    def _create_slots(self, var_list) -> None:
        for var in var_list:
            self.add_slot(var, "accum_grad")
        for var in var_list:
            self.add_slot(var, "accum_var")

    def _prepare(self, var_dtype) -> dict:
        coefficients = super()._prepare(var_dtype)
        rho = self._hyper_t("rho", var_dtype)
        coefficients.update(epsilon=_const(self.epsilon, var_dtype), rho=rho)
        return coefficients

    def _apply_dense(self, grad, var, c):
        return self._apply_op("ApplyAdadelta", var, [grad], c)

    def _apply_sparse(self, values, indices, var, c):
        # TF's ResourceSparseApplyAdadelta: rows the gradient does not name keep their values.
        return self._apply_op("SparseApplyAdadelta", var, [values, indices], c)

    def _apply_op(self, op_type: str, var, grad_inputs: list, c):
        accum, update = self.get_slot(var, "accum_grad"), self.get_slot(var, "accum_var")
        inputs = [var._ref(), accum._ref(), update._ref(), c["lr_t"], c["rho"], c["epsilon"]]
        return apply_update(op_type, [*inputs, *grad_inputs]).op


class Adamax(Optimizer):
    """Adamax (Kingma and Ba): ``m`` the running mean of gradients, ``v`` the running
    maximum of their magnitudes; ``w -= lr / (1 - beta_1**t) * m / (v + epsilon)``."""

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="Adamax", **kwargs
    ):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("beta_1", beta_1)
        self._set_hyper("beta_2", beta_2)
        self.epsilon = epsilon or backend.epsilon()

    def get_config(self) -> dict:
        return {**self._hyper_config(), "epsilon": self.epsilon}

    def _create_slots(self, var_list) -> None:
        for var in var_list:
            self.add_slot(var, "m")
        for var in var_list:
            self.add_slot(var, "v")

    def _prepare(self, var_dtype) -> dict:
        coefficients = super()._prepare(var_dtype)
        local_step = cast(self.iterations + 1, var_dtype)
        beta_1 = self._hyper_t("beta_1", var_dtype)
        beta_1_power = math_ops.pow(beta_1, local_step)
        lr_t = coefficients["lr_t"]
        coefficients.update(
            beta_1_t=beta_1,
            beta_2_t=self._hyper_t("beta_2", var_dtype),
            beta_1_power=beta_1_power,
            neg_scaled_lr=-lr_t / (1.0 - beta_1_power),
            epsilon=_const(self.epsilon, var_dtype),
            one_minus_beta_1_t=1.0 - beta_1,
            zero=array_ops.zeros([], dtype=dtypes.int64),  # TF's, unused as in TF
        )
        return coefficients

    def _apply_dense(self, grad, var, c):
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        inputs = [var._ref(), m._ref(), v._ref(), c["beta_1_power"], c["lr_t"], c["beta_1_t"]]
        inputs += [c["beta_2_t"], c["epsilon"], grad]
        return apply_update("ApplyAdaMax", inputs).op

    def _apply_sparse(self, values, indices, var, c):
        # As tf_keras: the named rows of m, v and the variable only (scatter updates of the
        # rows' new m and v, a scatter add of the rows' step).
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_rows = rows_of(m, indices) * c["beta_1_t"] + values * c["one_minus_beta_1_t"]
        with control_dependencies([m_rows]):
            m_t = store_rows(m, indices, m_rows)
        v_rows = math_ops.maximum(rows_of(v, indices) * c["beta_2_t"], math_ops.abs(values))
        with control_dependencies([v_rows]):
            v_t = store_rows(v, indices, v_rows)
        step = c["neg_scaled_lr"] * (m_rows / (v_rows + c["epsilon"]))
        with control_dependencies([step]):
            var_t = add_rows(var, indices, step)
        return group(var_t, m_t, v_t)


class Nadam(Optimizer):
    """Adam with Nesterov momentum (Dozat), with Keras's momentum schedule
    ``beta_1 * (1 - 0.5 * 0.96**(0.004 t))`` whose running product is ``momentum_cache``."""

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="Nadam", **kwargs
    ):
        kwargs["decay"] = kwargs.pop("schedule_decay", 0.004)
        learning_rate = kwargs.get("lr", learning_rate)
        if isinstance(learning_rate, schedules.LearningRateSchedule):
            raise ValueError(
                "The Nadam optimizer does not support tf.keras.optimizers.LearningRateSchedules "
                "as the learning rate."
            )
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", learning_rate)
        self._set_hyper("beta_1", beta_1)
        self._set_hyper("beta_2", beta_2)
        self.epsilon = epsilon or backend.epsilon()
        self._m_cache = None

    def get_config(self) -> dict:
        return {**self._hyper_config(), "epsilon": self.epsilon}

    def _create_slots(self, var_list) -> None:
        if self._m_cache is None:
            self._m_cache = self._add_weight("momentum_cache", 1.0, dtypes.float32)
        for var in var_list:
            self.add_slot(var, "m")
        for var in var_list:
            self.add_slot(var, "v")

    def _prepare_shared(self) -> None:
        self._m_cache_read = array_ops.identity(self._m_cache)  # read once for every dtype

    def _prepare(self, var_dtype) -> dict:
        lr_t = self._hyper_t("learning_rate", var_dtype)
        beta_1 = self._hyper_t("beta_1", var_dtype)
        beta_2 = self._hyper_t("beta_2", var_dtype)
        local_step = cast(self.iterations + 1, var_dtype)
        next_step = cast(self.iterations + 2, var_dtype)
        base = _const(0.96, var_dtype)
        m_t = beta_1 * (1.0 - 0.5 * math_ops.pow(base, self._initial_decay * local_step))
        m_t_1 = beta_1 * (1.0 - 0.5 * math_ops.pow(base, self._initial_decay * next_step))
        schedule_new = cast(self._m_cache_read, var_dtype) * m_t
        if var_dtype == self._m_cache.dtype.base_dtype:  # as TF: only float32 updates it
            schedule_new = array_ops.identity(state_ops.assign(self._m_cache, schedule_new))
        schedule_next = schedule_new * m_t_1
        return {  # TF's coefficients, each built once for every variable's update
            "lr_t": lr_t,
            "neg_lr_t": -lr_t,
            "epsilon": _const(self.epsilon, var_dtype),
            "beta_1_t": beta_1,
            "beta_2_t": beta_2,
            "m_t": m_t,
            "m_t_1": m_t_1,
            "one_minus_beta_1_t": 1.0 - beta_1,
            "one_minus_beta_2_t": 1.0 - beta_2,
            "one_minus_m_t": 1.0 - m_t,
            "one_minus_m_schedule_new": 1.0 - schedule_new,
            "one_minus_m_schedule_next": 1.0 - schedule_next,
            "v_t_prime_denominator": 1.0 - math_ops.pow(beta_2, local_step),
        }

    def _apply_dense(self, grad, var, c):
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        g_prime = grad / c["one_minus_m_schedule_new"]
        m_t = state_ops.assign(m, c["beta_1_t"] * m + c["one_minus_beta_1_t"] * grad)
        m_t_prime = m_t / c["one_minus_m_schedule_next"]
        v_t = c["beta_2_t"] * v + c["one_minus_beta_2_t"] * math_ops.square(grad)
        v_t_prime = state_ops.assign(v, v_t) / c["v_t_prime_denominator"]
        m_t_bar = c["one_minus_m_t"] * g_prime + c["m_t_1"] * m_t_prime
        step = c["lr_t"] * m_t_bar / (math_ops.sqrt(v_t_prime) + c["epsilon"])
        return state_ops.assign(var, var - step).op

    def _apply_sparse(self, values, indices, var, c):
        # As tf_keras: m and v decay on every row and take the gradient's rows by scatter
        # adds; only the variable's named rows move (by the rows' m_t_bar).
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        g_prime = values / c["one_minus_m_schedule_new"]
        m_scaled = values * c["one_minus_beta_1_t"]
        m_t = decay_then_add_rows(m, c["beta_1_t"], indices, m_scaled)
        m_t_prime = gather(m_t, indices) / c["one_minus_m_schedule_next"]
        m_t_bar = c["one_minus_m_t"] * g_prime + c["m_t_1"] * m_t_prime
        v_scaled = (values * values) * c["one_minus_beta_2_t"]
        v_t = decay_then_add_rows(v, c["beta_2_t"], indices, v_scaled)
        v_t_prime = gather(v_t, indices) / c["v_t_prime_denominator"]
        denominator = math_ops.sqrt(v_t_prime) + c["epsilon"]
        var_t = add_rows(var, indices, c["neg_lr_t"] * m_t_bar / denominator)
        return group(var_t, m_t_bar, v_t)


class Ftrl(Optimizer):
    """FTRL-Proximal (McMahan et al.): slots ``accumulator`` and ``linear``; ``ApplyFtrl``
    (``ApplyFtrlV2`` with ``l2_shrinkage_regularization_strength``), ``beta`` folded into
    the L2 strength as ``l2 + beta / (2 lr)``."""

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        name="Ftrl",
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
        **kwargs,
    ):
        super().__init__(name, **kwargs)
        checks = [
            ("initial_accumulator_value", initial_accumulator_value, "positive or zero", 1),
            ("learning_rate_power", learning_rate_power, "negative or zero", -1),
            ("l1_regularization_strength", l1_regularization_strength, "positive or zero", 1),
            ("l2_regularization_strength", l2_regularization_strength, "positive or zero", 1),
            (
                "l2_shrinkage_regularization_strength",
                l2_shrinkage_regularization_strength,
                "positive or zero",
                1,
            ),
        ]
        for arg, value, wanted, sign in checks:
            if value * sign < 0.0:
                raise ValueError(f"`{arg}` needs to be {wanted}. Received: {arg}={value}.")
        self._set_hyper("learning_rate", learning_rate)
        self._set_hyper("learning_rate_power", learning_rate_power)
        self._set_hyper("l1_regularization_strength", l1_regularization_strength)
        self._set_hyper("l2_regularization_strength", l2_regularization_strength)
        self._set_hyper("beta", beta)
        self._initial_accumulator_value = initial_accumulator_value
        self._l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength

    def get_config(self) -> dict:
        config = self._hyper_config()
        clipping = [k for k in ("clipnorm", "clipvalue", "global_clipnorm") if k in config]
        order = ["name", *clipping, "learning_rate", "decay", "initial_accumulator_value"]
        order += ["learning_rate_power", "l1_regularization_strength"]
        order += ["l2_regularization_strength", "beta", "l2_shrinkage_regularization_strength"]
        config["initial_accumulator_value"] = self._initial_accumulator_value
        config["l2_shrinkage_regularization_strength"] = self._l2_shrinkage_regularization_strength
        return {key: config[key] for key in order}

    def _create_slots(self, var_list) -> None:
        for var in var_list:
            _filled_slot(self, var, "accumulator", self._initial_accumulator_value)
            self.add_slot(var, "linear")

    def _apply_dense(self, grad, var, c):
        return self._ftrl(var, [grad], c, "ApplyFtrl")

    def _apply_sparse(self, values, indices, var, c):
        # TF's ResourceSparseApplyFtrl(V2): rows the gradient does not name keep their values.
        return self._ftrl(var, [values, indices], c, "SparseApplyFtrl")

    def _prepare(self, var_dtype) -> dict:
        coefficients = super()._prepare(var_dtype)
        for name in ("learning_rate_power", "l1_regularization_strength"):
            coefficients[name] = self._hyper_t(name, var_dtype)
        for name in ("l2_regularization_strength", "beta"):
            coefficients[name] = self._hyper_t(name, var_dtype)
        shrinkage = self._l2_shrinkage_regularization_strength
        coefficients["l2_shrinkage"] = _const(shrinkage, var_dtype)
        return coefficients

    def _ftrl(self, var, grad_inputs: list, c, op_type: str):
        lr = c["lr_t"]
        l2 = c["l2_regularization_strength"] + c["beta"] / (2.0 * lr)
        accum, linear = self.get_slot(var, "accumulator"), self.get_slot(var, "linear")
        inputs = [var._ref(), accum._ref(), linear._ref(), *grad_inputs, lr]
        inputs += [c["l1_regularization_strength"], l2]
        if self._l2_shrinkage_regularization_strength <= 0.0:
            return apply_update(op_type, [*inputs, c["learning_rate_power"]]).op
        inputs += [c["l2_shrinkage"], c["learning_rate_power"]]
        return apply_update(op_type + "V2", inputs).op


__all__ = ["Adadelta", "Adagrad", "Adamax", "Ftrl", "Nadam"]
