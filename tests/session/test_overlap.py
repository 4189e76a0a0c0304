"""Tests for scopeflow/session/overlap.py: convolution gradients moved up and computed by the
run's background lane while the run goes on; values bit-identical to ops one at a time for
every thread setting; the lane used only when two ops may run at once; a failing heavy step
named in its error, and first when it comes first in the plan's order."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.framework import errors
from scopeflow.ops.kernels import parallel
from scopeflow.session import overlap
from tests.ops.nn.test_conv import force_algorithm

RNG = np.random.default_rng(23)


def _config(intra: int, inter: int) -> tf.ConfigProto:
    return tf.ConfigProto(intra_op_parallelism_threads=intra, inter_op_parallelism_threads=inter)


@pytest.fixture
def lanes(monkeypatch):
    """(op type, thread name) of every heavy step the lane or a wait computed."""
    seen: list = []
    real = overlap._Job.run

    def run(self, ctx):
        seen.append((self.op.type, threading.current_thread().name, ctx.threads.count))
        return real(self, ctx)

    monkeypatch.setattr(overlap._Job, "run", run)
    return seen


def _training(graph):
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 16, 16, 4])
        h = x
        for i in range(3):
            shape = (3, 3, h.shape[3].value, 8)
            w = tf.get_variable(f"w{i}", initializer=0.2 * RNG.standard_normal(shape).astype("f"))
            h = tf.nn.conv2d(h, w, 1, "SAME")
            h = tf.nn.relu(tf.layers.batch_normalization(h, training=True))
        loss = tf.reduce_mean(tf.square(h))
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
        return x, loss, train, tf.global_variables_initializer()


@pytest.mark.parametrize("algorithm", ["gemm", "spectral"])
def test_filter_gradients_on_the_lane_give_the_values_of_one_op_at_a_time(
    monkeypatch, lanes, algorithm
):
    force_algorithm(monkeypatch, algorithm)
    graph = tf.Graph()
    x, loss, train, init = _training(graph)
    data = RNG.standard_normal((128, 16, 16, 4)).astype(np.float32)
    values = {}
    for intra, inter in ((1, 1), (2, 0), (1, 2), (2, 1)):
        lanes.clear()
        with tf.Session(graph=graph, config=_config(intra, inter)) as sess:
            sess.run(init)
            for _ in range(3):
                sess.run(train, {x: data})
            values[intra, inter] = sess.run([loss, *tf.global_variables()], {x: data})
        on_lane = [kind for kind, thread, _ in lanes if thread.startswith("scopeflow-kernel")]
        if inter == 1:
            assert on_lane == []  # one op at a time
        else:
            assert "Conv2DBackpropFilter" in on_lane
            assert {count for _, _, count in lanes} == {1}  # one kernel thread each
    for key, got in values.items():
        for a, b in zip(values[1, 1], got, strict=True):
            np.testing.assert_array_equal(a, b, err_msg=str(key))


def test_heavy_steps_move_up_to_their_inputs_and_wait_before_their_readers():
    graph = tf.Graph()
    x, _, train, init = _training(graph)
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        sess.run(train, {x: np.ones((4, 16, 16, 4), np.float32)})
        plan = max(sess._plans.values(), key=lambda p: len(p.steps))
        steps = plan.prepared[0]
    starts = [i for i, s in enumerate(steps) if isinstance(s.kernel, overlap._Start)]
    waits = [i for i, s in enumerate(steps) if isinstance(s.kernel, overlap._Wait)]
    assert len(starts) == len(waits) >= 2  # filter gradients (the last one's may follow)
    produced = {}
    for i, step in enumerate(steps):
        for slot in step.inputs:
            # every input is produced before it is read (a start's slot by its start)
            assert slot not in produced or produced[slot] < i
        for slot in step.outputs:
            produced.setdefault(slot, i)
    for start in starts:
        op = steps[start].op
        wait = next(i for i in waits if steps[i].op is op)
        assert wait - start > overlap.MIN_BETWEEN


def _failing_filter_gradient(graph):
    """A filter gradient whose sizes are fed (wrong sizes fail it), read only at the end,
    and another op after it in the plan that fails on a bad feed."""
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 16, 16, 4], name="x")
        sizes = tf.placeholder(tf.int32, [4], name="sizes")
        dy = tf.placeholder(tf.float32, [None, 16, 16, 8], name="dy")
        grad = tf.nn.conv2d_backprop_filter(x, sizes, dy, [1, 1, 1, 1], "SAME", name="grad")
        shape = tf.placeholder(tf.int32, [2], name="shape")
        h = tf.nn.relu(tf.reduce_sum(dy * 2.0 + 1.0, axis=[1, 2]))
        later = tf.reshape(h * 3.0, shape, name="later")
        return x, sizes, dy, shape, grad, later


def test_a_failing_heavy_step_on_the_lane_is_named():
    graph = tf.Graph()
    x, sizes, dy, shape, grad, later = _failing_filter_gradient(graph)
    feeds = {x: RNG.standard_normal((64, 16, 16, 4)).astype(np.float32),
             dy: RNG.standard_normal((64, 16, 16, 8)).astype(np.float32)}  # fmt: skip
    with tf.Session(graph=graph) as sess:
        good = sess.run([grad, later], {**feeds, sizes: [3, 3, 4, 8], shape: [8, 64]})
        assert good[0].shape == (3, 3, 4, 8)
        with pytest.raises(errors.InvalidArgumentError) as info:
            sess.run([grad, later], {**feeds, sizes: [3, 3, 5, 8], shape: [8, 64]})
        assert info.value.op.name == "grad"
        # Both fail: the filter gradient comes first in the plan, so its error is raised.
        with pytest.raises(errors.InvalidArgumentError) as info:
            sess.run([grad, later], {**feeds, sizes: [3, 3, 5, 8], shape: [7, 64]})
        assert info.value.op.name == "grad"
        # Only the later op fails: its own error, and the session is still usable.
        with pytest.raises(errors.InvalidArgumentError) as info:
            sess.run([grad, later], {**feeds, sizes: [3, 3, 4, 8], shape: [7, 64]})
        assert info.value.op.name == "later"
        again = sess.run([grad, later], {**feeds, sizes: [3, 3, 4, 8], shape: [8, 64]})
    np.testing.assert_array_equal(good[0], again[0])
    np.testing.assert_array_equal(good[1], again[1])


def test_a_queued_heavy_step_the_lane_never_began_still_raises_first(monkeypatch):
    """On a loaded machine the lane's thread may not have begun a queued heavy step when a
    later op fails: the step is run then, so the error is the plain loop's (the filter
    gradient comes first in the plan)."""

    class Late:  # a pool whose threads never get to run
        def submit(self, fn, *args):
            return None

    graph = tf.Graph()
    x, sizes, dy, shape, grad, later = _failing_filter_gradient(graph)
    feeds = {x: RNG.standard_normal((64, 16, 16, 4)).astype(np.float32),
             dy: RNG.standard_normal((64, 16, 16, 8)).astype(np.float32)}  # fmt: skip
    monkeypatch.setattr(parallel, "_shared_pool", Late)
    with tf.Session(graph=graph) as sess:
        with pytest.raises(errors.InvalidArgumentError) as info:
            sess.run([grad, later], {**feeds, sizes: [3, 3, 5, 8], shape: [7, 64]})
        assert info.value.op.name == "grad"
        with pytest.raises(errors.InvalidArgumentError) as info:
            sess.run([grad, later], {**feeds, sizes: [3, 3, 4, 8], shape: [7, 64]})
        assert info.value.op.name == "later"
        good = sess.run([grad, later], {**feeds, sizes: [3, 3, 4, 8], shape: [8, 64]})
    assert good[0].shape == (3, 3, 4, 8)
