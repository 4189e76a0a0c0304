"""``tf.read_file`` (``ReadFile``) and ``tf.write_file`` (``WriteFile``), also
``tf.io.read_file``/``tf.io.write_file``: a whole file as one string, the way image input
pipelines read their files before decoding them; ``tf.io.matching_files`` (``MatchingFiles``):
the files a glob pattern names."""

from __future__ import annotations

import glob
import os

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import apply_op


def as_bytes(value) -> bytes:
    """A scalar string value (bytes, str, or a 0-d object array of one) as bytes."""
    if isinstance(value, np.ndarray):
        value = value.item()
    return value.encode() if isinstance(value, str) else bytes(value)


def check_string_scalar(op_type: str, arg: str, t) -> None:
    if t.dtype.base_dtype != dtypes.string:
        raise TypeError(
            f"Input '{arg}' of '{op_type}' Op has type {t.dtype.base_dtype.name} that does not "
            "match expected type of string."
        )
    if t.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims}")


def _read_infer(inputs, attrs):
    check_string_scalar("ReadFile", "filename", inputs[0])
    return [(dtypes.string, TensorShape([]))]


def _read_kernel(ctx, op, filename):
    path = os.fsdecode(as_bytes(filename))
    try:
        with open(path, "rb") as f:
            return np.array(f.read(), dtype=object)
    except FileNotFoundError:
        raise errors.NotFoundError(None, op, f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, op, f"{path}; Is a directory") from None


register_op("ReadFile", _read_infer, kernel=_read_kernel, grad=NOT_DIFFERENTIABLE, host_only=True)


def _write_infer(inputs, attrs):
    check_string_scalar("WriteFile", "filename", inputs[0])
    check_string_scalar("WriteFile", "contents", inputs[1])
    return []


def _write_kernel(ctx, op, filename, contents):
    path = os.fsdecode(as_bytes(filename))
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(path, "wb") as f:
        f.write(as_bytes(contents))
    return []


register_op(
    "WriteFile",
    _write_infer,
    kernel=_write_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
    host_only=True,
)


@undo.atomic
def read_file(filename, name=None):
    """The contents of the file ``filename`` (a scalar string) as a scalar string, read when
    the op runs.

    >>> import os, tempfile, scopeflow as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> with tf.Graph().as_default():
    ...     write = tf.write_file(path, "hello")
    ...     read = tf.read_file(path)
    ...     with tf.Session() as sess:
    ...         _ = sess.run(write)
    ...         print(sess.run(read))
    b'hello'
    """
    with name_scope(name, "ReadFile", [filename]) as scope:
        filename = convert_to_tensor(filename, dtype_hint=dtypes.string, name="filename")
        return apply_op("ReadFile", [filename], name=scope)


@undo.atomic
def write_file(filename, contents, name=None):
    """An op writing the scalar string ``contents`` to the file ``filename`` (its directory
    made if missing) when it runs."""
    with name_scope(name, "WriteFile", [filename, contents]) as scope:
        filename = convert_to_tensor(filename, dtype_hint=dtypes.string, name="filename")
        contents = convert_to_tensor(contents, dtype_hint=dtypes.string, name="contents")
        return get_default_graph().create_op("WriteFile", [filename, contents], None, scope)


def _matching_infer(inputs, attrs):
    pattern = inputs[0]
    if pattern.shape.ndims is not None and pattern.shape.ndims > 1:
        raise ValueError(f"Shape must be at most rank 1 but is rank {pattern.shape.ndims}")
    return [(dtypes.string, TensorShape([None]))]


def _matching_kernel(ctx, op, pattern):
    names = set()
    for one in np.ravel(pattern):
        names.update(glob.glob(os.fsdecode(as_bytes(one))))
    out = np.empty(len(names), dtype=object)
    out[:] = sorted(os.fsencode(n) for n in names)
    return out


register_op(
    "MatchingFiles",
    _matching_infer,
    kernel=_matching_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,  # the files change between runs
    host_only=True,
)


@undo.atomic
def matching_files(pattern, name=None):
    """The sorted names of the files matching the glob ``pattern`` (a string, or a vector of
    them), found when the op runs.

    >>> import os, tempfile, scopeflow as tf
    >>> root = tempfile.mkdtemp()
    >>> for n in ("b.txt", "a.txt", "c.csv"):
    ...     _ = open(os.path.join(root, n), "w").write("")
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     found = sess.run(tf.io.matching_files(os.path.join(root, "*.txt")))
    >>> [os.path.basename(n) for n in found]
    [b'a.txt', b'b.txt']
    """
    with name_scope(name, "MatchingFiles", [pattern]) as scope:
        if not isinstance(pattern, Tensor):
            values = np.ravel(np.asarray(pattern, dtype=object))
            bad = [v for v in values if not isinstance(v, (str, bytes))]
            if bad:
                raise TypeError(
                    "Expected string passed to parameter 'pattern' of op 'MatchingFiles', got "
                    f"{pattern!r} of type '{type(pattern).__name__}' instead."
                )
        pattern = convert_to_tensor(pattern, dtype=dtypes.string, name="pattern")
        return apply_op("MatchingFiles", [pattern], name=scope)


__all__ = ["matching_files", "read_file", "write_file"]
