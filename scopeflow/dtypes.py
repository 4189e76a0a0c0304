"""``tf.dtypes``: the element types (``tf.dtypes.float32``, ``DType``, ``as_dtype``,
``QUANTIZED_DTYPES``) and the conversions TF1 files under them (``cast``, ``saturate_cast``,
``complex``, ``as_string``).

>>> import scopeflow as tf
>>> tf.dtypes.as_dtype("half") is tf.dtypes.float16, tf.dtypes.qint8.is_quantized
(True, True)
"""

from __future__ import annotations

from scopeflow.framework.dtypes import (  # noqa: F401
    QUANTIZED_DTYPES,
    DType,
    as_dtype,
    bfloat16,
    bool,  # noqa: A004 - TF1's public name
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    qint8,
    qint16,
    qint32,
    quint8,
    quint16,
    resource,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
    variant,
)
from scopeflow.ops.math.complex import complex  # noqa: F401, A004 - TF1's public name
from scopeflow.ops.math.composite import saturate_cast  # noqa: F401
from scopeflow.ragged.math_dispatch import cast  # noqa: F401 - tf.cast, RaggedTensors too
from scopeflow.ragged.strings_dispatch import as_string  # noqa: F401 - tf.as_string
