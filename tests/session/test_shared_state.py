"""Sessions on the targets of in-process ``tf.train.Server``s share variables as TF1's do
(values, errors and names checked against TF 2.21 with real gRPC servers)."""

import threading

import pytest

import scopeflow as tf
from scopeflow.train.server_lib import unused_port


def _variable(name, value, **kwargs):
    return tf.get_variable(name, [], initializer=tf.constant_initializer(value), **kwargs)


def test_sessions_on_one_target_share_variables_across_graphs():
    server = tf.train.Server.create_local_server()
    assert server.target.startswith("grpc://localhost:")
    with tf.Graph().as_default():
        v = _variable("v", 3.0)
        sess = tf.Session(server.target)
        assert sess.sess_str == server.target.encode()
        sess.run(tf.global_variables_initializer())
        sess.run(v.assign(5.0))
        sess.close()  # the server keeps the value
    with tf.Graph().as_default():
        v = _variable("v", 1.0)  # another graph, the same name: the same variable
        with tf.Session(server.target) as sess:
            assert sess.run(v) == 5.0
            assert list(sess.run(tf.report_uninitialized_variables())) == []
        with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(v)  # a session without a target has its own


def test_queues_are_shared_only_with_a_shared_name():
    server = tf.train.Server.create_local_server()
    with tf.Graph().as_default():
        private = tf.FIFOQueue(10, tf.float32, name="q")
        shared = tf.FIFOQueue(10, tf.float32, name="qs", shared_name="qs")
        with tf.Session(server.target) as sess:
            sess.run([private.enqueue(7.0), shared.enqueue(8.0)])
    with tf.Graph().as_default():
        private = tf.FIFOQueue(10, tf.float32, name="q")
        shared = tf.FIFOQueue(10, tf.float32, name="qs", shared_name="qs")
        with tf.Session(server.target) as sess:
            assert sess.run(private.size()) == 0  # TF: a dequeue here waits for ever
            assert sess.run(shared.dequeue()) == 8.0


def test_reset_frees_the_targets_variables_and_closes_its_sessions():
    server = tf.train.Server.create_local_server()
    with tf.Graph().as_default():
        a = _variable("a", 1.0)
        with tf.container("c1"):
            b = _variable("b", 2.0)
        with tf.Session(server.target) as sess:
            sess.run(tf.global_variables_initializer())
        tf.Session.reset(server.target, ["c1"])  # only container c1
        with tf.Session(server.target) as sess:
            assert sess.run(a) == 1.0
            with pytest.raises(tf.errors.FailedPreconditionError):
                sess.run(b)
            sess.run(b.initializer)
            tf.Session.reset(server.target)  # everything; open sessions are closed
            with pytest.raises(tf.errors.AbortedError, match="is not found"):
                sess.run(b)
        with tf.Session(server.target) as sess:
            with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized"):
                sess.run(a)


def test_reset_of_the_empty_target_closes_sessions_without_one():
    with tf.Graph().as_default():
        v = tf.Variable(1.0)
        sess = tf.Session()
        sess.run(v.initializer)
        tf.Session.reset("")
        with pytest.raises(tf.errors.CancelledError, match="Session has been closed"):
            sess.run(v)


def test_a_target_of_no_server_here_is_refused():
    with pytest.raises(NotImplementedError, match="no tf.train.Server of this process"):
        tf.Session("grpc://localhost:3")


def _worker_graph(cluster, index, use_setter):
    graph = tf.Graph()
    with graph.as_default():
        if use_setter:  # every variable on the ps task: shared by both workers
            setter = tf.train.replica_device_setter(
                worker_device=f"/job:worker/task:{index}", cluster=cluster
            )
            with tf.device(setter):
                a = _variable("a", 0.0)
                local = tf.Variable(0.0, name="loc", collections=[tf.GraphKeys.LOCAL_VARIABLES])
            return graph, a, local
        with tf.device(f"/job:worker/task:{index}"):
            own = tf.Variable(float(index + 1), name="own")
        with tf.device("/job:worker/task:0"):
            shared = tf.Variable(0.0, name="sh")
        free = tf.Variable(5.0, name="nodev")  # no device: the session's own task
        return graph, own, shared, free


def test_a_ps_and_two_workers_share_the_ps_variables():
    cluster = tf.train.ClusterSpec(
        {
            "ps": [f"localhost:{unused_port()}"],
            "worker": [f"localhost:{unused_port()}", f"localhost:{unused_port()}"],
        }
    )
    tf.train.Server(cluster, "ps", 0)
    workers = [tf.train.Server(cluster, "worker", i) for i in range(2)]
    assert [w.target for w in workers] == ["grpc://" + a for a in cluster.job_tasks("worker")]
    got = []
    for i, worker in enumerate(workers):
        graph, a, local = _worker_graph(cluster, i, True)
        assert a.device == local.device == "/job:ps/task:0"
        with graph.as_default(), tf.Session(worker.target) as sess:
            if i == 0:
                sess.run(tf.global_variables_initializer())
            sess.run(tf.local_variables_initializer())
            sess.run([a.assign_add(1.0), local.assign_add(10.0 * (i + 1))])
            got.append(sess.run([a, local]))
    assert got == [[1.0, 10.0], [2.0, 20.0]]  # TF's numbers


def test_variables_on_each_workers_own_task_are_its_own():
    addresses = [f"localhost:{unused_port()}", f"localhost:{unused_port()}"]
    cluster = tf.train.ClusterSpec({"worker": addresses})
    workers = [tf.train.Server(cluster, "worker", i) for i in range(2)]
    got = []
    for i, worker in enumerate(workers):
        graph, own, shared, free = _worker_graph(cluster, i, False)
        with graph.as_default(), tf.Session(worker.target) as sess:
            sess.run(own.initializer)
            if i == 0:
                sess.run([shared.initializer, free.initializer])
            sess.run(shared.assign_add(1.0))
            try:
                seen = sess.run(free)
            except tf.errors.FailedPreconditionError:
                seen = "uninitialized"
            got.append((*sess.run([own, shared]), seen))
    assert got == [(1.0, 1.0, 5.0), (2.0, 2.0, "uninitialized")]  # TF's


def test_threads_with_their_own_sessions_count_every_update():
    server = tf.train.Server.create_local_server()
    graph = tf.Graph()
    with graph.as_default():
        count = tf.Variable(0.0, name="count")
        increment = count.assign_add(1.0, use_locking=True)
    with tf.Session(server.target, graph=graph) as sess:
        sess.run(count.initializer)

    def work():
        with tf.Session(server.target, graph=graph) as sess:
            for _ in range(50):
                sess.run(increment)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with tf.Session(server.target, graph=graph) as sess:
        assert sess.run(count) == 200.0


def test_a_monitored_worker_waits_for_the_chiefs_initialization(tmp_path):
    server = tf.train.Server.create_local_server()
    results = []
    for is_chief in (True, False):
        with tf.Graph().as_default():
            step = tf.train.get_or_create_global_step()
            w = _variable("w", 2.0)
            train = tf.group(w.assign_add(1.0), step.assign_add(1))
            with tf.train.MonitoredTrainingSession(
                master=server.target, is_chief=is_chief, checkpoint_dir=None
            ) as sess:
                sess.run(train)
                results.append(sess.run([w, step]))
    assert results == [[3.0, 1], [4.0, 2]]  # the worker goes on from the chief's values
