"""Circulant operators, known by their spectrum (the DFT of the convolution kernel):
``LinearOperatorCirculant`` (1-D), ``LinearOperatorCirculant2D`` and
``LinearOperatorCirculant3D`` (nested block circulants), applied with FFTs."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.linalg_ops.base import LinearOperator
from scopeflow.linalg_ops.util import (
    assert_no_entries_with_modulus_zero,
    assert_zero_imag_part,
    constructor_parameters,
    convert_arg,
)
from scopeflow.ops.array.basic import ones, reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.transpose import matrix_transpose, transpose
from scopeflow.ops.control.assertions import assert_less, assert_positive
from scopeflow.ops.math.complex import imag, real
from scopeflow.ops.math.elementwise import abs as abs_
from scopeflow.ops.math.elementwise import conj, log
from scopeflow.ops.math.linalg_solve import adjoint as adjoint_
from scopeflow.ops.math.reduction import reduce_max, reduce_min, reduce_prod, reduce_sum
from scopeflow.ops.signal.fft import fft, fft2d, fft3d, ifft, ifft2d, ifft3d

_FFTS = {1: (fft, ifft), 2: (fft2d, ifft2d), 3: (fft3d, ifft3d)}


class _BaseCirculant(LinearOperator):
    """What the 1-, 2- and 3-D circulant operators share."""

    _depth = 1

    def __init__(
        self,
        spectrum,
        input_output_dtype=dtypes.complex64,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        name=None,
    ):
        parameters = constructor_parameters(locals())
        name = name or type(self).__name__
        if is_square is False:
            raise ValueError(
                "A [[nested] block] circulant operator is always square. Expected argument "
                "`is_square` to be True. Received: False."
            )
        with name_scope(name):
            self._spectrum = convert_arg(spectrum, "spectrum")
            ndims = self._spectrum.shape.ndims
            if ndims is not None and ndims < self._depth:
                raise ValueError(
                    f"Argument `spectrum` must have at least {self._depth} dimensions. "
                    f"Received: {self._spectrum}."
                )
            if not self._spectrum.dtype.is_complex:
                if is_self_adjoint is False:
                    raise ValueError(
                        "A real spectrum always corresponds to a self-adjoint operator."
                    )
                is_self_adjoint = True
        super().__init__(
            dtype=dtypes.as_dtype(input_output_dtype),
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=parameters,
        )

    @property
    def spectrum(self):
        return self._spectrum

    @property
    def block_depth(self) -> int:
        return self._depth

    @property
    def block_shape(self) -> TensorShape:
        return self._spectrum.shape[-self._depth :]

    def block_shape_tensor(self):
        return shape(self._spectrum)[-self._depth :]

    def _complex_dtype(self):
        d = self._spectrum.dtype
        if d.is_complex:
            return d
        return dtypes.complex128 if d == dtypes.float64 else dtypes.complex64

    def _complex_spectrum(self):
        s = self._spectrum
        return s if s.dtype.is_complex else cast(s, self._complex_dtype())

    def _size(self):
        block = self.block_shape
        if block.is_fully_defined():
            return int(np.prod(block.as_list()))
        return reduce_prod(self.block_shape_tensor())

    def _shape(self):
        s = self._spectrum.shape
        block = s[-self._depth :]
        n = int(np.prod(block.as_list())) if block.is_fully_defined() else None
        return s[: -self._depth].concatenate([n, n])

    def _shape_tensor(self):
        n = reduce_prod(self.block_shape_tensor())
        return concat([shape(self._spectrum)[: -self._depth], [n, n]], axis=0)

    def _to_io(self, x):
        """``x`` (complex) in the operator's dtype: the real part for a real dtype."""
        if self.dtype.is_complex:
            return cast(x, self.dtype)
        return cast(real(x), self.dtype)

    def _apply(self, x, spectrum):
        """``ifft(spectrum * fft(x))`` on each column of ``x`` laid out as a block."""
        forward, backward = _FFTS[self._depth]
        x = cast(x, self._complex_dtype())
        columns = _rotate(x)
        s = shape(columns)
        blocks = reshape(columns, concat([s[:-1], self.block_shape_tensor()], axis=0))
        spec = _insert_column_axis(spectrum, self._depth)
        transformed = backward(spec * forward(blocks))
        flat = reshape(transformed, concat([shape(transformed)[: -self._depth], [-1]], axis=0))
        return self._to_io(_rotate(flat))

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = adjoint_(x) if adjoint_arg else x
        spectrum = self._complex_spectrum()
        return self._apply(x, conj(spectrum) if adjoint else spectrum)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = adjoint_(rhs) if adjoint_arg else rhs
        spectrum = self._complex_spectrum()
        spectrum = conj(spectrum) if adjoint else spectrum
        return self._apply(rhs, 1.0 / spectrum)

    def _block_axes(self) -> list:
        return list(range(-self._depth, 0))

    def _determinant(self):
        return self._to_io(reduce_prod(self._complex_spectrum(), axis=self._block_axes()))

    def _log_abs_determinant(self):
        value = reduce_sum(log(abs_(self._spectrum)), axis=self._block_axes())
        return cast(value, self.dtype)

    def _trace(self):
        return self._to_io(reduce_sum(self._complex_spectrum(), axis=self._block_axes()))

    def _diag_part(self):
        mean = reduce_sum(self._complex_spectrum(), axis=self._block_axes())
        n = self._size()
        mean = mean / cast(n, mean.dtype)
        return self._to_io(mean[..., None] * ones([n], dtype=mean.dtype))

    def _eigvals(self):
        s = self._spectrum
        return reshape(s, concat([shape(s)[: -self._depth], [-1]], axis=0))

    def _cond(self):
        modulus = abs_(self._spectrum)
        axes = self._block_axes()
        return reduce_max(modulus, axis=axes) / reduce_min(modulus, axis=axes)

    def _assert_non_singular(self):
        return assert_no_entries_with_modulus_zero(
            self._spectrum, message="Singular operator:  Spectrum contained zero values."
        )

    def _assert_positive_definite(self):
        return assert_positive(
            real(self._spectrum),
            message="Not positive definite:  Real part of spectrum was not all positive.",
        )

    def _assert_self_adjoint(self):
        return assert_zero_imag_part(
            self._spectrum,
            message="Not self-adjoint:  The spectrum contained non-zero imaginary part.",
        )

    def convolution_kernel(self, name="convolution_kernel"):
        """The kernel ``ifft(spectrum)`` whose circular convolution the operator applies."""
        with self._name_scope(name):
            return _FFTS[self._depth][1](self._complex_spectrum())

    def assert_hermitian_spectrum(self, name="assert_hermitian_spectrum"):
        """An op that fails the run unless the spectrum is Hermitian (a real kernel)."""
        with self._name_scope(name):
            eps = np.finfo(self._complex_dtype().real_dtype.as_numpy_dtype).eps
            kernel_imag = imag(_FFTS[self._depth][1](self._complex_spectrum()))
            limit = cast(self._size(), kernel_imag.dtype) * eps
            return assert_less(abs_(kernel_imag), limit, message="Spectrum was not Hermitian")

    def _like(self, spectrum, **overrides):
        hints = dict(
            input_output_dtype=self.dtype,
            is_non_singular=self.is_non_singular,
            is_self_adjoint=self.is_self_adjoint,
            is_positive_definite=self.is_positive_definite,
            is_square=True,
        )
        hints.update(overrides)
        return type(self)(spectrum, **hints)

    def _adjoint_operator(self):
        # TF builds the adjoint with the default input_output_dtype (complex64).
        spectrum = conj(self._spectrum) if self._spectrum.dtype.is_complex else self._spectrum
        return self._like(spectrum, input_output_dtype=dtypes.complex64)

    def _inverse_operator(self):
        return self._like(1.0 / self._spectrum)

    def _solve_rule(self, right):
        return self.inverse()._matmul_operator(right) if type(right) is type(self) else None

    def _matmul_operator(self, other):
        if type(other) is type(self):
            return self._like(
                self._spectrum * other.spectrum,
                is_non_singular=_both(self.is_non_singular, other.is_non_singular),
                is_self_adjoint=_both(self.is_self_adjoint, other.is_self_adjoint),
                is_positive_definite=_both(self.is_positive_definite, other.is_positive_definite),
            )
        return super()._matmul_operator(other)


def _both(a, b):
    """A hint of a product of commuting operators: True when both are, else unknown."""
    return True if a and b else None


def _rotate(x):
    """``x`` with its last two axes swapped, built as TF's ``rotate_transpose``."""
    rank = x.shape.ndims
    if rank is None:
        return matrix_transpose(x)
    with name_scope("rotate_transpose"):
        return transpose(x, list(range(rank - 2)) + [rank - 1, rank - 2])


def _insert_column_axis(spectrum, depth: int):
    """``[..., *block] -> [..., 1, *block]``: one spectrum for every column."""
    s = shape(spectrum)
    return reshape(spectrum, concat([s[:-depth], [1], s[-depth:]], axis=0))


class LinearOperatorCirculant(_BaseCirculant):
    """A (batch of) circulant matrices ``[..., N, N]`` given by their spectrum ``[..., N]``."""

    _depth = 1

    def __init__(
        self,
        spectrum,
        input_output_dtype=dtypes.complex64,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        name="LinearOperatorCirculant",
    ):
        super().__init__(**constructor_parameters(locals()))


class LinearOperatorCirculant2D(_BaseCirculant):
    """Block circulant with circulant blocks, given by a spectrum ``[..., N0, N1]``."""

    _depth = 2

    def __init__(
        self,
        spectrum,
        input_output_dtype=dtypes.complex64,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        name="LinearOperatorCirculant2D",
    ):
        super().__init__(**constructor_parameters(locals()))


class LinearOperatorCirculant3D(_BaseCirculant):
    """Doubly nested block circulant, given by a spectrum ``[..., N0, N1, N2]``."""

    _depth = 3

    def __init__(
        self,
        spectrum,
        input_output_dtype=dtypes.complex64,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        name="LinearOperatorCirculant3D",
    ):
        super().__init__(**constructor_parameters(locals()))
