"""Tests for scopeflow/ops/nn/fractional_pool.py (``tf.nn.fractional_max_pool``,
``fractional_avg_pool`` and their gradient ops): every expected number is TF 2.21's
(compat.v1 graph mode), the seeded pooling sequences included."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, cases_by_mode, check_case

X = (np.arange(42) * 17 % 23 - 11).astype(np.float32).reshape(1, 7, 6, 1)
GY = (np.arange(16).reshape(1, 4, 4, 1) * 0.5).astype(np.float32)
RATIO = [1.0, 1.6, 1.45, 1.0]
SEEDS = {"deterministic": True, "seed": 7, "seed2": 11}


def _img(rows):
    return np.float32(rows).reshape(1, len(rows), len(rows[0]), 1)


# (pool, overlapping, pseudo_random) -> TF's rows, cols, output, gradient for grad_ys=GY
TF = {
    ("max", False, False): (
        [0, 2, 3, 5, 7], [0, 1, 2, 4, 6],
        [[-1, 6, 10, 11], [9, 3, -3, 8], [6, 0, 11, 5], [3, 10, 8, 9]],
        [[0, .5, 0, 0, 1.5, 0], [0, 0, 1, 0, 0, 0], [2, 2.5, 3, 0, 3.5, 0], [0] * 6,
         [4, 4.5, 0, 5, 5.5, 0], [0, 6.5, 0, 0, 0, 7.5], [6, 0, 0, 7, 0, 0]],
    ),
    ("max", True, True): (
        [0, 1, 3, 5, 7], [0, 2, 4, 5, 6],
        [[10, 11, 11, 5], [10, 10, 8, 2], [10, 11, 9, 9], [10, 8, 9, 9]],
        [[0, 0, 0, 0, 1.5, 1.5], [0, 0, 4.5, 0, 0, 0], [0, 0, 0, 0, 3, 3.5], [0] * 6,
         [0, 0, 0, 4.5, 0, 0], [0, 10, 0, 0, 0, 25], [0, 0, 0, 6.5, 0, 0]],
    ),
    ("avg", False, False): (
        [0, 2, 3, 5, 7], [0, 1, 2, 4, 6],
        [[-6, -.5, 2, 1.5], [9, 3, -6, 5], [1, -5, 3.25, -3], [-2, 3.5, .25, -.25]],
        [[0, .25, .25, .25, .375, .375], [0, .25, .25, .25, .375, .375],
         [2, 2.5, 1.5, 1.5, 1.75, 1.75], [2, 2.25, 1.25, 1.25, 1.375, 1.375],
         [2, 2.25, 1.25, 1.25, 1.375, 1.375], [3, 3.25, 1.75, 1.75, 1.875, 1.875],
         [3, 3.25, 1.75, 1.75, 1.875, 1.875]],
    ),
    ("avg", True, True): (
        [0, 1, 3, 5, 7], [0, 2, 4, 5, 6],
        [[-0.5, 2.8333332538604736, 1.5, -1.5],
         [0.4444444477558136, 1.2222222089767456, -2.6666667461395264, -5.666666507720947],
         [0.0, 0.7777777910232544, -1.8333333730697632, -1.0],
         [-0.3333333432674408, -0.8333333134651184, -0.25, 2.5]],
        [[0.0, 0.0, 0.0833333358168602, 0.0833333358168602, 0.3333333432674408, 1.0],
         [0.2222222238779068, 0.2222222238779068, 0.5833333134651184, 0.3611111044883728,
          1.1111111640930176, 2.6666667461395264],
         [0.2222222238779068, 0.2222222238779068, 0.5, 0.2777777910232544,
          0.7777777910232544, 1.6666666269302368],
         [0.6666666865348816, 0.6666666865348816, 1.4444444179534912, 0.7777777910232544,
          2.1111111640930176, 4.333333492279053],
         [0.4444444477558136, 0.4444444477558136, 0.9444444179534912, 0.5,
          1.3333333730697632, 2.6666667461395264],
         [1.4444444179534912, 1.4444444179534912, 3.027777671813965, 1.5833333730697632,
          4.166666507720947, 8.166666984558105],
         [1.0, 1.0, 2.0833332538604736, 1.0833333730697632, 2.8333332538604736, 5.5]],
    ),
}  # fmt: skip
_POOL = {"max": tf.nn.fractional_max_pool, "avg": tf.nn.fractional_avg_pool}


def _pooled(kind, overlapping, pseudo, x):
    return _POOL[kind](x, RATIO, pseudo_random=pseudo, overlapping=overlapping, **SEEDS)


CASES = [
    Case(f"{kind}-overlapping-{ov}-pseudo-{pr}", f"Fractional{kind.title()}Pool",
         lambda x, kind=kind, ov=ov, pr=pr: _pooled(kind, ov, pr, x)[0], (X,),
         _img(TF[kind, ov, pr][2]), 0, ("full", "dims"))
    for kind, ov, pr in TF
] + [
    Case(f"{kind}-grad-overlapping-{ov}", f"Fractional{kind.title()}PoolGrad",
         lambda x, kind=kind, ov=ov, pr=pr: tf.gradients(
             _pooled(kind, ov, pr, x)[0], x, grad_ys=GY)[0],
         (X,), _img(TF[kind, ov, pr][3]), 0, ("full",))
    for kind, ov, pr in TF
] + [
    Case("avg-int32-truncates", "FractionalAvgPool",
         lambda x: _pooled("avg", False, False, x)[0], (X.astype(np.int32),),
         _img([[-6, 0, 2, 1], [9, 3, -6, 5], [1, -5, 3, -3], [-2, 3, 0, 0]]).astype(np.int32),
         0, ("full",)),
    Case("max-all-minus-inf-is-lowest", "FractionalMaxPool",
         lambda x: tf.nn.fractional_max_pool(x, [1.0, 1.5, 1.5, 1.0], **SEEDS)[0],
         (np.full((1, 2, 2, 1), -np.inf, np.float32),),
         np.full((1, 1, 1, 1), np.finfo(np.float32).min, np.float32), 0, ("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize(("kind", "overlapping", "pseudo"), list(TF))
def test_sequences_values_and_gradients_are_tfs(run, kind, overlapping, pseudo):
    x = tf.placeholder(tf.float32, [1, 7, 6, 1])
    out, rows, cols = _pooled(kind, overlapping, pseudo, x)
    (grad,) = tf.gradients(out, x, grad_ys=GY)
    got = run([rows, cols, out, grad], {x: X})
    want_rows, want_cols, want_out, want_grad = TF[kind, overlapping, pseudo]
    assert [got[0].tolist(), got[1].tolist()] == [want_rows, want_cols]
    np.testing.assert_array_equal(got[2], _img(want_out))
    np.testing.assert_array_equal(got[3], _img(want_grad))


# (seed, seed2, pseudo_random) -> TF's rows and cols for a [1, 10, 9, 1] image and ratios
# [1, 1.44, 1.73, 1]; and for a [1, 37, 50, 1] image with seeds (2, 5)
SEQUENCES = {
    (1, 0, False): ([0, 1, 3, 5, 7, 8, 10], [0, 2, 4, 6, 8, 9]),
    (1, 0, True): ([0, 2, 4, 5, 7, 9, 10], [0, 2, 4, 6, 7, 9]),
    (1, 2**35 + 1, False): ([0, 2, 3, 5, 7, 8, 10], [0, 2, 4, 5, 7, 9]),
    (99999, 0, True): ([0, 2, 3, 5, 7, 8, 10], [0, 2, 4, 6, 8, 9]),
    (99999, 2**35 + 1, False): ([0, 1, 2, 4, 6, 8, 10], [0, 2, 3, 5, 7, 9]),
    (2**40 + 3, 0, False): ([0, 2, 3, 4, 6, 8, 10], [0, 1, 3, 5, 7, 9]),
    (2**40 + 3, 2**35 + 1, True): ([0, 2, 4, 6, 7, 9, 10], [0, 2, 4, 6, 7, 9]),
}
BIG = {
    False: ([0, 2, 3, 5, 6, 7, 8, 10, 11, 13, 15, 16, 18, 20, 22, 24, 25, 26, 27, 29, 30, 31,
             33, 35, 36, 37],
            [0, 2, 4, 5, 6, 8, 10, 12, 14, 16, 18, 19, 21, 23, 25, 27, 29, 31, 33, 34, 36, 37,
             39, 41, 43, 45, 47, 48, 50]),
    True: ([0, 2, 4, 5, 7, 8, 10, 11, 13, 14, 15, 17, 18, 20, 21, 23, 24, 26, 27, 29, 30, 32,
            33, 35, 36, 37],
           [0, 1, 3, 5, 7, 9, 10, 12, 14, 16, 18, 19, 21, 23, 25, 26, 28, 30, 32, 34, 35, 37,
            39, 41, 43, 44, 46, 48, 50]),
}  # fmt: skip


def test_seeded_sequences_are_tfs_bit_for_bit(run):
    x = tf.placeholder(tf.float32, [1, None, None, 1])
    ratio = [1.0, 1.44, 1.73, 1.0]
    small = {key: tf.nn.fractional_max_pool(x, ratio, pseudo_random=key[2], deterministic=True,
                                            seed=key[0], seed2=key[1])[1:]
             for key in SEQUENCES}  # fmt: skip
    got = run(small, {x: np.zeros((1, 10, 9, 1), np.float32)})
    assert {k: (r.tolist(), c.tolist()) for k, (r, c) in got.items()} == SEQUENCES
    big = {pr: tf.nn.fractional_avg_pool(x, ratio, pr, True, True, 2, 5)[1:] for pr in BIG}
    got = run(big, {x: np.zeros((1, 37, 50, 1), np.float32)})
    assert {k: (r.tolist(), c.tolist()) for k, (r, c) in got.items()} == BIG


def test_a_dimension_with_even_steps_still_moves_the_stream_as_tf(run):
    x = tf.placeholder(tf.float32, [1, 40, 23, 1])
    pseudo = tf.nn.fractional_max_pool(x, [1.0, 4.0, 2.546, 1.0], True, False, True,
                                       4127560858333733839, 4293873344018710717)  # fmt: skip
    shuffled = tf.nn.fractional_max_pool(x, [1.0, 4.0, 2.403, 1.0], False, False, True,
                                         3060727168666925154, 1684146886698006375)  # fmt: skip
    got = run([pseudo[1:], shuffled[1:]], {x: np.zeros((1, 40, 23, 1), np.float32)})
    assert [[s.tolist() for s in pair] for pair in got] == [
        [list(range(0, 41, 4)), [0, 3, 5, 8, 10, 13, 15, 18, 21, 23]],
        [list(range(0, 41, 4)), [0, 3, 6, 8, 10, 13, 16, 18, 20, 23]],
    ]


def test_unseeded_runs_draw_anew_and_keep_tfs_sequence_properties(graph):
    x = tf.placeholder(tf.float32, [1, 37, 50, 1])
    _, rows, cols = tf.nn.fractional_max_pool(x, [1.0, 1.44, 1.73, 1.0])
    fixed = tf.nn.fractional_max_pool(x, [1.0, 1.44, 1.73, 1.0], deterministic=True)[1]
    with tf.Session() as sess:
        feed = {x: np.zeros((1, 37, 50, 1), np.float32)}
        runs = [sess.run([rows, cols, fixed], feed) for _ in range(6)]
    assert len({tuple(r.tolist()) for r, _, _ in runs}) > 1  # a fresh draw per run
    assert len({tuple(f.tolist()) for _, _, f in runs}) == 1  # seeds picked once per session
    for r, c, _ in runs:
        for seq, size, n in ((r, 37, 25), (c, 50, 28)):
            assert len(seq) == n + 1 and seq[0] == 0 and seq[-1] == size
            assert set(np.diff(seq).tolist()) <= {size // n, size // n + 1}


def test_names_static_shapes_and_gradient_graphs_are_tfs(graph):
    x = tf.placeholder(tf.float32, [2, 10, 9, 3])
    out, rows, cols = tf.nn.fractional_max_pool(x, [1.0, 1.44, 1.73, 1.0], seed=1, seed2=2)
    avg = tf.nn.fractional_avg_pool(x, [1.0, 1.44, 1.73, 1.0], overlapping=True, name="fa")
    assert (out.name, rows.name, cols.name) == tuple(f"FractionalMaxPool:{i}" for i in range(3))
    assert out.shape.as_list() == [2, 6, 5, 3] and avg.output.name == "fa:0"
    assert (rows.shape.as_list(), rows.dtype, cols.shape.as_list()) == ([6], tf.int64, [5])
    (gmax,) = tf.gradients(out, x)
    (gavg,) = tf.gradients(avg.output, x)
    assert gmax.name == "gradients/FractionalMaxPool_grad/FractionalMaxPoolGrad:0"
    assert [t.name for t in gmax.op.inputs] == [
        "Placeholder:0", "FractionalMaxPool:0", "gradients/grad_ys_0:0", "FractionalMaxPool:1",
        "FractionalMaxPool:2"]  # fmt: skip
    shape = gavg.op.inputs[0]
    assert shape.name == "gradients_1/fa_grad/FractionalAvgPoolGrad/orig_input_tensor_shape:0"
    assert (shape.dtype, gavg.op._attrs["overlapping"]) == (tf.int64, True)
    assert gavg.shape.as_list() == [2, 10, 9, 3]
    unknown = tf.nn.fractional_max_pool(tf.placeholder(tf.float32), [1.0, 1.5, 1.5, 1.0])
    assert unknown.output.shape.as_list() == [None] * 4


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda x: tf.nn.fractional_max_pool(x, [1.0, 1.5, 1.5]), ValueError,
         "Attr 'pooling_ratio' of 'FractionalMaxPool' Op passed list of length 3 less than "
         "minimum 4"),
        (lambda x: tf.nn.fractional_avg_pool(x, [1.0, 1.5, 1.5, 1.0, 1.0]), ValueError,
         "pooling_ratio field must specify 4 dimensions"),
        (lambda x: tf.nn.fractional_avg_pool(x, [1.0, 0.5, 1.5, 1.0]), ValueError,
         "pooling_ratio cannot be smaller than 1, got: 0.5"),
        (lambda x: tf.nn.fractional_max_pool(x[0], [1.0, 1.5, 1.5, 1.0]), ValueError,
         "Shape must be rank 4 but is rank 3"),
        (lambda x: tf.nn.fractional_max_pool(tf.cast(x, tf.int8), [1.0, 1.5, 1.5, 1.0]),
         TypeError, "DataType int8 not in list of allowed values: float32, float64, int32, "
         "int64"),
        (lambda x: tf.nn.fractional_max_pool(x, 1.5), TypeError,
         "Expected list for 'pooling_ratio' argument to 'fractional_max_pool' Op, not 1.5."),
    ],
)  # fmt: skip
def test_build_errors_are_tfs(graph, build, error, match):
    with pytest.raises(error, match=match):
        build(tf.placeholder(tf.float32, [1, 10, 9, 1]))


@pytest.mark.parametrize(
    ("ratio", "kwargs", "shape", "error", "match"),
    [
        ([1.0, 1.5, 1.5, 1.0], {"seed": 3}, (1, 10, 9, 1), tf.errors.InvalidArgumentError,
         "Both seed and seed2 should be 0 if deterministic is false."),
        ([1.5, 1.5, 1.5, 1.0], {}, (2, 10, 9, 1), tf.errors.UnimplementedError,
         "Fractional average pooling is not yet supported on the batch nor channel dimension"),
        ([1.0, 20, 1.73, 1.0], {}, (1, 10, 9, 1), tf.errors.InvalidArgumentError,
         "Pooling ratio is higher than input dimension size for dimension 1. Input dim size: "
         "10 pooling ratio: 20"),
        ([1.0, 1.5, 1.5, 1.0], {}, (1, 10, 1, 1), tf.errors.InvalidArgumentError,
         "for dimension 2. Input dim size: 1 pooling ratio: 1.5"),
        ([1.0, 1.5, 1.5, 1.0], {}, (10, 9, 1), tf.errors.InvalidArgumentError,
         "tensor_in must be 4-dimensional"),
    ],
)  # fmt: skip
def test_run_errors_are_tfs(run, ratio, kwargs, shape, error, match):
    x = tf.placeholder(tf.float32)
    out = tf.nn.fractional_avg_pool(x, ratio, **kwargs)
    with pytest.raises(error, match=match):
        run(out, {x: np.zeros(shape, np.float32)})


def test_the_gradient_ops_have_no_gradient_as_in_tf(graph):
    x, gy = tf.constant(X), tf.placeholder(tf.float32, [1, 4, 4, 1])
    for kind in ("max", "avg"):
        (dx,) = tf.gradients(_pooled(kind, False, False, x)[0], x, grad_ys=gy)
        with pytest.raises(LookupError, match=f"op type: Fractional{kind.title()}PoolGrad"):
            tf.gradients(dx, gy)


def test_max_ignores_nan_as_tf(run):
    x = np.arange(25, dtype=np.float32).reshape(1, 5, 5, 1)
    x[0, 0, 0, 0] = x[0, 4, 4, 0] = x[0, 2, 1, 0] = np.nan
    out = tf.nn.fractional_max_pool(x, [1.0, 1.6, 1.6, 1.0], deterministic=True, seed=1,
                                    seed2=2)[0]  # fmt: skip
    lowest = np.finfo(np.float32).min
    np.testing.assert_array_equal(run(out), _img([[lowest, 2, 4], [10, 12, 14], [20, 22, 23]]))


def _seq(values):
    return tf.constant(np.int64(values))


def test_hand_fed_sequences_as_tf(run):
    x, ones = (
        tf.constant(np.arange(25, dtype=np.float32).reshape(1, 5, 5, 1)),
        tf.ones([1, 3, 3, 1]),
    )
    raw = tf.raw_ops
    past_the_end = raw.FractionalAvgPoolGrad(  # windows past the image are clipped
        orig_input_tensor_shape=_seq([1, 5, 5, 1]),
        out_backprop=ones,
        row_pooling_sequence=_seq([0, 1, 3, 9]),
        col_pooling_sequence=_seq([0, 1, 3, 5]),
    )
    np.testing.assert_array_equal(
        run(past_the_end), _img([[1, 0.5, 0.5, 0.5, 0.5]] + [[0.5] + [0.25] * 4] * 4)
    )
    maxed = raw.FractionalMaxPoolGrad(
        orig_input=x,
        orig_output=ones,
        out_backprop=ones,
        row_pooling_sequence=_seq([0, 1, 3, 9]),
        col_pooling_sequence=_seq([0, 1, 3, 5]),
    )
    np.testing.assert_array_equal(
        run(maxed), _img([[1, 0, 1, 0, 1], [0] * 5] * 2 + [[1, 0, 1, 0, 1]])
    )
    short = raw.FractionalAvgPoolGrad(
        orig_input_tensor_shape=_seq([1, 5, 5, 1]),
        out_backprop=ones,
        row_pooling_sequence=_seq([0, 1, 3]),
        col_pooling_sequence=_seq([0, 1, 3, 5]),
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Given out_backprop shape "
        r"\[1,3,3,1\], row_seq_tensor must have at least 4 elements, but got 3",
    ):
        run(short)
    bad_shape = raw.FractionalAvgPoolGrad(
        orig_input_tensor_shape=_seq([1, 5, 5]),
        out_backprop=ones,
        row_pooling_sequence=_seq([0, 1, 3, 5]),
        col_pooling_sequence=_seq([0, 1, 3, 5]),
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be1-dimensional and 4"):
        run(bad_shape)
    short_max = raw.FractionalMaxPoolGrad(
        orig_input=x,
        orig_output=ones,
        out_backprop=ones,
        row_pooling_sequence=_seq([0, 1, 3]),
        col_pooling_sequence=_seq([0, 1, 3, 5]),
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="tensor_out_dup is not the same"):
        run(short_max)


GRADIENTS = [
    GradCase("max", lambda x: _pooled("max", False, False, x)[0], (X.astype(np.float64),)),
    GradCase("max-overlapping", lambda x: _pooled("max", True, True, x)[0],
             (X.astype(np.float64),)),
    GradCase("avg-overlapping", lambda x: _pooled("avg", True, False, x)[0],
             (X.astype(np.float64),)),
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)
