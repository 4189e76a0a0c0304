"""``tf.test.assert_equal_graph_def``: two ``GraphDef``s compared as TF's ``EqualGraphDef``
does - nodes matched by name in any order, versions, control-input order and internal
(``_``-prefixed) attrs ignored - with TF's messages, nodes and attrs summarized as TF's
``SummarizeNodeDef`` writes them (``{{node c}} = Const[dtype=DT_FLOAT, value=Tensor<type: float
shape: [] values: 1>]()``)."""

from __future__ import annotations

import re

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.graph_io import tensor_util
from scopeflow.graph_io.protos import messages

__all__ = ["assert_equal_graph_def"]

_TENSOR_VALUES = 3  # TF's Tensor::DebugString shows the first 3 values
_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}  # DataTypeString


def _float_text(value, single: bool) -> str:
    """A float as C++'s StrCat writes it: the shortest of %.6g/%.9g (%.15g/%.17g for doubles)
    that reads back the same."""
    short, full, kind = ("%.6g", "%.9g", np.float32) if single else ("%.15g", "%.17g", float)
    text = short % value
    return text if kind(float(text)) == kind(value) else full % value


def _c_escape(data: bytes) -> str:
    out = []
    for byte in data:
        c = chr(byte)
        if c in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[c])
        elif c in "\"'\\":
            out.append("\\" + c)
        elif 32 <= byte < 127:
            out.append(c)
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)


def _element(value, dtype) -> str:
    if dtype == dtypes.string:
        return _c_escape(value if isinstance(value, bytes) else str(value).encode())
    if dtype == dtypes.bool:
        return "1" if value else "0"
    if dtype.is_floating:
        return _float_text(float(value), dtype != dtypes.float64)
    return str(value)


def _one_dim(dim: int, shape, limit: int, flat, at: list, out: list) -> None:
    """TF's PrintOneDim: nested brackets, stopping with '...' after ``limit`` values."""
    if at[0] >= limit:
        return
    if dim == len(shape) - 1:
        for i in range(shape[dim]):
            if at[0] >= limit:
                if dim != 0:
                    out.append("...")
                return
            if i > 0:
                out.append(" ")
            out.append(flat[at[0]])
            at[0] += 1
        return
    for _ in range(shape[dim]):
        opened = at[0] < limit
        if opened:
            out.append("[")
        _one_dim(dim + 1, shape, limit, flat, at, out)
        if at[0] < limit or opened:
            out.append("]")


def _tensor_text(proto) -> str:
    array = tensor_util.make_ndarray(proto)
    dtype = dtypes.as_dtype(proto.dtype)
    size = array.size
    limit = min(_TENSOR_VALUES, size)
    flat = [_element(v, dtype) for v in array.reshape(-1)[:limit]]
    if array.ndim > 1:
        out: list = []
        _one_dim(0, array.shape, limit, flat, [0], out)
        values = "".join(out)
    else:
        values = " ".join(flat)
    if size > limit:
        values += "..."
    shape = "[" + ",".join(str(d) for d in array.shape) + "]"
    return (
        f"Tensor<type: {_TYPE_NAMES.get(dtype.name, dtype.name)} shape: {shape} values: {values}>"
    )


def _shape_text(proto) -> str:
    if proto.unknown_rank:
        return "<unknown>"
    return "[" + ",".join("?" if d.size < 0 else str(d.size) for d in proto.dim) + "]"


def _type_text(number: int) -> str:
    return next(k for k, v in vars(messages()).items() if k.startswith("DT_") and v == number)


def _attr_text(value) -> str:
    """An AttrValue as TF's SummarizeAttrValue writes it."""
    kind = value.WhichOneof("value")
    if kind == "list":
        items = []
        for field in ("s", "i", "f", "b", "type", "shape", "tensor"):
            items += [_attr_item(field, v) for v in getattr(value.list, field)]
        return "[" + ", ".join(items) + "]"
    if kind == "func":
        return value.func.name
    if kind == "placeholder":
        return "$" + value.placeholder
    if kind is None:
        return "<Unknown AttrValue type>"
    return _attr_item(kind, getattr(value, kind))


def _attr_item(kind: str, v) -> str:
    if kind == "s":
        return '"' + _c_escape(v) + '"'
    if kind == "f":
        return _float_text(v, True)
    if kind == "b":
        return "true" if v else "false"
    if kind == "type":
        return _type_text(v)
    if kind == "shape":
        return _shape_text(v)
    if kind == "tensor":
        return _tensor_text(v)
    return str(v)


def _node_text(node) -> str:
    attrs = [f"{k}={_attr_text(node.attr[k])}" for k in sorted(node.attr)]
    if node.device:
        attrs.append(f'_device="{node.device}"')
    return f"{{{{node {node.name}}}}} = {node.op}[{', '.join(attrs)}]({', '.join(node.input)})"


def _node_difference(actual, expected) -> str | None:
    name = actual.name
    if actual.op != expected.op:
        return f"Node named '{name}' has op '{actual.op}' that is not expected '{expected.op}'"
    if actual.device != expected.device:
        return (
            f"Node named '{name}' has device '{actual.device}' that is not expected "
            f"'{expected.device}'"
        )
    a_in, e_in = list(actual.input), list(expected.input)
    inputs = f"Node named '{name}' has inputs '{', '.join(a_in)}' that don't match expected '"
    inputs += f"{', '.join(e_in)}'"
    if len(a_in) != len(e_in):
        return inputs
    for i, (a, e) in enumerate(zip(a_in, e_in, strict=True)):
        if a.startswith("^"):
            break
        if a != e:
            return f"Node named '{name}' has input {i} '{a}' that doesn't match expected '{e}'"
    if sorted(x for x in a_in if x.startswith("^")) != sorted(x for x in e_in if x[:1] == "^"):
        return inputs
    for key in actual.attr:  # in the message's order, as TF walks its map
        if key.startswith("_"):
            continue
        if key not in expected.attr:
            return (
                f"Node named '{name}' has unexpected attr '{key}' with value: "
                f"{_attr_text(actual.attr[key])}"
            )
        if actual.attr[key] != expected.attr[key]:
            return (
                f"Node named '{name}' has attr '{key}' with value: "
                f"{_attr_text(actual.attr[key])} that does not match expected: "
                f"{_attr_text(expected.attr[key])}"
            )
    for key in expected.attr:
        if not key.startswith("_") and key not in actual.attr:
            return (
                f"Node named '{name}' missing expected attr '{key}' with value: "
                f"{_attr_text(expected.attr[key])}"
            )
    return None


def assert_equal_graph_def(
    actual, expected, checkpoint_v2: bool = False, hash_table_shared_name: bool = False
) -> None:
    """Raises ``AssertionError`` naming the first difference between two ``GraphDef``s, as
    TF's: a node missing or unexpected, or a node's op, device, inputs or attrs.
    ``checkpoint_v2`` ignores the random temporary-file names of V2 savers;
    ``hash_table_shared_name`` the random shared names of ``HashTableV2`` ops.

    Raises:
        TypeError: an argument is not a ``GraphDef``.
        AssertionError: the graphs differ.
    """
    graph_def = messages().GraphDef
    for which, value in (("actual", actual), ("expected", expected)):
        if not isinstance(value, graph_def):
            raise TypeError(f"Expected tf.GraphDef for {which}, got {type(value).__name__}")
    if checkpoint_v2 or hash_table_shared_name:
        actual, expected = (
            graph_def.FromString(actual.SerializeToString()),
            graph_def.FromString(expected.SerializeToString()),
        )
        for g in (actual, expected):
            _strip_random(g, checkpoint_v2, hash_table_shared_name)
    remaining = {node.name: node for node in actual.node}
    for node in expected.node:
        found = remaining.pop(node.name, None)
        if found is None:
            raise AssertionError(f"Did not find expected node '{_node_text(node)}'")
        difference = _node_difference(found, node)
        if difference:
            raise AssertionError(difference)
    if remaining:
        raise AssertionError(
            f"Found unexpected node '{_node_text(next(iter(remaining.values())))}'"
        )


_SAVER_TEMP = re.compile(rb"_temp_[0-9a-z]{32}/part")  # a V2 saver's random temporary name
_TABLE_SHARED_NAME = re.compile(rb"hash_table_[0-9a-z\-]+")


def _strip_random(graph_def, checkpoint_v2: bool, hash_table_shared_name: bool) -> None:
    """Drops the attrs TF's test_util drops before comparing: tensors whose one string is a
    saver's temporary name, and tables' generated shared names."""
    for node in graph_def.node:
        if checkpoint_v2:
            for key in [k for k in node.attr if _is_saver_temp(node.attr[k])]:
                del node.attr[key]
        if hash_table_shared_name and node.op == "HashTableV2" and "shared_name" in node.attr:
            if _TABLE_SHARED_NAME.match(node.attr["shared_name"].s):
                del node.attr["shared_name"]


def _is_saver_temp(value) -> bool:
    strings = value.tensor.string_val
    return len(strings) == 1 and bool(_SAVER_TEMP.match(strings[0]))
