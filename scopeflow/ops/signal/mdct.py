"""``tf.signal.mdct`` and ``inverse_mdct``: the modified discrete cosine transform of
frames half overlapping, built from TF's ops as TF builds it (``frame``, a window, a fold of
each frame's quarters into half a frame, and a type-IV DCT), and back (DCT-IV, unfold,
window, ``overlap_and_add``). With the default Vorbis (or a Kaiser-Bessel-derived) window
and ``norm="ortho"`` the inverse reconstructs the signal away from its ends."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat, reverse, split
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.signal.mel import _dct_internal, _validate_dct
from scopeflow.ops.signal.shape_ops import frame, overlap_and_add
from scopeflow.ops.signal.windows import vorbis_window


@undo.atomic
def mdct(signals, frame_length, window_fn=vorbis_window, pad_end=False, norm=None, name=None):
    """The MDCT of ``signals`` (``[..., samples]``): frames of ``frame_length`` (a multiple
    of 4) every ``frame_length // 2`` samples, each windowed by ``window_fn(frame_length,
    dtype=...)`` (``None``: scaled by 1/sqrt(2)), giving ``frame_length // 2`` coefficients
    per frame; ``norm`` None or ``"ortho"`` as :func:`dct`'s.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     coefficients = tf.signal.mdct(tf.ones([2, 16]), 8)
    ...     print(coefficients.shape)
    (2, 3, 4)
    """
    with name_scope(name, "mdct", [signals, frame_length]):
        signals = convert_to_tensor(signals, name="signals")
        if signals.shape.ndims is not None and signals.shape.ndims < 1:
            raise ValueError(f"Shape {signals.shape} must have rank at least 1")
        frame_length = convert_to_tensor(frame_length, name="frame_length")
        if frame_length.shape.ndims not in (None, 0):
            raise ValueError(f"Shape {frame_length.shape} must have rank 0")
        known = constant_value(frame_length)
        if known is not None:
            if int(known) % 4 != 0:
                raise ValueError("The frame length must be a multiple of 4.")
            step = convert_to_tensor(int(known) // 2, dtype=frame_length.dtype)
        else:
            step = frame_length // 2
        frames = frame(signals, frame_length, step, pad_end=pad_end)
        if window_fn is not None:
            frames *= window_fn(frame_length, dtype=frames.dtype)
        else:
            frames *= 1.0 / np.sqrt(2)
        quarter = split(frames, 4, axis=-1)
        first = -reverse(quarter[2], [-1]) - quarter[3]
        second = quarter[0] - reverse(quarter[1], [-1])
        folded = concat((first, second), axis=-1)
        _validate_dct(folded, 4, None, -1, norm)
        return _dct_internal(folded, 4, None, norm)


@undo.atomic
def inverse_mdct(mdcts, window_fn=vorbis_window, norm=None, name=None):
    """The signal whose :func:`mdct` is ``mdcts`` (``[..., frames, frame_length // 2]``):
    a DCT-IV of each frame, unfolded to a whole frame, windowed and overlap-added.

    >>> import scopeflow as tf
    >>> import numpy as np
    >>> with tf.Graph().as_default():
    ...     x = np.sin(np.arange(32.0)).astype(np.float32)
    ...     back = tf.signal.inverse_mdct(tf.signal.mdct(x, 8, norm="ortho"), norm="ortho")
    ...     print(np.abs(tf.Session().run(back)[4:-4] - x[4:-4]).max() < 1e-5)
    True
    """
    with name_scope(name, "inverse_mdct", [mdcts]):
        mdcts = convert_to_tensor(mdcts, name="mdcts")
        if mdcts.shape.ndims is not None and mdcts.shape.ndims < 1:
            raise ValueError(f"Shape {mdcts.shape} must have rank at least 1")
        half = tensor_shape.dimension_value(mdcts.shape[-1])
        if half is None:
            half = shape(mdcts)[-1]
        if norm is None:
            scale = 0.5 / cast(half, mdcts.dtype)
            unscaled = _dct_internal(mdcts, 4, None, None)
            result = scale * unscaled
        elif norm == "ortho":
            result = _dct_internal(mdcts, 4, None, "ortho")
        else:
            raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")
        halves = split(result, 2, axis=-1)
        frames = concat(
            (
                halves[1],
                -reverse(halves[1], [-1]),
                -reverse(halves[0], [-1]),
                -halves[0],
            ),
            axis=-1,
        )
        if window_fn is not None:
            frames *= window_fn(2 * half, dtype=mdcts.dtype)
        else:
            frames *= 1.0 / np.sqrt(2)
        return overlap_and_add(frames, half)


__all__ = ["inverse_mdct", "mdct"]
