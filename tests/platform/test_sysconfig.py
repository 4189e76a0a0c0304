"""Tests for scopeflow/platform/sysconfig.py (``tf.sysconfig``): the build facts scopeflow can
state, and clear refusals for what belongs to TensorFlow's C++ library."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_build_info_says_no_accelerator_builds():
    info = tf.sysconfig.get_build_info()
    assert info == {"is_cuda_build": False, "is_rocm_build": False, "is_tensorrt_build": False}
    assert info["is_cuda_build"] == tf.test.is_built_with_cuda()


@pytest.mark.parametrize(
    "call",
    [tf.sysconfig.get_include, tf.sysconfig.get_lib, tf.sysconfig.get_compile_flags,
     tf.sysconfig.get_link_flags],
)  # fmt: skip
def test_library_paths_and_flags_are_refused(call):
    with pytest.raises(NotImplementedError, match="no C\\+\\+ headers or library"):
        call()


def test_cxx_constants_are_refused_and_other_names_missing():
    with pytest.raises(NotImplementedError, match="tf.sysconfig.CXX11_ABI_FLAG"):
        tf.sysconfig.CXX11_ABI_FLAG  # noqa: B018
    with pytest.raises(NotImplementedError, match="tf.sysconfig.MONOLITHIC_BUILD"):
        tf.sysconfig.MONOLITHIC_BUILD  # noqa: B018
    assert not hasattr(tf.sysconfig, "no_such_name")
