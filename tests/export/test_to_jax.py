"""``scopeflow.export.to_jax``: the exported function computes what ``Session.run`` does, its
params are keyed like checkpoints, and ``jax.jit``/``jax.grad``/``jax.vmap`` apply to it."""

from __future__ import annotations

import collections
import subprocess
import sys

import numpy as np
import pytest

import scopeflow as tf

jax = pytest.importorskip("jax")

from scopeflow.export import to_jax  # noqa: E402
from scopeflow.export.params import flatten  # noqa: E402

RNG = np.random.default_rng(0)
XS = RNG.normal(size=(6, 4)).astype(np.float32)
YS = RNG.integers(0, 3, 6)


@pytest.fixture
def sess():
    with tf.Graph().as_default(), tf.Session() as s:
        tf.set_random_seed(0)
        yield s


def _mlp(training=False):
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    h = tf.layers.dense(x, 8, activation=tf.nn.relu, name="h")
    h = tf.layers.batch_normalization(h, training=training, name="bn")
    logits = tf.layers.dense(h, 3, name="logits")
    loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
    return x, y, logits, loss


def _init(sess):
    sess.run(tf.global_variables_initializer())


def test_import_scopeflow_export_does_not_import_jax():
    code = "import sys, scopeflow.export; assert 'jax' not in sys.modules, 'jax imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_jax_export_raises_import_error_naming_the_extra():
    code = (
        "import sys; sys.modules['jax'] = None\n"
        "import scopeflow as tf, scopeflow.export as e\n"
        "try:\n    e.to_jax(tf.constant(1.0), [])\n"
        "except ImportError as err:\n    assert 'scopeflow[jax]' in str(err), err\n"
        "else:\n    raise SystemExit('no ImportError')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_round_trip_matches_session_run_in_the_fetches_nesting(sess):
    x, y, logits, loss = _mlp()
    _init(sess)
    Pair = collections.namedtuple("Pair", "logits loss")
    fetches = {"pair": Pair(logits, loss), "list": [loss, tf.nn.softmax(logits)]}
    fn, params = to_jax(fetches, [x, y], sess)
    got = fn(params, XS, YS)
    want = sess.run(fetches, {x: XS, y: YS})
    assert isinstance(got["pair"], Pair) and isinstance(got["list"], list)
    for a, b in zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
        assert a.dtype == b.dtype


def test_params_are_keyed_by_scope_with_checkpoint_keys_and_state_apart(sess, tmp_path):
    x, y, _, loss = _mlp(training=False)
    _init(sess)
    _, params = to_jax(loss, [x, y], sess)
    assert set(params) == {"trainable", "state"}
    assert sorted(params["trainable"]["h"]) == ["bias", "kernel"]
    assert sorted(params["state"]["bn"]) == ["moving_mean", "moving_variance"]
    path = tf.train.Saver().save(sess, str(tmp_path / "model"))
    keys = {name for name, _ in tf.train.list_variables(path)}
    flat = {**flatten(params["trainable"]), **flatten(params["state"])}
    assert set(flat) == keys
    reader = tf.train.load_checkpoint(path)
    for name, value in flat.items():
        np.testing.assert_array_equal(value, reader.get_tensor(name))


def test_params_hold_only_the_variables_the_fetches_read(sess):
    x = tf.placeholder(tf.float32, [None, 4])
    a = tf.layers.dense(x, 2, name="a")
    tf.layers.dense(x, 2, name="b")
    _init(sess)
    _, params = to_jax(a, [x], sess)
    assert params == {"trainable": {"a": params["trainable"]["a"]}, "state": {}}


def test_jit_gives_the_same_values(sess):
    x, y, logits, loss = _mlp()
    _init(sess)
    fn, params = to_jax([logits, loss], [x, y], sess)
    eager, jitted = fn(params, XS, YS), jax.jit(fn)(params, XS, YS)
    for a, b in zip(eager, jitted, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_grad_matches_tf_gradients(sess):
    x, y, _, loss = _mlp(training=True)
    _init(sess)
    fn, params = to_jax(loss, [x, y], sess)
    grads = jax.grad(fn)(params, XS, YS)
    vs = tf.trainable_variables()
    want = sess.run(tf.gradients(loss, vs), {x: XS, y: YS})
    flat = flatten(grads["trainable"])
    assert set(flat) == {v.op.name for v in vs}
    for v, g in zip(vs, want, strict=True):
        np.testing.assert_allclose(flat[v.op.name], g, rtol=1e-4, atol=1e-6)


def test_grad_with_respect_to_a_feed(sess):
    x = tf.placeholder(tf.float32, [3])
    w = tf.get_variable("w", initializer=[1.0, 2.0, 3.0])
    out = tf.reduce_sum(tf.sin(x) * w)
    _init(sess)
    fn, params = to_jax(out, [x], sess)
    xs = np.array([0.1, 0.2, 0.3], np.float32)
    want = sess.run(tf.gradients(out, x)[0], {x: xs})
    np.testing.assert_allclose(jax.grad(fn, argnums=1)(params, xs), want, rtol=1e-6)


def test_vmap_over_an_added_axis_equals_a_loop(sess):
    x, y, logits, _ = _mlp()
    _init(sess)
    fn, params = to_jax(logits, [x], sess)
    batches = RNG.normal(size=(3, 5, 4)).astype(np.float32)
    mapped = jax.vmap(fn, in_axes=(None, 0))(params, batches)
    assert mapped.shape == (3, 5, 3)
    for i in range(3):
        np.testing.assert_allclose(mapped[i], sess.run(logits, {x: batches[i]}), rtol=1e-5)


def test_per_example_gradients_with_vmap_of_grad(sess):
    x, y, _, loss = _mlp()
    _init(sess)
    fn, params = to_jax(loss, [x, y], sess)
    per_example = jax.vmap(jax.grad(fn), in_axes=(None, 0, 0))(params, XS[:, None], YS[:, None])
    kernel = tf.get_default_graph().get_tensor_by_name("h/kernel:0")
    want = sess.run(tf.gradients(loss, kernel)[0], {x: XS[2:3], y: YS[2:3]})
    got = per_example["trainable"]["h"]["kernel"][2]
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6 * abs(want).max())


def test_params_from_the_session_now_and_function_pure(sess):
    v = tf.get_variable("v", initializer=1.0)
    bump = tf.assign_add(v, 2.0)
    _init(sess)
    sess.run(bump)
    fn, params = to_jax(bump, [], sess)
    assert float(params["trainable"]["v"]) == 3.0
    assert float(fn(params)) == 5.0
    assert float(fn(params)) == 5.0  # the assignment's new value is dropped
    assert sess.run(v) == 3.0


def test_other_params_values_are_used(sess):
    x = tf.placeholder(tf.float32, [None, 2])
    w = tf.get_variable("w", initializer=[[1.0], [1.0]])
    _init(sess)
    fn, params = to_jax(tf.matmul(x, w), [x], sess)
    other = {"trainable": {"w": np.array([[2.0], [3.0]], np.float32)}, "state": {}}
    np.testing.assert_allclose(fn(other, [[1.0, 1.0]]), [[5.0]])
    with pytest.raises(KeyError, match="no entry for variable 'w'"):
        fn({"trainable": {}, "state": {}}, [[1.0, 1.0]])


def test_feeding_an_intermediate_tensor(sess):
    x = tf.placeholder(tf.float32, [2])
    h = tf.square(x, name="h")
    out = h + 1.0
    fn, _ = to_jax(out, [h], sess)
    np.testing.assert_allclose(fn({"trainable": {}, "state": {}}, [3.0, 4.0]), [4.0, 5.0])


def test_random_ops_draw_from_the_rng_argument(sess):
    x = tf.placeholder(tf.float32, [1000])
    dropped = tf.nn.dropout(x, keep_prob=0.5)
    fn, params = to_jax(dropped, [x], sess)
    ones = np.ones(1000, np.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="draws random numbers: pass a key"):
        fn(params, ones)
    a = fn(params, ones, rng=jax.random.key(1))
    np.testing.assert_array_equal(a, fn(params, ones, rng=jax.random.key(1)))
    assert not np.array_equal(a, fn(params, ones, rng=jax.random.key(2)))
    assert set(np.unique(np.asarray(a))) <= {0.0, 2.0}
    assert 400 < int((np.asarray(a) > 0).sum()) < 600


def test_grad_of_a_conv_net_in_training_mode_matches_tf_gradients(sess):
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu, name="conv1")
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.batch_normalization(h, training=True, name="bn")
    out = tf.reduce_sum(tf.square(tf.layers.dense(tf.layers.flatten(h), 2, name="out")))
    _init(sess)
    fn, params = to_jax(out, [x], sess)
    xs = RNG.normal(size=(2, 8, 8, 3)).astype(np.float32)
    grads = flatten(jax.jit(jax.grad(fn))(params, xs)["trainable"])
    vs = tf.trainable_variables()
    for v, want in zip(vs, sess.run(tf.gradients(out, vs), {x: xs}), strict=True):
        np.testing.assert_allclose(grads[v.op.name], want, rtol=1e-4, atol=1e-5 * abs(want).max())


def test_a_jax_session_and_grad_of_the_trainables_beside_an_integer_step():
    with tf.Graph().as_default(), tf.Session(executor="jax") as sess:
        x = tf.placeholder(tf.float32, [None, 2])
        w = tf.get_variable("w", initializer=[[1.0], [2.0]])
        rate = tf.train.exponential_decay(1.0, tf.train.get_or_create_global_step(), 1, 0.5)
        loss = tf.reduce_sum(tf.square(tf.matmul(x, w))) * rate
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign_add(tf.train.get_global_step(), 1))
        fn, params = to_jax(loss, [x], sess)
        assert params["state"]["global_step"].dtype == np.int64
        xs = np.array([[1.0, 1.0]], np.float32)
        grads = jax.grad(lambda t: fn({**params, "trainable": t}, xs))(params["trainable"])
        np.testing.assert_allclose(grads["w"], sess.run(tf.gradients(loss, w)[0], {x: xs}))
        np.testing.assert_allclose(grads["w"], [[3.0], [3.0]])
