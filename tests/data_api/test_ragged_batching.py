"""Tests for scopeflow/data/ragged_batching.py and ragged_variant.py: ``Dataset.ragged_batch``,
``tf.data.experimental.dense_to_ragged_batch`` and ragged components of datasets
(``RaggedTensorToVariant`` / ``RaggedTensorFromVariant``). Every expected op name, spec, value
and message is TF 2.21's (compat.v1 graph mode, the same pipelines run there)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

D = tf.data.Dataset
R = tf.raw_ops


def _all(dataset) -> list:
    nxt = tf.data.make_one_shot_iterator(dataset).get_next()
    out = []
    with tf.Session() as sess:
        try:
            while True:
                out.append(sess.run(nxt))
        except tf.errors.OutOfRangeError:
            return out


def _lists(values) -> list:
    return [v.to_list() for v in values]


def test_ragged_batch_builds_tfs_ops_and_specs(graph):
    rb = D.range(5).map(tf.range).ragged_batch(2)
    assert [(op.name, op.type) for op in graph.get_operations()[-4:]] == [
        ("MapDataset_1", "MapDataset"),
        ("batch_size", "Const"),
        ("drop_remainder", "Const"),
        ("BatchDatasetV2", "BatchDatasetV2"),
    ]
    spec = tf.RaggedTensorSpec([None, None], tf.int64, 1, tf.int64)
    assert rb.element_spec == spec and tf.data.get_output_classes(rb) == spec
    assert tf.data.get_output_types(rb) == tf.int64
    assert tf.data.get_output_shapes(rb).as_list() == [None, None]
    nxt = rb.make_one_shot_iterator().get_next()
    assert nxt.values.name == "RaggedFromVariant/RaggedTensorFromVariant:1"
    assert nxt.row_splits.name == "RaggedFromVariant/RaggedTensorFromVariant:0"
    with tf.Session() as sess:
        got = [sess.run(nxt).to_list() for _ in range(3)]
    assert got == [[[], [0]], [[0, 1], [0, 1, 2]], [[0, 1, 2, 3]]]


def test_components_of_fixed_shape_stay_dense(graph):
    ds = D.range(1, 4).map(lambda x: (tf.fill([x, 2], tf.cast(x, tf.float32)), tf.range(x), x))
    rb = ds.ragged_batch(2, row_splits_dtype=tf.int32)
    assert rb.element_spec == (
        tf.RaggedTensorSpec([None, None, 2], tf.float32, 1, tf.int32),
        tf.RaggedTensorSpec([None, None], tf.int64, 1, tf.int32),
        tf.TensorSpec([None], tf.int64),
    )
    (fills, ranges, xs), _ = _all(rb)
    np.testing.assert_array_equal(fills.values, [[1.0, 1.0], [2.0, 2.0], [2.0, 2.0]])
    assert fills.row_splits.tolist() == [0, 1, 3] and fills.row_splits.dtype == np.int32
    assert ranges.to_list() == [[0], [0, 1]] and xs.tolist() == [1, 2]


def test_unknown_inner_dimensions_become_ragged(graph):
    squares = D.range(1, 4).map(lambda x: tf.reshape(tf.range(x * x), tf.stack([x, x])))
    rb = squares.ragged_batch(2)
    assert rb.element_spec == tf.RaggedTensorSpec([None, None, None], tf.int64, 2)
    assert _lists(_all(rb)) == [[[[0]], [[0, 1], [2, 3]]], [[[0, 1, 2], [3, 4, 5], [6, 7, 8]]]]
    rows = D.range(1, 4).map(lambda x: tf.reshape(tf.range(x * 3), [-1, 3])).ragged_batch(3)
    assert rows.element_spec == tf.RaggedTensorSpec([None, None, 3], tf.int64, 1)
    (batch,) = _all(rows)
    assert batch.row_splits.tolist() == [0, 1, 3, 6] and batch.values.shape == (6, 3)


def test_ragged_components_gain_a_ragged_dimension(graph):
    twice = D.range(1, 6).map(tf.range).ragged_batch(2).ragged_batch(2, drop_remainder=True)
    assert twice.element_spec == tf.RaggedTensorSpec([2, None, None], tf.int64, 2)
    assert _lists(_all(twice)) == [[[[0], [0, 1]], [[0, 1, 2], [0, 1, 2, 3]]]]


def test_map_functions_take_and_give_ragged_tensors(graph):
    padded = D.range(1, 6).map(tf.range).apply(tf.data.experimental.dense_to_ragged_batch(2))
    first = _all(padded.map(lambda r: r.to_tensor()))[0]
    assert first.tolist() == [[0, 0], [0, 1]]
    doubled = D.range(1, 4).map(lambda x: {"a": tf.range(x), "b": x}).ragged_batch(2)
    doubled = doubled.map(lambda d: d["a"] * 2)
    assert doubled.element_spec == tf.RaggedTensorSpec([None, None], tf.int64, 1)
    assert _lists(_all(doubled)) == [[[0], [0, 2]], [[0, 2, 4]]]


def test_unbatch_and_strings_and_empty_rows(graph):
    rows = D.range(1, 4).map(tf.range).ragged_batch(2).unbatch()
    assert rows.element_spec == tf.RaggedTensorSpec([None], tf.int64, 0)
    assert [r.tolist() for r in _all(rows)] == [[0], [0, 1], [0, 1, 2]]
    words = D.from_tensor_slices([["a", "b"], ["c", "d"]]).map(
        lambda t: tf.strings.split(t[:1], "x").values
    )
    assert _lists(_all(words.ragged_batch(2))) == [[[b"a"], [b"c"]]]
    (batch,) = _all(D.range(3).map(tf.range).ragged_batch(5))
    assert batch.row_splits.tolist() == [0, 0, 1, 3]


def test_datasets_of_ragged_tensors(graph):
    rt = tf.ragged.constant([[1, 2], [], [3]])
    before = len(graph.get_operations())
    rows = D.from_tensor_slices(rt)
    assert [(op.name, op.type) for op in graph.get_operations()[before:]] == [
        ("RaggedToVariant/RaggedTensorToVariant", "RaggedTensorToVariant"),
        ("TensorSliceDataset", "TensorSliceDataset"),
    ]
    assert rows.element_spec == tf.RaggedTensorSpec([None], tf.int32, 0)
    nxt = rows.make_one_shot_iterator().get_next()  # ragged rank 0: a dense tensor
    assert nxt.name == "RaggedFromVariant/RaggedTensorFromVariant:0"
    assert [r.tolist() for r in _all(rows)] == [[1, 2], [], [3]]
    assert _lists(_all(rows.batch(2))) == [[[1, 2], []], [[3]]]
    whole = D.from_tensors(rt)
    assert graph.get_operations()[-2].name == "RaggedToVariant_1/RaggedTensorToVariant"
    assert whole.element_spec == tf.RaggedTensorSpec([3, None], tf.int32, 1)
    assert _lists(_all(whole)) == [[[1, 2], [], [3]]]
    pairs = D.from_tensor_slices((tf.ragged.constant([[[1], [2, 3]], [[4]]]), [7, 8]))
    assert pairs.element_spec[0] == tf.RaggedTensorSpec([None, None], tf.int32, 1)
    (first, seven), (second, eight) = _all(pairs)
    assert first.to_list() == [[1], [2, 3]] and second.to_list() == [[4]]
    assert (seven, eight) == (7, 8)


def test_unbatch_of_ragged_elements(graph):
    rt = tf.ragged.constant([[1, 2], [], [3], [4, 5, 6]])
    scalars = D.from_tensor_slices(rt).unbatch()  # rows of ragged rank 0: TF's rank -1 spec
    assert scalars.element_spec == tf.RaggedTensorSpec([], tf.int32, -1)
    assert [v.tolist() for v in _all(scalars)] == [1, 2, 3, 4, 5, 6]
    assert [v.tolist() for v in _all(scalars.batch(4))] == [[1, 2, 3, 4], [5, 6]]
    assert scalars.map(lambda v: v * 10).element_spec == tf.TensorSpec([], tf.int32)
    rows = D.from_tensors(rt).unbatch()
    assert rows.element_spec == tf.RaggedTensorSpec([None], tf.int32, 0)
    assert [v.tolist() for v in _all(rows)] == [[1, 2], [], [3], [4, 5, 6]]
    made = D.range(1, 3).map(
        lambda x: tf.RaggedTensor.from_row_lengths(tf.range(x * 2), tf.stack([x, x]))
    )
    assert [v.tolist() for v in _all(made.unbatch())] == [[0], [1], [0, 1], [2, 3]]
    nested = D.from_tensors(tf.ragged.constant([[[1], [2, 3]], [[4]]])).unbatch().unbatch()
    assert [v.tolist() for v in _all(nested)] == [[1], [2, 3], [4]]


def test_padded_batch_of_ragged_elements_is_a_type_error(graph):
    with pytest.raises(TypeError, match="`padded_batch` is only supported for datasets"):
        D.range(1, 4).map(tf.range).ragged_batch(2).padded_batch(2)


def test_a_given_input_ragged_rank_must_fit_the_encoded_rank(graph):
    rt = tf.ragged.constant([[1, 2], [3]])
    v = R.RaggedTensorToVariant(
        rt_nested_splits=[rt.row_splits], rt_dense_values=rt.values, batched_input=True
    )
    assert v.shape.as_list() == [2]
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1"):
        R.RaggedTensorFromVariant(
            encoded_ragged=v, input_ragged_rank=1, output_ragged_rank=3, Tvalues=tf.int32
        )


# [[[1, 2], [3]], [], [[4], [5, 6, 7]]]: nested splits and flat values
S0, S1 = np.int64([0, 2, 2, 4]), np.int64([0, 2, 3, 4, 7])
VALS = np.int32([1, 2, 3, 4, 5, 6, 7])


def _round_trip(batched: bool, input_rank: int, output_rank: int, values_dtype=tf.int32):
    def build(s0, s1, vals):
        v = R.RaggedTensorToVariant(
            rt_nested_splits=[s0, s1], rt_dense_values=vals, batched_input=batched
        )
        out = R.RaggedTensorFromVariant(
            encoded_ragged=v,
            input_ragged_rank=input_rank,
            output_ragged_rank=output_rank,
            Tvalues=values_dtype,
        )
        return [*out.output_nested_splits, out.output_dense_values]

    return build


def _uniform(s0, s1, vals):  # a 2 x 2 array of the same encoded tensor
    v = R.RaggedTensorToVariant(
        rt_nested_splits=[s0, s1], rt_dense_values=vals, batched_input=False
    )
    grid = tf.reshape(tf.stack([v, v, v, v]), [2, 2])
    out = R.RaggedTensorFromVariant(
        encoded_ragged=grid, input_ragged_rank=2, output_ragged_rank=4, Tvalues=tf.int32
    )
    return [*out.output_nested_splits, out.output_dense_values]


def _dense_rows(s0, s1, vals, rank=1):  # a dense matrix's rows, batched (ragged rank 0)
    v = R.RaggedTensorToVariant(
        rt_nested_splits=[], rt_dense_values=tf.reshape(vals[:6], [3, 2]), batched_input=True
    )
    out = R.RaggedTensorFromVariant(
        encoded_ragged=v, input_ragged_rank=-1, output_ragged_rank=rank, Tvalues=tf.int32
    )
    return [*out.output_nested_splits, out.output_dense_values]


G = "RaggedTensorFromVariant"
CASES = [
    Case("batched", G, _round_trip(True, 1, 2), (S0, S1, VALS), [S0, S1, VALS],
         exact_static=False),
    Case("scalar", G, _round_trip(False, -1, 2), (S0, S1, VALS), [S0, S1, VALS],
         exact_static=False),
    Case("uniform", G, _uniform, (S0, S1, VALS),
         [np.int64([0, 2, 4]), np.int64([0, 3, 6, 9, 12]),
          np.int64([0, 2, 2, 4, 6, 6, 8, 10, 10, 12, 14, 14, 16]),
          np.int64([0, 2, 3, 4, 7, 9, 10, 11, 14, 16, 17, 18, 21, 23, 24, 25, 28]),
          np.tile(VALS, 4)], exact_static=False),
    Case("dense-rows", G, _dense_rows, (S0, S1, VALS),
         [np.int64([0, 2, 4, 6]), VALS[:6]], exact_static=False),
    Case("dense-rows-stacked", G, lambda *a: _dense_rows(*a, rank=0), (S0, S1, VALS),
         [VALS[:6].reshape(3, 2)], exact_static=False),
    Case("ragged-rank-mismatch", G, _round_trip(True, -1, 1), (S0, S1, VALS),
         Raises(tf.errors.InvalidArgumentError,
                "Encoded input RaggedTensorVariant has ragged_rank=1.  Expected ragged_rank=0.")),
    Case("dtype-mismatch", G, _round_trip(True, -1, 2, tf.float32), (S0, S1, VALS),
         Raises(tf.errors.InvalidArgumentError,
                "Expected values Tensor dtype: float, found: int32")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(graph, case, mode):
    with tf.Session(graph=graph) as sess:
        check_case(sess.run, case, mode)
