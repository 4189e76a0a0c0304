"""Tests for scopeflow/ops/strings/segment_join.py: ``tf.strings.unsorted_segment_join``,
values and errors as TF 2.21's ``tf.compat.v1`` gives them."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case


def _strings(*items):
    return np.array(items, dtype=object)


CASES = [
    Case(
        "separator_and_empty_segment",
        "UnsortedSegmentJoin",
        lambda s, i: tf.strings.unsorted_segment_join(s, i, 3, separator=":"),
        (_strings(b"a", b"b", b"c"), np.array([1, 0, 1], np.int32)),
        _strings(b"b", b"a:c", b""),
    ),
    Case(
        "rows",
        "UnsortedSegmentJoin",
        lambda s, i: tf.strings.unsorted_segment_join(s, i, 2),
        (_strings([b"a", b"b"], [b"c", b"d"], [b"e", b"f"]), np.array([0, 1, 0], np.int64)),
        _strings([b"ae", b"bf"], [b"c", b"d"]),
    ),
    Case(
        "negative_id",
        "UnsortedSegmentJoin",
        lambda s, i: tf.strings.unsorted_segment_join(s, i, 3, separator=","),
        (_strings([b"a", b"b"], [b"c", b"d"]), np.array([[1, -1], [1, 0]], np.int32)),
        Raises(
            tf.errors.InvalidArgumentError,
            "segment_ids are not allowed to exceed num_segments or to have negative values.",
        ),
        modes=("full",),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_graph_and_static_shape(graph):
    joined = tf.strings.unsorted_segment_join([["a", "b"], ["c", "d"]], [0, 0], 4)
    assert joined.op.name == "UnsortedSegmentJoin"
    assert [t.op.name for t in joined.op.inputs] == [
        "UnsortedSegmentJoin/inputs",
        "UnsortedSegmentJoin/segment_ids",
        "UnsortedSegmentJoin/num_segments",
    ]
    assert joined.shape.as_list() == [4, 2]
    with pytest.raises(ValueError, match="Shape must be at least rank 2 but is rank 1"):
        tf.strings.unsorted_segment_join(["a", "b", "c", "d"], [[1, -1], [1, 0]], 3)
