"""``tf.types``: ``tf.types.experimental.TensorLike``, the union of the types
``tf.convert_to_tensor`` takes, for annotations (TF's list, with scopeflow's ``Tensor``).
``tf.types.experimental.FunctionType`` (``tf.function``'s signatures) is not here:
scopeflow's ``tf.function`` builds inline and keeps no signatures."""

from __future__ import annotations

import types as _types
import typing

import numpy as np

from scopeflow.framework.tensor import Tensor

TensorLike = typing.Union[  # noqa: UP007 - TF's typing.Union, as TF prints it
    Tensor, int, float, bool, str, bytes, complex, tuple, list, np.ndarray, np.generic
]
experimental = _types.SimpleNamespace(TensorLike=TensorLike)

__all__ = ["experimental"]
