"""``tf.test``: ``TestCase``, ``main``, ``Benchmark``, ``mock``, ``get_temp_dir``, the build and
GPU queries and the numeric gradient checks (``compute_gradient``, ``compute_gradient_error``).

``TestCase``, ``Benchmark``, ``main`` and ``mock`` are loaded on first use, with ``unittest``
and absl's test runner: ``import scopeflow`` stays light.
"""

from __future__ import annotations

import types

from scopeflow.graph_io.equal_graph_def import assert_equal_graph_def
from scopeflow.testing.gradient_checker import compute_gradient, compute_gradient_error
from scopeflow.testing.helpers import (
    StubOutForTesting,
    disable_with_predicate,
    is_built_with_xla,
    is_cpu_target_available,
    with_eager_op_as_function,
)
from scopeflow.testing.helpers import sync_devices as _sync_devices
from scopeflow.testing.platform import (
    get_temp_dir,
    gpu_device_name,
    is_built_with_cuda,
    is_built_with_gpu_support,
    is_built_with_rocm,
    is_gpu_available,
    test_src_dir_path,
)
from scopeflow.train.local_cluster import create_local_cluster

experimental = types.SimpleNamespace(sync_devices=_sync_devices)


def __getattr__(name: str):
    if name == "TestCase":
        from scopeflow.testing.test_case import TestCase as value
    elif name in ("Benchmark", "main"):
        from scopeflow.testing import benchmark

        value = getattr(benchmark, name)
    elif name == "mock":
        import unittest.mock as value
    else:
        raise AttributeError(f"module 'tf.test' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


_LAZY = ("Benchmark", "TestCase", "main", "mock")  # loaded by __getattr__
__all__ = [
    "StubOutForTesting",
    "assert_equal_graph_def",
    "compute_gradient",
    "compute_gradient_error",
    "create_local_cluster",
    "disable_with_predicate",
    "experimental",
    "get_temp_dir",
    "gpu_device_name",
    "is_built_with_cuda",
    "is_built_with_gpu_support",
    "is_built_with_rocm",
    "is_built_with_xla",
    "is_cpu_target_available",
    "is_gpu_available",
    "test_src_dir_path",
    "with_eager_op_as_function",
]
