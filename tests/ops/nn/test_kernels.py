"""Kernels of scopeflow/ops/nn_ops.py, loss_ops.py and nn_impl.py against NumPy references
written here: activations, bias_add, l2_loss, softmax, top_k, in_top_k, the cross-entropy
losses (stable for huge logits), and the composite functions (dropout, embedding_lookup,
l2_normalize, moments, batch_normalization) with unknown dimensions and several dtypes.

Corner-case values (ties in top_k, non-finite predictions in in_top_k, saturated losses)
were read from TensorFlow 2.21 (``tensorflow.compat.v1``).
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops import kernel_table
from tests.ops.kernel_table import cases_by_mode, check_case

NAN, INF = float("nan"), float("inf")
RNG = np.random.default_rng(3)
V = np.array([-100.0, -3.0, -0.5, 0.0, 0.5, 3.0, 100.0], np.float32)
M = RNG.standard_normal((3, 4, 5)).astype(np.float32)
L = RNG.standard_normal((4, 6))
BIAS = RNG.standard_normal(5).astype(np.float32)


def softmax_ref(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def selu_ref(x):
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    return scale * np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1))


def Case(id, op_type, build, arrays, expected, **kwargs):  # noqa: N802 - reads as the table's
    """A kernel-table case whose reference is a fixed value."""
    return kernel_table.Case(id, op_type, build, arrays, lambda *_: expected, **kwargs)


# fmt: off
CASES = [
    # -- activations (TF's values for V: selu, elu, softplus saturate as expected)
    Case("relu", "Relu", tf.nn.relu, (V,), np.maximum(V, 0)),
    Case("relu-int64", "Relu", tf.nn.relu, (np.array([-3, 0, 4], np.int64),),
         np.array([0, 0, 4], np.int64)),
    Case("relu6", "Relu6", tf.nn.relu6, (V,), np.clip(V, 0, 6)),
    Case("relu6-uint8", "Relu6", tf.nn.relu6, (np.array([0, 5, 7, 255], np.uint8),),
         np.array([0, 5, 6, 6], np.uint8)),
    Case("elu", "Elu", tf.nn.elu, (V,), np.where(V > 0, V, np.expm1(np.minimum(V, 0))),
         tolerance=1e-6),
    Case("elu-f64", "Elu", tf.nn.elu, (L,), np.where(L > 0, L, np.expm1(np.minimum(L, 0))),
         tolerance=1e-12),
    Case("selu", "Selu", tf.nn.selu, (V,), np.float32([-1.7580993, -1.6705687, -0.69175816, 0,
                                                       0.5253505, 3.152103, 105.0701]),
         tolerance=1e-6),
    Case("selu-f64", "Selu", tf.nn.selu, (L,), selu_ref(L), tolerance=1e-12),
    Case("softplus", "Softplus", tf.nn.softplus, (V,),
         np.float32([0, 4.8587352e-02, 4.7407699e-01, 6.9314718e-01, 9.7407699e-01,
                     3.0485873, 100.0]), tolerance=1e-6),
    Case("softplus-f64", "Softplus", tf.nn.softplus, (V.astype(np.float64),),
         np.log1p(np.exp(-np.abs(V.astype(np.float64)))) + np.maximum(V, 0), tolerance=1e-12),
    Case("softsign", "Softsign", tf.nn.softsign, (V,), V / (1 + np.abs(V)), tolerance=1e-7),
    Case("leaky-relu", "LeakyRelu", tf.nn.leaky_relu, (V,),
         np.float32([-20, -0.6, -0.1, 0, 0.5, 3, 100]), tolerance=1e-6),
    Case("leaky-relu-alpha", "LeakyRelu", lambda x: tf.nn.leaky_relu(x, alpha=0.01), (L,),
         np.where(L > 0, L, float(np.float32(0.01)) * L), tolerance=1e-12),  # a float32 attr
    Case("relu-f16", "Relu", tf.nn.relu, (V.astype(np.float16),),
         np.maximum(V, 0).astype(np.float16)),
    # -- bias_add and l2_loss
    Case("bias-add", "BiasAdd", tf.nn.bias_add, (M, BIAS), M + BIAS),
    Case("bias-add-int", "BiasAdd", tf.nn.bias_add,
         (np.arange(6, dtype=np.int32).reshape(2, 3), np.int32([1, -1, 2])),
         np.int32([[1, 0, 4], [4, 3, 7]])),
    Case("l2-loss", "L2Loss", tf.nn.l2_loss, (M,), np.float32(np.sum(M.astype(np.float64) ** 2)
                                                               / 2), tolerance=1e-5),
    Case("l2-loss-f16", "L2Loss", tf.nn.l2_loss,
         (np.array([[1, 2], [3, 4]], np.float16),), np.float16(15)),
    # -- softmax, log_softmax (stable: -inf and +-1000 logits)
    Case("softmax", "Softmax", tf.nn.softmax, (M,), softmax_ref(M), tolerance=1e-6),
    Case("softmax-extreme", "Softmax", tf.nn.softmax,
         (np.float32([[-INF, 0, 1], [1000, 1000, -1000]]),),
         np.float32([[0, 0.26894143, 0.7310586], [0.5, 0.5, 0]]), tolerance=1e-6),
    Case("log-softmax", "LogSoftmax", tf.nn.log_softmax, (L,), np.log(softmax_ref(L)),
         tolerance=1e-12),
    Case("log-softmax-extreme", "LogSoftmax", tf.nn.log_softmax,
         (np.float32([[-INF, 0, 1], [1000, 1000, -1000]]),),
         np.float32([[-INF, -1.3132616, -0.31326166], [-0.6931472, -0.6931472, -2000.6931]]),
         tolerance=1e-6),
    # -- cross-entropy (the loss output; log-sum-exp keeps 1000s finite)
    Case("softmax-xent", "SoftmaxCrossEntropyWithLogits",
         lambda lb, lg: tf.nn.softmax_cross_entropy_with_logits_v2(labels=lb, logits=lg),
         (np.float32([[0, 1, 0], [0.5, 0.5, 0]]), np.float32([[1000, 0, -1000], [1, 2, 3]])),
         np.float32([1000, 1.9076059]), modes=("full", "dims"), tolerance=1e-6),
    Case("sparse-softmax-xent", "SparseSoftmaxCrossEntropyWithLogits",
         lambda lb, lg: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lb, logits=lg),
         (np.int32([1, 0]), np.float32([[1000, 0, -1000], [1, 2, 3]])),
         np.float32([1000, 2.407606]), modes=("full", "dims"), tolerance=1e-6),
    Case("sparse-softmax-xent-int64", "SparseSoftmaxCrossEntropyWithLogits",
         lambda lb, lg: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lb, logits=lg),
         (np.int64([5, 0, 2, 3]), L), -np.log(softmax_ref(L))[np.arange(4), [5, 0, 2, 3]],
         modes=("full", "dims"), tolerance=1e-12),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_softmax_over_other_axes(run):
    for axis in (0, 1, -2):
        np.testing.assert_allclose(run(tf.nn.softmax(M, axis=axis)), softmax_ref(M, axis), 1e-6)
        np.testing.assert_allclose(
            run(tf.nn.log_softmax(M, axis=axis)), np.log(softmax_ref(M, axis)), atol=1e-5
        )


def test_softmax_xent_backprop_outputs(run):
    labels, logits = softmax_ref(RNG.standard_normal(L.shape)), L
    op = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits).op
    loss, backprop = run(op.outputs)
    np.testing.assert_allclose(loss, -(labels * np.log(softmax_ref(logits))).sum(-1), 1e-12)
    np.testing.assert_allclose(backprop, softmax_ref(logits) - labels, atol=1e-15)
    op = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[5, 0, 1, 2], logits=L).op
    loss, backprop = run(op.outputs)
    one_hot = np.eye(6)[[5, 0, 1, 2]]
    np.testing.assert_allclose(loss, -(one_hot * np.log(softmax_ref(L))).sum(-1), 1e-12)
    np.testing.assert_allclose(backprop, softmax_ref(L) - one_hot, atol=1e-15)


# -- top_k and in_top_k -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "k", "expected_values", "expected_indices"),
    [
        ([3, 1, 3, 2, 3], 3, [3, 3, 3], [0, 2, 4]),  # ties: lower index first
        ([[1.0, 2.0, 2.0, 0.0], [5.0, 5.0, 5.0, 5.0]], 2, [[2, 2], [5, 5]], [[1, 2], [0, 1]]),
        ([1.0, NAN, 3.0], 2, [NAN, 3.0], [1, 2]),  # NaN is the largest
        ([1.0, 2.0], 0, [], []),
        ([[[4, 8, 1]], [[7, 7, 9]]], 3, [[[8, 4, 1]], [[9, 7, 7]]], [[[1, 0, 2]], [[2, 0, 1]]]),
    ],
)
def test_top_k(run, values, k, expected_values, expected_indices):
    result = tf.nn.top_k(values, k)
    got_values, got_indices = run([result.values, result.indices])
    np.testing.assert_array_equal(got_values, np.asarray(expected_values, got_values.dtype))
    np.testing.assert_array_equal(got_indices, np.asarray(expected_indices, np.int32))
    assert got_indices.dtype == np.int32
    assert result.values.shape.as_list() == list(got_values.shape)


def test_top_k_unknown_k_and_int64_indices(run):
    x = tf.placeholder(tf.float32, [None, None])
    k = tf.placeholder(tf.int32, [])
    values, indices = tf.nn.top_k(x, k, index_type=tf.int64)
    assert values.shape.as_list() == [None, None]
    data = RNG.standard_normal((3, 8)).astype(np.float32)
    got_values, got_indices = run([values, indices], {x: data, k: 4})
    assert got_indices.dtype == np.int64
    np.testing.assert_array_equal(got_values, -np.sort(-data, axis=1)[:, :4])
    np.testing.assert_array_equal(np.take_along_axis(data, got_indices, 1), got_values)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Had 8, needed 9"):
        run(values, {x: data, k: 9})


IN_TOP_K = [
    # (predictions, targets, k, expected)
    ([[0.1, 0.5, 0.5, 0.2], [0.3, NAN, 0.1, 0.2], [1, 2, 3, 4]], [2, 0, 3], 1,
     [True, False, True]),  # a tie counts as in; a NaN anywhere in the row makes it out
    ([[0.1, 0.5], [0.3, 0.4]], [2, -1], 2, [False, False]),  # out-of-range targets
    ([[INF, 0.5], [0.3, 0.4]], [0, 1], 1, [False, True]),
    ([[0.1, 0.5]], [1], 0, [False]),
]  # fmt: skip
IN_TOP_K_CASES = [
    kernel_table.Case(f"in-top-k-{i}-{dtype.__name__}", "InTopKV2",
                      lambda p, t, k=k: tf.nn.in_top_k(p, t, k),
                      (np.float32(predictions), np.asarray(targets, dtype)), np.array(expected))
    for i, (predictions, targets, k, expected) in enumerate(IN_TOP_K)
    for dtype in (np.int32, np.int64)
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(IN_TOP_K_CASES))
def test_in_top_k(run, case, mode):
    check_case(run, case, mode)


def test_in_top_k_unknown_shapes(run):
    p, t = tf.placeholder(tf.float32), tf.placeholder(tf.int32, [None])
    data = RNG.standard_normal((5, 7)).astype(np.float32)
    targets = RNG.integers(0, 7, 5).astype(np.int32)
    rank = (data > data[np.arange(5), targets][:, None]).sum(1)
    np.testing.assert_array_equal(run(tf.nn.in_top_k(p, t, 3), {p: data, t: targets}), rank < 3)


# -- losses built from several ops --------------------------------------------------------------


def test_softmax_xent_any_rank_and_axis(run):
    labels = softmax_ref(M * 2)
    expected = -(labels * np.log(softmax_ref(M))).sum(-1)
    lb, lg = tf.placeholder(tf.float32, [None, 4, 5]), tf.placeholder(tf.float32)
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=lb, logits=lg)
    np.testing.assert_allclose(run(loss, {lb: labels, lg: M}), expected, rtol=1e-5)
    moved = tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=np.moveaxis(labels, 2, 0), logits=np.moveaxis(M, 2, 0), axis=0
    )
    assert moved.shape.as_list() == [3, 4]
    np.testing.assert_allclose(run(moved), expected, rtol=1e-5)


def test_sparse_softmax_xent_any_rank_and_bad_labels(run):
    labels = RNG.integers(0, 5, (3, 4)).astype(np.int32)
    lb = tf.placeholder(tf.int32, [None, None])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lb, logits=M)
    assert loss.shape.as_list() == [None, None]  # the labels' static shape, as TF 2.21
    expected = -np.log(np.take_along_axis(softmax_ref(M), labels[..., None], -1))[..., 0]
    np.testing.assert_allclose(run(loss, {lb: labels}), expected, rtol=1e-5)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"label value of 5 .*\[0, 5\)"):
        run(loss, {lb: np.full((3, 4), 5, np.int32)})


def test_sigmoid_xent_is_stable(run):
    loss = tf.nn.sigmoid_cross_entropy_with_logits(
        labels=[0.0, 1.0, 0.5, 1.0], logits=[-1000.0, -1000.0, 0.0, 50.0]
    )
    np.testing.assert_allclose(run(loss), np.float32([0, 1000, 0.6931472, 1.9287499e-22]),
                               rtol=1e-6)  # fmt: skip
    x, z = L, RNG.random(L.shape)
    expected = -(z * np.log(1 / (1 + np.exp(-x))) + (1 - z) * np.log(1 - 1 / (1 + np.exp(-x))))
    np.testing.assert_allclose(
        run(tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)), expected, rtol=1e-10
    )


# -- composite functions ----------------------------------------------------------------------


def test_l2_normalize(run):
    np.testing.assert_allclose(run(tf.nn.l2_normalize([[3.0, 4.0], [0.0, 0.0]], axis=1)),
                               [[0.6, 0.8], [0, 0]], rtol=1e-6)  # fmt: skip
    x = tf.placeholder(tf.float64, [None, 6])
    norm = np.sqrt(np.maximum((L**2).sum(0, keepdims=True), 0.5))
    np.testing.assert_allclose(run(tf.nn.l2_normalize(x, 0, epsilon=0.5), {x: L}), L / norm)
    whole = run(tf.nn.l2_normalize(M))
    np.testing.assert_allclose(np.sum(whole.astype(np.float64) ** 2), 1.0, rtol=1e-5)


@pytest.mark.parametrize("keep_dims", [False, True])
def test_moments(run, keep_dims):
    x = tf.placeholder(tf.float32, [None, 4, 5])
    mean, variance = tf.nn.moments(x, [0, 1], keep_dims=keep_dims)
    got_mean, got_var = run([mean, variance], {x: M})
    np.testing.assert_allclose(got_mean, M.mean((0, 1), keepdims=keep_dims), atol=1e-6)
    np.testing.assert_allclose(got_var, M.var((0, 1), keepdims=keep_dims), rtol=1e-5)
    assert mean.shape.as_list() == list(got_mean.shape)


def test_moments_float16_computes_in_float32(run):
    x = np.float16([[1, 2], [3, 6]])
    mean, variance = run(tf.nn.moments(x, [0]))
    assert mean.dtype == variance.dtype == np.float16
    np.testing.assert_array_equal(mean, [2, 4])
    np.testing.assert_array_equal(variance, [1, 4])


def test_batch_normalization(run):
    mean, var = M.mean((0, 1)), M.var((0, 1))
    offset, scale = np.float32([0.5, 0, -1, 2, 1]), np.float32([2, 1, 1, 0.5, 3])
    y = tf.nn.batch_normalization(M, mean, var, offset, scale, 1e-3)
    expected = (M - mean) / np.sqrt(var + 1e-3) * scale + offset
    np.testing.assert_allclose(run(y), expected, rtol=1e-4, atol=1e-5)
    bare = tf.nn.batch_normalization(M, mean, var, None, None, 1e-3)
    np.testing.assert_allclose(run(bare), (M - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)


def test_embedding_lookup_any_id_shape(run):
    table = RNG.standard_normal((10, 3)).astype(np.float32)
    ids = tf.placeholder(tf.int64, [None, None])
    rows = tf.nn.embedding_lookup(table, ids)
    assert rows.shape.as_list() == [None, None, 3]
    index = np.array([[0, 9, 3], [3, 3, 1]])
    np.testing.assert_array_equal(run(rows, {ids: index}), table[index])
    with pytest.raises(tf.errors.InvalidArgumentError, match="not in"):
        run(rows, {ids: [[10]]})


@pytest.mark.parametrize("strategy", ["mod", "div"])
def test_embedding_lookup_sharded(run, strategy):
    table = RNG.standard_normal((11, 2))
    if strategy == "mod":  # id i lives in shard i % 3 at row i // 3
        shards = [table[s::3] for s in range(3)]
    else:  # contiguous blocks of 4, 4 and 3 ids
        shards = [table[:4], table[4:8], table[8:]]
    ids = np.array([[10, 0], [5, 7], [3, 8]])
    result = tf.nn.embedding_lookup(shards, ids, partition_strategy=strategy)
    np.testing.assert_array_equal(run(result), table[ids])


def test_embedding_lookup_reads_a_variable(run):
    table = tf.get_variable("table", initializer=np.arange(12.0).reshape(6, 2))
    np.testing.assert_array_equal(run(tf.nn.embedding_lookup(table, [5, 0])), [[10, 11], [0, 1]])


def test_dropout_scales_kept_values_and_zeroes_the_rest(run):
    x = np.ones((200, 50), np.float32)
    y = run(tf.nn.dropout(x, keep_prob=0.8, seed=5))
    assert y.dtype == np.float32
    assert set(np.unique(y)) <= {0.0, np.float32(1 / 0.8)}
    assert 0.75 < np.mean(y > 0) < 0.85


def test_dropout_rate_tensor_noise_shape_and_seed(run):
    rate = tf.placeholder(tf.float32, [])
    x = np.arange(1, 61, dtype=np.float64).reshape(6, 10)
    y = tf.nn.dropout(x, rate=rate, noise_shape=[6, 1], seed=11)
    first = run(y, {rate: 0.5})
    kept = first[:, 0] != 0
    np.testing.assert_allclose(first[kept], x[kept] * 2)  # whole rows kept, scaled
    assert not first[~kept].any()
    np.testing.assert_array_equal(run(y, {rate: 0.0}), x)  # rate 0 keeps everything
    with tf.Graph().as_default():  # the same seeds give the same mask in a new graph
        tf.set_random_seed(1)
        a = tf.nn.dropout(np.ones((4, 4)), rate=0.5, seed=2)
        again = tf.Session().run(a)
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        b = tf.nn.dropout(np.ones((4, 4)), rate=0.5, seed=2)
        np.testing.assert_array_equal(tf.Session().run(b), again)


def test_dropout_of_rate_zero_still_draws_an_op_seed():
    # TF's fast path returns x but takes an op seed, so the random ops after it draw what
    # they draw in TF (numbers from TF 2.21 with graph seed 1).
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x = tf.ones([2, 3])
        assert tf.nn.dropout(x, keep_prob=1.0) is x
        r = tf.random_normal([3])
        got = tf.Session().run(r)
    np.testing.assert_allclose(got, [0.28183395, 2.38782835, 2.28040481], rtol=1e-6)
