"""``LinearOperatorLowRankUpdate``: ``A = L + U D V^H``, solved with the Woodbury identity and
its determinant taken with the matrix determinant lemma (through the ``K x K`` capacitance
matrix ``C = D^{-1} + V^H L^{-1} U``)."""

from __future__ import annotations

from scopeflow.framework.graph_api import name_scope
from scopeflow.linalg_ops.base import LinearOperator
from scopeflow.linalg_ops.dense import LinearOperatorDiag
from scopeflow.linalg_ops.derived import broadcast_batch_shapes
from scopeflow.linalg_ops.identity import LinearOperatorIdentity
from scopeflow.linalg_ops.util import (
    constructor_parameters,
    convert_arg,
    matrix_solve_with_broadcast,
)
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.join import concat
from scopeflow.ops.math.broadcasting import broadcast_dynamic_shape
from scopeflow.ops.math.elementwise import conj, log
from scopeflow.ops.math.linalg import matrix_diag_part
from scopeflow.ops.math.linalg_solve import adjoint as adjoint_
from scopeflow.ops.math.linalg_solve import (
    cholesky,
    cholesky_solve,
    matrix_determinant,
    slogdet,
)
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.reduction import reduce_sum


class LinearOperatorLowRankUpdate(LinearOperator):
    """``L + U D V^H``: a base operator ``L`` plus a rank ``K`` update (``D`` diagonal,
    the identity when ``diag_update`` is None; ``V = U`` when ``v`` is None)."""

    def __init__(
        self,
        base_operator,
        u,
        diag_update=None,
        v=None,
        is_diag_update_positive=None,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorLowRankUpdate",
    ):
        parameters = constructor_parameters(locals())
        dtype = base_operator.dtype
        if diag_update is None:
            if is_diag_update_positive is False:
                raise ValueError(
                    "Default diagonal is the identity, which is positive.  However, "
                    "user set 'is_diag_update_positive' to False."
                )
            is_diag_update_positive = True
        # A symmetric update of a self-adjoint base is self-adjoint (D real: dtype real).
        if v is None and base_operator.is_self_adjoint and not dtype.is_complex:
            if is_self_adjoint is False:
                raise ValueError(
                    "A = L + UDU^H, with L self-adjoint and D real diagonal.  Since UDU^H is "
                    "self-adjoint, this must be a self-adjoint operator."
                )
            is_self_adjoint = True
        if (
            base_operator.is_positive_definite
            and base_operator.is_self_adjoint
            and is_diag_update_positive
            and v is None
        ):
            if is_positive_definite is False:
                raise ValueError(
                    "A = L + UDU^H, with L positive definite and D positive, is always "
                    "positive definite."
                )
            is_positive_definite = True
        with name_scope(name):
            self._u = convert_arg(u, "u", dtype=dtype)
            self._v = self._u if v is None else convert_arg(v, "v", dtype=dtype)
            self._diag_update = (
                None
                if diag_update is None
                else convert_arg(diag_update, "diag_update", dtype=dtype)
            )
            self._base_operator = base_operator
            self._is_diag_update_positive = is_diag_update_positive
            self._symmetric = v is None
            self._check_shapes()
            if self._diag_update is None:
                k = self._u.shape[-1].value
                self._diag_operator = LinearOperatorIdentity(
                    k if k is not None else shape(self._u)[-1], dtype=dtype
                )
            else:
                self._diag_operator = LinearOperatorDiag(
                    self._diag_update, is_positive_definite=is_diag_update_positive
                )
        super().__init__(
            dtype=dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name,
            parameters=parameters,
        )
        self._use_cholesky = bool(
            self.is_positive_definite
            and self.is_self_adjoint
            and is_diag_update_positive
            and self._symmetric
        )

    def _check_shapes(self) -> None:
        base = self._base_operator
        if base.is_square is False:
            base.domain_dimension.assert_is_compatible_with(base.range_dimension)
        u, v = self._u.shape, self._v.shape
        if u.ndims is not None and v.ndims is not None:
            u[-1].assert_is_compatible_with(v[-1])
            u[-2].assert_is_compatible_with(base.range_dimension)
            v[-2].assert_is_compatible_with(base.domain_dimension)
        if self._diag_update is not None and self._diag_update.shape.ndims is not None:
            self._diag_update.shape[-1].assert_is_compatible_with(u[-1])

    @property
    def u(self):
        return self._u

    @property
    def v(self):
        return self._v

    @property
    def diag_update(self):
        return self._diag_update

    @property
    def diag_operator(self):
        return self._diag_operator

    @property
    def base_operator(self):
        return self._base_operator

    @property
    def is_diag_update_positive(self):
        return self._is_diag_update_positive

    def _shape(self):
        parts = [self._base_operator.batch_shape, self._u.shape[:-2], self._v.shape[:-2]]
        if self._diag_update is not None:
            parts.append(self._diag_update.shape[:-1])
        batch = broadcast_batch_shapes([_Batch(p) for p in parts])
        return batch.concatenate(self._base_operator.shape[-2:])

    def _shape_tensor(self):
        batch = broadcast_dynamic_shape(
            self._base_operator.batch_shape_tensor(), shape(self._u)[:-2]
        )
        batch = broadcast_dynamic_shape(batch, shape(self._v)[:-2])
        return concat([batch, self._base_operator.shape_tensor()[-2:]], axis=0)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        u, v = (self._v, self._u) if adjoint else (self._u, self._v)
        leading = self._base_operator.matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)
        vh_x = matmul(v, x, adjoint_a=True, adjoint_b=adjoint_arg)
        d_vh_x = self._diag_operator.matmul(vh_x, adjoint=adjoint)
        return leading + matmul(u, d_vh_x)

    def _capacitance(self):
        """``C = D^{-1} + V^H L^{-1} U``, the ``K x K`` matrix of the update."""
        linv_u = self._base_operator.solve(self._u)
        vh_linv_u = matmul(self._v, linv_u, adjoint_a=True)
        return self._diag_operator.inverse().add_to_tensor(vh_linv_u)

    def _determinant(self):
        if self._use_cholesky:
            return super()._determinant()
        det_c = matrix_determinant(self._capacitance())
        det_d = self._diag_operator.determinant()
        return self._base_operator.determinant() * det_d * det_c

    def _log_abs_determinant(self):
        capacitance = self._capacitance()
        if self._use_cholesky:
            diag = matrix_diag_part(cholesky(capacitance))
            lad_c = 2.0 * reduce_sum(log(diag), axis=[-1])
        else:
            lad_c = slogdet(capacitance)[1]
        lad_d = self._diag_operator.log_abs_determinant()
        return self._base_operator.log_abs_determinant() + lad_d + lad_c

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        if self._base_operator.is_non_singular is False:
            raise ValueError(
                "Solve not implemented unless this is a perturbation of a non-singular "
                "LinearOperator."
            )
        rhs = adjoint_(rhs) if adjoint_arg else rhs
        u, v = (self._v, self._u) if adjoint else (self._u, self._v)
        linv_rhs = self._base_operator.solve(rhs, adjoint=adjoint)
        vh_linv_rhs = matmul(v, linv_rhs, adjoint_a=True)
        capacitance = self._capacitance()
        if adjoint:
            capacitance = adjoint_(capacitance)
        if self._use_cholesky:
            c_solved = cholesky_solve(cholesky(capacitance), vh_linv_rhs)
        else:
            c_solved = matrix_solve_with_broadcast(capacitance, vh_linv_rhs)
        linv_u_c = self._base_operator.solve(matmul(u, c_solved), adjoint=adjoint)
        return linv_rhs - linv_u_c

    def _diag_part(self):
        d = self._diag_update
        uv = self._u * conj(self._v) if d is None else self._u * conj(self._v) * d[..., None, :]
        return self._base_operator.diag_part() + reduce_sum(uv, axis=-1)

    def _assert_self_adjoint(self):
        if self._symmetric:
            return self._base_operator.assert_self_adjoint()
        return super()._assert_self_adjoint()


class _Batch:
    """A batch shape dressed as an operator, for ``broadcast_batch_shapes``."""

    def __init__(self, batch_shape):
        self.batch_shape = batch_shape
