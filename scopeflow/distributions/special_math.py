"""The special functions the distributions' CDFs are built from, with TF1's ops and names:
``log_cdf_laplace`` (TF1's ``tf.distributions`` ``special_math``)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.math.elementwise import abs, exp, log1p  # noqa: A004 - TF's name
from scopeflow.ops.math.selection import where_v2


def log_cdf_laplace(x, name="log_cdf_laplace"):
    """The log of the standard Laplace distribution's CDF, accurate in both tails."""
    with name_scope(name, values=[x]):
        x = convert_to_tensor(x, name="x")
        lower_solution = -np.log(2.0) + x
        safe_exp_neg_x = exp(-abs(x))
        upper_solution = log1p(-0.5 * safe_exp_neg_x)
        return where_v2(x < 0.0, lower_solution, upper_solution)
