"""``tf.raw_ops``: each op type scopeflow has, as one function of keyword arguments named as
TensorFlow's OpDef names the op's inputs and attrs.

``tf.raw_ops.Conv2D(input=x, filter=w, strides=[1, 1, 1, 1], padding="SAME")`` adds the same
``Conv2D`` op as ``tf.nn.conv2d`` would, with no Python wrapper in between: inputs are
converted to tensors (the inputs that share a type attr must agree, as TF checks), attrs
left out take the OpDef's defaults, and type attrs that inputs decide (``T``, ``N``,
``Tidx``) are not arguments. An op with several outputs returns a named tuple of them (in
TF's output names: ``Unique(y=..., idx=...)``), one whose output is a list (``Split``) the
list, one without outputs the ``Operation``. Attrs are checked as a ``GraphDef``'s are when
imported (``graph_io/op_defs.py``). The op types are those of scopeflow's op registry that
TF's OpDef table (``graph_io/tf_op_defs.json``) also has; control-flow primitives
(``Switch``, ``Merge``...) are left out: build them with ``tf.cond`` and ``tf.while_loop``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     total = tf.raw_ops.AddV2(x=tf.constant(1.0), y=tf.constant(2.0), name="total")
...     print(total.name, tf.Session().run(total))
total:0 3.0
"""

from __future__ import annotations

import collections
import functools
import inspect

from scopeflow.framework import dtypes, errors
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import get_op_def, registered_op_types
from scopeflow.framework.tensor import Tensor
from scopeflow.graph_io import op_defs
from scopeflow.graph_io.export import PRODUCER
from scopeflow.ops import legacy  # noqa: F401 - registers TF 1.x's op types (Add, Concat...)

__all__: list[str] = []  # the op functions are made on first use (see __getattr__)

# A while loop's frame ops: only tf.while_loop builds them consistently.
_LOOP_PRIMITIVES = frozenset(
    {"Enter", "Exit", "NextIteration", "LoopCond", "RefEnter", "RefExit", "RefNextIteration"}
)
# Arguments TF's Python API names otherwise than the OpDef does (TF's api_def renames).
_REDUCTION = {"reduction_indices": "axis"}
_RENAMED = {
    **{t: _REDUCTION for t in ("All", "Any", "EuclideanNorm", "Max", "Mean", "Min", "Prod")},
    "Sum": _REDUCTION,
    "ExpandDims": {"dim": "axis"},
    "Select": {"t": "x", "e": "y"},
    "Split": {"split_dim": "axis"},
    "SplitV": {"split_dim": "axis"},
    "Squeeze": {"squeeze_dims": "axis"},
    "Where": {"input": "condition"},
}


def _snake_case(op_type: str) -> str:
    """TF's Python name of an op type: ``AddV2`` -> ``add_v2``, ``Conv2D`` -> ``conv2d``."""
    out = []
    for i, c in enumerate(op_type):
        if c.isupper() and i > 0:
            before, after = op_type[i - 1], op_type[i + 1 : i + 2]
            if before.islower() or (before.isupper() and after.islower()):
                out.append("_")
        out.append(c.lower())
    return "".join(out)


@functools.cache
def _op_types() -> tuple[str, ...]:
    known = set(op_defs.known_op_types())
    return tuple(
        t
        for t in sorted(registered_op_types())
        if t in known
        and not get_op_def(t).control_flow
        and t not in _LOOP_PRIMITIVES
        and not t.startswith("_")
    )


def __getattr__(name: str):
    if name.startswith("_") or name not in _op_types():
        raise AttributeError(f"module 'tf.raw_ops' has no attribute '{name}'")
    return _op_function(name)


def __dir__() -> list[str]:
    return list(_op_types())


@functools.cache
def _op_function(op_type: str):
    definition = op_defs.tf_op_def(op_type)
    inferred = set()
    for arg in definition.inputs:
        inferred.update(a for a in (arg.type_attr, arg.number_attr, arg.type_list_attr) if a)
    attrs = {n: spec for n, spec in definition.attrs.items() if n not in inferred}
    python = _RENAMED.get(op_type, {})  # OpDef name -> argument name
    keyword = inspect.Parameter.KEYWORD_ONLY
    required = [inspect.Parameter(python.get(a.name, a.name), keyword) for a in definition.inputs]
    required += [
        inspect.Parameter(python.get(n, n), keyword)
        for n, (_, default) in attrs.items()
        if default is None
    ]
    optional = [
        inspect.Parameter(python.get(n, n), keyword, default=op_defs.from_attr_value(default))
        for n, (_, default) in attrs.items()
        if default is not None
    ]
    name = inspect.Parameter("name", keyword, default=None)
    signature = inspect.Signature(required + optional + [name])
    python_name = _snake_case(op_type)
    keys = [p.name for p in signature.parameters.values()]
    outputs = definition.outputs
    result_type = None
    if len(outputs) > 1:
        result_type = collections.namedtuple(op_type, [a.name for a in outputs])

    def op_function(*args, **kwargs):
        removed = op_defs.removed_in(op_type, PRODUCER)
        if removed is not None:  # an op of old GraphDefs only (TopK): import one to run it
            raise NotImplementedError(removed)
        if args:
            raise TypeError(
                f"{python_name} only takes keyword args (possible keys: {keys}). Please pass "
                "these args as kwargs instead."
            )
        try:
            bound = signature.bind(**kwargs)
        except TypeError as e:
            raise TypeError(f"{python_name}() {e}") from None
        values = bound.arguments
        # As TF's op builder: the inputs' constants inside the op's name scope ("Add/y").
        with name_scope(values.get("name"), op_type) as scope:
            return _build(op_type, definition, attrs, python, values, scope, outputs, result_type)

    op_function.__name__ = op_function.__qualname__ = op_type
    op_function.__signature__ = signature
    op_function.__doc__ = (
        f"Adds a ``{op_type}`` op: TF's raw op of that name (keyword arguments only: "
        f"{', '.join(keys)})."
    )
    return op_function


def _build(op_type, definition, attrs, python, values, scope, outputs, result_type):
    """Converts the inputs (named after their args, list items ``values_0``...), reads the
    attrs, and adds the op named ``scope``."""
    inputs, counts, types = [], {}, {}
    for arg in definition.inputs:
        value = values[python.get(arg.name, arg.name)]
        if arg.number_attr or arg.type_list_attr:
            if not isinstance(value, (list, tuple)):
                raise TypeError(
                    f"Expected list for '{arg.name}' argument to '{op_type}' Op, not {value!r}."
                )
            tensors = [
                _input(op_type, arg, v, f"{arg.name}_{i}", types) for i, v in enumerate(value)
            ]
            inputs.extend(tensors)
            counts[arg.number_attr or arg.type_list_attr] = len(value)
        else:
            inputs.append(_input(op_type, arg, value, arg.name, types))
    op_attrs = {}
    for attr_name, (type_name, default) in attrs.items():
        value = values.get(python.get(attr_name, attr_name))
        if value is None:
            op_attrs[attr_name] = op_defs.from_attr_value(default)
            continue
        try:
            op_attrs[attr_name] = op_defs.from_attr_value(op_defs.to_attr_value(value, type_name))
        except (TypeError, ValueError) as e:
            raise TypeError(
                f"Attr '{attr_name}' of '{op_type}' Op expects a value of type "
                f"'{type_name}', got {value!r}: {e}"
            ) from None
    op = get_default_graph().create_op(op_type, inputs, op_attrs, scope)
    return _result(op, outputs, result_type, {**counts, **op_attrs})


def _input(op_type: str, arg, value, name: str, types: dict):
    """``value`` as a tensor; a Python value takes the dtype an earlier input gave its type
    attr (``types``), as TF's op builder converts ``y`` of ``Add(x=float64, y=2.0)``."""
    if arg.is_ref:  # a variable's reference, as TF's ref inputs take it
        ref = getattr(value, "_ref", None)
        return ref() if callable(ref) else value
    fixed = not isinstance(arg.type_attr, str)
    hint = dtypes.as_dtype(arg.type_attr) if fixed else types.get(arg.type_attr)
    try:
        if hint is not None and not fixed and not isinstance(value, Tensor):
            tensor = convert_to_tensor(value, dtype=hint, name=name)
        else:
            tensor = convert_to_tensor(value, dtype_hint=hint, name=name)
    except (TypeError, ValueError) as e:
        raise TypeError(f"Input '{arg.name}' of '{op_type}' Op: {e}") from None
    if not fixed and arg.type_attr:
        types.setdefault(arg.type_attr, tensor.dtype.base_dtype)
    return tensor


def _result(op, outputs, result_type, sizes: dict):
    """The op's outputs as TF's raw op returns them (``sizes``: the number and type-list
    attrs, as values or as the length of the input list that decided them)."""
    values = op._outputs
    if not outputs:
        return op
    if len(outputs) == 1:
        return list(values) if outputs[0].number_attr or outputs[0].type_list_attr else values[0]
    # Outputs in order; a list-valued output takes as many tensors as its attr says.
    grouped, k = [], 0
    for arg in outputs:
        count = _output_count(arg, sizes)
        if count is None:
            grouped.append(values[k])
            k += 1
        else:
            grouped.append(list(values[k : k + count]))
            k += count
    if k != len(values):
        raise errors.InternalError(None, None, "raw op outputs do not match TF's OpDef")
    return result_type(*grouped)


def _output_count(arg, sizes: dict) -> int | None:
    size = sizes.get(arg.number_attr or arg.type_list_attr)
    if size is None:
        return None
    return size if isinstance(size, int) else len(size)
