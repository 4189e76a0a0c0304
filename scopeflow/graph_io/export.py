"""``Graph.as_graph_def`` and ``tf.train.write_graph``: a graph as TensorFlow's ``GraphDef``.

Each node gets what TensorFlow's own graphs record: its op type, inputs (``"x"`` for output
0, ``"x:1"``, ``"^x"`` for a control input), device, and every attr of TF's OpDef for that
type - type attrs (``T``, ``Tidx``, ``N``) read from the op's input and output dtypes,
defaults filled in, values converted to TF's attr types. An op type TensorFlow does not have
is refused, naming the op.
"""

from __future__ import annotations

import os

from scopeflow.framework import errors
from scopeflow.framework.graph import Graph, register_graph_def_exporter
from scopeflow.framework.operation import Operation
from scopeflow.graph_io import op_defs
from scopeflow.graph_io.protos import messages

# GraphDef.versions.producer of the TensorFlow whose OpDefs tf_op_defs.json holds (2.21).
PRODUCER = 2474


def as_graph_def(graph: Graph, from_version: int | None = None, add_shapes: bool = False):
    """The ``GraphDef`` of ``graph`` (ops added since version ``from_version`` only, when given;
    ``add_shapes`` records each node's output shapes as ``_output_shapes``).

    Raises:
        ValueError: an op's type or attrs have no TensorFlow equivalent.
    """
    graph_def = messages().GraphDef()
    graph_def.versions.producer = PRODUCER
    ops = graph.get_operations()
    if from_version is not None:
        ops = ops[from_version:]
    nodes = graph_def.node
    # Each op's attrs, serialized once: they do not change after the op is made, and a
    # graph is exported again and again (each Saver.save writes a .meta).
    cache = graph._store("graph_io.exported_attrs", dict)
    for op in ops:
        node = nodes.add()
        attrs = cache.get(op)
        if attrs is None:
            attrs = cache[op] = node_def(op).SerializeToString()
        node.MergeFromString(attrs)
        node.input.extend(input_names(op))
        if add_shapes:
            op_defs.set_attr_value(node.attr["_output_shapes"], [t.shape for t in op.outputs],
                                   "list(shape)")  # fmt: skip
    return graph_def


def input_names(op: Operation) -> list[str]:
    names = [t.op.name if t.value_index == 0 else t.name for t in op.inputs]
    return names + ["^" + c.name for c in op.control_inputs]


def node_def(op: Operation, node=None):
    """The ``NodeDef`` of ``op`` without its inputs (filled into ``node`` when given)."""
    node = messages().NodeDef() if node is None else node
    node.name = op.name
    node.op = op.type
    if op.device:
        node.device = op.device
    attrs = node.attr
    for name, type_name, value in tf_attrs(op):
        target = attrs[name]
        if type_name is None:  # a default, already an AttrValue
            target.CopyFrom(value)
            continue
        try:
            op_defs.set_attr_value(target, value, type_name)
        except (TypeError, ValueError) as e:
            raise ValueError(
                f"Cannot export attr '{name}' of op '{op.name}' (type {op.type}) as TensorFlow's "
                f"'{type_name}': {e}"
            ) from None
    return node


def tf_attrs(op: Operation) -> list[tuple[str, str | None, object]]:
    """``(name, TF attr type, value)`` for every attr TF's OpDef gives ``op``'s type; a
    default comes as ``(name, None, AttrValue)``."""
    definition = op_defs.tf_op_def(op.type)
    if definition is None:
        raise ValueError(
            f"Op '{op.name}' has type '{op.type}', which TensorFlow does not have (or "
            "scopeflow/graph_io/tf_op_defs.json lacks: regenerate it with "
            "tools/make_tf_op_defs.py): it cannot be exported to a GraphDef."
        )
    recorded = op._recorded_attrs()
    defined = definition.attrs
    values = {k: v for k, v in recorded.items() if k in defined}
    _type_attrs(definition.inputs, [t.dtype for t in op.inputs], values)
    _type_attrs(definition.outputs, [t.dtype for t in op.outputs], values)
    out = []
    for name, (type_name, default) in defined.items():
        if name in values:
            out.append((name, type_name, values[name]))
        elif default is not None:
            out.append((name, None, default))
        else:
            raise ValueError(
                f"Op '{op.name}' (type {op.type}) has no value for TensorFlow's attr '{name}': "
                "it cannot be exported to a GraphDef."
            )
    for name, value in recorded.items():
        if name in defined:
            continue
        if name.startswith("_"):  # TF's hints are strings; scopeflow's own (a tensor) stay
            if isinstance(value, str):
                out.append((name, "string", value))
            elif isinstance(value, bool):  # the XLA hints (_XlaCompile)
                out.append((name, "bool", value))
            elif isinstance(value, list) and all(isinstance(v, (str, bytes)) for v in value):
                out.append((name, "list(string)", value))
        elif value not in ([], (), None, ""):
            raise ValueError(
                f"Op '{op.name}' (type {op.type}) has attr '{name}', which TensorFlow's "
                f"{op.type} does not have: it cannot be exported to a GraphDef."
            )
    return out


def _type_attrs(args, dtypes_, values: dict) -> None:
    """Sets the type, number and type-list attrs ``args`` draw from ``dtypes_`` (the op's
    input or output dtypes, in order), keeping those already in ``values``."""
    if all(not (a.number_attr or a.type_list_attr) for a in args):  # one tensor each
        for arg, dtype in zip(args, dtypes_, strict=False):
            if isinstance(arg.type_attr, str) and arg.type_attr not in values:
                values[arg.type_attr] = dtype.base_dtype
        return
    counts = arg_counts(args, len(dtypes_), values)
    position = 0
    for arg, count in zip(args, counts, strict=True):
        taken = [d.base_dtype for d in dtypes_[position : position + count]]
        position += count
        if arg.number_attr:
            values.setdefault(arg.number_attr, count)
        if arg.type_list_attr:
            values.setdefault(arg.type_list_attr, taken)
        elif isinstance(arg.type_attr, str) and taken:
            values.setdefault(arg.type_attr, taken[0])


def arg_counts(args, total: int, values: dict) -> list[int]:
    """How many tensors each arg of ``args`` takes out of ``total``: one for a plain arg,
    the recorded length of a number or type-list attr, or a share of the rest."""
    counts: list[int | None] = []
    for arg in args:
        known = values.get(arg.number_attr or arg.type_list_attr or "")
        if not (arg.number_attr or arg.type_list_attr):
            counts.append(1)
        elif known is not None:
            counts.append(known if isinstance(known, int) else len(known))
        else:
            counts.append(None)
    unknown = [i for i, c in enumerate(counts) if c is None]
    if unknown:
        rest = total - sum(c for c in counts if c is not None)
        share = rest // len(unknown) if rest > 0 else 0
        for i in unknown:
            counts[i] = share
    return counts  # type: ignore[return-value]


def write_graph(graph_or_graph_def, logdir: str, name: str, as_text: bool = True) -> str:
    """Writes a graph's ``GraphDef`` to ``logdir/name`` (text or binary) and returns the path,
    as ``tf.train.write_graph``.

    >>> import os, tempfile, scopeflow as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     _ = tf.constant(1.0, name="c")
    >>> path = tf.train.write_graph(g, tempfile.mkdtemp(), "g.pbtxt")
    >>> 'name: "c"' in open(path).read()
    True
    """
    from google.protobuf import text_format

    graph_def = graph_or_graph_def
    if isinstance(graph_def, Graph):
        graph_def = as_graph_def(graph_def)
    path = os.path.join(os.fspath(logdir), name)
    if logdir and os.path.exists(logdir) and not os.path.isdir(logdir):  # TF 2.21's words
        raise errors.FailedPreconditionError(None, None, f"{os.fspath(logdir)} is not a directory")
    if logdir:
        os.makedirs(logdir, exist_ok=True)
    data = text_format.MessageToString(graph_def).encode() if as_text else None
    data = data if as_text else graph_def.SerializeToString(deterministic=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return path


register_graph_def_exporter(as_graph_def)
