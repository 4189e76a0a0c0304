"""Tests for scopeflow/framework/tensor_shape.py; expected values come from TensorFlow 2.21 (v1)."""

from __future__ import annotations

import operator
import pickle
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scopeflow.framework.tensor_shape import (
    Dimension,
    TensorShape,
    as_dimension,
    as_shape,
    broadcast_shapes,
    dimension_at_index,
    dimension_value,
    unknown_shape,
)

D = Dimension
S = TensorShape
UNKNOWN = S(None)

# --- Dimension ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dim", "text", "rep", "value"),
    [(D(3), "3", "Dimension(3)", 3), (D(None), "?", "Dimension(None)", None),
     (D(np.int64(2)), "2", "Dimension(2)", 2), (D(D(4)), "4", "Dimension(4)", 4),
     (D(D(None)), "?", "Dimension(None)", None), (D(0), "0", "Dimension(0)", 0)],
)  # fmt: skip
def test_dimension_text_and_value(dim, text, rep, value):
    assert (str(dim), repr(dim), dim.value) == (text, rep, value)


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (-1, ValueError),
        (2.5, TypeError),
        (2.0, TypeError),
        ("a", TypeError),
        ("3", TypeError),
        ([3], TypeError),
    ],
)
def test_dimension_rejects(bad, error):
    match = "must be >= 0" if error is ValueError else "must be integer or None"
    with pytest.raises(error, match=match):
        D(bad)


def test_dimension_int_and_index():
    assert int(D(3)) == 3 and [0, 1, 2][D(1)] == 1 and float(D(3)) == 3.0
    for convert in (int, operator.index, float):
        with pytest.raises(TypeError, match="unknown Dimension"):
            convert(D(None))


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (lambda: D(3) == 3, True),
        (lambda: D(3) == D(3), True),
        (lambda: D(3) == D(4), False),
        (lambda: D(3) == D(None), None),
        (lambda: D(None) == D(None), None),
        (lambda: D(3) == None, None),  # noqa: E711 - TF1 semantics under test
        (lambda: D(3) != 4, True),
        (lambda: D(3) != D(None), None),
        (lambda: D(3) == "a", False),
        (lambda: D(3) == 3.0, False),
        (lambda: D(3) != "a", True),
        (lambda: D(3) < 4, True),
        (lambda: D(3) <= 3, True),
        (lambda: D(3) > 2, True),
        (lambda: D(3) >= D(4), False),
        (lambda: 4 > D(3), True),
        (lambda: D(3) < D(None), None),
        (lambda: D(3) < None, None),
        (lambda: bool(D(0)), False),
        (lambda: bool(D(None)), False),
        (lambda: bool(D(2)), True),
    ],
)
def test_dimension_comparisons(expr, expected):
    assert expr() is expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (lambda: D(3) + 1, D(4)),
        (lambda: 1 + D(3), D(4)),
        (lambda: D(3) - 1, D(2)),
        (lambda: 3 - D(1), D(2)),
        (lambda: D(3) * 2, D(6)),
        (lambda: 2 * D(3), D(6)),
        (lambda: D(7) // 2, D(3)),
        (lambda: 7 // D(2), D(3)),
        (lambda: D(7) % 3, D(1)),
        (lambda: 7 % D(3), D(1)),
        (lambda: D(3) + D(None), D(None)),
        (lambda: D(None) // 2, D(None)),
        (lambda: D(0) * D(None), D(None)),
        (lambda: D(3) % D(None), D(None)),
    ],
)
def test_dimension_arithmetic(expr, expected):
    assert repr(expr()) == repr(expected)


@pytest.mark.parametrize(
    ("expr", "error", "match"),
    [
        (lambda: D(3) - 5, ValueError, "Dimension -2 must be >= 0"),
        (lambda: D(7) / 2, TypeError, "please use // instead"),
        (lambda: 7 / D(2), TypeError, "please use // instead"),
        (lambda: D(3) + "a", TypeError, "unsupported operand"),
        (lambda: D(3) + 2.5, TypeError, "unsupported operand"),
        (lambda: D(3) // 0, ZeroDivisionError, "division"),
    ],
)
def test_dimension_arithmetic_errors(expr, error, match):
    with pytest.raises(error, match=match):
        expr()


@pytest.mark.parametrize(
    ("a", "b", "compatible", "merged"),
    [(3, 3, True, 3), (3, None, True, 3), (None, 5, True, 5), (None, None, True, None),
     (3, 4, False, None)],
)  # fmt: skip
def test_dimension_compatibility_and_merge(a, b, compatible, merged):
    assert D(a).is_compatible_with(b) is compatible
    if compatible:
        assert D(a).merge_with(b).value == merged
        D(a).assert_is_compatible_with(b)
    else:
        with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
            D(a).merge_with(b)
        with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
            D(a).assert_is_compatible_with(b)


def test_dimension_hash_sort_pickle():
    assert hash(D(3)) == hash(3)
    assert [d.value for d in sorted([D(3), D(1)])] == [1, 3]
    assert pickle.loads(pickle.dumps(D(3))).value == 3


def test_dimension_helpers():
    assert as_dimension(3).value == 3 and as_dimension(None).value is None
    d = D(3)
    assert as_dimension(d) is d
    assert (dimension_value(D(3)), dimension_value(D(None)), dimension_value(7)) == (3, None, 7)
    assert dimension_at_index(S([2, 3]), 1).value == 3
    assert dimension_at_index(UNKNOWN, 4).value is None


# --- TensorShape ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "rep", "text"),
    [
        (S([2, None]), "TensorShape([Dimension(2), Dimension(None)])", "(2, ?)"),
        (S([3]), "TensorShape([Dimension(3)])", "(3,)"),
        (S([]), "TensorShape([])", "()"),
        (UNKNOWN, "TensorShape(None)", "<unknown>"),
    ],
)
def test_shape_repr_and_str(shape, rep, text):
    assert (repr(shape), str(shape)) == (rep, text)


@pytest.mark.parametrize(
    ("dims", "as_list"),
    [([2, None], [2, None]), ((2, 3), [2, 3]), (3, [3]), (np.int64(3), [3]),
     (np.array([2, 3]), [2, 3]), (range(3), [0, 1, 2]), ([D(2), None], [2, None]),
     (S([4]), [4]), ([np.int32(2)], [2]), (iter([1, 2]), [1, 2])],
)  # fmt: skip
def test_shape_construction(dims, as_list):
    shape = S(dims)
    assert shape.as_list() == as_list
    assert all(type(d) is int or d is None for d in shape.as_list())


@pytest.mark.parametrize(
    ("dims", "error", "match"),
    [
        (["a", 2], TypeError, "Failed to convert \\['a', 2\\] to a shape.*got value 'a'"),
        ([2.0], TypeError, "must be integer or None"),
        ("ab", TypeError, "Failed to convert 'ab' to a shape"),
        ([[1]], TypeError, "iterable of dimensions"),
        (2.0, TypeError, "must be integer or None"),
        ([-1], ValueError, "Dimension -1 must be >= 0"),
    ],
)
def test_shape_construction_errors(dims, error, match):
    with pytest.raises(error, match=match):
        S(dims)


def test_shape_dims_rank_len_iter():
    shape = S([2, None])
    assert repr(shape.dims) == "[Dimension(2), Dimension(None)]"
    assert (shape.ndims, shape.rank, len(shape)) == (2, 2, 2)
    assert [type(d) for d in shape] == [Dimension, Dimension]
    assert 2 in shape
    assert (UNKNOWN.dims, UNKNOWN.ndims, UNKNOWN.rank, S([]).dims) == (None, None, None, [])
    with pytest.raises(ValueError, match="Cannot take the length of shape with unknown rank"):
        len(UNKNOWN)
    with pytest.raises(ValueError, match="Cannot iterate over a shape with unknown rank"):
        iter(UNKNOWN)
    with pytest.raises(ValueError, match="as_list\\(\\) is not defined on an unknown TensorShape"):
        UNKNOWN.as_list()


@pytest.mark.parametrize(
    ("shape", "key", "expected"),
    [
        (S([2, None]), 0, "Dimension(2)"),
        (S([2, None]), -1, "Dimension(None)"),
        (S([2, 3]), D(1), "Dimension(3)"),
        (S([2, 3]), np.int64(1), "Dimension(3)"),
        (S([2, 3, 4]), slice(1, None), "TensorShape([Dimension(3), Dimension(4)])"),
        (S([2, 3, 4]), slice(None, None, 2), "TensorShape([Dimension(2), Dimension(4)])"),
        (S([2, 3]), slice(None, None, -1), "TensorShape([Dimension(3), Dimension(2)])"),
        (UNKNOWN, 0, "Dimension(None)"),
        (UNKNOWN, -1, "Dimension(None)"),
        (UNKNOWN, slice(1, None), "TensorShape(None)"),
        (UNKNOWN, slice(None, 2), "TensorShape([Dimension(None), Dimension(None)])"),
        (UNKNOWN, slice(1, 3), "TensorShape([Dimension(None), Dimension(None)])"),
        (UNKNOWN, slice(-1, None), "TensorShape(None)"),
        (UNKNOWN, slice(-3, -1), "TensorShape(None)"),
        (UNKNOWN, slice(2, 1), "TensorShape([])"),
    ],
)
def test_shape_getitem(shape, key, expected):
    assert repr(shape[key]) == expected


def test_shape_getitem_errors():
    with pytest.raises(IndexError):
        S([2, None])[5]
    with pytest.raises(TypeError):
        S([2, 3])["a"]
    with pytest.raises(ValueError, match="Steps are not yet handled"):
        UNKNOWN[::2]


@pytest.mark.parametrize(
    ("shape", "fully_defined", "num_elements"),
    [(S([2, 3]), True, 6), (S([]), True, 1), (S([2, 0]), True, 0), (S([2, None]), False, None),
     (UNKNOWN, False, None)],
)  # fmt: skip
def test_fully_defined_and_num_elements(shape, fully_defined, num_elements):
    assert shape.is_fully_defined() is fully_defined
    assert shape.num_elements() == num_elements
    if not fully_defined:
        with pytest.raises(ValueError, match=re.escape(f"Shape {shape} is not fully defined")):
            shape.assert_is_fully_defined()


@pytest.mark.parametrize(
    ("a", "b", "compatible", "merged", "most_specific"),
    [
        ([2, 3], [2, None], True, [2, 3], [2, None]),
        ([2, None], [None, 4], True, [2, 4], [None, None]),
        ([2, 3], None, True, [2, 3], None),
        (None, [1], True, [1], None),
        (None, None, True, None, None),
        ([2, 3], [2, 3], True, [2, 3], [2, 3]),
        ([2, 3], [2, 4], False, None, [2, None]),
        ([2, 3], [2], False, None, None),
        ([], [], True, [], []),
    ],
)
def test_compatible_merge_most_specific(a, b, compatible, merged, most_specific):
    assert S(a).is_compatible_with(b) is compatible
    assert S(a).most_specific_compatible_shape(b) == S(most_specific)
    if compatible:
        assert S(a).merge_with(b) == S(merged)
        S(a).assert_is_compatible_with(b)
    else:
        with pytest.raises(
            ValueError, match=re.escape(f"Shapes {S(a)} and {S(b)} are not compatible")
        ):
            S(a).merge_with(b)
        with pytest.raises(
            ValueError, match=re.escape(f"Shapes {S(a)} and {S(b)} are incompatible")
        ):
            S(a).assert_is_compatible_with(b)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (lambda: S([2, 3]).concatenate([4]), [2, 3, 4]),
        (lambda: S([2, 3]).concatenate(3), [2, 3, 3]),
        (lambda: S([2, 3]).concatenate(UNKNOWN), None),
        (lambda: UNKNOWN.concatenate([1]), None),
        (lambda: S([2]) + S([3]), [2, 3]),
        (lambda: S([2]) + [3], [2, 3]),
        (lambda: [3] + S([2]), [3, 2]),
        (lambda: S([2]).__concat__([3]), [2, 3]),
        (lambda: S([2, 3]).with_rank(2), [2, 3]),
        (lambda: UNKNOWN.with_rank(2), [None, None]),
        (lambda: S([2, 3]).with_rank_at_least(1), [2, 3]),
        (lambda: S([2, 3]).with_rank_at_most(2), [2, 3]),
        (lambda: UNKNOWN.with_rank_at_least(2), None),
        (lambda: unknown_shape(), None),
        (lambda: unknown_shape(rank=2), [None, None]),
        (lambda: as_shape([2]), [2]),
        (lambda: as_shape(None), None),
    ],
)
def test_shape_builders(expr, expected):
    assert expr() == S(expected)


@pytest.mark.parametrize(
    ("expr", "match"),
    [
        (lambda: S([2, 3]).with_rank(3), "Shape \\(2, 3\\) must have rank 3"),
        (lambda: S([2, 3]).assert_has_rank(3), "Shape \\(2, 3\\) must have rank 3"),
        (lambda: S([2, 3]).with_rank_at_least(3), "Shape \\(2, 3\\) must have rank at least 3"),
        (lambda: S([2, 3]).with_rank_at_most(1), "Shape \\(2, 3\\) must have rank at most 1"),
        (
            lambda: S([2, 3]).assert_same_rank([1, 2, 3]),
            "Shapes \\(2, 3\\) and \\(1, 2, 3\\) must have the same rank",
        ),
    ],
)
def test_rank_errors(expr, match):
    with pytest.raises(ValueError, match=match):
        expr()


def test_rank_assertions_pass():
    S([2, 3]).assert_has_rank(2)
    UNKNOWN.assert_has_rank(5)
    S([2, 3]).assert_same_rank(UNKNOWN)
    S([2, 3]).assert_same_rank([4, 5])


def test_as_shape_returns_the_same_object():
    shape = S([1])
    assert as_shape(shape) is shape


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        (S([None]), S([None]), True),
        (S([2]), S([2]), True),
        (S([2]), [2], True),
        (S([2]), (2,), True),
        (S([2, 3]), np.array([2, 3]), True),
        (UNKNOWN, S(None), True),
        (UNKNOWN, S([1]), False),
        (S([]), UNKNOWN, False),
        (S([2, 3]), S([2, None]), False),
        (S([2]), "a", False),
        (S([2]), None, False),
        (S([2]), [None], False),
    ],
)
def test_shape_equality(a, b, equal):
    assert (a == b) is equal
    assert (a != b) is not equal


def test_shape_hash_bool_pickle():
    assert hash(S([2, None])) == hash((2, None)) and hash(UNKNOWN) == hash(None)
    assert {S([2]): 1}[S((2,))] == 1
    assert (bool(S([])), bool(S([0])), bool(UNKNOWN)) == (True, True, False)
    for shape in (S([2, None]), UNKNOWN, S([])):
        assert pickle.loads(pickle.dumps(shape)) == shape


# --- broadcast_shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([None], [4], [4]),
        ([None], [1], [None]),
        ([None], [None], [None]),
        ([1, None], [3, 1], [3, None]),
        ([5, None], [3], [5, 3]),
        ([5, 1], [None], [5, None]),
        ([2, 1, 3], [4, 1], [2, 4, 3]),
        ([None, 1, 3], [4, 1], [None, 4, 3]),
        ([], [2, 3], [2, 3]),
        ([0], [1], [0]),
        (None, [1], None),
        ([2], None, None),
    ],
)
def test_broadcast_shapes(a, b, expected):
    assert broadcast_shapes(a, b) == S(expected)
    assert broadcast_shapes(b, a) == S(expected)


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [
        ([3], [4], "Dimensions must be equal, but are 3 and 4"),
        ([2, 3], [4, 3], "Dimensions must be equal, but are 2 and 4"),
        ([0], [2], "Dimensions must be equal, but are 0 and 2"),
    ],
)
def test_broadcast_shapes_clash(a, b, match):
    with pytest.raises(ValueError, match=match):
        broadcast_shapes(a, b)


known_shapes = st.lists(st.integers(0, 4), max_size=4)
maybe_shapes = st.one_of(st.none(), st.lists(st.one_of(st.none(), st.integers(0, 4)), max_size=4))


@given(known_shapes, known_shapes)
def test_broadcast_shapes_matches_numpy(a, b):
    try:
        expected = np.broadcast_shapes(tuple(a), tuple(b))
    except ValueError:
        with pytest.raises(ValueError, match="Dimensions must be equal"):
            broadcast_shapes(a, b)
    else:
        assert broadcast_shapes(a, b).as_list() == list(expected)


@given(maybe_shapes, maybe_shapes)
def test_merge_with_is_commutative(a, b):
    x, y = S(a), S(b)
    assert x.is_compatible_with(y) is y.is_compatible_with(x)
    if x.is_compatible_with(y):
        assert x.merge_with(y) == y.merge_with(x)
        assert x.merge_with(y).is_compatible_with(x)
    else:
        with pytest.raises(ValueError, match="are not compatible"):
            y.merge_with(x)


@pytest.mark.parametrize(
    ("dims", "text"),
    [
        ([3], "dim {\n  size: 3\n}\n"),
        ([2, None], "dim {\n  size: 2\n}\ndim {\n  size: -1\n}\n"),
        (None, "unknown_rank: true\n"),
        ([], ""),
    ],
)
def test_as_proto_and_back_as_tensorflow(dims, text):
    proto = TensorShape(dims).as_proto()  # TF 2.21's text of each TensorShapeProto
    assert (type(proto).__name__, str(proto)) == ("TensorShapeProto", text)
    back = TensorShape(proto)
    assert back.ndims is None if dims is None else back.as_list() == dims
