"""Gradients of the array ops (``scopeflow/ops/array_ops.py``, ``shape_ops.py``,
``slicing.py``, ``join_ops.py``, ``pad_ops.py``, ``gather_ops.py``, ``linalg_ops.py``) against
central differences in float64, on several shapes, some of them unknown while building; the
ops TF1 builds for them; and gather's gradient (IndexedSlices along axis 0, as in TF1).

Expected gradient graphs are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph mode),
recorded in ``tests/data/tf_reference/array_gradients.json`` by ``tools/tf_reference.py``;
differences kept on purpose are listed in ``DIFFERENCES``.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import added, setup_of, tf_reference


def unknown(x):
    """``x`` with every dimension unknown while building (its rank stays known)."""
    return tf.placeholder_with_default(x, [None] * x.shape.ndims)


def unranked(x):
    """``x`` with even its rank unknown while building."""
    return tf.placeholder_with_default(x, None)


def _triangular(n: int, lower: bool = True, batch: tuple = ()) -> np.ndarray:
    """A well-conditioned triangular matrix (random below or above a dominant diagonal)."""
    a = np.random.default_rng(n).standard_normal((*batch, n, n)) + 3 * np.eye(n)
    return np.tril(a) if lower else np.triu(a)


def grad(id: str, build, inputs: tuple) -> GradCase:
    """A gradient case at ``inputs``: arrays, or shapes (tuples) of random arrays."""
    rng = np.random.default_rng(0)
    arrays = tuple(rng.standard_normal(s) if isinstance(s, tuple) else s for s in inputs)
    return GradCase(id, build, arrays)


# fmt: off
CASES = [
    # -- identities
    grad("identity", lambda x: tf.identity(x), (np.arange(6.0).reshape(2, 3),)),
    grad("placeholder_with_default", lambda x: tf.placeholder_with_default(x, [3]),
         (np.arange(3.0),)),
    # -- reshapes, transposes, fills, stacking
    grad("reshape", lambda x: tf.reshape(x, [-1]), ((2, 3),)),
    grad("reshape-unknown", lambda x: tf.reshape(unknown(x), [3, -1]), ((2, 3, 2),)),
    grad("reshape-scalar", lambda x: tf.reshape(x, []), ((1,),)),
    grad("reshape-unranked", lambda x: tf.reshape(unranked(x), [-1]), ((2, 3),)),
    grad("transpose", lambda x: tf.transpose(x, [2, 0, 1]), ((2, 3, 4),)),
    grad("transpose-unknown", lambda x: tf.transpose(unknown(x)), ((2, 3),)),
    GradCase("conjugate-transpose", lambda x: tf.transpose(x, [1, 0], conjugate=True),
             (np.array([[1 + 2j, 3, 4j], [5, 6 - 1j, 7]]),)),
    grad("fill", lambda v: tf.fill([2, 3], v), ((),)),
    grad("fill-runtime-dims", lambda v, y: tf.fill(tf.shape(unknown(y)), v), ((), (3, 2))),
    grad("stack", lambda x, y: tf.stack([x, y], axis=1), ((2, 3), (2, 3))),
    grad("stack-scalars", lambda x, y: tf.stack([x, y, x]), ((), ())),
    grad("stack-unknown", lambda x, y: tf.stack([unknown(x), y], axis=-1), ((2, 3), (2, 3))),
    grad("unstack-one-output", lambda x: tf.unstack(x)[1], ((3, 2),)),
    grad("unstack-restack", lambda x: tf.stack(tf.unstack(x, axis=-1)[::-1]), ((2, 3),)),
    grad("unstack-unknown", lambda x: tf.unstack(unknown(x), num=2, axis=1)[0], ((3, 2),)),
    grad("squeeze", lambda x: tf.squeeze(x), ((2, 1, 3, 1),)),
    grad("squeeze-unknown", lambda x: tf.squeeze(unknown(x), axis=[1]), ((2, 1, 3),)),
    grad("expand_dims", lambda x: tf.expand_dims(x, -1), ((2, 3),)),
    grad("expand_dims-unknown", lambda x: tf.expand_dims(unknown(x), 0), ((2, 3),)),
    # -- slicing
    grad("strided-range", lambda x: x[1:3, ::-2], ((4, 5),)),
    grad("strided-ellipsis", lambda x: x[..., 1], ((2, 3, 4),)),
    grad("strided-newaxis", lambda x: x[None, :, 1:], ((2, 3),)),
    grad("strided-mixed", lambda x: x[::-1, None, ..., 3:0:-2], ((3, 2, 5),)),
    grad("strided-shrink", lambda x: x[1], ((3, 2),)),
    grad("strided-negative-index", lambda x: x[-1, -2:], ((3, 4),)),
    grad("strided-unknown", lambda x: unknown(x)[1:, ::-1], ((3, 4),)),
    grad("strided-unranked", lambda x: unranked(x)[..., 1], ((3, 4),)),
    grad("strided-runtime-bound", lambda x: x[: tf.shape(unknown(x))[0] - 1], ((4, 2),)),
    grad("strided-int64-bound", lambda x: x[tf.constant(1, tf.int64) :], ((3, 2),)),
    grad("strided_slice_grad", lambda x, g: tf.gradients(x[1:, ::-1], x, grad_ys=g)[0],
         ((3, 4), (2, 4))),
    grad("slice", lambda x: tf.slice(x, [1, 0], [2, -1]), ((4, 3),)),
    grad("slice-unknown", lambda x: tf.slice(unknown(x), [0, 1, 1], [-1, 1, 2]), ((2, 3, 4),)),
    grad("slice-unranked", lambda x: tf.slice(unranked(x), [1, 0], [-1, 2]), ((3, 4),)),
    grad("slice-int64", lambda x: tf.slice(x, np.array([1], np.int64), np.array([2], np.int64)),
         ((4,),)),
    # -- joining, splitting, tiling, reversing
    grad("concat", lambda x, y: tf.concat([x, y], 1), ((2, 3), (2, 2))),
    grad("concat-three", lambda x, y: tf.concat([x, y, x], -1), ((2, 1), (2, 3))),
    grad("concat-unknown", lambda x, y: tf.concat([unknown(x), y], 0), ((1, 3), (2, 3))),
    grad("concat-unranked", lambda x: tf.concat([unranked(x), x], 1), ((2, 3),)),
    grad("concat-int64-axis", lambda x, y: tf.concat([x, y], tf.constant(0, tf.int64)),
         ((1, 2), (2, 2))),
    grad("split", lambda x: tf.split(x, 3, axis=1)[1], ((2, 3),)),
    grad("split-restack", lambda x: tf.stack(tf.split(unknown(x), 2)), ((4, 3),)),
    grad("split_v", lambda x: tf.split(x, [1, -1, 2], axis=-1)[2], ((2, 5),)),
    grad("split_v-restack", lambda x: tf.concat(tf.split(unknown(x), [2, 1])[::-1], 0),
         ((3, 2),)),
    grad("tile", lambda x: tf.tile(x, [2, 3]), ((2, 3),)),
    grad("tile-unknown", lambda x: tf.tile(unknown(x), [1, 2, 2]), ((2, 1, 3),)),
    grad("tile-unranked", lambda x: tf.tile(unranked(x), [2, 1]), ((2, 3),)),
    grad("tile-zero", lambda x: tf.tile(x, [0, 1]), ((2, 3),)),
    grad("tile-scalar", lambda x: tf.tile(x, tf.zeros([0], tf.int32)), ((),)),
    grad("reverse", lambda x: tf.reverse(x, [1]), ((2, 3),)),
    grad("reverse-two-axes", lambda x: tf.reverse(unknown(x), [-1, 0]), ((2, 3, 2),)),
    # -- padding
    grad("pad", lambda x: tf.pad(x, [[1, 2], [0, 1]]), ((2, 3),)),
    grad("pad-unknown", lambda x: tf.pad(unknown(x), [[0, 0], [2, 1], [1, 0]]), ((2, 2, 3),)),
    grad("pad-unranked", lambda x: tf.pad(unranked(x), [[1, 0], [0, 2]]), ((2, 3),)),
    grad("pad_v2", lambda x, c: tf.pad(x, [[1, 0], [1, 1]], constant_values=c), ((2, 2), ())),
    grad("mirror-reflect", lambda x: tf.pad(x, [[1, 2], [0, 1]], "REFLECT"), ((3, 3),)),
    grad("mirror-symmetric", lambda x: tf.pad(unknown(x), [[2, 3], [1, 0]], "SYMMETRIC"),
         ((3, 2),)),
    grad("mirror-unranked", lambda x: tf.pad(unranked(x), [[1, 0], [0, 2]], "REFLECT"),
         ((2, 3),)),
    grad("mirror_pad_grad", lambda x, g: tf.gradients(tf.pad(x, [[1, 1], [2, 0]], "REFLECT"), x,
                                                      grad_ys=g)[0], ((3, 3), (5, 5))),
    # -- gathers and scatter-adds
    grad("gather-repeated", lambda x: tf.gather(x, [1, 1, 0, 1]), ((3, 2),)),
    grad("gather-axis1", lambda x: tf.gather(x, [[1, 1], [2, 0]], axis=1), ((2, 3, 2),)),
    grad("gather-last-axis", lambda x: tf.gather(x, [0, 0, 2], axis=-1), ((2, 3),)),
    grad("gather-scalar-index", lambda x: tf.gather(x, 1), ((3, 2),)),
    grad("gather-unknown", lambda x: tf.gather(unknown(x), [2, 0, 2], axis=1), ((2, 3, 2),)),
    grad("gather-unranked", lambda x: tf.gather(unranked(x), [1, 1], axis=-1), ((2, 3),)),
    grad("gather-int64", lambda x: tf.gather(x, np.array([[0], [0]], np.int64)), ((2, 3),)),
    grad("gather-int16", lambda x: tf.gather(x, np.array([2, 2], np.int16)), ((3,),)),
    grad("gather-runtime-axis", lambda x: tf.gather(x, [1, 0, 1], axis=tf.rank(unknown(x)) - 1),
         ((2, 2),)),
    grad("boolean_mask", lambda x: tf.boolean_mask(x, [True, False, True]), ((3, 2),)),
    grad("gather_nd", lambda x: tf.gather_nd(x, [[1, 1], [1, 1], [0, 2]]), ((2, 3),)),
    grad("gather_nd-rows", lambda x: tf.gather_nd(unknown(x), [[[1]], [[1]]]), ((2, 3),)),
    grad("segment_sum", lambda x: tf.unsorted_segment_sum(x, [0, 2, 0, -1], 3), ((4, 2),)),
    grad("segment_sum-2d-ids", lambda x: tf.unsorted_segment_sum(x, [[1, 1], [0, -1]], 2),
         ((2, 2, 3),)),
    grad("scatter_nd", lambda x: tf.scatter_nd([[0], [2], [0]], x, [4, 2]), ((3, 2),)),
    grad("scatter_nd-elements", lambda x: tf.scatter_nd([[1, 0], [1, 0]], x, [2, 2]), ((2,),)),
    # -- diagonals, band parts, triangular solves, QR
    grad("diag", lambda x: tf.diag(x), ((3,),)),
    grad("diag-rank2", lambda x: tf.diag(x), ((2, 2),)),
    grad("diag_part", lambda x: tf.diag_part(x), ((3, 3),)),
    grad("diag_part-rank4", lambda x: tf.diag_part(x), ((2, 3, 2, 3),)),
    grad("matrix_diag", lambda x: tf.linalg.diag(x), ((2, 3),)),
    grad("matrix_diag_part-square", lambda x: tf.matrix_diag_part(x), ((2, 3, 3),)),
    grad("matrix_diag_part-wide", lambda x: tf.matrix_diag_part(x), ((2, 4),)),
    grad("matrix_diag_part-unknown", lambda x: tf.matrix_diag_part(unknown(x)), ((3, 2),)),
    grad("matrix_diag_part-unranked", lambda x: tf.matrix_diag_part(unranked(x)), ((2, 3),)),
    grad("matrix_set_diag", lambda x, d: tf.linalg.set_diag(x, d), ((2, 3, 4), (2, 3))),
    grad("band_part", lambda x: tf.linalg.band_part(x, 1, 0), ((3, 4),)),
    grad("band_part-upper", lambda x: tf.linalg.band_part(x, 0, -1), ((2, 3, 3),)),
    grad("triangular_solve", lambda a, b: tf.linalg.triangular_solve(a, b),
         (_triangular(3), (3, 2))),
    grad("triangular_solve-upper-adjoint",
         lambda a, b: tf.linalg.triangular_solve(a, b, lower=False, adjoint=True),
         (_triangular(3, lower=False), (3, 1))),
    grad("triangular_solve-batch", lambda a, b: tf.linalg.triangular_solve(a, b, adjoint=True),
         (_triangular(2, batch=(2,)), (2, 2, 3))),
    grad("qr-tall-q", lambda x: tf.linalg.qr(x)[0], ((4, 3),)),
    grad("qr-tall-r", lambda x: tf.linalg.qr(x)[1], ((4, 3),)),
    grad("qr-square", lambda x: tf.concat(tf.linalg.qr(x), 0), ((3, 3),)),
    grad("qr-square-full", lambda x: tf.concat(tf.linalg.qr(x, full_matrices=True), 1),
         ((2, 2),)),
    grad("qr-wide", lambda x: tf.concat(tf.linalg.qr(x), -1), ((2, 2, 4),)),
    grad("qr-wide-full", lambda x: tf.linalg.qr(x, full_matrices=True)[1], ((2, 3),)),
]
# fmt: on


@pytest.mark.parametrize("case", gradient_cases(CASES))
def test_gradient_matches_finite_differences(case):
    check_gradient_case(case)


# -- gather's gradient: IndexedSlices along axis 0, as in TF1; dense along another axis ------


def test_gather_gradient_is_indexed_slices_whose_repeated_indices_add_up(run):
    params = tf.placeholder(tf.float32, [3, 2])
    (grad,) = tf.gradients(tf.gather(params, [0, 0, 2, 0]), params)
    assert isinstance(grad, tf.IndexedSlices)
    assert grad.values.shape.as_list() == [4, 2]
    assert grad.indices.shape.as_list() == [4]
    assert grad.shape.as_list() == [3, 2]
    value = run(grad, {params: np.zeros((3, 2))})
    np.testing.assert_array_equal(value.indices, [0, 0, 2, 0])
    np.testing.assert_array_equal(value.dense_shape, [3, 2])
    dense = run(tf.convert_to_tensor(grad), {params: np.zeros((3, 2))})
    np.testing.assert_array_equal(dense, [[3, 3], [0, 0], [1, 1]])


def test_gather_gradient_along_another_axis_is_a_dense_scatter_add(run):
    params = tf.placeholder(tf.float32, [2, 3])
    (grad,) = tf.gradients(tf.gather(params, [2, 2, 0], axis=1), params)
    assert isinstance(grad, tf.Tensor) and grad.shape.as_list() == [2, 3]
    np.testing.assert_array_equal(run(grad, {params: np.zeros((2, 3))}), [[1, 0, 2], [1, 0, 2]])


def test_embedding_lookup_gradient_counts_each_id(run):
    table = tf.placeholder(tf.float64, [4, 2])
    ids = tf.placeholder(tf.int32, [None])
    (grad,) = tf.gradients(tf.nn.embedding_lookup(table, ids), table)
    assert isinstance(grad, tf.IndexedSlices) and grad.shape.as_list() == [4, 2]
    value = run(tf.convert_to_tensor(grad), {table: np.ones((4, 2)), ids: [3, 1, 3, 3]})
    np.testing.assert_array_equal(value, [[0, 0], [1, 1], [0, 0], [3, 3]])


def test_one_hot_has_no_gradient():
    on = tf.placeholder(tf.float32, [])
    assert tf.gradients(tf.one_hot([0, 2], 3, on_value=on, off_value=0.0), on) == [None]


# -- complex QR: TF's convention, d(Re <w, y>)/d(Re x) + i d(Re <w, y>)/d(Im x) -----------


@pytest.mark.parametrize(("shape", "full"), [((3, 2), False), ((2, 3), False), ((2, 2), True)])
def test_complex_qr_gradient_matches_finite_differences(shape, full):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    with tf.Graph().as_default(), tf.Session() as sess:
        xp = tf.placeholder(tf.complex128, shape)
        q, r = tf.linalg.qr(xp, full_matrices=full)
        qv, rv = sess.run([q, r], {xp: x})
        wq, wr = (
            rng.standard_normal(v.shape) + 1j * rng.standard_normal(v.shape) for v in (qv, rv)
        )
        (grad,) = tf.gradients([q, r], xp, grad_ys=[wq, wr])
        analytic = sess.run(grad, {xp: x})

        def loss(value):
            qv, rv = sess.run([q, r], {xp: value})
            return np.sum(np.conj(wq) * qv).real + np.sum(np.conj(wr) * rv).real

        numeric = np.zeros(shape, complex)
        for k in range(x.size):
            for step in (1.0, 1j):
                up, down = x.copy(), x.copy()
                up.flat[k] += 1e-6 * step
                down.flat[k] -= 1e-6 * step
                numeric.flat[k] += step * (loss(up) - loss(down)) / 2e-6
    np.testing.assert_allclose(analytic, numeric, atol=1e-6)


def test_qr_gradient_rejects_what_it_cannot_differentiate():
    with tf.Graph().as_default():
        tall = tf.placeholder(tf.float64, [3, 2])
        with pytest.raises(NotImplementedError, match="full_matrices=True"):
            tf.gradients(tf.linalg.qr(tall, full_matrices=True)[0], tall)
        dynamic = tf.placeholder(tf.float64, [None, 2])
        with pytest.raises(NotImplementedError, match="static shape"):
            tf.gradients(tf.linalg.qr(dynamic)[1], dynamic)


# -- the gradient ops TF1 builds -----------------------------------------------------------

# TF 2.21's records: tests/data/tf_reference/array_gradients.json, written by
# tools/tf_reference.py from the expressions in tests/data/tf_reference/array_gradients.py.
REFERENCE = tf_reference("array_gradients")
SETUP = setup_of(REFERENCE)  # x, a float32 [4, 6] placeholder
NAMES = REFERENCE["groups"]["NAMES"]


def _gradient(forward: str) -> str:
    """The recorded expression that differentiates ``forward`` (an expression of x)."""
    return f"[(y := {forward}), tf.gradients(y, x)[0]]"


# Where scopeflow's gradient builds other ops than TF 2.21 under the forward op's gradient
# scope: forward expression -> those ops, as (name, type) without "gradients/".
DIFFERENCES = {
    # deliberate: TF 2.21 builds MatrixDiagV3, with k, num_rows, num_cols, padding_value.
    "tf.matrix_diag_part(x[:, :4])": [("diag_part_grad/diag", "MatrixDiag")],
}


def _in_scope(ops, forward_op: str) -> list[tuple[str, str]]:
    scope = f"gradients/{forward_op}_grad/"
    return [(name[len("gradients/") :], t) for name, t in ops if name.startswith(scope)]


@pytest.mark.parametrize("expression", list(NAMES))
def test_gradient_builds_tf1s_ops(graph, env, expression):
    """The ops tf.gradients adds under the gradient scope of the op that makes y."""
    record = NAMES[expression]
    want = _in_scope(record["ops"], record["outputs"][0]["op"])
    forward = expression[len("[(y := ") : -len("), tf.gradients(y, x)[0]]")]
    assert _gradient(forward) == expression
    if forward in DIFFERENCES:
        assert want != DIFFERENCES[forward], "TF's record agrees: remove the difference"
        want = DIFFERENCES[forward]
    before = len(graph.get_operations())
    y, _ = eval(expression, env)
    assert _in_scope(added(graph, before), y.op.name) == want


def test_every_difference_is_a_recorded_expression():
    assert {_gradient(forward) for forward in DIFFERENCES} - set(NAMES) == set()


@pytest.mark.parametrize(
    "forward",
    [
        lambda x: tf.transpose(x),
        lambda x: tf.transpose(x, [1, 0]),
        lambda x: tf.slice(x, [1, 1], [2, 3]),
    ],
)
def test_gradient_keeps_the_inputs_static_shape(forward):
    # TF 2.21 infers [4, 6] for both: it folds InvertPermutation and the Pad's paddings.
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [4, 6])
        assert tf.gradients(forward(x), x)[0].shape.as_list() == [4, 6]


def _grad_ops(graph, scope: str) -> list[tuple[str, str, list[str]]]:
    return [
        (op.name, op.type, [t.name for t in op.inputs])
        for op in graph.get_operations()
        if op.name.startswith(scope)
    ]


def test_reshape_and_concat_gradients_with_an_unknown_batch_are_tf_2_21s(graph):
    # TF 2.21: Reshape's gradient reshapes to the static shape with -1 for the one unknown
    # dimension; ConcatV2's takes the shapes from a ShapeN once one is not a constant (the
    # first Shape is left unused).
    x = tf.placeholder(tf.float32, [None, 3, 4], name="x")
    tf.gradients([tf.reshape(x, [-1, 12]), tf.concat([x, x * 2.0], 1)], x)
    shape = graph.get_operation_by_name("gradients/Reshape_grad/Reshape/shape")
    assert tf.make_ndarray(shape.get_attr("value")).tolist() == [-1, 3, 4]
    assert _grad_ops(graph, "gradients/Reshape_grad/") == [
        ("gradients/Reshape_grad/Reshape/shape", "Const", []),
        ("gradients/Reshape_grad/Reshape", "Reshape",
         ["gradients/grad_ys_0:0", "gradients/Reshape_grad/Reshape/shape:0"]),
    ]  # fmt: skip
    grad = "gradients/grad_ys_1:0"
    assert _grad_ops(graph, "gradients/concat_grad/") == [
        ("gradients/concat_grad/Rank", "Const", []),
        ("gradients/concat_grad/mod", "FloorMod",
         ["concat/axis:0", "gradients/concat_grad/Rank:0"]),
        ("gradients/concat_grad/Shape", "Shape", ["x:0"]),
        ("gradients/concat_grad/ShapeN", "ShapeN", ["x:0", "mul:0"]),
        ("gradients/concat_grad/ConcatOffset", "ConcatOffset",
         ["gradients/concat_grad/mod:0", "gradients/concat_grad/ShapeN:0",
          "gradients/concat_grad/ShapeN:1"]),
        ("gradients/concat_grad/Slice", "Slice",
         [grad, "gradients/concat_grad/ConcatOffset:0", "gradients/concat_grad/ShapeN:0"]),
        ("gradients/concat_grad/Slice_1", "Slice",
         [grad, "gradients/concat_grad/ConcatOffset:1", "gradients/concat_grad/ShapeN:1"]),
    ]  # fmt: skip
