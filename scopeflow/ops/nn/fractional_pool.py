"""``tf.nn.fractional_max_pool`` and ``fractional_avg_pool`` (``FractionalMaxPool``,
``FractionalAvgPool``; Graham, "Fractional Max-Pooling", 2014) and their gradient ops
``FractionalMaxPoolGrad`` and ``FractionalAvgPoolGrad``.

Each op pools NHWC images over rows and columns cut at random boundaries: a sequence
``0 = s[0] < s[1] < ... < s[n] = size`` per dimension whose steps are ``floor`` or ``ceil`` of
``size / n``, with ``n = floor(size / ratio)``. Output ``(i, j)`` pools rows ``s[i]`` to
``s[i+1] - 1`` (to ``s[i+1]`` when ``overlapping``, clipped to the image) and likewise columns.

The sequences are TF's own, bit for bit: both dimensions draw from one Philox generator
seeded with ``(seed, seed2)`` (rows first). ``pseudo_random``: one uniform float64 ``u`` (two
words) scaled to TF's bound on the offset, boundaries ``ceil(alpha * (i + u))`` with
``alpha = size / n``. Otherwise the ``size % n`` long steps come first and a forward
Fisher-Yates shuffle moves step ``i`` to ``i + word % (n - i)``, the words one after another
from a reservation of ``ceil(n / 4)`` counters. A dimension that ``n`` divides gets even
steps, yet reserves its draws as the others do. ``deterministic`` makes a fresh generator from
the seeds on every run (from seeds picked once per session when both are 0); otherwise the
seeds must be 0 and the session's generator moves on, so every run pools differently.
"""

from __future__ import annotations

import collections
import copy
import math

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.core.infer import apply_op, check_dtype_in, constant_value, no_gradient
from scopeflow.ops.nn.conv import check_rank
from scopeflow.ops.random.distributions import unit_float64, word_stream
from scopeflow.ops.random.philox import op_stream

TensorShape = tensor_shape.TensorShape
FractionalMaxPool = collections.namedtuple(
    "FractionalMaxPool", ["output", "row_pooling_sequence", "col_pooling_sequence"]
)
FractionalAvgPool = collections.namedtuple(
    "FractionalAvgPool", ["output", "row_pooling_sequence", "col_pooling_sequence"]
)
_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


def _output_size(size: int, ratio: float) -> int:
    """TF's ``floor(size / ratio)``, divided in float32 as its kernel and shape function do."""
    return int(np.floor(np.float32(size) / np.float32(ratio)))


def _pool_infer(op_type: str):
    def infer(inputs, attrs):
        (x,) = inputs
        dtype = check_dtype_in(op_type, "value", x, _TYPES)
        ratio = attrs["pooling_ratio"]
        if len(ratio) < 4:
            raise ValueError(
                f"Attr 'pooling_ratio' of '{op_type}' Op passed list of length {len(ratio)} "
                "less than minimum 4."
            )
        if len(ratio) != 4:
            raise ValueError("pooling_ratio field must specify 4 dimensions")
        for r in ratio:
            if r < 1:
                raise ValueError(f"pooling_ratio cannot be smaller than 1, got: {r:g}")
        check_rank("value", x)
        if x.shape.ndims is None:
            dims = [None] * 4
        else:
            dims = [None if d is None else _output_size(d, r)
                    for d, r in zip(x.shape.as_list(), ratio, strict=True)]  # fmt: skip
        # TF's shape function gives the sequences the output's length, one short of the
        # ``n + 1`` boundaries its kernel returns: kept, so static shapes equal TF's.
        return [
            (dtype, TensorShape(dims)),
            (dtypes.int64, TensorShape([dims[1]])),
            (dtypes.int64, TensorShape([dims[2]])),
        ]

    return infer


def _pooling_sequence(size: int, n: int, stream, pseudo_random: bool) -> np.ndarray:
    """The ``n + 1`` boundaries of one dimension, drawing from ``stream`` as TF does."""
    k, extra = divmod(size, n)
    if extra == 0:  # even steps, but the stream moves past the draws all the same
        stream.skip(1 if pseudo_random else (n + 3) // 4)
        steps = [k] * n
    elif pseudo_random:
        alpha = size / n
        bound = min((k + 2) / alpha - 1, (size + 1 - k) / alpha - (n - 1))
        high, low = word_stream(stream.key, stream.skip(1), 2)
        u = float(unit_float64(high, low)) * bound
        cuts = [1] + [math.ceil(alpha * (i + u)) for i in range(1, n)] + [size + 1]
        steps = np.diff(cuts).tolist()
    else:
        steps = [k + 1] * extra + [k] * (n - extra)
        words = word_stream(stream.key, stream.skip((n + 3) // 4), n).tolist()
        for i in range(n - 1):
            j = i + words[i] % (n - i)
            steps[i], steps[j] = steps[j], steps[i]
    return np.cumsum([0] + steps).astype(np.int64)


def _pool_kernel(kind: str):
    def kernel(ctx, op, x):
        attrs = op._attrs
        ratio = attrs["pooling_ratio"]
        if ratio[0] != 1 or ratio[3] != 1:
            raise errors.UnimplementedError(
                None, op, f"Fractional {kind} pooling is not yet supported on the batch nor "
                "channel dimension."
            )  # fmt: skip
        if not attrs["deterministic"] and (attrs["seed"] or attrs["seed2"]):
            raise errors.InvalidArgumentError(
                None, op, "Both seed and seed2 should be 0 if deterministic is false."
            )
        if x.ndim != 4:
            raise errors.InvalidArgumentError(None, op, "tensor_in must be 4-dimensional")
        for i in range(4):
            if x.shape[i] < np.float32(ratio[i]):
                raise errors.InvalidArgumentError(
                    None, op, "Pooling ratio is higher than input dimension size for dimension "
                    f"{i}. Input dim size: {x.shape[i]} pooling ratio: "
                    f"{float(np.float32(ratio[i])):g}",
                )  # fmt: skip
        stream = op_stream(ctx, op)  # seeds picked at random once per session when 0
        if attrs["deterministic"]:
            stream = copy.copy(stream)  # a fresh generator from the seeds on every run
        pseudo = attrs["pseudo_random"]
        rows = _pooling_sequence(x.shape[1], _output_size(x.shape[1], ratio[1]), stream, pseudo)
        cols = _pooling_sequence(x.shape[2], _output_size(x.shape[2], ratio[2]), stream, pseudo)
        if kind == "max":
            out = _max_pool(x, rows, cols, attrs["overlapping"])[0]
        else:
            out = _avg_pool(x, rows, cols, attrs["overlapping"])
        return out, rows, cols

    return kernel


def _windows(seq: np.ndarray, size: int, overlapping: bool):
    """Each window's first index ``(n, span)``, clipped to the dimension, and which are real."""
    starts = seq[:-1]
    ends = np.minimum(seq[1:] if overlapping else seq[1:] - 1, size - 1)
    span = int((ends - starts).max()) + 1 if len(starts) else 0
    index = starts[:, None] + np.arange(span)
    valid = index <= ends[:, None]
    return np.minimum(index, size - 1), valid


def _window_steps(x, rows, cols, overlapping):
    """Each window element in TF's order (rows outer, columns inner): its values gathered for
    every output, which outputs it is real for, and its flat NHWC offset."""
    r_index, r_valid = _windows(rows, x.shape[1], overlapping)
    c_index, c_valid = _windows(cols, x.shape[2], overlapping)
    batch, channels = np.arange(x.shape[0]), np.arange(x.shape[3])
    for dr in range(r_index.shape[1]):
        for dc in range(c_index.shape[1]):
            r, c = r_index[:, dr], c_index[:, dc]
            values = x[:, r][:, :, c]
            valid = (r_valid[:, dr][:, None] & c_valid[:, dc][None, :])[None, :, :, None]
            offset = ((batch[:, None, None, None] * x.shape[1] + r[None, :, None, None])
                      * x.shape[2] + c[None, None, :, None]) * x.shape[3] + channels  # fmt: skip
            yield values, valid, offset


def _max_pool(x, rows, cols, overlapping):
    """The windows' maxima (from TF's start at the dtype's lowest value) and where the first
    maximum of each is (its flat NHWC offset)."""
    shape = (x.shape[0], len(rows) - 1, len(cols) - 1, x.shape[3])
    lowest = np.finfo(x.dtype).min if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    out = np.full(shape, lowest, x.dtype)
    best = np.zeros(shape, x.dtype)  # TF's search: the first element, then any greater one
    found = np.zeros(shape, bool)
    where = np.zeros(shape, np.int64)
    for values, valid, offset in _window_steps(x, rows, cols, overlapping):
        np.fmax(out, np.where(valid, values, lowest), out=out)  # NaN never wins, as in TF
        take = valid & ((values > best) | ~found)
        best = np.where(take, values, best)
        where = np.where(take, offset, where)
        found |= valid
    return out, where


def _avg_pool(x, rows, cols, overlapping):
    """The windows' means, summed in TF's order in the dtype (integers divide truncating)."""
    shape = (x.shape[0], len(rows) - 1, len(cols) - 1, x.shape[3])
    total = np.zeros(shape, x.dtype)
    count = np.zeros(shape[1:3] + (1,), np.int64)
    for values, valid, _ in _window_steps(x, rows, cols, overlapping):
        total += np.where(valid, values, 0).astype(x.dtype)
        count += valid[0]
    if x.dtype.kind == "f":
        return (total / count.astype(x.dtype)).astype(x.dtype)
    return (np.sign(total) * (np.abs(total) // count)).astype(x.dtype)


def _max_pool_grad(op, grad, _rows, _cols):
    """TF's: ``FractionalMaxPoolGrad`` of the input, output, gradient and both sequences."""
    inputs = [op.inputs[0], op.outputs[0], grad, op.outputs[1], op.outputs[2]]
    return [apply_op("FractionalMaxPoolGrad", inputs, {"overlapping": op._attrs["overlapping"]})]


def _avg_pool_grad(op, grad, _rows, _cols):
    """TF's: ``FractionalAvgPoolGrad`` of the input's static shape as an int64 constant."""
    shape = op.inputs[0].shape
    if not shape.is_fully_defined():
        raise ValueError(
            f"Cannot convert a partially known TensorShape {shape} to a Tensor: the gradient of "
            f"FractionalAvgPool '{op.name}' needs the input's static shape (as TF's does)."
        )
    with name_scope("FractionalAvgPoolGrad"):
        dims = constant(shape.as_list(), dtypes.int64, name="orig_input_tensor_shape")
    inputs = [dims, grad, op.outputs[1], op.outputs[2]]
    return [apply_op("FractionalAvgPoolGrad", inputs, {"overlapping": op._attrs["overlapping"]})]


for _type, _kind, _grad in (("FractionalMaxPool", "max", _max_pool_grad),
                            ("FractionalAvgPool", "average", _avg_pool_grad)):  # fmt: skip
    register_op(_type, _pool_infer(_type), kernel=_pool_kernel(_kind), grad=_grad, stateful=True)


def _sequences_for(op, rows, cols, out_shape, short_error):
    """The first ``n + 1`` boundaries of each sequence for an output of ``out_shape``; fewer
    raise ``short_error(name, n + 1, got)``. A window past the image is clipped, as in TF;
    a negative or falling boundary (which TF's kernels do not check) is refused."""
    kept = []
    for name, seq, n in (("row", rows, out_shape[1]), ("col", cols, out_shape[2])):
        seq = np.asarray(seq).reshape(-1)
        if len(seq) < n + 1:
            raise errors.InvalidArgumentError(None, op, short_error(name, n + 1, len(seq)))
        seq = seq[: n + 1]
        if len(seq) and (seq[0] < 0 or np.any(np.diff(seq) <= 0)):
            raise errors.InvalidArgumentError(
                None, op, f"{name}_pooling_sequence must rise from 0, got {seq.tolist()}"
            )
        kept.append(seq)
    return kept


def _past(seq, size: int) -> bool:
    """Whether the last window starts past the image (no element to pool)."""
    return len(seq) > 1 and seq[-2] >= size


def _max_grad_infer(inputs, attrs):
    x, y, grad = inputs[:3]
    dtype = check_dtype_in("FractionalMaxPoolGrad", "orig_input", x, _TYPES)
    for name, t in (("orig_input", x), ("orig_output", y), ("out_backprop", grad)):
        check_rank(name, t)
    return [(dtype, x.shape if x.shape.ndims is not None else TensorShape([None] * 4))]


def _max_grad_kernel(ctx, op, x, y, grad, rows, cols):
    for name, value in (("orig_input", x), ("orig_output", y), ("out_backprop", grad)):
        if value.ndim != 4:
            raise errors.InvalidArgumentError(None, op, f"{name} must be 4-dimensional")
    if grad.shape != y.shape:
        raise errors.InvalidArgumentError(
            None, op, f"out_backprop must have the shape of orig_output {list(y.shape)}, got "
            f"{list(grad.shape)}",
        )  # fmt: skip
    # TF finds no maximum for the outputs a short sequence leaves out, and says so thus
    rows, cols = _sequences_for(
        op, rows, cols, y.shape, lambda *_: "tensor_out_dup is not the same as tensor_out"
    )
    if _past(rows, x.shape[1]) or _past(cols, x.shape[2]):
        raise errors.InvalidArgumentError(None, op, "tensor_out_dup is not the same as tensor_out")
    where = _max_pool(x, rows, cols, op._attrs["overlapping"])[1]
    out = np.zeros(x.size, x.dtype)
    np.add.at(out, where.reshape(-1), grad.reshape(-1))  # in output order, as TF adds
    return out.reshape(x.shape)


def _avg_grad_infer(inputs, attrs):
    dims, grad = inputs[:2]
    dtype = check_dtype_in("FractionalAvgPoolGrad", "out_backprop", grad, _TYPES)
    check_rank("out_backprop", grad)
    value = constant_value(dims)
    if value is not None and np.ndim(value) == 1 and len(value) == 4:
        return [(dtype, TensorShape([int(d) for d in np.asarray(value)]))]
    return [(dtype, TensorShape([None] * 4))]


def _avg_grad_kernel(ctx, op, dims, grad, rows, cols):
    dims = [int(d) for d in np.asarray(dims).reshape(-1)]
    if len(dims) != 4:
        raise errors.InvalidArgumentError(
            None, op, "original input tensor shape must be1-dimensional and 4 elements"
        )  # TF's words, its missing space included
    if grad.ndim != 4:
        raise errors.InvalidArgumentError(None, op, "out_backprop must be 4-dimensional")
    given = "[" + ",".join(str(d) for d in grad.shape) + "]"
    rows, cols = _sequences_for(
        op, rows, cols, grad.shape,
        lambda name, want, got: f"Given out_backprop shape {given}, {name}_seq_tensor must "
        f"have at least {want} elements, but got {got}",
    )  # fmt: skip
    if _past(rows, dims[1]) or _past(cols, dims[2]):
        raise errors.InvalidArgumentError(
            None, op, "a pooling window starts past orig_input_tensor_shape " + str(dims)
        )
    shape = (dims[0], dims[1], dims[2], dims[3])
    if grad.shape[0] != shape[0] or grad.shape[3] != shape[3]:
        raise errors.InvalidArgumentError(
            None, op, f"out_backprop's batch and depth {list(grad.shape)} must equal those of "
            f"orig_input_tensor_shape {dims}",
        )  # fmt: skip
    probe = np.zeros(shape, np.float64)
    steps = list(_window_steps(probe, rows, cols, op._attrs["overlapping"]))
    count = sum(valid[0] for _, valid, _ in steps).astype(np.float64)
    share = grad.astype(np.float64) / count
    outputs = np.arange(grad.size).reshape(grad.shape)
    targets, shares, order = [], [], []
    for _, valid, offset in steps:
        mask = np.broadcast_to(valid, grad.shape)
        targets.append(np.broadcast_to(offset, grad.shape)[mask])
        shares.append(share[mask])
        order.append(outputs[mask])
    first = np.argsort(np.concatenate(order), kind="stable")  # TF adds in output order
    out = np.zeros(probe.size, np.float64)
    np.add.at(out, np.concatenate(targets)[first], np.concatenate(shares)[first])
    return out.reshape(shape).astype(grad.dtype)


# TF registers no gradient for either: differentiating one raises its LookupError.
register_op("FractionalMaxPoolGrad", _max_grad_infer, kernel=_max_grad_kernel, grad=no_gradient)
register_op("FractionalAvgPoolGrad", _avg_grad_infer, kernel=_avg_grad_kernel, grad=no_gradient)


def _pool(op_type, result, value, pooling_ratio, pseudo_random, overlapping, deterministic,
          seed, seed2, name):  # fmt: skip
    if not isinstance(pooling_ratio, (list, tuple)):
        raise TypeError(
            f"Expected list for 'pooling_ratio' argument to '{_API[op_type]}' Op, not "
            f"{pooling_ratio}."
        )
    with name_scope(name, op_type, [value]) as scope:
        value = convert_to_tensor(value, name="value")
        attrs = {
            "pooling_ratio": [float(r) for r in pooling_ratio],
            "pseudo_random": bool(pseudo_random),
            "overlapping": bool(overlapping),
            "deterministic": bool(deterministic),
            "seed": int(seed),
            "seed2": int(seed2),
        }
        return result(*apply_op(op_type, [value], attrs, name=scope))


_API = {"FractionalMaxPool": "fractional_max_pool", "FractionalAvgPool": "fractional_avg_pool"}


@undo.atomic
def fractional_max_pool(value, pooling_ratio, pseudo_random=False, overlapping=False,
                        deterministic=False, seed=0, seed2=0, name=None):  # fmt: skip
    """Max pooling over NHWC ``value`` by a non-integer ``pooling_ratio`` (``[1.0, rows,
    cols, 1.0]``, each at least 1), with TF's random window boundaries.

    Returns:
        ``(output, row_pooling_sequence, col_pooling_sequence)``: the pooled images and the
        int64 boundaries used (``n + 1`` each at run time; TF's static shape says ``n``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.reshape(tf.range(25.0), [1, 5, 5, 1])
    ...     out, rows, cols = tf.nn.fractional_max_pool(
    ...         x, [1.0, 1.6, 1.6, 1.0], deterministic=True, seed=1, seed2=2)
    ...     with tf.Session() as sess:
    ...         o, r, c = sess.run([out, rows, cols])
    >>> r.tolist(), c.tolist(), o[0, :, :, 0].tolist()
    ([0, 1, 3, 5], [0, 1, 3, 5], [[0.0, 2.0, 4.0], [10.0, 12.0, 14.0], [20.0, 22.0, 24.0]])
    """
    return _pool("FractionalMaxPool", FractionalMaxPool, value, pooling_ratio, pseudo_random,
                 overlapping, deterministic, seed, seed2, name)  # fmt: skip


@undo.atomic
def fractional_avg_pool(value, pooling_ratio, pseudo_random=False, overlapping=False,
                        deterministic=False, seed=0, seed2=0, name=None):  # fmt: skip
    """Average pooling over NHWC ``value`` by a non-integer ``pooling_ratio``, as
    :func:`fractional_max_pool` (same sequences for the same seeds); integer images average
    with C++'s truncating division.
    """
    return _pool("FractionalAvgPool", FractionalAvgPool, value, pooling_ratio, pseudo_random,
                 overlapping, deterministic, seed, seed2, name)  # fmt: skip
