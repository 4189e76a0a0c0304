"""``tf.sysconfig``: what the build is. scopeflow is pure Python with no C++ library, so it
answers what is true of it (``get_build_info``: no CUDA, ROCm or TensorRT) and refuses what
only makes sense for TensorFlow's compiled library: the header and library directories, the
flags to compile custom ops against them, and the C++ ABI constants."""

from __future__ import annotations

_NO_LIBRARY = (
    "scopeflow is pure Python and has no C++ headers or library to compile custom ops "
    "against; compute the op with tf.numpy_function (or tf.py_func), or register a kernel "
    "for its type with scopeflow.framework.registry.register_op."
)
_CXX_CONSTANTS = ("CXX11_ABI_FLAG", "CXX_VERSION", "MONOLITHIC_BUILD")


def get_build_info() -> dict:
    """The build's facts: no CUDA, ROCm or TensorRT (scopeflow computes with NumPy, and with
    JAX on accelerators when it is installed).

    >>> import scopeflow as tf
    >>> tf.sysconfig.get_build_info()["is_cuda_build"]
    False
    """
    return {"is_cuda_build": False, "is_rocm_build": False, "is_tensorrt_build": False}


def get_include() -> str:
    """Not supported: ``NotImplementedError`` (no C++ headers)."""
    raise NotImplementedError(f"tf.sysconfig.get_include: {_NO_LIBRARY}")


def get_lib() -> str:
    """Not supported: ``NotImplementedError`` (no compiled library)."""
    raise NotImplementedError(f"tf.sysconfig.get_lib: {_NO_LIBRARY}")


def get_compile_flags() -> list:
    """Not supported: ``NotImplementedError`` (nothing to compile against)."""
    raise NotImplementedError(f"tf.sysconfig.get_compile_flags: {_NO_LIBRARY}")


def get_link_flags() -> list:
    """Not supported: ``NotImplementedError`` (nothing to link against)."""
    raise NotImplementedError(f"tf.sysconfig.get_link_flags: {_NO_LIBRARY}")


def missing_constant(name: str):
    """The module ``__getattr__`` of ``tf.sysconfig``: TF's C++ build constants raise."""
    if name in _CXX_CONSTANTS:
        raise NotImplementedError(f"tf.sysconfig.{name}: {_NO_LIBRARY}")
    raise AttributeError(f"module 'scopeflow.sysconfig' has no attribute {name!r}")
