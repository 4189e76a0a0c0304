"""Tests for scopeflow/train/slurm_resolver.py (``SlurmClusterResolver`` and the resolvers that
need a cloud service): clusters, tasks and GPUs of a Slurm step as TF 2.21 gives them."""

from __future__ import annotations

import os

import pytest

import scopeflow as tf
from scopeflow.train.slurm_resolver import expand_hostlist, expand_tasks_per_node

cr = tf.distribute.cluster_resolver


@pytest.fixture
def step(monkeypatch):
    monkeypatch.setenv("SLURM_PROCID", "3")
    monkeypatch.setenv("SLURM_STEP_NUM_TASKS", "4")
    monkeypatch.setenv("SLURM_STEP_NODELIST", "node[09-10]")
    monkeypatch.setenv("SLURM_STEP_TASKS_PER_NODE", "2(x2)")
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    return monkeypatch


def test_a_step_as_tf_resolves_it(step):
    r = cr.SlurmClusterResolver(gpus_per_node=4)
    assert r.cluster_spec().as_dict() == {
        "worker": ["node09:8888", "node09:8889", "node10:8888", "node10:8889"]
    }
    assert (r.task_type, r.task_id, r.get_task_info()) == ("worker", 3, ("worker", 3))
    assert (r.master(), r.master("worker", 0, rpc_layer="x")) == (
        "grpc://node10:8889", "x://node09:8888",
    )  # fmt: skip
    assert r.num_accelerators() == {"GPU": 2}
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "2,3"
    jobs = cr.SlurmClusterResolver(
        jobs={"ps": 1, "worker": 3}, port_base=1000, gpus_per_node=2, gpus_per_task=1,
        auto_set_gpu=False,
    )  # fmt: skip
    assert jobs.cluster_spec().as_dict() == {
        "ps": ["node09:1000"], "worker": ["node09:1001", "node10:1000", "node10:1001"],
    }  # fmt: skip
    assert (jobs.task_type, jobs.task_id, jobs.master()) == ("worker", 2, "grpc://node10:1001")


def test_gpus_counted_from_cuda_visible_devices(step):
    step.setenv("CUDA_VISIBLE_DEVICES", "0,1")
    r = cr.SlurmClusterResolver()
    assert r.num_accelerators() == {"GPU": 1}
    r.cluster_spec()
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "1"


def test_uneven_nodes_and_errors_are_tfs(step):
    step.setenv("SLURM_STEP_NODELIST", "a[1-2],b")
    step.setenv("SLURM_STEP_TASKS_PER_NODE", "1(x2),2")
    r = cr.SlurmClusterResolver(gpus_per_node=2, gpus_per_task=1)
    assert r.cluster_spec().as_dict() == {"worker": ["a1:8888", "a2:8888", "b:8888", "b:8889"]}
    assert (r.task_type, r.task_id) == ("worker", 3)
    with pytest.raises(RuntimeError, match="Requested more GPUs per node than available"):
        cr.SlurmClusterResolver(gpus_per_node=2, gpus_per_task=1, tasks_per_node={"x": 3})
    with pytest.raises(RuntimeError, match="Requested 3 tasks but only 4 were assigned"):
        cr.SlurmClusterResolver(jobs={"worker": 3}, gpus_per_node=2)
    with pytest.raises(ValueError, match="pass gpus_per_task >= 1"):
        cr.SlurmClusterResolver(gpus_per_node=1)
    step.delenv("SLURM_PROCID")
    with pytest.raises(RuntimeError, match="SLURM_PROCID not found in environment"):
        cr.SlurmClusterResolver(gpus_per_node=2)


def test_host_and_task_lists():
    assert expand_hostlist("node[01-03,07],gpu5") == [
        "node01",
        "node02",
        "node03",
        "node07",
        "gpu5",
    ]
    assert expand_hostlist("a[8-10]") == ["a8", "a9", "a10"]
    assert expand_tasks_per_node("2(x3),1") == [2, 2, 2, 1]
    with pytest.raises(ValueError, match="Invalid hostlist format"):
        expand_hostlist("a[1-x]")
    with pytest.raises(ValueError, match="Invalid tasks-per-node list format"):
        expand_tasks_per_node("2(y3)")


@pytest.mark.parametrize(
    "resolver", ["TPUClusterResolver", "GCEClusterResolver", "KubernetesClusterResolver"]
)
def test_cloud_resolvers_say_what_to_use_instead(resolver):
    with pytest.raises(NotImplementedError, match="SimpleClusterResolver"):
        getattr(cr, resolver)("x")
    assert cr.KubernetesExecutableLocation.OFF_CLUSTER.value == 1
