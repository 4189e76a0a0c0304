"""The FFT ops over the innermost 1, 2 or 3 axes (``tf.fft``, ``tf.spectral.*``,
``tf.signal.*``): ``FFT``/``IFFT`` (and 2D, 3D) on complex tensors, ``RFFT``/``IRFFT`` (and
2D, 3D) between real tensors and their half spectra, with TF1's gradients; scipy.fft computes
them, in the input's precision.

``RFFT`` crops or zero-pads its input to ``fft_length`` along the transformed axes and keeps
``fft_length[-1] // 2 + 1`` frequencies of the last; ``IRFFT`` takes that many (cropping or
padding) and returns ``fft_length`` real samples, ignoring the imaginary parts of the zero
(and, for an even length, the Nyquist) frequency. The ``tf.signal.rfft`` wrappers infer
``fft_length`` from the input and zero-pad it beforehand, with TF1's ops and names.

Gradients: an ``FFT``'s is an ``IFFT`` times the size (and the reverse), as in TF1. An
``RFFT``'s is the real part of the adjoint transform, ``size * ifft`` of the half spectrum
zero-filled to full length, cropped or padded back to the input's shape: TF1's formula for
1-D and 2-D (its graph differs), which TF1 lacks for ``RFFT3D``. An ``IRFFT``'s is TF1's, an
``RFFT`` of the gradient weighted ``[1, 2, ..., 2, 1]`` over the size (also for ``IRFFT3D``,
which has none in TF1).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import fill, shape, stack, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.join import concat, unstack
from scopeflow.ops.array.pad import pad
from scopeflow.ops.array.roll import roll
from scopeflow.ops.array.shape import rank, zeros_like
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import COMPLEX, apply_op, check_dtype_in, constant_value, shape_value
from scopeflow.ops.math.complex import real
from scopeflow.ops.math.elementwise import floordiv, less, maximum, multiply, negative, subtract
from scopeflow.ops.math.selection import where

_REAL_OF = {dtypes.complex64: dtypes.float32, dtypes.complex128: dtypes.float64}
_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}
_AXES = {1: (-1,), 2: (-2, -1), 3: (-3, -2, -1)}
_SUFFIX = {1: "", 2: "2D", 3: "3D"}


def _check_rank(x, fft_rank: int) -> None:
    if x.shape.ndims is not None and x.shape.ndims < fft_rank:
        raise ValueError(f"Shape must be at least rank {fft_rank} but is rank {x.shape.ndims}")


# -- FFT, IFFT (2D, 3D) ---------------------------------------------------------------------


def _fft_infer(op_type: str, fft_rank: int):
    def infer(inputs, attrs):
        x = inputs[0]
        dtype = check_dtype_in(op_type, "input", x, COMPLEX)
        _check_rank(x, fft_rank)
        return [(dtype, x.shape)]

    return infer


def _fft_kernel(fft_rank: int, inverse: bool):
    def kernel(ctx, op, x):
        import scipy.fft

        transform = scipy.fft.ifftn if inverse else scipy.fft.fftn
        if x.size == 0:
            return x.copy()
        return transform(x, axes=_AXES[fft_rank]).astype(x.dtype, copy=False)

    return kernel


def _size(t, fft_rank: int):
    """The product of the last ``fft_rank`` dimensions of ``t``, as an int32 tensor."""
    return build.reduce_prod(shape(t)[-fft_rank:])


def _fft_grad(fft_rank: int, inverse: bool):
    back = ("FFT" if inverse else "IFFT") + _SUFFIX[fft_rank]

    def grad_fn(op, grad):
        dtype = grad.dtype.base_dtype
        size = _size(grad, fft_rank)
        if inverse:
            scale = cast(1.0 / cast(size, dtype.real_dtype), dtype)
        else:
            scale = cast(size, dtype)
        return multiply(apply_op(back, [grad]), scale)

    return grad_fn


def _register_fft(fft_rank: int, inverse: bool):
    op_type = ("IFFT" if inverse else "FFT") + _SUFFIX[fft_rank]
    register_op(
        op_type,
        _fft_infer(op_type, fft_rank),
        kernel=_fft_kernel(fft_rank, inverse),
        grad=_fft_grad(fft_rank, inverse),
    )

    @undo.atomic
    def transform(input, name=None):  # noqa: A002 - TF1's argument name
        with name_scope(name, op_type, [input]) as scope:
            x = convert_to_tensor(input, name="input")
            return apply_op(op_type, [x], {"Tcomplex": x.dtype.base_dtype}, name=scope)

    kind = "inverse " if inverse else ""
    axes = "innermost axis" if fft_rank == 1 else f"{fft_rank} innermost axes"
    transform.__doc__ = f"The {kind}discrete Fourier transform over the {axes} (``{op_type}``)."
    return transform


fft = _register_fft(1, False)
ifft = _register_fft(1, True)
fft2d = _register_fft(2, False)
ifft2d = _register_fft(2, True)
fft3d = _register_fft(3, False)
ifft3d = _register_fft(3, True)
fft.__doc__ += """

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.fft(tf.constant([1, 1j, -1, -1j], tf.complex64))))
    [0.+0.j 4.+0.j 0.+0.j 0.+0.j]
    """


# -- RFFT, IRFFT (2D, 3D) -------------------------------------------------------------------


def _rfft_infer(op_type: str, fft_rank: int, inverse: bool):
    def infer(inputs, attrs):
        x, fft_length = inputs
        if inverse:
            check_dtype_in(op_type, "input", x, COMPLEX)
        _check_rank(x, fft_rank)
        if fft_length.shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {fft_length.shape.ndims}")
        count = fft_length.shape.num_elements()
        if count is not None and count != fft_rank:
            raise ValueError(f"Dimension must be {fft_rank} but is {count}")
        out = attrs["Treal"] if inverse else attrs["Tcomplex"]
        if x.shape.ndims is None:
            return [(out, tensor_shape.unknown_shape())]
        dims = x.shape.as_list()[: x.shape.ndims - fft_rank]
        lengths = shape_value(fft_length)
        lengths = [None] * fft_rank if lengths.ndims is None else lengths.as_list()
        if not inverse and lengths[-1] is not None:
            lengths[-1] = lengths[-1] // 2 + 1
        return [(out, tensor_shape.TensorShape(dims + lengths))]

    return infer


def _rfft_kernel(fft_rank: int, inverse: bool):
    def kernel(ctx, op, x, fft_length):
        import scipy.fft

        lengths = [int(n) for n in fft_length.reshape(-1)]
        if any(n < 0 for n in lengths):
            raise ValueError(f"fft_length must be non-negative, got {lengths}")
        out_dtype = (op._attrs["Treal"] if inverse else op._attrs["Tcomplex"]).as_numpy_dtype
        outer = x.shape[: x.ndim - fft_rank]
        if inverse:
            out_shape = (*outer, *lengths)
        else:
            out_shape = (*outer, *lengths[:-1], lengths[-1] // 2 + 1)
        if x.size == 0 or 0 in lengths:
            return np.zeros(out_shape, out_dtype)
        transform = scipy.fft.irfftn if inverse else scipy.fft.rfftn
        return transform(x, s=lengths, axes=_AXES[fft_rank]).astype(out_dtype, copy=False)

    return kernel


def _fit_to(t, like, fft_length, fft_rank: int):
    """``t`` (``fft_length`` along its last axes) cropped or zero-padded to ``like``'s shape
    there: the gradient of the kernel's own cropping or padding."""
    got = t.shape[-fft_rank:] if t.shape.ndims is not None else tensor_shape.unknown_shape()
    want = like.shape[-fft_rank:] if like.shape.ndims is not None else None
    if want is not None and got.is_fully_defined() and got == want:
        return t
    wanted = shape(like)[-fft_rank:]
    grow = maximum(subtract(wanted, fft_length), 0)
    outer = zeros(stack([rank(like) - fft_rank, 2]), dtypes.int32)
    grown = pad(t, concat([outer, stack([zeros_like(grow), grow], axis=1)], 0))
    lead = shape(like)[:-fft_rank]
    return build.slice(grown, zeros_like(shape(like)), concat([lead, wanted], 0))


def _rfft_grad(fft_rank: int):
    inverse_type = "IFFT" + _SUFFIX[fft_rank]

    def grad_fn(op, grad):
        x, fft_length = op.inputs
        real_dtype = x.dtype.base_dtype
        lengths = constant_value(fft_length)
        if lengths is not None:
            last = int(lengths[-1])
            fill_up = constant([[0, 0]] * (grad.shape.ndims - 1) + [[0, last - last // 2 - 1]])
            fft_length = constant(lengths)
        else:
            missing = fft_length[-1] - shape(grad)[-1]
            outer = zeros(stack([rank(grad) - 1, 2]), dtypes.int32)
            fill_up = concat([outer, stack([[0], [missing]], axis=1)], 0)
        full = apply_op(inverse_type, [pad(grad, fill_up)])
        size = cast(build.reduce_prod(fft_length), real_dtype)
        return [_fit_to(multiply(real(full), size), x, fft_length, fft_rank), None]

    return grad_fn


def _irfft_grad(fft_rank: int):
    forward_type = "RFFT" + _SUFFIX[fft_rank]

    def grad_fn(op, grad):
        x, fft_length = op.inputs
        real_dtype = grad.dtype.base_dtype
        complex_dtype = _COMPLEX_OF[real_dtype]
        last = fft_length[-1]
        is_odd = build.binary("FloorMod", last, 2)
        half = floordiv(last, 2) + 1
        ones = fill(stack([1 - is_odd]), constant(1, real_dtype))
        twos = fill(stack([maximum(half - 2 + is_odd, 0)]), constant(2, real_dtype))
        mask = concat([constant([1], real_dtype), twos, ones], 0)[:half]
        rsize = 1.0 / cast(build.reduce_prod(fft_length), real_dtype)
        attrs = {"Treal": real_dtype, "Tcomplex": complex_dtype}
        spectrum = apply_op(forward_type, [grad, fft_length], attrs)
        weighted = multiply(spectrum, cast(multiply(mask, rsize), complex_dtype))
        half_length = concat([fft_length[:-1], stack([half])], 0)
        return [_fit_to(weighted, x, half_length, fft_rank), None]

    return grad_fn


def _maybe_pad(x, fft_rank: int, fft_length, inverse: bool = False):
    """TF1's ``_maybe_pad_for_rfft``: ``x`` zero-padded up to ``fft_length`` (the half
    spectrum's length on the last axis when ``inverse``), with TF1's ops."""
    lengths = shape_value(fft_length)
    if x.shape.ndims is not None and 0 in x.shape.as_list():
        return x
    if lengths.is_fully_defined() and x.shape.ndims is not None:
        have = x.shape[-lengths.ndims :]
        if have.is_fully_defined():
            wanted = lengths.as_list()
            if inverse:
                wanted[-1] = wanted[-1] // 2 + 1
            paddings = [[0, max(n - d, 0)] for n, d in zip(wanted, have.as_list(), strict=True)]
            if any(p > 0 for _, p in paddings):
                return pad(x, [[0, 0]] * max(x.shape.ndims - lengths.ndims, 0) + paddings)
            return x
    x_rank = rank(x)
    have = shape(x)[-fft_rank:]
    outer = maximum(0, x_rank - fft_rank)
    outer_paddings = zeros([outer], fft_length.dtype.base_dtype)
    if inverse:
        fft_length = concat([fft_length[:-1], floordiv(fft_length[-1:], 2) + 1], 0)
    paddings = concat([outer_paddings, maximum(0, fft_length - have)], 0)
    if x.shape.ndims is None:
        no_paddings = zeros_like(paddings)
    else:  # TF1 folds the length of paddings: a constant
        count = max(x.shape.ndims - fft_rank, 0) + fft_rank
        no_paddings = zeros([count], fft_length.dtype.base_dtype, name="zeros_like")
    return pad(x, stack([no_paddings, paddings], axis=1))


def _infer_length(x, fft_rank: int, inverse: bool):
    """``fft_length`` from ``x``'s last dimensions (``2 * (n - 1)`` for the last when
    ``inverse``): a constant when they are known, else computed from ``tf.shape``."""
    dims = x.shape[-fft_rank:]
    if not dims.is_fully_defined():
        lengths = shape(x)[-fft_rank:]
        if not inverse:
            return lengths
        parts = unstack(lengths, num=fft_rank)
        parts[-1] = maximum(0, 2 * (parts[-1] - 1))
        return stack(parts)
    lengths = dims.as_list()
    if inverse and lengths:
        lengths[-1] = max(0, 2 * (lengths[-1] - 1))
    return convert_to_tensor(lengths, dtypes.int32)


def _register_rfft(fft_rank: int, inverse: bool, default_name: str):
    op_type = ("IRFFT" if inverse else "RFFT") + _SUFFIX[fft_rank]
    register_op(
        op_type,
        _rfft_infer(op_type, fft_rank, inverse),
        kernel=_rfft_kernel(fft_rank, inverse),
        grad=(_irfft_grad if inverse else _rfft_grad)(fft_rank),
    )

    @undo.atomic
    def transform(input_tensor, fft_length=None, name=None):
        with name_scope(name, default_name, [input_tensor, fft_length]) as scope:
            preferred = dtypes.complex64 if inverse else dtypes.float32
            x = convert_to_tensor(input_tensor, preferred_dtype=preferred)
            if inverse:
                x.shape.with_rank_at_least(fft_rank)
            allowed = _REAL_OF if inverse else _COMPLEX_OF
            if x.dtype.base_dtype not in allowed:
                kinds = "tf.complex64 or tf.complex128" if inverse else "tf.float32 or tf.float64"
                raise ValueError(
                    f"{'IRFFT' if inverse else 'RFFT'} requires {kinds} inputs, got: {x}"
                )
            x.shape.with_rank_at_least(fft_rank)
            if fft_length is None:
                fft_length = _infer_length(x, fft_rank, inverse)
            else:
                fft_length = convert_to_tensor(fft_length, dtypes.int32)
            x = _maybe_pad(x, fft_rank, fft_length, inverse)
            known = constant_value(fft_length)
            if known is not None:
                fft_length = constant(known, dtypes.int32, name="fft_length")
            dtype = x.dtype.base_dtype
            attrs = (
                {"Treal": _REAL_OF[dtype], "Tcomplex": dtype}
                if inverse
                else {"Treal": dtype, "Tcomplex": _COMPLEX_OF[dtype]}
            )
            return apply_op(op_type, [x, fft_length], attrs, name=scope)

    what = "real samples from their half spectrum" if inverse else "half spectrum of real samples"
    transform.__doc__ = (
        f"The {what} over the innermost {fft_rank} axes (``{op_type}``); ``fft_length`` "
        "defaults to the input's lengths there."
    )
    return transform


rfft = _register_rfft(1, False, "rfft")
irfft = _register_rfft(1, True, "irfft")
rfft2d = _register_rfft(2, False, "rfft2d")
irfft2d = _register_rfft(2, True, "irfft2d")
rfft3d = _register_rfft(3, False, "rfft3d")
irfft3d = _register_rfft(3, True, "irfft3d")
rfft.__doc__ += """

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.signal.rfft([1.0, 2.0, 3.0, 4.0])))
    [10.+0.j -2.+2.j -2.+0.j]
    """


# -- fftshift, ifftshift --------------------------------------------------------------------


def _shift(x, axes, name: str, default_name: str, sign: int):
    with name_scope(name, default_name) as scope:
        x = convert_to_tensor(x)
        if axes is None:
            axes = tuple(range(x.shape.ndims))
            shift = floordiv(shape(x), 2)
        elif isinstance(axes, int):
            shift = floordiv(shape(x)[axes], 2)
        else:
            x_rank = rank(x)
            axes = where(less(axes, 0), axes + x_rank, axes)
            shift = floordiv(gather(shape(x), axes), 2)
        return roll(x, negative(shift) if sign < 0 else shift, axes, scope)


@undo.atomic
def fftshift(x, axes=None, name=None):
    """``x`` rolled by half its length along ``axes`` (default all), the zero frequency
    moved to the middle, as ``np.fft.fftshift``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.signal.fftshift([0, 1, 2, -2, -1])))
    [-2 -1  0  1  2]
    """
    return _shift(x, axes, name, "fftshift", 1)


@undo.atomic
def ifftshift(x, axes=None, name=None):
    """The inverse of :func:`fftshift` (they differ by one place for odd lengths)."""
    return _shift(x, axes, name, "ifftshift", -1)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["fft", "fft2d", "fft3d", "ifft", "ifft2d", "ifft3d"]
