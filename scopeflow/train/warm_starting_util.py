"""``tf.train.warm_start`` and ``tf.train.VocabInfo``: variables' initializers load their
values from another checkpoint, by name (``init_from_checkpoint``) or, for a variable whose
vocabulary changed, row by row (or column by column) through the old and new vocabulary files
(``vocab_remapping``), as TF1's ``warm_starting_util``."""

from __future__ import annotations

import collections
import logging

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.state.storage import assign
from scopeflow.train.checkpoint_utils import checkpoint_prefix, init_from_checkpoint
from scopeflow.train.vocab_remapping import load_and_remap_matrix_initializer
from scopeflow.variables.partitioned import PartitionInfo
from scopeflow.variables.variables import Variable

_log = logging.getLogger("tensorflow")


class VocabInfo(
    collections.namedtuple(
        "VocabInfo",
        [
            "new_vocab",
            "new_vocab_size",
            "num_oov_buckets",
            "old_vocab",
            "old_vocab_size",
            "backup_initializer",
            "axis",
        ],
    )
):
    """How to warm-start a variable whose vocabulary changed: the new vocabulary file and how
    many of its entries are used, its OOV buckets, the old vocabulary file (its first
    ``old_vocab_size`` entries; -1: all), the initializer of new entries and OOV buckets
    (zeros when ``None``), and the variable's axis the vocabulary indexes (0: rows, 1: columns).

    >>> import scopeflow as tf
    >>> tf.train.VocabInfo("new_vocab.txt", 100, 1, "old_vocab.txt").old_vocab_size
    -1
    """

    def __new__(
        cls,
        new_vocab,
        new_vocab_size,
        num_oov_buckets,
        old_vocab,
        old_vocab_size=-1,
        backup_initializer=None,
        axis=0,
    ):
        if axis not in (0, 1):
            raise ValueError(
                f"The only supported values for the axis argument are 0 and 1.  Provided axis: "
                f"{axis}"
            )
        return super().__new__(
            cls,
            new_vocab,
            new_vocab_size,
            num_oov_buckets,
            old_vocab,
            old_vocab_size,
            backup_initializer,
            axis,
        )


def _var_name(var) -> str:
    info = var._get_save_slice_info()
    return info.full_name if info else var.op.name


def grouped_variables(vars_to_warm_start) -> dict[str, list]:
    """The variables ``vars_to_warm_start`` selects, by name (a partitioned variable's parts
    under its full name), as TF1's ``_get_grouped_variables``."""
    graph = get_default_graph()
    if isinstance(vars_to_warm_start, str) or vars_to_warm_start is None:
        _log.info("Warm-starting variables only in TRAINABLE_VARIABLES.")
        chosen = graph.get_collection(GraphKeys.TRAINABLE_VARIABLES, scope=vars_to_warm_start)
    elif isinstance(vars_to_warm_start, list):
        if all(isinstance(v, str) for v in vars_to_warm_start):
            chosen = []
            for pattern in vars_to_warm_start:
                chosen += graph.get_collection(GraphKeys.GLOBAL_VARIABLES, scope=pattern)
        elif all(isinstance(v, Variable) for v in vars_to_warm_start):
            chosen = vars_to_warm_start
        else:
            raise ValueError(
                "If `vars_to_warm_start` is a list, it must be all `Variable` or all `str`.  "
                f"Given types are {[type(v) for v in vars_to_warm_start]}"
            )
    else:
        raise ValueError(
            "`vars_to_warm_start must be a `list` or `str`.  Given type is "
            f"{type(vars_to_warm_start)}"
        )
    grouped: dict[str, list] = {}
    for var in chosen:
        grouped.setdefault(_var_name(var), []).append(var)
    return grouped


def _warm_start_var_with_vocab(parts: list, ckpt: str, prev_name: str, info: VocabInfo) -> None:
    """Each part's initializer assigns its rows of the checkpoint's matrix, remapped."""
    if not (info.new_vocab and info.new_vocab_size and ckpt and info.old_vocab):
        raise ValueError(
            "Invalid args: Must provide all of [current_vocab_path, current_vocab_size, "
            "prev_ckpt, prev_vocab_path}."
        )
    rows_in_all = sum(v.shape.as_list()[0] for v in parts)
    for var in parts:
        shape = var.shape.as_list()
        if len(shape) != 2:
            raise ValueError(
                f"Warm-starting '{_var_name(var)}' with a VocabInfo needs a 2-D variable, got "
                f"shape {shape}"
            )
        slice_info = var._get_save_slice_info()
        partition = slice_info and PartitionInfo(slice_info.full_shape, slice_info.var_offset)
        rows = dict(
            new_row_vocab_size=info.new_vocab_size,
            new_col_vocab_size=shape[1],
            old_row_vocab_size=info.old_vocab_size,
            old_row_vocab_file=info.old_vocab,
            new_row_vocab_file=info.new_vocab,
            num_row_oov_buckets=info.num_oov_buckets,
        )
        cols = dict(
            new_row_vocab_size=rows_in_all,
            new_col_vocab_size=info.new_vocab_size,
            old_col_vocab_file=info.old_vocab,
            new_col_vocab_file=info.new_vocab,
            num_col_oov_buckets=info.num_oov_buckets,
        )
        init = load_and_remap_matrix_initializer(
            ckpt_path=checkpoint_prefix(ckpt),
            old_tensor_name=prev_name,
            initializer=info.backup_initializer,
            **(rows if info.axis == 0 else cols),
        )
        with var.graph.as_default():
            value = init(shape=shape, partition_info=partition or None)
            value = value if isinstance(value, Tensor) else convert_to_tensor(value)
            var._initializer_op = assign(var, value).op


def warm_start(
    ckpt_to_initialize_from,
    vars_to_warm_start=".*",
    var_name_to_vocab_info=None,
    var_name_to_prev_var_name=None,
) -> None:
    """Points variables' initializers at a checkpoint (a prefix or its directory).

    ``vars_to_warm_start``: a regular expression over the trainable variables (default: all),
    a list of regular expressions over the global variables, a list of variables, or ``None``
    (only the variables of ``var_name_to_vocab_info``). ``var_name_to_vocab_info`` maps a
    variable's full name to a :class:`VocabInfo`; ``var_name_to_prev_var_name`` to its name
    in the checkpoint. The checkpoint is read when the initializers run.

    >>> import os, tempfile
    >>> import scopeflow as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "model")
    >>> with tf.Graph().as_default():
    ...     w = tf.get_variable("w", initializer=[1.0, 2.0])
    ...     with tf.Session() as sess:
    ...         sess.run(w.initializer)
    ...         _ = tf.train.Saver().save(sess, path)
    >>> with tf.Graph().as_default():
    ...     w = tf.get_variable("w", [2])
    ...     tf.train.warm_start(path)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         print(sess.run(w))
    [1. 2.]

    Raises:
        ValueError: a name of ``var_name_to_vocab_info`` or ``var_name_to_prev_var_name`` that
            names no selected variable; a tensor missing from the checkpoint, or of another
            shape.
    """
    _log.info("Warm-starting from: %s", ckpt_to_initialize_from)
    grouped = grouped_variables(vars_to_warm_start)
    vocab_infos = var_name_to_vocab_info or {}
    renames = var_name_to_prev_var_name or {}
    count = 0
    pending: dict = {}  # checkpoint name -> variable, for init_from_checkpoint
    for name, parts in grouped.items():
        prev_name = renames.get(name)
        info = vocab_infos.get(name)
        if info:
            count += 1
            _warm_start_var_with_vocab(parts, ckpt_to_initialize_from, prev_name or name, info)
        elif vars_to_warm_start:
            count += 1
            target = parts[0] if len(parts) == 1 and not parts[0]._save_slice_info else parts
            prev_name = prev_name or name
            if prev_name in pending:  # one checkpoint tensor for two variables
                init_from_checkpoint(ckpt_to_initialize_from, pending)
                pending.clear()
            pending[prev_name] = target
    if pending:
        init_from_checkpoint(ckpt_to_initialize_from, pending)
    _log.info("Warm-started %d variables.", count)
    for given, what in (
        (renames, "var_name_to_prev_var_name"),
        (vocab_infos, "var_name_to_vocab_info"),
    ):
        unused = set(given) - set(grouped)
        if unused:
            raise ValueError(
                f"You provided the following variables in {what} that were not used: "
                f"{unused}.  Perhaps you misspelled them?  Here is the list of viable variable "
                f"names: {list(grouped)}"
            )
