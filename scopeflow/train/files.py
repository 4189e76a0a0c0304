"""Writing files so that a reader sees the old contents or the new, never a mix.

Each file is written to ``<path>.tempstate<random>`` beside it, flushed to disk, and renamed
over ``path`` (``os.replace`` is atomic on POSIX and Windows). When several files make one
thing (a checkpoint's data and index), all are written first and renamed in the order given,
the last one serving as the commit record. A failure before the renames removes the
temporary files and leaves the old ones untouched; a path that is a directory is refused
before anything is written. Failures are TF's errors (``FailedPreconditionError``: "<path>;
Is a directory", ``NotFoundError``, ``PermissionDeniedError``...), as TF's file system gives.
"""

from __future__ import annotations

import contextlib
import errno
import os
import uuid

from scopeflow.framework import errors

_ERRORS_BY_ERRNO = {
    errno.ENOENT: errors.NotFoundError,
    errno.EACCES: errors.PermissionDeniedError,
    errno.EPERM: errors.PermissionDeniedError,
    errno.EROFS: errors.PermissionDeniedError,
    errno.EISDIR: errors.FailedPreconditionError,
    errno.ENOTDIR: errors.FailedPreconditionError,
    errno.ENOSPC: errors.ResourceExhaustedError,
}


def _tf_error(error: OSError, path: str) -> errors.OpError:
    cls = _ERRORS_BY_ERRNO.get(error.errno, errors.UnknownError)
    return cls(None, None, f"{path}; {error.strerror or error}")


class _PendingFile:
    """A temporary file that becomes ``path`` when committed."""

    def __init__(self, path: str):
        self.path = path
        self.temp = f"{path}.tempstate{uuid.uuid4().hex}"
        fd = os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        self.file = os.fdopen(fd, "wb")

    def write(self, data) -> int:
        return self.file.write(data)

    def sync(self) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()

    def discard(self) -> None:
        self.file.close()
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.temp)


@contextlib.contextmanager
def atomic_files(*paths: str):
    """Yields one writable file per path; on success renames them into place in order.

    >>> import tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "f.txt")
    >>> with atomic_files(path) as (f,):
    ...     _ = f.write(b"new")
    >>> open(path, "rb").read()
    b'new'
    """
    paths = [os.fspath(path) for path in paths]
    for path in paths:
        if os.path.isdir(path):
            raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory")
    pending: list[_PendingFile] = []
    try:
        try:
            for path in paths:
                pending.append(_PendingFile(path))
            yield pending
            for p in pending:
                p.sync()
        except OSError as e:
            raise _tf_error(e, e.filename or paths[0]) from e
    except BaseException:
        for p in pending:
            p.discard()
        raise
    for i, p in enumerate(pending):
        try:
            os.replace(p.temp, p.path)
        except OSError as e:
            for q in pending[i:]:
                q.discard()
            raise _tf_error(e, p.path) from e
    _sync_directory(os.path.dirname(os.path.abspath(pending[-1].path)))


def write_atomically(path: str, data: bytes) -> None:
    """Replaces the file ``path`` with ``data`` (see :func:`atomic_files`)."""
    with atomic_files(path) as (f,):
        f.write(data)


def _sync_directory(directory: str) -> None:
    """Makes the renames durable where the platform allows opening a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
