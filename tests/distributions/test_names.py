"""Tests for scopeflow/distributions/: the distributions build TF1's ops, names, dtypes and
static shapes (constructors, methods, samplers, KL divergences) and raise TF1's errors while
building (records read from TensorFlow 2.21's ``tf.compat.v1.distributions`` by
``tools/tf_reference.py`` from tests/data/tf_reference/distributions.py)."""

from __future__ import annotations

from tests.ops.graph_checks import built, record_tests, setup_of, tf_reference

REFERENCE = tf_reference("distributions")
SETUP = setup_of(REFERENCE)
GROUPS = {"GRADIENTS": {}, **REFERENCE["groups"]}


def _tf1_ops(expression: str) -> dict:
    """What scopeflow builds where TF 2.21 differs from TF 1.x in ops the distributions call,
    not in the distributions themselves: TF 1.x's graph.

    - ``tf.reduce_all`` of a scalar (an ``assert_positive`` of a scalar scale): TF 1.x names
      the axes as one ``Const``; TF 2.21 computes them with ``Rank`` and ``Range``.
    - ``tf.nn.sparse_softmax_cross_entropy_with_logits`` (``Categorical.log_prob``): TF 2.21
      also leaves an unused constant ``.../Shape`` of the labels; scopeflow does not make it.
    """
    ops, skip = [], 0
    for name, kind in REFERENCE["groups"]["BUILDS"][expression]["ops"]:
        if skip:
            skip -= 1
        elif name.endswith("assert_less/Rank"):
            ops.append([name.replace("/Rank", "/Const"), "Const"])
            skip = 3  # range/start, range/delta, range
        elif not name.endswith("SparseSoftmaxCrossEntropyWithLogits/Shape"):
            ops.append([name, kind])
    return built(ops)


# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES: dict = {
    expression: _tf1_ops(expression)
    for expression in [
        "tf.distributions.Normal(x, s, validate_args=True).scale",
        "tf.distributions.Categorical(logits=x).log_prob(k)",
        "tf.distributions.Categorical(logits=x).log_prob(0)",
        "tf.distributions.Categorical(logits=x, validate_args=True).log_prob(k)",
        "tf.distributions.Categorical(logits=x).prob(k)",
    ]
}

(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)
