"""Operators made of blocks: ``LinearOperatorBlockDiag`` (the direct sum of operators) and
``LinearOperatorBlockLowerTriangular``."""

from __future__ import annotations

import functools

import numpy as np

from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_shape import TensorShape, dimension_value
from scopeflow.linalg_ops.base import LinearOperator
from scopeflow.linalg_ops.derived import (
    SideBySide,
    broadcast_batch_shapes,
    broadcast_batch_tensors,
    check_operator_list,
    check_same_dtype,
    group_of,
    product_of,
    sum_of,
)
from scopeflow.linalg_ops.util import constructor_parameters, convert_arg
from scopeflow.ops.array.basic import shape, zeros
from scopeflow.ops.array.join import concat, split
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.math.broadcasting import broadcast_dynamic_shape, broadcast_to
from scopeflow.ops.math.linalg_solve import adjoint as adjoint_


def _all_true_hint(operators, key: str, given, message: str):
    """TF's rule: a property all blocks have, the whole has (a contrary hint is an error)."""
    if all(getattr(op, key) for op in operators):
        if given is False:
            raise ValueError(message)
        return True
    return given


def _split_sizes(operators, attr: str):
    values = [dimension_value(getattr(op, attr)) for op in operators]
    if None in values:
        return [getattr(op, attr + "_tensor")() for op in operators]
    return values


def broadcast_results(results: list) -> list:
    """The blocks' results with their batch dimensions broadcast to a common shape."""
    shapes = [r.shape for r in results]
    if all(s.ndims is not None and s[:-2].is_fully_defined() for s in shapes):
        batches = {tuple(s[:-2].as_list()) for s in shapes}
        if len(batches) == 1:
            return results
    with name_scope("broadcast_matrix_batch_dims"):
        batch = functools.reduce(broadcast_dynamic_shape, [shape(r)[:-2] for r in results])
        return [broadcast_to(r, concat([batch, shape(r)[-2:]], axis=0)) for r in results]


class _Blockwise:
    """``matmul``/``matvec``/``solve``/``solvevec`` of a list holding one tensor a block (TF's
    blockwise arguments) give a list of the blocks of the result."""

    def _is_blockwise(self, x) -> bool:
        return (
            isinstance(x, (list, tuple))
            and len(x) == len(self._block_operators())
            and all(
                isinstance(b, (Tensor, np.ndarray)) or hasattr(b, "_as_graph_element") for b in x
            )
        )

    def _converted(self, blocks, name: str) -> list:
        converted = [convert_arg(b, name) for b in blocks]
        for b in converted:
            self._check_input_dtype(b)
        return converted

    def matmul(self, x, adjoint=False, adjoint_arg=False, name="matmul"):
        if not self._is_blockwise(x):
            return super().matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg, name=name)
        with self._name_scope(name):
            blocks = self._converted(x, "x")
            blocks = [adjoint_(b) for b in blocks] if adjoint_arg else blocks
            return self._matmul_blocks(blocks, adjoint)

    def matvec(self, x, adjoint=False, name="matvec"):
        if not self._is_blockwise(x):
            return super().matvec(x, adjoint=adjoint, name=name)
        with self._name_scope(name):
            blocks = [expand_dims(b, -1) for b in self._converted(x, "x")]
            return [squeeze(r, axis=[-1]) for r in self._matmul_blocks(blocks, adjoint)]

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name="solve"):
        if not self._is_blockwise(rhs):
            return super().solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg, name=name)
        self._check_solvable()
        with self._name_scope(name):
            blocks = self._converted(rhs, "rhs")
            blocks = [adjoint_(b) for b in blocks] if adjoint_arg else blocks
            return self._solve_blocks(blocks, adjoint)

    def solvevec(self, rhs, adjoint=False, name="solve"):
        if not self._is_blockwise(rhs):
            return super().solvevec(rhs, adjoint=adjoint, name=name)
        self._check_solvable()
        with self._name_scope(name):
            blocks = [expand_dims(b, -1) for b in self._converted(rhs, "rhs")]
            return [squeeze(r, axis=[-1]) for r in self._solve_blocks(blocks, adjoint)]


class LinearOperatorBlockDiag(_Blockwise, SideBySide, LinearOperator):
    """The block diagonal operator ``diag(A1, ..., An)`` of operators (the direct sum)."""

    def __init__(
        self,
        operators,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        name=None,
    ):
        parameters = constructor_parameters(locals())
        operators = list(operators)
        check_operator_list(operators)
        self._operators = operators
        check_same_dtype(operators)
        is_non_singular = _all_true_hint(
            operators,
            "is_non_singular",
            is_non_singular,
            "The direct sum of non-singular operators is always non-singular.",
        )
        is_self_adjoint = _all_true_hint(
            operators,
            "is_self_adjoint",
            is_self_adjoint,
            "The direct sum of self-adjoint operators is always self-adjoint.",
        )
        is_positive_definite = _all_true_hint(
            operators,
            "is_positive_definite",
            is_positive_definite,
            "The direct sum of positive definite operators is always positive definite.",
        )
        name = name or "_ds_".join(op.name for op in operators)
        with name_scope(name):
            super().__init__(
                dtype=operators[0].dtype,
                is_non_singular=is_non_singular,
                is_self_adjoint=is_self_adjoint,
                is_positive_definite=is_positive_definite,
                is_square=is_square if all(op.is_square for op in operators) else None,
                name=name,
                parameters=parameters,
            )

    @property
    def operators(self) -> list:
        return list(self._operators)

    def _total(self, attr: str):
        values = [dimension_value(getattr(op, attr)) for op in self._operators]
        return None if None in values else sum(values)

    def _shape(self):
        matrix = TensorShape([self._total("range_dimension"), self._total("domain_dimension")])
        return broadcast_batch_shapes(self._operators).concatenate(matrix)

    def _shape_tensor(self):
        rows = functools.reduce(
            lambda a, b: a + b, [op.range_dimension_tensor() for op in self._operators]
        )
        cols = functools.reduce(
            lambda a, b: a + b, [op.domain_dimension_tensor() for op in self._operators]
        )
        return concat([broadcast_batch_tensors(self._operators), [rows, cols]], axis=0)

    def _block_operators(self) -> list:
        return self._operators

    def _apply(self, x, method: str, in_attr: str, axis: int, **kwargs):
        pieces = split(x, _split_sizes(self._operators, in_attr), axis=axis)
        results = [
            getattr(op, method)(piece, **kwargs)
            for op, piece in zip(self._operators, pieces, strict=True)
        ]
        return concat(broadcast_results(results), axis=axis)

    def _matmul_blocks(self, blocks, adjoint) -> list:
        return [
            op.matmul(b, adjoint=adjoint) for op, b in zip(self._operators, blocks, strict=True)
        ]

    def _solve_blocks(self, blocks, adjoint) -> list:
        return [op.solve(b, adjoint=adjoint) for op, b in zip(self._operators, blocks, strict=True)]

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = adjoint_(x) if adjoint_arg else x
        in_attr = "range_dimension" if adjoint else "domain_dimension"
        return self._apply(x, "matmul", in_attr, -2, adjoint=adjoint)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = adjoint_(rhs) if adjoint_arg else rhs
        in_attr = "domain_dimension" if adjoint else "range_dimension"
        return self._apply(rhs, "solve", in_attr, -2, adjoint=adjoint)

    def _determinant(self):
        return product_of(self._operators, "determinant")

    def _log_abs_determinant(self):
        return sum_of(self._operators, "log_abs_determinant")

    def _trace(self):
        return sum_of(self._operators, "trace")

    def _diag_part(self):
        if not all(op.is_square for op in self._operators):
            return super()._diag_part()
        parts = [op.diag_part()[..., None] for op in self._operators]
        return concat(broadcast_results(parts), axis=-2)[..., 0]

    def _eigvals(self):
        parts = [op.eigvals()[..., None] for op in self._operators]
        return concat(broadcast_results(parts), axis=-2)[..., 0]

    def _to_dense(self):
        cols = _split_sizes(self._operators, "domain_dimension")
        rows = []
        for i, op in enumerate(self._operators):
            dense = op.to_dense()
            row = []
            for j, width in enumerate(cols):
                if i == j:
                    row.append(dense)
                else:
                    height = (
                        op.range_dimension_tensor()
                        if dimension_value(op.range_dimension) is None
                        else dimension_value(op.range_dimension)
                    )
                    row.append(_zeros_block(dense, height, width, self))
            rows.append(concat(broadcast_results(row), axis=-1))
        return concat(broadcast_results(rows), axis=-2)

    def _with(self, operators, **overrides):
        return LinearOperatorBlockDiag(operators, **self._hints(**overrides))

    def _adjoint_operator(self):
        return self._with([op.adjoint() for op in self._operators])

    def _solve_rule(self, right):
        if isinstance(right, LinearOperatorBlockDiag) and _same_blocks(self, right):
            return self.inverse()._matmul_operator(right)
        return None

    def _matmul_operator(self, other):
        if isinstance(other, LinearOperatorBlockDiag) and _same_blocks(self, other):
            products = [a.matmul(b) for a, b in zip(self._operators, other.operators, strict=True)]
            return LinearOperatorBlockDiag(
                products,
                is_non_singular=True if self.is_non_singular and other.is_non_singular else None,
                is_square=True,
            )
        return super()._matmul_operator(other)

    def _inverse_operator(self):
        return self._with([op.inverse() for op in self._operators])

    def _cholesky_operator(self):
        return self._with(
            [op.cholesky() for op in self._operators],
            is_non_singular=True,
            is_self_adjoint=None,
            is_positive_definite=None,
        )


def _same_blocks(left, right) -> bool:
    """Whether ``left``'s column blocks are ``right``'s row blocks (known while building)."""
    if len(left.operators) != len(right.operators):
        return False
    for a, b in zip(left.operators, right.operators, strict=True):
        n, m = dimension_value(a.domain_dimension), dimension_value(b.range_dimension)
        if n is None or n != m:
            return False
    return True


def _zeros_block(like, height, width, op: LinearOperator):
    if isinstance(height, int) and isinstance(width, int) and like.shape[:-2].is_fully_defined():
        return zeros(like.shape[:-2].as_list() + [height, width], dtype=op.dtype)
    return zeros(concat([shape(like)[:-2], [height, width]], axis=0), dtype=op.dtype)


class LinearOperatorBlockLowerTriangular(_Blockwise, LinearOperator):
    """A square block lower triangular operator: row ``i`` of ``operators`` holds the
    ``i + 1`` blocks ``A_i0 ... A_ii``; the diagonal blocks are square."""

    def __init__(
        self,
        operators,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorBlockLowerTriangular",
    ):
        parameters = constructor_parameters(locals())
        operators = [list(row) for row in operators]
        check_operator_list(operators, argument_words=True)
        self._operators = operators
        self._check_blocks()
        flat = [op for row in operators for op in row]
        check_same_dtype(flat, argument_words=True)
        if is_square is False:
            raise ValueError(
                "`LinearOperatorBlockLowerTriangular` must be square. Expected argument "
                "`is_square` to be True. Received: False."
            )
        diagonal = [row[-1] for row in operators]
        if all(op.is_non_singular for op in diagonal):
            if is_non_singular is False:
                raise ValueError(
                    "A blockwise lower-triangular operator with non-singular operators on the "
                    "main diagonal is always non-singular."
                )
            is_non_singular = True
        with name_scope(name):
            super().__init__(
                dtype=flat[0].dtype,
                is_non_singular=is_non_singular,
                is_self_adjoint=is_self_adjoint,
                is_positive_definite=is_positive_definite,
                is_square=True,
                name=name,
                parameters=parameters,
            )

    def _check_blocks(self) -> None:
        for i, row in enumerate(self._operators):
            if len(row) != i + 1:
                raise ValueError(
                    f"Argument `operators[{i}]` must contain `{i + 1}` blocks. "
                    f"Received: {len(row)} blocks."
                )
            if row[-1].is_square is False:
                raise ValueError(
                    "Matrices on the diagonal (the final elements of each row-partition in the "
                    "`operators` list) must be square. Expected argument "
                    f"`operators[{i}][-1].is_square` to be True. Received: False."
                )
            for j, op in enumerate(row[:-1]):
                for attr, other in (
                    ("domain_dimension", self._operators[j][-1]),
                    ("range_dimension", row[-1]),
                ):
                    mine, theirs = (
                        dimension_value(getattr(op, attr)),
                        dimension_value(getattr(other, attr)),
                    )
                    if mine is not None and theirs is not None and mine != theirs:
                        ref = (
                            f"operators[{j}][{j}]"
                            if attr == "domain_dimension"
                            else (f"operators[{i}][{i}]")
                        )
                        raise ValueError(
                            f"Argument `operators[{i}][{j}].{attr}` ({mine}) must be the same "
                            f"as `{ref}.{attr}` ({theirs})."
                        )

    @property
    def operators(self) -> list:
        return [list(row) for row in self._operators]

    def _diagonal(self) -> list:
        return [row[-1] for row in self._operators]

    def _shape(self):
        sizes = [dimension_value(op.domain_dimension) for op in self._diagonal()]
        n = None if None in sizes else sum(sizes)
        flat = [op for row in self._operators for op in row]
        return broadcast_batch_shapes(flat).concatenate([n, n])

    def _shape_tensor(self):
        n = functools.reduce(
            lambda a, b: a + b, [op.domain_dimension_tensor() for op in self._diagonal()]
        )
        flat = [op for row in self._operators for op in row]
        return concat([broadcast_batch_tensors(flat), [n, n]], axis=0)

    def _block_operators(self) -> list:
        return self._diagonal()

    def _blocks_of(self, x):
        return split(x, _split_sizes(self._diagonal(), "domain_dimension"), axis=-2)

    def _matmul_blocks(self, blocks, adjoint) -> list:
        n = len(self._operators)
        results = []
        for i in range(n):
            if adjoint:  # column i of the blocks, transposed: A_ji^H for j >= i
                terms = [self._operators[j][i].matmul(blocks[j], adjoint=True) for j in range(i, n)]
            else:
                terms = [op.matmul(blocks[j]) for j, op in enumerate(self._operators[i])]
            results.append(_sum(broadcast_results(terms)))
        return results

    def _solve_blocks(self, blocks, adjoint) -> list:
        n = len(self._operators)
        solved: dict[int, object] = {}
        order = range(n - 1, -1, -1) if adjoint else range(n)
        for i in order:
            if adjoint:
                known = [
                    self._operators[j][i].matmul(solved[j], adjoint=True) for j in range(i + 1, n)
                ]
            else:
                known = [self._operators[i][j].matmul(solved[j]) for j in range(i)]
            remainder = blocks[i]
            if known:
                remainder = remainder - _sum(broadcast_results(known))
            solved[i] = self._operators[i][i].solve(remainder, adjoint=adjoint)
        return [solved[i] for i in range(n)]

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = adjoint_(x) if adjoint_arg else x
        results = self._matmul_blocks(self._blocks_of(x), adjoint)
        return concat(broadcast_results(results), axis=-2)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = adjoint_(rhs) if adjoint_arg else rhs
        results = self._solve_blocks(self._blocks_of(rhs), adjoint)
        return concat(broadcast_results(results), axis=-2)

    def _determinant(self):
        return product_of(self._diagonal(), "determinant")

    def _log_abs_determinant(self):
        return sum_of(self._diagonal(), "log_abs_determinant")

    def _trace(self):
        return sum_of(self._diagonal(), "trace")

    def _diag_part(self):
        parts = [op.diag_part()[..., None] for op in self._diagonal()]
        return concat(broadcast_results(parts), axis=-2)[..., 0]

    def _to_dense(self):
        widths = _split_sizes(self._diagonal(), "domain_dimension")
        rows = []
        for i, row in enumerate(self._operators):
            dense = [op.to_dense() for op in row]
            height = widths[i]
            blocks = dense + [
                _zeros_block(dense[-1], height, widths[j], self)
                for j in range(i + 1, len(self._operators))
            ]
            rows.append(concat(broadcast_results(blocks), axis=-1))
        return concat(broadcast_results(rows), axis=-2)

    def _assert_non_singular(self):
        return group_of(self._diagonal(), "assert_non_singular")


def _sum(terms: list):
    return terms[0] if len(terms) == 1 else functools.reduce(lambda a, b: a + b, terms)
