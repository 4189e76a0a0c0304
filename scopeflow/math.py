"""``tf.math``: the math functions under the module TF1 code also reaches them through
(``tf.math.reduce_sum``, ``tf.math.divide_no_nan``...)."""

from __future__ import annotations

from scopeflow import math_special as special  # noqa: F401
from scopeflow.metrics.util import confusion_matrix  # noqa: F401
from scopeflow.nn import (  # noqa: F401 - TF also files these under tf.math
    approx_max_k,
    approx_min_k,
    in_top_k,
    l2_normalize,
    log_softmax,
    softmax,
    softplus,
    softsign,
    top_k,
    zero_fraction,
)
from scopeflow.ops.array.gather import unsorted_segment_sum  # noqa: F401
from scopeflow.ops.array.transpose import invert_permutation  # noqa: F401
from scopeflow.ops.control.checks import is_non_decreasing, is_strictly_increasing  # noqa: F401
from scopeflow.ops.math.complex import *  # noqa: F403
from scopeflow.ops.math.composite import log_sigmoid, reduce_std, reduce_variance  # noqa: F401
from scopeflow.ops.math.division import *  # noqa: F403
from scopeflow.ops.math.division import div_no_nan as divide_no_nan  # noqa: F401
from scopeflow.ops.math.elementwise import *  # noqa: F403
from scopeflow.ops.math.math_extras import *  # noqa: F403
from scopeflow.ops.math.matmul import *  # noqa: F403
from scopeflow.ops.math.reduction import *  # noqa: F403
from scopeflow.ops.math.segment_extrema import *  # noqa: F403
from scopeflow.ops.math.sobol import sobol_sample  # noqa: F401
from scopeflow.ops.math.special import (  # noqa: F401
    bessel_i0,
    bessel_i0e,
    bessel_i1,
    bessel_i1e,
    betainc,
    digamma,
    erf,
    erfc,
    erfinv,
    igamma,
    igammac,
    lbeta,
    lgamma,
    ndtri,
    polygamma,
    xdivy,
    xlog1py,
    xlogy,
    zeta,
)
from scopeflow.ops.math.trig import (  # noqa: F401
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    cosh,
    expm1,
    rint,
    sinh,
    tan,
)
from scopeflow.ops.sparse.segment import segment_sum  # noqa: F401
from scopeflow.ops.sparse.segment_means import *  # noqa: F403
from scopeflow.ops.sparse.segment_sorted import *  # noqa: F403
from scopeflow.ragged.array_dispatch import (  # noqa: F401 - dense, or ragged as TF's
    reduce_all,
    reduce_any,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
)
from scopeflow.ragged.math_dispatch import (  # noqa: F401 - dense, or ragged as TF's
    abs,
    add,
    ceil,
    cos,
    divide,
    equal,
    exp,
    floor,
    floordiv,
    floormod,
    greater,
    greater_equal,
    is_finite,
    is_inf,
    is_nan,
    less,
    less_equal,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    not_equal,
    pow,
    reciprocal,
    round,
    rsqrt,
    sigmoid,
    sign,
    sin,
    sqrt,
    square,
    squared_difference,
    subtract,
    tanh,
    truediv,
)
