"""Tests for scopeflow/ragged/tensor.py, partition.py, conversions.py and indexing.py: the
factories with their checks, the components, to_tensor/to_sparse, __getitem__, merge_dims,
Session.run's RaggedTensorValue and feeding a ragged placeholder. Every expected value, name
and message is TF 2.21's (compat.v1, graph mode) for the same expression."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

RT = tf.RaggedTensor


def _rt():
    return tf.ragged.constant([[1, 2], [3], []])


def _rt2():
    return tf.ragged.constant([[[1, 2], [3]], [[4]], []])


def _rti():
    return tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]], []], ragged_rank=1)


VALUES = {
    "splits_int32": (lambda: RT.from_row_splits([1, 2, 3], tf.constant([0, 3])), [[1, 2, 3]]),
    "rowids_nrows": (
        lambda: RT.from_value_rowids([1, 2, 3], [0, 0, 2], nrows=5),
        [[1, 2], [], [3], [], []],
    ),
    "row_lengths": (lambda: RT.from_row_lengths([1, 2, 3, 4], [1, 0, 3]), [[1], [], [2, 3, 4]]),
    "row_starts": (lambda: RT.from_row_starts([1, 2, 3, 4], [0, 1, 1]), [[1], [], [2, 3, 4]]),
    "row_limits": (lambda: RT.from_row_limits([1, 2, 3, 4], [1, 1, 4]), [[1], [], [2, 3, 4]]),
    "nested_splits": (
        lambda: RT.from_nested_row_splits([1, 2, 3, 4], [[0, 2, 3], [0, 1, 1, 4]]),
        [[[1], []], [[2, 3, 4]]],
    ),
    "nested_lengths": (
        lambda: RT.from_nested_row_lengths([1, 2, 3, 4], [[2, 1], [1, 0, 3]]),
        [[[1], []], [[2, 3, 4]]],
    ),
    "nested_rowids": (
        lambda: RT.from_nested_value_rowids([1, 2, 3, 4], [[0, 0, 1], [0, 2, 2, 2]]),
        [[[1], []], [[2, 3, 4]]],
    ),
    "from_tensor_padding": (
        lambda: RT.from_tensor([[1, 2, 0], [3, 0, 0], [0, 0, 0]], padding=0),
        [[1, 2], [3], []],
    ),
    "from_tensor": (lambda: RT.from_tensor([[1, 2, 0], [3, 0, 0]]), [[1, 2, 0], [3, 0, 0]]),
    "from_tensor_lengths": (
        lambda: RT.from_tensor([[1, 2, 0], [3, 0, 0]], lengths=[2, 1]),
        [[1, 2], [3]],
    ),
    "from_tensor_rank2": (
        lambda: RT.from_tensor([[[1, 2], [0, 0]], [[3, 0], [0, 0]]], padding=0, ragged_rank=2),
        [[[1, 2], []], [[3], []]],
    ),
    "from_tensor_inner_padding": (
        lambda: RT.from_tensor([[[1, 2], [0, 0]], [[3, 0], [0, 0]]], padding=[0, 0]),
        [[[1, 2]], [[3, 0]]],
    ),
    "from_tensor_rank2_plain": (
        lambda: RT.from_tensor(np.arange(8).reshape(2, 2, 2), ragged_rank=2),
        [[[0, 1], [2, 3]], [[4, 5], [6, 7]]],
    ),
    "from_sparse": (
        lambda: RT.from_sparse(tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [1, 2, 3], [4, 3])),
        [[1, 2], [], [3], []],
    ),
    "bounding_shape": (lambda: _rt2().bounding_shape(), [3, 2, 2]),
    "bounding_shape_inner": (lambda: _rti().bounding_shape(), [3, 2, 2]),
    "bounding_shape_axis": (lambda: _rt2().bounding_shape(axis=1), 2),
    "bounding_shape_empty": (lambda: tf.ragged.constant([[], []]).bounding_shape(), [2, 0]),
    "merge_01": (lambda: _rt2().merge_dims(0, 1), [[1, 2], [3], [4]]),
    "merge_12": (lambda: _rt2().merge_dims(1, 2), [[1, 2, 3], [4], []]),
    "merge_02": (lambda: _rt2().merge_dims(0, 2), [1, 2, 3, 4]),
    "merge_inner_12": (lambda: _rti().merge_dims(1, 2), [[1, 2, 3, 4], [5, 6], []]),
    "merge_inner_01": (lambda: _rti().merge_dims(0, 1), [[1, 2], [3, 4], [5, 6]]),
    "merge_inner_all": (lambda: _rti().merge_dims(0, -1), [1, 2, 3, 4, 5, 6]),
    "row_lengths_axis2": (lambda: _rt2().row_lengths(axis=2), [[2, 1], [1], []]),
    "row_lengths_axis_neg": (lambda: _rt2().row_lengths(axis=-1), [[2, 1], [1], []]),
    "value_rowids": (lambda: _rt().value_rowids(), [0, 0, 1]),
    "nrows": (lambda: _rt().nrows(), 3),
    "row_starts_method": (lambda: _rt().row_starts(), [0, 2, 3]),
    "row": (lambda: _rt()[0], [1, 2]),
    "row_negative": (lambda: _rt()[-1], []),
    "row_of_two_levels": (lambda: _rt2()[0], [[1, 2], [3]]),
    "rows": (lambda: _rt()[1:], [[3], []]),
    "rows_step": (lambda: _rt()[::2], [[1, 2], []]),
    "columns": (lambda: _rt()[:, 1:], [[2], [], []]),
    "columns_to_last": (lambda: _rt()[:, :-1], [[1], [], []]),
    "columns_last": (lambda: _rt()[:, -1:], [[2], [3], []]),
    "columns_step": (lambda: _rt()[:, ::2], [[1], [3], []]),
    "item": (lambda: _rt()[0, 1], 2),
    "row_slice": (lambda: _rt()[0, 1:], [2]),
    "innermost_slice": (lambda: _rt2()[:, :, :1], [[[1], [3]], [[4]], []]),
    "middle_slice": (lambda: _rt2()[:, :1], [[[1, 2]], [[4]], []]),
    "uniform_index": (lambda: _rti()[:, :, 0], [[1, 3], [5], []]),
    "uniform_index_sliced": (lambda: _rti()[:, 1:, 1], [[4], [], []]),
    "newaxis": (lambda: _rt()[tf.newaxis], [[[1, 2], [3], []]]),
    "tensor_index": (lambda: _rt()[tf.constant(1)], [3]),
    "with_values": (lambda: _rt().with_values(tf.constant([1.0, 2, 3])), [[1.0, 2.0], [3.0], []]),
    "with_flat_values": (
        lambda: _rt2().with_flat_values(tf.constant([1.0, 2, 3, 4])),
        [[[1.0, 2.0], [3.0]], [[4.0]], []],
    ),
    "to_tensor_wider": (lambda: _rt().to_tensor(shape=[None, 3]), [[1, 2, 0], [3, 0, 0], [0] * 3]),
    "segment_ids_to_row_splits": (
        lambda: tf.ragged.segment_ids_to_row_splits([0, 0, 2]),
        [0, 2, 2, 3],
    ),
    "segment_ids_to_row_splits_n": (
        lambda: tf.ragged.segment_ids_to_row_splits([0, 0, 2], num_segments=5),
        [0, 2, 2, 3, 3, 3],
    ),
    "row_splits_to_segment_ids": (
        lambda: tf.ragged.row_splits_to_segment_ids([0, 2, 3, 3]),
        [0, 0, 1],
    ),
    "range": (lambda: tf.ragged.range([3, 2, 0]), [[0, 1, 2], [0, 1], []]),
    "range_scalar_start": (lambda: tf.ragged.range(3, [4, 6]), [[3], [3, 4, 5]]),
    "range_scalar": (lambda: tf.ragged.range(3), [[0, 1, 2]]),
}


def _plain(value):
    if hasattr(value, "to_list"):
        return value.to_list()
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return np.asarray(value).tolist()


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values_match_tensorflow(graph, run, name):
    build, expected = VALUES[name]
    assert _plain(run(build())) == expected


RUN_ERRORS = {
    "splits_not_from_zero": (
        lambda: RT.from_row_splits([1, 2, 3], [1, 2, 3]),
        "Arguments to from_row_splits do not form a valid RaggedTensor:zero",
    ),
    "splits_decreasing": (
        lambda: RT.from_row_splits([1, 2, 3], [0, 2, 1, 3]),
        "Arguments to from_row_splits do not form a valid RaggedTensor:monotonic",
    ),
    "splits_past_values": (
        lambda: RT.from_row_splits([1, 2, 3], [0, 2, 4]),
        "Arguments to _from_row_partition do not form a valid RaggedTensor",
    ),
    "lengths_sum": (
        lambda: RT.from_row_lengths([1, 2, 3], [1, 1]),
        "Arguments to _from_row_partition do not form a valid RaggedTensor",
    ),
    "rowids_decreasing": (
        lambda: RT.from_value_rowids([1, 2, 3], [1, 0, 0]),
        "do not form a valid RaggedTensor",
    ),
    "starts_not_from_zero": (
        lambda: RT.from_row_starts([1, 2, 3, 4], [1, 1, 1]),
        "do not form a valid RaggedTensor",
    ),
    "limits_short": (
        lambda: RT.from_row_limits([1, 2, 3, 4], [1, 1, 3]),
        "Arguments to _from_row_partition do not form a valid RaggedTensor",
    ),
    "sparse_with_gap": (
        lambda: RT.from_sparse(tf.SparseTensor([[0, 1]], [1], [4, 3])),
        "SparseTensor is not right-ragged",
    ),
}


@pytest.mark.parametrize("name", sorted(RUN_ERRORS))
def test_invalid_partitions_fail_the_run(graph, run, name):
    build, message = RUN_ERRORS[name]
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        run(build())


BUILD_ERRORS = {
    "splits_rank": (lambda: RT.from_row_splits([1, 2, 3], [[0, 2, 3]]), ValueError, "rank 1"),
    "splits_empty": (
        lambda: RT.from_row_splits([1, 2, 3], []),
        ValueError,
        "row_splits tensor may not be empty.",
    ),
    "splits_float": (
        lambda: RT.from_row_splits([1, 2, 3], [0.0, 3.0]),
        ValueError,
        "row_splits must have dtype int32 or int64",
    ),
    "negative_lengths": (
        lambda: RT.from_row_lengths([1, 2, 3], [4, -1]),
        tf.errors.InvalidArgumentError,
        "Arguments to from_row_lengths do not form a valid RowPartition",
    ),
    "too_few_rows": (
        lambda: RT.from_value_rowids([1, 2, 3], [0, 0, 2], nrows=2),
        ValueError,
        "Expected nrows >= value_rowids[-1] + 1; got nrows=2, value_rowids[-1]=2",
    ),
    "rowids_length": (
        lambda: RT.from_value_rowids([1, 2, 3], [0, 0]),
        ValueError,
        "Shapes (3,) and (2,) are incompatible",
    ),
    "nested_not_a_list": (
        lambda: RT.from_nested_row_splits([1, 2, 3, 4], tf.constant([0, 4])),
        TypeError,
        "Argument `nested_row_splits` must be a list of Tensors.",
    ),
    "lengths_and_padding": (
        lambda: RT.from_tensor([[1]], lengths=[1], padding=0),
        ValueError,
        "Specify argument `lengths` or `padding`, but not both.",
    ),
    "from_vector": (
        lambda: RT.from_tensor([1, 2]),
        ValueError,
        "The rank of a RaggedTensor must be greater than 1",
    ),
    "sparse_rank3": (
        lambda: RT.from_sparse(tf.SparseTensor([[0, 0, 0]], [1], [4, 3, 2])),
        ValueError,
        "rank(st_input) must be 2.",
    ),
    "index_ragged_dimension": (lambda: _rt()[:, 0], ValueError, "Cannot index into an inner"),
    "index_ragged_dimension_2": (lambda: _rt2()[:, :, 0], ValueError, "Cannot index into an"),
    "index_past_rows": (lambda: _rt()[5], ValueError, "slice index 5 of dimension 0 out of bounds"),
    "ellipsis": (lambda: _rt()[..., 0], ValueError, "Cannot index into an inner ragged dimension."),
    "to_tensor_inner_shape": (
        lambda: _rti().to_tensor(shape=[3, 2, 3]),
        ValueError,
        "rt_input.shape and shape=[3,2,3] are incompatible: rt_input.shape[2] = 2 but shape[2] = 3",
    ),
    "private_constructor": (
        lambda: RT(tf.constant([1]), tf.constant([0, 1], tf.int64)),
        ValueError,
        "RaggedTensor constructor is private",
    ),
}


@pytest.mark.parametrize("name", sorted(BUILD_ERRORS))
def test_build_errors_match_tensorflow(graph, name):
    build, error, message = BUILD_ERRORS[name]
    with pytest.raises(error, match=__import__("re").escape(message)):
        build()


def test_names_shapes_and_dtypes_match_tensorflow(graph):
    rt = RT.from_row_splits([1, 2, 3, 4], [0, 2, 4])
    assert rt.values.name == "RaggedFromRowSplits/values:0"
    assert rt.row_splits.name == "RaggedFromRowSplits/control_dependency:0"
    plain = RT.from_row_splits([1, 2, 3, 4], [0, 2, 4], validate=False)
    assert plain.row_splits.name == "RaggedFromRowSplits_1/RowPartitionFromRowSplits/row_splits:0"
    c = tf.ragged.constant([[[1.0, 2], [3]], [[4]]])
    assert (c.flat_values.name, [s.name for s in c.nested_row_splits]) == (
        "RaggedConstant/values:0",
        ["RaggedConstant/Const_1:0", "RaggedConstant/Const:0"],
    )
    assert (c.shape.as_list(), c.dtype, c.ragged_rank, c.row_splits.dtype) == (
        [2, None, None],
        tf.float32,
        2,
        tf.int64,
    )
    assert c.values.shape.as_list() == [3, None]
    assert _rti().shape.as_list() == [3, None, 2]
    dense = _rt().to_tensor(shape=[2, 4], default_value=9)
    assert (dense.name, dense.shape.as_list()) == ("RaggedToTensor/RaggedTensorToTensor:0", [2, 4])
    assert _rt().to_tensor().shape.as_list() == [3, None]
    st = _rt().to_sparse()
    assert st.indices.name == "RaggedToSparse/RaggedTensorToSparse:0"
    r = tf.ragged.range([3, 2])
    assert (r.flat_values.name, r.row_splits.name) == ("RaggedRange:1", "RaggedRange:0")
    assert tf.ragged.constant([]).shape.as_list() == [0]
    assert tf.ragged.constant([[], []]).flat_values.dtype == tf.float32


def test_session_run_gives_ragged_tensor_values(graph, run):
    value = run(tf.ragged.constant([[[1.0, 2], [3]], [[4]]]))
    assert isinstance(value, tf.ragged.RaggedTensorValue)
    assert value.to_list() == [[[1.0, 2.0], [3.0]], [[4.0]]]
    assert (value.shape, value.ragged_rank, value.dtype) == ((2, None, None), 2, np.float32)
    assert value.row_splits.tolist() == [0, 2, 3]
    assert value.flat_values.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert str(value) == "<tf.RaggedTensorValue [[[1.0, 2.0], [3.0]], [[4.0]]]>"
    strings = run(tf.ragged.constant([["a", "b"], ["c"]]))
    assert repr(strings) == (
        "tf.RaggedTensorValue(values=array([b'a', b'b', b'c'], dtype=object), "
        "row_splits=array([0, 2, 3]))"
    )


def test_a_ragged_placeholder_is_fed_a_ragged_value(graph, run):
    x = tf.ragged.placeholder(tf.float32, 1, [])
    assert (x.flat_values.name, x.row_splits.name) == (
        "RaggedPlaceholder/flat_values:0",
        "RaggedPlaceholder/row_splits_0:0",
    )
    value = tf.ragged.RaggedTensorValue(np.float32([1, 2, 3]), np.int64([0, 2, 3]))
    assert run(x + 1, {x: value}).to_list() == [[2.0, 3.0], [4.0]]
    y = tf.ragged.placeholder(tf.int32, 2, [3], name="pp")
    assert (y.shape.as_list(), y.flat_values.shape.as_list()) == ([None, None, None, 3], [None, 3])
    assert [s.name for s in y.nested_row_splits] == ["pp/row_splits_0:0", "pp/row_splits_1:0"]
    with pytest.raises(TypeError, match="RaggedTensorValue"):
        run(x + 1, {x: [[1.0, 2.0], [3.0]]})


def test_constant_value_and_graph_to_list(graph):
    v = tf.ragged.constant_value([[1, 2], [3]], row_splits_dtype="int32")
    assert v.to_list() == [[1, 2], [3]] and v.row_splits.dtype == np.int32
    assert tf.ragged.constant_value([[[1, 2]], []], ragged_rank=1).values.shape == (1, 2)
    with pytest.raises(ValueError, match="to_list can only be used in eager mode"):
        _rt().to_list()
    with pytest.raises(ValueError, match="all scalar values must have the same nesting depth"):
        tf.ragged.constant([1, [2]])
    with pytest.raises(TypeError, match="RaggedTensor is not a dense Tensor"):
        tf.convert_to_tensor(_rt())


def test_static_shapes_match_tensorflow(graph):
    # TF 2.21's static shapes for the same expressions (uniform row lengths included).
    a = RT.from_tensor(np.arange(8).reshape(2, 2, 2), ragged_rank=2)
    assert (a.shape.as_list(), a.values.shape.as_list()) == ([2, 2, 2], [4, 2])
    assert a.to_tensor().shape.as_list() == [2, 2, 2]
    assert RT.from_tensor([[1, 2, 0], [3, 0, 0]]).to_tensor().shape.as_list() == [2, 3]
    assert RT.from_tensor([[1, 2, 0], [3, 0, 0]], padding=0).shape.as_list() == [2, None]
    split = tf.strings.split([["a b", "c"], ["d", "e f"]], result_type="RaggedTensor")
    assert (split.shape.as_list(), split.to_tensor().shape.as_list()) == ([2, 2, None],) * 2
    decoded = tf.strings.unicode_decode([["ab", "c"], ["", "d"]], "UTF-8")
    assert decoded.shape.as_list() == [2, 2, None]
    fed = RT.from_tensor(tf.placeholder(tf.int32, [None, 3]))
    assert (fed.shape.as_list(), fed.to_tensor().shape.as_list()) == ([None, 3], [None, 3])
    x, y = tf.ragged.constant([[1], [2, 3]]), tf.ragged.constant([[4], [5]])
    assert tf.ragged.stack([x, y]).shape.as_list() == [2, None, None]
    assert tf.ragged.stack([x, y], axis=1).shape.as_list() == [2, None, None]
    assert tf.ragged.stack([x, y, x]).shape.as_list() == [3, None, None]
    assert tf.ragged.boolean_mask(x, [True, False]).shape.as_list() == [None, None]
    assert (x[1:].shape.as_list(), x[::2].shape.as_list()) == ([1, None], [1, None])
    sparse = tf.SparseTensor([[0, 0]], [1], [4, 3])
    assert RT.from_sparse(sparse).shape.as_list() == [4, None]
    assert tf.strings.bytes_split(["ab", "c"]).shape.as_list() == [2, None]


def test_uniform_rows_pad_to_their_length_even_without_rows(graph, run):
    x = tf.placeholder(tf.int32, [None, 3])
    dense = RT.from_tensor(x).to_tensor()
    assert run(dense, {x: np.zeros((0, 3), np.int32)}).shape == (0, 3)


BACKWARDS = {
    "[:, ::-1]": [[4, 3, 2, 1], [5], [], [7, 6]],
    "[:, ::-2]": [[4, 2], [5], [], [7]],
    "[:, 2::-1]": [[3, 2, 1], [5], [], [7, 6]],
    "[:, -2::-1]": [[3, 2, 1], [], [], [6]],
    "[:, :0:-1]": [[4, 3, 2], [], [], [7]],
    "[:, 1:3:-1]": [[], [], [], []],
    "[:, 3:1:-1]": [[4, 3], [], [], []],
    "[:, -1:-3:-1]": [[4, 3], [5], [], [7, 6]],
    "[:, 1::2]": [[2, 4], [], [], [7]],
    "[::-1]": [[6, 7], [], [5], [1, 2, 3, 4]],
    "[::-2]": [[6, 7], [5]],
}


@pytest.mark.parametrize("key", sorted(BACKWARDS))
def test_steps_in_slices_match_tensorflow(graph, run, key):
    rt = tf.ragged.constant([[1, 2, 3, 4], [5], [], [6, 7]])  # noqa: F841 - used by eval
    assert run(eval("rt" + key)).to_list() == BACKWARDS[key]


def test_backward_slices_of_two_levels_match_tensorflow(graph, run):
    assert run(_rt2()[:, ::-1]).to_list() == [[[3], [1, 2]], [[4]], []]
    assert run(_rt2()[:, :, ::-1]).to_list() == [[[2, 1], [3]], [[4]], []]


def test_consumers_are_the_ops_reading_the_components(graph):
    rt = tf.ragged.constant([[1, 2], [3]])
    added, dense = rt + 1, rt.to_tensor()
    assert [op.name for op in rt.consumers()] == [added.flat_values.op.name, dense.op.name]
    assert [op.name for op in rt.consumers()] == ["Add", "RaggedToTensor/RaggedTensorToTensor"]


def test_tensor_bounds_and_fed_rows_slice_as_tensorflow(graph, run):
    rt = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
    one, two = tf.constant(1), tf.constant(2, tf.int64)
    assert run(rt[one:]).to_list() == [[4], [], [5, 6]]
    assert run(rt[:two]).to_list() == [[1, 2, 3], [4]]
    assert run(rt[:, one:]).to_list() == [[2, 3], [], [], [6]]
    assert run(rt[:, :two]).to_list() == [[1, 2], [4], [], [5, 6]]
    assert (run(rt[one, 0]), run(rt[-1, -1])) == (4, 6)
    assert run(rt[1:3, :1]).to_list() == [[4], []]
    assert (run(rt[10:]).to_list(), run(rt[:, 5:]).to_list()) == ([], [[], [], [], []])
    x = tf.ragged.placeholder(tf.int32, 1, [])
    fed = {x: tf.ragged.constant_value([[1, 2, 3], [4], [], [5, 6]], dtype="int32")}
    assert run(x[-2:], fed).to_list() == [[], [5, 6]]
    assert run(x[:, 1:], fed).to_list() == [[2, 3], [], [], [6]]
    assert run(x[-1], fed).tolist() == [5, 6]
    assert run(x[::2], fed).to_list() == [[1, 2, 3], []]
