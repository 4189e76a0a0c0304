"""``RestoreV2``: the op that reads tensors from a checkpoint when a session runs it.

``tf.train.init_from_checkpoint`` makes variables' initializers assign its outputs, so the
checkpoint is read when ``global_variables_initializer()`` runs, as in TF1. (``Saver`` needs no
ops: it reads and writes session values directly.)
"""

from __future__ import annotations

import os

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.constant import constant
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import apply_op
from scopeflow.train.bundle import BundleReader, index_filename
from scopeflow.train.slices import parse_spec

# The session keeps one dict of open readers under this key (``ctx.op_state``), so that the
# initializers of many variables parse a checkpoint's index once, not once each.
_READERS = "RestoreV2 checkpoint readers"


def _restore_v2_infer(inputs, attrs):
    return [(dtype, tensor_shape.unknown_shape()) for dtype in attrs["dtypes"]]


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _open_reader(ctx, prefix: str) -> BundleReader:
    readers = ctx.op_state(_READERS, dict)
    try:
        st = os.stat(index_filename(prefix))
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        stamp = None
    cached = readers.get(prefix)
    if cached is not None and stamp is not None and cached[0] == stamp:
        return cached[1]
    reader = BundleReader(prefix)
    readers[prefix] = (stamp, reader)
    return reader


def _restore_v2_kernel(ctx, op, prefix, tensor_names, shape_and_slices):
    results = []
    try:
        reader = _open_reader(ctx, _text(np.asarray(prefix).item()))
        for name, spec, dtype in zip(
            tensor_names.reshape(-1),
            shape_and_slices.reshape(-1),
            op._attrs["dtypes"],
            strict=True,
        ):
            name = _text(name)
            found = reader.entry(name).dtype
            if found != dtype:
                raise errors.InvalidArgumentError(
                    None,
                    op,
                    f"tensor_name = {name}; expected dtype {dtype.name} does not "
                    f"equal original dtype {found.name} (checkpoint '{reader.prefix}')",
                )
            results.append(_sliced(reader, name, _text(spec), op))
    except errors.OpError as e:
        if e.op is None:
            raise type(e)(None, op, e.message) from None
        raise
    return results[0] if len(results) == 1 else tuple(results)


def _sliced(reader: BundleReader, name: str, spec: str, op):
    """Tensor ``name``, or its slice ``spec`` (a part of a partitioned variable)."""
    value = reader.read(name)
    if not spec:
        return value
    try:
        full, extents = parse_spec(spec)
    except ValueError as e:
        raise errors.InvalidArgumentError(None, op, str(e)) from None
    if list(value.shape) != full:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"tensor_name = {name}; shape in shape_and_slice spec {full} does not match the "
            f"shape stored in checkpoint: {list(value.shape)}",
        )
    return value[tuple(slice(s, None if n < 0 else s + n) for s, n in extents)]


register_op(
    "RestoreV2",
    _restore_v2_infer,
    kernel=_restore_v2_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
    host_only=True,
)


def restore_v2(prefix, tensor_names, shape_and_slices, dtypes_, name=None):
    """The ``RestoreV2`` op reading ``tensor_names`` from the checkpoint ``prefix``: one output
    per name, of the given dtype."""
    with name_scope(name, "RestoreV2") as scope:
        inputs = [
            constant(prefix, dtypes.string, name="prefix"),
            constant(list(tensor_names), dtypes.string, name="tensor_names"),
            constant(list(shape_and_slices), dtypes.string, name="shape_and_slices"),
        ]
        attrs = {"dtypes": [dtypes.as_dtype(d).base_dtype for d in dtypes_]}
        out = apply_op("RestoreV2", inputs, attrs, name=scope)
    return list(out) if isinstance(out, (list, tuple)) else [out]
