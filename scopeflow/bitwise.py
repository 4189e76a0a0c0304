"""``tf.bitwise``: bitwise ops on integer tensors."""

from __future__ import annotations

from scopeflow.ops.math.elementwise import bitwise_and, bitwise_or, bitwise_xor, invert

__all__ = ["bitwise_and", "bitwise_or", "bitwise_xor", "invert"]
