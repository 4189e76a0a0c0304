"""Tests for scopeflow/train/local_cluster.py (``tf.test.create_local_cluster``): the cluster,
servers and a program's values as TF 2.21 gives them."""

from __future__ import annotations

import scopeflow as tf


def test_local_cluster_as_tf():
    workers, ps = tf.test.create_local_cluster(2, 1)
    spec = workers[0].cluster_spec
    assert sorted(spec.as_dict()) == ["ps", "worker"]
    assert (spec.num_tasks("worker"), spec.num_tasks("ps")) == (2, 1)
    addresses = spec.job_tasks("worker") + spec.job_tasks("ps")
    ports = [int(a.split(":")[1]) for a in addresses]
    assert all(a.startswith("localhost:") for a in addresses) and len(set(ports)) == 3
    assert all(port > 10000 for port in ports)
    assert [(s.job_name, s.task_index) for s in workers + ps] == [
        ("worker", 0), ("worker", 1), ("ps", 0),
    ]  # fmt: skip
    assert all(s.cluster_spec == spec for s in workers + ps)


def test_a_program_on_the_cluster_gives_tfs_values():
    workers, _ = tf.test.create_local_cluster(1, 1)
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:0"):
            v = tf.Variable(1.0, name="v")
        with tf.device("/job:worker/task:0"):
            u = v.assign_add(2.0)
        with tf.Session(workers[0].target) as sess:
            sess.run(tf.global_variables_initializer())
            assert (sess.run(u), v.device) == (3.0, "/job:ps/task:0")
