"""Tests for scopeflow/train/cluster_resolver.py (``tf.distribute.cluster_resolver``'s Simple,
TFConfig and Union resolvers): masters, tasks and merged clusters as TF 2.21 gives them."""

from __future__ import annotations

import json

import pytest

import scopeflow as tf

cr = tf.distribute.cluster_resolver


def test_simple_resolver_is_tfs():
    spec = tf.train.ClusterSpec({"worker": ["a:1", "b:2"], "ps": ["c:3"]})
    r = cr.SimpleClusterResolver(
        spec, master="grpc://a:1", task_type="worker", task_id=1, rpc_layer="grpc"
    )
    assert r.cluster_spec() is spec
    # TF prefixes the rpc layer even to a master that has one, and ignores a lone task_type
    assert r.master() == "grpc://grpc://a:1" and r.master("worker") == "grpc://grpc://a:1"
    assert (r.master("ps", 0), r.master("ps", 0, rpc_layer="foo")) == ("grpc://c:3", "foo://c:3")
    assert (r.task_type, r.task_id, r.rpc_layer, r.environment) == ("worker", 1, "grpc", "")
    assert r.num_accelerators() == {}
    r.task_type, r.task_id, r.rpc_layer = "ps", 0, None
    assert (r.task_type, r.task_id, r.master()) == ("ps", 0, "grpc://a:1")
    bare = cr.SimpleClusterResolver(tf.train.ClusterSpec({}), num_accelerators={"GPU": 2})
    assert (bare.master(), bare.task_type, bare.task_id, bare.rpc_layer) == ("", None, None, None)
    assert bare.num_accelerators("worker", 0) == {"GPU": 2}
    with pytest.raises(TypeError, match="cluster_spec must be a `tf.train.ClusterSpec`"):
        cr.SimpleClusterResolver({"worker": ["a:1"]})
    with pytest.raises(TypeError, match="master must be a string"):
        cr.SimpleClusterResolver(spec, master=None)
    assert issubclass(cr.SimpleClusterResolver, cr.ClusterResolver)
    with pytest.raises(TypeError):
        cr.ClusterResolver()  # abstract, as TF's


def test_tf_config_resolver_reads_the_variable_each_time(monkeypatch):
    config = {
        "cluster": {"worker": ["w0:2222", "w1:2222"], "chief": ["c:1"], "ps": ["p:1"]},
        "task": {"type": "worker", "index": 1},
        "rpc_layer": "grpc",
        "environment": "cloud",
    }
    monkeypatch.setenv("TF_CONFIG", json.dumps(config))
    r = cr.TFConfigClusterResolver()
    assert r.cluster_spec().as_dict() == config["cluster"]
    assert (r.master(), r.master("ps", 0)) == ("grpc://w1:2222", "grpc://p:1")
    assert (r.task_type, r.task_id, r.rpc_layer, r.environment) == ("worker", 1, "grpc", None)
    assert r.num_accelerators() == {}
    chief = cr.TFConfigClusterResolver(task_type="chief", task_id=0, rpc_layer="xyz")
    assert (chief.master(), chief.task_type, chief.task_id) == ("xyz://c:1", "chief", 0)
    monkeypatch.setenv("TF_CONFIG", json.dumps({"cluster": {"worker": ["w0:2222"]}}))
    assert (r.master(), r.task_type, r.task_id, r.rpc_layer) == ("", None, None, None)
    monkeypatch.setenv("TF_CONFIG", json.dumps({**config, "session_master": "local"}))
    assert r.master() == "local"
    monkeypatch.delenv("TF_CONFIG")
    assert (r.cluster_spec().as_dict(), r.master(), r.task_type) == ({}, "", None)
    monkeypatch.setenv("TF_CONFIG", "not json")
    with pytest.raises(json.JSONDecodeError):
        r.cluster_spec()


def _simple(cluster, **kwargs):
    return cr.SimpleClusterResolver(tf.train.ClusterSpec(cluster), **kwargs)


def test_union_resolver_merges_as_tf():
    u = cr.UnionResolver(
        _simple({"worker": ["a:1"]}, task_type="worker", task_id=0, master="m1"),
        _simple({"ps": ["b:1"], "worker": {3: "z:9"}}, master="m2", rpc_layer="grpc"),
    )
    assert u.cluster_spec().as_dict() == {"worker": {0: "a:1", 3: "z:9"}, "ps": ["b:1"]}
    assert (u.master(), u.task_type, u.task_id, u.rpc_layer) == ("m1", "worker", 0, None)
    assert u.master("ps", 0) == "b:1"
    lists = cr.UnionResolver(_simple({"worker": ["a:1"]}), _simple({"worker": ["b:1"]}))
    assert lists.cluster_spec().as_dict() == {"worker": ["a:1", "b:1"]}
    dicts = cr.UnionResolver(_simple({"worker": {0: "a:1"}}), _simple({"worker": {1: "b:1"}}))
    assert dicts.cluster_spec().as_dict() == {"worker": ["a:1", "b:1"]}
    clash = cr.UnionResolver(_simple({"worker": {1: "a:1"}}), _simple({"worker": {1: "b:1"}}))
    with pytest.raises(
        KeyError, match=r"Duplicate keys detected when merging two ClusterSpecs: {1}"
    ):
        clash.cluster_spec()
    with pytest.raises(ValueError, match="At least one ClusterResolver is required"):
        cr.UnionResolver()
    with pytest.raises(TypeError, match="All arguments must be a sub-class of `ClusterResolver"):
        cr.UnionResolver(1)
    with pytest.raises(ValueError, match="Unexpected kwargs provided"):
        cr.UnionResolver(_simple({}), foo=1)


def test_the_contrib_names_are_the_same_classes():
    assert tf.contrib.cluster_resolver.TFConfigClusterResolver is cr.TFConfigClusterResolver
