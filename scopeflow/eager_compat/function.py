"""``tf.function`` in graph mode.

TF 2.21 (compat.v1, graph mode) traces the Python function into a function of the graph's
library and calls it with one ``PartitionedCall`` (``StatefulPartitionedCall`` when stateful)
op per call. scopeflow's graphs have no function library, so each call builds the Python
function's ops inline, under a name scope named after the function (``f/mul``, then
``f_1/mul``): the same values as TF's, a different graph structure (no call op, the ops
visible by name). AutoGraph is not applied: Python ``if``/``while`` on tensors raise as in
TF1 graph code; use ``tf.cond``/``tf.while_loop`` in the function.
"""

from __future__ import annotations

import functools
import logging

from scopeflow.framework import nest
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_spec import TensorSpec

_log = logging.getLogger("tensorflow")
# tf.config.run_functions_eagerly: process-wide, as TF's
_RUN_EAGERLY = {"on": False}


def run_functions_eagerly(run_eagerly) -> None:
    """Whether ``tf.function`` calls run the Python function as plain code (its ops made
    where it is called, without the function's name scope), as TF's switch does in graph
    mode; process-wide."""
    _RUN_EAGERLY["on"] = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    """The ``run_functions_eagerly`` switch."""
    return _RUN_EAGERLY["on"]


def experimental_run_functions_eagerly(run_eagerly) -> None:
    """TF's older name of ``run_functions_eagerly``."""
    _log.warning("Use `tf.config.run_functions_eagerly` instead of the experimental version.")
    run_functions_eagerly(run_eagerly)


def experimental_functions_run_eagerly() -> bool:
    """TF's older name of ``functions_run_eagerly``."""
    return functions_run_eagerly()


class Function:
    """A Python function that ``tf.function`` wrapped: calling it builds its ops inline."""

    def __init__(self, python_function, input_signature=None, name=None):
        self.python_function = python_function
        self._name = name or getattr(python_function, "__name__", "function")
        self.input_signature = None
        if input_signature is not None:
            specs = nest.flatten(input_signature)
            for spec in specs:
                if not isinstance(spec, TensorSpec):
                    raise TypeError(
                        "input_signature must be a possibly nested sequence of TensorSpec "
                        f"objects, got {spec!r}"
                    )
            self.input_signature = tuple(input_signature)
        functools.update_wrapper(self, python_function)

    def __get__(self, instance, owner):
        if instance is None:
            return self
        bound = Function(
            functools.partial(self.python_function, instance), self.input_signature, self._name
        )
        return bound

    def __call__(self, *args, **kwargs):
        if self.input_signature is not None:
            args = self._bind(args, kwargs)
            kwargs = {}
        if _RUN_EAGERLY["on"]:
            return self.python_function(*args, **kwargs)
        with name_scope(self._name):
            return self.python_function(*args, **kwargs)

    def get_concrete_function(self, *args, **kwargs):
        """TF's traced graph function, which scopeflow does not make."""
        raise NotImplementedError(
            f"tf.function '{self._name}'.get_concrete_function: scopeflow builds the function's "
            "ops inline at each call and keeps no traced functions; call the function to build "
            "its ops in the graph (tf.saved_model.simple_save exports a graph's tensors)."
        )

    def _bind(self, args, kwargs) -> tuple:
        if kwargs:
            raise TypeError(
                f"tf.function '{self._name}' with an input_signature takes its arguments by "
                f"position; got keyword arguments {sorted(kwargs)}"
            )
        if len(args) != len(self.input_signature):
            raise TypeError(
                f"Binding inputs to tf.function failed: '{self._name}' takes "
                f"{len(self.input_signature)} positional arguments (its input_signature) but "
                f"{len(args)} were given"
            )
        bound = []
        for arg, spec in zip(args, self.input_signature, strict=True):
            flat_spec = nest.flatten(spec)
            flat_arg = [arg] if isinstance(spec, TensorSpec) else nest.flatten(arg)
            if len(flat_spec) != len(flat_arg):
                raise TypeError(
                    f"Binding inputs to tf.function failed: {arg!r} does not match the "
                    f"structure of {spec!r}"
                )
            converted = []
            for a, s in zip(flat_arg, flat_spec, strict=True):
                t = a if isinstance(a, Tensor) else convert_to_tensor(a, dtype=s.dtype)
                if t.dtype.base_dtype != s.dtype or not s.shape.is_compatible_with(t.shape):
                    raise TypeError(
                        "Binding inputs to tf.function failed due to `Can not cast "
                        f"{TensorSpec.from_tensor(t)!r} to {s!r}`."
                    )
                converted.append(t)
            packed = converted[0] if isinstance(spec, TensorSpec) else None
            bound.append(packed if packed is not None else nest.pack_sequence_as(arg, converted))
        return tuple(bound)


def function(
    func=None,
    input_signature=None,
    autograph=True,
    jit_compile=None,
    reduce_retracing=False,
    experimental_implements=None,
    experimental_autograph_options=None,
    experimental_attributes=None,
    experimental_relax_shapes=None,
    experimental_compile=None,
    experimental_follow_type_hints=None,
):
    """``tf.function``: ``func``'s ops built inline at each call, under a name scope named
    after it (TF builds a library function and a ``PartitionedCall`` op: same values).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     @tf.function
    ...     def f(a, b):
    ...         return a * b + 1.0
    ...     r = f(tf.constant(2.0), tf.constant(3.0))
    ...     print(r.name, tf.Session().run(r))
    f/add:0 7.0
    """

    def decorate(fn):
        return Function(fn, input_signature)

    return decorate if func is None else decorate(func)
