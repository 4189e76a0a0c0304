"""``tf.resource_loader``: paths of data files that travel beside a program's modules, and
``tf.load_op_library`` and its kin, which scopeflow cannot honour (it runs no compiled
TensorFlow kernels)."""

from __future__ import annotations

import os
import sys


def get_data_files_path() -> str:
    """The directory of the calling module's file (``""`` for code typed at a prompt)."""
    return os.path.dirname(sys._getframe(1).f_code.co_filename.replace("<string>", ""))


def get_path_to_datafile(path: str) -> str:
    """``path`` relative to the directory of the calling module's file."""
    caller = sys._getframe(1).f_code.co_filename.replace("<string>", "")
    return os.path.join(os.path.dirname(caller), path)


def get_root_dir_with_all_resources() -> str:
    """The directory :func:`load_resource` reads from (this module's, as TF's pip package
    answers with its own platform directory)."""
    return os.path.dirname(os.path.abspath(__file__))


def load_resource(path: str) -> bytes:
    """The bytes of the file ``path`` under :func:`get_root_dir_with_all_resources`."""
    with open(os.path.join(get_root_dir_with_all_resources(), path), "rb") as f:
        return f.read()


def readahead_file_path(path: str, readahead=None) -> str:
    """``path`` itself (TF's read-ahead prefix applies to its own file systems only)."""
    return path


def _compiled_library(kind: str, location: str):
    raise NotImplementedError(
        f"tf.{kind}({location!r}): scopeflow runs ops written in Python and cannot load "
        "TensorFlow's compiled kernel libraries. Compute the op with tf.numpy_function (or "
        "tf.py_func), or register a kernel for its type with "
        "scopeflow.framework.registry.register_op."
    )


def load_op_library(library_filename: str):
    """Not supported (TF loads a compiled custom-op ``.so``): ``NotImplementedError`` naming
    the ways to write the op for scopeflow."""
    _compiled_library("load_op_library", library_filename)


def load_library(library_location: str):
    """Not supported, as :func:`load_op_library`."""
    _compiled_library("load_library", library_location)


def load_file_system_library(library_filename: str):
    """Not supported, as :func:`load_op_library`."""
    _compiled_library("load_file_system_library", library_filename)
