"""The ``tf.strings`` element-wise functions taking a ``RaggedTensor`` as TF's dispatch does:
the op on the flat values, the result with the input's row partition (``lower``, ``upper``,
``strip``, ``length``, ``substr``, ``regex_replace``, ``regex_full_match``, the hash buckets,
``as_string``, ``unicode_script``, ``join`` of ragged tensors sharing their rows), and
``reduce_join`` of a ragged tensor's rows. Dense inputs go to the functions unchanged."""

from __future__ import annotations

import functools

from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.strings import convert, hashing, transform
from scopeflow.ops.strings import join as join_ops
from scopeflow.ops.strings.segment_join import unsorted_segment_join
from scopeflow.ops.strings.unicode import unicode_script as dense_unicode_script
from scopeflow.ragged.functions import map_flat_values
from scopeflow.ragged.tensor import RaggedTensor


def _elementwise(fn):
    """``fn`` (its first argument a tensor) applied to a ragged first argument's flat values."""

    @functools.wraps(fn)
    def dispatch(input, *args, **kwargs):  # noqa: A002 - TF's name
        if isinstance(input, RaggedTensor):
            return input.with_flat_values(fn(input.flat_values, *args, **kwargs))
        return fn(input, *args, **kwargs)

    return dispatch


lower = _elementwise(transform.lower)
upper = _elementwise(transform.upper)
strip = _elementwise(transform.strip)
length = _elementwise(transform.string_length)
substr = _elementwise(transform.substr)
regex_replace = _elementwise(transform.regex_replace)
regex_full_match = _elementwise(transform.regex_full_match)
as_string = _elementwise(convert.as_string)
to_hash_bucket_fast = _elementwise(convert.string_to_hash_bucket_fast)
to_hash_bucket = _elementwise(hashing.string_to_hash_bucket)
to_hash_bucket_strong = _elementwise(hashing.string_to_hash_bucket_strong)
unicode_script = _elementwise(dense_unicode_script)


@functools.wraps(join_ops.string_join)
def join(inputs, separator="", name=None):
    if not any(isinstance(x, RaggedTensor) for x in inputs):
        return join_ops.string_join(inputs, separator, name)
    return map_flat_values(lambda *flat: join_ops.string_join(list(flat), separator, name), *inputs)


@functools.wraps(join_ops.reduce_join)
def reduce_join(inputs, axis=None, keep_dims=None, separator="", name=None,
                reduction_indices=None, keepdims=None):  # fmt: skip
    if not isinstance(inputs, RaggedTensor):
        return join_ops.reduce_join(
            inputs, axis, keep_dims, separator, name, reduction_indices, keepdims
        )
    axis = reduction_indices if axis is None else axis
    if axis not in (1, -1) or inputs.ragged_rank != 1 or inputs.flat_values.shape.ndims != 1:
        raise NotImplementedError(
            "reduce_join of a RaggedTensor: scopeflow joins the rows of a 2-D ragged tensor "
            "(axis=1); for other axes join rt.to_tensor() with a default of ''"
        )
    if keep_dims or keepdims:
        raise NotImplementedError("reduce_join of a RaggedTensor with keepdims=True")
    with name_scope(name, "RaggedReduceJoin", [inputs]):
        return unsorted_segment_join(
            inputs.values, inputs.value_rowids(), inputs.nrows(), separator=separator
        )
