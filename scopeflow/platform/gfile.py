"""``tf.gfile``: TF1's CamelCase file API (``GFile``, ``Exists``, ``MakeDirs``, ``Walk``...),
the same functions as ``tf.io.gfile`` (:mod:`scopeflow.platform.file_io`) under TF1's older
names.

>>> import os, tempfile
>>> import scopeflow as tf
>>> d = tempfile.mkdtemp()
>>> tf.gfile.MakeDirs(os.path.join(d, "run", "ckpt"))
>>> tf.gfile.Exists(os.path.join(d, "run")), tf.gfile.IsDirectory(d)
(True, True)
>>> try:
...     tf.gfile.Remove(os.path.join(d, "missing"))
... except tf.errors.NotFoundError as e:
...     print(e.message.endswith("missing; No such file or directory"))
True
>>> tf.gfile.DeleteRecursively(d)
"""

from __future__ import annotations

from scopeflow.platform.file_io import GFile, walk
from scopeflow.platform.file_io import copy as Copy
from scopeflow.platform.file_io import exists as Exists
from scopeflow.platform.file_io import glob as Glob
from scopeflow.platform.file_io import isdir as IsDirectory
from scopeflow.platform.file_io import listdir as ListDirectory
from scopeflow.platform.file_io import makedirs as MakeDirs
from scopeflow.platform.file_io import mkdir as MkDir
from scopeflow.platform.file_io import remove as Remove
from scopeflow.platform.file_io import rename as Rename
from scopeflow.platform.file_io import rmtree as DeleteRecursively
from scopeflow.platform.file_io import stat as Stat

Open = GFile


class FastGFile(GFile):
    """TF1's deprecated ``FastGFile``: a ``GFile``."""


def Walk(top, in_order: bool = True):
    """``walk(top, topdown=in_order)``: ``(dirname, subdirectories, files)`` per directory."""
    return walk(top, topdown=in_order)


__all__ = [
    "Copy",
    "DeleteRecursively",
    "Exists",
    "FastGFile",
    "GFile",
    "Glob",
    "IsDirectory",
    "ListDirectory",
    "MakeDirs",
    "MkDir",
    "Open",
    "Remove",
    "Rename",
    "Stat",
    "Walk",
]
