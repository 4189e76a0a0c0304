"""Printing from a running graph: TF1's ``tf.Print`` (an identity that logs) and
``tf.print`` (a ``StringFormat`` + ``PrintV2`` op pair, formatted like NumPy)."""

from __future__ import annotations

import sys

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.core.infer import apply_op

# -- formatting ---------------------------------------------------------------------------


def _scalar_text(x) -> str:
    if isinstance(x, bytes):
        return x.decode("utf-8", "replace")
    if isinstance(x, (bool, np.bool_)):
        return "1" if x else "0"
    if isinstance(x, (float, np.float64)):  # TF: 15 digits, or 17 where 15 do not round-trip
        text = f"{x:.15g}"
        return text if float(text) == x else f"{x:.17g}"
    if isinstance(x, np.floating):  # float32, half and bfloat16 print as float32: 6 or 9 digits
        x = np.float32(x)
        text = f"{x:.6g}"
        return text if np.float32(text) == x else f"{x:.9g}"
    return str(x)


_ESCAPES = {
    ord("\n"): b"\\n",
    ord("\r"): b"\\r",
    ord("\t"): b"\\t",
    ord('"'): b'\\"',
    ord("'"): b"\\'",
    ord("\\"): b"\\\\",
}


def _escaped(text: bytes) -> str:
    """``text`` C-escaped as TF1's summaries show strings (UTF-8 kept, control bytes octal)."""
    out = bytearray()
    for byte in text:
        if byte in _ESCAPES:
            out += _ESCAPES[byte]
        elif byte < 0x20 or byte == 0x7F:
            out += f"\\{byte:03o}".encode()
        else:
            out.append(byte)
    return out.decode("utf-8", "replace")


def summarize_v1(value, limit: int) -> str:
    """TF1 ``Print``'s and ``Assert``'s format of one tensor: its first ``limit`` elements in
    nested brackets, ``...`` where it stops (``[[1.5 2 3...]...]``; all of them when ``limit``
    is negative or None)."""
    arr = np.asarray(value)
    flat = arr.ravel()
    limit = flat.size if limit is None or limit < 0 else min(limit, flat.size)
    more = "..." if flat.size > limit else ""
    if arr.dtype.kind == "c":  # TF prints no complex values
        return "[" + " ".join(["?"] * limit) + more + "]"
    if arr.dtype.kind == "b" and limit == 0:  # nor anything of a bool tensor then
        return "[]"
    items = [_escaped(x) if isinstance(x, bytes) else _scalar_text(x) for x in flat[:limit]]
    if arr.ndim == 0:
        return "[" + " ".join(items) + more + "]"
    out: list[str] = []
    _print_dim(arr.shape, 0, items, [0], out)
    return "[" + "".join(out) + more + "]"


def _print_dim(shape, dim: int, items: list, index: list, out: list) -> None:
    """Writes the elements of ``items`` from ``index[0]`` on in the brackets of ``shape``'s
    dimensions from ``dim`` on, as TF's ``PrintOneDim`` does."""
    limit = len(items)
    if index[0] >= limit:
        return
    if dim == len(shape) - 1:
        for i in range(shape[dim]):
            if index[0] >= limit:
                if dim != 0:
                    out.append("...")
                return
            if i > 0:
                out.append(" ")
            out.append(items[index[0]])
            index[0] += 1
        return
    for _ in range(shape[dim]):
        opened = index[0] < limit
        if opened:
            out.append("[")
        _print_dim(shape, dim + 1, items, index, out)
        if opened:
            out.append("]")


def format_v2(value, summarize: int) -> str:
    """``tf.print``'s format: NumPy-like (blank lines between the blocks of 3-D and higher
    tensors), eliding the middle of any dimension longer than ``2 * summarize``
    (``[0 1 2 ... 7 8 9]``)."""
    arr = np.asarray(value)
    if arr.ndim == 0:  # a string in quotes; a float32 with float32's digits, as in TF
        text = _scalar_text(arr[()])
        return f'"{text}"' if arr.dtype == object else text
    if arr.dtype == object:
        quoted = np.vectorize(lambda b: '"' + _scalar_text(b) + '"', otypes=[object])(arr)
        arr = quoted
    edge = arr.size if summarize is None or summarize < 0 else summarize
    text = np.array2string(
        arr,
        separator=" ",
        threshold=0 if edge < arr.size else arr.size + 1,
        edgeitems=max(edge, 1),
        max_line_width=sys.maxsize,
        formatter={"all": lambda x: x if isinstance(x, str) else _scalar_text(x)},
    )
    return text


# -- tf.Print -----------------------------------------------------------------------------


def _print_infer(inputs, attrs):
    return [(inputs[0].dtype.base_dtype, inputs[0].shape)]


def _print_kernel(ctx, op, value, *data):
    first_n = op._attrs["first_n"]
    if first_n >= 0:
        state = ctx.op_state(op, lambda: [0])
        if state[0] >= first_n:
            return value
        state[0] += 1
    summarize = op._attrs["summarize"]
    text = op._attrs["message"] + "".join(summarize_v1(d, summarize) for d in data)
    print(text, file=sys.stderr)
    return value


def _print_grad(op, grad):
    return [grad] + [None] * (len(op.inputs) - 1)


register_op(
    "Print", _print_infer, kernel=_print_kernel, grad=_print_grad, stateful=True, host_only=True
)


@undo.atomic
def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802
    """TF1's ``tf.Print``: returns ``input_`` and, each time it is computed, writes
    ``message`` and the values of ``data`` to standard error."""
    with name_scope(name, "Print", [input_]) as scope:
        value = convert_to_tensor(input_, name="input")
        data = [convert_to_tensor(d, name=f"data_{i}") for i, d in enumerate(data)]
        attrs = {
            "message": message or "",
            "first_n": -1 if first_n is None else int(first_n),
            "summarize": 3 if summarize is None else int(summarize),
        }
        return apply_op("Print", [value, *data], attrs, name=scope)


# -- tf.print -----------------------------------------------------------------------------


def _string_format_infer(inputs, attrs):
    return [(dtypes.string, tensor_shape.TensorShape([]))]


def _string_format_kernel(ctx, op, *values):
    summarize = op._attrs["summarize"]
    pieces = op._attrs["template"].split(op._attrs.get("placeholder", "{}"))
    out = [pieces[0]]
    for value, piece in zip(values, pieces[1:], strict=True):
        out.append(format_v2(value, summarize))
        out.append(piece)
    return np.array("".join(out).encode(), dtype=object)


def _print_v2_kernel(ctx, op, text):
    message = _scalar_text(np.asarray(text)[()]) + op._attrs["end"]
    stream = op._attrs["output_stream"]
    if stream.startswith("file://"):
        with open(stream[len("file://") :], "a", encoding="utf-8") as f:
            f.write(message)
    else:
        target = sys.stdout if stream == "stdout" else sys.stderr
        target.write(message)
        target.flush()
    return ()


register_op(
    "StringFormat",
    _string_format_infer,
    kernel=_string_format_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)
register_op(
    "PrintV2",
    lambda inputs, attrs: [],
    kernel=_print_v2_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
    host_only=True,
)


def _template(x, tensors: list) -> str:
    if isinstance(x, Tensor) or hasattr(x, "_as_graph_element"):
        tensors.append(x)
        return "{}"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k!r}: {_template(v, tensors)}" for k, v in x.items()) + "}"
    if isinstance(x, list):
        return "[" + ", ".join(_template(v, tensors) for v in x) + "]"
    if isinstance(x, tuple):
        return "(" + ", ".join(_template(v, tensors) for v in x) + ")"
    return str(x).replace("{}", "{ }")


def _stream_name(stream) -> str:
    if stream is None or stream is sys.stderr:
        return "stderr"
    if stream is sys.stdout:
        return "stdout"
    if isinstance(stream, str) and (stream.startswith("file://") or stream in ("stdout", "stderr")):
        return stream
    raise ValueError(
        f"Unsupported output stream {stream!r}: use sys.stdout, sys.stderr or a 'file://path'"
    )


@undo.atomic
def print_v2(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):
    """``tf.print``: in graph mode returns the ``PrintV2`` op; run it (or make it a control
    dependency) to print ``inputs`` - tensors formatted like NumPy, anything else as ``str``.
    """
    stream = _stream_name(output_stream)
    tensors: list = []
    template = sep.join(_template(x, tensors) for x in inputs)
    graph = get_default_graph()
    values = [convert_to_tensor(t) for t in tensors]
    attrs = {"template": template, "placeholder": "{}", "summarize": int(summarize)}
    text = graph.create_op("StringFormat", values, attrs, name="StringFormat")._outputs[0]
    return graph.create_op(
        "PrintV2", [text], {"output_stream": stream, "end": end}, name=name or "PrintV2"
    )


@undo.atomic
def string_format(template, inputs, placeholder="{}", summarize=3, name=None):
    """``tf.strings.format``: ``template`` with each ``placeholder`` replaced by the next
    tensor of ``inputs`` (one tensor, or a list), formatted as ``tf.print`` formats it (at
    most ``summarize`` values at each end of a dimension, all with -1).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     text = tf.strings.format("x={}", tf.range(7), summarize=2)
    ...     print(tf.Session().run(text))
    b'x=[0 1 ... 5 6]'
    """
    if isinstance(inputs, Tensor) or hasattr(inputs, "_as_graph_element"):
        inputs = [inputs]
    if template.count(placeholder) != len(inputs):
        raise ValueError(
            f"The template expects {template.count(placeholder)} tensors, but the inputs only "
            f"has {len(inputs)}. Please ensure the number of placeholders in template matches "
            "inputs length."
        )
    with name_scope(name, "StringFormat", inputs) as scope:
        values = [convert_to_tensor(t, name=f"inputs_{i}") for i, t in enumerate(inputs)]
        attrs = {
            "T": [v.dtype.base_dtype for v in values],
            "template": template,
            "placeholder": placeholder,
            "summarize": int(summarize),
        }
        return apply_op("StringFormat", values, attrs, name=scope)


__all__ = ["Print"]
