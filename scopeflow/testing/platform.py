"""``tf.test``'s questions about the build and the devices, and its per-process temporary
directory.

scopeflow's NumPy executor runs every op on the CPU, so the GPU questions answer as a CPU-only
TensorFlow build does: tests that need a GPU skip themselves, and programs pick their CPU code
paths (NHWC layouts).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile

_temp_dir: list[str] = []  # the process's directory, once made


def is_built_with_cuda() -> bool:
    """False: scopeflow has no CUDA kernels (as a CPU-only TensorFlow build answers).

    >>> import scopeflow as tf
    >>> tf.test.is_built_with_cuda()
    False
    """
    return False


def is_built_with_rocm() -> bool:
    """False: scopeflow has no ROCm kernels."""
    return False


def is_built_with_gpu_support() -> bool:
    """False: scopeflow has no GPU kernels (CUDA or ROCm)."""
    return False


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability=None) -> bool:
    """False: a ``tf.Session`` runs its ops on the CPU, whatever GPUs the machine has.

    >>> import scopeflow as tf
    >>> tf.test.is_gpu_available(cuda_only=True)
    False
    """
    del cuda_only, min_cuda_compute_capability  # no GPU device qualifies
    return False


def gpu_device_name() -> str:
    """The name of a GPU device a session can use: ``""``, as TF1 answers without one."""
    return ""


def get_temp_dir() -> str:
    """A temporary directory for this process's tests, made on the first call and removed when
    the process exits (``$TEST_TMPDIR`` as a prefix when set, as in TF1; otherwise named
    after the main script).

    >>> import os, scopeflow as tf
    >>> os.path.isdir(tf.test.get_temp_dir())
    True
    """
    if not _temp_dir:
        if os.environ.get("TEST_TMPDIR"):
            path = tempfile.mkdtemp(prefix=os.environ["TEST_TMPDIR"])
        else:
            main = getattr(sys.modules.get("__main__"), "__file__", None) or "python"
            stem = os.path.basename(main).removesuffix(".py")
            path = tempfile.mkdtemp(prefix=os.path.join(tempfile.gettempdir(), stem))
        atexit.register(shutil.rmtree, path, ignore_errors=True)
        _temp_dir.append(path)
    return _temp_dir[0]


def test_src_dir_path(relative_path: str) -> str:
    """TF1 resolves ``relative_path`` inside its Bazel runfiles; scopeflow has none."""
    raise NotImplementedError(
        f"tf.test.test_src_dir_path({relative_path!r}): scopeflow's tests do not run from "
        "Bazel runfiles; build the path from os.path.dirname(__file__) instead."
    )
