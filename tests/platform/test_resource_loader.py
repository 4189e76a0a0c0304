"""Tests for scopeflow/platform/resource_loader.py: data-file paths beside the caller's module,
and ``tf.load_op_library`` refused with the ways to write the op for scopeflow."""

from __future__ import annotations

import os

import pytest

import scopeflow as tf


def test_paths_are_relative_to_the_calling_module():
    here = os.path.dirname(__file__)
    assert tf.resource_loader.get_data_files_path() == here
    assert tf.resource_loader.get_path_to_datafile("data/x.txt") == os.path.join(here, "data/x.txt")
    assert tf.resource_loader.readahead_file_path("/a/b") == "/a/b"


def test_load_resource_reads_under_the_root_dir():
    root = tf.resource_loader.get_root_dir_with_all_resources()
    with open(os.path.join(root, "resource_loader.py"), "rb") as f:
        assert tf.resource_loader.load_resource("resource_loader.py") == f.read()
    with pytest.raises(FileNotFoundError):
        tf.resource_loader.load_resource("no_such_file.txt")


@pytest.mark.parametrize("load", [tf.load_op_library, tf.load_library, tf.load_file_system_library])
def test_compiled_libraries_are_refused_with_the_alternatives(load):
    with pytest.raises(NotImplementedError, match="numpy_function"):
        load("./zero_out.so")
