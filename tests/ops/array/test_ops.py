"""Tests for scopeflow/ops/array/: placeholders, identity, shapes, reshapes, transposes, fills,
stacking, list packing and slicing (``t[...]``) build TF1's ops, names, dtypes, static shapes
and attributes, and reject what TF1 rejects.

Every expected value is TensorFlow 2.21's own (``tensorflow.compat.v1``, graph mode), recorded
in ``tests/data/tf_reference/array.json`` by ``tools/tf_reference.py`` from the expressions in
``tests/data/tf_reference/array.py``; where scopeflow differs, ``DIFFERENCES`` says what it
does instead and why.
"""

from __future__ import annotations

import pytest

import scopeflow as tf
from tests.ops.graph_checks import built, check_against, expected, raised, setup_of, tf_reference

REFERENCE = tf_reference("array")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # -- deliberate
    # TF names the index after normalizing it ("slice index -1 of dimension 0").
    "x[-3]": raised(ValueError, "slice index -3 of dimension 0 out of bounds."),
    # TF folds tf.shape of a known shape into a float32 constant.
    "tf.shape(x, out_type=tf.float32)": raised(
        TypeError,
        "Value passed to parameter 'out_type' has DataType float32 not in list of allowed values",
    ),
    # TF also leaves a float32 "Reshape/shape" and names the used one "Reshape/shape_1".
    "tf.reshape(tf.placeholder(tf.float32, [1, 1], name='one'), [])": built(
        [("one", "Placeholder"), ("Reshape/shape", "Const"), ("Reshape", "Reshape")]
    ),
    # TF first converts values[0] as a stray Const "stack", then names the Pack "stack_1".
    "tf.stack([np.ones(2), np.zeros(2)], axis=1)": built(
        [("stack/values_0", "Const"), ("stack/values_1", "Const"), ("stack", "Pack")],
        op="stack",
        name="stack:0",
    ),
    # TF 2.21 builds MatrixDiagPartV3 with "k" and "padding_value" inputs.
    "tf.linalg.diag_part(x)": built([("diag_part", "MatrixDiagPart")], input_dtypes=["float32"]),
    "tf.linalg.diag_part(tf.placeholder(tf.float32, [None, 4]))": built(
        [("Placeholder", "Placeholder"), ("diag_part", "MatrixDiagPart")], input_dtypes=["float32"]
    ),
    # TF packs a Dimension bound through a stray "values_0" constant.
    "x[:x.shape[1]]": built(
        [
            ("strided_slice/stack", "Const"),
            ("strided_slice/stack_1", "Const"),
            ("strided_slice/stack_2", "Const"),
            ("strided_slice", "StridedSlice"),
        ]
    ),
    # -- known, not deliberate
    # scopeflow's node description lacks TF's attrs ("Reshape[T=DT_FLOAT, Tshape=DT_INT32]")
    # and its closing "and with input tensors computed as partial shapes: input[1] = [5,5]".
    "tf.reshape(x, [5, 5])": raised(
        ValueError,
        "Cannot reshape a tensor with 24 elements to shape [5,5] (25 elements) for "
        "'{{node Reshape}} = Reshape(x, Reshape/shape)' with input shapes: [2,3,4], [2].",
    ),
}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_expression_builds_tf1_ops(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


# -- slicing: TF's sparse spec --------------------------------------------------------------

_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


@pytest.mark.parametrize("expr", list(GROUPS["SLICES"]))
def test_slice_spec_attrs(env, expr):
    """x[...] gives TF's masks, constant begin/end/strides (None: a packed tensor) and Index."""
    want = GROUPS["SLICES"][expr]
    op = eval(expr, env).op
    assert [op.get_attr(m) for m in _MASKS] == [want["attrs"][m] for m in _MASKS]
    got = [t.op.get_attr("value").tolist() if t.op.type == "Const" else None for t in op.inputs]
    assert got[1:] == want["inputs"][1:]
    assert op.get_attr("Index").name == want["attrs"]["Index"]


def test_slices_in_a_name_scope(env):
    with tf.name_scope("scope"):
        t = env["x"][0]
    assert (t.op.name, t.op.inputs[1].op.name) == (
        "scope/strided_slice",
        "scope/strided_slice/stack",
    )


# -- what TF1 rejects -----------------------------------------------------------------------


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()


def test_placeholder_attrs():
    p = tf.placeholder(tf.float32, [None, 3], name="p")
    assert p.op.get_attr("dtype") == tf.float32
    assert p.op.get_attr("shape").as_list() == [None, 3]
    with tf.name_scope("s"):
        assert tf.placeholder(tf.float32, name="x").name == "s/x:0"
