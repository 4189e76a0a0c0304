"""``tf.math.sobol_sample``: the ``SobolSample`` op, points of the Sobol' low-discrepancy
sequence in ``[0, 1)^dim``.

TF's kernel draws on Joe and Kuo's direction numbers (``new-joe-kuo-6.21201``, dimensions up to
21200) and skips the sequence's first point, the origin. SciPy's ``scipy.stats.qmc.Sobol``
(unscrambled) is built on the same published table, so the kernel takes its points: they are
TF's, bit for bit, in all 21200 dimensions (checked against TF 2.21). SciPy counts points with
30 bits; TF's kernel overflows past ``2**30`` points and returns values outside ``[0, 1)``
there, which scopeflow refuses (``InvalidArgumentError``).
"""

from __future__ import annotations

import warnings

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.core.static_value import get_static_value

_MAX_DIM = 21200
_MAX_POINTS = 2**30


def _scalar_int(t, what: str):
    if t.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims} for '{what}'")
    value = get_static_value(t)
    return None if value is None else int(value)


def _sobol_infer(inputs, attrs):
    dim, num_results, _ = (
        _scalar_int(t, name) for t, name in zip(inputs, ("dim", "num_results", "skip"), strict=True)
    )
    return [(attrs["dtype"], TensorShape([num_results, dim]))]


def _sobol_kernel(ctx, op, dim, num_results, skip):
    from scipy.stats import qmc

    dim, num_results, skip = int(dim), int(num_results), int(skip)
    for fails, message in (
        (dim < 1, "dim must be at least one"),
        (dim > _MAX_DIM, f"dim must be at most {_MAX_DIM}"),
        (num_results < 1, "num_results must be at least one"),
        (skip < 0, "skip must be non-negative"),
    ):
        if fails:
            raise errors.InvalidArgumentError(None, op, message)
    if skip + num_results >= _MAX_POINTS:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"skip + num_results must be less than 2**30 ({_MAX_POINTS}): the Sobol' sequence "
            "has 30-bit points",
        )
    engine = qmc.Sobol(dim, scramble=False)
    engine.fast_forward(skip + 1)  # TF's sequence starts after the origin
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SciPy's advice to draw powers of 2
        points = engine.random(num_results)
    return points.astype(op._attrs["dtype"].as_numpy_dtype, copy=False)


# Its inputs are integers: no gradient reaches it (TF registers none).
register_op("SobolSample", _sobol_infer, kernel=_sobol_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def sobol_sample(dim, num_results, skip=0, dtype=dtypes.float32, name=None):
    """``[num_results, dim]`` points of the Sobol' sequence, after skipping ``skip`` of them
    (and the origin, as TF).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.sobol_sample(2, 3)))
    [[0.5  0.5 ]
     [0.75 0.25]
     [0.25 0.75]]
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in (dtypes.float32, dtypes.float64):
        raise TypeError(
            f"Value passed to parameter 'dtype' has DataType {dtype.name} not in list of "
            "allowed values: float32, float64"
        )
    with name_scope(name, "sobol"), name_scope("SobolSample") as scope:
        args = [
            convert_to_tensor(v, dtype=dtypes.int32, name=n)
            for v, n in ((dim, "dim"), (num_results, "num_results"), (skip, "skip"))
        ]
        return apply_op("SobolSample", args, {"dtype": dtype}, name=scope)
