"""Tests for scopeflow/ragged/spec.py: tf.RaggedTensorSpec's defaults, checks, repr,
compatibility and from_value, as TF 2.21 (compat.v1) gives them."""

from __future__ import annotations

import pytest

import scopeflow as tf

S = tf.RaggedTensorSpec


def test_spec_matches_tensorflow(graph):
    a = S([None, None], tf.int32)
    assert repr(a) == (
        "RaggedTensorSpec(TensorShape([Dimension(None), Dimension(None)]), tf.int32, 1, tf.int64)"
    )
    assert (a.ragged_rank, a.row_splits_dtype, a.flat_values_spec) == (1, tf.int64, None)
    assert a.value_type is tf.RaggedTensor
    assert repr(S([2, None, 3], tf.float32, ragged_rank=1)) == (
        "RaggedTensorSpec(TensorShape([Dimension(2), Dimension(None), Dimension(3)]), "
        "tf.float32, 1, tf.int64)"
    )
    rt = tf.ragged.constant([[1, 2], [3]])
    from_value = S.from_value(rt)
    assert from_value == S([2, None], tf.int32)
    assert a.is_compatible_with(rt) and a.is_compatible_with(from_value)
    assert not S([None, None], tf.float32).is_compatible_with(rt)
    assert a == S([None, None], tf.int32) and a != from_value
    assert hash(a) == hash(S([None, None], tf.int32))
    assert a.most_specific_compatible_type(from_value) == a
    assert S([None], tf.int32).ragged_rank == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Must specify ragged_rank or a shape with a known rank."),
        ((None, tf.int32), "Must specify ragged_rank or a shape with a known rank."),
        (
            ([None, None], tf.int32, 2),
            r"Argument `ragged_rank` \(2\) must be less than rank \(2\).",
        ),
    ],
)
def test_bad_specs_raise_as_tensorflow(args, message):
    with pytest.raises(ValueError, match=message):
        S(*args)
