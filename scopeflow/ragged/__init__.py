"""``tf.ragged`` and ``tf.RaggedTensor``: tensors whose rows have different lengths.

A ``RaggedTensor`` (``tensor.py``) groups a flat values tensor and int64 row splits; its
methods and the functions here build ordinary ops on those components as TF does, plus the few
op types TF has for them (``kernels.py``: ``RaggedTensorToTensor``, ``RaggedTensorToSparse``,
``RaggedRange``, ``RaggedGather``). ``Session.run`` returns a ``RaggedTensorValue`` for a
fetched ragged tensor.

``tf.gather``, ``tf.concat``, ``tf.reduce_*`` (``array_dispatch.py``), ``tf.cast`` and the
element-wise ``tf.math`` functions (``math_dispatch.py``) and ``tf.strings``' element-wise
functions (``strings_dispatch.py``) take ragged tensors as TF's dispatch does. Not here:
``tf.shape``, ``tf.where``, ``tf.matmul`` and the like on a ragged tensor; use
``tf.ragged.map_flat_values``, ``rt[...]`` and ``rt.to_tensor()`` instead.
"""

from __future__ import annotations

from scopeflow.ragged import operators  # noqa: F401 - installs RaggedTensor's operators
from scopeflow.ragged.cross import cross, cross_hashed
from scopeflow.ragged.functions import (
    boolean_mask,
    constant,
    map_flat_values,
    placeholder,
    range,  # noqa: A004 - TF's name
    row_splits_to_segment_ids,
    segment_ids_to_row_splits,
    stack,
    stack_dynamic_partitions,
)
from scopeflow.ragged.spec import RaggedTensorSpec
from scopeflow.ragged.tensor import RaggedTensor
from scopeflow.ragged.value import RaggedTensorValue, constant_value

__all__ = [
    "RaggedTensor",
    "RaggedTensorSpec",
    "RaggedTensorValue",
    "boolean_mask",
    "constant",
    "constant_value",
    "cross",
    "cross_hashed",
    "map_flat_values",
    "placeholder",
    "range",
    "row_splits_to_segment_ids",
    "segment_ids_to_row_splits",
    "stack",
    "stack_dynamic_partitions",
]
