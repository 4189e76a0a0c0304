"""``tf.image.extract_glimpse`` as TF1 builds it (``ExtractGlimpse``), and TF2's op
``ExtractGlimpseV2`` (for imported graphs and ``tf.raw_ops``).

Each image's glimpse is the ``size`` window whose top-left corner comes from its
``offsets`` row ``(y, x)``, computed in float32 and truncated toward zero:

- ``ExtractGlimpse``: scaled by the image size when ``normalized``; when ``centered``,
  halved and moved by half the image size (so [-1, 1] spans the image); minus half the
  glimpse size (the offset names the glimpse's centre).
- ``ExtractGlimpseV2``: centered and normalized as ``ExtractGlimpse``; otherwise the offset
  is the corner itself (times the image size when ``normalized``, from the image's centre
  when ``centered``).

Pixels outside the image are noise: ``"uniform"`` between the image's smallest and largest
value (over all channels), ``"gaussian"`` with each channel's mean and standard deviation,
clipped to its range, or ``"zero"``. TF draws that noise from an unseeded generator; the
values here are drawn from the session's generator, so they differ from TF's (the pixels
inside the image are TF's exactly).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import apply_op, constant_value, no_gradient

_NOISES = ("uniform", "gaussian", "zero")


def _rank(t, rank: int) -> list:
    if t.shape.ndims is None:
        return [None] * rank
    if t.shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")
    return t.shape.as_list()


def _check_type(op_type: str, arg: str, t, want) -> None:
    if t.dtype.base_dtype != want:
        raise TypeError(
            f"Input '{arg}' of '{op_type}' Op has type {t.dtype.base_dtype.name} that does not "
            f"match expected type of {want.name}."
        )


def _glimpse_infer(op_type: str):
    def infer(inputs, attrs):
        image, size, offsets = inputs
        _check_type(op_type, "input", image, dtypes.float32)
        _check_type(op_type, "size", size, dtypes.int32)
        _check_type(op_type, "offsets", offsets, dtypes.float32)
        if attrs["uniform_noise"] and attrs["noise"] not in ("", "uniform"):
            raise ValueError("The uniform_noise should not be True when noise is not uniform")
        batch, _, _, channels = _rank(image, 4)
        (length,) = _rank(size, 1)
        if length is not None and length != 2:
            raise ValueError(f"Dimension must be 2 but is {length}")
        rows, columns = _rank(offsets, 2)
        if batch is not None and rows is not None and batch != rows:
            raise ValueError(f"Dimensions must be equal, but are {batch} and {rows}")
        if columns is not None and columns != 2:
            raise ValueError(f"Dimension must be 2 but is {columns}")
        known = constant_value(size)
        height, width = [None, None] if known is None else [int(v) for v in known]
        return [(dtypes.float32, TensorShape([batch or rows, height, width, channels]))]

    return infer


def _corner(op, offset, image_size: int, size: int) -> int:
    """The glimpse's first row (or column) in the image, from one offset (see above)."""
    f = np.float32
    centered, normalized = op._attrs["centered"], op._attrs["normalized"]
    at = f(offset)
    if op.type == "ExtractGlimpse" or (centered and normalized):
        if normalized:
            at = at * f(image_size)
        if centered:
            at = at / f(2) + f(image_size / 2)
        at = at - f(size / 2)
    else:
        if normalized:
            at = at * f(image_size)
        if centered:
            at = at + f(image_size / 2)
    return int(np.clip(np.trunc(at), -(2**31), 2**31 - 1))


def _noise(ctx, op, image: np.ndarray, shape: tuple) -> np.ndarray:
    """What fills the glimpse outside ``image`` (one image, ``[height, width, channels]``)."""
    kind = "uniform" if op._attrs["uniform_noise"] else op._attrs["noise"] or "uniform"
    if kind == "zero" or image.size == 0:
        return np.zeros(shape, np.float32)
    rng = ctx.rng(op)
    if kind == "uniform":
        return rng.uniform(image.min(), image.max(), shape).astype(np.float32)
    pixels = image.reshape(-1, image.shape[-1]).astype(np.float64)
    drawn = rng.normal(pixels.mean(0), pixels.std(0), shape)
    return np.clip(drawn, pixels.min(0), pixels.max(0)).astype(np.float32)


def _glimpse_kernel(ctx, op, image, size, offsets):
    if image.ndim != 4:
        raise errors.InvalidArgumentError(
            None, op, f"input must be 4-dimensional, got shape {list(image.shape)}"
        )
    if size.shape != (2,):
        raise errors.InvalidArgumentError(
            None, op, f"input must be a vector of size 2 (height, width), got {list(size.shape)}"
        )
    batch, height, width, channels = image.shape
    if offsets.shape != (batch, 2):
        raise errors.InvalidArgumentError(
            None, op, f"offsets must be [{batch}, 2] (batch, y and x), got {list(offsets.shape)}"
        )
    noise = op._attrs["noise"]
    if noise not in ("", *_NOISES):
        raise errors.InvalidArgumentError(
            None, op, f"The noise could only be uniform, gaussian, or zero, got{noise}"
        )
    rows, columns = (int(v) for v in size)
    for v in (rows, columns):
        if v < 0:
            raise errors.InvalidArgumentError(None, op, f"Expected a non-negative size, got {v}")
    out = np.empty((batch, rows, columns, channels), np.float32)
    for b in range(batch):
        top = _corner(op, offsets[b, 0], height, rows)
        left = _corner(op, offsets[b, 1], width, columns)
        ys, xs = top + np.arange(rows), left + np.arange(columns)
        inside_y, inside_x = (ys >= 0) & (ys < height), (xs >= 0) & (xs < width)
        if not (inside_y.all() and inside_x.all()):
            out[b] = _noise(ctx, op, image[b], out.shape[1:])
        block = image[b][np.ix_(ys[inside_y], xs[inside_x])]
        out[b][np.ix_(inside_y, inside_x)] = block
    return out


register_op(
    "ExtractGlimpse",
    _glimpse_infer("ExtractGlimpse"),
    kernel=_glimpse_kernel,
    grad=NOT_DIFFERENTIABLE,
)
register_op(
    "ExtractGlimpseV2",
    _glimpse_infer("ExtractGlimpseV2"),
    kernel=_glimpse_kernel,
    grad=no_gradient,  # TF registers none: tf.gradients raises LookupError
)


@undo.atomic
def extract_glimpse(
    input,  # noqa: A002 - TF1's argument name
    size,
    offsets,
    centered=True,
    normalized=True,
    uniform_noise=True,
    name=None,
):
    """Windows of ``size`` (``[height, width]``) cut from a batch of images (float32
    ``[batch, height, width, channels]``) around ``offsets`` (``[batch, 2]``, ``(y, x)``).

    ``centered``: offsets from the image's centre, else from its top-left corner;
    ``normalized``: offsets in image sizes (with ``centered``, -1 to 1), else in pixels.
    Pixels outside the image are uniform noise between the image's extremes
    (``uniform_noise``) or Gaussian noise with each channel's mean and deviation.

    >>> import scopeflow as tf
    >>> import numpy as np
    >>> with tf.Graph().as_default():
    ...     image = np.arange(16, dtype=np.float32).reshape([1, 4, 4, 1])
    ...     glimpse = tf.image.extract_glimpse(image, [2, 2], [[0.0, 0.0]])
    ...     print(tf.Session().run(glimpse)[0, ..., 0])
    [[ 5.  6.]
     [ 9. 10.]]
    """
    attrs = {
        "centered": bool(centered),
        "normalized": bool(normalized),
        "uniform_noise": bool(uniform_noise),
        "noise": "uniform",
    }
    with name_scope(name, "ExtractGlimpse") as scope:
        input = convert_to_tensor(input, dtype_hint=dtypes.float32, name="input")  # noqa: A001
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        offsets = convert_to_tensor(offsets, dtype_hint=dtypes.float32, name="offsets")
        return apply_op("ExtractGlimpse", [input, size, offsets], attrs, name=scope)


__all__ = ["extract_glimpse"]
