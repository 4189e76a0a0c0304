"""``tf.errors``: TF1's run-time error classes and codes."""

from __future__ import annotations

from scopeflow.framework.errors import *  # noqa: F403
from scopeflow.framework.errors import (  # noqa: F401
    error_code_from_exception_type,
    exception_type_from_error_code,
)
