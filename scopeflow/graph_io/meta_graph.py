"""``MetaGraphDef``: a graph with its collections and its saver, as TensorFlow's ``.meta``.

Collections go into ``CollectionDef`` as TF1 puts them: variables (``variables``,
``trainable_variables``, ``global_step``, ...) as serialized ``VariableDef`` protos, tensors
and ops as names (``node_list``), strings as ``bytes_list``, numbers as ``int64_list`` /
``float_list``; other objects are skipped with a warning, as TF1 does.

scopeflow's ``Saver`` reads and writes session values without graph ops, but TensorFlow's
``import_meta_graph`` builds its Saver from the ``SaverDef``, which names ops. So the exported
GraphDef gets the ``save/`` ops TF1's Saver would have made (``SaveV2``, ``RestoreV2``, one
``Assign`` per variable, ``restore_all``), and importing skips that scope again: scopeflow's
Saver does not need it.
"""

from __future__ import annotations

import logging
import numbers
import os

from scopeflow.framework import undo
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.errors import DataLossError, FailedPreconditionError
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.operation import Operation
from scopeflow.framework.tensor import Tensor
from scopeflow.graph_io import export, importer
from scopeflow.graph_io.protos import messages
from scopeflow.graph_io.sharded_save import add_sharded_save_nodes
from scopeflow.variables.variables import Variable

_log = logging.getLogger("tensorflow")

# Collections TF1 stores as VariableDef protos (its register_proto_function list).
VARIABLE_COLLECTIONS = (
    GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES, GraphKeys.LOCAL_VARIABLES,
    GraphKeys.MODEL_VARIABLES, GraphKeys.MOVING_AVERAGE_VARIABLES, GraphKeys.METRIC_VARIABLES,
    GraphKeys.GLOBAL_STEP,
)  # fmt: skip
_SAVER_V2 = 2

# Collection key -> function(serialized proto, import_scope) rebuilding an item that
# ``to_proto`` wrote (TF's register_proto_function's from_proto): QueueRunner registers here.
PROTO_READERS: dict = {}


def variable_def(variable: Variable, export_scope: str | None = None):
    """The ``VariableDef`` proto of a variable, as TF1's ``Variable.to_proto`` (a resource
    variable's snapshot is its ``<name>/Read/ReadVariableOp``, and ``is_resource`` is set);
    names lose a leading ``export_scope/``, and a variable outside ``export_scope`` gives None.
    """
    if export_scope is not None and not variable.name.startswith(export_scope):
        return None
    scope = (export_scope or "").rstrip("/")

    def strip(name: str) -> str:  # TF's strip_name_scope: one leading "<scope>/" goes
        if scope and name.startswith(scope + "/"):
            return name[len(scope):].lstrip("/")
        return name

    resource = variable._is_resource
    snapshot = variable._as_graph_element() if resource else variable.value()
    proto = messages().VariableDef(
        variable_name=strip(variable.name),
        initializer_name=strip(variable.initializer.name),
        snapshot_name=strip(snapshot.name),
        initial_value_name=strip(variable.initial_value.name),
        trainable=variable.trainable,
        is_resource=resource,
    )
    info = variable._get_save_slice_info()
    if info is not None:  # a part of a partitioned variable
        proto.save_slice_info_def.full_name = strip(info.full_name)
        proto.save_slice_info_def.full_shape.extend(info.full_shape)
        proto.save_slice_info_def.var_offset.extend(info.var_offset)
        proto.save_slice_info_def.var_shape.extend(info.var_shape)
    return proto


def _variable_to_proto(self, export_scope=None):
    """TF1's ``Variable.to_proto``: this variable's ``VariableDef``, its names relative to
    ``export_scope`` (None when the variable is not in it)."""
    return variable_def(self, export_scope)


def _variable_from_proto(variable_def, import_scope=None):
    """TF1's ``Variable.from_proto``: the variable whose ops ``variable_def`` names (under
    ``import_scope``) in the default graph; a resource ``VariableDef`` gives a resource one."""
    return Variable(variable_def=variable_def, import_scope=import_scope)


# Bound here: the protos live in graph_io, which the variables package may not import.
Variable.to_proto = _variable_to_proto
Variable.from_proto = staticmethod(_variable_from_proto)


def _collection_def(key: str, items, proto) -> bool:
    """Fills ``proto`` with ``items``; False when they cannot be stored (skipped)."""
    if key in VARIABLE_COLLECTIONS and all(isinstance(v, Variable) for v in items):
        proto.bytes_list.value.extend(variable_def(v).SerializeToString() for v in items)
    elif all(isinstance(v, (Tensor, Operation, Variable)) for v in items):
        proto.node_list.value.extend(v.name for v in items)
    elif all(hasattr(v, "to_proto") for v in items):  # savers: their SaverDef, as TF1
        proto.bytes_list.value.extend(v.to_proto().SerializeToString() for v in items)
    elif all(hasattr(v, "type_url") for v in items):  # google.protobuf.Any (SavedModel assets)
        proto.any_list.value.extend(messages().Any(type_url=v.type_url, value=v.value)
                                    for v in items)  # fmt: skip
    elif all(isinstance(v, (str, bytes)) for v in items):
        proto.bytes_list.value.extend(v.encode() if isinstance(v, str) else v for v in items)
    elif all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in items):
        proto.int64_list.value.extend(int(v) for v in items)
    elif all(isinstance(v, numbers.Real) for v in items):
        proto.float_list.value.extend(float(v) for v in items)
    else:
        return False
    return bool(items)


def _add_save_nodes(graph_def, names_to_vars: dict, scope: str) -> None:
    """Appends the ``save/`` NodeDefs TF1's V2 Saver makes for ``names_to_vars`` (a
    partitioned variable's parts saved from their ``read`` tensors, each with its slice)."""
    names, specs, variables, tensors = [], [], [], []
    for name in sorted(names_to_vars):
        var = names_to_vars[name]
        for part in getattr(var, "parts", None) or [var]:
            info = part._get_save_slice_info() if part is not var else None
            names.append(name)
            specs.append("" if info is None else info.spec)
            variables.append(part)
            if part._is_resource:  # its Read/ReadVariableOp, as TF's saver reads it
                tensors.append(part._as_graph_element().name.partition(":")[0])
                continue
            tensors.append((part if info is None else part.value()).name.partition(":")[0])

    def node(name, op, inputs=(), **attrs):
        n = graph_def.node.add(name=f"{scope}/{name}" if name else scope, op=op)
        n.input.extend(inputs)
        for key, (type_name, value) in attrs.items():
            n.attr[key].CopyFrom(export.op_defs.to_attr_value(value, type_name))
        return n.name

    def const(name, value):
        return node(name, "Const", value=("tensor", value), dtype=("type", "string"))

    string = ("type", "string")
    scalar = ("shape", [])
    default = const("filename/input", "model")
    filename = node("filename", "PlaceholderWithDefault", [default], dtype=string, shape=scalar)
    prefix = node("Const", "PlaceholderWithDefault", [filename], dtype=string, shape=scalar)
    dtypes_ = ("list(type)", [v.dtype.base_dtype for v in variables])
    save = node(
        "SaveV2", "SaveV2",
        [prefix, const("SaveV2/tensor_names", names), const("SaveV2/shape_and_slices",
         specs), *tensors],
        dtypes=dtypes_,
    )  # fmt: skip
    node("control_dependency", "Identity", [prefix, "^" + save], T=string)
    restore = node(
        "RestoreV2", "RestoreV2",
        [prefix, const("RestoreV2/tensor_names", names),
         const("RestoreV2/shape_and_slices", specs)],
        dtypes=dtypes_,
    )  # fmt: skip
    assigns = []
    counts = {"Assign": 0, "AssignVariableOp": 0}  # TF's names count each kind apart
    for i, var in enumerate(variables):
        value = restore if i == 0 else f"{restore}:{i}"
        kind = "AssignVariableOp" if var._is_resource else "Assign"
        n, counts[kind] = counts[kind], counts[kind] + 1
        tail = f"_{n}" if n else ""
        dtype = ("type", var.dtype.base_dtype)
        if kind == "AssignVariableOp":  # TF's: an Identity of the value, then the assignment
            value = node(f"Identity{tail}", "Identity", [value], T=dtype)
            assigns.append(node(
                f"AssignVariableOp{tail}", kind, [var.op.name, value], dtype=dtype,
                validate_shape=("bool", False),
            ))  # fmt: skip
            continue
        assigns.append(node(
            f"Assign{tail}", "Assign", [var.op.name, value], T=dtype,
            validate_shape=("bool", True), use_locking=("bool", True),
        ))  # fmt: skip
    node("restore_all", "NoOp", sorted("^" + a for a in assigns))  # sorted, as TF's GraphDefs


def saver_def_for(scope: str, max_to_keep: int, keep_hours: float, sharded: bool):
    """The ``SaverDef`` naming the ops :func:`_add_save_nodes` (``sharded``:
    ``add_sharded_save_nodes``) makes under ``scope``."""
    return messages().SaverDef(
        filename_tensor_name=f"{scope}/Const:0",
        save_tensor_name=f"{scope}/Identity:0" if sharded else f"{scope}/control_dependency:0",
        restore_op_name=f"{scope}/restore_all",
        max_to_keep=max_to_keep,
        keep_checkpoint_every_n_hours=keep_hours,
        sharded=sharded,
        version=_SAVER_V2,
    )


def strip_default_attrs(graph_def) -> None:
    """Removes from ``graph_def``'s nodes the attrs whose value is their op's default, as TF1's
    ``strip_default_attrs=True`` does (importers, TF's and ours, fill them in again)."""
    for node in graph_def.node:
        definition = export.op_defs.tf_op_def(node.op)
        if definition is None:
            continue
        for name, (_, default) in definition.attrs.items():
            if default is not None and name in node.attr and node.attr[name] == default:
                del node.attr[name]


def _unused_scope(graph, base: str = "save") -> str:
    name, i = base, 0
    while True:
        try:
            graph.get_operation_by_name(name + "/Const")
        except KeyError:
            return name
        i += 1
        name = f"{base}_{i}"


def build_meta_graph(
    graph=None,
    collection_list=None,
    clear_devices: bool = False,
    saver_vars: dict | None = None,
    saver_settings: tuple = (5, 10000.0, False),
    strip_defaults: bool = False,
):
    """The ``MetaGraphDef`` of ``graph`` (the default graph when None): its GraphDef, the
    collections in ``collection_list`` (all when None) and, when ``saver_vars`` (checkpoint
    name -> Variable) is given, a ``SaverDef`` with the ``save/`` ops it names;
    ``strip_defaults`` leaves out attrs at their default value."""
    graph = graph or get_default_graph()
    meta = messages().MetaGraphDef()
    meta.meta_info_def.meta_graph_version = ""
    meta.meta_info_def.tensorflow_version = "2.21.0"
    meta.graph_def.CopyFrom(export.as_graph_def(graph))
    keys = graph.get_all_collection_keys() if collection_list is None else collection_list
    for key in sorted(keys):
        items = graph.get_collection(key)
        if not items:
            continue
        proto = messages().CollectionDef()
        if _collection_def(key, items, proto):
            meta.collection_def[key].CopyFrom(proto)
        else:
            _log.warning("Issue encountered when serializing %s: its items cannot be stored in "
                         "a CollectionDef, skipped.", key)  # fmt: skip
    if saver_vars:
        scope = _unused_scope(graph)
        add_nodes = add_sharded_save_nodes if saver_settings[2] else _add_save_nodes
        add_nodes(meta.graph_def, saver_vars, scope)
        meta.saver_def.CopyFrom(saver_def_for(scope, *saver_settings))
    if clear_devices:  # the save ops' devices too, as TF's
        for node in meta.graph_def.node:
            node.device = ""
    if strip_defaults:
        strip_default_attrs(meta.graph_def)
        meta.meta_info_def.stripped_default_attrs = True
    return meta


def write_meta_graph(meta, filename: str, as_text: bool = False) -> None:
    from google.protobuf import text_format

    directory = os.path.dirname(os.fspath(filename))
    if directory:
        os.makedirs(directory, exist_ok=True)
    data = text_format.MessageToString(meta).encode() if as_text else meta.SerializeToString()
    if os.path.isdir(filename):  # TF's error, before writing anything
        raise FailedPreconditionError(None, None, f"{filename}; Is a directory")
    tmp = f"{filename}.tmp{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, filename)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def read_proto_file(filename: str, cls):
    """A binary or text protobuf file parsed as ``cls``.

    Raises:
        tf.errors.NotFoundError: there is no such file (``OSError`` subclasses as TF's gfile).
        tf.errors.DataLossError: the file is neither (truncated or corrupted), naming it.
    """
    from google.protobuf import message, text_format

    with open(filename, "rb") as f:
        data = f.read()
    try:
        return cls.FromString(data)
    except (message.DecodeError, RecursionError, ValueError):
        pass
    try:
        return text_format.Parse(data.decode("utf-8"), cls(), allow_unknown_field=True)
    except (text_format.ParseError, UnicodeDecodeError, RecursionError, ValueError):
        raise DataLossError(
            None, None,
            f"Cannot parse file {filename}: it is neither a binary nor a text "
            f"{cls.DESCRIPTOR.name} (truncated or corrupted?)",
        ) from None  # fmt: skip


def read_graph_def(filename: str):
    """The ``GraphDef`` in a ``.pb`` (binary) or ``.pbtxt`` (text) file, such as a frozen
    graph; a truncated or corrupted file raises ``tf.errors.DataLossError`` naming it."""
    return read_proto_file(os.fspath(filename), messages().GraphDef)


def as_meta_graph(meta_graph_or_file):
    cls = messages().MetaGraphDef
    if isinstance(meta_graph_or_file, cls):
        return meta_graph_or_file
    if hasattr(meta_graph_or_file, "SerializeToString"):
        return cls.FromString(meta_graph_or_file.SerializeToString())
    return _read_meta_graph_file(os.fspath(meta_graph_or_file), cls)


def _read_meta_graph_file(filename: str, cls):
    """A ``.meta`` file parsed as TF's ``import_meta_graph`` parses it: binary first, then text;
    a text parse error is TF's ``OSError`` ("Cannot parse file ..."), bytes that are not UTF-8
    (a truncated binary file) TF's ``UnicodeDecodeError``, here with a note naming the file.
    Unknown text fields are skipped (scopeflow's protos lack some of TF's, such as
    ``stripped_op_list``), where TF would refuse a field its protos lack."""
    from google.protobuf import message, text_format

    if not os.path.exists(filename):
        raise OSError(f"File does not exist. Received: {filename}.")
    if os.path.isdir(filename):
        raise FailedPreconditionError(None, None, f"{filename}; Is a directory")
    with open(filename, "rb") as f:
        data = f.read()
    try:
        return cls.FromString(data)
    except (message.DecodeError, RecursionError, ValueError):
        pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        e.add_note(
            f"Cannot parse file {filename}: it is neither a binary nor a text "
            f"{cls.DESCRIPTOR.name} (truncated or corrupted?)"
        )
        raise
    try:
        return text_format.Parse(text, cls(), allow_unknown_field=True)
    except (text_format.ParseError, RecursionError, ValueError) as e:
        raise OSError(f"Cannot parse file {filename}: {e}.") from None


@undo.atomic
def import_meta_graph_def(meta, clear_devices: bool = False, import_scope: str | None = None):
    """Imports ``meta``'s graph (without its saver's ``save/`` ops) and collections into the
    default graph, all or - on any error - nothing; returns the ``SaverDef`` or None."""
    graph_def = meta.graph_def
    saver_def = meta.saver_def if meta.HasField("saver_def") else None
    skip = ""
    if saver_def is not None and "/" in saver_def.restore_op_name:
        skip = saver_def.restore_op_name.rpartition("/")[0] + "/"
    if skip or clear_devices:
        kept = messages().GraphDef()
        kept.versions.CopyFrom(graph_def.versions)
        for node in graph_def.node:
            if skip and node.name.startswith(skip):
                continue
            kept.node.add().CopyFrom(node)
            if clear_devices:
                kept.node[-1].device = ""
        graph_def = kept
    graph = get_default_graph()
    importer.import_graph_def(graph_def, name=import_scope or "")
    prefix = f"{import_scope}/" if import_scope else ""
    for key in sorted(meta.collection_def):
        _import_collection(graph, key, meta.collection_def[key], prefix, import_scope)
    return saver_def


def _import_collection(graph, key: str, proto, prefix: str, import_scope) -> None:
    from google.protobuf import message

    kind = proto.WhichOneof("kind")
    if key == GraphKeys.SAVERS:  # SaverDefs: import_meta_graph returns the Saver itself
        return
    if kind == "node_list":
        for name in proto.node_list.value:
            try:
                graph.add_to_collection(key, graph.as_graph_element(prefix + name))
            except (KeyError, ValueError):
                _log.warning("Collection %s names '%s', not in the imported graph.", key, name)
    elif kind == "bytes_list" and key in VARIABLE_COLLECTIONS:
        existing = {v.name: v for k in VARIABLE_COLLECTIONS for v in graph.get_collection(k)
                    if isinstance(v, Variable)}  # fmt: skip
        for data in proto.bytes_list.value:
            try:
                proto_def = messages().VariableDef.FromString(data)
            except message.DecodeError:
                raise ValueError(f"Collection '{key}' holds a corrupted VariableDef") from None
            variable = existing.get(prefix + proto_def.variable_name)
            if variable is None:
                variable = Variable(variable_def=proto_def, import_scope=import_scope)
            graph.add_to_collection(key, variable)
    elif kind == "bytes_list" and key in PROTO_READERS:
        for data in proto.bytes_list.value:
            graph.add_to_collection(key, PROTO_READERS[key](data, import_scope))
    elif kind == "bytes_list":
        for data in proto.bytes_list.value:
            graph.add_to_collection(key, data)
    elif kind == "any_list":
        for value in proto.any_list.value:
            graph.add_to_collection(key, value)
    elif kind in ("int64_list", "float_list"):
        for value in getattr(proto, kind).value:
            graph.add_to_collection(key, value)
