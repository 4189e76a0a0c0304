"""Tests for scopeflow/ops/join_ops.py and pad_ops.py: ``concat``, ``unstack``, ``split``,
``tile``, ``pad`` and ``reverse`` build TF1's ops, names and static shapes, reject what TF1
rejects, and their kernels (and those of ``ConcatOffset`` and ``MirrorPadGrad``, which their
gradients use) match NumPy.

Expected names, shapes and messages were read from TensorFlow 2.21 (``tensorflow.compat.v1``,
graph mode); differences kept on purpose are marked "deliberate".
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import dims as _dims
from tests.ops.kernel_table import Case, cases_by_mode, check_case

SETUP = {
    "x": (tf.float32, [2, 3, 4]),
    "u": (tf.float32, [None, 3, 4]),
    "w": (tf.float32, None),
    "i": (tf.int32, [None]),
    "s": (tf.int32, []),
}

A = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
B = np.arange(6, dtype=np.int64).reshape(2, 3)
S = np.array([[b"a", b"bc"], [b"", b"d"]], dtype=object)
MIRROR = [[1, 1], [2, 0], [0, 3]]


# fmt: off
BUILDS = [
    # (expression, ops it adds as (name, type), static shape of each result)
    ("tf.concat([x, u], 0)", [("concat/axis", "Const"), ("concat", "ConcatV2")], [[None, 3, 4]]),
    ("tf.concat([x, x], -1)", [("concat/axis", "Const"), ("concat", "ConcatV2")], [[2, 3, 8]]),
    ("tf.concat([x], 0)", [("concat/concat_dim", "Const"), ("concat/concat", "Identity")],
     [[2, 3, 4]]),
    ("tf.concat([x, u], s)", [("concat", "ConcatV2")], [[None, None, None]]),
    ("tf.concat([w, u], -1)", [("concat/axis", "Const"), ("concat", "ConcatV2")],
     [[None, 3, None]]),
    ("tf.concat([w, w], 0)", [("concat/axis", "Const"), ("concat", "ConcatV2")], [None]),
    ("tf.unstack(x, axis=1)", [("unstack", "Unpack")], [[2, 4]] * 3),
    ("tf.unstack(u, axis=-1)", [("unstack", "Unpack")], [[None, 3]] * 4),
    ("tf.unstack(w, num=2)", [("unstack", "Unpack")], [None] * 2),
    ("tf.split(x, 2, axis=2)", [("split/split_dim", "Const"), ("split", "Split")],
     [[2, 3, 2]] * 2),
    ("tf.split(x, 2, axis=s)", [("split", "Split")], [[None, None, None]] * 2),
    ("tf.split(u, 2)", [("split/split_dim", "Const"), ("split", "Split")], [[None, 3, 4]] * 2),
    ("tf.split(x, [1, -1, 1], axis=2)",
     [("Const", "Const"), ("split/split_dim", "Const"), ("split", "SplitV")],
     [[2, 3, 1], [2, 3, 2], [2, 3, 1]]),
    ("tf.split(x, np.array([1, 2], np.int64), axis=1)",
     [("Const", "Const"), ("split/split_dim", "Const"), ("split", "SplitV")],
     [[2, 1, 4], [2, 2, 4]]),
    ("tf.split(u, [1, -1])", [("Const", "Const"), ("split/split_dim", "Const"),
                              ("split", "SplitV")], [[1, 3, 4], [None, 3, 4]]),
    ("tf.split(x, i, axis=1, num=3)", [("split/split_dim", "Const"), ("split", "SplitV")],
     [[2, None, 4]] * 3),
    ("tf.tile(u, [2, 1, 3])", [("Tile/multiples", "Const"), ("Tile", "Tile")], [[None, 3, 12]]),
    ("tf.tile(u, [0, 2, 1])", [("Tile/multiples", "Const"), ("Tile", "Tile")], [[0, 6, 4]]),
    ("tf.tile(x, [1, -1, 1])", [("Tile/multiples", "Const"), ("Tile", "Tile")], [[2, None, 4]]),
    ("tf.tile(w, [1, 2])", [("Tile/multiples", "Const"), ("Tile", "Tile")], [[None, None]]),
    ("tf.pad(u, [[1, 2], [0, 1], [0, 0]])", [("Pad/paddings", "Const"), ("Pad", "Pad")],
     [[None, 4, 4]]),
    ("tf.pad(x, np.array([[1, 1], [0, 0], [2, 2]], np.int64))",
     [("Pad/paddings", "Const"), ("Pad", "Pad")], [[4, 3, 8]]),
    ("tf.pad(u, [[1, 2], [0, 1], [0, 0]], constant_values=3)",
     [("PadV2/paddings", "Const"), ("PadV2/constant_values", "Const"), ("PadV2", "PadV2")],
     [[None, 4, 4]]),
    ("tf.pad(u, [[1, 2], [0, 1], [0, 0]], mode='REFLECT')",
     [("MirrorPad/paddings", "Const"), ("MirrorPad", "MirrorPad")], [[None, 4, 4]]),
    ("tf.pad(u, [[1, 2], [0, 1], [0, 0]], mode='symmetric', name='p')",
     [("p/paddings", "Const"), ("p", "MirrorPad")], [[None, 4, 4]]),
    ("tf.pad(w, [[1, 1], [2, 2]])", [("Pad/paddings", "Const"), ("Pad", "Pad")], [[None, None]]),
    ("tf.reverse(u, [1])", [("ReverseV2/axis", "Const"), ("ReverseV2", "ReverseV2")],
     [[None, 3, 4]]),
    ("tf.reverse_v2(w, [0])", [("ReverseV2/axis", "Const"), ("ReverseV2", "ReverseV2")], [None]),
]
# fmt: on


@pytest.mark.parametrize(("expression", "ops", "shapes"), BUILDS, ids=[b[0] for b in BUILDS])
def test_builds_tf1_ops_and_static_shapes(graph, env, expression, ops, shapes):
    before = len(graph.get_operations())
    result = eval(expression, env)
    results = result if isinstance(result, list) else [result]
    assert [(op.name, op.type) for op in graph.get_operations()[before:]] == ops
    assert [_dims(t) for t in results] == shapes
    assert all(t.dtype == tf.float32 for t in results)


def test_attrs_are_tf1s(env):
    assert tf.concat([env["x"], env["u"]], 0).op.get_attr("N") == 2
    unstack = tf.unstack(env["x"], axis=1)[0].op
    assert (unstack.get_attr("num"), unstack.get_attr("axis")) == (3, 1)
    assert tf.split(env["x"], 2, axis=2)[0].op.get_attr("num_split") == 2
    split_v = tf.split(env["x"], [1, -1, 1], axis=2)[0].op
    assert (split_v.get_attr("num_split"), split_v.get_attr("Tlen")) == (3, tf.int32)
    assert tf.pad(env["x"], [[1, 1]] * 3, mode="reflect").op.get_attr("mode") == "REFLECT"
    assert tf.pad(env["x"], [[1, 1]] * 3, constant_values=2).op.inputs[2].dtype == tf.float32


# fmt: off
BUILD_ERRORS = [
    ("tf.concat([x, tf.zeros([2, 4, 4])], 2)", ValueError,
     "Dimension 1 in both shapes must be equal, but are 3 and 4. Shapes are [2,3] and [2,4]."),
    ("tf.concat([x, x], 3)", ValueError, "Shape must be at least rank 4 but is rank 3"),
    ("tf.concat([s, s], 0)", ValueError, "Can't concatenate scalars (use tf.stack instead)"),
    ("tf.concat([x, i], 0)", TypeError,
     "Tensors in list passed to 'values' of 'ConcatV2' Op have types [float32, int32] that "
     "don't all match."),
    ("tf.concat([x, x], 1.0)", TypeError, "'axis' has DataType float32 not in list"),
    ("tf.unstack(x, axis=3)", ValueError, "Argument `axis` = 3 not in range [-3, 3)"),
    ("tf.unstack(u)", ValueError, "Cannot infer argument `num` from shape (?, 3, 4)"),
    ("tf.unstack(x, num=3)", ValueError, "Dimension must be 3 but is 2"),
    ("tf.split(x, 2, axis=1)", ValueError,
     "Dimension size must be evenly divisible by 2 but is 3"),
    ("tf.split(x, [1, 1], axis=1)", ValueError,
     "can't split axis of size 3 into pieces of size [1,1]"),
    ("tf.split(x, [-1, -1, 3], axis=2)", ValueError, "size_splits can only have one -1"),
    ("tf.split(x, i, axis=1)", ValueError, "Cannot infer argument `num` from shape"),
    ("tf.split(x, tf.constant(2), axis=1)", ValueError,
     "Rank-0 tensors are not supported as the num_or_size_splits argument to split."),
    ("tf.split(x, 0)", ValueError, "num_or_size_splits must be a positive integer, got 0"),
    ("tf.tile(x, [1, 2])", ValueError, "Shape must be rank 3 but is rank 2"),
    ("tf.tile(x, [1.0, 2, 1])", TypeError, "'multiples' has DataType float32 not in list"),
    ("tf.pad(x, [[1, 1]])", ValueError, "paddings must have shape [3, 2] for an input of rank 3"),
    ("tf.pad(x, [[1, -1], [0, 0], [0, 0]])", ValueError, "Paddings must be non-negative"),
    ("tf.pad(x, [[1.0, 1], [0, 0], [2, 2]])", TypeError,
     "Value passed to parameter 'paddings' has DataType float32 not in list of allowed values: "
     "int32, int64"),
    ("tf.pad(x, [[2, 0], [0, 0], [0, 0]], 'EDGE')", ValueError,
     'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or "SYMMETRIC". '
     "Received `mode` = EDGE"),
    # Deliberate: TF1 finds these mirror-padding mistakes only at run time.
    ("tf.pad(x, [[2, 0], [0, 0], [0, 0]], 'REFLECT')", ValueError,
     "paddings must be less than the dimension size: 2, 0 not less than 2"),
    ("tf.pad(x, [[3, 0], [0, 0], [0, 0]], 'SYMMETRIC')", ValueError,
     "paddings must be no greater than the dimension size: 3, 0 greater than 2"),
    ("tf.pad(x, [[1, 0], [0, 0], [0, 0]], constant_values=[1.0, 2.0])", ValueError,
     "constant_values must be a scalar"),
    ("tf.reverse(x, [3])", ValueError, "'axis'[0] = 3 is out of valid range [-3, 3)"),
    ("tf.reverse(x, [1, -2])", ValueError, "axis 1 specified more than once."),
    ("tf.reverse(x, 1)", ValueError, "Shape must be rank 1 but is rank 0"),
]
# fmt: on


@pytest.mark.parametrize(
    ("expression", "error", "message"), BUILD_ERRORS, ids=[e[0] for e in BUILD_ERRORS]
)
def test_build_errors(env, expression, error, message):
    with pytest.raises(error) as info:
        eval(expression, env)
    assert message in str(info.value)


# -- kernels ------------------------------------------------------------------------------

# fmt: off
CASES = [
    Case("concat", "ConcatV2", lambda x, y: tf.concat([x, y], 0), (A, A[:1] * 2),
         lambda a, b: np.concatenate([a, b], 0)),
    Case("concat-last", "ConcatV2", lambda x, y: tf.concat([x, y, x], -1), (B, B[:, :1]),
         lambda a, b: np.concatenate([a, b, a], -1)),
    Case("concat-empty", "ConcatV2", lambda x, y: tf.concat([x, y], 1),
         (np.zeros((2, 0), np.int32), np.ones((2, 3), np.int32)),
         lambda a, b: np.ones((2, 3), np.int32)),
    Case("concat-strings", "ConcatV2", lambda x: tf.concat([x, x], 0), (S,),
         lambda s: np.concatenate([s, s])),
    Case("concat-fed-axis", "ConcatV2", lambda x, k: tf.concat([x, x], k), (A, np.int64(1)),
         lambda a, k: np.concatenate([a, a], 1), exact_static=False),
    Case("unstack", "Unpack", lambda x: tf.unstack(x, num=2), (A,), lambda a: list(a)),
    Case("unstack-axis", "Unpack", lambda x: tf.unstack(x, num=4, axis=-1), (A,),
         lambda a: [a[..., k] for k in range(4)]),
    Case("unstack-one", "Unpack", lambda x: tf.unstack(x, num=1, axis=1),
         (np.ones((2, 1), np.bool_),), lambda a: [a[:, 0]]),
    Case("split", "Split", lambda x: tf.split(x, 2, axis=2), (A,),
         lambda a: np.split(a, 2, axis=2)),
    Case("split-one", "Split", lambda x: tf.split(x, 1), (B,), lambda b: [b]),
    Case("split-fed-axis", "Split", lambda x, k: tf.split(x, 3, axis=k), (A, np.int32(-2)),
         lambda a, k: np.split(a, 3, axis=1), exact_static=False),
    Case("split_v", "SplitV", lambda x: tf.split(x, [1, -1, 1], axis=2), (A,),
         lambda a: np.split(a, [1, 3], axis=2)),
    Case("split_v-zero", "SplitV", lambda x: tf.split(x, [0, 3], axis=1), (B,),
         lambda b: [b[:, :0], b]),
    Case("split_v-fed-sizes", "SplitV", lambda x, z: tf.split(x, z, num=2), (A, np.array([1, 1])),
         lambda a, z: [a[:1], a[1:]], exact_static=False),
    Case("tile", "Tile", lambda x: tf.tile(x, [2, 1, 3]), (A,), lambda a: np.tile(a, (2, 1, 3))),
    Case("tile-zero", "Tile", lambda x: tf.tile(x, [0, 2]), (B,), lambda b: np.tile(b, (0, 2))),
    Case("tile-fed", "Tile", lambda x, m: tf.tile(x, m), (S, np.array([2, 1], np.int64)),
         lambda s, m: np.tile(s, (2, 1)), exact_static=False),
    Case("pad", "Pad", lambda x: tf.pad(x, [[1, 0], [0, 2], [1, 1]]), (A,),
         lambda a: np.pad(a, [(1, 0), (0, 2), (1, 1)])),
    Case("pad-strings", "Pad", lambda x: tf.pad(x, [[0, 1], [1, 0]]), (S,),
         lambda s: np.array([[b"", b"a", b"bc"], [b"", b"", b"d"], [b"", b"", b""]], object)),
    Case("pad-fed", "Pad", lambda x, p: tf.pad(x, p), (B, np.array([[0, 1], [2, 0]], np.int32)),
         lambda b, p: np.pad(b, [(0, 1), (2, 0)]), exact_static=False),
    Case("pad_v2", "PadV2", lambda x: tf.pad(x, [[1, 1], [0, 1], [0, 0]], constant_values=-2),
         (A,), lambda a: np.pad(a, [(1, 1), (0, 1), (0, 0)], constant_values=-2)),
    Case("pad_v2-fed-value", "PadV2", lambda x, c: tf.pad(x, [[1, 1], [1, 1]], constant_values=c),
         (B, np.int64(9)), lambda b, c: np.pad(b, 1, constant_values=9)),
    Case("mirror-reflect", "MirrorPad", lambda x: tf.pad(x, [[1, 1], [2, 2], [3, 0]], "REFLECT"),
         (A,), lambda a: np.pad(a, [(1, 1), (2, 2), (3, 0)], mode="reflect")),
    Case("mirror-symmetric", "MirrorPad",
         lambda x: tf.pad(x, [[2, 2], [3, 1], [0, 4]], "SYMMETRIC"), (A,),
         lambda a: np.pad(a, [(2, 2), (3, 1), (0, 4)], mode="symmetric")),
    Case("reverse", "ReverseV2", lambda x: tf.reverse(x, [-1, 0]), (A,),
         lambda a: a[::-1, :, ::-1]),
    Case("reverse-none", "ReverseV2", lambda x: tf.reverse(x, np.zeros(0, np.int64)), (B,),
         lambda b: b),
    Case("reverse-fed", "ReverseV2", lambda x, k: tf.reverse(x, k), (S, np.array([1], np.int32)),
         lambda s, k: s[:, ::-1]),
    Case("concat_offset", "ConcatOffset", lambda k, *s: _concat_offset(k, s),
         (np.int32(1), np.array([2, 3, 4], np.int32), np.array([2, 5, 4], np.int32),
          np.array([2, 1, 4], np.int32)),
         lambda k, *s: [np.array([0, 0, 0], np.int32), np.array([0, 3, 0], np.int32),
                        np.array([0, 8, 0], np.int32)]),
    Case("mirror_pad_grad-reflect", "MirrorPadGrad",
         lambda x, g: tf.gradients(tf.pad(x, MIRROR, "REFLECT"), x, grad_ys=g)[0],
         (A, np.pad(A, MIRROR) % 7), lambda a, g: _pad_adjoint(a, g, "reflect")),
    Case("mirror_pad_grad-symmetric", "MirrorPadGrad",
         lambda x, g: tf.gradients(tf.pad(x, MIRROR, "SYMMETRIC"), x, grad_ys=g)[0],
         (A, np.pad(A, MIRROR) % 5), lambda a, g: _pad_adjoint(a, g, "symmetric")),
]
# fmt: on


def _concat_offset(axis, shapes):
    op = tf.get_default_graph().create_op("ConcatOffset", [axis, *shapes], {"N": len(shapes)})
    return op.outputs


def _pad_adjoint(a, g, mode):
    """The gradient of ``np.pad(a, MIRROR, mode)`` for ``grad_ys=g``, one entry at a time."""
    out = np.zeros_like(a)
    for k in range(a.size):
        basis = np.zeros_like(a)
        basis.flat[k] = 1
        out.flat[k] = np.sum(np.pad(basis, MIRROR, mode=mode) * g)
    return out


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_matches_numpy(run, case, mode):
    check_case(run, case, mode)


# fmt: off
RUNTIME_ERRORS = [
    # (id, build from x (float32, unknown shape) and v (int32 vector), x fed, v fed, message)
    ("concat-dims", lambda x, v: tf.concat([x, x[:, :2]], 2), A, [0],
     "ConcatOp : Dimension 1 in both shapes must be equal: shape[0] = [2, 3, 4] vs. shape[1] = "
     "[2, 2, 4]"),
    ("concat-axis", lambda x, v: tf.concat([x, x], v[0]), A, [5],
     "ConcatOp : Expected concatenating dimensions in the range [-3, 3), but got 5"),
    ("concat-ranks", lambda x, v: tf.concat([x, x[0]], 0), A, [0],
     "ConcatOp : Ranks of all input tensors should match"),
    ("unstack-num", lambda x, v: tf.unstack(x, num=3)[0], A, [0],
     "Input shape axis 0 must equal 3, got shape [2, 3, 4]"),
    ("split-even", lambda x, v: tf.split(x, 2, axis=1)[0], A, [0],
     "Number of ways to split should evenly divide the split dimension, but got split_dim 1 "
     "(size = 3) and num_split 2"),
    ("split_v-sizes", lambda x, v: tf.split(x, [1, 5])[0], A, [0],
     "Determined shape must either match input shape along split_dim exactly if fully "
     "specified, or be less than the size of the input along split_dim if not fully "
     "specified.  Got: 6"),
    ("tile-negative", lambda x, v: tf.tile(x, v), A, [1, -2, 1],
     "Expected multiples[1] >= 0, but got -2"),
    ("tile-length", lambda x, v: tf.tile(x, v), A, [1, 2],
     "Expected multiples argument to be a vector of length 3 but got length 2"),
    ("reflect-too-wide", lambda x, v: tf.pad(x, [[2, 0], [0, 0], [0, 0]], "REFLECT"), A, [0],
     "paddings must be less than the dimension size: 2, 0 not less than 2"),
    ("pad-rank", lambda x, v: tf.pad(x, [[1, 1], [1, 1]]), A, [0],
     "The first dimension of paddings must be the rank of inputs[3,2], got [2, 2]"),
    ("reverse-axis", lambda x, v: tf.reverse(x, v), A, [3],
     "'axis'[0] = 3 is out of valid range [-3, 3)"),
    ("concat-offset-dims", lambda x, v: _concat_offset(v[0], [tf.shape(x), v])[0], A, [2, 2, 4],
     "All dimensions except 2 must match. Input 1 has shape [2, 2, 4] and doesn't match input 0 "
     "with shape [2, 3, 4]."),
    ("concat-offset-axis", lambda x, v: _concat_offset(v[0], [v, v])[0], A, [3, 3, 4],
     "Concat dim is out of range: 3 vs. 3"),
    ("mirror-pad-grad-too-wide", lambda x, v: tf.gradients(tf.pad(x, [[0, 0], [0, 0], [0, 3]],
     "REFLECT"), x, grad_ys=x)[0], A, [0], "paddings must be less than the dimension size: 0, 3 "
     "not less than 1"),
]
# fmt: on


@pytest.mark.parametrize(
    ("build", "x_value", "v_value", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in RUNTIME_ERRORS],
)
def test_runtime_errors_name_the_problem(run, build, x_value, v_value, message):
    x = tf.placeholder(tf.float32, None, name="x")
    v = tf.placeholder(tf.int32, [None], name="v")
    out = build(x, v)
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(out, {x: x_value, v: v_value})
    assert message in info.value.message
