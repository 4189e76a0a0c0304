"""Session.run: fetch structures, feeds, variables living in the session, errors."""

from __future__ import annotations

import collections
import subprocess
import sys
import threading

import numpy as np
import pytest

import scopeflow as tf


@pytest.fixture(autouse=True)
def graph():
    with tf.Graph().as_default() as g:
        yield g


# -- fetches ------------------------------------------------------------------------------


def test_every_fetch_structure_comes_back_in_its_own_shape():
    a = tf.constant(1.0, name="a")
    b = tf.constant([2, 3], name="b")
    op = tf.no_op(name="nothing")
    v = tf.Variable(5.0, name="v")
    Pair = collections.namedtuple("Pair", "x y")
    with tf.Session() as sess:
        sess.run(v.initializer)
        out = sess.run(
            {"a": a, "list": [a, (b, op)], "pair": Pair(a, "b:0"), "by_name": "a:0", "v": v}
        )
        assert sess.run(op) is None
        assert sess.run("nothing") is None
    assert out["a"] == np.float32(1.0)
    assert isinstance(out["list"], list) and isinstance(out["list"][1], tuple)
    np.testing.assert_array_equal(out["list"][1][0], [2, 3])
    assert out["list"][1][1] is None
    assert isinstance(out["pair"], Pair) and out["pair"].x == 1.0
    np.testing.assert_array_equal(out["pair"].y, [2, 3])
    assert out["by_name"] == 1.0 and out["v"] == 5.0


def test_duplicate_fetches_are_computed_once():
    counter = tf.Variable(0, name="counter")
    bump = tf.assign_add(counter, 1)
    with tf.Session() as sess:
        sess.run(counter.initializer)
        first, second = sess.run([bump, bump])
        assert first == second == 1
        assert sess.run(counter) == 1


def test_fetched_arrays_belong_to_the_caller():
    v = tf.Variable(np.zeros(3, np.float32), name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        got = sess.run(v)
        got[0] = 42.0  # must not write through to the variable
        np.testing.assert_array_equal(sess.run(v), [0, 0, 0])


# -- feeds --------------------------------------------------------------------------------


def test_feeds_by_tensor_name_and_variable_and_of_any_tensor():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.identity(x, name="y")
    z = tf.identity(y, name="z")
    v = tf.Variable(1.0, name="v")
    w = tf.identity(v, name="w")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(z, {x: [[1, 2]]}), [[1, 2]])
        np.testing.assert_array_equal(sess.run("z:0", {"x:0": [[3, 4]]}), [[3, 4]])
        # Feeding an intermediate tensor: the unfed placeholder above it never runs.
        np.testing.assert_array_equal(sess.run(z, {y: [[5, 6]]}), [[5, 6]])
        # Feeding a variable replaces its value for this run only (it stays uninitialized).
        assert sess.run(w, {v: 7.0}) == 7.0
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(w)


def test_a_control_dependency_on_a_fed_placeholder_is_met_by_the_feed():
    # As TF (tf.tuple of placeholders waits on their ops): the fed placeholder does not run.
    x = tf.placeholder(tf.float32, [2], name="x")
    with tf.control_dependencies([x.op]):
        y = tf.identity(x * 2.0)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: [1.0, 2.0]}), [2.0, 4.0])


def test_placeholder_with_default():
    d = tf.placeholder_with_default(tf.constant([1, 2]), [None], name="d")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(d), [1, 2])
        np.testing.assert_array_equal(sess.run(d, {d: [7, 8, 9]}), [7, 8, 9])


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        # TF 2.21's words (TF 1.x quoted the name and the shape)
        ([1.0, 2.0], ValueError, r"Cannot feed value of shape \(2,\) for Tensor x:0, which "),
        ([[1.0, 2.0, 3.0]], ValueError, r"which has shape \(\?, 2\)"),
        # TF1's types: ValueError for strings that are no numbers, TypeError for objects.
        ([["a", "b"]], ValueError, "could not convert string to float"),
        ("abc", ValueError, "Cannot feed value 'abc'"),
        ([[{"a": 1}, 2.0]], TypeError, "Cannot feed value"),
        ([[object(), 2.0]], TypeError, "Cannot feed value"),
    ],
)
def test_bad_feeds(value, error, match):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.Session() as sess, pytest.raises(error, match=match):
        sess.run(tf.identity(x), {x: value})


def test_feed_key_and_value_errors():
    x = tf.placeholder(tf.int32, [], name="x")
    y = tf.identity(x)
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor"):
            sess.run(y, {"nope:0": 1})
        with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor"):
            sess.run(y, {x: tf.constant(1)})
        with pytest.raises(TypeError, match="larger type"):
            sess.run(y, {x: 2**40})


# -- errors -------------------------------------------------------------------------------


def test_unfed_placeholder_names_it_its_dtype_shape_and_the_fetch():
    x = tf.placeholder(tf.float32, [None, 3], name="images")
    y = tf.identity(x, name="features")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(y)
    message = str(info.value)
    assert "You must feed a value for placeholder tensor 'images'" in message
    # TF 2.21: "... tensor 'images' with dtype float and shape [?,3]"
    assert "'images' with dtype float and shape [?,3]" in message and "features:0" in message
    assert info.value.op.name == "images"
    assert info.value.error_code == tf.errors.INVALID_ARGUMENT


def test_uninitialized_variable_names_it_and_where_it_was_made():
    v = tf.Variable(1.0, name="weights")
    with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError) as info:
        sess.run(v.value() * 2.0)
    message = str(info.value)
    assert "Attempting to use uninitialized value weights" in message
    assert "test_session.py" in message and "global_variables_initializer" in message


def test_fetch_errors():
    a = tf.constant(1.0, name="alpha")
    with tf.Graph().as_default():
        other = tf.constant(2.0)
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="is not an element of this graph"):
            sess.run(other)
        with pytest.raises(ValueError, match="Did you mean 'alpha'"):
            sess.run("alpah:0")
        with pytest.raises(TypeError, match="Fetch argument None has invalid type"):
            sess.run([a, None])
        with pytest.raises(TypeError, match="must be a string or Tensor"):
            sess.run(3)


def test_closed_session_raises_runtime_error():
    a = tf.constant(1.0)
    sess = tf.Session()
    sess.close()
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(a)


def test_kernel_failure_names_the_op_type_shapes_and_creation_line():
    x = tf.placeholder(tf.float32, None, name="x")
    r = tf.reshape(x, [2, 2], name="to_square")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(r, {x: np.ones(3)})
    message = str(info.value)
    assert "to_square" in message and "Reshape" in message and "[3]" in message
    assert "test_session.py" in message
    assert info.value.op is r.op


def test_failed_run_leaves_variables_unchanged():
    v = tf.Variable(1.0, name="v")
    x = tf.placeholder(tf.float32, None, name="x")
    bump = tf.assign_add(v, 10.0)
    with tf.control_dependencies([bump]):
        bad = tf.reshape(x, [2, 2])
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(bad, {x: np.ones(3)})
        assert sess.run(v) == 1.0  # the assign_add that ran before the failure is dropped
        sess.run(bad, {x: np.ones(4)})
        assert sess.run(v) == 11.0


# -- variables live in the session --------------------------------------------------------


def test_initializers_assignments_and_two_sessions():
    v = tf.Variable(3.0, name="v")
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    local = tf.get_local_variable("count", [], dtype=tf.int32)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(tf.global_variables_initializer())
    s1.run(tf.local_variables_initializer())
    s2.run(tf.variables_initializer([v]))
    assert s1.run(v.assign(5.0)) == 5.0
    assert s1.run(tf.assign_add(v, 1.0)) == 6.0
    assert s1.run(v.assign_sub(2.0)) == 4.0
    assert s1.run(v.assign(9.0, read_value=False)) is None
    assert s2.run(v) == 3.0  # separate values per session
    np.testing.assert_array_equal(s1.run(w), [1, 1])
    assert s1.run(local) == 0
    assert s1.run(tf.is_variable_initialized(w)) and not s2.run(tf.is_variable_initialized(w))
    with s2.as_default():
        v.load(42.0)
        assert v.eval() == 42.0
    assert s1.run(v) == 9.0


def test_initialized_value_uses_the_initial_value_until_initialized():
    v = tf.Variable(2.0, name="v")
    twice = tf.Variable(v.initialized_value() * 2.0, name="twice")
    with tf.Session() as sess:
        sess.run(twice.initializer)  # v itself is still uninitialized
        assert sess.run(twice) == 4.0
        assert not sess.run(tf.is_variable_initialized(v))


def test_control_dependencies_order_assignment_before_read():
    v = tf.Variable(1.0, name="v")
    with tf.control_dependencies([v.assign(5.0)]):
        read = tf.identity(v.value())
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(read) == 5.0


def test_ops_using_a_variable_directly_see_the_assignments_they_wait_for():
    """TF1's ``v/read`` shares the variable's buffer: an op that waits for an assignment and
    takes ``v`` itself reads the assigned value (TF 2.21 compat.v1 gives these numbers)."""
    counter = tf.Variable(0, name="counter")
    with tf.control_dependencies([tf.assign_add(counter, 1)]):
        after = counter + 0
    v = tf.Variable([1.0, 2.0], name="v")
    with tf.control_dependencies([tf.assign(v, [5.0, 6.0])]):
        total = tf.reduce_sum(v)
        ratio = tf.math.divide_no_nan(v, v + 1.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert [sess.run(after) for _ in range(3)] == [1, 2, 3]
        sess.run(v.initializer)
        assert sess.run(total) == 11.0
        np.testing.assert_allclose(sess.run(ratio), [5 / 6, 6 / 7])
        assert sess.run(v.value()).tolist() == [5.0, 6.0]


def test_eval_run_and_default_session():
    a = tf.constant(2.0)
    op = tf.no_op()
    with pytest.raises(ValueError, match="No default session is registered"):
        a.eval()
    with tf.Session() as sess:
        assert tf.get_default_session() is sess
        assert a.eval() == 2.0
        assert op.run() is None
    assert tf.get_default_session() is None


def test_interactive_session_installs_itself_until_closed(graph):
    a = tf.constant(3.0)
    sess = tf.InteractiveSession(graph=graph)
    try:
        assert a.eval() == 3.0
    finally:
        sess.close()
    assert tf.get_default_session() is None


def test_config_proto_fields_and_make_callable():
    config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False)
    config.gpu_options.allow_growth = True
    config.intra_op_parallelism_threads = 2
    with pytest.raises(ValueError, match='has no "nope" field'):
        tf.ConfigProto(nope=1)
    x = tf.placeholder(tf.int32, [])
    y = tf.identity(x)
    with tf.Session(config=config) as sess:
        call = sess.make_callable(y, [x])
        assert call(4) == 4
        assert sess.run(y, {x: 5}, options=tf.RunOptions(), run_metadata=tf.RunMetadata()) == 5


# -- random ops ---------------------------------------------------------------------------

_SEEDED_PROGRAM = """
import scopeflow as tf
tf.set_random_seed(7)
a = tf.random_uniform([3])
b = tf.random_normal([2], seed=3)
with tf.Session() as sess:
    print(sess.run([a, b]))
"""


def test_seeded_random_ops_repeat_across_sessions_and_processes():
    tf.set_random_seed(7)
    a = tf.random_uniform([3])
    b = tf.random_normal([2], seed=3)
    with tf.Session() as s1:
        first = s1.run([a, b])
        again = s1.run([a, b])
    with tf.Session() as s2:
        np.testing.assert_array_equal(s2.run(a), first[0])
    assert not np.array_equal(first[0], again[0])  # a new draw on each run
    out = subprocess.run(
        [sys.executable, "-c", _SEEDED_PROGRAM], capture_output=True, text=True, check=True
    ).stdout
    assert (
        out
        == subprocess.run(
            [sys.executable, "-c", _SEEDED_PROGRAM], capture_output=True, text=True, check=True
        ).stdout
    )


def test_unseeded_random_ops_differ_between_sessions():
    a = tf.random_uniform([8])
    with tf.Session() as s1, tf.Session() as s2:
        assert not np.array_equal(s1.run(a), s2.run(a))


# -- threads ------------------------------------------------------------------------------


def test_run_from_many_threads_on_one_session():
    x = tf.placeholder(tf.float32, [None])
    counters = [tf.Variable(0.0, name=f"c{i}") for i in range(4)]
    bumps = [tf.assign_add(c, 1.0) for c in counters]
    doubled = x * 2.0
    errors_seen = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())

        def work(i):
            try:
                for n in range(50):
                    value = np.full(3, float(n + i), np.float32)
                    np.testing.assert_array_equal(sess.run(doubled, {x: value}), value * 2)
                    sess.run(bumps[i])
            except Exception as e:  # noqa: BLE001 - reported below
                errors_seen.append(e)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors_seen == []
        assert sess.run(counters) == [50.0] * 4


def test_a_kernels_invalid_argument_reads_as_tfs_message(graph):
    picked = tf.gather(tf.constant([1, 2, 3]), tf.constant([5]), name="pick")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(picked)
    first, where = str(info.value).splitlines()[:2]
    assert first == "indices[0] = 5 is not in [0, 3)"  # TF's text, no Python type before it
    assert where.startswith("\t [[node pick (op GatherV2, input shapes: [3], [1], []) defined at ")
