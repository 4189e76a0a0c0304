"""``tf.quantization``: simulated quantization for quantization-aware training (the fake
quantization ops and their gradients) and quantize-dequantize round trips."""

from __future__ import annotations

from scopeflow.ops.array.fake_quant import *  # noqa: F403
from scopeflow.ops.array.quantize_dequantize import *  # noqa: F403
