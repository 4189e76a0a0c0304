"""Tests for scopeflow/ops/sparse/sets.py and scopeflow/sets.py: ``tf.sets`` builds TF1's set
ops (names, dtypes, static shapes), refuses what TF1 refuses, and its kernels give each
group's sorted distinct values (checked against Python sets).

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/sets.json`` by ``tools/tf_reference.py`` from
``tests/data/tf_reference/sets.py``; ``DIFFERENCES`` lists where scopeflow differs.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, raised, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("sets")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

_DTYPES = "int8, int16, int32, int64, uint8, uint16, string"
DIFFERENCES = {
    # known, worded differently: TF prints the dtypes as a frozenset, in hash order
    "tf.sets.set_intersection(f, f)": raised(
        TypeError,
        f"'a' has invalid dtype `<dtype: 'float32'>` not in supported dtypes: `{_DTYPES}`.",
    ),
    "tf.sets.set_size(tf.SparseTensor(i, tf.cast(v, tf.float32), s))": raised(
        TypeError, f"Invalid dtype `<dtype: 'float32'>` not in supported dtypes: `{_DTYPES}`."
    ),
}


@pytest.mark.parametrize("expr", list(GROUPS["BUILDS"]))
def test_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["BUILDS"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


def test_two_names_for_each(graph):
    assert tf.sets.intersection is tf.sets.set_intersection
    assert tf.sets.size is tf.sets.set_size
    assert (tf.sets.union, tf.sets.difference) == (tf.sets.set_union, tf.sets.set_difference)


# -- kernels against Python sets ------------------------------------------------------------


def _groups_dense(x):
    x = np.asarray(x)
    return {g: set(x[g].tolist()) for g in itertools.product(*map(range, x.shape[:-1]))}


def _groups_sparse(indices, values, shape):
    groups = {g: set() for g in itertools.product(*map(range, shape[:-1]))}
    for index, value in zip(np.asarray(indices).tolist(), np.asarray(values).tolist(), strict=True):
        groups[tuple(index[:-1])].add(value)
    return groups


def _result(a: dict, b: dict, combine, dtype):
    """TF's three result tensors from the per-group sets of two operands."""
    sets = {g: sorted(combine(a[g], b[g])) for g in sorted(a)}
    width = max((len(s) for s in sets.values()), default=0)
    indices = [[*g, k] for g, s in sets.items() for k in range(len(s))]
    values = [v for s in sets.values() for v in s]
    rank = len(next(iter(sets))) + 1
    return (
        np.array(indices, np.int64).reshape(-1, rank),
        np.array(values, dtype),
        np.array([*np.array(list(sets)).max(axis=0) + 1, width], np.int64),
    )


def _dense_ref(combine):
    return lambda x, y: _result(_groups_dense(x), _groups_dense(y), combine, x.dtype)


def _components(st):
    return [st.indices, st.values, st.dense_shape]


X = np.int64([[3, 1, 3, 7], [2, 2, 2, 2], [5, 6, 8, 9]])
Y = np.int64([[1, 1, 4], [9, 9, 9], [8, 5, 0]])
X3 = np.int32([[[1, 2], [2, 2]], [[4, 3], [0, 0]]])
Y3 = np.int32([[[2, 2, 5]], [[3, 3, 4]]])
Y3 = np.broadcast_to(Y3, (2, 2, 3)).copy()
# a 3x4 sparse operand in row-major order
SP_I = np.int64([[0, 0], [0, 3], [1, 1], [2, 0], [2, 1]])
SP_V = np.int64([7, 3, 2, 9, 9])
SP_S = np.int64([3, 4])


def _sparse_ref(combine, dense_first):
    def ref(x, i, v, s):
        a, b = _groups_dense(x), _groups_sparse(i, v, s)
        return _result(a, b, combine, v.dtype) if dense_first else _result(b, a, combine, v.dtype)

    return ref


CASES = [
    Case(
        f"dense-{name}",
        "DenseToDenseSetOperation",
        lambda x, y, fn=fn: _components(fn(x, y)),
        (X, Y),
        _dense_ref(combine),
        exact_static=False,  # the number of values is known only when running
    )
    for name, fn, combine in [
        ("intersection", tf.sets.intersection, set.intersection),
        ("union", tf.sets.union, set.union),
        ("a-b", tf.sets.difference, set.difference),
        ("b-a", lambda x, y: tf.sets.difference(x, y, aminusb=False), lambda a, b: b - a),
    ]
]
CASES += [
    Case(
        "dense-rank3-int32",
        "DenseToDenseSetOperation",
        lambda x, y: _components(tf.sets.union(x, y)),
        (X3, Y3),
        _dense_ref(set.union),
        exact_static=False,
    ),
    Case(
        "dense-sparse-intersection",
        "DenseToSparseSetOperation",
        lambda x, i, v, s: _components(tf.sets.intersection(x, tf.SparseTensor(i, v, s))),
        (X, SP_I, SP_V, SP_S),
        _sparse_ref(set.intersection, dense_first=True),
        exact_static=False,
    ),
    Case(
        "sparse-dense-difference",  # swapped to dense-sparse, computing b-a
        "DenseToSparseSetOperation",
        lambda x, i, v, s: _components(tf.sets.difference(tf.SparseTensor(i, v, s), x)),
        (X, SP_I, SP_V, SP_S),
        _sparse_ref(set.difference, dense_first=False),
        exact_static=False,
    ),
    Case(
        "sparse-sparse-union",
        "SparseToSparseSetOperation",
        lambda i, v, s: _components(
            tf.sets.union(tf.SparseTensor(i, v, s), tf.SparseTensor(i[:2], v[:2] + 1, s))
        ),
        (SP_I, SP_V, SP_S),
        lambda i, v, s: _result(
            _groups_sparse(i, v, s), _groups_sparse(i[:2], v[:2] + 1, s), set.union, v.dtype
        ),
        exact_static=False,
    ),
    Case(
        "strings",
        "DenseToDenseSetOperation",
        lambda x: _components(tf.sets.intersection(x, [[b"b", b"c"]])),
        (np.array([[b"a", b"b"]], object),),
        [np.int64([[0, 0]]), np.array([b"b"], object), np.int64([1, 1])],
        exact_static=False,
    ),
    Case(
        "empty-result",
        "DenseToDenseSetOperation",
        lambda x, y: _components(tf.sets.intersection(x, y)),
        (np.int64([[1, 2]]), np.int64([[3, 4]])),
        [np.zeros([0, 2], np.int64), np.zeros([0], np.int64), np.int64([1, 0])],
        exact_static=False,
    ),
    Case(
        "size",
        "SetSize",
        lambda i, v, s: tf.sets.size(tf.SparseTensor(i, v, s)),
        (SP_I, SP_V, SP_S),
        np.int32([2, 1, 1]),
        exact_static=False,
    ),
    Case(
        "size-rank3",
        "SetSize",
        lambda i, v, s: tf.sets.size(tf.SparseTensor(i, v, s)),
        (np.int64([[0, 1, 0], [0, 1, 2], [1, 0, 1]]), np.int64([4, 4, 1]), np.int64([2, 2, 3])),
        np.int32([[0, 1], [1, 0]]),
        exact_static=False,
    ),
    Case(
        "groups-differ",
        "DenseToDenseSetOperation",
        lambda x, y: _components(tf.sets.union(x, y)),
        (X, Y[:2]),
        Raises(tf.errors.InvalidArgumentError, "Mismatched shapes [3] vs [2]"),
        modes=("dims", "rank"),
    ),
    Case(
        "unordered-sparse",
        "SetSize",
        lambda i, v, s: [tf.sets.size(tf.SparseTensor(i, v, s))],
        (SP_I[::-1].copy(), SP_V, SP_S),
        Raises(tf.errors.InvalidArgumentError, "out of order"),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_set_ops_have_no_gradient(graph):
    x = tf.placeholder(tf.int64, [2, 2])
    result = tf.sets.union(x, x)
    assert tf.gradients(tf.cast(result.values, tf.float32), x) == [None]
