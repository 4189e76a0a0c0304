"""Loading a checkpoint's matrix into a variable whose vocabulary changed: the ops
``GenerateVocabRemapping`` (each new vocabulary entry's row in the old vocabulary) and
``LoadAndRemapMatrix`` (the old matrix's rows and columns in their new places, the rest from
initializing values), and the initializer ``tf.train.warm_start`` builds on them for a
``VocabInfo`` (TF1's ``checkpoint_ops._load_and_remap_matrix_initializer``).

Both ops read files when the session runs them, so a variable's initializer built on them
reads the vocabularies and the checkpoint when ``global_variables_initializer()`` runs.
"""

from __future__ import annotations

import os

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.join import concat
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.sequence import range as range_
from scopeflow.train.checkpoint_ops import _open_reader, _text
from scopeflow.variables.initializers import zeros_initializer


def _text_of(value) -> str:
    return _text(np.asarray(value).item())


def _vocab_lines(op, path: str) -> list[bytes]:
    try:
        with open(path, "rb") as f:
            return [line.rstrip(b"\r\n") for line in f]
    except FileNotFoundError:
        raise errors.NotFoundError(None, op, f"{path}; No such file or directory") from None


def _generate_vocab_remapping_infer(inputs, attrs):
    return [
        (dtypes.int64, tensor_shape.TensorShape([attrs["num_new_vocab"]])),
        (dtypes.int32, tensor_shape.TensorShape([])),
    ]


def _generate_vocab_remapping_kernel(ctx, op, new_vocab_file, old_vocab_file):
    offset, count = op._attrs["new_vocab_offset"], op._attrs["num_new_vocab"]
    old_size = op._attrs.get("old_vocab_size", -1)
    old_path = _text_of(old_vocab_file)
    old_lines = _vocab_lines(op, old_path)
    if old_size != -1:
        if len(old_lines) < old_size:
            raise errors.InvalidArgumentError(
                None,
                op,
                f"Invalid vocab_size in {old_path}: expected {old_size} but got {len(old_lines)}",
            )
        old_lines = old_lines[:old_size]
    old_rows: dict[bytes, int] = {}
    for row, key in enumerate(old_lines):
        if old_rows.setdefault(key, row) != row:
            raise errors.FailedPreconditionError(
                None,
                op,
                f"HashTable has different value for same key. Key {key.decode(errors='replace')}"
                f" has {old_rows[key]} and trying to add value {row}",
            )
    new_lines = _vocab_lines(op, _text_of(new_vocab_file))
    if len(new_lines) < offset + count:
        raise errors.InvalidArgumentError(
            None, op, "lookup table size must be larger than last new vocab entry's line"
        )
    remapping = np.array(
        [old_rows.get(key, -1) for key in new_lines[offset : offset + count]], np.int64
    )
    return remapping, np.int32(np.count_nonzero(remapping >= 0))


register_op(
    "GenerateVocabRemapping",
    _generate_vocab_remapping_infer,
    kernel=_generate_vocab_remapping_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _load_and_remap_matrix_infer(inputs, attrs):
    return [(dtypes.float32, tensor_shape.TensorShape([attrs["num_rows"], attrs["num_cols"]]))]


def _load_and_remap_matrix_kernel(ctx, op, ckpt_path, old_tensor_name, rows, cols, init_values):
    num_rows, num_cols = op._attrs["num_rows"], op._attrs["num_cols"]
    rows, cols = np.asarray(rows).reshape(-1), np.asarray(cols).reshape(-1)
    init_values = np.asarray(init_values, np.float32).reshape(-1)
    if rows.size != num_rows:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"Size of row_remapping is {rows.size} instead of being equal to num_rows={num_rows}",
        )
    if cols.size and cols.size != num_cols:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"Provided col_remapping, but its size is {cols.size} instead of being equal to "
            f"num_cols={num_cols}",
        )
    name = _text_of(old_tensor_name)
    try:
        old = np.asarray(_open_reader(ctx, _text_of(ckpt_path)).read(name), np.float32)
    except errors.OpError as e:
        raise type(e)(None, op, e.message) from None
    old = old.reshape(old.shape[0], -1) if old.ndim != 2 else old
    if not cols.size:
        if old.shape[1] != num_cols:
            raise errors.InvalidArgumentError(
                None,
                op,
                f"Tensor {name} has shape [{old.shape[0]},{old.shape[1]}], where the size of its"
                f" 2nd dimension is {old.shape[1]} instead of being equal to num_cols={num_cols}",
            )
        cols = np.arange(num_cols)
    for remapping, dim in ((rows, 0), (cols, 1)):
        bad = remapping[remapping >= old.shape[dim]]
        if bad.size:
            raise errors.InternalError(
                None,
                op,
                f"Extent in dimension {dim} out of bounds: shape = [{old.shape[0]},"
                f"{old.shape[1]}], remapping to index {int(bad[0])}",
            )
    present = (rows >= 0)[:, None] & (cols >= 0)[None, :]
    missing = int(present.size - np.count_nonzero(present))
    if init_values.size != missing:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"initializing_values contained {init_values.size} elements, but "
            + (
                "more missing values remain."
                if init_values.size < missing
                else f"only {missing} missing values were found."
            ),
        )
    out = np.empty((num_rows, num_cols), np.float32)
    out[present] = old[np.ix_(np.maximum(rows, 0), np.maximum(cols, 0))][present]
    out[~present] = init_values  # row-major order, as TF fills them
    return out


register_op(
    "LoadAndRemapMatrix",
    _load_and_remap_matrix_infer,
    kernel=_load_and_remap_matrix_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def generate_vocab_remapping(
    new_vocab_file, old_vocab_file, new_vocab_offset, num_new_vocab, old_vocab_size=-1, name=None
):
    """``(remapping, num_present)``: for each of the ``num_new_vocab`` lines of
    ``new_vocab_file`` from ``new_vocab_offset``, its line in the first ``old_vocab_size`` lines
    (all: -1) of ``old_vocab_file``, or -1 when absent; and how many were found."""
    with name_scope(name, "GenerateVocabRemapping") as scope:
        inputs = [
            convert_to_tensor(new_vocab_file, dtypes.string, name="new_vocab_file"),
            convert_to_tensor(old_vocab_file, dtypes.string, name="old_vocab_file"),
        ]
        attrs = {
            "new_vocab_offset": int(new_vocab_offset),
            "num_new_vocab": int(num_new_vocab),
            "old_vocab_size": int(old_vocab_size),
        }
        return tuple(apply_op("GenerateVocabRemapping", inputs, attrs, name=scope))


def load_and_remap_matrix(
    ckpt_path,
    old_tensor_name,
    row_remapping,
    col_remapping,
    initializing_values,
    num_rows,
    num_cols,
    max_rows_in_memory=-1,
    name=None,
):
    """The ``[num_rows, num_cols]`` matrix whose entry ``(i, j)`` is the checkpoint tensor's
    ``(row_remapping[i], col_remapping[j])`` (an empty ``col_remapping``: the same column), and
    the next of ``initializing_values`` where either remapping is -1."""
    with name_scope(name, "LoadAndRemapMatrix") as scope:
        inputs = [
            convert_to_tensor(ckpt_path, dtypes.string, name="ckpt_path"),
            convert_to_tensor(old_tensor_name, dtypes.string, name="old_tensor_name"),
            convert_to_tensor(row_remapping, dtypes.int64, name="row_remapping"),
            convert_to_tensor(col_remapping, dtypes.int64, name="col_remapping"),
            convert_to_tensor(initializing_values, dtypes.float32, name="initializing_values"),
        ]
        attrs = {
            "num_rows": int(num_rows),
            "num_cols": int(num_cols),
            "max_rows_in_memory": int(max_rows_in_memory),
        }
        return apply_op("LoadAndRemapMatrix", inputs, attrs, name=scope)


def _load_and_remap(spec: dict, offset: int, rows: int, row_oov: int, initializer):
    """TF1's ``_load_and_remap_matrix``: ``rows`` rows of the new vocabulary from ``offset``,
    then ``row_oov`` out-of-vocabulary rows and the column OOV buckets from ``initializer``."""
    cols = spec["new_col_vocab_size"]
    if spec["new_row_vocab_file"]:
        row_remapping, rows_present = generate_vocab_remapping(
            spec["new_row_vocab_file"],
            spec["old_row_vocab_file"],
            offset,
            rows,
            spec["old_row_vocab_size"],
        )
    else:
        row_remapping = range_(offset, offset + rows, dtype=dtypes.int64)
        rows_present = rows
    col_remapping, cols_present = [], cols
    if spec["new_col_vocab_file"]:
        col_remapping, cols_present = generate_vocab_remapping(
            spec["new_col_vocab_file"], spec["old_col_vocab_file"], 0, cols
        )
    init_values = initializer([rows * cols - rows_present * cols_present, 1])
    matrix = load_and_remap_matrix(
        spec["ckpt_path"],
        spec["old_tensor_name"],
        row_remapping,
        col_remapping,
        init_values,
        rows,
        cols,
    )
    if row_oov > 0:
        matrix = concat([matrix, convert_to_tensor(initializer([row_oov, cols]))], 0)
    if spec["num_col_oov_buckets"] > 0:
        extra = initializer([rows + row_oov, spec["num_col_oov_buckets"]])
        matrix = concat([matrix, convert_to_tensor(extra)], 1)
    return matrix


def _single_offset(partition_info, shape) -> int:
    """The part's offset along the one dimension the variable is split on (TF1's
    ``_PartitionInfo.single_offset``)."""
    full_shape = partition_info.full_shape
    split = [i for i, (n, full) in enumerate(zip(shape, full_shape, strict=True)) if n != full]
    if len(split) > 1:
        raise ValueError(
            f"Cannot use single_slice_dim() with shape: {shape} and full_shape: "
            f"{partition_info.full_shape} since slicing along more than one dimension"
        )
    return partition_info.var_offset[split[0] if split else 0]


def load_and_remap_matrix_initializer(
    ckpt_path,
    old_tensor_name,
    new_row_vocab_size,
    new_col_vocab_size,
    old_row_vocab_size=-1,
    old_row_vocab_file=None,
    new_row_vocab_file=None,
    old_col_vocab_file=None,
    new_col_vocab_file=None,
    num_row_oov_buckets=0,
    num_col_oov_buckets=0,
    initializer=None,
):
    """An initializer ``(shape, dtype, partition_info)`` of a float32 matrix (or of one part
    of it) from the checkpoint tensor ``old_tensor_name``, its rows (and columns) moved from
    the old vocabulary's order to the new one's; new entries and OOV buckets come from
    ``initializer`` (zeros by default)."""
    if num_row_oov_buckets < 0 or num_col_oov_buckets < 0:
        which = "num_row_oov_buckets" if num_row_oov_buckets < 0 else "num_col_oov_buckets"
        value = min(num_row_oov_buckets, num_col_oov_buckets)
        raise ValueError(f"{which} must be >= 0, but received {value}")
    for kind, old_file, new_file in (
        ("row", old_row_vocab_file, new_row_vocab_file),
        ("col", old_col_vocab_file, new_col_vocab_file),
    ):
        if bool(old_file) != bool(new_file):
            raise ValueError(
                f"old_{kind}_vocab_file and new_{kind}_vocab_file must both be specified or "
                f"left unspecified. old_{kind}_vocab_file='{old_file}', "
                f"new_{kind}_vocab_file='{new_file}'"
            )
    if not (new_row_vocab_file or new_col_vocab_file):
        raise ValueError(
            "Must provide either row or column vocab files. If no remapping is necessary, "
            "consider using `tf.train.init_from_checkpoint` instead."
        )
    initializer = zeros_initializer() if initializer is None else initializer
    if not callable(initializer):
        raise TypeError(
            f"initializer must be callable, instead of being {initializer} of type "
            f"{type(initializer)}."
        )
    spec = {
        "ckpt_path": os.fspath(ckpt_path),
        "old_tensor_name": old_tensor_name,
        "new_col_vocab_size": new_col_vocab_size,
        "old_row_vocab_size": old_row_vocab_size,
        "old_row_vocab_file": old_row_vocab_file,
        "new_row_vocab_file": new_row_vocab_file,
        "old_col_vocab_file": old_col_vocab_file,
        "new_col_vocab_file": new_col_vocab_file,
        "num_col_oov_buckets": num_col_oov_buckets,
    }

    def _initializer(shape, dtype=dtypes.float32, partition_info=None):
        shape = list(shape)
        if dtypes.as_dtype(dtype) != dtypes.float32:
            raise TypeError(f"Currently, only float32 is supported. Received dtype: {dtype}")
        if len(shape) != 2:
            raise ValueError(f"Expected 2-dim shape, but received: {shape}")
        if shape[0] <= 0:
            raise ValueError(f"Expected 1st dim of shape to be > 0, but received shape: {shape}")
        if shape[1] != new_col_vocab_size + num_col_oov_buckets:
            raise ValueError(
                f"Expected 2nd dim of shape to be new_col_vocab_size ({new_col_vocab_size}) + "
                f"num_col_oov_buckets ({num_col_oov_buckets}) = "
                f"{new_col_vocab_size + num_col_oov_buckets}, but received shape: {shape}"
            )
        offset = 0 if partition_info is None else _single_offset(partition_info, shape)
        total = new_row_vocab_size + num_row_oov_buckets
        if offset + shape[0] > total:
            raise ValueError(
                f"Trying to initialize {shape[0]} additional rows after {offset} rows have "
                f"already been initialized, which would exceed expected total row count of "
                f"new_row_vocab_size ({new_row_vocab_size}) + num_row_oov_buckets "
                f"({num_row_oov_buckets}) = {total}."
            )
        row_oov = min(shape[0], max(0, offset + shape[0] - new_row_vocab_size))
        if offset > new_row_vocab_size:
            if shape[0] != row_oov:
                raise ValueError(
                    "Partitioned variable offset is greater than new vocab size and not "
                    "operating on OOV-only partition."
                )
            return initializer(shape)
        return _load_and_remap(spec, offset, shape[0] - row_oov, row_oov, initializer)

    return _initializer
