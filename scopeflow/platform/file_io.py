"""``tf.io.gfile``: TF1's file API (``GFile``, ``exists``, ``makedirs``, ``glob``...) on the
local file system, raising TF1's error types with TF1's messages (``NotFoundError``:
``"<path>; No such file or directory"``).

Paths may be ``str``, ``bytes`` or ``os.PathLike``, with or without a ``file://`` prefix;
another scheme (``gs://``, ``hdfs://``) raises ``UnimplementedError``, as a TensorFlow built
without that file system.

>>> import os, tempfile
>>> import scopeflow as tf
>>> d = tempfile.mkdtemp()
>>> with tf.io.gfile.GFile(os.path.join(d, "notes.txt"), "w") as f:
...     f.write("step 1\\nstep 2\\n")
>>> tf.io.gfile.listdir(d)
['notes.txt']
>>> tf.io.gfile.GFile(os.path.join(d, "notes.txt")).readlines()
['step 1\\n', 'step 2\\n']
>>> tf.io.gfile.rmtree(d)
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass

from scopeflow.framework import errors

_ERRORS_BY_ERRNO = {
    errno.ENOENT: errors.NotFoundError,
    errno.EEXIST: errors.AlreadyExistsError,
    errno.EACCES: errors.PermissionDeniedError,
    errno.EPERM: errors.PermissionDeniedError,
    errno.EROFS: errors.PermissionDeniedError,
    errno.EISDIR: errors.FailedPreconditionError,
    errno.ENOTDIR: errors.FailedPreconditionError,
    errno.ENOTEMPTY: errors.FailedPreconditionError,
    errno.EINVAL: errors.InvalidArgumentError,
    errno.ENOSPC: errors.ResourceExhaustedError,
}
_MODES = {"r": "rb", "w": "wb", "a": "ab", "r+": "r+b", "w+": "w+b", "a+": "a+b"}


def _local(path) -> str:
    """``path`` as a local ``str`` path (``file://`` stripped); other schemes are refused."""
    path = os.fsdecode(os.fspath(path))
    scheme, sep, rest = path.partition("://")
    if not sep or "/" in scheme:
        return path
    if scheme == "file":
        return rest
    raise errors.UnimplementedError(
        None, None, f"File system scheme '{scheme}' not implemented (file: '{path}')"
    )


def _os_error(error: OSError, path: str) -> errors.OpError:
    """TF1's error for an ``OSError`` on ``path``: ``"<path>; <strerror>"``."""
    cls = _ERRORS_BY_ERRNO.get(error.errno, errors.UnknownError)
    return cls(None, None, f"{path}; {error.strerror or error}")


class GFile:
    """A file, as TF1's ``tf.gfile.GFile``: opened on first use, ``str`` in text modes
    (``"r"``, ``"w"``, ``"a"``, with ``"+"``), ``bytes`` with ``"b"``.

    ``write`` takes ``str`` or ``bytes`` in any mode; reading a closed file opens it again
    from the start (as TF1). A file opened for writing and never written is not created.

    >>> import os, tempfile
    >>> import scopeflow as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "log.txt")
    >>> with tf.gfile.GFile(path, "w") as f:
    ...     f.write("hello\\nworld\\n")
    >>> f = tf.gfile.GFile(path)
    >>> f.readline(), f.tell(), f.size()
    ('hello\\n', 6, 12)
    """

    def __init__(self, name, mode: str = "r") -> None:
        base = mode.replace("b", "")
        if base not in _MODES or mode.count("b") > 1:
            raise errors.InvalidArgumentError(
                None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'"
            )
        self._name = name
        self._path = _local(name)
        self._mode = mode
        self._open_mode = _MODES[base]
        self._binary = "b" in mode
        self._file = None

    @property
    def name(self):
        """The path the file was opened with."""
        return self._name

    @property
    def mode(self) -> str:
        """The mode the file was opened with."""
        return self._mode

    def _handle(self, reading: bool):
        if reading and not (self._mode.startswith("r") or "+" in self._mode):
            raise errors.PermissionDeniedError(None, None, "File isn't open for reading")
        if not reading and self._mode.startswith("r") and "+" not in self._mode:
            raise errors.PermissionDeniedError(None, None, "File isn't open for writing")
        if self._file is None:
            try:
                self._file = open(self._path, self._open_mode)
            except OSError as e:
                raise _os_error(e, self._path) from None
        return self._file

    def _text(self, data: bytes):
        return data if self._binary else data.decode("utf-8")

    def size(self) -> int:
        """The file's length in bytes."""
        return stat(self._path).length

    def write(self, file_content) -> None:
        """Writes ``file_content`` (``str`` is written as UTF-8)."""
        if isinstance(file_content, str):
            file_content = file_content.encode("utf-8")
        self._handle(reading=False).write(file_content)

    def read(self, n: int = -1):
        """Reads ``n`` bytes (all that is left when ``n`` is -1)."""
        return self._text(self._handle(reading=True).read(n))

    def readline(self):
        """Reads the next line, with its newline (empty at the end of the file)."""
        return self._text(self._handle(reading=True).readline())

    def readlines(self) -> list:
        """Reads the remaining lines."""
        return [self._text(line) for line in self._handle(reading=True).readlines()]

    def seek(self, offset: int | None = None, whence: int = 0, position: int | None = None):
        """Moves to ``offset`` (from the start, ``whence=1`` the current position, ``2`` the
        end); ``position`` is TF1's deprecated name for ``offset``."""
        if position is not None:
            if offset is not None:
                raise ValueError("`position` and `offset` may not be set at the same time.")
            offset = position
        self._handle(reading=True).seek(offset or 0, whence)

    def tell(self) -> int:
        """The current position in bytes."""
        return self._handle(reading=not self._mode.startswith(("w", "a"))).tell()

    def seekable(self) -> bool:
        return True

    def flush(self) -> None:
        """Writes what is buffered to the file."""
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        """Flushes and closes the file (a later read opens it again)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    next = __next__

    def __enter__(self) -> GFile:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_file", None) is not None:
            self._file.close()


@dataclass(frozen=True)
class FileStatistics:
    """What ``stat`` returns: ``length`` in bytes, ``mtime_nsec``, ``is_directory``."""

    length: int
    mtime_nsec: int
    is_directory: bool


def exists(path) -> bool:
    """Whether ``path`` (a file or directory) exists."""
    return os.path.exists(_local(path))


def isdir(path) -> bool:
    """Whether ``path`` is a directory."""
    return os.path.isdir(_local(path))


def stat(path) -> FileStatistics:
    """``length``, ``mtime_nsec`` and ``is_directory`` of ``path``."""
    local = _local(path)
    try:
        result = os.stat(local)
    except OSError as e:
        raise _os_error(e, local) from None
    return FileStatistics(result.st_size, result.st_mtime_ns, os.path.isdir(local))


def mkdir(path) -> None:
    """Creates the directory ``path``; its parent must exist (nothing if it exists)."""
    local = _local(path)
    if os.path.exists(local):
        return
    try:
        os.mkdir(local)
    except OSError as e:
        raise _os_error(e, local) from None


def makedirs(path) -> None:
    """Creates ``path`` and its missing parents (nothing if it exists)."""
    local = _local(path)
    if os.path.exists(local):
        return
    parent = os.path.dirname(os.path.normpath(local))
    while parent and not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if parent and not os.path.isdir(parent):
        raise errors.FailedPreconditionError(None, None, f"{parent} is not a directory")
    try:
        os.makedirs(local, exist_ok=True)
    except OSError as e:
        raise _os_error(e, local) from None


def listdir(path) -> list[str]:
    """The names in directory ``path`` (not ``.`` or ``..``), in the file system's order."""
    local = _local(path)
    if not os.path.isdir(local):
        raise errors.NotFoundError(None, None, f"Could not find directory {local}")
    return os.listdir(local)


def glob(pattern) -> list[str]:
    """The paths matching ``pattern`` (or any of a list of patterns), sorted per pattern."""
    if not isinstance(pattern, (str, bytes, os.PathLike)):
        return [match for single in pattern for match in glob(single)]
    import glob as glob_module

    text = os.fsdecode(os.fspath(pattern))
    local = _local(text)
    prefix = text[: len(text) - len(local)]
    return sorted(prefix + match for match in glob_module.glob(local))


def remove(path) -> None:
    """Deletes the file ``path``."""
    local = _local(path)
    try:
        os.remove(local)
    except OSError as e:
        raise _os_error(e, local) from None


def rmtree(path) -> None:
    """Deletes ``path`` and everything under it (a file is simply deleted)."""
    import shutil

    local = _local(path)
    if not os.path.lexists(local):
        raise errors.NotFoundError(None, None, f"{local} not found")
    try:
        if os.path.isdir(local) and not os.path.islink(local):
            shutil.rmtree(local)
        else:
            os.remove(local)
    except OSError as e:
        raise _os_error(e, getattr(e, "filename", None) or local) from None


def rename(src, dst, overwrite: bool = False) -> None:
    """Renames ``src`` to ``dst``; an existing ``dst`` is replaced only with ``overwrite``."""
    source, target = _local(src), _local(dst)
    if not overwrite and os.path.exists(target):
        raise errors.AlreadyExistsError(None, None, "file already exists")
    try:
        os.replace(source, target)
    except OSError as e:
        raise _os_error(e, source) from None


def copy(src, dst, overwrite: bool = False) -> None:
    """Copies the file ``src`` to ``dst``; an existing ``dst`` is replaced only with
    ``overwrite``."""
    import shutil

    source, target = _local(src), _local(dst)
    if not overwrite and os.path.exists(target):
        raise errors.AlreadyExistsError(None, None, "file already exists")
    if os.path.isdir(source):
        raise errors.InvalidArgumentError(None, None, f"{target}; Invalid argument")
    try:
        shutil.copyfile(source, target)
    except OSError as e:
        raise _os_error(e, e.filename or source) from None


def walk(top, topdown: bool = True, onerror=None):
    """Yields ``(dirname, subdirectories, files)`` for ``top`` and each directory below it,
    parents first (``topdown=False``: last); a missing ``top`` yields nothing, or calls
    ``onerror(error)``. Removing names from ``subdirectories`` when ``topdown`` prunes them."""
    top = os.fsdecode(os.fspath(top))
    try:
        listing = listdir(top)
    except errors.NotFoundError as error:
        if onerror:
            onerror(error)
        return
    subdirs, files = [], []
    for item in listing:
        (subdirs if isdir(os.path.join(top, item)) else files).append(item)
    here = (top, subdirs, files)
    if topdown:
        yield here
    for subdir in subdirs:
        yield from walk(os.path.join(top, subdir), topdown, onerror)
    if not topdown:
        yield here


def join(path, *paths) -> str:
    """``os.path.join`` (keeps a ``file://`` prefix)."""
    return os.path.join(os.fsdecode(os.fspath(path)), *map(os.fsdecode, paths))


def get_registered_schemes() -> list[str]:
    """The path schemes these functions read and write: local files, with or without
    ``file://`` (TF also lists ``ram`` and ``gs``, which scopeflow refuses).

    >>> get_registered_schemes()
    ['file', '']
    """
    return ["file", ""]


__all__ = [
    "GFile",
    "copy",
    "exists",
    "get_registered_schemes",
    "glob",
    "isdir",
    "join",
    "listdir",
    "makedirs",
    "mkdir",
    "remove",
    "rename",
    "rmtree",
    "stat",
    "walk",
]
