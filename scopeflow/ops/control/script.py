"""Python functions as ops: ``tf.py_func`` and ``tf.numpy_function`` (``PyFunc``, or
``PyFuncStateless``), and ``tf.py_function`` (``EagerPyFunc``).

The graph holds each function (under the op's ``token`` attribute, ``pyfunc_0``...), so it
lives as long as the graph; nothing is pickled. Tokens are numbered over the whole process, as
in TF, so a graph imported from another's GraphDef or MetaGraphDef calls that graph's
functions while it lives (then: "Could not find callback with key=pyfunc_0"). When the op
runs, the function gets its inputs as NumPy values (copies: changing them changes nothing
else) and its results are checked against ``Tout``. Its output shapes are unknown while
building, as in TF1. An exception it raises fails the run with TF1's error class for it
(``ValueError``/``TypeError``: ``InvalidArgumentError``; ``StopIteration``:
``OutOfRangeError``; ``NotImplementedError``: ``UnimplementedError``; ``MemoryError``:
``ResourceExhaustedError``; others: ``UnknownError``), whose message holds the function's
own traceback and the op's name.

None of these ops has a gradient; give one with ``tf.RegisterGradient`` and
``Graph.gradient_override_map({"PyFunc": ...})``, or wrap the call in ``tf.custom_gradient``.
"""

from __future__ import annotations

import itertools
import traceback
import weakref

import numpy as np

from scopeflow.framework import dtypes, errors, source, tensor_shape, undo
from scopeflow.framework.constant import _numpy_value, convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import Graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.control.assertions import node_note

_STORE = "py_funcs"  # the graph's {token: function}
# Process-wide, as TF's registry: the next token's number, and token -> the graph holding it.
_TOKEN_NUMBERS = itertools.count()
_TOKEN_GRAPHS: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _functions(graph) -> dict:
    return graph._store(_STORE, dict)


def _py_func_infer(inputs, attrs):
    return [(dtype, tensor_shape.unknown_shape()) for dtype in attrs["Tout"]]


# TF's names of the dtypes a NumPy result may have (its errors name them so).
_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _dtype_text(dtype: dtypes.DType) -> str:
    return _TF_NAMES.get(dtype.name, dtype.name)


_ERRORS = (
    ((ValueError, TypeError), errors.InvalidArgumentError),
    ((StopIteration,), errors.OutOfRangeError),
    ((MemoryError,), errors.ResourceExhaustedError),
    ((NotImplementedError,), errors.UnimplementedError),
)


def _function_error(op, e: Exception) -> errors.OpError:
    """TF1's error for an exception of the function: its class, and a message with the
    function's own traceback (scopeflow's frames left out)."""
    cls = next((cls for kinds, cls in _ERRORS if isinstance(e, kinds)), errors.UnknownError)
    frames = traceback.extract_tb(e.__traceback__)
    frames = [f for f in frames if not source.is_internal(f.filename)]
    trace = "".join(
        [
            "Traceback (most recent call last):\n",
            *traceback.format_list(frames),
            *traceback.format_exception_only(type(e), e),
        ]
    )
    message = f"{type(e).__name__}: {e}\n{trace.rstrip()}" + node_note(op)
    return cls(None, op, message)


def _result_error(op, cls, text: str) -> errors.OpError:
    return cls(None, op, text + node_note(op))


class EagerValue(np.ndarray):
    """A ``tf.py_function`` input: a NumPy array with the ``numpy()`` method of TF's eager
    tensors (a scalar's gives a NumPy scalar, a string's ``bytes``)."""

    def numpy(self):
        value = np.array(self)
        return value[()] if value.ndim == 0 else value


def _argument(value, eager: bool):
    if eager:
        return np.array(value).view(EagerValue)
    value = np.array(value)
    return value[()] if value.ndim == 0 else value


def _numpy_result(value) -> np.ndarray:
    """A ``py_func`` result as TF1 converts it: text becomes an array of ``bytes`` objects."""
    array = np.asarray(value)
    if array.dtype.kind == "U":
        return np.vectorize(str.encode, otypes=[object])(array)
    if array.dtype.kind == "S":  # a list of bytes keeps its trailing zero bytes
        return array.astype(object) if array is value else np.asarray(value, dtype=object)
    return array


def _numpy_results(op, result, touts) -> list:
    if isinstance(result, bytes):
        result = [result]
    if result is None:
        values = []
    elif isinstance(result, (list, tuple)):
        values = [_numpy_result(v) for v in result]
    else:
        values = [_numpy_result(result)]
    token = op._attrs["token"]
    if len(values) != len(touts):
        raise _result_error(
            op,
            errors.InvalidArgumentError,
            f"{token} returns {len(values)} values, but expects to see {len(touts)} values.",
        )
    out = []
    for i, (value, dtype) in enumerate(zip(values, touts, strict=True)):
        if value.dtype == object:
            bad = next((x for x in value.flat if not isinstance(x, bytes)), None)
            if bad is not None:
                raise _result_error(
                    op, errors.InternalError, f"Unsupported object type {type(bad).__name__}"
                )
            got = dtypes.string
        else:
            got = dtypes.as_dtype(value.dtype)
        if got != dtype:
            raise _result_error(
                op,
                errors.InvalidArgumentError,
                f"{i}-th value returned by {token} is {_dtype_text(got)}, but expects "
                f"{_dtype_text(dtype)}",
            )
        out.append(value)
    return out


def _eager_result(value, dtype: dtypes.DType) -> np.ndarray:
    """A ``py_function`` result as TF's ``convert_to_tensor(value, dtype)`` converts it."""
    if isinstance(value, Tensor):
        raise NotImplementedError(
            f"tf.py_function's function returned the graph tensor {value.name}: scopeflow has "
            "no eager mode, so TensorFlow ops called inside the function build ops instead of "
            "computing. Compute with NumPy on the inputs' .numpy() values."
        )
    if isinstance(value, EagerValue) and dtypes.as_dtype(value.dtype) != dtype:
        raise ValueError(
            f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
            f"{dtypes.as_dtype(value.dtype).name}: {np.asarray(value)!r}"
        )
    return _numpy_value(value, dtype)


def _eager_results(result, touts) -> list:
    if result is None:
        return []
    if isinstance(result, (list, tuple)):  # as TF: extra results are dropped
        return [_eager_result(v, d) for v, d in zip(result, touts, strict=False)]
    return [_eager_result(result, touts[0])]


def _function_of(op):
    token = op._attrs["token"]
    func = _functions(op.graph).get(token)
    if func is None and token in _TOKEN_GRAPHS:  # an op imported from another graph
        func = _functions(_TOKEN_GRAPHS[token]).get(token)
    if func is None:
        raise errors.InvalidArgumentError(
            None, op, f"ValueError: Could not find callback with key={token} in the registry."
        )
    return func


def _py_func_kernel(ctx, op, *args):
    eager = op.type == "EagerPyFunc"
    func = _function_of(op)
    touts = op._attrs["Tout"]
    try:
        if eager:  # ops the function may build go to a scratch graph, not the running one
            with Graph().as_default():
                result = _eager_results(func(*(_argument(a, True) for a in args)), touts)
        else:
            result = func(*(_argument(a, False) for a in args))
    except Exception as e:  # noqa: BLE001 - every exception of the function fails the op
        raise _function_error(op, e) from e
    values = _numpy_results(op, result, touts)
    return values[0] if len(values) == 1 else tuple(values)


for _op_type, _stateful in (("PyFunc", True), ("PyFuncStateless", False), ("EagerPyFunc", True)):
    register_op(
        _op_type,
        _py_func_infer,
        kernel=_py_func_kernel,
        grad=NOT_DIFFERENTIABLE,
        stateful=_stateful,
        host_only=True,
    )


def _build(op_type: str, func, inp, Tout, name):
    if not callable(func):
        raise ValueError(
            f"Expected func to be callable. Received func={func} of type {type(func)}."
        )
    is_list = isinstance(Tout, (list, tuple))
    touts = [dtypes.as_dtype(t) for t in (Tout if is_list else [Tout])]
    graph = get_default_graph()
    functions = _functions(graph)
    token = f"pyfunc_{next(_TOKEN_NUMBERS)}"
    functions[token] = func
    _TOKEN_GRAPHS[token] = graph
    undo.record(lambda: functions.pop(token, None))
    inputs = list(inp)
    with name_scope(name or op_type) as scope:
        inputs = [convert_to_tensor(x, name=f"input_{i}") for i, x in enumerate(inputs)]
        attrs = {"token": token, "Tin": [t.dtype.base_dtype for t in inputs], "Tout": touts}
        if op_type == "EagerPyFunc":
            attrs["is_async"] = False
        op = graph.create_op(op_type, inputs, attrs, name=scope)
    if not touts and is_list:
        return op
    return list(op.outputs) if is_list else op.outputs[0]


@undo.atomic
def py_func(func, inp, Tout, stateful=True, name=None):
    """An op computing ``func(*inputs)`` with NumPy when run: ``inp`` are its inputs (each
    passed as a NumPy array, a scalar as a NumPy scalar), ``Tout`` the dtype of its result
    (or a list of dtypes for a list of results; they must match exactly).

    ``stateful=False`` makes a ``PyFuncStateless`` op. Output shapes are unknown; set them
    with ``Tensor.set_shape``.

    >>> import numpy as np
    >>> import scopeflow as tf
    >>> x = tf.placeholder(tf.float32, [3])
    >>> y = tf.py_func(lambda a: np.sort(a)[::-1], [x], tf.float32)
    >>> y.op.type, y.shape
    ('PyFunc', TensorShape(None))
    >>> print(tf.Session().run(y, {x: [2.0, 3.0, 1.0]}))
    [3. 2. 1.]
    """
    return _build("PyFunc" if stateful else "PyFuncStateless", func, inp, Tout, name)


@undo.atomic
def numpy_function(func, inp, Tout, stateful=True, name=None):
    """``tf.py_func`` under its TF 2 name: ``func`` gets and returns NumPy values."""
    return _build("PyFunc" if stateful else "PyFuncStateless", func, inp, Tout, name)


@undo.atomic
def py_function(func, inp, Tout, name=None):
    """An ``EagerPyFunc`` op computing ``func(*inputs)`` when run.

    TF passes eager tensors; scopeflow has no eager mode and passes NumPy arrays with their
    ``numpy()`` method (:class:`EagerValue`), so code calling ``x.numpy()`` runs unchanged but
    TensorFlow ops cannot compute on them (a function returning a graph tensor fails the run
    with ``UnimplementedError``; the ops it built go to a scratch graph). Results are converted
    to ``Tout`` as ``tf.convert_to_tensor`` converts values. Not differentiable (TF tapes the
    function): wrap it in ``tf.custom_gradient`` for a gradient.
    """
    return _build("EagerPyFunc", func, inp, Tout, name)


__all__ = ["numpy_function", "py_func", "py_function"]
