"""``tf.train.ClusterSpec`` and ``tf.train.Server`` with TF's cluster messages: the bytes of
``as_cluster_def()`` and ``server_def`` are TF 2.21's, a ``ClusterDef`` or ``ServerDef`` makes
them back, TF's errors."""

from __future__ import annotations

import pytest

import scopeflow as tf

CLUSTER = {"worker": {1: "w1:1", 3: "w3:1"}, "ps": ["p0:1", "p1:1"]}
# TF 2.21's ClusterSpec(CLUSTER).as_cluster_def() and its Server("ps", 1).server_def
TF_CLUSTER_DEF = (
    b"\n\x18\n\x02ps\x12\x08\x08\x01\x12\x04p1:1\x12\x08\x08\x00\x12\x04p0:1"
    b"\n\x1c\n\x06worker\x12\x08\x08\x03\x12\x04w3:1\x12\x08\x08\x01\x12\x04w1:1"
)
TF_SERVER_DEF = b"\n8" + TF_CLUSTER_DEF + b"\x12\x02ps\x18\x01*\x04grpc"


def test_cluster_def_as_tf():
    spec = tf.train.ClusterSpec(CLUSTER)
    cluster_def = spec.as_cluster_def()
    assert isinstance(cluster_def, tf.train.ClusterDef)
    assert cluster_def.SerializeToString() == TF_CLUSTER_DEF
    back = tf.train.ClusterSpec(tf.train.ClusterDef.FromString(TF_CLUSTER_DEF))
    assert back == spec and back.jobs == ["ps", "worker"]
    assert back.as_dict() == {"ps": ["p0:1", "p1:1"], "worker": {1: "w1:1", 3: "w3:1"}}


def test_server_def_as_tf():
    server = tf.train.Server(tf.train.ClusterSpec(CLUSTER), "ps", 1, start=False)
    assert server.server_def.SerializeToString() == TF_SERVER_DEF
    server_def = tf.train.ServerDef.FromString(TF_SERVER_DEF)
    from_def = tf.train.Server(server_def, start=False)
    assert (from_def.server_def.job_name, from_def.server_def.task_index) == ("ps", 1)
    other = tf.train.Server(server_def, job_name="worker", task_index=3, protocol="grpc+verbs")
    assert (other.server_def.job_name, other.server_def.protocol) == ("worker", "grpc+verbs")
    assert other.target == "grpc://w3:1"  # as TF's: sessions on it share its state


def test_tf_errors():
    with pytest.raises(TypeError, match="must be a list or a dictionary from integers to str"):
        tf.train.ClusterSpec({"a": 3})
    with pytest.raises(tf.errors.InternalError, match='Job "chief" was not defined in cluster'):
        tf.train.Server(tf.train.ClusterSpec(CLUSTER), job_name="chief", task_index=0)
    with pytest.raises(ValueError, match="Must specify an explicit `task_index`"):
        tf.train.Server(tf.train.ClusterSpec(CLUSTER), job_name="worker")
