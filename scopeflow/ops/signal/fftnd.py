"""TF 2.21's N-dimensional FFTs: ``tf.signal.fftnd``/``ifftnd``/``rfftnd``/``irfftnd`` (also
top-level ``tf.fftnd``...), ops ``FFTND``, ``IFFTND``, ``RFFTND``, ``IRFFTND``.

Each op transforms ``input`` over the dimensions ``axes``, cropping or zero-padding each to
its ``fft_length`` first (as ``numpy.fft.fftn(x, s=fft_length, axes=axes)``); ``RFFTND``
keeps the last axis's ``n // 2 + 1`` non-negative frequencies, ``IRFFTND`` reads them.
The wrappers are TF's: ``axes`` default to every dimension and ``fft_length`` to their
sizes (for ``irfftnd``, ``2 * (n - 1)`` on the last); the input is first zero-padded on its
last ``len(axes)`` dimensions up to ``fft_length`` (TF pads those, whichever ``axes`` are
given); ``norm`` ``"forward"``/``"ortho"`` scales the input by the transform's size, which
must then be known while building (TF fails in graph mode otherwise).

TensorFlow registers these ops' kernels for GPUs only (a CPU run fails there) and no
gradients (``tf.gradients`` raises ``LookupError``, as in TF); scopeflow runs them anywhere.
TF's top-level ``tf.fftnd``... are the bare ops (``fftnd_op`` here: every argument given).

Deliberate difference: TF's shape function gives the ops' output the (padded) input's
shape, which the values do not have when a length crops or for ``rfftnd``'s last axis;
scopeflow's static shapes are the values' shapes.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.array.basic import shape
from scopeflow.ops.core.infer import (
    COMPLEX,
    apply_op,
    check_dtype_in,
    constant_value,
    no_gradient,
    shape_value,
)
from scopeflow.ops.signal.fft import _maybe_pad

_REAL = {dtypes.complex64: dtypes.float32, dtypes.complex128: dtypes.float64}
_COMPLEX = {v: k for k, v in _REAL.items()}


def _fftnd_infer(op_type: str):
    def infer(inputs, attrs):
        x, fft_length, axes = inputs
        if op_type == "RFFTND":
            dtype = check_dtype_in(op_type, "input", x, (dtypes.float32, dtypes.float64))
            out_dtype = attrs["Tcomplex"]
        else:
            dtype = check_dtype_in(op_type, "input", x, COMPLEX)
            out_dtype = attrs["Treal"] if op_type == "IRFFTND" else dtype
        check_dtype_in(op_type, "fft_length", fft_length, (dtypes.int32,))
        check_dtype_in(op_type, "axes", axes, (dtypes.int32,))
        known, dims = shape_value(fft_length), constant_value(axes)
        lengths = known.as_list() if known.is_fully_defined() else None
        if x.shape.ndims is None:
            return [(out_dtype, TensorShape(None))]
        out = x.shape.as_list()
        if lengths is None or dims is None:
            for axis in range(len(out)):  # which dimensions change is not known
                out[axis] = None
        else:
            lengths = [int(n) for n in np.reshape(lengths, -1)]
            dims = [int(a) % len(out) for a in np.reshape(dims, -1)]
            for axis, n in zip(dims, lengths, strict=False):
                out[axis] = n
            if op_type == "RFFTND" and dims:
                out[dims[-1]] = lengths[len(dims) - 1] // 2 + 1
        return [(out_dtype, TensorShape(out))]

    return infer


def _fftnd_kernel(op_type: str):
    def kernel(ctx, op, x, fft_length, axes):
        import scipy.fft

        lengths = [int(n) for n in np.reshape(fft_length, -1)]
        dims = [int(a) for a in np.reshape(axes, -1)]
        if len(lengths) != len(dims):
            raise errors.InvalidArgumentError(
                None, op, f"fft_length ({len(lengths)}) and axes ({len(dims)}) differ in size"
            )
        if any(not -x.ndim <= a < x.ndim for a in dims):
            raise errors.InvalidArgumentError(
                None, op, f"axes {dims} out of range for input of rank {x.ndim}"
            )
        if any(n < 0 for n in lengths):
            raise errors.InvalidArgumentError(
                None, op, f"fft_length must be non-negative, got {lengths}"
            )
        if op_type == "RFFTND":
            out_dtype = op._attrs["Tcomplex"].as_numpy_dtype
        elif op_type == "IRFFTND":
            out_dtype = op._attrs["Treal"].as_numpy_dtype
        else:
            out_dtype = x.dtype
        transform = {
            "FFTND": scipy.fft.fftn,
            "IFFTND": scipy.fft.ifftn,
            "RFFTND": scipy.fft.rfftn,
            "IRFFTND": scipy.fft.irfftn,
        }[op_type]
        if not dims:
            return x.astype(out_dtype)
        out_shape = list(x.shape)
        for axis, n in zip(dims, lengths, strict=True):
            out_shape[axis] = n
        if op_type == "RFFTND":
            out_shape[dims[-1]] = lengths[-1] // 2 + 1
        if 0 in out_shape or x.size == 0:
            return np.zeros(out_shape, out_dtype)
        return transform(x, s=lengths, axes=dims).astype(out_dtype, copy=False)

    return kernel


for _type in ("FFTND", "IFFTND", "RFFTND", "IRFFTND"):
    register_op(_type, _fftnd_infer(_type), kernel=_fftnd_kernel(_type), grad=no_gradient)


def _scaled(x, lengths, norm: str, inverse: bool):
    """The input times the transform's size (or its root) as TF's wrappers scale it."""
    if norm == "backward":
        return x
    if norm not in ("forward", "ortho"):
        raise ValueError(f"norm must be 'backward', 'forward' or 'ortho', got {norm!r}")
    if lengths is None:
        raise TypeError(
            f"norm={norm!r} needs fft_length known while building (TF's wrapper iterates over "
            "it and fails in graph mode): pass fft_length as a list"
        )
    n = int(np.prod([int(v) for v in np.reshape(lengths, -1)]))
    factor = n if norm == "forward" else np.sqrt(n)
    return x * factor if inverse else x / factor


def _transform(op_type, x, fft_length, axes, norm, name, default_name, hint):
    with name_scope(name, default_name, [x, fft_length, axes]) as scope:
        if axes is None:
            x_rank = len(x.shape) if hasattr(x, "shape") else np.ndim(x)
            axes = convert_to_tensor(np.arange(x_rank), dtypes.int32)
        else:
            axes = convert_to_tensor(axes, dtypes.int32)
        fft_rank = axes.shape.as_list()[0]
        x = convert_to_tensor(x, dtype_hint=hint)
        if x.shape.ndims is not None and x.shape.ndims < fft_rank:
            raise ValueError(f"Shape must be at least rank {fft_rank} but is rank {x.shape.ndims}")
        attrs = {}
        if op_type == "RFFTND":
            if x.dtype.base_dtype not in (dtypes.float32, dtypes.float64):
                raise ValueError(f"RFFT requires tf.float32 or tf.float64 inputs, got: {x}")
            attrs["Tcomplex"] = _COMPLEX[x.dtype.base_dtype]
        if op_type == "IRFFTND":
            if x.dtype.base_dtype not in COMPLEX:
                raise ValueError(f"IRFFT requires tf.complex64 or tf.complex128 inputs, got: {x}")
            attrs["Treal"] = _REAL[x.dtype.base_dtype]
        if fft_length is None:
            fft_length = _default_length(x, op_type == "IRFFTND")
        else:
            fft_length = convert_to_tensor(fft_length, dtypes.int32)
        x = _maybe_pad(x, fft_rank, fft_length, inverse=op_type == "IRFFTND")
        lengths = constant_value(fft_length)
        inverse = op_type in ("IFFTND", "IRFFTND")
        x = _scaled(x, lengths, norm or "backward", inverse)
        if lengths is not None:
            fft_length = convert_to_tensor(lengths, dtypes.int32, name="fft_length")
        return apply_op(op_type, [x, fft_length, axes], attrs, name=scope)


def _default_length(x, inverse: bool):
    """TF's default ``fft_length``: every dimension's size (for ``irfftnd``, the last one's
    ``2 * (n - 1)``, which must be known)."""
    if not inverse:
        return shape(x)[-x.shape.ndims :]
    lengths = x.shape.as_list()
    lengths[-1] = max(0, 2 * (lengths[-1] - 1))
    return convert_to_tensor(lengths, dtypes.int32)


@undo.atomic
def fftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The N-D discrete Fourier transform of complex ``input_tensor`` over ``axes`` (all
    dimensions by default), each cropped or zero-padded to ``fft_length``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([[1, 2], [3, 4]], tf.complex64)
    ...     print(tf.Session().run(tf.signal.fftnd(x)).real)
    [[10. -2.]
     [-4.  0.]]
    """
    return _transform(
        "FFTND", input_tensor, fft_length, axes, norm, name, "fftnd", dtypes.complex64
    )


@undo.atomic
def ifftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The inverse of :func:`fftnd`."""
    return _transform(
        "IFFTND", input_tensor, fft_length, axes, norm, name, "ifftnd", dtypes.complex64
    )


@undo.atomic
def rfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """:func:`fftnd` of a real signal, keeping the last axis's non-negative frequencies."""
    return _transform(
        "RFFTND", input_tensor, fft_length, axes, norm, name, "rfftnd", dtypes.float32
    )


@undo.atomic
def irfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The real signal whose :func:`rfftnd` is ``input_tensor``."""
    return _transform(
        "IRFFTND", input_tensor, fft_length, axes, norm, name, "irfftnd", dtypes.complex64
    )


def _raw(op_type: str, x, fft_length, axes, attrs: dict, name):
    with name_scope(name, op_type, [x, fft_length, axes]) as scope:
        x = convert_to_tensor(x, name="input")
        fft_length = convert_to_tensor(fft_length, dtypes.int32, name="fft_length")
        axes = convert_to_tensor(axes, dtypes.int32, name="axes")
        return apply_op(op_type, [x, fft_length, axes], attrs, name=scope)


@undo.atomic
def fftnd_op(input, fft_length, axes, name=None):  # noqa: A002 - TF's signature
    """``tf.fftnd`` (TF 2.21's compat.v1 top level): the ``FFTND`` op itself, every
    argument given (:func:`fftnd` infers them)."""
    return _raw("FFTND", input, fft_length, axes, {}, name)


@undo.atomic
def ifftnd_op(input, fft_length, axes, name=None):  # noqa: A002 - TF's signature
    """``tf.ifftnd``: the ``IFFTND`` op itself."""
    return _raw("IFFTND", input, fft_length, axes, {}, name)


@undo.atomic
def rfftnd_op(input, fft_length, axes, Tcomplex=dtypes.complex64, name=None):  # noqa: A002,N803
    """``tf.rfftnd``: the ``RFFTND`` op itself."""
    return _raw("RFFTND", input, fft_length, axes, {"Tcomplex": dtypes.as_dtype(Tcomplex)}, name)


@undo.atomic
def irfftnd_op(input, fft_length, axes, Treal=dtypes.float32, name=None):  # noqa: A002,N803
    """``tf.irfftnd``: the ``IRFFTND`` op itself."""
    return _raw("IRFFTND", input, fft_length, axes, {"Treal": dtypes.as_dtype(Treal)}, name)


__all__ = ["fftnd", "ifftnd", "irfftnd", "rfftnd"]
