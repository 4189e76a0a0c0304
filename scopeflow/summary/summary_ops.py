"""TF1's summary ops: ``tf.summary.scalar``, ``histogram``, ``image``, ``audio``, ``text``,
``tensor_summary``, ``merge`` and ``merge_all``, built as TensorFlow 2.21's ``compat.v1`` builds
them (the op is named after the summary's name scope, its tag is that scope; ``family``
prefixes both), each op registered once with its NumPy kernel, which returns the serialized
``Summary`` protocol buffer TensorFlow's kernel returns.

>>> import scopeflow as tf
>>> with tf.name_scope("train"):
...     loss = tf.summary.scalar("loss", tf.constant(0.5))
>>> loss.name
'train/loss:0'
>>> tf.Session().run(loss)
b'\\n\\x11\\n\\ntrain/loss\\x15\\x00\\x00\\x00?'
"""

from __future__ import annotations

import contextlib
import re

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import add_to_collection, get_collection, name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.control.assertions import node_note
from scopeflow.ops.core.infer import apply_op, check_dtype_in, check_list_dtype
from scopeflow.summary import encode, wire

# The dtypes TF's summary ops take, in the order its error messages list them.
_REAL = (
    dtypes.float32,
    dtypes.float64,
    dtypes.int32,
    dtypes.uint8,
    dtypes.int16,
    dtypes.int8,
    dtypes.int64,
    dtypes.bfloat16,
    dtypes.uint16,
    dtypes.float16,
    dtypes.uint32,
    dtypes.uint64,
)
_IMAGE = (dtypes.uint8, dtypes.float32, dtypes.float16, dtypes.float64)
BAD_COLOR = np.array([255, 0, 0, 255], np.uint8)  # ImageSummary's default bad_color: red
_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def _fail(op, message: str):
    raise errors.InvalidArgumentError(None, op, message + node_note(op))


def _as_bytes(value) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


def _summary(values) -> np.ndarray:
    """The serialized ``Summary`` of ``values``, as a string tensor's value."""
    return np.array(wire.summary_bytes(values), dtype=object)


def _shape_text(value) -> str:
    return "[" + ",".join(str(n) for n in np.shape(value)) + "]"


def _scalar_tag(op, tags, what: str) -> bytes:
    if np.ndim(tags) != 0:
        _fail(op, f"{what} must be a scalar")
    return _as_bytes(np.asarray(tags, dtype=object).item())


def _summary_infer(op_type: str, arg: str | None, allowed):
    def infer(inputs, attrs):
        if arg is not None:
            check_dtype_in(op_type, arg, inputs[1], allowed)
        return [(dtypes.string, TensorShape([]))]

    return infer


# -- ScalarSummary -----------------------------------------------------------------------------


def _scalar_summary_kernel(ctx, op, tags, values):
    if np.ndim(tags) == 0 and np.ndim(values) == 0:  # tf.summary.scalar's case, made cheap
        tag = _as_bytes(tags.item() if isinstance(tags, np.ndarray) else tags)
        return _summary([wire.scalar_value(tag, float(np.float32(values)))])
    if np.shape(tags) != np.shape(values):
        single = f" (tag '{_as_bytes(np.ravel(tags)[0]).decode()}')" if np.size(tags) == 1 else ""
        _fail(
            op,
            f"tags and values are not the same shape: {_shape_text(tags)} != "
            f"{_shape_text(values)}{single}",
        )
    floats = np.ravel(values).astype(np.float32)
    tags = np.ravel(np.asarray(tags, dtype=object))
    return _summary(
        wire.scalar_value(_as_bytes(t), float(v)) for t, v in zip(tags, floats, strict=True)
    )


register_op(
    "ScalarSummary",
    _summary_infer("ScalarSummary", "values", _REAL),
    kernel=_scalar_summary_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


# -- HistogramSummary --------------------------------------------------------------------------


def _histogram_summary_kernel(ctx, op, tag, values):
    tag = _scalar_tag(op, tag, "tags")
    x = np.asarray(values, dtype=np.float64).ravel()
    bad = ~np.isfinite(x)
    if bad.any():
        first = x[np.argmax(bad)]
        what = "Nan in summary histogram for" if np.isnan(first) else "Infinity in Histogram for"
        _fail(op, f"{what}: {op.name}")
    stats, limits, counts = encode.histogram(x)
    histo = wire.histogram_proto(stats, limits, counts)
    return _summary([wire.histogram_value(tag, histo)])


register_op(
    "HistogramSummary",
    _summary_infer("HistogramSummary", "values", _REAL),
    kernel=_histogram_summary_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


# -- ImageSummary ------------------------------------------------------------------------------


def _numbered(tag: bytes, kind: str, i: int, limit: int) -> str:
    # TF names images after how many were asked for, not how many there are.
    return f"{tag.decode()}/{kind}/{i}" if limit > 1 else f"{tag.decode()}/{kind}"


def _image_summary_kernel(ctx, op, tag, tensor):
    return image_summary(op, tag, tensor, op._attrs["max_images"], op._attrs["bad_color"])


def image_summary(op, tag, tensor, limit: int, bad_color) -> np.ndarray:
    """The serialized ``Summary`` of up to ``limit`` PNG images of ``tensor`` (also
    ``WriteImageSummary``'s, scopeflow/summary/writer_ops.py)."""
    tag = _scalar_tag(op, tag, "Tags")
    if np.ndim(tensor) != 4 or np.shape(tensor)[3] not in (1, 3, 4):
        _fail(op, f"Tensor must be 4-D with last dim 1, 3, or 4, not {_shape_text(tensor)}")
    bad_color = np.asarray(bad_color, np.uint8).ravel()
    batch, height, width, depth = np.shape(tensor)
    values = []
    for i in range(min(limit, batch)):
        image = tensor[i]
        if image.dtype != np.uint8 and image.size:
            image = encode.to_uint8_image(image, bad_color)
        png = encode.png(np.asarray(image, np.uint8))
        values.append(
            wire.image_value(_numbered(tag, "image", i, limit), height, width, depth, png)
        )
    return _summary(values)


register_op(
    "ImageSummary",
    _summary_infer("ImageSummary", "tensor", _IMAGE),
    kernel=_image_summary_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


# -- AudioSummaryV2 ----------------------------------------------------------------------------


def _audio_infer(inputs, attrs):
    for arg, t in zip(("tensor", "sample_rate"), inputs[1:], strict=True):
        if t.dtype.base_dtype != dtypes.float32:
            raise TypeError(
                f"Input '{arg}' of 'AudioSummaryV2' Op has type {t.dtype.base_dtype.name} that "
                "does not match expected type of float32."
            )
    return [(dtypes.string, TensorShape([]))]


def _audio_summary_kernel(ctx, op, tag, tensor, sample_rate):
    return audio_summary(op, tag, tensor, sample_rate, op._attrs["max_outputs"])


def audio_summary(op, tag, tensor, sample_rate, limit: int) -> np.ndarray:
    """The serialized ``Summary`` of up to ``limit`` WAV clips of ``tensor`` (also
    ``WriteAudioSummary``'s)."""
    tag = _scalar_tag(op, tag, "Tag")
    if np.ndim(tensor) not in (2, 3):
        _fail(op, f"Tensor must be 3-D or 2-D, got: {_shape_text(tensor)}")
    if np.ndim(sample_rate) != 0:
        _fail(op, "sample_rate must be rank-0 or contain a single value")
    rate = np.float32(sample_rate)
    if not rate > 0:
        _fail(op, "sample_rate must be > 0")
    batch, frames = np.shape(tensor)[:2]
    channels = 1 if np.ndim(tensor) == 2 else np.shape(tensor)[2]
    samples = np.reshape(tensor, (batch, frames, channels))
    whole_rate = max(int(np.rint(rate)), 1)
    values = []
    for i in range(min(limit, batch)):
        encoded = encode.wav(samples[i], whole_rate)
        tag_i = _numbered(tag, "audio", i, limit)
        values.append(wire.audio_value(tag_i, float(rate), channels, frames, encoded))
    return _summary(values)


register_op(
    "AudioSummaryV2",
    _audio_infer,
    kernel=_audio_summary_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


# -- TensorSummaryV2 ---------------------------------------------------------------------------


def _tensor_summary_kernel(ctx, op, tag, tensor, metadata):
    tag = _scalar_tag(op, tag, "tag")
    dtype = op._attrs["T"]
    value = np.asarray(tensor)
    if dtype == dtypes.string:
        strings = [_as_bytes(s) for s in value.ravel()]
        proto = wire.tensor_proto(dtype.as_datatype_enum, value.shape, strings=strings)
    else:
        content = np.ascontiguousarray(value, dtype.as_numpy_dtype).tobytes()
        proto = wire.tensor_proto(dtype.as_datatype_enum, value.shape, content)
    metadata = _as_bytes(np.asarray(metadata, dtype=object).item())
    return _summary([wire.tensor_value(tag, proto, metadata)])


register_op(
    "TensorSummaryV2",
    _summary_infer("TensorSummaryV2", None, ()),
    kernel=_tensor_summary_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


# -- MergeSummary ------------------------------------------------------------------------------


def _merge_infer(inputs, attrs):
    kind = check_list_dtype("MergeSummary", "inputs", inputs)
    if kind != dtypes.string:
        names = ", ".join(t.dtype.base_dtype.name for t in inputs)
        raise TypeError(
            f"Tensors in list passed to 'inputs' of 'MergeSummary' Op have types [{names}] "
            "that do not match expected type string."
        )
    return [(dtypes.string, TensorShape([]))]


def _merge_summary_kernel(ctx, op, *inputs):
    seen: set[bytes] = set()
    values = []
    for summaries in inputs:
        for serialized in np.ravel(np.asarray(summaries, dtype=object)):
            try:
                parsed = wire.summary_values(_as_bytes(serialized))
            except wire.WireError:
                _fail(op, "Could not parse one of the summary inputs")
            for tag, value in parsed:
                if tag and tag in seen:
                    _fail(
                        op, f"Duplicate tag {tag.decode(errors='replace')} found in summary inputs "
                    )
                seen.add(tag)
                values.append(value)
    return _summary(values)


register_op(
    "MergeSummary",
    _merge_infer,
    kernel=_merge_summary_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


# -- the public builders -----------------------------------------------------------------------


def _clean_tag(name: str | None) -> str | None:
    """TF1's ``clean_tag``: characters a node name cannot hold become ``_``, leading ``/``
    go."""
    if name is None:
        return None
    return _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")


@contextlib.contextmanager
def _summary_scope(name, family=None, values=None):
    """``(tag, scope)`` as TF1's ``summary_op_util.summary_scope``: the scope is
    ``family/name`` made unique, the tag that scope (with ``family/`` in front again)."""
    name, family = _clean_tag(name), _clean_tag(family)
    base = name if family is None else f"{family}/{name}"
    with name_scope(base, None, values) as scope:
        tag = scope.rstrip("/") if family is None else f"{family}/{scope.rstrip('/')}"
        yield tag, scope


def _collect(value, collections, default) -> None:
    for key in default if collections is None else collections:
        add_to_collection(key, value)


@undo.atomic
def scalar(name, tensor, collections=None, family=None):
    """A ``Summary`` with the one real number in ``tensor`` as ``simple_value`` (TensorBoard's
    scalars), added to ``collections`` (default ``[GraphKeys.SUMMARIES]``).

    >>> import scopeflow as tf
    >>> tf.summary.scalar("accuracy", tf.constant(0.5), family="eval").name
    'eval/accuracy:0'
    """
    with _summary_scope(name, family, [tensor]) as (tag, scope):
        tags = convert_to_tensor(tag, name="tags")
        values = convert_to_tensor(tensor, name="values")
        val = apply_op("ScalarSummary", [tags, values], {"T": values.dtype.base_dtype}, scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


@undo.atomic
def histogram(name, values, collections=None, family=None):
    """A ``Summary`` with a ``HistogramProto`` of ``values`` (TensorBoard's histograms and
    distributions), in TF's default buckets; a NaN or Inf fails the run."""
    with _summary_scope(name, family, [values]) as (tag, scope):
        tag_t = convert_to_tensor(tag, name="tag")
        x = convert_to_tensor(values, name="values")
        val = apply_op("HistogramSummary", [tag_t, x], {"T": x.dtype.base_dtype}, scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


@undo.atomic
def image(name, tensor, max_outputs=3, collections=None, family=None):
    """A ``Summary`` with up to ``max_outputs`` PNG images from ``tensor`` ``[batch, height,
    width, 1|3|4]``: uint8 as is, floats scaled into [0, 255] per image as TF1 does (NaN or Inf
    pixels red); tags ``<tag>/image/<i>`` (``<tag>/image`` when ``max_outputs`` is 1)."""
    with _summary_scope(name, family, [tensor]) as (tag, scope):
        tag_t = convert_to_tensor(tag, name="tag")
        x = convert_to_tensor(tensor, name="tensor")
        attrs = {"T": x.dtype.base_dtype, "max_images": int(max_outputs), "bad_color": BAD_COLOR}
        val = apply_op("ImageSummary", [tag_t, x], attrs, scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


@undo.atomic
def audio(name, tensor, sample_rate, max_outputs=3, collections=None, family=None):
    """A ``Summary`` with up to ``max_outputs`` 16-bit WAV clips from float32 ``tensor``
    ``[batch, frames]`` or ``[batch, frames, channels]`` in [-1, 1] at ``sample_rate`` Hz."""
    with _summary_scope(name, family, [tensor]) as (tag, scope):
        rate = convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
        tag_t = convert_to_tensor(tag, name="tag")
        x = convert_to_tensor(tensor, name="tensor")
        attrs = {"max_outputs": int(max_outputs)}
        val = apply_op("AudioSummaryV2", [tag_t, x, rate], attrs, scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def _metadata_bytes(summary_metadata, summary_description, display_name) -> bytes:
    """The ``SummaryMetadata`` as bytes; like TF1, sets the two fields on a given proto."""
    if summary_metadata is not None:
        if summary_description is not None:
            summary_metadata.summary_description = summary_description
        if display_name is not None:
            summary_metadata.display_name = display_name
        return summary_metadata.SerializeToString()
    out = wire.len_field(2, display_name.encode()) if display_name else b""
    return out + (wire.len_field(3, summary_description.encode()) if summary_description else b"")


@undo.atomic
def tensor_summary(
    name,
    tensor,
    summary_description=None,
    collections=None,
    summary_metadata=None,
    family=None,
    display_name=None,
):
    """A ``Summary`` holding ``tensor`` itself as a ``TensorProto``, with ``SummaryMetadata``
    (``summary_metadata``, a ``tf.SummaryMetadata``, and the description and display name)."""
    metadata = _metadata_bytes(summary_metadata, summary_description, display_name)
    with _summary_scope(name, family, [tensor]) as (tag, scope):
        tag_t = convert_to_tensor(tag, name="tag")
        x = convert_to_tensor(tensor, name="tensor")
        meta = convert_to_tensor(metadata, name="serialized_summary_metadata")
        attrs = {"T": x.dtype.base_dtype}
        val = apply_op("TensorSummaryV2", [tag_t, x, meta], attrs, scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


_TEXT_METADATA = wire.len_field(1, wire.len_field(1, b"text"))  # plugin_data {plugin_name}


@undo.atomic
def text(name, tensor, collections=None):
    """A ``Summary`` of a string ``tensor`` for TensorBoard's Text tab (Markdown rendered)."""
    if tensor.dtype != dtypes.string:
        raise ValueError(f"Expected tensor {tensor.name} to have dtype string, got {tensor.dtype}")
    with _summary_scope(name, None, [tensor]) as (tag, scope):
        tag_t = convert_to_tensor(tag, name="tag")
        meta = convert_to_tensor(_TEXT_METADATA, name="serialized_summary_metadata")
        attrs = {"T": dtypes.string}
        val = apply_op("TensorSummaryV2", [tag_t, tensor, meta], attrs, scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


@undo.atomic
def merge(inputs, collections=None, name=None):
    """One ``Summary`` holding the values of all the serialized summaries ``inputs`` (a
    repeated tag fails the run), added only to ``collections``.

    >>> import scopeflow as tf
    >>> a = tf.summary.scalar("a", 1.0)
    >>> tf.summary.merge([a]).name
    'Merge/MergeSummary:0'
    """
    name = _clean_tag(name)
    with name_scope(name, "Merge", inputs):
        tensors = [convert_to_tensor(t) for t in inputs]
        val = apply_op("MergeSummary", tensors, {"N": len(tensors)}, name)
        _collect(val, collections, [])
    return val


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """``merge`` of the summaries in collection ``key`` (those under ``scope``), or ``None``
    when there are none."""
    summary_ops = get_collection(key, scope=scope)
    return merge(summary_ops, name=name) if summary_ops else None


__all__ = [
    "audio",
    "histogram",
    "image",
    "merge",
    "merge_all",
    "scalar",
    "tensor_summary",
    "text",
]
