"""The ``save/`` NodeDefs an exported MetaGraphDef carries for ``Saver(sharded=True)``
(scopeflow/graph_io/sharded_save.py): TF 2.21's sharded Saver graph for variables on three
devices (names, op types, devices, inputs, attrs, the SaverDef), and ``clear_devices``."""

from __future__ import annotations

import scopeflow as tf

# TF 2.21's save/ nodes other than Const for _variables() below: (name, op, device, inputs)
TF_NODES = [
    ("filename", "PlaceholderWithDefault", "", ["filename/input"]),
    ("Const", "PlaceholderWithDefault", "", ["filename"]),
    ("StaticRegexFullMatch", "StaticRegexFullMatch", "/device:CPU:*", ["Const"]),
    ("Select", "Select", "/device:CPU:*", ["StaticRegexFullMatch", "Const_1", "Const_2"]),
    ("StringJoin", "StringJoin", "/device:CPU:*", ["Const", "Select"]),
    ("ShardedFilename", "ShardedFilename", "/device:CPU:0",
     ["StringJoin", "ShardedFilename/shard", "num_shards"]),
    ("SaveV2", "SaveV2", "/device:CPU:0",
     ["ShardedFilename", "SaveV2/tensor_names", "SaveV2/shape_and_slices", "c"]),
    ("control_dependency", "Identity", "/device:CPU:0", ["ShardedFilename", "^SaveV2"]),
    ("ShardedFilename_1", "ShardedFilename", "/device:CPU:0",
     ["StringJoin", "ShardedFilename_1/shard", "num_shards"]),
    ("SaveV2_1", "SaveV2", "/device:CPU:0",
     ["ShardedFilename_1", "SaveV2_1/tensor_names", "SaveV2_1/shape_and_slices", "a"]),
    ("control_dependency_1", "Identity", "/device:CPU:0", ["ShardedFilename_1", "^SaveV2_1"]),
    ("ShardedFilename_2", "ShardedFilename", "/job:ps/task:0/device:CPU:0",
     ["StringJoin", "ShardedFilename_2/shard", "num_shards"]),
    ("SaveV2_2", "SaveV2", "/job:ps/task:0/device:CPU:0",
     ["ShardedFilename_2", "SaveV2_2/tensor_names", "SaveV2_2/shape_and_slices", "b"]),
    ("control_dependency_2", "Identity", "/job:ps/task:0/device:CPU:0",
     ["ShardedFilename_2", "^SaveV2_2"]),
    ("MergeV2Checkpoints/checkpoint_prefixes", "Pack", "/job:ps/task:0/device:CPU:0",
     ["ShardedFilename", "ShardedFilename_1", "ShardedFilename_2", "^control_dependency",
      "^control_dependency_1", "^control_dependency_2"]),
    ("MergeV2Checkpoints", "MergeV2Checkpoints", "/job:ps/task:0/device:CPU:0",
     ["MergeV2Checkpoints/checkpoint_prefixes", "Const"]),
    ("Identity", "Identity", "/job:ps/task:0/device:CPU:0",
     ["Const", "^MergeV2Checkpoints", "^control_dependency", "^control_dependency_1",
      "^control_dependency_2"]),
    ("RestoreV2", "RestoreV2", "/device:CPU:0",
     ["Const", "RestoreV2/tensor_names", "RestoreV2/shape_and_slices"]),
    ("Assign", "Assign", "", ["c", "RestoreV2"]),
    ("restore_shard", "NoOp", "", ["^Assign"]),
    ("RestoreV2_1", "RestoreV2", "/device:CPU:0",
     ["Const", "RestoreV2_1/tensor_names", "RestoreV2_1/shape_and_slices"]),
    ("Assign_1", "Assign", "/device:CPU:0", ["a", "RestoreV2_1"]),
    ("restore_shard_1", "NoOp", "/device:CPU:0", ["^Assign_1"]),
    ("RestoreV2_2", "RestoreV2", "/job:ps/task:0/device:CPU:0",
     ["Const", "RestoreV2_2/tensor_names", "RestoreV2_2/shape_and_slices"]),
    ("Assign_2", "Assign", "/job:ps/task:0", ["b", "RestoreV2_2"]),
    ("restore_shard_2", "NoOp", "/job:ps/task:0", ["^Assign_2"]),
    ("restore_all/NoOp", "NoOp", "", ["^restore_shard"]),
    ("restore_all/NoOp_1", "NoOp", "/device:CPU:0", ["^restore_shard_1"]),
    ("restore_all/NoOp_2", "NoOp", "/job:ps/task:0", ["^restore_shard_2"]),
    ("restore_all", "NoOp", "",
     ["^restore_all/NoOp", "^restore_all/NoOp_1", "^restore_all/NoOp_2"]),
]  # fmt: skip


def _variables():
    with tf.device("/cpu:0"):
        tf.Variable([1.0, 2.0], name="a")
    with tf.device("/job:ps/task:0"):
        tf.Variable(3, name="b")
    tf.Variable(4.0, name="c")


def _save_nodes(meta) -> dict:
    return {n.name[5:]: n for n in meta.graph_def.node if n.name.startswith("save/")}


def test_sharded_save_nodes_as_tf(graph):
    _variables()
    meta = tf.train.Saver(sharded=True).export_meta_graph()
    nodes = _save_nodes(meta)
    ours = [
        (name, n.op, n.device, [i.replace("save/", "") for i in n.input])
        for name, n in nodes.items()
        if n.op != "Const"
    ]
    assert ours == TF_NODES
    const = {name: n.attr["value"].tensor for name, n in nodes.items() if n.op == "Const"}
    assert (const["Const_1"].string_val, const["Const_2"].string_val) == (
        [b".part"],
        [b"_temp/part"],
    )
    assert [const[f"ShardedFilename{s}/shard"].int_val[0] for s in ("", "_1", "_2")] == [0, 1, 2]
    assert const["num_shards"].int_val == [3]
    assert [const[f"SaveV2{s}/tensor_names"].string_val[0] for s in ("", "_1", "_2")] == [
        b"c", b"a", b"b"
    ]  # fmt: skip
    assert nodes["StaticRegexFullMatch"].attr["pattern"].s == b"^s3://.*"
    merge = nodes["MergeV2Checkpoints"].attr
    assert (merge["delete_old_dirs"].b, merge["allow_missing_files"].b) == (True, False)
    assert (meta.saver_def.save_tensor_name, meta.saver_def.sharded) == ("save/Identity:0", True)


def test_clear_devices_clears_the_save_nodes_too(graph):
    _variables()
    meta = tf.train.Saver(sharded=True).export_meta_graph(clear_devices=True)
    assert not any(n.device for n in meta.graph_def.node)
    assert len([n for n in meta.graph_def.node if n.op == "SaveV2"]) == 3
