"""``tf.custom_gradient``: a function that gives its own gradient, built as TF1 builds it in
graph mode, and the ``IdentityN`` op (``tf.identity_n``) it rests on.

The decorated function runs once; its results, its inputs and the variables it read pass
together through one ``IdentityN`` op whose gradient is the user's function (the op takes
the gradient named ``CustomGradient`` through ``Graph.gradient_override_map``, and the graph
holds each such op's function). So ``tf.gradients`` never looks inside the function: the
gradient reaching its results goes straight to its inputs and variables.
"""

from __future__ import annotations

import functools
import inspect

from scopeflow.framework import nest, registry, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import identity
from scopeflow.ops.core.infer import apply_op

# -- IdentityN ----------------------------------------------------------------------------


def _identity_n_infer(inputs, attrs):
    return [(t.dtype.base_dtype, t.shape) for t in inputs]


def _identity_n_kernel(ctx, op, *values):
    return values[0] if len(values) == 1 else values


def _identity_n_grad(op, *grads):
    return list(grads)


register_op("IdentityN", _identity_n_infer, kernel=_identity_n_kernel, grad=_identity_n_grad)


@undo.atomic
def identity_n(input, name=None) -> list:  # noqa: A002 - TF1's argument name
    """The tensors of the list ``input``, unchanged, as the outputs of one ``IdentityN`` op."""
    with name_scope(name, "IdentityN", input) as scope:
        tensors = [convert_to_tensor(t, name=f"input_{i}") for i, t in enumerate(input)]
        attrs = {"T": [t.dtype.base_dtype for t in tensors]}
        outputs = apply_op("IdentityN", tensors, attrs, name=scope)
        return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


# -- custom_gradient ------------------------------------------------------------------------

_GRADIENT = "CustomGradient"
_STORE = "custom_gradients"  # the graph's {IdentityN op: its gradient function}


def _custom_gradient_grad(op, *grads):
    return op.graph._store(_STORE, dict)[op](*grads)


registry.register_gradient(_GRADIENT, _custom_gradient_grad)


def _variable_named(graph, name: str):
    """The trainable global variable whose op is ``name`` (None if it is not trainable)."""
    found = [v for v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES) if v.op.name == name]
    if not found:
        raise ValueError(f"Unsuccessful at finding variable {name}.")
    trainable = [v for v in found if v.trainable]
    return trainable[0] if trainable else None


def _differentiable(op) -> bool:
    grad = registry.gradient_function(op.type)
    return grad is not None and grad is not registry.NOT_DIFFERENTIABLE


def _variables_between(graph, inputs: list, results: list) -> list:
    """The trainable variables read on differentiable paths from ``inputs`` to ``results``,
    found as TF1 does (it walks back from an ``Identity`` of each result, which stays in the
    graph)."""
    seeds = [identity(r).op for r in results]
    stops = set(inputs)
    seen = set(seeds)
    wave = list(seeds)
    found = []
    while wave:
        new_wave = []
        for op in wave:
            if not _differentiable(op):
                continue
            for t in op._inputs:
                if t not in stops and t.op not in seen:
                    seen.add(t.op)
                    new_wave.append(t.op)
                    if t.op.op_def.is_variable:
                        found.append(t.op)
        wave = new_wave
    variables = [_variable_named(graph, op.name) for op in found]
    return sorted((v for v in variables if v is not None), key=lambda v: v.name)


def _takes_variables(grad_fn) -> bool:
    spec = inspect.getfullargspec(grad_fn)
    return "variables" in spec.args or "variables" in spec.kwonlyargs or spec.varkw is not None


@undo.atomic
def _build(f, args, kwargs):
    if kwargs:
        raise ValueError(
            "The custom_gradient decorator currently supports keywords arguments only when "
            "eager execution is enabled."
        )
    graph = get_default_graph()
    args = nest.map_structure(convert_to_tensor, list(args))
    result, grad_fn = f(*args)
    flat_args = nest.flatten(args)
    flat_result = nest.flatten(result)
    variables = _variables_between(graph, flat_args, flat_result)
    if variables and not _takes_variables(grad_fn):
        raise TypeError(
            "@tf.custom_gradient grad_fn must accept keyword argument 'variables', since "
            f"function uses variables: {variables}"
        )
    count = len(flat_result)

    def gradient(*grads):
        result_grads = grads[:count]
        if variables:
            input_grads, variable_grads = grad_fn(*result_grads, variables=variables)
            if len(variable_grads) != len(variables):
                raise ValueError(
                    "Must return gradient for each variable from @custom_gradient grad_fn."
                )
        else:
            input_grads, variable_grads = grad_fn(*result_grads), []
        return [None] * count + nest.flatten(input_grads) + list(variable_grads)

    with graph.gradient_override_map({"IdentityN": _GRADIENT}):
        outputs = identity_n([*flat_result, *flat_args, *variables])
    for value in flat_result:  # TF1 converts them again (a Python value makes a Const)
        convert_to_tensor(value)
    functions = graph._store(_STORE, dict)
    op = outputs[0].op
    functions[op] = gradient
    undo.record(lambda: functions.pop(op, None))
    return nest.pack_sequence_as(result, outputs[:count])


def custom_gradient(f=None):
    """Decorates ``f(*tensors) -> (results, grad_fn)``: calling it returns the results, and
    ``tf.gradients`` differentiates them with ``grad_fn(*result_grads)``, which returns one
    gradient per input (TF1's graph mode: positional tensor arguments only).

    If ``f`` reads trainable variables (made inside it or before), ``grad_fn`` must take a
    ``variables`` keyword: it is called with them (sorted by name) and returns
    ``(input_grads, variable_grads)``.

    >>> import scopeflow as tf
    >>> @tf.custom_gradient
    ... def clip_gradient(x):
    ...     return tf.identity(x), lambda dy: tf.clip_by_value(dy, -1.0, 1.0)
    >>> x = tf.constant([1.0, 2.0])
    >>> y = clip_gradient(x)
    >>> y.op.type, y.op.get_attr("_gradient_op_type")
    ('IdentityN', b'CustomGradient')
    >>> print(tf.Session().run(tf.gradients(5.0 * y, x)[0]))
    [1. 1.]
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        return _build(f, args, kwargs)

    return decorated


__all__ = ["custom_gradient", "identity_n"]
