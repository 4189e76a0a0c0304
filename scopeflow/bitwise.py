"""``tf.bitwise``: bitwise ops on integer tensors."""

from __future__ import annotations

from scopeflow.ops.math import population_count as _population_count  # noqa: F401 - registers
from scopeflow.ops.math.elementwise import bitwise_and, bitwise_or, bitwise_xor, invert
from scopeflow.ops.math.truncate_shift import left_shift, right_shift

__all__ = ["bitwise_and", "bitwise_or", "bitwise_xor", "invert", "left_shift", "right_shift"]
