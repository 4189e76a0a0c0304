"""Reading checkpoints without a graph (``tf.train.load_checkpoint``, ``list_variables``,
``load_variable``) and initializing variables from one (``tf.train.init_from_checkpoint``).

Every function takes a checkpoint prefix or a directory (whose newest checkpoint, per its
``checkpoint`` state file, is read). Each opens the checkpoint through
:class:`~scopeflow.train.bundle.BundleReader`, which validates the whole index first: a
corrupted or lying file raises ``tf.errors.DataLossError`` and never allocates more than the
files hold.
"""

from __future__ import annotations

import contextlib
import logging
import os

import numpy as np

from scopeflow.framework import errors
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import closest_names
from scopeflow.ops.array.basic import identity
from scopeflow.ops.state.storage import assign
from scopeflow.train.bundle import BundleReader
from scopeflow.train.checkpoint_ops import restore_v2
from scopeflow.train.checkpoint_state import latest_checkpoint
from scopeflow.variables.partitioned import PartitionedVariable
from scopeflow.variables.store import _variable_store
from scopeflow.variables.variables import Variable

_log = logging.getLogger("scopeflow")


def checkpoint_prefix(ckpt_dir_or_file) -> str:
    """The prefix of ``ckpt_dir_or_file``: itself, or a directory's latest checkpoint.

    Raises:
        ValueError: a directory without a checkpoint.
    """
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(
                f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}"
            )
        return latest
    return path


class CheckpointReader:
    """The tensors of one checkpoint, by name (TF1's ``CheckpointReader``).

    >>> import numpy as np, os, tempfile
    >>> from scopeflow.train.bundle import write_bundle
    >>> prefix = os.path.join(tempfile.mkdtemp(), "model")
    >>> write_bundle(prefix, {"w": np.ones(2, np.float32)})
    >>> reader = CheckpointReader(prefix)
    >>> reader.get_variable_to_shape_map(), reader.get_tensor("w")
    ({'w': [2]}, array([1., 1.], dtype=float32))
    """

    def __init__(self, prefix: str):
        with _reader_errors():
            self._bundle = BundleReader(prefix, data_files_at_open=False)

    def has_tensor(self, name: str) -> bool:
        return name in self._bundle.entries

    def get_tensor(self, name: str) -> np.ndarray:
        """The value of tensor ``name`` (a new array; strings as ``bytes``).

        Raises:
            tf.errors.NotFoundError: no such tensor (the message lists the closest names).
        """
        with _reader_errors():
            value = self._bundle.read(name)
        return value[()] if value.dtype == object and value.ndim == 0 else value

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        return {name: list(e.shape) for name, e in self._bundle.entries.items()}

    def get_variable_to_dtype_map(self) -> dict:
        return {name: e.dtype for name, e in self._bundle.entries.items()}

    def debug_string(self) -> bytes:
        """One line per tensor, as TF's: ``name (DT_FLOAT) [2,3]``."""
        lines = [
            f"{name} ({_DT_NAMES.get(e.code, f'DT_{e.code}')}) [{','.join(map(str, e.shape))}]"
            for name, e in sorted(self._bundle.entries.items())
        ]
        return "".join(line + "\n" for line in lines).encode()


@contextlib.contextmanager
def _reader_errors():
    """The exception types TF's Python checkpoint reader gives (Saver.restore's stay): a
    short data file IndexError, other damage (and a missing data file, found on a read) a
    plain ``tf.errors.OpError``; a missing checkpoint or tensor stays NotFoundError."""
    try:
        yield
    except errors.OutOfRangeError as e:
        raise IndexError(e.message) from None
    except (errors.DataLossError, errors.NotFoundError) as e:
        missing = ("not found in checkpoint", "Failed to find any matching files")
        if isinstance(e, errors.NotFoundError) and any(m in e.message for m in missing):
            raise
        raise errors.OpError(None, None, e.message, errors.UNKNOWN) from None


# TF's names of its DataType enum values, for debug_string.
_DT_NAMES = {
    1: "DT_FLOAT",
    2: "DT_DOUBLE",
    3: "DT_INT32",
    4: "DT_UINT8",
    5: "DT_INT16",
    6: "DT_INT8",
    7: "DT_STRING",
    8: "DT_COMPLEX64",
    9: "DT_INT64",
    10: "DT_BOOL",
    14: "DT_BFLOAT16",
    17: "DT_UINT16",
    18: "DT_COMPLEX128",
    19: "DT_HALF",
    22: "DT_UINT32",
    23: "DT_UINT64",
}


def NewCheckpointReader(filepattern) -> CheckpointReader:  # noqa: N802 - TF's name
    """The :class:`CheckpointReader` of the checkpoint prefix ``filepattern`` (TF1's
    ``tf.train.NewCheckpointReader``)."""
    return CheckpointReader(filepattern)


def load_checkpoint(ckpt_dir_or_file) -> CheckpointReader:
    """A :class:`CheckpointReader` for a checkpoint prefix or directory.

    Raises:
        ValueError: a directory without a checkpoint.
        tf.errors.NotFoundError: no checkpoint at the prefix.
        tf.errors.DataLossError: the checkpoint is corrupted.
    """
    return CheckpointReader(checkpoint_prefix(ckpt_dir_or_file))


def load_variable(ckpt_dir_or_file, name: str) -> np.ndarray:
    """The value of variable ``name`` (``"scope/w"`` or ``"scope/w:0"``) in a checkpoint."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


def list_variables(ckpt_dir_or_file) -> list[tuple[str, list[int]]]:
    """``[(name, shape), ...]`` of the tensors in a checkpoint, sorted by name."""
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return sorted(shapes.items())


# -- init_from_checkpoint ---------------------------------------------------------------------


def init_from_checkpoint(ckpt_dir_or_file, assignment_map) -> None:
    """Makes variables' initializers load their values from a checkpoint, as TF1 does.

    ``assignment_map`` maps names in the checkpoint to variables of the default graph:

    - ``{"old_scope/": "new_scope/"}``: every variable made by ``get_variable`` under
      ``new_scope/`` from the tensor of the same relative name under ``old_scope/``;
    - ``{"/": "new_scope/"}`` and ``{"old_scope/": "/"}``: from or to the root;
    - ``{"old_scope/w": "new_scope/w"}``: one variable, by its ``get_variable`` name;
    - ``{"old_scope/w": variable}``: one variable, given itself.

    A partitioned variable (its name, the ``PartitionedVariable`` or the list of its parts)
    is initialized part by part from its slices of the tensor, as in TF1.

    The checkpoint is read when the initializers run (``global_variables_initializer()``).

    Raises:
        ValueError: a checkpoint tensor is missing or has another shape; a target is neither
            a variable nor a scope ending in ``/``.
    """
    prefix = checkpoint_prefix(ckpt_dir_or_file)
    reader = CheckpointReader(prefix)
    shapes = reader.get_variable_to_shape_map()
    store = _variable_store(get_default_graph()).vars
    items = assignment_map.items() if hasattr(assignment_map, "items") else assignment_map
    for ckpt_name, target in sorted(items, key=lambda item: item[0]):
        if isinstance(target, (list, tuple, PartitionedVariable)):
            target = list(target)
            if not target or not all(isinstance(v, Variable) for v in target):
                raise TypeError(
                    f"Assignment map entry '{ckpt_name}': a list must hold the parts of a "
                    "partitioned variable"
                )
        elif not isinstance(target, (str, Variable)):
            raise TypeError(
                f"Assignment map entry '{ckpt_name}': expected a variable or a name, got "
                f"{type(target).__name__}"
            )
        var = target if not isinstance(target, str) else _find(store, target)
        if var is not None:
            if isinstance(var, Variable):
                _check_tensor(ckpt_name, var, shapes, ckpt_dir_or_file)
            elif ckpt_name not in shapes:
                raise ValueError(
                    f"Tensor {ckpt_name} is not found in {ckpt_dir_or_file} checkpoint."
                    + closest_names(ckpt_name, shapes)
                )
            _set_initializers(var, prefix, ckpt_name)
            continue
        if not (target.endswith("/") and ckpt_name.endswith("/")):
            raise ValueError(
                f"Assignment map entry '{ckpt_name}': '{target}' is not a variable made by "
                "get_variable, and a scope-to-scope mapping needs both names to end in '/' "
                "(Should be 'scope/': 'other_scope/')." + closest_names(target, store)
            )
        scope = "" if target == "/" else target
        src = "" if ckpt_name == "/" else ckpt_name
        # a partitioned variable's parts are initialized together, under its name
        matched = sorted({name.split("/part_")[0] for name in store if name.startswith(scope)})
        if not matched:
            _log.warning("init_from_checkpoint: no variables under scope '%s'", target)
        for var_name in matched:
            tensor_name = src + var_name[len(scope) :]
            if tensor_name not in shapes:
                raise ValueError(
                    f"Tensor {tensor_name} ({var_name[len(scope) :]} in {ckpt_name}) is not "
                    f"found in {ckpt_dir_or_file} checkpoint." + closest_names(tensor_name, shapes)
                )
            var = _find(store, var_name)
            if isinstance(var, Variable):
                _check_tensor(tensor_name, var, shapes, ckpt_dir_or_file)
            _set_initializers(var, prefix, tensor_name)


def _find(store: dict, name: str):
    """The variable ``name`` of the store, or the list of its parts (``name/part_0``...)."""
    var = store.get(name)
    if var is not None or f"{name}/part_0" not in store:
        return var
    parts, i = [], 0
    while f"{name}/part_{i}" in store:
        parts.append(store[f"{name}/part_{i}"])
        i += 1
    return parts


def _set_initializers(var, prefix: str, tensor_name: str) -> None:
    """``var``'s initializer, or each part's (its slice), reads ``tensor_name``."""
    if isinstance(var, Variable):
        _set_checkpoint_initializer(var, prefix, tensor_name)
        return
    full_names = {v._get_save_slice_info().full_name for v in var if v._get_save_slice_info()}
    if len(full_names) != 1 or any(v._get_save_slice_info() is None for v in var):
        raise ValueError(f"Slices must all be from the same tensor: {sorted(full_names)}")
    for part in var:
        _set_checkpoint_initializer(part, prefix, tensor_name, part._get_save_slice_info().spec)


def _check_tensor(tensor_name: str, var, shapes: dict, where) -> None:
    if tensor_name not in shapes:
        raise ValueError(
            f"Tensor {tensor_name} is not found in {where} checkpoint."
            + closest_names(tensor_name, shapes)
        )
    if not var.shape.is_compatible_with(shapes[tensor_name]):
        raise ValueError(
            f"Shape of variable {var.name} ({var.shape}) doesn't match with shape of tensor "
            f"{tensor_name} ({shapes[tensor_name]}) from checkpoint reader."
        )


def _set_checkpoint_initializer(var, prefix: str, tensor_name: str, spec: str = "") -> None:
    """Replaces ``var``'s initializer with an ``Assign`` of a ``RestoreV2`` of the tensor (of
    its slice ``spec``)."""
    with var.graph.as_default():
        restored = restore_v2(
            prefix, [tensor_name], [spec], [var.dtype.base_dtype], name="checkpoint_initializer"
        )[0]
        restored.set_shape(var.shape)
        if var._is_resource:  # TF's saveable: an Identity of it, then AssignVariableOp
            value = identity(restored)
            init = var._write("AssignVariableOp", value, None, False, {"validate_shape": False})
        else:
            init = assign(var, restored, validate_shape=var.shape.is_fully_defined()).op
    var._initializer_op = init
    var._initial_value = restored
