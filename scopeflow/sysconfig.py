"""``tf.sysconfig``: the build's facts (see ``platform/sysconfig.py``)."""

from __future__ import annotations

from scopeflow.platform.sysconfig import (
    get_build_info,
    get_compile_flags,
    get_include,
    get_lib,
    get_link_flags,
)
from scopeflow.platform.sysconfig import missing_constant as __getattr__  # noqa: F401

__all__ = ["get_build_info", "get_compile_flags", "get_include", "get_lib", "get_link_flags"]
