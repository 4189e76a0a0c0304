"""Tests for scopeflow/ops/math/population_count.py (``PopulationCount``): the set bits of
each integer's two's-complement bits as uint8, TF 2.21's values for every integer dtype."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

# TF 2.21: PopulationCount of [0, 1, -1 (or the dtype's max), 5, the dtype's min]
_BITS = {8: 8, 16: 16, 32: 32, 64: 64}


def _values(dtype):
    info = np.iinfo(dtype)
    top = -1 if info.min < 0 else info.max
    return np.array([0, 1, top, 5, info.min], dtype)


def _expected(dtype):
    width = np.dtype(dtype).itemsize * 8
    return np.uint8([0, 1, _BITS[width], 2, 1 if np.iinfo(dtype).min < 0 else 0])


CASES = [
    Case(
        np.dtype(dtype).name,
        "PopulationCount",
        lambda x: tf.raw_ops.PopulationCount(x=x),
        (_values(dtype),),
        _expected(dtype),
    )
    for dtype in (np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64)
]
CASES.append(
    Case(
        "matrix",
        "PopulationCount",
        lambda x: tf.raw_ops.PopulationCount(x=x),
        (np.int32([[7, 255], [1024, -2]]),),
        np.uint8([[3, 8], [1, 31]]),
    )
)


@pytest.mark.parametrize("case, mode", cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_floats_are_refused_while_building():
    with pytest.raises(TypeError, match="DataType float32 not in list of allowed values: int8"):
        tf.raw_ops.PopulationCount(x=np.float32([1]))
