"""``tf.quantization``: simulated quantization for quantization-aware training (the fake
quantization ops and their gradients), quantize-dequantize round trips, and the quantized
types' own ops (``quantize``, ``dequantize``, ``quantized_concat``)."""

from __future__ import annotations

from scopeflow.ops.array import requantize as _requantize  # noqa: F401 - registers its ops
from scopeflow.ops.array.fake_quant import *  # noqa: F403
from scopeflow.ops.array.quantize import dequantize, quantize, quantized_concat  # noqa: F401
from scopeflow.ops.array.quantize_dequantize import *  # noqa: F403
