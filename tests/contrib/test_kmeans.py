"""tf.contrib.factorization.KMeans (TF 1.15's clustering_ops graph builder). TF 2.21 has no
contrib nor the C++ clustering ops, so each step is checked against a NumPy re-computation of
TF 1.15's rules; the 'random' initial indices are those TF 2.21's random_uniform(seed=0) draws
in the same op (printed in the reference venv)."""

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.contrib.factorization import KMeans

DATA = np.array(
    [[0.0, 1.0], [0.5, 1.5], [4.0, 4.0], [5.0, 4.5], [9.0, 0.0], [8.0, 1.0], [1.0, 0.0],
     [4.5, 5.0], [9.5, 0.5], [0.0, 0.0], [5.0, 5.0], [8.5, 0.0]],
    dtype=np.float32,
)  # fmt: skip
INIT = np.array([[0.0, 0.0], [4.0, 4.0], [9.0, 9.0]], np.float32)
COS_INIT = np.array([[1.0, 0.2], [1.0, 1.0], [0.2, 1.0]], np.float32)


def _np_assign(x, c, cosine=False):
    if cosine:
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
        c = c / np.linalg.norm(c, axis=1, keepdims=True)
        d = 1 - x @ c.T
        return d, np.argmin(d, 1), d.min(1)
    d = (x**2).sum(1, keepdims=True) - 2 * x @ c.T + (c**2).sum(1)
    return d, np.argmin(d, 1), np.maximum(d.min(1), 0)


def _build(x, **kwargs):
    return KMeans(x, **kwargs).training_graph()


def test_training_graph_returns_tf_1_15s_six_items_and_variables(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    out = _build(x, num_clusters=3, use_mini_batch=True, mini_batch_steps_per_iteration=2)
    assert len(out) == 6
    all_scores, cluster_idx, scores, initialized, init_op, train_op = out
    assert isinstance(cluster_idx, tuple) and len(cluster_idx) == 1
    assert cluster_idx[0].dtype == tf.int64 and scores[0].dtype == tf.float32
    assert initialized.dtype.base_dtype == tf.bool
    names = [v.op.name for v in tf.global_variables()]
    assert names == ["clusters", "initialized", "clusters_updated", "update_in_steps", "Variable"]
    assert tf.global_variables()[3].dtype.base_dtype == tf.int64


def test_random_init_picks_tfs_indices_and_sets_initialized(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    _, _, _, initialized, init_op, _ = _build(x, num_clusters=3)
    clusters = tf.global_variables()[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert not sess.run(initialized)
        sess.run(init_op, {x: DATA})
        assert sess.run(initialized)
        # TF: random_uniform([3], 0, 12, seed=0, dtype=int64) -> [1, 10, 1]
        np.testing.assert_array_equal(sess.run(clusters), DATA[[1, 10, 1]])
        sess.run(init_op, {x: DATA})  # all chosen: only asserts initialized
        np.testing.assert_array_equal(sess.run(clusters), DATA[[1, 10, 1]])


def test_random_init_takes_the_whole_batch_when_it_is_small(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    _, _, _, initialized, init_op, _ = _build(x, num_clusters=4)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(init_op, {x: DATA[:3]})
        assert not sess.run(initialized)
        np.testing.assert_array_equal(sess.run(tf.global_variables()[0]), DATA[:3])
        sess.run(init_op, {x: DATA[3:4]})
        assert sess.run(initialized)
        np.testing.assert_array_equal(sess.run(tf.global_variables()[0]), DATA[:4])


def test_full_batch_step_is_lloyds_mean_update(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    all_scores, idx, scores, _, init_op, train_op = _build(x, num_clusters=3, initial_clusters=INIT)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(init_op, {x: DATA})
        d, i, s = sess.run([all_scores[0], idx[0], scores[0]], {x: DATA})
        nd, ni, ns = _np_assign(DATA, INIT)
        np.testing.assert_allclose(d, nd, rtol=1e-5, atol=1e-5)
        np.testing.assert_array_equal(i, ni)
        np.testing.assert_allclose(s, ns, rtol=1e-5, atol=1e-5)
        sess.run(train_op, {x: DATA})
        want = np.stack([DATA[ni == k].sum(0) / ((ni == k).sum() + 1e-6) for k in range(3)])
        np.testing.assert_allclose(sess.run(tf.global_variables()[0]), want, rtol=1e-5)


def test_mini_batch_step_moves_centers_by_one_over_count(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    _, idx, _, _, init_op, train_op = _build(
        x, num_clusters=3, initial_clusters=INIT, use_mini_batch=True
    )
    clusters, _, counts = tf.global_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(init_op, {x: DATA})
        c, n = INIT.copy(), np.ones(3, np.int64)
        for batch in (DATA[:6], DATA[6:]):
            sess.run(train_op, {x: batch})
            ni = _np_assign(batch, c)[1]
            for k in np.unique(ni):
                m = (ni == k).sum()
                c[k] += (batch[ni == k].sum(0) - m * c[k]) / (n[k] + m)
                n[k] += m
            np.testing.assert_allclose(sess.run(clusters), c, rtol=1e-5)
            np.testing.assert_array_equal(sess.run(counts), n)


def test_mini_batch_steps_per_iteration_syncs_the_updated_copy(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    _, _, _, _, init_op, train_op = _build(
        x, num_clusters=3, initial_clusters=INIT, use_mini_batch=True,
        mini_batch_steps_per_iteration=2,
    )  # fmt: skip
    clusters, _, updated, steps, counts = tf.global_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(init_op, {x: DATA})
        np.testing.assert_array_equal(sess.run(updated), INIT)
        sess.run(train_op, {x: DATA[:6]})  # 2 -> 1 steps left; clusters unchanged
        assert sess.run(steps) == 1
        np.testing.assert_array_equal(sess.run(clusters), INIT)
        ni = _np_assign(DATA[:6], INIT)[1]
        c = INIT.copy()
        for k in np.unique(ni):  # counts start at 0: the new points' mean
            c[k] = DATA[:6][ni == k].mean(0)
        np.testing.assert_allclose(sess.run(updated), c, rtol=1e-5)
        np.testing.assert_array_equal(sess.run(counts), np.bincount(ni, minlength=3))
        sess.run(train_op, {x: DATA[:6]})
        assert sess.run(steps) == 0
        np.testing.assert_array_equal(sess.run(clusters), INIT)
        synced = sess.run(updated)
        sess.run(train_op, {x: DATA[6:]})  # sync first: clusters := updated, counts := 0
        assert sess.run(steps) == 1
        np.testing.assert_array_equal(sess.run(clusters), synced)
        ni = _np_assign(DATA[6:], synced)[1]
        np.testing.assert_array_equal(sess.run(counts), np.bincount(ni, minlength=3))


def test_cosine_full_batch_keeps_unit_centers_and_scores_one_minus_cosine(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    data = DATA + 0.5
    all_scores, idx, scores, _, init_op, train_op = _build(
        x, num_clusters=3, initial_clusters=COS_INIT, distance_metric="cosine"
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(init_op, {x: data})
        c0 = sess.run(tf.global_variables()[0])
        np.testing.assert_allclose(np.linalg.norm(c0, axis=1), 1.0, rtol=1e-5)
        d, i, s = sess.run([all_scores[0], idx[0], scores[0]], {x: data})
        nd, ni, ns = _np_assign(data, COS_INIT, cosine=True)
        np.testing.assert_allclose(d, nd, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(i, ni)
        np.testing.assert_allclose(s, ns, rtol=1e-4, atol=1e-6)
        sess.run(train_op, {x: data})
        u = data / np.linalg.norm(data, axis=1, keepdims=True)
        want = np.stack([u[ni == k].sum(0) for k in range(3)])
        want /= np.linalg.norm(want, axis=1, keepdims=True)
        np.testing.assert_allclose(sess.run(tf.global_variables()[0]), want, rtol=1e-5)


def test_kmeans_plus_plus_picks_distinct_data_rows_from_separated_groups(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    _, _, _, initialized, init_op, _ = _build(
        x, num_clusters=3, initial_clusters="kmeans_plus_plus", random_seed=3
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(init_op, {x: DATA})
        assert sess.run(initialized)
        chosen = sess.run(tf.global_variables()[0])
    rows = [int(np.flatnonzero((DATA == c).all(1))[0]) for c in chosen]
    groups = {0: 0, 1: 0, 6: 0, 9: 0, 2: 1, 3: 1, 7: 1, 10: 1, 4: 2, 5: 2, 8: 2, 11: 2}
    assert sorted(groups[r] for r in rows) == [0, 1, 2]


def test_callable_initial_clusters_gets_inputs_and_the_number_left(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    seen = []

    def first_rows(inputs, k):
        seen.append(len(inputs))
        return inputs[0][: tf.cast(k, tf.int32)]

    _, _, _, initialized, init_op, _ = _build(x, num_clusters=2, initial_clusters=first_rows)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(init_op, {x: DATA})
        assert sess.run(initialized) and seen == [1]
        np.testing.assert_array_equal(sess.run(tf.global_variables()[0]), DATA[:2])


def test_bad_options_raise_tfs_errors(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    with pytest.raises(ValueError, match="Unsupported distance metric 'l1'"):
        KMeans(x, 2, distance_metric="l1")
    with pytest.raises(ValueError, match="Unsupported initialization algorithm 'foo'"):
        KMeans(x, 2, initial_clusters="foo")
    with pytest.raises(NotImplementedError, match="kmeans_plus_plus"):
        KMeans(x, 2, initial_clusters="kmc2")
    with pytest.raises(AttributeError, match="WALSModel.*matrix_solve_ls"):
        tf.contrib.factorization.WALSModel  # noqa: B018
    assert tf.contrib.factorization.KMeans is KMeans


def test_kmeans_plus_plus_needs_as_many_points_as_clusters_at_run(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    _, _, _, _, init_op, _ = _build(x, num_clusters=5, initial_clusters="kmeans_plus_plus")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(init_op, {x: DATA[:3]})


def test_checkpoint_holds_tfs_variable_names_and_restores_centers(tmp_path):
    data = DATA[:8]
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2])
        out = _build(
            x, num_clusters=3, initial_clusters="kmeans_plus_plus", use_mini_batch=True,
            mini_batch_steps_per_iteration=3, kmeans_plus_plus_num_retries=-1,
        )  # fmt: skip
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(out[4], {x: data})
            centers = sess.run(tf.global_variables()[0])
            path = saver.save(sess, str(tmp_path / "km"))
    assert tf.train.list_variables(path) == [
        ("Variable", [3]),
        ("clusters", [3, 2]),
        ("clusters_updated", [3, 2]),
        ("initialized", []),
        ("update_in_steps", []),
    ]
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2])
        out = _build(x, num_clusters=3, use_mini_batch=True, mini_batch_steps_per_iteration=3)
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, path)
            assert sess.run(out[3])
            np.testing.assert_array_equal(sess.run(tf.global_variables()[0]), centers)
            want = _np_assign(data, centers)[1]
            np.testing.assert_array_equal(sess.run(out[1][0], {x: data}), want)


def test_a_list_of_inputs_draws_tfs_rows_and_assigns_each_input(graph):
    data = np.random.RandomState(1).rand(10, 2).astype(np.float32)
    a, b = tf.constant(data[:6]), tf.constant(data[6:])
    _, idx, _, _, init_op, train_op = _build([a, b], num_clusters=3, random_seed=5)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(init_op)
        # TF: indices [5, 8, 6] (seed 5), looked up 'div' over the 6- and 4-row inputs
        np.testing.assert_array_equal(sess.run(tf.global_variables()[0]), data[[6, 9, 7]])
        got = sess.run(list(idx))
        assert [g.shape for g in got] == [(6,), (4,)]
        np.testing.assert_array_equal(np.concatenate(got), _np_assign(data, data[[6, 9, 7]])[1])
