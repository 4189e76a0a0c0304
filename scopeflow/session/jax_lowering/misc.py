"""JAX lowerings of odd top-level ops: ``GuaranteeConst`` (an identity), conv2d's gradients
given the input or filter itself (``Conv2DBackprop*V2``: their shapes, known while tracing)."""

from __future__ import annotations

import numpy as np

from scopeflow.session.jax_lowering.nn import LOWERINGS as _NN


def _filter_v2(ctx, op, x, w, dy):
    return _NN["Conv2DBackpropFilter"](ctx, op, x, np.array(w.shape), dy)


def _input_v2(ctx, op, x, w, dy):
    return _NN["Conv2DBackpropInput"](ctx, op, np.array(x.shape), w, dy)


LOWERINGS: dict = {
    "GuaranteeConst": lambda ctx, op, x: x,
    "XlaClusterOutput": lambda ctx, op, x: x,  # tf.xla.experimental.compile's results
    "CrossReplicaSum": lambda ctx, op, x, groups: x,  # the sum over the one replica
    # tf.tpu.replicate's graph, one replica: its inputs and outputs are their values
    "TPUReplicatedInput": lambda ctx, op, x: x,
    "TPUReplicatedOutput": lambda ctx, op, x: x,
    "TPUReplicateMetadata": lambda ctx, op: None,
    "Conv2DBackpropFilterV2": _filter_v2,
    "Conv2DBackpropInputV2": _input_v2,
}
