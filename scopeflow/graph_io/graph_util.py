"""``tf.graph_util``: freezing a graph - its variables as constants, only what the outputs
need, without training-only nodes - as TF1's ``convert_variables_to_constants``,
``extract_sub_graph`` and ``remove_training_nodes`` do, on ``GraphDef`` protos."""

from __future__ import annotations

import logging

from scopeflow.framework import dtypes
from scopeflow.graph_io import tensor_util
from scopeflow.graph_io.importer import as_graph_def_message
from scopeflow.graph_io.protos import messages

_log = logging.getLogger("tensorflow")
_VARIABLE_OPS = ("VariableV2", "Variable")


def _node_name(name: str) -> str:
    return name.lstrip("^").partition(":")[0]


def extract_sub_graph(graph_def, dest_nodes):
    """The nodes ``dest_nodes`` (names) need, data and control inputs followed, in the order
    of ``graph_def``.

    >>> import scopeflow as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     a = tf.constant(1.0, name="a")
    ...     b = tf.identity(a, name="b")
    ...     _ = tf.identity(a, name="unused")
    >>> [n.name for n in tf.graph_util.extract_sub_graph(g.as_graph_def(), ["b"]).node]
    ['a', 'b']

    Raises:
        TypeError: ``dest_nodes`` is not a list of names.
        AssertionError: a name is not in the graph (TF1's error).
    """
    if isinstance(dest_nodes, str) or not all(isinstance(d, str) for d in dest_nodes):
        raise TypeError("dest_nodes must be a list.")
    graph_def = as_graph_def_message(graph_def)
    by_name = {node.name: node for node in graph_def.node}
    for d in dest_nodes:
        if d not in by_name:
            raise AssertionError(f"{d} is not in graph")
    keep: set[str] = set()
    stack = list(dest_nodes)
    while stack:
        name = stack.pop()
        if name in keep:
            continue
        keep.add(name)
        stack.extend(_node_name(i) for i in by_name[name].input if _node_name(i) in by_name)
    out = messages().GraphDef()
    out.versions.CopyFrom(graph_def.versions)
    out.node.extend(node for node in graph_def.node if node.name in keep)
    return out


def convert_variables_to_constants(
    sess,
    input_graph_def,
    output_node_names,
    variable_names_whitelist=None,
    variable_names_blacklist=None,
):
    """``input_graph_def`` cut to what ``output_node_names`` need, with each variable replaced
    by a ``Const`` holding its value in ``sess`` (only those in the whitelist, when given, and
    not in the blacklist).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default() as g:
    ...     v = tf.Variable(2.0, name="v")
    ...     y = tf.multiply(v, 3.0, name="y")
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         frozen = tf.graph_util.convert_variables_to_constants(
    ...             sess, g.as_graph_def(), ["y"])
    >>> [(n.name, n.op) for n in frozen.node]
    [('v', 'Const'), ('v/read', 'Identity'), ('y/y', 'Const'), ('y', 'Mul')]
    """
    sub = extract_sub_graph(input_graph_def, output_node_names)
    names = [
        node.name
        for node in sub.node
        if node.op in (*_VARIABLE_OPS, "VarHandleOp")
        and (variable_names_whitelist is None or node.name in variable_names_whitelist)
        and (variable_names_blacklist is None or node.name not in variable_names_blacklist)
    ]
    handles = {n.name for n in sub.node if n.op == "VarHandleOp" and n.name in names}
    reads = _resource_reads(sess, sub, handles)
    fetches = [reads[n] if n in handles else n + ":0" for n in names]
    values = dict(zip(names, sess.run(fetches), strict=True)) if names else {}
    out = messages().GraphDef()
    out.versions.CopyFrom(sub.versions)
    carried = _frozen_resource_nodes(sub, handles)  # a frozen handle's Identity, Switch...
    axes: list = []  # a GatherV2's axis (for a frozen ResourceGather), added at the end
    for node in sub.node:
        new = out.node.add()
        if node.name not in values:
            new.CopyFrom(node)
            _thaw_resource_consumer(new, carried, axes)
            continue
        dtype = dtypes.as_dtype(node.attr["dtype"].type)
        new.name, new.op, new.device = node.name, "Const", node.device
        new.attr["dtype"].type = dtype.as_datatype_enum
        new.attr["value"].tensor.CopyFrom(
            tensor_util.make_tensor_proto(values[node.name], dtype=dtype)
        )
    for name in axes:
        axis = out.node.add()
        axis.name, axis.op = name, "Const"
        axis.attr["dtype"].type = dtypes.int32.as_datatype_enum
        axis.attr["value"].tensor.CopyFrom(tensor_util.make_tensor_proto(0, dtype=dtypes.int32))
    _log.info("Froze %d variables.", len(values))
    _log.info("Converted %d variables to const ops.", len(values))
    return out


def _resource_reads(sess, graph_def, handles: set) -> dict:
    """For each frozen ``VarHandleOp``, a tensor reading its value: its variable's
    ``<name>/Read/ReadVariableOp``, else any ``ReadVariableOp`` of the handle."""
    present = {node.name for node in sess.graph.as_graph_def().node}
    reads = {
        h: f"{h}/Read/ReadVariableOp:0" for h in handles if f"{h}/Read/ReadVariableOp" in present
    }
    for node in graph_def.node:
        source = _node_name(node.input[0]) if node.input else ""
        if node.op == "ReadVariableOp" and source in handles:
            reads.setdefault(source, node.name + ":0")
    missing = sorted(handles - set(reads))
    if missing:
        raise NotImplementedError(
            f"convert_variables_to_constants: resource variable {missing[0]} is never read "
            "directly; pass it in variable_names_blacklist."
        )
    return reads


def _frozen_resource_nodes(graph_def, handles: set) -> dict:
    """Names of the frozen handles and of the nodes passing them on (Identity, Switch,
    Enter, Merge of a resource), to their variable's dtype."""
    carried = {n.name: n.attr["dtype"].type for n in graph_def.node if n.name in handles}
    changed = True
    while changed:
        changed = False
        for node in graph_def.node:
            if node.name in carried or node.op not in ("Identity", "Switch", "Enter", "Merge"):
                continue
            source = _node_name(node.input[0]) if node.input else ""
            if source in carried and node.attr["T"].type == dtypes.resource.as_datatype_enum:
                carried[node.name] = carried[source]
                changed = True
    return carried


def _thaw_resource_consumer(node, carried: dict, axes: list) -> None:
    """Rewrites ``node`` reading a frozen handle as TF does: ``ReadVariableOp`` an
    ``Identity``, ``ResourceGather`` a ``GatherV2`` on axis 0, a passing ``Identity``/``Switch``
    typed by the variable's dtype."""
    source = _node_name(node.input[0]) if node.input else ""
    if source not in carried:
        return
    if node.op == "ReadVariableOp":
        node.op = "Identity"
        node.attr["T"].type = node.attr["dtype"].type
        del node.attr["dtype"]
    elif node.op == "ResourceGather" and not node.attr["batch_dims"].i:
        node.op = "GatherV2"
        node.attr["Tparams"].type = node.attr["dtype"].type
        node.attr["Taxis"].type = dtypes.int32.as_datatype_enum
        for key in ("dtype", "batch_dims", "validate_indices"):
            if key in node.attr:
                del node.attr[key]
        axes.append(node.name + "/axis")
        node.input.insert(2, axes[-1])
    elif node.name in carried:
        node.attr["T"].type = carried[node.name]
    else:
        raise NotImplementedError(
            f"convert_variables_to_constants: '{node.name}' ({node.op}) uses resource "
            f"variable {source}; pass it in variable_names_blacklist."
        )


def remove_training_nodes(input_graph, protected_nodes=None):
    """``input_graph`` with ``CheckNumerics``, ``Identity`` and ``StopGradient`` nodes spliced
    out (their consumers read their input), except protected ones and - TF's rules - those
    with or serving as control inputs and colocation targets (``CheckNumerics`` always goes:
    where TF drops its consumers' edge, leaving them short of an input, they read its input).
    """
    protected = set(protected_nodes or ())
    graph = as_graph_def_message(input_graph)
    removed = {
        n.name: n.input[0]
        for n in graph.node
        if n.op == "CheckNumerics" and n.name not in protected and n.input
    }
    kept = []
    for node in graph.node:
        if node.name in removed:
            continue
        new = messages().NodeDef()
        new.CopyFrom(node)
        del new.input[:]
        for full in node.input:
            while full.lstrip("^") in removed:
                full = ("^" if full.startswith("^") else "") + removed[full.lstrip("^")]
            new.input.append(full)
        kept.append(new)
    control_sources, with_control, colocated = set(), set(), set()
    for node in kept:
        for i in node.input:
            if i.startswith("^"):
                control_sources.add(i[1:])
                with_control.add(node.name)
        if "_class" in node.attr:
            colocated.update(s.decode().removeprefix("loc:@") for s in node.attr["_class"].list.s)
    splice = {
        node.name: node.input[0]
        for node in kept
        if node.op in ("Identity", "StopGradient")
        and node.input
        and node.name not in protected | colocated | with_control | control_sources
    }
    out = messages().GraphDef()
    out.versions.CopyFrom(graph.versions)
    for node in kept:
        if node.name in splice:
            continue
        new = out.node.add()
        new.CopyFrom(node)
        del new.input[:]
        for full in node.input:
            while full.lstrip("^") in splice:
                full = splice[full.lstrip("^")]
            new.input.append(full)
    return out


# TF's graph_util._VARIABLE_OPS: the op types pin_variables_on_cpu keeps on the CPU
_PINNED_OPS = frozenset({
    "Assign", "AssignAdd", "AssignSub", "Queue", "ScatterAdd", "ScatterSub", "ScatterUpdate",
    "TruncatedNormal", "Variable", "VariableV2", "VarHandleOp",
})  # fmt: skip


def _dtype_of(node, key: str):
    """The dtype attr ``key`` of an op (read from its tensors) or of a NodeDef."""
    if hasattr(node, "outputs"):  # an Operation: the attr's dtype is a tensor's
        t = node.inputs[0] if key == "SrcT" else node.outputs[0]
        return t.dtype.base_dtype
    value = node.attr[key] if key in node.attr else None
    if value is None:
        return None
    return dtypes.as_dtype(value.type if hasattr(value, "type") else value)


def must_run_on_cpu(node, pin_variables_on_cpu: bool = False) -> bool:
    """Whether TF's device placement keeps ``node`` (an op or a NodeDef) on the CPU: int32 and
    string constants, int32 stitches and casts from int32, and with ``pin_variables_on_cpu``
    the variable ops.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(must_run_on_cpu(tf.constant(1).op), must_run_on_cpu(tf.constant(1.0).op))
    True False
    """
    op = node.type if hasattr(node, "outputs") else node.op
    if pin_variables_on_cpu and op in _PINNED_OPS:
        return True
    if op == "Const":
        return _dtype_of(node, "dtype") in (dtypes.string, dtypes.int32)
    if op in ("DynamicStitch", "ParallelDynamicStitch"):
        return _dtype_of(node, "T") == dtypes.int32
    if op == "Cast":
        return _dtype_of(node, "SrcT") == dtypes.int32
    return False


def tensor_shape_from_node_def_name(graph, input_name: str):
    """The static shape of the tensor a NodeDef input names (``"Mul"`` means ``"Mul:0"``)."""
    name = input_name if ":" in input_name else input_name + ":0"
    return graph.get_tensor_by_name(name).get_shape()
