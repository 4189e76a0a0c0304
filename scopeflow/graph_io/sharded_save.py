"""The ``save/`` NodeDefs of TF1's sharded V2 Saver (``tf.train.Saver(sharded=True)``), written
into exported MetaGraphDefs so that TensorFlow's ``import_meta_graph`` gets the Saver TF would
have built: a ``SaveV2`` per device into ``<prefix>_temp/part-0000k-of-0000n`` (``.part`` on
``s3://``), ``MergeV2Checkpoints`` into ``<prefix>``, and a ``RestoreV2`` per device.

Shards are the variables' devices in the order of their names (no device is one too); each
shard's save and restore ops run on that device's CPU, its ``Assign`` ops on the variables'.
"""

from __future__ import annotations

from scopeflow.framework.device import merge_device
from scopeflow.graph_io import export

_STRING, _INT32 = ("type", "string"), ("type", "int32")


class _Nodes:
    """Appends NodeDefs under ``scope`` to a GraphDef."""

    def __init__(self, graph_def, scope: str):
        self.graph_def, self.scope = graph_def, scope

    def add(self, name, op, inputs=(), device="", **attrs) -> str:
        node = self.graph_def.node.add(name=f"{self.scope}/{name}", op=op, device=device)
        node.input.extend(inputs)
        for key, (type_name, value) in attrs.items():
            node.attr[key].CopyFrom(export.op_defs.to_attr_value(value, type_name))
        return node.name

    def const(self, name, value, dtype=_STRING, device="") -> str:
        return self.add(name, "Const", device=device, value=("tensor", value), dtype=dtype)


def _entries(names_to_vars: dict) -> list[tuple]:
    """``(checkpoint name, slice spec, variable or part, tensor name)`` in name order."""
    entries = []
    for name in sorted(names_to_vars):
        var = names_to_vars[name]
        for part in getattr(var, "parts", None) or [var]:
            info = part._get_save_slice_info() if part is not var else None
            if part._is_resource:  # its Read/ReadVariableOp, as TF's saver reads it
                read = part._as_graph_element()
            else:
                read = part if info is None else part.value()
            tensor = read.name.partition(":")[0]
            entries.append((name, "" if info is None else info.spec, part, tensor))
    return entries


def add_sharded_save_nodes(graph_def, names_to_vars: dict, scope: str) -> None:
    """Appends TF1's sharded ``save/`` NodeDefs for ``names_to_vars`` to ``graph_def``."""
    shards: dict[str, list] = {}
    for entry in _entries(names_to_vars):
        shards.setdefault(entry[2].op.device, []).append(entry)
    devices = sorted(shards)
    nodes = _Nodes(graph_def, scope)
    scalar = ("shape", [])
    default = nodes.const("filename/input", "model")
    filename = nodes.add(
        "filename", "PlaceholderWithDefault", [default], dtype=_STRING, shape=scalar
    )
    prefix = nodes.add("Const", "PlaceholderWithDefault", [filename], dtype=_STRING, shape=scalar)
    cpu = "/device:CPU:*"
    is_s3 = nodes.add("StaticRegexFullMatch", "StaticRegexFullMatch", [prefix], cpu,
                      pattern=("string", "^s3://.*"))  # fmt: skip
    s3_suffix = nodes.const("Const_1", ".part", device=cpu)
    temp_suffix = nodes.const("Const_2", "_temp/part", device=cpu)
    suffix = nodes.add("Select", "Select", [is_s3, s3_suffix, temp_suffix], cpu, T=_STRING)
    temp = nodes.add("StringJoin", "StringJoin", [prefix, suffix], cpu, N=("int", 2),
                     separator=("string", ""))  # fmt: skip
    num_shards = nodes.const("num_shards", len(devices), _INT32)
    shard_files, written, save_device = [], [], ""
    for k, device in enumerate(devices):
        tail = f"_{k}" if k else ""
        save_device = merge_device(device, "/device:CPU:0")
        shard = nodes.const(f"ShardedFilename{tail}/shard", k, _INT32, save_device)
        shard_file = nodes.add(f"ShardedFilename{tail}", "ShardedFilename",
                               [temp, shard, num_shards], save_device)  # fmt: skip
        names, specs, variables, tensors = zip(*shards[device], strict=True)
        save = nodes.add(
            f"SaveV2{tail}", "SaveV2",
            [shard_file, nodes.const(f"SaveV2{tail}/tensor_names", list(names), device=save_device),
             nodes.const(f"SaveV2{tail}/shape_and_slices", list(specs), device=save_device),
             *tensors],
            save_device, dtypes=("list(type)", [v.dtype.base_dtype for v in variables]),
        )  # fmt: skip
        shard_files.append(shard_file)
        written.append(nodes.add(f"control_dependency{tail}", "Identity", [shard_file, "^" + save],
                                 save_device, T=_STRING))  # fmt: skip
    waits = ["^" + w for w in written]
    prefixes = nodes.add(
        "MergeV2Checkpoints/checkpoint_prefixes", "Pack", [*shard_files, *waits], save_device,
        N=("int", len(devices)), T=_STRING, axis=("int", 0),
    )  # fmt: skip
    merge = nodes.add(
        "MergeV2Checkpoints", "MergeV2Checkpoints", [prefixes, prefix], save_device,
        allow_missing_files=("bool", False), delete_old_dirs=("bool", True),
    )  # fmt: skip
    nodes.add("Identity", "Identity", [prefix, "^" + merge, *waits], save_device, T=_STRING)
    _add_restore_nodes(nodes, prefix, shards, devices)


def _resource_restore(nodes: _Nodes, var, value: str, counts: dict) -> str:
    """``save/Identity_<k>`` of the restored ``value`` and ``save/AssignVariableOp_<k>``
    setting resource variable ``var`` to it, counted as TF names them."""
    dtype = ("type", var.dtype.base_dtype)
    n = counts["Identity"]
    counts["Identity"] += 1
    read = nodes.add(f"Identity_{n}" if n else "Identity", "Identity", [value], "", T=dtype)
    n = counts["AssignVariableOp"]
    counts["AssignVariableOp"] += 1
    return nodes.add(
        f"AssignVariableOp_{n}" if n else "AssignVariableOp", "AssignVariableOp",
        [var.op.name, read], var.op.device, dtype=dtype, validate_shape=("bool", False),
    )  # fmt: skip


def _add_restore_nodes(nodes: _Nodes, prefix: str, shards: dict, devices: list) -> None:
    """A ``RestoreV2`` and its ``Assign`` ops per shard, a ``restore_shard`` each, and
    ``restore_all`` grouping them (a ``NoOp`` per device first when there are several)."""
    restored, count = [], 0
    counts = {"AssignVariableOp": 0, "Identity": 1}  # save/Identity is the sharded save's
    for k, device in enumerate(devices):
        tail = f"_{k}" if k else ""
        save_device = merge_device(device, "/device:CPU:0")
        names, specs, variables, _ = zip(*shards[device], strict=True)
        restore = nodes.add(
            f"RestoreV2{tail}", "RestoreV2",
            [prefix, nodes.const(f"RestoreV2{tail}/tensor_names", list(names), device=save_device),
             nodes.const(f"RestoreV2{tail}/shape_and_slices", list(specs), device=save_device)],
            save_device, dtypes=("list(type)", [v.dtype.base_dtype for v in variables]),
        )  # fmt: skip
        assigns = []
        for i, var in enumerate(variables):
            value = f"{restore}:{i}" if i else restore
            if var._is_resource:  # TF's: an Identity of the value, then AssignVariableOp
                assigns.append("^" + _resource_restore(nodes, var, value, counts))
                continue
            assigns.append("^" + nodes.add(
                f"Assign_{count}" if count else "Assign", "Assign",
                [var.op.name, value], var.op.device,
                T=("type", var.dtype.base_dtype), validate_shape=("bool", True),
                use_locking=("bool", True),
            ))  # fmt: skip
            count += 1
        # TF's GraphDefs list control inputs sorted by name
        restored.append(nodes.add(f"restore_shard{tail}", "NoOp", sorted(assigns), device))
    if len(devices) == 1:
        nodes.add("restore_all", "NoOp", ["^" + restored[0]], devices[0])
        return
    per_device = [
        nodes.add(f"restore_all/NoOp{f'_{k}' if k else ''}", "NoOp", ["^" + r], devices[k])
        for k, r in enumerate(restored)
    ]
    nodes.add("restore_all", "NoOp", ["^" + n for n in per_device])
