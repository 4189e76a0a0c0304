"""Tests for scopeflow/train/server_protos.py (``tf.train.ClusterDef``/``JobDef``/``ServerDef``):
bytes recorded from TF 2.21's own messages."""

from __future__ import annotations

import scopeflow as tf

# tf.train.ClusterSpec({"ps": ["a:1"], "worker": {1: "b:2"}}).as_cluster_def(), TF 2.21
CLUSTER = b"\n\r\n\x02ps\x12\x07\x08\x00\x12\x03a:1\n\x11\n\x06worker\x12\x07\x08\x01\x12\x03b:2"
# tf.train.ServerDef(cluster=<the above>, job_name="worker", task_index=1, protocol="grpc")
SERVER = b'\n"' + CLUSTER + b"\x12\x06worker\x18\x01*\x04grpc"


def test_messages_serialize_as_tfs():
    cluster = tf.train.ClusterDef(
        job=[tf.train.JobDef(name="ps", tasks={0: "a:1"}), tf.train.JobDef(name="worker")]
    )
    cluster.job[1].tasks[1] = "b:2"
    assert cluster.SerializeToString() == CLUSTER
    server = tf.train.ServerDef(cluster=cluster, job_name="worker", task_index=1, protocol="grpc")
    assert server.SerializeToString() == SERVER
    parsed = tf.train.ServerDef.FromString(SERVER)
    assert (parsed.job_name, parsed.task_index, dict(parsed.cluster.job[1].tasks)) == (
        "worker", 1, {1: "b:2"},
    )  # fmt: skip
    assert isinstance(parsed, tf.train.ServerDef) and repr(tf.train.JobDef) == (
        "<class 'tensorflow.JobDef'>"
    )


def test_unknown_fields_survive_a_round_trip():
    # field 4 (default_session_config) is kept as an unknown field
    data = SERVER + b'"\x02\x10\x01'
    assert tf.train.ServerDef.FromString(data).SerializeToString() == data
