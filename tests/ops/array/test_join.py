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
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("join")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {}

A = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
B = np.arange(6, dtype=np.int64).reshape(2, 3)
S = np.array([[b"a", b"bc"], [b"", b"d"]], dtype=object)
MIRROR = [[1, 1], [2, 0], [0, 3]]


@pytest.mark.parametrize("expression", list(GROUPS["BUILDS"]))
def test_builds_tf1_ops_and_static_shapes(graph, env, expression):
    want = expected(GROUPS["BUILDS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want)


def test_attrs_are_tf1s(env):
    assert tf.concat([env["x"], env["u"]], 0).op.get_attr("N") == 2
    unstack = tf.unstack(env["x"], axis=1)[0].op
    assert (unstack.get_attr("num"), unstack.get_attr("axis")) == (3, 1)
    assert tf.split(env["x"], 2, axis=2)[0].op.get_attr("num_split") == 2
    split_v = tf.split(env["x"], [1, -1, 1], axis=2)[0].op
    assert (split_v.get_attr("num_split"), split_v.get_attr("Tlen")) == (3, tf.int32)
    assert tf.pad(env["x"], [[1, 1]] * 3, mode="reflect").op.get_attr("mode") == b"REFLECT"
    assert tf.pad(env["x"], [[1, 1]] * 3, constant_values=2).op.inputs[2].dtype == tf.float32


@pytest.mark.parametrize("expression", list(GROUPS["BUILD_ERRORS"]))
def test_build_errors(graph, env, expression):
    want = expected(GROUPS["BUILD_ERRORS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want, left=None)


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()


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
     "ConcatOp : Dimension 1 in both shapes must be equal: shape[0] = [2,3,4] vs. shape[1] = "
     "[2,2,4]"),
    ("concat-axis", lambda x, v: tf.concat([x, x], v[0]), A, [5],
     "ConcatOp : Expected concatenating dimensions in the range [-3, 3), but got 5"),
    ("concat-ranks", lambda x, v: tf.concat([x, x[0]], 0), A, [0],
     "ConcatOp : Ranks of all input tensors should match: shape[0] = [2,3,4] vs. shape[1] = "
     "[3,4]"),
    ("unstack-num", lambda x, v: tf.unstack(x, num=3)[0], A, [0],
     "Input shape axis 0 must equal 3, got shape [2,3,4]"),
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
     "The first dimension of paddings must be the rank of inputs[2,2] [2,3,4]"),
    ("reverse-axis", lambda x, v: tf.reverse(x, v), A, [3],
     "'axis'[0] = 3 is out of valid range [0, 2"),
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


def test_concat_converts_values_to_the_first_tensors_dtype(graph):
    # As TF 2's op builder (tf.metrics' expand_labels relies on it): [1] becomes int64 here
    shape = tf.placeholder(tf.int64, [2])
    joined = tf.concat((shape, (1,)), 0)
    assert joined.dtype == tf.int64
    assert graph.get_operation_by_name("concat/values_1").get_attr("dtype") == tf.int64
    with pytest.raises(TypeError):
        tf.concat([shape, [1.5]], 0)
