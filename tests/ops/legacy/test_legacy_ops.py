"""Tests for scopeflow/ops/legacy/: TF 1.x's op types built with ``tf.raw_ops`` make TF's
graphs (names, dtypes, static shapes) and fail where TF fails; their kernels and gradients
hold; the op types TF removed (``TopK``...) are refused as TF refuses them.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/legacy_ops.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/legacy_ops.py``; ``DIFFERENCES`` lists where scopeflow differs.
Values against TensorFlow's: ``test_legacy_graph.py`` (a GraphDef written by TensorFlow).
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("legacy_ops")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
R = tf.raw_ops

DIFFERENCES: dict = {}  # scopeflow builds what TF builds, and fails where it fails


@pytest.mark.parametrize("expr", list(GROUPS["BUILDS"]))
def test_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["BUILDS"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


# -- kernels ------------------------------------------------------------------------------

F = np.array([[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]], np.float32)
I7 = np.array([-7, 7, -7, 9], np.int32)
I3 = np.array([2, -2, -3, 4], np.int32)
X = np.linspace(-2.0, 2.5, 32, dtype=np.float32).reshape(1, 4, 4, 2)
C2 = np.array([1.5, 0.5], np.float32)
BOXES = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 2, 1, 3], [0, 2.2, 1, 3.2]], np.float32)
SCORES = np.array([0.9, 0.8, 0.7, 0.95], np.float32)


def _batch_norm(x, scale, offset, eps=1e-3):
    mean, var = x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2))
    return (x - mean) / np.sqrt(var + eps) * scale + offset


def _max_pool_2x2(x):
    return x.reshape(1, 2, 2, 2, 2, 2).max(axis=(2, 4))


def _fused(op, **kwargs):
    return lambda x, s, o: op(x=x, scale=s, offset=o, mean=[], variance=[], epsilon=1e-3, **kwargs)[
        0
    ]


def _global_norm(t, m, v, beta, gamma):
    return R.BatchNormWithGlobalNormalization(
        t=t, m=m, v=v, beta=beta, gamma=gamma, variance_epsilon=0.01, scale_after_normalization=True
    )


def _create(op_type, inputs, attrs):
    return tf.get_default_graph().create_op(op_type, list(inputs), attrs).outputs


KERNELS = [
    Case("add", "Add", lambda x, y: R.Add(x=x, y=y), (F, F[:1]), lambda x, y: x + y),
    Case(
        "add-strings",
        "Add",
        lambda x, y: R.Add(x=x, y=y),
        (np.array([b"a", b"bc"], object), np.array([b"d", b"e"], object)),
        np.array([b"ad", b"bce"], object),
    ),
    Case("div-int", "Div", lambda x, y: R.Div(x=x, y=y), (I7, I3), np.int32([-3, -3, 2, 2])),
    Case("mod-int", "Mod", lambda x, y: R.Mod(x=x, y=y), (I7, I3), np.int32([-1, 1, -1, 1])),
    Case("mod-float", "Mod", lambda x, y: R.Mod(x=x, y=y), (F, np.float32(1.25)), np.fmod),
    Case("inv", "Inv", lambda x: R.Inv(x=x), (F,), lambda x: 1 / x),
    Case("inv-grad", "InvGrad", lambda y, d: R.InvGrad(y=y, dy=d), (F, F), lambda y, d: -d * y * y),
    Case("ones-like", "OnesLike", lambda x: R.OnesLike(x=x), (I7,), np.ones(4, np.int32)),
    Case(
        "clip",
        "ClipByValue",
        lambda t, lo: R.ClipByValue(t=t, clip_value_min=lo, clip_value_max=2.0),
        (F, np.full_like(F, -1.0)),
        lambda t, lo: np.clip(t, lo, 2.0),
    ),
    Case(
        "batch-matmul",
        "BatchMatMul",
        lambda x, y: R.BatchMatMul(x=x, y=y, adj_x=True),
        (np.stack([F, -F]), np.stack([F[:, :2], -F[:, 1:]])),
        lambda x, y: np.swapaxes(x, 1, 2) @ y,
        tolerance=1e-6,
    ),
    Case(
        "concat",
        "Concat",
        lambda x, y: R.Concat(concat_dim=1, values=[x, y, x]),
        (F, F[:, :1]),
        lambda x, y: np.concatenate([x, y, x], 1),
    ),
    Case(
        "gather",
        "Gather",
        lambda p, i: R.Gather(params=p, indices=i),
        (F, np.array([[1, 0], [1, 1]], np.int64)),
        lambda p, i: p[i],
    ),
    Case(
        "reverse",
        "Reverse",
        lambda x, d: R.Reverse(tensor=x, dims=d),
        (F, np.array([False, True])),
        lambda x, d: x[:, ::-1],
    ),
    Case("snapshot", "Snapshot", lambda x: R.Snapshot(input=x), (F,), lambda x: x),
    Case(
        "bias-add-v1",
        "BiasAddV1",
        lambda x, b: R.BiasAddV1(value=x, bias=b),
        (F, F[0]),
        lambda x, b: x + b,
    ),
    Case(
        "top-k",
        "TopK",
        lambda x: _create("TopK", [x], {"k": 2, "sorted": True}),
        (np.array([[1.0, 3.0, 3.0, 2.0], [5.0, 4.0, 6.0, 6.0]], np.float32),),
        [np.float32([[3, 3], [6, 6]]), np.int32([[1, 2], [2, 3]])],
    ),
    Case(
        "in-top-k",
        "InTopK",
        lambda p, t: R.InTopK(predictions=p, targets=t, k=2),
        (F, np.array([1, 0], np.int32)),
        np.array([False, True]),
    ),
    Case(
        "fused-batch-norm",
        "FusedBatchNorm",
        _fused(R.FusedBatchNorm),
        (X, C2, C2[::-1]),
        _batch_norm,
        tolerance=1e-5,
    ),
    Case(
        "fused-batch-norm-v2",
        "FusedBatchNormV2",
        lambda x, s, o: R.FusedBatchNormV2(
            x=x, scale=s, offset=o, mean=o, variance=s, epsilon=1e-3, is_training=False
        )[0],
        (X, C2, C2[::-1]),
        lambda x, s, o: (x - o) / np.sqrt(s + 1e-3) * s + o,
        tolerance=1e-6,
    ),
    Case(
        "fused-batch-norm-grad",
        "FusedBatchNormGrad",
        lambda d, x, s, m, v: R.FusedBatchNormGrad(
            y_backprop=d, x=x, scale=s, reserve_space_1=m, reserve_space_2=v, is_training=False
        )[0],
        (X, X, C2, C2[::-1], C2),
        lambda d, x, s, m, v: d * s / np.sqrt(v + 1e-4),
        tolerance=1e-6,
    ),
    Case(
        "fused-batch-norm-grad-v2",
        "FusedBatchNormGradV2",
        lambda d, x, s, m, v: R.FusedBatchNormGradV2(
            y_backprop=d, x=x, scale=s, reserve_space_1=m, reserve_space_2=v, is_training=False
        )[1],
        (X, X, C2, C2[::-1], C2),
        lambda d, x, s, m, v: (d * (x - m) / np.sqrt(v + 1e-4)).sum(axis=(0, 1, 2)),
        tolerance=1e-5,
    ),
    Case(
        "max-pool-v2",
        "MaxPoolV2",
        lambda x, k: R.MaxPoolV2(input=x, ksize=k, strides=k, padding="VALID"),
        (X, np.int32([1, 2, 2, 1])),
        lambda x, k: _max_pool_2x2(x),
        exact_static=False,  # the window is fed: the output's spatial dimensions are unknown
    ),
    Case(
        "max-pool-grad-v2",
        "MaxPoolGradV2",
        lambda x, g: R.MaxPoolGradV2(
            orig_input=x,
            orig_output=_max_pool_2x2_op(x),
            grad=g,
            ksize=[1, 2, 2, 1],
            strides=[1, 2, 2, 1],
            padding="VALID",
        ),
        (X, np.ones((1, 2, 2, 2), np.float32)),
        lambda x, g: (x == np.repeat(np.repeat(_max_pool_2x2(x), 2, 1), 2, 2)).astype(np.float32),
    ),
    Case(
        "max-pool-grad-grad-v2",
        "MaxPoolGradGradV2",
        lambda x, g: R.MaxPoolGradGradV2(
            orig_input=x,
            orig_output=_max_pool_2x2_op(x),
            grad=g,
            ksize=[1, 2, 2, 1],
            strides=[1, 2, 2, 1],
            padding="VALID",
        ),
        (X, X),
        lambda x, g: _max_pool_2x2(x),
    ),
    Case(
        "global-norm",
        "BatchNormWithGlobalNormalization",
        lambda t, m, v, b, g: _create(
            "BatchNormWithGlobalNormalization",
            [t, m, v, b, g],
            {"variance_epsilon": 0.01, "scale_after_normalization": False},
        )[0],
        (X, C2, C2, C2[::-1], C2),
        lambda t, m, v, b, g: (t - m) / np.sqrt(v + 0.01) + b,
        tolerance=1e-6,
    ),
    Case(
        "global-norm-grad",
        "BatchNormWithGlobalNormalizationGrad",
        lambda t, m, v, g, d: _create(
            "BatchNormWithGlobalNormalizationGrad",
            [t, m, v, g, d],
            {"variance_epsilon": 0.01, "scale_after_normalization": True},
        )[3],
        (X, C2, C2, C2, X),
        lambda t, m, v, g, d: d.sum(axis=(0, 1, 2)),
        tolerance=1e-6,
    ),
    Case(
        "nms",
        "NonMaxSuppression",
        lambda b, s: R.NonMaxSuppression(boxes=b, scores=s, max_output_size=3, iou_threshold=0.5),
        (BOXES, SCORES),
        np.int32([3, 0]),
        exact_static=False,
    ),
    Case(
        "nms-v2",
        "NonMaxSuppressionV2",
        lambda b, s: R.NonMaxSuppressionV2(
            boxes=b, scores=s, max_output_size=4, iou_threshold=0.95
        ),
        (BOXES, SCORES),
        np.int32([3, 0, 1, 2]),
        exact_static=False,
    ),
    Case(
        "space-to-batch",
        "SpaceToBatch",
        lambda x: R.SpaceToBatch(input=x, paddings=[[0, 0], [1, 1]], block_size=2),
        (X,),
        lambda x: (
            np.pad(x, [(0, 0), (0, 0), (1, 1), (0, 0)])
            .reshape(1, 2, 2, 3, 2, 2)
            .transpose(2, 4, 0, 1, 3, 5)
            .reshape(4, 2, 3, 2)
        ),
    ),
    Case(
        "batch-to-space",
        "BatchToSpace",
        lambda x: R.BatchToSpace(input=x, crops=[[0, 0], [1, 1]], block_size=2),
        (X.reshape(4, 2, 2, 2),),
        lambda x: (
            x.reshape(2, 2, 1, 2, 2, 2).transpose(2, 3, 0, 4, 1, 5).reshape(1, 4, 4, 2)[:, :, 1:3]
        ),
    ),
    Case(
        "variable-uninitialized",
        "Variable",
        lambda: R.Variable(shape=[2], dtype=tf.float32),
        (),
        Raises(tf.errors.FailedPreconditionError, "uninitialized"),
        modes=("full",),
    ),
    Case(
        "placeholder-v2-unfed",
        "PlaceholderV2",
        lambda: _create("PlaceholderV2", [], {"dtype": tf.float32, "shape": tf.TensorShape([2])})[
            0
        ],
        (),
        Raises(tf.errors.InvalidArgumentError, "You must feed a value for placeholder tensor"),
        modes=("full",),
    ),
]


def _max_pool_2x2_op(x):
    return tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")


@pytest.mark.parametrize("case, mode", cases_by_mode(KERNELS))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


# -- gradients ----------------------------------------------------------------------------

M = np.array([[0.7, -1.3, 2.1], [1.6, 0.4, -0.9]])
PIXELS = np.random.default_rng(0).permutation(32).reshape(1, 4, 4, 2) / 8.0 - 2.0


def _f32(fn):
    """``fn`` on float32 inputs (ops that take float32 only), its result back in float64."""
    return lambda *xs: tf.cast(fn(*(tf.cast(x, tf.float32) for x in xs)), tf.float64)


GRADIENTS = [
    GradCase("add", lambda x, y: R.Add(x=x, y=y), (M, M[0])),
    GradCase("div", lambda x, y: R.Div(x=x, y=y), (M, M[::-1] + 3.0)),
    GradCase("inv", lambda x: R.Inv(x=x), (M,)),
    GradCase("inv-grad", lambda y, d: R.InvGrad(y=y, dy=d), (M, M[::-1])),
    GradCase(
        "clip",
        lambda t, lo, hi: R.ClipByValue(t=t, clip_value_min=lo, clip_value_max=hi),
        (M, np.full_like(M, -1.0), np.float64(1.0)),
    ),
    GradCase("batch-matmul", lambda x, y: R.BatchMatMul(x=x, y=y, adj_y=True), (M[None], M[None])),
    GradCase("concat", lambda x, y: R.Concat(concat_dim=0, values=[x, y]), (M, M[:1])),
    GradCase("gather", lambda p: R.Gather(params=p, indices=[1, 0, 1]), (M,)),
    GradCase("reverse", lambda x: R.Reverse(tensor=x, dims=[True, False]), (M,)),
    GradCase("bias-add-v1", lambda x, b: R.BiasAddV1(value=x, bias=b), (M, M[0])),
    GradCase("top-k", lambda x: _create("TopK", [x], {"k": 2, "sorted": True})[0], (M,)),
    GradCase(
        "max-pool-v2",
        lambda x: R.MaxPoolV2(input=x, ksize=[1, 2, 2, 1], strides=[1, 1, 2, 1], padding="SAME"),
        (PIXELS,),
    ),
    GradCase(
        "max-pool-grad-v2",
        lambda g: R.MaxPoolGradV2(
            orig_input=tf.constant(PIXELS),
            orig_output=_max_pool_2x2_op(tf.constant(PIXELS)),
            grad=g,
            ksize=[1, 2, 2, 1],
            strides=[1, 2, 2, 1],
            padding="VALID",
        ),
        (PIXELS[:, ::2, ::2],),
    ),
    GradCase(
        "max-pool-grad-grad-v2",
        lambda g: R.MaxPoolGradGradV2(
            orig_input=tf.constant(PIXELS),
            orig_output=_max_pool_2x2_op(tf.constant(PIXELS)),
            grad=g,
            ksize=[1, 2, 2, 1],
            strides=[1, 2, 2, 1],
            padding="VALID",
        ),
        (PIXELS,),
    ),
    GradCase(
        "global-norm",
        lambda t, m, v, b, g: _create(
            "BatchNormWithGlobalNormalization",
            [t, m, v, b, g],
            {"variance_epsilon": 0.01, "scale_after_normalization": True},
        )[0],
        (PIXELS, np.array([0.1, -0.2]), np.array([1.5, 0.25]), np.array([0.3, 0.4]), C2 * 1.0),
    ),
    GradCase(
        "space-to-batch",
        lambda x: R.SpaceToBatch(input=x, paddings=[[0, 0], [1, 1]], block_size=2),
        (PIXELS,),
    ),
    GradCase(
        "batch-to-space",
        lambda x: R.BatchToSpace(input=x, crops=[[0, 0], [1, 1]], block_size=2),
        (PIXELS.reshape(4, 2, 2, 2),),
    ),
    GradCase("ref-identity", lambda v: R.RefIdentity(input=v) * 2.0, (M,), refs=True),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)


# Ops on float32 only: their differences are taken with larger steps.
FLOAT32_GRADIENTS = [
    GradCase(
        "fused-batch-norm",
        _f32(_fused(R.FusedBatchNorm)),
        (PIXELS, np.array([1.5, 0.5]), np.array([0.2, -0.1])),
    ),
    GradCase(
        "fused-batch-norm-v2",
        _f32(_fused(R.FusedBatchNormV2)),
        (PIXELS, np.array([1.5, 0.5]), np.array([0.2, -0.1])),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(FLOAT32_GRADIENTS))
def test_float32_gradients(case):
    check_gradient_case(case, delta=1e-2, atol=2e-3)


def test_snapshot_mod_and_the_global_norm_gradient_have_no_gradient_as_in_tf(graph):
    x = tf.constant(M)
    for y in (
        R.Snapshot(input=x),
        R.Mod(x=x, y=2.0),
        _create(
            "BatchNormWithGlobalNormalizationGrad",
            [
                tf.zeros([1, 1, 1, 3], tf.float64),
                x[0],
                x[0],
                x[0],
                tf.zeros([1, 1, 1, 3], tf.float64),
            ],
            {"variance_epsilon": 0.01, "scale_after_normalization": True},
        )[0],
    ):
        with pytest.raises(LookupError, match="No gradient defined for operation"):
            tf.gradients(y, x)


def test_variable_and_ref_identity_assign_and_read_the_variable(run):
    v = R.Variable(shape=[2], dtype=tf.float32, name="v")
    init = tf.assign(v, [1.0, 2.0])
    added = tf.assign_add(R.RefIdentity(input=v), [10.0, 20.0])
    run(init)
    run(added)
    assert run(R.RefIdentity(input=v)).tolist() == [11.0, 22.0]
    assert v.op.type == "Variable" and v.dtype == tf.float32_ref


def test_placeholder_v2_is_fed_as_a_placeholder(run):
    p = (
        tf.get_default_graph()
        .create_op("PlaceholderV2", [], {"dtype": tf.float32, "shape": tf.TensorShape([2])})
        .outputs[0]
    )
    assert run(p * 2.0, {p: [1.0, 2.0]}).tolist() == [2.0, 4.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="must feed a value"):
        run(p * 2.0)


def test_the_ops_tf_removed_are_refused_by_raw_ops_naming_their_successor():
    with pytest.raises(NotImplementedError, match="removed in version 7. Use TopKV2 instead"):
        R.TopK(input=[1.0, 2.0], k=1)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: R.ClipByValue(t=F, clip_value_min=F[0], clip_value_max=2.0), "or a scalar"),
        (lambda: R.BatchMatMul(x=tf.zeros([2, 1, 1]), y=tf.placeholder(tf.float32)), "batch"),
        (lambda: R.Reverse(tensor=F, dims=tf.placeholder(tf.bool)), "same number of values"),
    ],
)
def test_kernels_refuse_what_tf_refuses(run, build, message):
    y = build()
    feed = {}
    for op in tf.get_default_graph().get_operations():
        if op.type == "Placeholder":
            feed[op.outputs[0]] = np.zeros([3, 1, 1] if op.outputs[0].dtype == tf.float32 else [1])
    with pytest.raises((tf.errors.InvalidArgumentError, ValueError), match=message):
        run(y, feed)
