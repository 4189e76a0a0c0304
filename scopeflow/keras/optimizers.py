"""``tf.keras.optimizers``: Keras's optimizers (TF1.15's ``OptimizerV2``) with its variable
names, and ``TFOptimizer`` around a ``tf.train`` optimizer.

A Keras optimizer keeps its step count and hyperparameters in variables made when it first
updates, in the name scope it is called in (``Model.fit``: ``training/Adam/``): ``iter``
(int64), then its hyperparameters in name order (``beta_1``, ``beta_2``, ``decay``,
``learning_rate``), then its slots named ``<variable>/<slot>`` (``training/Adam/dense/kernel/m``,
all ``m`` before all ``v``). Its updates are TF's update ops (``ApplyAdam``,
``ApplyGradientDescent``, ``ApplyRMSProp``) under ``<name>/update_<variable>/`` with the
step count incremented after them, so the numbers are those of TF1.15's Keras. scopeflow's
variables are reference variables: where TF's Keras builds ``ResourceApplyAdam``, this builds
``ApplyAdam``.

>>> import scopeflow as tf
>>> opt = tf.keras.optimizers.get("adam")
>>> type(opt).__name__, opt.get_config()["learning_rate"], opt.get_config()["epsilon"]
('Adam', 0.001, 1e-07)
"""

from __future__ import annotations

import types

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.gradients import gradients
from scopeflow.keras import backend
from scopeflow.keras import learning_rate_schedule as schedules
from scopeflow.keras.serialization import deserialize_keras_object, serialize_keras_object
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.state import storage as state_ops
from scopeflow.ops.state.training import apply_update
from scopeflow.train.optimizer import Optimizer as TFTrainOptimizer
from scopeflow.variables.variables import Variable


class Optimizer:
    """The base of Keras's optimizers: subclasses set their hyperparameters
    (``_set_hyper``), make their slots (``_create_slots``) and update one variable
    (``_apply_dense``)."""

    def __init__(self, name: str, **kwargs):
        allowed = {"clipnorm", "clipvalue", "lr", "decay"}
        for key in kwargs:
            if key not in allowed:
                raise TypeError(f"Unexpected keyword argument passed to optimizer: {key}")
        if kwargs.get("clipnorm") is not None or kwargs.get("clipvalue") is not None:
            raise NotImplementedError(
                "Keras optimizers' clipnorm/clipvalue are not supported; clip the gradients "
                "with tf.clip_by_norm and use a tf.train optimizer's apply_gradients."
            )
        self._name = name
        self._hyper: dict = {}
        self._hyper_variables: dict = {}
        self._slots: dict = {}
        self._weights: list = []
        self._iterations = None
        self._initial_decay = float(kwargs.get("decay", 0.0))
        self._set_hyper("decay", self._initial_decay)

    def _set_hyper(self, name: str, value) -> None:
        self._hyper[name] = value

    def _get_hyper(self, name: str, dtype=None):
        value = array_ops.identity(self._hyper_variables[name])
        return value if dtype is None else cast(value, dtype)

    @property
    def lr(self):
        """The learning rate: its variable once the optimizer has made it, else the value
        (or the schedule it was given)."""
        variable = self._hyper_variables.get("learning_rate")
        return self._hyper["learning_rate"] if variable is None else variable

    learning_rate = lr

    @property
    def iterations(self):
        """The int64 step count ``iter`` (made on first use)."""
        if self._iterations is None:
            self._iterations = self._add_weight("iter", 0, dtypes.int64)
        return self._iterations

    def _add_weight(self, name: str, value, dtype):
        variable = Variable(
            lambda: np.asarray(value, dtype=dtype.as_numpy_dtype), name=name, trainable=False
        )
        self._weights.append(variable)
        return variable

    def add_slot(self, var, slot_name: str):
        """The slot ``slot_name`` of ``var`` (zeros like it), made once."""
        key = (slot_name, var.op.name)
        if key not in self._slots:
            dims = var.shape.as_list()
            dtype = var.dtype.base_dtype
            slot = Variable(
                lambda: np.zeros(dims, dtype=dtype.as_numpy_dtype),
                name=f"{var.op.name}/{slot_name}",
                trainable=False,
            )
            self._weights.append(slot)
            self._slots[key] = slot
        return self._slots[key]

    def get_slot(self, var, slot_name: str):
        """The slot ``slot_name`` of ``var``."""
        return self._slots[(slot_name, var.op.name)]

    def get_slot_names(self) -> list[str]:
        """The names of the slots this optimizer makes."""
        return sorted({name for name, _ in self._slots})

    @property
    def weights(self) -> list:
        """Its variables: ``iter``, the hyperparameters, the slots."""
        return list(self._weights)

    def variables(self) -> list:
        return self.weights

    def get_config(self) -> dict:
        """Its name and hyperparameters (``learning_rate`` and ``decay`` first, as TF)."""
        hyper = {k: _serialize_hyper(v) for k, v in self._hyper.items()}
        first = {k: hyper[k] for k in ("learning_rate", "decay") if k in hyper}
        return {"name": self._name, **first, **hyper}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """The optimizer ``get_config`` described (a schedule's config made a schedule)."""
        config = dict(config)
        for key in ("learning_rate", "lr"):
            if isinstance(config.get(key), dict):
                config[key] = schedules.deserialize(config[key], custom_objects=custom_objects)
        return cls(**config)

    def get_gradients(self, loss, params) -> list:
        """``tf.gradients`` of ``loss`` for ``params``, densified."""
        grads = gradients(loss, params)
        missing = [p.name for p, g in zip(params, grads, strict=True) if g is None]
        if missing:
            raise ValueError(
                f"An operation has `None` for gradient: variables {missing} do not affect the "
                "loss. Please make sure that all of your ops have a gradient defined (i.e. are "
                "differentiable)."
            )
        return [convert_to_tensor(g) for g in grads]

    def get_updates(self, loss, params) -> list:
        """The update op training ``params`` to lower ``loss``: gradients under
        ``<name>/gradients/``, then ``apply_gradients``."""
        with name_scope(f"{self._name}/gradients"):
            grads = self.get_gradients(loss, params)
        return [self.apply_gradients(list(zip(grads, params, strict=True)))]

    def _create_all_weights(self, var_list) -> None:
        _ = self.iterations
        for name in sorted(self._hyper):
            value = self._hyper[name]
            if name not in self._hyper_variables and not callable(value):
                self._hyper_variables[name] = self._add_weight(name, value, dtypes.float32)
        self._create_slots(var_list)

    def apply_gradients(self, grads_and_vars, name=None):
        """Updates each variable by its gradient, then adds one to ``iter``."""
        grads_and_vars = [(g, v) for g, v in grads_and_vars if g is not None]
        var_list = [v for _, v in grads_and_vars]
        with name_scope(self._name):
            self._create_all_weights(var_list)
            coefficients = self._prepare()
            with name_scope(name or self._name):
                updates = []
                for grad, var in grads_and_vars:
                    with name_scope(f"update_{var.op.name}"):
                        grad = convert_to_tensor(grad)
                        updates.append(self._apply_dense(grad, var, coefficients))
                with control_dependencies(updates):
                    return state_ops.assign_add(self.iterations, np.int64(1)).op

    def _decayed_lr(self, dtype):
        schedule = self._hyper["learning_rate"]
        if isinstance(schedule, schedules.LearningRateSchedule):
            lr_t = cast(schedule(cast(self.iterations, dtype)), dtype)
        else:
            lr_t = self._get_hyper("learning_rate", dtype)
        if self._initial_decay > 0.0:
            local_step = cast(self.iterations, dtype)
            lr_t = lr_t / (1.0 + self._get_hyper("decay", dtype) * local_step)
        return lr_t

    def _create_slots(self, var_list) -> None:
        """Makes the per-variable slots (none by default)."""

    def _prepare(self) -> dict:
        return {"lr_t": self._decayed_lr(dtypes.float32)}

    def _apply_dense(self, grad, var, coefficients):
        raise NotImplementedError(f"{type(self).__name__} must implement _apply_dense")


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
        return {**super().get_config(), "nesterov": self.nesterov}

    def _create_slots(self, var_list) -> None:
        if self._momentum:
            for var in var_list:
                self.add_slot(var, "momentum")

    def _apply_dense(self, grad, var, coefficients):
        lr = coefficients["lr_t"]
        if not self._momentum:
            return apply_update("ApplyGradientDescent", [var._ref(), lr, grad]).op
        momentum = self._get_hyper("momentum")
        accum = self.get_slot(var, "momentum")
        accum_t = state_ops.assign(accum, accum * momentum - lr * grad)
        step = momentum * accum_t - lr * grad if self.nesterov else accum_t
        return state_ops.assign_add(var, step).op


class Adam(Optimizer):
    """Adam (Kingma and Ba): slots ``m`` and ``v``; ``epsilon`` 1e-7 as Keras's."""

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
        if amsgrad:
            raise NotImplementedError("Adam(amsgrad=True) is not supported; use amsgrad=False.")
        super().__init__(name, **kwargs)
        self._set_hyper("learning_rate", kwargs.get("lr", learning_rate))
        self._set_hyper("beta_1", beta_1)
        self._set_hyper("beta_2", beta_2)
        self.epsilon = epsilon or backend.epsilon()

    def get_config(self) -> dict:
        return {**super().get_config(), "epsilon": self.epsilon, "amsgrad": False}

    def _create_slots(self, var_list) -> None:
        for var in var_list:
            self.add_slot(var, "m")
        for var in var_list:
            self.add_slot(var, "v")

    def _prepare(self) -> dict:
        coefficients = super()._prepare()
        local_step = cast(self.iterations + 1, dtypes.float32)
        beta_1_t = self._get_hyper("beta_1", dtypes.float32)
        beta_2_t = self._get_hyper("beta_2", dtypes.float32)
        coefficients.update(
            beta_1_t=beta_1_t,
            beta_2_t=beta_2_t,
            beta_1_power=math_ops.pow(beta_1_t, local_step),
            beta_2_power=math_ops.pow(beta_2_t, local_step),
            epsilon=convert_to_tensor(self.epsilon, dtypes.float32),
        )
        return coefficients

    def _apply_dense(self, grad, var, c):
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        inputs = [var._ref(), m._ref(), v._ref(), c["beta_1_power"], c["beta_2_power"]]
        inputs += [c["lr_t"], c["beta_1_t"], c["beta_2_t"], c["epsilon"], grad]
        return apply_update("ApplyAdam", inputs, use_nesterov=False).op


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
        return {**super().get_config(), "epsilon": self.epsilon, "centered": self.centered}

    def _create_slots(self, var_list) -> None:
        for var in var_list:
            self.add_slot(var, "rms")
        if self._momentum:
            for var in var_list:
                self.add_slot(var, "momentum")
        if self.centered:
            for var in var_list:
                self.add_slot(var, "mg")

    def _apply_dense(self, grad, var, c):
        rho = self._get_hyper("rho")
        epsilon = convert_to_tensor(self.epsilon, dtypes.float32)
        rms = self.get_slot(var, "rms")
        if self._momentum:
            mom = self.get_slot(var, "momentum")
            momentum = self._get_hyper("momentum")
            if self.centered:
                mg = self.get_slot(var, "mg")
                refs = [var._ref(), mg._ref(), rms._ref(), mom._ref()]
                inputs = [*refs, c["lr_t"], rho, momentum, epsilon, grad]
                return apply_update("ApplyCenteredRMSProp", inputs).op
            inputs = [var._ref(), rms._ref(), mom._ref(), c["lr_t"], rho, momentum, epsilon, grad]
            return apply_update("ApplyRMSProp", inputs).op
        rms_t = state_ops.assign(rms, rho * rms + (1.0 - rho) * math_ops.square(grad))
        denominator = rms_t
        if self.centered:
            mg = self.get_slot(var, "mg")
            mg_t = state_ops.assign(mg, rho * mg + (1.0 - rho) * grad)
            denominator = rms_t - math_ops.square(mg_t)
        step = c["lr_t"] * grad / (math_ops.sqrt(denominator) + epsilon)
        return state_ops.assign(var, var - step).op


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


def _serialize_hyper(value):
    if isinstance(value, schedules.LearningRateSchedule):
        return schedules.serialize(value)
    return value


_BY_NAME = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop}
_TF_TRAIN = {
    "adagrad": "tf.train.AdagradOptimizer",
    "adadelta": "tf.train.AdadeltaOptimizer",
    "adamax": "tf.train.AdamOptimizer",
    "nadam": "tf.train.AdamOptimizer",
    "ftrl": "tf.train.FtrlOptimizer",
}


def serialize(optimizer) -> dict:
    """``{"class_name": "Adam", "config": {...}}`` of a Keras optimizer."""
    return serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    """The optimizer a ``serialize`` dictionary describes (class names in any case)."""
    classes = {"SGD": SGD, "Adam": Adam, "RMSprop": RMSprop, **_BY_NAME}
    if isinstance(config, dict) and config.get("class_name", "").lower() in _TF_TRAIN:
        return get(config["class_name"])
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
        if key in _TF_TRAIN:
            raise NotImplementedError(
                f"The Keras optimizer {identifier!r} is not provided by scopeflow yet; pass "
                f"{_TF_TRAIN[key]}(...) to compile instead."
            )
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")


def _not_provided(name: str):
    def make(*args, **kwargs):
        raise NotImplementedError(
            f"tf.keras.optimizers.{name} is not provided by scopeflow yet; pass "
            f"{_TF_TRAIN[name.lower()]}(...) to compile instead."
        )

    make.__name__ = make.__qualname__ = name
    make.__doc__ = f"Not provided: raises NotImplementedError naming {_TF_TRAIN[name.lower()]}."
    return make


Adagrad = _not_provided("Adagrad")
Adadelta = _not_provided("Adadelta")
Adamax = _not_provided("Adamax")
Nadam = _not_provided("Nadam")
Ftrl = _not_provided("Ftrl")

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
