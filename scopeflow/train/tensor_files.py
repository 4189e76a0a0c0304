"""Named tensors in any file format scopeflow reads and writes — TF checkpoints, ``.npz``
and safetensors — by path, for the ``scopeflow inspect`` and ``convert`` commands.

A path ending in ``.npz`` or ``.safetensors`` is that format; anything else is a TF
checkpoint prefix (or a directory holding a ``checkpoint`` file).

>>> import os, tempfile
>>> import numpy as np
>>> d = tempfile.mkdtemp()
>>> write_tensor_file(os.path.join(d, "model.npz"), {"dense/w": np.ones((2, 3), np.float32)})
>>> with open_tensor_file(os.path.join(d, "model.npz")) as source:
...     print([(name, *source.describe(name)) for name in source.names()])
[('dense/w', tf.float32, (2, 3))]
"""

from __future__ import annotations

import contextlib
import os

from scopeflow.train.bundle import BundleReader, write_bundle
from scopeflow.train.checkpoint_utils import checkpoint_prefix
from scopeflow.train.npz import _NpzSource, write_npz
from scopeflow.train.safetensors_io import _SafetensorsSource, write_safetensors
from scopeflow.train.saver import _BundleSource


def tensor_file_format(path) -> str:
    """``"npz"``, ``"safetensors"`` or ``"checkpoint"``, from ``path``'s extension."""
    path = os.fspath(path)
    for fmt in ("npz", "safetensors"):
        if path.endswith("." + fmt):
            return fmt
    return "checkpoint"


@contextlib.contextmanager
def open_tensor_file(path):
    """A context giving the tensors at ``path``: ``names()``, ``describe(name)`` (``(DType,
    shape)``), ``read(name)`` (a NumPy array) and ``where`` (the file); closed on leaving.

    Raises:
        tf.errors.NotFoundError: nothing at ``path``.
        tf.errors.DataLossError: the file is corrupted.
    """
    fmt = tensor_file_format(path)
    path = os.fspath(path)
    if fmt == "npz":
        source = _NpzSource(path)
        try:
            yield source
        finally:
            source.close()
    elif fmt == "safetensors":
        yield _SafetensorsSource(path)
    else:
        yield _BundleSource(BundleReader(checkpoint_prefix(path)))


def write_tensor_file(path, arrays) -> None:
    """Writes ``{name: array}`` at ``path`` in the format its extension names (a checkpoint
    prefix otherwise), replacing what is there; each value is read once, in name order."""
    fmt = tensor_file_format(path)
    if fmt == "npz":
        write_npz(path, arrays)
    elif fmt == "safetensors":
        write_safetensors(path, arrays)
    else:
        write_bundle(os.fspath(path), arrays)


__all__ = ["open_tensor_file", "tensor_file_format", "write_tensor_file"]
