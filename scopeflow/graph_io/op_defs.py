"""TensorFlow's OpDefs for the op types scopeflow has, and attr values to and from protos.

``tf_op_defs.json`` holds, for each op type, TF's input and output args (name, type attr or
fixed DataType number, number attr, type-list attr, is a reference) and its attrs (name, type,
default as ``AttrValue`` JSON), written from TensorFlow's own registry by
``tools/make_tf_op_defs.py``. The exporter reads it to name a node's type attrs (``T``,
``Tidx``, ``N``) and fill in defaults exactly as TF's graphs record them; the importer checks
each attr's type against it.
"""

from __future__ import annotations

import functools
import json
import pathlib
from dataclasses import dataclass

from scopeflow.framework import dtypes
from scopeflow.graph_io import tensor_util
from scopeflow.graph_io.protos import messages


@dataclass(frozen=True)
class ArgDef:
    name: str
    type_attr: str | int  # an attr name, or a fixed DataType number
    number_attr: str | None
    type_list_attr: str | None
    is_ref: bool


@dataclass(frozen=True)
class TfOpDef:
    type: str
    inputs: tuple[ArgDef, ...]
    outputs: tuple[ArgDef, ...]
    attrs: dict  # name -> (type, default AttrValue or None)
    # (GraphDef version, explanation) of an op type TF removed (TopK: 7), else None
    deprecation: tuple[int, str] | None = None


@functools.cache
def _table() -> dict:
    path = pathlib.Path(__file__).with_name("tf_op_defs.json")
    return json.loads(path.read_text())


@functools.cache
def tf_op_def(op_type: str) -> TfOpDef | None:
    """TF's OpDef for ``op_type``, or None when the table lacks it."""
    from google.protobuf import json_format

    entry = _table().get(op_type)
    if entry is None:
        return None
    attrs = {}
    for name, type_name, default in entry["attrs"]:
        value = None
        if default is not None:
            value = json_format.ParseDict(default, messages().AttrValue())
        attrs[name] = (type_name, value)
    return TfOpDef(
        op_type,
        tuple(ArgDef(*a) for a in entry["in"]),
        tuple(ArgDef(*a) for a in entry["out"]),
        attrs,
        tuple(entry["dep"]) if "dep" in entry else None,
    )


def removed_in(op_type: str, producer: int) -> str | None:
    """TF's message when ``op_type`` is no longer available to a graph of GraphDef version
    ``producer`` (``TopK`` from version 7 on), else None: such op types import from older
    GraphDefs only, as in TF.

    >>> removed_in("TopK", 6) is None, removed_in("TopK", 7)
    (True, 'Op TopK is not available in GraphDef version 7. It has been removed in version 7. \
Use TopKV2 instead.')
    """
    definition = tf_op_def(op_type)
    if definition is None or definition.deprecation is None:
        return None
    version, explanation = definition.deprecation
    if producer < version:
        return None
    return (
        f"Op {op_type} is not available in GraphDef version {producer}. It has been removed in "
        f"version {version}. {explanation}."
    )


def known_op_types() -> list[str]:
    return sorted(_table())


# -- Python values (as scopeflow's ops record them) to AttrValue -----------------------------


def to_attr_value(value, type_name: str):
    """An ``AttrValue`` of TF's attr type ``type_name`` holding ``value``.

    Raises:
        TypeError: ``value`` cannot be an attr of that type.
    """
    attr = messages().AttrValue()
    set_attr_value(attr, value, type_name)
    return attr


def set_attr_value(attr, value, type_name: str) -> None:
    """Sets the ``AttrValue`` ``attr`` to ``value`` as TF's attr type ``type_name``."""
    if type_name == "type":
        attr.type = _dtype_enum(value)
    elif type_name == "bool":
        attr.b = bool(value)
    elif type_name == "int":
        attr.i = int(value)
    elif type_name == "string":
        attr.s = value.encode() if isinstance(value, str) else bytes(value)
    elif type_name == "float":
        attr.f = float(value)
    elif type_name == "shape":
        attr.shape.SetInParent()  # a scalar's shape has no fields set, yet is a value
        tensor_util.shape_proto(value, attr.shape)
    elif type_name == "tensor":
        tensor_util.fill_tensor_proto(attr.tensor, value)
    elif type_name == "func":  # a name only: scopeflow writes no function library
        attr.func.name = value
    elif type_name.startswith("list("):
        _set_list(attr.list, type_name[5:-1], value)
    else:
        raise TypeError(f"attrs of type '{type_name}' cannot be exported")


def _dtype_enum(value) -> int:
    if isinstance(value, dtypes.DType):
        return value.base_dtype.as_datatype_enum
    return dtypes.as_dtype(value).base_dtype.as_datatype_enum


def _set_list(target, type_name: str, values) -> None:
    target.SetInParent()
    if type_name == "int":
        target.i.extend(int(v) for v in values)
    elif type_name == "type":
        target.type.extend(_dtype_enum(v) for v in values)
    elif type_name == "string":
        target.s.extend(v.encode() if isinstance(v, str) else bytes(v) for v in values)
    elif type_name == "float":
        target.f.extend(float(v) for v in values)
    elif type_name == "bool":
        target.b.extend(bool(v) for v in values)
    elif type_name == "shape":
        for v in values:
            tensor_util.shape_proto(v, target.shape.add())
    elif type_name == "tensor":
        for v in values:
            tensor_util.fill_tensor_proto(target.tensor.add(), v)
    else:
        raise TypeError(f"attrs of type 'list({type_name})' cannot be exported")


# -- AttrValue to Python values --------------------------------------------------------------

_SCALAR_FIELDS = {"s": "string", "i": "int", "f": "float", "b": "bool", "type": "type",
                  "shape": "shape", "tensor": "tensor"}  # fmt: skip


def attr_type_of(attr) -> str | None:
    """The attr type an ``AttrValue`` holds (``"list(int)"``, ``"type"``), ``"list"`` for an
    empty list, None when unset or a function."""
    which = attr.WhichOneof("value")
    if which == "list":
        for field, type_name in _SCALAR_FIELDS.items():
            if len(getattr(attr.list, field)):
                return f"list({type_name})"
        return "func" if len(attr.list.func) else "list"
    return _SCALAR_FIELDS.get(which)


def from_attr_value(attr):
    """The Python value of an ``AttrValue``, as scopeflow's ops record attrs: ``DType``,
    ``TensorShape``, a read-only ndarray, ``str``, ``int``, ``float``, ``bool`` or a list.

    Raises:
        ValueError: a tensor or shape is malformed; TypeError: an unsupported kind.
    """
    which = attr.WhichOneof("value")
    if which in ("b", "i", "f"):
        return getattr(attr, which)
    if which in _SCALAR_FIELDS:
        return _scalar(which, getattr(attr, which))
    if which == "list":
        values = attr.list
        for field in _SCALAR_FIELDS:
            items = getattr(values, field)
            if len(items):
                return [_scalar(field, v) for v in items]
        if not len(values.func):
            return []
    raise TypeError(f"attr value {which!r} is not supported")


def _scalar(field: str, v):
    if field == "type":
        return dtypes.as_dtype(v)
    if field == "shape":
        return tensor_util.shape_from_proto(v)
    if field == "tensor":
        array = tensor_util.make_ndarray(v)
        array.flags.writeable = False
        return array
    if field == "s":
        try:
            return v.decode()
        except UnicodeDecodeError:
            return bytes(v)
    return v


def attr_matches(kind: str | None, type_name: str) -> bool:
    """Whether an ``AttrValue`` of ``kind`` may fill a TF attr of ``type_name``."""
    return kind == type_name or (kind == "list" and type_name.startswith("list("))
