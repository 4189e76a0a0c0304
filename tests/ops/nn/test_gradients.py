"""Gradients of the ``tf.nn`` ops (scopeflow/ops/conv_ops.py, depthwise_ops.py,
pooling_ops.py, activation_ops.py, nn_ops.py, loss_ops.py) against central differences in
float64, over strides, paddings, dilations and pooling windows; second derivatives through
the gradient ops themselves; and the gradient op names TF1 builds (TensorFlow 2.21's records,
``tensorflow.compat.v1``, in ``tests/data/tf_reference/nn_gradients.json``).
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import added, tf_reference

RNG = np.random.default_rng(11)


def normal(*shape):
    return RNG.standard_normal(shape)


def away_from_kinks(*shape, kinks=(0.0,)):
    """Values at least 0.1 away from each kink (where the derivative jumps)."""
    values = RNG.uniform(0.1, 1.5, shape) * RNG.choice([-1, 1], shape)
    return values + RNG.choice(kinks, shape)


def distinct(*shape):
    """Values 0.1 or more apart: no two tie for a maximum, even after a small step."""
    return RNG.permutation(int(np.prod(shape))).reshape(shape) * 0.1 + RNG.uniform(0, 0.01, shape)


def second(forward):
    """``(x, g) -> d(forward)/dx`` weighted by ``g`` (shaped like ``forward(x)``):
    differentiating it differentiates the gradient ops ``forward``'s gradient builds."""
    return lambda x, g: tf.gradients(forward(x), x, grad_ys=g)[0]


def second_of_pool(pool, out_shape):
    """``(x, h) -> MaxPoolGradGrad(x, pool(x), h)``: the gradient, for its ``grad`` input, of
    the MaxPoolGrad in ``pool``'s gradient."""

    def build(x, h):
        g = tf.zeros(out_shape, tf.float64)
        return tf.gradients(tf.gradients(pool(x), x, grad_ys=g)[0], g, grad_ys=h)[0]

    return build


SAME, VALID = "SAME", "VALID"
EXPLICIT = [[0, 0], [1, 2], [0, 1], [0, 0]]
POOL_PADS = [[0, 0], [1, 0], [0, 2], [0, 0]]  # each pad smaller than the window

# (id, build, inputs)
# fmt: off
CASES = [
    # -- conv2d: both inputs, over paddings, strides, dilations, groups
    ("conv2d-same", lambda x, w: tf.nn.conv2d(x, w, 1, SAME),
     [normal(2, 5, 4, 2), normal(3, 3, 2, 3)]),
    ("conv2d-valid-strided", lambda x, w: tf.nn.conv2d(x, w, [1, 2, 3, 1], VALID),
     [normal(2, 7, 8, 2), normal(3, 2, 2, 2)]),
    ("conv2d-same-strided", lambda x, w: tf.nn.conv2d(x, w, 2, SAME),
     [normal(1, 6, 5, 2), normal(3, 3, 2, 2)]),
    ("conv2d-dilated", lambda x, w: tf.nn.conv2d(x, w, 1, SAME, dilations=[1, 2, 1, 1]),
     [normal(1, 6, 5, 2), normal(2, 3, 2, 2)]),
    ("conv2d-explicit", lambda x, w: tf.nn.conv2d(x, w, [1, 1, 2, 1], EXPLICIT),
     [normal(1, 5, 6, 2), normal(3, 2, 2, 2)]),
    ("conv2d-1x1-strided", lambda x, w: tf.nn.conv2d(x, w, 2, SAME),
     [normal(2, 5, 5, 3), normal(1, 1, 3, 2)]),
    ("conv2d-5x5", lambda x, w: tf.nn.conv2d(x, w, 1, SAME),
     [normal(1, 6, 6, 1), normal(5, 5, 1, 2)]),
    ("conv2d-groups", lambda x, w: tf.nn.conv2d(x, w, 1, SAME),
     [normal(1, 4, 4, 4), normal(3, 3, 2, 4)]),
    ("conv2d-transpose", lambda dy, w: tf.nn.conv2d_transpose(dy, w, [2, 7, 7, 2], 2, SAME),
     [normal(2, 4, 4, 3), normal(3, 3, 2, 3)]),
    ("conv2d-transpose-dilated",
     lambda dy, w: tf.nn.conv2d_transpose(dy, w, [1, 6, 6, 2], 1, VALID, dilations=2),
     [normal(1, 2, 4, 3), normal(3, 2, 2, 3)]),
    ("conv2d-backprop-filter",
     lambda x, dy: tf.nn.conv2d_backprop_filter(x, [3, 3, 2, 3], dy, [1, 2, 2, 1], SAME),
     [normal(2, 5, 5, 2), normal(2, 3, 3, 3)]),
    ("conv2d-backprop-filter-explicit",
     lambda x, dy: tf.nn.conv2d_backprop_filter(x, [2, 3, 2, 2], dy, 1, EXPLICIT),
     [normal(1, 4, 4, 2), normal(1, 6, 3, 2)]),
    # -- depthwise
    ("depthwise-strided", lambda x, w: tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], SAME),
     [normal(2, 5, 5, 2), normal(3, 3, 2, 2)]),
    ("depthwise-rate", lambda x, w: tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], VALID, rate=[2, 1]),
     [normal(1, 6, 5, 3), normal(2, 2, 3, 1)]),
    ("depthwise-backprop-input",
     lambda dy, w: tf.nn.depthwise_conv2d_native_backprop_input([1, 5, 5, 2], w, dy, 2, SAME),
     [normal(1, 3, 3, 4), normal(3, 3, 2, 2)]),
    ("depthwise-backprop-filter",
     lambda x, dy: tf.nn.depthwise_conv2d_native_backprop_filter(x, [3, 3, 2, 2], dy, 1, SAME),
     [normal(1, 4, 4, 2), normal(1, 4, 4, 4)]),
    # -- pooling: overlapping and not, padded and not
    ("max-pool-2x2", lambda x: tf.nn.max_pool(x, 2, 2, SAME), [distinct(2, 5, 5, 3)]),
    ("max-pool-overlapping", lambda x: tf.nn.max_pool(x, 3, [1, 2, 1, 1], VALID),
     [distinct(2, 6, 5, 2)]),
    ("max-pool-explicit", lambda x: tf.nn.max_pool(x, [1, 2, 3, 1], 1, POOL_PADS),
     [distinct(1, 4, 4, 2)]),
    ("max-pool-grad", second(lambda x: tf.nn.max_pool(x, 3, 2, SAME)),
     [distinct(1, 5, 5, 2), normal(1, 3, 3, 2)]),
    ("max-pool-grad-grad", second_of_pool(lambda x: tf.nn.max_pool(x, 3, 2, SAME), [1, 3, 3, 2]),
     [distinct(1, 5, 5, 2), normal(1, 5, 5, 2)]),
    ("avg-pool-same", lambda x: tf.nn.avg_pool(x, [1, 3, 2, 1], [1, 2, 1, 1], SAME),
     [normal(2, 5, 5, 3)]),
    ("avg-pool-valid", lambda x: tf.nn.avg_pool(x, 2, 2, VALID), [normal(1, 5, 4, 2)]),
    ("avg-pool-grad", second(lambda x: tf.nn.avg_pool(x, 3, 2, SAME)),
     [normal(1, 5, 5, 2), normal(1, 3, 3, 2)]),
    # -- activations and their gradient ops
    ("relu", tf.nn.relu, [away_from_kinks(3, 4)]),
    ("relu6", tf.nn.relu6, [away_from_kinks(3, 4, kinks=(0.0, 6.0))]),
    ("elu", tf.nn.elu, [away_from_kinks(3, 4)]),
    ("selu", tf.nn.selu, [away_from_kinks(3, 4)]),
    ("softplus", tf.nn.softplus, [normal(3, 4) * 3]),
    ("softsign", tf.nn.softsign, [away_from_kinks(3, 4)]),
    ("leaky-relu", lambda x: tf.nn.leaky_relu(x, 0.3), [away_from_kinks(3, 4)]),
    ("relu-grad", second(tf.nn.relu), [away_from_kinks(3, 4), normal(3, 4)]),
    ("relu6-grad", second(tf.nn.relu6), [away_from_kinks(3, 4, kinks=(0.0, 6.0)), normal(3, 4)]),
    ("elu-grad", second(tf.nn.elu), [away_from_kinks(3, 4), normal(3, 4)]),
    ("selu-grad", second(tf.nn.selu), [away_from_kinks(3, 4), normal(3, 4)]),
    ("softsign-grad", second(tf.nn.softsign), [away_from_kinks(3, 4), normal(3, 4)]),
    ("leaky-relu-grad", second(lambda x: tf.nn.leaky_relu(x, 0.3)),
     [away_from_kinks(3, 4), normal(3, 4)]),
    # -- bias_add, l2_loss, softmax
    ("bias-add", tf.nn.bias_add, [normal(2, 3, 4), normal(4)]),
    ("bias-add-grad",
     lambda b, g: tf.gradients(tf.nn.bias_add(tf.zeros([2, 3, 4], tf.float64), b), b, g)[0],
     [normal(4), normal(2, 3, 4)]),
    ("l2-loss", tf.nn.l2_loss, [normal(3, 4)]),
    ("softmax", tf.nn.softmax, [normal(3, 4)]),
    ("softmax-axis", lambda x: tf.nn.softmax(x, axis=0), [normal(3, 4)]),
    ("log-softmax", tf.nn.log_softmax, [normal(2, 3, 4)]),
    # -- cross-entropy: logits and labels, and second derivatives for the logits
    ("softmax-xent",
     lambda lg, lb: tf.nn.softmax_cross_entropy_with_logits_v2(labels=lb, logits=lg),
     [normal(3, 4), RNG.dirichlet(np.ones(4), 3)]),
    ("softmax-xent-3d", lambda lg: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=RNG.dirichlet(np.ones(3), (2, 2)), logits=lg), [normal(2, 2, 3)]),
    ("softmax-xent-second", second(lambda lg: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=[[0.2, 0.3, 0.5]] * 2, logits=lg)), [normal(2, 3), normal(2)]),
    ("sparse-xent",
     lambda lg: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 0, 3], logits=lg),
     [normal(3, 4)]),
    ("sparse-xent-second", second(lambda lg: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=[1, 0, 3], logits=lg)), [normal(3, 4), normal(3)]),
    # -- top_k: the values' gradient goes back to where they came from
    ("top-k", lambda x: tf.nn.top_k(x, 2).values, [distinct(2, 3, 5)]),
    ("top-k-all", lambda x: tf.nn.top_k(x, 4).values, [distinct(3, 4)]),
]
# fmt: on


@pytest.mark.parametrize("case", gradient_cases([GradCase(i, b, tuple(x)) for i, b, x in CASES]))
def test_gradient_matches_finite_differences(case):
    check_gradient_case(case)


def test_unused_cross_entropy_backprop_adds_no_second_derivative_ops():
    logits = tf.placeholder(tf.float32, [2, 3])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 2], logits=logits)
    (grad,) = tf.gradients(loss, logits)
    types = {op.type for op in grad.graph.get_operations() if op.name.startswith("gradients/")}
    assert "Softmax" not in types and grad.op.type == "Mul"


def test_max_pool_gradient_goes_to_the_first_maximum_as_tf():
    # TensorFlow 2.21's values: ties go to the first maximum of each window in scan order.
    x = np.float32([[1, 3, 3, 0], [3, 2, 3, 3], [0, 0, 5, 5], [0, 5, 5, 1]]).reshape(1, 4, 4, 1)
    expected = {
        (2, 2, VALID): [[0, 1, 1, 0], [0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]],
        (3, 1, SAME): [[0, 4, 1, 0], [0, 0, 0, 0], [0, 0, 9, 0], [0, 2, 0, 0]],
        (2, 1, VALID): [[0, 2, 1, 0], [1, 0, 0, 0], [0, 0, 4, 0], [0, 1, 0, 0]],
    }
    with tf.Session() as sess:
        for (k, s, padding), want in expected.items():
            xt = tf.constant(x)
            (grad,) = tf.gradients(tf.nn.max_pool(xt, k, s, padding), xt)
            np.testing.assert_array_equal(sess.run(grad)[0, :, :, 0], want)


# -- TF1's gradient op names --------------------------------------------------------------

# TF 2.21's records: tests/data/tf_reference/nn_gradients.json, written by tools/tf_reference.py
# from the expressions in tests/data/tf_reference/nn_gradients.py.
NAMES = tf_reference("nn_gradients")["groups"]["NAMES"]


def _gradient(forward: str, *shapes) -> str:
    """The recorded expression that differentiates ``forward`` (a lambda's source) with respect
    to float32 placeholders of ``shapes``."""
    xs = ", ".join(f"tf.placeholder(tf.float32, {list(s)})" for s in shapes)
    return f"tf.gradients(({forward})(*(xs := [{xs}])), xs)"


# Where scopeflow's gradients build other ops than TF 2.21 (see _gradient_ops): expression ->
# those ops.
DIFFERENCES = {
    # deliberate: 2-D logits: the fused op's output, without TF1's no-op Reshape plumbing
    _gradient(
        "lambda lg, lb: tf.nn.softmax_cross_entropy_with_logits_v2(labels=lb, logits=lg)",
        [2, 3],
        [2, 3],
    ): [
        ("gradients/softmax_cross_entropy_with_logits_grad/ExpandDims", "ExpandDims"),
        ("gradients/softmax_cross_entropy_with_logits_grad/mul", "Mul"),
        ("gradients/softmax_cross_entropy_with_logits_grad/LogSoftmax", "LogSoftmax"),
        ("gradients/softmax_cross_entropy_with_logits_grad/Neg", "Neg"),
        ("gradients/softmax_cross_entropy_with_logits_grad/ExpandDims_1", "ExpandDims"),
        ("gradients/softmax_cross_entropy_with_logits_grad/mul_1", "Mul"),
    ],
}

# Ops tf.gradients itself adds (the seed and the zeros for unused outputs).
_CORE = {"Fill", "ZerosLike"}


def _gradient_ops(ops) -> list[tuple[str, str]]:
    """The ops tf.gradients adds but its own and constants."""
    return [
        (name, t)
        for name, t in ops
        if name.startswith("gradients/") and t not in _CORE and t != "Const"
    ]


# Ops tf.gradients itself adds (the seed and the zeros for unused outputs).


@pytest.mark.parametrize("expression", list(NAMES))
def test_gradient_op_names_match_tf1(graph, expression):
    want = _gradient_ops(NAMES[expression]["ops"])
    if expression in DIFFERENCES:
        assert want != DIFFERENCES[expression], "TF's record agrees: remove the difference"
        want = DIFFERENCES[expression]
    before = len(graph.get_operations())
    eval(expression, {"tf": tf})
    assert _gradient_ops(added(graph, before)) == want


def test_every_difference_is_a_recorded_expression():
    assert set(DIFFERENCES) - set(NAMES) == set()


def test_second_order_op_names_match_tf1(graph):
    x = tf.placeholder(tf.float32, [2, 4, 4, 3])
    g = tf.placeholder(tf.float32, [2, 2, 2, 3])
    dx = tf.gradients(tf.nn.max_pool(x, 2, 2, SAME), x, g)[0]
    (ddg,) = tf.gradients(dx, g)
    assert ddg.op.name == "gradients_1/gradients/MaxPool_grad/MaxPoolGrad_grad/MaxPoolGradGrad"
    tf.gradients(tf.gradients(tf.nn.relu(x), x)[0], x)
    ops = {op.name: op.type for op in graph.get_operations()}
    assert ops["gradients_3/gradients_2/Relu_grad/ReluGrad_grad/ReluGrad"] == "ReluGrad"
    assert ops["gradients_3/gradients_2/Relu_grad/ReluGrad_grad/zeros_like"] == "Const"
