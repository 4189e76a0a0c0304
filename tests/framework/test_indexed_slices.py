"""Tests for scopeflow/framework/indexed_slices.py: ``tf.IndexedSlices``'s properties and
text, its conversion to a dense tensor (registered in ops/array/gather.py: TF1's ops and
names, its warning for huge shapes, its errors), what ``Session.run`` returns for one, and the
functions taking one as TF1 does (``tf.add_n``, ``tf.cast``, clipping); and ``tf.unique``.

Expected ops, names and messages are TensorFlow 2.21's own, recorded in
``tests/data/tf_reference/indexed_slices.json`` by ``tools/tf_reference.py``.
"""

from __future__ import annotations

import collections
import warnings

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("indexed_slices")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


@pytest.fixture
def env(graph):
    names = {
        name: tf.placeholder(dtype, shape, name=name) for name, (dtype, shape) in SETUP.items()
    }
    return {"tf": tf, "np": np, **names}


@pytest.fixture
def run(graph):
    with tf.Session(graph=graph) as sess:
        yield sess.run


@pytest.mark.parametrize("expression", list(GROUPS["CONVERSIONS"]))
def test_conversions_build_tf1s_ops(graph, env, expression):
    check_against(graph, env, expression, expected(GROUPS["CONVERSIONS"][expression], None))


@pytest.mark.parametrize("expression", list(GROUPS["CONVERSION_ERRORS"]))
def test_conversion_errors_are_tf1s(graph, env, expression):
    want = expected(GROUPS["CONVERSION_ERRORS"][expression], None)
    check_against(graph, env, expression, want, left=None)


def _slices(dense_shape=(5, 4)):
    values = tf.placeholder(tf.float32, [2, 4], name="values")
    indices = tf.placeholder(tf.int32, [2], name="indices")
    shape = None if dense_shape is None else tf.constant(dense_shape)
    return tf.IndexedSlices(values, indices, shape)


def test_properties_are_the_values_ones():
    slices = _slices()
    assert slices.name == "values:0" and slices.op is slices.values.op
    assert slices.dtype == tf.float32 and slices.graph is tf.get_default_graph()
    assert slices.device == slices.values.device
    assert slices.shape.as_list() == [5, 4]
    assert str(slices) == (
        'IndexedSlices(indices=Tensor("indices:0", shape=(2,), dtype=int32), '
        'values=Tensor("values:0", shape=(2, 4), dtype=float32), '
        'dense_shape=Tensor("Const:0", shape=(2,), dtype=int32))'
    )
    assert repr(slices).startswith("<scopeflow.framework.indexed_slices.IndexedSlices object")


def test_static_shape_follows_what_dense_shape_tells():
    assert _slices(None).shape.ndims is None
    u = tf.placeholder(tf.float32, [None, 4])
    assert tf.IndexedSlices(u, tf.constant([0]), tf.shape(u)).shape.as_list() == [None, 4]
    fed = tf.placeholder(tf.int32, [3])
    assert tf.IndexedSlices(u, tf.constant([0]), fed).shape.as_list() == [None, None, None]


def test_negation_keeps_indices(run):
    slices = _slices()
    negated = -slices
    assert negated.indices is slices.indices and negated.dense_shape is slices.dense_shape
    feeds = {slices.values: np.ones((2, 4)), slices.indices: [0, 3]}
    np.testing.assert_array_equal(run(negated.values, feeds), -np.ones((2, 4)))


def test_dense_value_adds_repeated_rows(run):
    slices = _slices()
    dense = tf.convert_to_tensor(slices)
    assert dense.shape.as_list() == [5, 4]
    values = np.arange(8, dtype=np.float32).reshape(2, 4)
    got = run(dense, {slices.values: values, slices.indices: [3, 3]})
    want = np.zeros((5, 4), np.float32)
    want[3] = values.sum(0)
    np.testing.assert_array_equal(got, want)


def test_making_a_huge_one_dense_warns_as_tf1_does():
    big = tf.IndexedSlices(tf.ones([1, 4]), tf.constant([0]), tf.constant([25_000_000, 4]))
    with pytest.warns(UserWarning, match="dense Tensor with 100000000 elements"):
        tf.convert_to_tensor(big)
    below = tf.IndexedSlices(tf.ones([1, 4]), tf.constant([0]), tf.constant([24_999_999, 4]))
    unknown = tf.IndexedSlices(tf.ones([1, 4]), tf.constant([0]), tf.placeholder(tf.int32, [2]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # TF 2.21 warns about neither
        tf.convert_to_tensor(below)
        tf.convert_to_tensor(unknown)


def test_convert_to_tensor_or_indexed_slices_keeps_them():
    slices = _slices()
    assert tf.convert_to_tensor_or_indexed_slices(slices) is slices
    assert tf.convert_to_tensor_or_indexed_slices(slices, tf.float32) is slices
    with pytest.raises(ValueError, match="Incompatible tensor conversion requested to `dtype`"):
        tf.convert_to_tensor_or_indexed_slices(slices, tf.int32)
    assert isinstance(tf.convert_to_tensor_or_indexed_slices([1.0]), tf.Tensor)


# -- what Session.run returns --------------------------------------------------------------


def test_run_returns_an_indexed_slices_value_in_any_structure(run):
    slices = _slices()
    feeds = {slices.values: np.ones((2, 4)), slices.indices: [4, 1]}
    value = run(slices, feeds)
    assert isinstance(value, tf.IndexedSlicesValue)
    assert value._fields == ("values", "indices", "dense_shape")
    np.testing.assert_array_equal(value.indices, [4, 1])
    np.testing.assert_array_equal(value.dense_shape, [5, 4])
    Pair = collections.namedtuple("Pair", "slices extra")
    nested = run({"a": [Pair(slices, slices.indices)]}, feeds)
    assert isinstance(nested["a"][0].slices, tf.IndexedSlicesValue)
    np.testing.assert_array_equal(nested["a"][0].extra, [4, 1])


def test_run_gives_none_for_a_missing_dense_shape(run):
    slices = _slices(None)
    value = run(slices, {slices.values: np.ones((2, 4)), slices.indices: [0, 1]})
    assert value.dense_shape is None and value.values.shape == (2, 4)


def test_feeding_one_feeds_its_tensors(run):
    values = tf.placeholder(tf.float32, [None, 2])
    indices = tf.placeholder(tf.int32, [None])
    shape = tf.placeholder(tf.int32, [2])
    slices = tf.IndexedSlices(values, indices, shape)
    dense = tf.convert_to_tensor(slices)
    fed = tf.IndexedSlicesValue(np.ones((1, 2)), [1], [3, 2])
    for value in (fed, (np.ones((1, 2)), [1], [3, 2])):
        np.testing.assert_array_equal(run(dense, {slices: value}), [[0, 0], [1, 1], [0, 0]])
    no_shape = tf.IndexedSlices(values, indices)
    np.testing.assert_array_equal(run(values, {no_shape: ([[2.0, 2.0]], [0])}), [[2, 2]])
    with pytest.raises(TypeError, match="Cannot feed value 3 to an IndexedSlices"):
        run(dense, {slices: 3})
    with pytest.raises(ValueError, match="Cannot feed value of shape"):
        run(dense, {slices: (1, 2)})  # paired as TF1 pairs them: values = 1


# -- functions taking IndexedSlices ----------------------------------------------------------


def test_cast_keeps_the_indices(run):
    slices = _slices()
    cast = tf.cast(slices, tf.float64)
    assert isinstance(cast, tf.IndexedSlices) and cast.indices is slices.indices
    assert tf.cast(slices, tf.float32) is slices
    feeds = {slices.values: np.ones((2, 4)), slices.indices: [0, 1]}
    assert run(cast.values, feeds).dtype == np.float64


def test_clipping_scales_the_values_and_keeps_the_indices(run):
    slices = _slices()
    t = tf.placeholder(tf.float32, [3])
    (clipped, none, dense), norm = tf.clip_by_global_norm([slices, None, t], 2.5)
    by_norm = tf.clip_by_norm(slices, 1.0)
    by_value = tf.clip_by_value(slices, -0.5, 0.5)
    for result in (clipped, by_norm, by_value):
        assert isinstance(result, tf.IndexedSlices) and result.indices is slices.indices
    assert none is None and isinstance(dense, tf.Tensor)
    values = np.full((2, 4), 1.0, np.float32)  # norm sqrt(8 + 1) = 3 with t = [1, 0, 0]
    feeds = {slices.values: values, slices.indices: [1, 1], t: [1.0, 0.0, 0.0]}
    got = run([clipped.values, dense, norm, by_norm.values, by_value.values], feeds)
    np.testing.assert_allclose(got[0], values * 2.5 / 3, rtol=1e-6)
    np.testing.assert_allclose(got[1], [2.5 / 3, 0, 0], rtol=1e-6)
    np.testing.assert_allclose(got[2], 3.0, rtol=1e-6)
    np.testing.assert_allclose(got[3], values / np.sqrt(8), rtol=1e-6)
    np.testing.assert_array_equal(got[4], np.full((2, 4), 0.5))


# -- tf.unique ---------------------------------------------------------------------------------

UNIQUE = [
    Case("unique", "Unique", lambda x: list(tf.unique(x)), (np.array([4, 1, 4, 7, 1], np.int32),),
         [np.array([4, 1, 7], np.int32), np.array([0, 1, 0, 2, 1], np.int32)],
         modes=("full", "dims"), exact_static=False),
    Case("unique-int64-idx", "Unique", lambda x: list(tf.unique(x, out_idx=tf.int64)),
         (np.array([2.5, -1.0, 2.5]),),
         [np.array([2.5, -1.0]), np.array([0, 1, 0], np.int64)], modes=("full", "dims"),
         exact_static=False),
    Case("unique-empty", "Unique", lambda x: list(tf.unique(x)), (np.zeros(0, np.int64),),
         [np.zeros(0, np.int64), np.zeros(0, np.int32)], modes=("full", "dims"),
         exact_static=False),
    Case("unique-strings", "Unique", lambda x: list(tf.unique(x)),
         (np.array([b"b", b"a", b"b"], object),),
         [np.array([b"b", b"a"], object), np.array([0, 1, 0], np.int32)], modes=("full", "dims"),
         exact_static=False),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(UNIQUE))
def test_unique_kernel(run, case, mode):
    check_case(run, case, mode)


def test_unique_returns_tf1s_named_pair():
    result = tf.unique([3, 3])
    assert type(result).__name__ == "Unique" and result._fields == ("y", "idx")
    assert result.idx.shape.as_list() == [2] and result.y.shape.as_list() == [None]
