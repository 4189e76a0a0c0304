"""Keras's ``OptimizerV2`` base class (TF1.15's Keras optimizers): its step count and
hyperparameter variables, slots, ``get_updates``/``apply_gradients`` and config; the
optimizers themselves are in ``optimizers.py`` and ``optimizers_extra.py``."""

from __future__ import annotations

import contextlib

import numpy as np

from scopeflow.framework import dtypes, nest
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.gradients import gradients
from scopeflow.keras import backend, initializers
from scopeflow.keras import learning_rate_schedule as schedules
from scopeflow.keras.optimizer_api import SubclassAPI
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control.custom_gradient import identity_n
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math.clip import clip_by_global_norm, clip_by_norm, clip_by_value
from scopeflow.ops.state import storage as state_ops
from scopeflow.train.optimizer import _deduplicate_indexed_slices
from scopeflow.variables.variables import Variable


class Optimizer(SubclassAPI):
    """The base of Keras's optimizers: subclasses set their hyperparameters
    (``_set_hyper``), make their slots (``_create_slots``) and update one variable
    (``_apply_dense``, or TF's ``_resource_apply_dense``: ``optimizer_api.py``)."""

    def __init__(self, name: str, gradient_aggregator=None, gradient_transformers=None, **kwargs):
        for key, value in kwargs.items():
            if key not in _ALLOWED_KWARGS:
                raise TypeError(
                    f"Unexpected keyword argument passed to optimizer: {key}. Allowed kwargs "
                    "are {'clipnorm', 'clipvalue', 'lr', 'decay', 'global_clipnorm'}."
                )
            if value is not None and value < 0:
                raise ValueError(f"Expected {key} >= 0, received: {value}")
        self.clipnorm = kwargs.get("clipnorm")
        self.clipvalue = kwargs.get("clipvalue")
        self.global_clipnorm = kwargs.get("global_clipnorm")
        if self.clipnorm is not None and self.global_clipnorm is not None:
            raise ValueError(
                "Cannot accept both `clipnorm` and `global_clipnorm`. Received: "
                f"`clipnorm`={self.clipnorm}, `global_clipnorm`={self.global_clipnorm}."
            )
        self.gradient_aggregator = gradient_aggregator
        self.gradient_transformers = list(gradient_transformers or [])
        for key in _CLIPPING:
            if getattr(self, key) is not None and self.gradient_transformers:
                raise ValueError(
                    f"`{key}` cannot be set when `gradient_transformers` is set. Instead, use "
                    "the `gradient_transformers` to specify clipping and other "
                    f"transformations. Received: val={getattr(self, key)}, "
                    f"gradient_transformers={self.gradient_transformers}."
                )
        self._use_locking = True
        self._name = name
        self._hyper: dict = {}
        self._hyper_variables: dict = {}
        self._slots: dict = {}
        self._weights: list = []
        self._iterations = None
        self._initial_decay = float(kwargs.get("decay", 0.0))
        self._set_hyper("decay", self._initial_decay)

    def _set_hyper(self, name: str, value) -> None:
        """Sets the hyperparameter ``name``: its variable's value once made (in the Keras
        session), else the value itself (a schedule or callable replaces it), as TF's."""
        variable = self._hyper_variables.get(name)
        replaces = callable(value) or isinstance(value, schedules.LearningRateSchedule)
        if variable is None or replaces or callable(self._hyper.get(name)):
            self._hyper[name] = value
            self._hyper_variables.pop(name, None)
        else:
            backend.set_value(variable, value)

    def __setattr__(self, name: str, value) -> None:
        # TF's: optimizer.learning_rate = 0.01 (or .lr, .beta_1...) sets the hyperparameter.
        name = "learning_rate" if name == "lr" else name
        if "_hyper" in self.__dict__ and name in self._hyper:
            self._set_hyper(name, value)
        else:
            super().__setattr__(name, value)

    def __getattr__(self, name: str):
        # Called for names not found otherwise: a hyperparameter (optimizer.beta_1), as TF's.
        hyper = self.__dict__.get("_hyper", {})
        if name in hyper:
            return self._get_hyper(name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def _get_hyper(self, name: str, dtype=None):
        """The hyperparameter ``name``: its variable (cast to ``dtype`` where it differs), a
        schedule, or a callable's value, as TF's."""
        value = self._hyper[name]
        if isinstance(value, schedules.LearningRateSchedule):
            return value
        if callable(value):
            value = value()
        else:
            if name not in self._hyper_variables:
                self._create_hypers()  # in the current name scope, as TF's
            value = self._hyper_variables[name]
        if dtype is not None and value.dtype.base_dtype != dtype:
            return cast(value, dtype)
        return value

    def _hyper_t(self, name: str, dtype=None):
        """``tf.identity`` of ``_get_hyper``: the built-in optimizers' coefficients."""
        return array_ops.identity(self._get_hyper(name, dtype))

    @property
    def lr(self):
        """The learning rate's variable (made with the other hyperparameters' on first use,
        as TF's ``_create_hypers``, so a callback can set it before training), or the
        schedule it was given."""
        return self._get_hyper("learning_rate")

    learning_rate = lr

    @property
    def iterations(self):
        """The int64 step count ``iter`` (made on first use), or the variable set in its
        place before (TF1 code's global step)."""
        if self._iterations is None:
            self._iterations = self._add_weight("iter", None, dtypes.int64)
        return self._iterations

    @iterations.setter
    def iterations(self, variable):
        if self._iterations is not None:
            raise RuntimeError(
                "Cannot set `iterations` to a new Variable after the Optimizer weights have "
                f"been created. Here it is attempting to set `iterations` to {variable}."
            )
        self._iterations = variable
        self._weights.append(variable)

    def _add_weight(self, name: str, value, dtype):
        """A resource variable ``name`` holding ``value`` (None: zeros, its Const ``zeros``)."""
        variable = Variable(
            lambda: (
                array_ops.zeros([], dtype=dtype)
                if value is None
                else np.asarray(value, dtype=dtype.as_numpy_dtype)
            ),
            name=name,
            trainable=False,
            use_resource=True,  # tf_keras's optimizer variables are resource variables
        )
        self._weights.append(variable)
        return variable

    def add_slot(self, var, slot_name: str, initializer="zeros", shape=None):
        """The slot ``slot_name`` of ``var`` (zeros like it, or ``initializer``'s values of
        ``shape``), made once."""
        key = (slot_name, var.op.name)
        if key not in self._slots:
            dims = var.shape.as_list() if shape is None else list(shape)
            dtype = var.dtype.base_dtype
            if initializer == "zeros":

                def initial_value():
                    return array_ops.zeros(dims, dtype=dtype)  # TF's Initializer/zeros
            else:
                make = initializers.get(initializer)

                def initial_value():
                    return make(dims, dtype=dtype)

            slot = Variable(
                initial_value,
                name=f"{var.op.name}/{slot_name}",
                trainable=False,
                use_resource=var._is_resource,  # a resource variable's update needs its kind
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
        """Its step count ``iter`` and its slots, as TF's (the hyperparameters' variables are
        saved in checkpoints but are not among them)."""
        hyper = {id(v) for v in self._hyper_variables.values()}
        return [v for v in self._weights if id(v) not in hyper]

    def variables(self) -> list:
        return self.weights

    def get_weights(self) -> list:
        """The values of ``weights``."""
        return backend.batch_get_value(self.weights)

    def set_weights(self, weights) -> None:
        """Sets ``weights`` from values in their order (TF's errors for a wrong count or
        shape)."""
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(
                f"You called `set_weights(weights)` on optimizer {self._name} with a  weight "
                f"list of length {len(weights)}, but the optimizer was expecting "
                f"{len(params)} weights. Provided weights: {str(weights)[:50]}..."
            )
        for param, value in zip(params, weights, strict=True):
            if tuple(param.shape.as_list()) != np.shape(value):
                raise ValueError(
                    f"Optimizer weight shape {tuple(param.shape.as_list())} not compatible with "
                    f"provided weight shape {np.shape(value)}."
                )
        backend.batch_set_value(list(zip(params, weights, strict=True)))

    def get_config(self) -> dict:
        """Its name and clipping, as TF's base class (subclasses add their
        hyperparameters)."""
        clipping = {k: getattr(self, k) for k in _CLIPPING if getattr(self, k) is not None}
        return {"name": self._name, **clipping}

    def _hyper_config(self) -> dict:
        """``get_config`` and every hyperparameter (``learning_rate`` and ``decay`` first, as
        TF's optimizers list them)."""
        hyper = {k: self._serialized_hyper(k, v) for k, v in self._hyper.items()}
        first = {k: hyper[k] for k in ("learning_rate", "decay") if k in hyper}
        return {**Optimizer.get_config(self), **first, **hyper}

    def _serialized_hyper(self, name: str, value):
        """A hyperparameter as TF saves it: its variable's value (a float32) once made."""
        if name in self._hyper_variables and name != "decay":
            return float(backend.get_value(self._hyper_variables[name]))
        return _serialize_hyper(value)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """The optimizer ``get_config`` described (a schedule's config made a schedule)."""
        config = dict(config)
        for key in ("learning_rate", "lr"):
            if isinstance(config.get(key), dict):
                config[key] = schedules.deserialize(config[key], custom_objects=custom_objects)
        return cls(**config)

    def get_gradients(self, loss, params) -> list:
        """``tf.gradients`` of ``loss`` for ``params`` (a variable or a list); an embedding's
        stays an ``IndexedSlices``, which ``apply_gradients`` applies to its rows, as TF's."""
        params = list(params) if isinstance(params, list | tuple) else [params]
        grads = gradients(loss, params)
        for grad, param in zip(grads, params, strict=True):
            if grad is None:  # TF's words; the variable does not affect the loss
                raise ValueError(
                    f"Variable {param} has `None` for gradient. Please make sure that all of "
                    "your ops have a gradient defined (i.e. are differentiable). Common ops "
                    "without gradient: K.argmax, K.round, K.eval."
                )
        return grads

    def get_updates(self, loss, params) -> list:
        """The update op training ``params`` to lower ``loss``: gradients under
        ``<name>/gradients/``, then ``apply_gradients``."""
        with name_scope(f"{self._name}/gradients"):
            grads = self.get_gradients(loss, params)
        return [self.apply_gradients(list(zip(grads, params, strict=True)))]

    def _create_hypers(self) -> None:
        for name in sorted(self._hyper):
            value = self._hyper[name]
            if name not in self._hyper_variables and not callable(value):
                self._hyper_variables[name] = self._add_weight(name, value, dtypes.float32)

    def _create_all_weights(self, var_list) -> None:
        _ = self.iterations
        self._create_hypers()
        self._create_slots(var_list)

    def minimize(self, loss, var_list, grad_loss=None, name=None, tape=None):
        """``apply_gradients`` of the gradients of ``loss`` (a callable, or a tensor with the
        ``tape`` that recorded it) for ``var_list`` (or the callable giving it)."""
        if not callable(loss) and tape is None:
            raise ValueError(
                "`tape` is required when a `Tensor` loss is passed. "
                f"Received: loss={loss}, tape={tape}."
            )
        if callable(loss):
            with tape if tape is not None else contextlib.nullcontext():
                loss = loss()
        var_list = list(nest.flatten(var_list() if callable(var_list) else var_list))
        with name_scope(f"{self._name}/gradients"):
            if tape is not None:
                grads = tape.gradient(loss, var_list, grad_loss)
            else:  # the graph's gradients: what TF's tape records, it finds from the loss
                grads = gradients(loss, var_list, grad_ys=grad_loss)
        return self.apply_gradients(list(zip(grads, var_list, strict=True)), name=name)

    def apply_gradients(self, grads_and_vars, name=None, experimental_aggregate_gradients=True):
        """Updates each variable by its gradient, then adds one to ``iter``."""
        given = tuple(grads_and_vars)
        grads_and_vars = [(g, v) for g, v in given if g is not None]
        if not grads_and_vars:
            names = [v.name for _, v in given]
            raise ValueError(
                f"No gradients provided for any variable: ({names},). Provided "
                f"`grads_and_vars` is {given}."
            )
        var_list = [v for _, v in grads_and_vars]
        with name_scope(self._name):
            self._create_all_weights(var_list)
            subclass = self._uses_subclass_api()
            state = self._apply_state(var_list) if subclass else self._coefficients(var_list)
            if experimental_aggregate_gradients:
                aggregate = self.gradient_aggregator or _all_reduced
                grads_and_vars = list(aggregate(grads_and_vars))
            grads_and_vars = self._clipped(grads_and_vars)
            for transform in self.gradient_transformers:
                grads_and_vars = list(transform(grads_and_vars))
            with name_scope(name or self._name):
                updates = []
                for grad, var in grads_and_vars:
                    with name_scope(f"update_{var.op.name}"):
                        updates.append(self._update_var(grad, var, state, subclass))
                with control_dependencies([group(*updates)]):  # TF's <name>/group_deps
                    if not self.iterations._is_resource:  # a global step set in its place
                        return state_ops.assign_add(self.iterations, np.int64(1)).op
                    return self.iterations.assign_add(np.int64(1), read_value=False)

    def _update_var(self, grad, var, state, subclass: bool):
        """``var``'s update, then its constraint's projection (TF's: none on sparse
        updates)."""
        sparse = isinstance(grad, IndexedSlices)
        constraint = getattr(var, "constraint", None)
        if sparse and constraint is not None:
            raise RuntimeError("Cannot use a constraint function on a sparse variable.")
        if subclass:
            if not sparse:
                grad = convert_to_tensor(grad)
            update = self._apply_by_subclass(grad, var, state, sparse)
        else:
            update = self._apply_one(grad, var, state[var.dtype.base_dtype])
        if constraint is None:
            return update
        with control_dependencies([update]):
            return var.assign(constraint(var)).op

    def _clipped(self, grads_and_vars: list) -> list:
        """The gradients clipped by ``clipvalue``, then ``clipnorm`` (each by its own norm;
        an ``IndexedSlices`` by its values'), then ``global_clipnorm``, as TF's."""
        grads, variables = [g for g, _ in grads_and_vars], [v for _, v in grads_and_vars]
        if self.clipvalue is not None:
            grads = [clip_by_value(g, -self.clipvalue, self.clipvalue) for g in grads]
        if self.clipnorm is not None:
            grads = [clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm is not None:
            grads = clip_by_global_norm(grads, self.global_clipnorm)[0]
        return list(zip(grads, variables, strict=True))

    def _apply_one(self, grad, var, coefficients):
        """One variable's update: an ``IndexedSlices`` gradient (an embedding's) by
        ``_apply_sparse`` on the rows it names, its duplicate indices summed first, as
        tf_keras's ``_resource_apply_sparse``; where an optimizer has none, densified."""
        if isinstance(grad, IndexedSlices) and type(self)._apply_sparse is not (
            Optimizer._apply_sparse
        ):
            values, indices = grad.values, grad.indices
            return self._apply_sparse_duplicate_indices(values, indices, var, coefficients)
        return self._apply_dense(convert_to_tensor(grad), var, coefficients)

    def _apply_sparse_duplicate_indices(self, values, indices, var, coefficients):
        """``_apply_sparse`` of the rows with repeated indices summed (``Unique``,
        ``UnsortedSegmentSum``), as tf_keras's default."""
        values, indices = _deduplicate_indexed_slices(values, indices)
        return self._apply_sparse(values, indices, var, coefficients)

    def _decayed_lr(self, var_dtype):
        """The learning rate at this step: the schedule's value, or the variable's divided by
        ``1 + decay * iterations`` with a ``decay``, as TF's."""
        lr_t = self._get_hyper("learning_rate", var_dtype)
        if isinstance(lr_t, schedules.LearningRateSchedule):
            lr_t = cast(lr_t(cast(self.iterations, var_dtype)), var_dtype)
        if self._initial_decay > 0.0:
            local_step = cast(self.iterations, var_dtype)
            decay_t = convert_to_tensor(self._initial_decay, var_dtype)
            lr_t = lr_t / (1.0 + decay_t * local_step)
        return lr_t

    def _create_slots(self, var_list) -> None:
        """Makes the per-variable slots (none by default)."""

    def _coefficients(self, var_list) -> dict:
        """The built-in optimizers' coefficients for each dtype of ``var_list``'s variables
        (``_prepare``), as TF's ``apply_state``."""
        self._prepare_shared()
        by_dtype: dict = {}
        for var in var_list:
            dtype = var.dtype.base_dtype
            if dtype not in by_dtype:
                by_dtype[dtype] = self._prepare(dtype)
        return by_dtype

    def _prepare_shared(self) -> None:
        """What an optimizer reads once for all dtypes before ``_prepare`` (none here)."""

    def _prepare(self, var_dtype) -> dict:
        """The coefficients of the updates of ``var_dtype`` variables: ``lr_t`` here."""
        return {"lr_t": array_ops.identity(self._decayed_lr(var_dtype))}

    def _apply_dense(self, grad, var, coefficients):
        raise NotImplementedError(f"{type(self).__name__} must implement _apply_dense")

    def _apply_sparse(self, values, indices, var, coefficients):
        """The update of the rows ``indices`` (distinct) of ``var`` by gradient rows
        ``values``; optimizers without one apply the densified gradient."""
        raise NotImplementedError


_CLIPPING = ("clipnorm", "clipvalue", "global_clipnorm")
_ALLOWED_KWARGS = frozenset({*_CLIPPING, "lr", "decay"})


def _all_reduced(grads_and_vars: list) -> list:
    """The gradients as tf_keras's all-reduce of one replica leaves them when none is an
    ``IndexedSlices``: an ``Identity`` of each (unused), and the outputs of one ``IdentityN``
    of them all (twice, the inputs and results of its custom gradient)."""
    grads = [g for g, _ in grads_and_vars]
    if not grads or any(isinstance(g, IndexedSlices) for g in grads):
        return grads_and_vars
    grads = [convert_to_tensor(g) for g in grads]
    for grad in grads:
        array_ops.identity(grad)
    reduced = identity_n(grads + grads)[: len(grads)]
    return [(g, v) for g, (_, v) in zip(reduced, grads_and_vars, strict=True)]


def _serialize_hyper(value):
    if isinstance(value, schedules.LearningRateSchedule):
        return schedules.serialize(value)
    return value


__all__ = ["Optimizer"]
