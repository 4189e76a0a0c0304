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

from scopeflow.platform import file_io
from scopeflow.platform.file_io import GFile, walk


# TF1's names take TF1's parameter names (``Exists(filename)``, ``Rename(oldname, newname)``)
def Copy(oldpath, newpath, overwrite: bool = False) -> None:
    """Copies file ``oldpath`` to ``newpath`` (``overwrite`` an existing one or raise
    ``AlreadyExistsError``)."""
    file_io.copy(oldpath, newpath, overwrite)


def DeleteRecursively(dirname) -> None:
    """Deletes the directory ``dirname`` and everything under it."""
    file_io.rmtree(dirname)


def Exists(filename) -> bool:
    """Whether the path ``filename`` exists."""
    return file_io.exists(filename)


def Glob(filename) -> list:
    """The paths matching the pattern ``filename``."""
    return file_io.glob(filename)


def IsDirectory(dirname) -> bool:
    """Whether ``dirname`` is a directory."""
    return file_io.isdir(dirname)


def ListDirectory(dirname) -> list:
    """The names of the entries of directory ``dirname`` (no ``.``/``..``)."""
    return file_io.listdir(dirname)


def MakeDirs(dirname) -> None:
    """Makes ``dirname`` and its missing parents (nothing if it exists)."""
    file_io.makedirs(dirname)


def MkDir(dirname) -> None:
    """Makes the directory ``dirname`` (its parent must exist)."""
    file_io.mkdir(dirname)


def Remove(filename) -> None:
    """Deletes the file ``filename``."""
    file_io.remove(filename)


def Rename(oldname, newname, overwrite: bool = False) -> None:
    """Renames ``oldname`` to ``newname`` (``overwrite`` an existing one or raise
    ``AlreadyExistsError``)."""
    file_io.rename(oldname, newname, overwrite)


def Stat(filename):
    """The ``FileStatistics`` (length, mtime_nsec, is_directory) of ``filename``."""
    return file_io.stat(filename)


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
