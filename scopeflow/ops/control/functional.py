"""``tf.map_fn``, ``tf.scan``, ``tf.foldl`` and ``tf.foldr``, built as TF1 builds them: a
``tf.while_loop`` reading each element from a ``TensorArray`` (``TensorArrayUnstack``) and, for
``map_fn`` and ``scan``, writing each result to another one, stacked after the loop
(``map/TensorArrayStack/TensorArrayGatherV3:0``). The graphs, names and static shapes are
TF1's, and gradients flow through them as through any loop over TensorArrays.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.constant([1.0, 2.0, 3.0, 4.0])
...     sums = tf.scan(lambda a, e: a + e, x)
...     with tf.Session() as sess:
...         print(sums.name, sess.run(sums).tolist(), sess.run(tf.foldr(tf.subtract, x)))
scan/TensorArrayStack/TensorArrayGatherV3:0 [1.0, 3.0, 6.0, 10.0] -2.0
"""

from __future__ import annotations

from collections.abc import Callable

from scopeflow.framework import dtypes, nest, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import placeholder
from scopeflow.ops.array.basic import shape as shape_of
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.control.while_loop import while_loop

TensorShape = tensor_shape.TensorShape


def _check_callable(fn) -> None:
    if not callable(fn):
        name = getattr(fn, "__name__", repr(fn))
        raise TypeError(f"{name} is not callable. Please provide a callable function.")


def _static_first(t: Tensor) -> int | None:
    """``t``'s first dimension when known statically (``t`` must not be a scalar)."""
    if t.shape.ndims == 0:
        raise ValueError(
            f"Elements in elems must be 1+ dimensional Tensors, not scalars: '{t.name}' has "
            "shape (). Unstack along a first axis that exists (wrap the value in a list)."
        )
    return tensor_shape.dimension_value(t.shape[0])


def _leading(tensors: list[Tensor]) -> tensor_shape.Dimension:
    """The first dimension the ``tensors`` share (TF1's ``n_static``), checked."""
    first = tensor_shape.Dimension(tensors[0].shape.with_rank_at_least(1)[0].value)
    for t in tensors[1:]:
        first.assert_is_compatible_with(t.shape.with_rank_at_least(1)[0])
    return first


def _unstacked(elem, n) -> TensorArray:
    """``elem`` (a tensor or value) in a TensorArray of ``n`` elements, as folds make them."""
    dtype = elem.dtype if hasattr(elem, "dtype") else convert_to_tensor(elem).dtype
    return TensorArray(dtype=dtype, size=n, dynamic_size=False, infer_shape=True).unstack(elem)


def _fold(kind: str, fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name):
    _check_callable(fn)
    with name_scope(name, kind, [elems]):
        flat = [convert_to_tensor(e, name="elem") for e in nest.flatten(elems)]
        n = _static_first(flat[0]) or shape_of(flat[0])[0]
        arrays = nest.map_structure(lambda e: _unstacked(e, n), elems)
        right = kind == "foldr"
        if initializer is None:
            i = n - 1 if right else 0
            a = nest.map_structure(lambda ta: ta.read(i), arrays)
            i = i if right else constant(1)
        else:
            i, a = (n if right else constant(0)), initializer

        def compute(i, a):
            if right:
                i -= 1
            a = fn(a, nest.map_structure(lambda ta: ta.read(i), arrays))
            return [i if right else i + 1, a]

        _, result = while_loop(
            (lambda i, a: i > 0) if right else (lambda i, a: i < n),
            compute,
            [i, a],
            parallel_iterations=parallel_iterations,
            back_prop=back_prop,
            swap_memory=swap_memory,
            maximum_iterations=n,
        )
        return result


@undo.atomic
def foldl(
    fn: Callable,
    elems,
    initializer=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    name=None,
):
    """``fn(...fn(fn(initializer, elems[0]), elems[1])..., elems[n-1])``: ``elems`` unstacked
    along their first axis (a nested structure of tensors of one first dimension), first to
    last. Without ``initializer``, ``elems[0]`` starts and ``fn`` runs from ``elems[1]``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     total = tf.foldl(lambda a, x: a + x, tf.constant([1, 2, 3, 4, 5, 6]))
    ...     with tf.Session() as sess:
    ...         print(total.name, sess.run(total))
    foldl/while/Exit_2:0 21
    """
    return _fold("foldl", fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name)


@undo.atomic
def foldr(
    fn: Callable,
    elems,
    initializer=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    name=None,
):
    """As :func:`foldl`, last to first: ``fn(...fn(initializer, elems[n-1])..., elems[0])``;
    without ``initializer``, ``elems[n-1]`` starts."""
    return _fold("foldr", fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name)


def _packer(structure) -> tuple[Callable, Callable]:
    """TF1's flatten and pack for ``structure``: a single tensor is not a sequence."""
    if nest.is_sequence(structure):
        return nest.flatten, lambda flat: nest.pack_sequence_as(structure, flat)
    return (lambda x: [x]), (lambda flat: flat[0])


@undo.atomic
def scan(
    fn: Callable,
    elems,
    initializer=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    infer_shape=True,
    reverse=False,
    name=None,
):
    """Every step of a fold: ``[a1, a2, ...]`` with ``a_k = fn(a_{k-1}, elems[k])``, stacked.

    ``elems`` is a tensor or nested structure of tensors unstacked along their first axis;
    ``initializer`` (default: ``elems[0]``, which is then the first result) gives the
    accumulator's structure, which ``fn`` returns. ``reverse`` scans last to first (results
    stay in ``elems``' order); ``infer_shape=False`` lets the accumulator's shape vary.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([1, 0, 0, 0, 0, 0])
    ...     fib = tf.scan(lambda a, _: (a[1], a[0] + a[1]), x, initializer=(0, 1))
    ...     with tf.Session() as sess:
    ...         print(sess.run(fib)[0].tolist())
    [1, 1, 2, 3, 5, 8]
    """
    _check_callable(fn)
    input_flatten, input_pack = _packer(elems)
    output_flatten, output_pack = input_flatten, input_pack
    if initializer is not None:
        output_flatten, output_pack = _packer(initializer)
    elems_flat = input_flatten(elems)
    with name_scope(name, "scan", elems_flat):
        elems_flat = [convert_to_tensor(e, name="elem") for e in elems_flat]
        n = _static_first(elems_flat[0])
        if n is None:
            n = shape_of(elems_flat[0])[0]
        elems_ta = [
            TensorArray(e.dtype, n, dynamic_size=False, element_shape=e.shape[1:], infer_shape=True)
            for e in elems_flat
        ]
        elems_ta = [ta.unstack(e) for ta, e in zip(elems_ta, elems_flat, strict=True)]
        last = (lambda: n - 1) if reverse else (lambda: 0)
        if initializer is None:
            a_flat = [ta.read(last()) for ta in elems_ta]
            start = 1
        else:
            a_flat = [convert_to_tensor(init) for init in output_flatten(initializer)]
            start = 0
        accs_ta = [
            TensorArray(
                dtype=a.dtype, size=n, element_shape=a.shape if infer_shape else None,
                dynamic_size=False, infer_shape=infer_shape,
            )
            for a in a_flat
        ]  # fmt: skip
        if initializer is None:
            accs_ta = [ta.write(last(), a) for ta, a in zip(accs_ta, a_flat, strict=True)]

        def compute(i, a_flat, tas):
            a_out = fn(output_pack(a_flat), input_pack([ta.read(i) for ta in elems_ta]))
            nest.assert_same_structure(
                elems if initializer is None else initializer, a_out, "in tf.scan, fn's result"
            )
            flat_out = output_flatten(a_out)
            tas = [ta.write(i, value) for ta, value in zip(tas, flat_out, strict=False)]
            return (i - 1 if reverse else i + 1, flat_out, tas)

        if reverse:
            initial_i, condition = n - 1 - start, (lambda i, _1, _2: i >= 0)
        else:
            initial_i, condition = start, (lambda i, _1, _2: i < n)
        _, _, out_ta = while_loop(
            condition,
            compute,
            (initial_i, a_flat, accs_ta),
            parallel_iterations=parallel_iterations,
            back_prop=back_prop,
            swap_memory=swap_memory,
            maximum_iterations=n,
        )
        results = [ta.stack() for ta in out_ta]
        leading = TensorShape([_leading(elems_flat)])
        for r in results:
            r.set_shape(leading.concatenate(r.shape[1:]))
        return output_pack(results)


def _check_result_dtypes(values: list, want: list, has_dtype: bool) -> None:
    for index, (value, dtype) in enumerate(zip(values, want, strict=False)):
        if isinstance(value, Tensor) and value.dtype.base_dtype != dtype:
            fix = "Correct `dtype`" if has_dtype else "Pass `dtype` (fn's output dtypes)"
            raise TypeError(
                f"tf.map_fn: fn's output {index} ('{value.name}') is "
                f"{value.dtype.base_dtype.name}, but {dtype.name} was expected "
                f"({'from dtype' if has_dtype else 'the dtype of elems'}). {fix} when fn's "
                "outputs differ from elems in structure or dtype."
            )


@undo.atomic
def map_fn(
    fn: Callable,
    elems,
    dtype=None,
    parallel_iterations=None,
    back_prop=True,
    swap_memory=False,
    infer_shape=True,
    name=None,
    fn_output_signature=None,
):
    """``fn`` applied to each element of ``elems`` unstacked along the first axis, the
    results stacked: ``[fn(elems[0]), fn(elems[1]), ...]``.

    ``elems`` may be a nested structure of tensors of one first dimension; ``fn`` gets one
    slice of it in that structure. When ``fn``'s output differs from ``elems`` in structure or
    dtypes, ``dtype`` (or ``fn_output_signature``) gives the output's dtypes in its structure.
    ``parallel_iterations`` (default 10) is accepted as in TF1; iterations run one by one.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    ...     total, top = tf.map_fn(
    ...         lambda row: (tf.reduce_sum(row), tf.argmax(row, output_type=tf.int32)), x,
    ...         dtype=(tf.float32, tf.int32))
    ...     with tf.Session() as sess:
    ...         print(total.name, sess.run(total).tolist(), sess.run(top).tolist())
    map/TensorArrayStack/TensorArrayGatherV3:0 [3.0, 7.0, 11.0] [1, 1, 1]
    """
    signature = dtype if fn_output_signature is None else fn_output_signature
    _check_callable(fn)
    parallel_iterations = parallel_iterations or 10
    elems_flat = nest.flatten(elems)
    if not elems_flat:
        raise ValueError(
            "elems must be a Tensor or (possibly nested) sequence of Tensors. "
            f"Got {elems}, which does not contain any Tensors."
        )
    if signature is None:
        result_dtypes, result_pack = None, (lambda flat: nest.pack_sequence_as(elems, flat))
    else:
        result_dtypes = [dtypes.as_dtype(d).base_dtype for d in nest.flatten(signature)]
        result_pack = lambda flat: nest.pack_sequence_as(signature, flat)  # noqa: E731
    with name_scope(name, "map", elems_flat):
        elems_flat = [convert_to_tensor(t, name="elem") for t in elems_flat]
        _static_first(elems_flat[0])
        leading = _leading(elems_flat)
        n = leading.value or shape_of(elems_flat[0])[0]
        elems_ta = [TensorArray(t.dtype, n, dynamic_size=False) for t in elems_flat]
        elems_ta = [ta.unstack(t) for ta, t in zip(elems_ta, elems_flat, strict=True)]
        i = constant(0)
        if result_dtypes is None:
            result_dtypes = [t.dtype.base_dtype for t in elems_flat]
        result_ta = [
            TensorArray(dtype=d, size=n, dynamic_size=False, infer_shape=infer_shape)
            for d in result_dtypes
        ]

        def compute(i, tas):
            value = fn(nest.pack_sequence_as(elems, [ta.read(i) for ta in elems_ta]))
            nest.assert_same_structure(
                signature or elems, value, "in tf.map_fn, dtype (or elems) and fn's result"
            )
            flat = nest.flatten(value)
            _check_result_dtypes(flat, result_dtypes, signature is not None)
            tas = [ta.write(i, v) for ta, v in zip(tas, flat, strict=False)]
            return (i + 1, tas)

        _, out_ta = while_loop(
            lambda i, _: i < n,
            compute,
            (i, result_ta),
            parallel_iterations=parallel_iterations,
            back_prop=back_prop,
            swap_memory=swap_memory,
            maximum_iterations=n,
        )
        results = [ta.stack() for ta in out_ta]
        for r in results:
            r.set_shape(TensorShape([leading]).concatenate(r.shape[1:]))
        return result_pack(results)


def vectorized_map(fn: Callable, elems, fallback_to_while_loop=True, warn=True):
    """``fn`` applied to each slice of ``elems`` along the first axis, the results stacked, as
    :func:`map_fn` with the output dtypes found by calling ``fn`` once.

    TF vectorizes ``fn`` (pfor) and falls back to a while loop for ops it cannot vectorize;
    scopeflow always runs the loop, so the values are TF's while the op names are
    ``vectorized_map/...`` rather than pfor's ``loop_body/...``; ``fallback_to_while_loop`` and
    ``warn`` are accepted and change nothing.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     rows = tf.vectorized_map(lambda r: (tf.reduce_sum(r), r * 2), tf.ones([3, 2]))
    ...     with tf.Session() as sess:
    ...         print(sess.run(rows[0]).tolist(), sess.run(rows[1]).shape)
    [2.0, 2.0, 2.0] (3, 2)
    """
    _check_callable(fn)
    flat = [convert_to_tensor(t, name="elem") for t in nest.flatten(elems)]
    if not flat:
        raise ValueError(f"elems must contain at least one Tensor, got {elems!r}")

    def probe():  # fn on one slice of each element, to read its result's structure
        sample = [placeholder(t.dtype, t.shape[1:]) for t in flat]
        value = fn(nest.pack_sequence_as(elems, sample))
        return nest.map_structure(lambda v: convert_to_tensor(v).dtype, value)

    signature = undo.discarded(probe)
    return map_fn(fn, nest.pack_sequence_as(elems, flat), dtype=signature, name="vectorized_map")


__all__ = ["foldl", "foldr", "map_fn", "scan", "vectorized_map"]
