"""Looking up rows of a table given as several shards (the parts of a partitioned variable,
or a list of tensors), as TF1's ``embedding_lookup`` splits ids over them; used by
``tf.nn.embedding_lookup`` and ``embedding_lookup_sparse``."""

from __future__ import annotations

from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import colocate_with
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import gather as gather_ops
from scopeflow.ops.array import join as join_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array import transpose as transpose_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops
from scopeflow.ops.math import selection as selection_ops
from scopeflow.ops.math import sequence as sequence_ops
from scopeflow.ops.math.clip import clip_by_norm


def shards(params) -> list:
    """``params`` as a list of shards: a partitioned variable gives its parts, as in TF1."""
    if hasattr(params, "_get_variable_list"):  # a PartitionedVariable (variables/ is above)
        return list(params)
    return list(params) if isinstance(params, (list, tuple)) else [params]


def clip_rows(rows, ids, max_norm):
    """``embedding_lookup``'s ``max_norm``: each looked-up row of ``rows`` (``ids.shape`` +
    the row shape) scaled down to an L2 norm of at most ``max_norm`` (TF's clip_by_norm over
    the row axes); ``rows`` itself when ``max_norm`` is None."""
    if max_norm is None:
        return rows
    if ids.shape.ndims is not None and rows.shape.ndims is not None:
        axes = list(range(ids.shape.ndims, rows.shape.ndims))
    else:
        axes = sequence_ops.range(shape_ops.rank(ids), shape_ops.rank(rows))
    return clip_by_norm(rows, max_norm, axes=axes)


def sharded_lookup(params, ids, strategy: str, scope: str, max_norm=None):
    """The rows of ids in shards ``params``: one gather per shard of the ids it holds, then
    the rows put back in the order of ``ids`` (TF1 stitches them with ParallelDynamicStitch),
    clipped by ``max_norm`` (:func:`clip_rows`)."""
    params = [convert_to_tensor(p, name="params") for p in params]
    flat_ids = array_ops.reshape(ids, [-1])
    shard, rows = _partition_ids(params, flat_ids, strategy)
    positions, found = [], []
    for p, table in enumerate(params):
        mine = shape_ops.squeeze(selection_ops.where(math_ops.equal(shard, p)), axis=[1])
        positions.append(mine)
        with colocate_with(table):
            found.append(gather_ops.gather(table, gather_ops.gather(rows, mine)))
    order = transpose_ops.invert_permutation(join_ops.concat(positions, 0))
    result = gather_ops.gather(join_ops.concat(found, 0), order, name=scope)
    element = params[0].shape[1:]
    for table in params[1:]:
        element = element.merge_with(table.shape[1:])
    tail = element.as_list() if element.is_fully_defined() else array_ops.shape(params[0])[1:]
    result = array_ops.reshape(result, join_ops.concat([array_ops.shape(ids), tail], 0))
    result.set_shape(ids.shape.concatenate(element))
    return clip_rows(result, ids, max_norm)


def _partition_ids(params, flat_ids, strategy: str):
    """For each id, its shard and its row in that shard, as TF1's embedding_lookup finds them."""
    n = len(params)
    if strategy == "mod":
        return math_ops.floormod(flat_ids, n), math_ops.floordiv(flat_ids, n)
    sizes = [table.shape[0].value if table.shape.ndims else None for table in params]
    if None not in sizes:
        total = constant(sum(sizes), dtype=flat_ids.dtype)
    else:
        dims = [array_ops.shape(table)[0] for table in params]
        total = reduction_ops.reduce_sum(math_ops.cast(array_ops.stack(dims), flat_ids.dtype))
    per_shard = math_ops.floordiv(total, n)
    extras = math_ops.floormod(total, n)
    # The first `extras` shards hold per_shard + 1 ids, the others per_shard.
    shard = math_ops.maximum(
        math_ops.floordiv(flat_ids, per_shard + 1),
        math_ops.floordiv(flat_ids - extras, per_shard),
    )
    rows = selection_ops.where(
        math_ops.less(shard, extras),
        math_ops.floormod(flat_ids, per_shard + 1),
        math_ops.floormod(flat_ids - extras, per_shard),
    )
    return shard, rows
