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
    if type_name.startswith("list("):
        inner = type_name[5:-1]
        attr.list.SetInParent()
        for v in value:
            _set_scalar(attr.list, inner, v, repeated=True)
    else:
        _set_scalar(attr, type_name, value, repeated=False)
    return attr


def _set_scalar(target, type_name: str, value, repeated: bool) -> None:
    def put(field, v):
        if repeated:
            getattr(target, field).append(v)
        else:
            setattr(target, field, v)

    if type_name == "type":
        put("type", dtypes.as_dtype(value).base_dtype.as_datatype_enum)
    elif type_name == "shape":
        shape = target.shape.add() if repeated else target.shape
        shape.SetInParent()  # a scalar's shape has no fields set, yet is a value
        tensor_util.shape_proto(value, shape)
    elif type_name == "tensor":
        proto = tensor_util.make_tensor_proto(value)
        (target.tensor.add() if repeated else target.tensor).CopyFrom(proto)
    elif type_name == "string":
        put("s", value.encode() if isinstance(value, str) else bytes(value))
    elif type_name == "int":
        put("i", int(value))
    elif type_name == "float":
        put("f", float(value))
    elif type_name == "bool":
        put("b", bool(value))
    else:
        raise TypeError(f"attrs of type '{type_name}' cannot be exported")


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
    kind = attr_type_of(attr)
    if kind is None or kind == "func":
        raise TypeError(f"attr value {attr.WhichOneof('value')!r} is not supported")
    if kind == "list":
        return []
    if kind.startswith("list("):
        field = next(f for f, t in _SCALAR_FIELDS.items() if t == kind[5:-1])
        return [_scalar(field, v) for v in getattr(attr.list, field)]
    field = next(f for f, t in _SCALAR_FIELDS.items() if t == kind)
    return _scalar(field, getattr(attr, field))


def _scalar(field: str, v):
    if field == "type":
        return dtypes.as_dtype(int(v))
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
