"""``tf.train.replica_device_setter``, ``tf.device`` with a function, ``tf.train.ClusterSpec``
and ``tf.train.Server``: TF1's device code is accepted, recorded where TF1 records it, and
changes nothing about how a graph runs. Expected values from TF 2.21's compat.v1."""

from __future__ import annotations

import logging

import numpy as np
import pytest

import scopeflow as tf

CLUSTER = {"ps": ["ps0:2222", "ps1:2222"], "worker": ["w0:2222", "w1:2222", "w2:2222"]}


def test_variables_round_robin_over_ps_tasks_and_ops_on_the_worker():
    with tf.Graph().as_default():
        with tf.device(tf.train.replica_device_setter(cluster=tf.train.ClusterSpec(CLUSTER))):
            v = tf.get_variable("v", [2])
            w = tf.get_variable("w", [2])
            u = tf.get_variable("u", [2])
            total = v + w
        devices = [t.op.device for t in (v, w, u, total)]
    assert devices == ["/job:ps/task:0", "/job:ps/task:1", "/job:ps/task:0", "/job:worker"]


def test_ps_and_worker_devices_merge_with_the_op_s_own():
    with tf.Graph().as_default():
        setter = tf.train.replica_device_setter(
            ps_tasks=2, ps_device="/job:ps/cpu:0", worker_device="/job:worker/task:1"
        )
        with tf.device(setter):
            z = tf.get_variable("z", [2])
            doubled = z * 2
        with tf.device(tf.train.replica_device_setter(cluster=CLUSTER, merge_devices=False)):
            with tf.device("/gpu:0"):
                kept = tf.get_variable("kept", [2])
    assert z.op.device == "/job:ps/task:0/device:CPU:0"
    assert doubled.op.device == "/job:worker/task:1"
    assert kept.op.device == "/device:GPU:0"


def test_no_ps_tasks_gives_none_and_a_bad_strategy_raises():
    assert tf.train.replica_device_setter(0) is None
    assert tf.train.replica_device_setter(cluster={"worker": ["a:1"]}) is None
    with pytest.raises(TypeError, match="ps_strategy must be callable"):
        tf.train.replica_device_setter(1, ps_strategy=3)


def test_a_device_function_sees_the_device_so_far():
    with tf.Graph().as_default():
        x = tf.constant(1.0)
        with tf.device(lambda op: "/gpu:1" if op.type == "Mul" else ""):
            product, total = x * 3, x + 3
        with tf.device("/job:worker"), tf.device(lambda op: "/gpu:1"):
            nested = x * 3
        with tf.device(lambda op: "/gpu:1"), tf.device(None):
            cleared = x * 3
    assert (product.op.device, total.op.device) == ("/device:GPU:1", "")
    assert nested.op.device == "/job:worker/device:GPU:1"
    assert cleared.op.device == ""


def test_a_placed_graph_trains_as_an_unplaced_one(caplog):
    def train(setter):
        with tf.Graph().as_default():
            tf.set_random_seed(3)
            x = np.arange(6, dtype=np.float32).reshape(3, 2)
            with tf.device(setter), tf.device("/gpu:1"):
                w = tf.get_variable("w", [2, 1])
                loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
                step = tf.train.AdamOptimizer(0.1).minimize(loss)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                return [sess.run([loss, step])[0] for _ in range(3)]

    with caplog.at_level(logging.INFO, "scopeflow"):
        placed = train(tf.train.replica_device_setter(cluster=CLUSTER))
    np.testing.assert_array_equal(placed, train(None))
    lines = [r.getMessage() for r in caplog.records if "records devices on ops" in r.getMessage()]
    assert len(lines) == 1 and "scopeflow.distribute.data_parallel" in lines[0]


def test_cluster_spec_as_tf1():
    cluster = tf.train.ClusterSpec(CLUSTER)
    assert cluster.as_dict() == CLUSTER and cluster.jobs == ["ps", "worker"]
    assert (cluster.num_tasks("worker"), cluster.task_indices("ps")) == (3, [0, 1])
    assert cluster.task_address("worker", 1) == "w1:2222"
    assert cluster.job_tasks("ps") == ["ps0:2222", "ps1:2222"]
    assert repr(cluster) == f"ClusterSpec({CLUSTER!r})"
    assert cluster == tf.train.ClusterSpec(cluster) and bool(cluster)
    assert not tf.train.ClusterSpec({})
    sparse = tf.train.ClusterSpec({"worker": {1: "a:1", 3: "b:2"}})
    assert sparse.as_dict() == {"worker": {1: "a:1", 3: "b:2"}}
    assert sparse.task_indices("worker") == [1, 3]
    assert sparse.job_tasks("worker") == [None, "a:1", None, "b:2"]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda c: c.num_tasks("x"), ValueError, "No such job in cluster: 'x'"),
        (lambda c: c.task_address("worker", 7), ValueError, "No task with index 7 in job"),
        (lambda c: tf.train.ClusterSpec(3), TypeError, "`cluster` must be a dictionary"),
        (lambda c: tf.train.ClusterSpec({"w": [1]}), TypeError, "must be bytes or unicode"),
    ],
)
def test_cluster_spec_errors(call, error, message):
    with pytest.raises(error, match=message):
        call(tf.train.ClusterSpec(CLUSTER))


def test_server_is_accepted_and_its_target_runs_locally(caplog):
    with caplog.at_level(logging.INFO, "tensorflow"):
        server = tf.train.Server(tf.train.ClusterSpec(CLUSTER), "worker", 1)
        server.join()
    address = tf.train.ClusterSpec(CLUSTER).task_address("worker", 1)
    assert (server.job_name, server.task_index) == ("worker", 1)
    assert server.target == f"grpc://{address}"  # as TF's
    assert any("starts no server" in r.getMessage() for r in caplog.records)
    assert tf.train.Server.create_local_server().target.startswith("grpc://localhost:")
    with tf.Graph().as_default():
        c = tf.constant(2.0) * 3
        with tf.Session(server.target) as sess:
            assert sess.run(c) == 6.0


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((CLUSTER,), ValueError, "Must specify an explicit `job_name`."),
        ((CLUSTER, "worker"), ValueError, "Must specify an explicit `task_index`."),
        ((CLUSTER, "nojob", 0), tf.errors.InternalError, 'Job "nojob" was not defined'),
        ((CLUSTER, "worker", 9), tf.errors.InternalError, 'Task 9 was not defined in job "w'),
    ],
)
def test_server_errors(args, error, message):
    with pytest.raises(error, match=message):
        tf.train.Server(*args, start=False)


def test_greedy_load_balancing_by_byte_size():
    # tf.contrib.training's strategy (TF 1.x; TF 2.21 has none): the least loaded task first
    strategy = tf.contrib.training.GreedyLoadBalancingStrategy(
        2, tf.contrib.training.byte_size_load_fn
    )
    with tf.Graph().as_default():
        with tf.device(tf.train.replica_device_setter(ps_tasks=2, ps_strategy=strategy)):
            a = tf.Variable(1.0, name="a")  # 4 bytes -> task 0
            b = tf.get_variable("b", [100])  # 400 bytes -> task 1
            c = tf.Variable([1, 2, 3], name="c")  # 12 bytes -> task 0 (4 < 400)
            d = tf.get_variable("d", [3], dtype=tf.float64)  # 24 bytes -> task 0 (16 < 400)
            s = a + 1.0
        assert [v.device for v in (a, b, c, d)] == ["/job:ps/task:0", "/job:ps/task:1"] + [
            "/job:ps/task:0"
        ] * 2
        assert (s.op.device, strategy._ps_loads) == ("/job:worker", [40, 400])
        with pytest.raises(ValueError, match=r"Shape \(\?, 2\) is not fully defined"):
            tf.contrib.training.byte_size_load_fn(tf.placeholder(tf.float32, [None, 2]).op)
