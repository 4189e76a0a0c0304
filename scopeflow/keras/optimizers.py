"""``tf.keras.optimizers``: Keras's optimizers (TF1.15's ``OptimizerV2``) with its variable
names, and ``TFOptimizer`` around a ``tf.train`` optimizer.

A Keras optimizer keeps its step count and hyperparameters in variables made when it first
updates, in the name scope it is called in (``Model.fit``: ``training/Adam/``): ``iter``
(int64), then its hyperparameters in name order (``beta_1``, ``beta_2``, ``decay``,
``learning_rate``), then its slots named ``<variable>/<slot>`` (``training/Adam/dense/kernel/m``,
all ``m`` before all ``v``). Its updates are TF's update ops (``ApplyAdam``,
``ApplyGradientDescent``, ``ApplyRMSProp``) under ``<name>/update_<variable>/`` with the
step count incremented after them (``<name>/group_deps``), so the numbers are those of TF's
Keras; a resource variable's are the ``Resource*`` twins (``ResourceApplyAdam``), as tf_keras
builds them. An ``IndexedSlices`` gradient (an embedding's) takes tf_keras's sparse path:
TF's sparse ops (``ResourceSparseApplyRMSProp``) or, where tf_keras composes one, its scatter
updates (``optimizer_rows.py``).

>>> import scopeflow as tf
>>> opt = tf.keras.optimizers.get("adam")
>>> type(opt).__name__, opt.get_config()["learning_rate"], opt.get_config()["epsilon"]
('Adam', 0.001, 1e-07)
"""

from __future__ import annotations

import types

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.keras import backend, custom_objects
from scopeflow.keras import learning_rate_schedule as schedules
from scopeflow.keras.optimizer_rows import (
    add_rows,
    decay_then_add_rows,
    rows_of,
    scatter_add_op,
    store_rows,
)
from scopeflow.keras.optimizer_v2 import Optimizer
from scopeflow.keras.optimizers_extra import Adadelta, Adagrad, Adamax, Ftrl, Nadam
from scopeflow.keras.serialization import deserialize_keras_object, serialize_keras_object
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.state import storage as state_ops
from scopeflow.ops.state.training import apply_update
from scopeflow.train.optimizer import Optimizer as TFTrainOptimizer


class SGD(Optimizer):
    """Gradient descent, with momentum (``momentum`` slots) and Nesterov's variant."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        if not 0 <= momentum <= 1:
            raise ValueError("`momentum` must be between [0, 1].")
        self._momentum = momentum > 0
        self._set_hyper("momentum", momentum)
        self.nesterov = nesterov

    def get_config(self) -> dict:
        return {**self._hyper_config(), "nesterov": self.nesterov}

    def _create_slots(self, var_list) -> None:
        if self._momentum:
            for var in var_list:
                self.add_slot(var, "momentum")

    def _prepare(self, var_dtype) -> dict:
        coefficients = super()._prepare(var_dtype)
        coefficients["momentum"] = self._hyper_t("momentum", var_dtype)
        return coefficients

    def _apply_dense(self, grad, var, c):
        lr = c["lr_t"]
        if not self._momentum:
            return apply_update("ApplyGradientDescent", [var._ref(), lr, grad]).op
        accum = self.get_slot(var, "momentum")
        if var._is_resource:  # TF's op (it has no reference-variable form)
            inputs = [var._ref(), accum._ref(), lr, grad, c["momentum"]]
            return apply_update("ApplyKerasMomentum", inputs, use_nesterov=self.nesterov).op
        accum_t = state_ops.assign(accum, accum * c["momentum"] - lr * grad)
        step = c["momentum"] * accum_t - lr * grad if self.nesterov else accum_t
        return state_ops.assign_add(var, step).op

    def _apply_sparse_duplicate_indices(self, values, indices, var, coefficients):
        if self._momentum:
            return super()._apply_sparse_duplicate_indices(values, indices, var, coefficients)
        # As tf_keras: repeated indices are not summed first (the scatter add sums them).
        return self._apply_sparse(values, indices, var, coefficients)

    def _apply_sparse(self, values, indices, var, c):
        # As TF's ResourceScatterAdd of -grad * lr, and ResourceSparseApplyKerasMomentum: only
        # the rows the gradient names change (their momentum too).
        lr = c["lr_t"]
        if not self._momentum:
            return scatter_add_op(var, indices, -values * lr)
        accum = self.get_slot(var, "momentum")
        if var._is_resource:
            inputs = [var._ref(), accum._ref(), lr, values, indices, c["momentum"]]
            return apply_update("SparseApplyKerasMomentum", inputs, use_nesterov=self.nesterov).op
        accum_rows = rows_of(accum, indices) * c["momentum"] - lr * values
        stored = store_rows(accum, indices, accum_rows)
        step = c["momentum"] * accum_rows - lr * values if self.nesterov else accum_rows
        with control_dependencies([stored]):
            return add_rows(var, indices, step)


class Adam(Optimizer):
    """Adam (Kingma and Ba): slots ``m`` and ``v`` (and ``vhat``, the running maximum of
    ``v``, with ``amsgrad``); ``epsilon`` 1e-7 as Keras's."""

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        name="Adam",
        **kwargs,
    ):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("beta_1", beta_1)
        self._set_hyper("beta_2", beta_2)
        self.epsilon = epsilon or backend.epsilon()
        self.amsgrad = amsgrad

    def get_config(self) -> dict:
        return {**self._hyper_config(), "epsilon": self.epsilon, "amsgrad": self.amsgrad}

    def _create_slots(self, var_list) -> None:
        for name in ("m", "v", "vhat") if self.amsgrad else ("m", "v"):
            for var in var_list:
                self.add_slot(var, name)

    def _prepare(self, var_dtype) -> dict:
        coefficients = super()._prepare(var_dtype)
        local_step = cast(self.iterations + 1, var_dtype)
        beta_1_t = self._hyper_t("beta_1", var_dtype)
        beta_2_t = self._hyper_t("beta_2", var_dtype)
        beta_1_power = math_ops.pow(beta_1_t, local_step)
        beta_2_power = math_ops.pow(beta_2_t, local_step)
        scale = math_ops.sqrt(1.0 - beta_2_power) / (1.0 - beta_1_power)
        coefficients.update(  # TF's, built once for every variable's update
            lr=coefficients["lr_t"] * scale,
            epsilon=convert_to_tensor(self.epsilon, var_dtype),
            beta_1_t=beta_1_t,
            beta_1_power=beta_1_power,
            one_minus_beta_1_t=1.0 - beta_1_t,
            beta_2_t=beta_2_t,
            beta_2_power=beta_2_power,
            one_minus_beta_2_t=1.0 - beta_2_t,
        )
        return coefficients

    def _apply_dense(self, grad, var, c):
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        refs = [var._ref(), m._ref(), v._ref()]
        hyper = [c["beta_1_power"], c["beta_2_power"], c["lr_t"], c["beta_1_t"], c["beta_2_t"]]
        if not self.amsgrad:
            return apply_update("ApplyAdam", [*refs, *hyper, c["epsilon"], grad]).op
        vhat = self.get_slot(var, "vhat")
        if var._is_resource:  # TF's op (it has no reference-variable form)
            inputs = [*refs, vhat._ref(), *hyper, c["epsilon"], grad]
            return apply_update("ApplyAdamWithAmsgrad", inputs).op
        m_t = state_ops.assign(m, c["beta_1_t"] * m + c["one_minus_beta_1_t"] * grad)
        v_t = state_ops.assign(v, c["beta_2_t"] * v + c["one_minus_beta_2_t"] * grad * grad)
        vhat_t = state_ops.assign(vhat, math_ops.maximum(vhat, v_t))
        step = c["lr"] * m_t / (math_ops.sqrt(vhat_t) + c["epsilon"])
        return state_ops.assign_sub(var, step).op

    def _apply_sparse(self, values, indices, var, c):
        # As tf_keras: m and v decay on every row and take the gradient's rows by scatter
        # adds; the whole variable moves by lr * m / (sqrt(v) + epsilon) (with amsgrad, by
        # the running maximum vhat of v).
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_t = decay_then_add_rows(m, c["beta_1_t"], indices, values * c["one_minus_beta_1_t"])
        v_scaled = (values * values) * c["one_minus_beta_2_t"]
        v_t = decay_then_add_rows(v, c["beta_2_t"], indices, v_scaled)
        if not self.amsgrad:
            step = c["lr"] * m_t / (math_ops.sqrt(v_t) + c["epsilon"])
            return group(state_ops.assign_sub(var, step), m_t, v_t)
        vhat = self.get_slot(var, "vhat")
        vhat_t = math_ops.maximum(vhat, v_t)
        with control_dependencies([vhat_t]):
            vhat_t = state_ops.assign(vhat, vhat_t)
        step = c["lr"] * m_t / (math_ops.sqrt(vhat_t) + c["epsilon"])
        return group(state_ops.assign_sub(var, step), m_t, v_t, vhat_t)


class RMSprop(Optimizer):
    """RMSprop: slot ``rms`` (and ``momentum``, and ``mg`` when ``centered``)."""

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
        name="RMSprop",
        **kwargs,
    ):
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("rho", rho)
        self._momentum = momentum > 0
        self._set_hyper("momentum", momentum)
        self.epsilon = epsilon or backend.epsilon()
        self.centered = centered

    def get_config(self) -> dict:
        return {**self._hyper_config(), "epsilon": self.epsilon, "centered": self.centered}

    def _create_slots(self, var_list) -> None:
        for var in var_list:
            self.add_slot(var, "rms")
        if self._momentum:
            for var in var_list:
                self.add_slot(var, "momentum")
        if self.centered:
            for var in var_list:
                self.add_slot(var, "mg")

    def _prepare(self, var_dtype) -> dict:
        coefficients = super()._prepare(var_dtype)
        rho = self._hyper_t("rho", var_dtype)
        coefficients.update(  # TF's, built once for every variable's update
            neg_lr_t=-coefficients["lr_t"],
            epsilon=convert_to_tensor(self.epsilon, var_dtype),
            rho=rho,
            momentum=self._hyper_t("momentum", var_dtype),
            one_minus_rho=1.0 - rho,
        )
        return coefficients

    def _apply_dense(self, grad, var, c):
        rms = self.get_slot(var, "rms")
        if self._momentum:
            return self._apply_op("ApplyRMSProp", var, [grad], c)
        rms_t = state_ops.assign(rms, c["rho"] * rms + c["one_minus_rho"] * math_ops.square(grad))
        denominator = rms_t
        if self.centered:
            mg = self.get_slot(var, "mg")
            mg_t = state_ops.assign(mg, c["rho"] * mg + c["one_minus_rho"] * grad)
            denominator = rms_t - math_ops.square(mg_t)
        step = c["lr_t"] * grad / (math_ops.sqrt(denominator) + c["epsilon"])
        return state_ops.assign(var, var - step).op

    def _apply_sparse(self, values, indices, var, c):
        # As tf_keras: with momentum TF's sparse ops (the named rows only); without, rms (and
        # mg) decay on every row and take the rows by scatter adds, and the named rows move.
        if self._momentum:
            return self._apply_op("SparseApplyRMSProp", var, [values, indices], c)
        rms = self.get_slot(var, "rms")
        rms_scaled = (values * values) * c["one_minus_rho"]
        rms_t = decay_then_add_rows(rms, c["rho"], indices, rms_scaled)
        denominator = gather(rms_t, indices)
        slots_t = [rms_t]
        if self.centered:
            mg = self.get_slot(var, "mg")
            mg_t = decay_then_add_rows(mg, c["rho"], indices, values * c["one_minus_rho"])
            denominator = denominator - math_ops.square(gather(mg_t, indices))
            slots_t.append(mg_t)
        step = c["neg_lr_t"] * values / (math_ops.sqrt(denominator) + c["epsilon"])
        return group(add_rows(var, indices, step), *slots_t)

    def _apply_op(self, op_type: str, var, grad_inputs: list, c):
        """TF's (Sparse)ApplyRMSProp, or its centered form, with momentum."""
        refs = [var._ref(), self.get_slot(var, "rms")._ref(), self.get_slot(var, "momentum")._ref()]
        if self.centered:
            op_type = op_type.replace("RMSProp", "CenteredRMSProp")
            refs.insert(1, self.get_slot(var, "mg")._ref())
        inputs = [*refs, c["lr_t"], c["rho"], c["momentum"], c["epsilon"], *grad_inputs]
        return apply_update(op_type, inputs).op


class TFOptimizer(Optimizer):
    """A ``tf.train`` optimizer used by ``Model.compile``: its own variables and update ops
    (``dense/kernel/Adam``, ``beta1_power``), and ``TFOptimizer/iterations`` counting steps."""

    def __init__(self, optimizer: TFTrainOptimizer, iterations=None):
        super().__init__("TFOptimizer")
        self.optimizer = optimizer
        if iterations is None:
            with name_scope(type(self).__name__):
                iterations = self._add_weight("iterations", 0, dtypes.int64)
        self._iterations = iterations

    def get_config(self) -> dict:
        return {"name": "TFOptimizer", "optimizer": type(self.optimizer).__name__}

    def apply_gradients(self, grads_and_vars, name=None):
        return self.optimizer.apply_gradients(grads_and_vars, global_step=self.iterations)

    def get_updates(self, loss, params) -> list:
        grads_and_vars = self.optimizer.compute_gradients(loss, params)
        return [self.optimizer.apply_gradients(grads_and_vars, global_step=self.iterations)]

    @property
    def weights(self) -> list:
        return [self._iterations, *self.optimizer.variables()]


_CLASSES = (SGD, Adam, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Ftrl)
_BY_NAME = {cls.__name__.lower(): cls for cls in _CLASSES}


def serialize(optimizer) -> dict:
    """``{"class_name": "Adam", "config": {...}}`` of a Keras optimizer."""
    return serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    """The optimizer a ``serialize`` dictionary describes (class names in any case)."""
    classes = {**{cls.__name__: cls for cls in _CLASSES}, **_BY_NAME}
    return deserialize_keras_object(
        config,
        module_objects=classes,
        custom_objects=custom_objects,
        printable_module_name="optimizer",
    )


def get(identifier):
    """A Keras optimizer: ``identifier`` itself, a new one for a name (``"adam"``, any case),
    or a ``TFOptimizer`` around a ``tf.train`` optimizer."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, TFTrainOptimizer):
        return TFOptimizer(identifier)
    if isinstance(identifier, str):
        key = identifier.lower()
        if key in _BY_NAME:
            return _BY_NAME[key]()
        raise custom_objects.unknown("optimizer", identifier)
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")


# tf.keras.optimizers.legacy: TF2.11+ Keras's name for these OptimizerV2 classes (in graph
# mode tf_keras's tf.keras.optimizers.Adam is legacy.Adam itself).
legacy = types.SimpleNamespace(
    Optimizer=Optimizer,
    SGD=SGD,
    Adam=Adam,
    RMSprop=RMSprop,
    Adagrad=Adagrad,
    Adadelta=Adadelta,
    Adamax=Adamax,
    Nadam=Nadam,
    Ftrl=Ftrl,
)

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "Adamax",
    "Ftrl",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "TFOptimizer",
    "deserialize",
    "get",
    "legacy",
    "schedules",
    "serialize",
]
