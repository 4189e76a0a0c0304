"""``tf.debugging``: run-time assertions and numeric checks, under the names TF1 files them."""

from __future__ import annotations

from scopeflow.framework.traceback_filter import (
    disable_traceback_filtering,
    enable_traceback_filtering,
    is_traceback_filtering_enabled,
)
from scopeflow.ops.control import assertions, checks
from scopeflow.ops.control.assert_shapes import assert_shapes
from scopeflow.ops.control.assertions import *  # noqa: F403
from scopeflow.ops.control.checks import *  # noqa: F403
from scopeflow.ops.control.numerics import check_numerics
from scopeflow.ops.control.numerics import verify_tensor_all_finite as assert_all_finite
from scopeflow.ops.control.numerics_callback import disable_check_numerics, enable_check_numerics
from scopeflow.ops.math.elementwise import is_finite, is_inf, is_nan

__all__ = [
    *assertions.__all__,
    *checks.__all__,
    "assert_all_finite",
    "assert_shapes",
    "check_numerics",
    "disable_check_numerics",
    "disable_traceback_filtering",
    "enable_check_numerics",
    "enable_traceback_filtering",
    "is_finite",
    "is_inf",
    "is_nan",
    "is_traceback_filtering_enabled",
]
