"""TF 0.12's summary functions, still found in old code: ``tf.scalar_summary``,
``tf.histogram_summary``, ``tf.image_summary``, ``tf.audio_summary``, ``tf.merge_summary``,
``tf.merge_all_summaries`` and ``tf.train.SummaryWriter``.

Unlike ``tf.summary.*``, their first argument is the tag itself (``scalar_summary`` takes a
tensor of tags, one per value), and the op is named by ``name`` (default: the op type), as in
TensorFlow's ``logging_ops`` (names checked against TF 2.21's copies of them).

>>> import scopeflow as tf
>>> tf.scalar_summary("loss", tf.constant(1.0)).name
'ScalarSummary:0'
"""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import add_to_collection, get_collection, name_scope
from scopeflow.ops.core.infer import apply_op
from scopeflow.summary.summary_ops import BAD_COLOR
from scopeflow.summary.writer import FileWriter


def _collect(value, collections) -> None:
    for key in [GraphKeys.SUMMARIES] if collections is None else collections:
        add_to_collection(key, value)


@undo.atomic
def scalar_summary(tags, values, collections=None, name=None):
    """A ``Summary`` with one ``simple_value`` per element of ``values``, tagged by the
    same-shaped ``tags`` (use ``tf.summary.scalar``)."""
    with name_scope(name, "ScalarSummary", [tags, values]) as scope:
        tags = convert_to_tensor(tags, name="tags")
        values = convert_to_tensor(values, name="values")
        val = apply_op("ScalarSummary", [tags, values], {"T": values.dtype.base_dtype}, scope)
        _collect(val, collections)
    return val


@undo.atomic
def histogram_summary(tag, values, collections=None, name=None):
    """A histogram ``Summary`` of ``values`` tagged ``tag`` (use ``tf.summary.histogram``)."""
    with name_scope(name, "HistogramSummary", [tag, values]) as scope:
        tag = convert_to_tensor(tag, name="tag")
        values = convert_to_tensor(values, name="values")
        val = apply_op("HistogramSummary", [tag, values], {"T": values.dtype.base_dtype}, scope)
        _collect(val, collections)
    return val


@undo.atomic
def image_summary(tag, tensor, max_images=3, collections=None, name=None):
    """Up to ``max_images`` images of ``tensor`` tagged ``tag/image/<i>`` (use
    ``tf.summary.image``)."""
    with name_scope(name, "ImageSummary", [tag, tensor]) as scope:
        tag = convert_to_tensor(tag, name="tag")
        tensor = convert_to_tensor(tensor, name="tensor")
        attrs = {"T": tensor.dtype.base_dtype, "max_images": int(max_images)}
        attrs["bad_color"] = BAD_COLOR
        val = apply_op("ImageSummary", [tag, tensor], attrs, scope)
        _collect(val, collections)
    return val


@undo.atomic
def audio_summary(tag, tensor, sample_rate, max_outputs=3, collections=None, name=None):
    """Up to ``max_outputs`` WAV clips of ``tensor`` tagged ``tag/audio/<i>`` (use
    ``tf.summary.audio``)."""
    with name_scope(name, "AudioSummary", [tag, tensor]) as scope:
        rate = convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
        tag = convert_to_tensor(tag, name="tag")
        tensor = convert_to_tensor(tensor, name="tensor")
        attrs = {"max_outputs": int(max_outputs)}
        val = apply_op("AudioSummaryV2", [tag, tensor, rate], attrs, scope)
        _collect(val, collections)
    return val


@undo.atomic
def merge_summary(inputs, collections=None, name=None):
    """The values of the summaries ``inputs`` in one ``Summary`` (use ``tf.summary.merge``)."""
    with name_scope(name, "MergeSummary", inputs):
        tensors = [convert_to_tensor(t) for t in inputs]
        val = apply_op("MergeSummary", tensors, {"N": len(tensors)})
        for key in collections or []:
            add_to_collection(key, val)
    return val


def merge_all_summaries(key=GraphKeys.SUMMARIES):
    """``merge_summary`` of collection ``key``, or ``None`` if it is empty (use
    ``tf.summary.merge_all``)."""
    summary_ops = get_collection(key)
    return merge_summary(summary_ops) if summary_ops else None


class SummaryWriter(FileWriter):
    """TF 0.12's name for ``tf.summary.FileWriter``."""


__all__ = [
    "SummaryWriter",
    "audio_summary",
    "histogram_summary",
    "image_summary",
    "merge_all_summaries",
    "merge_summary",
    "scalar_summary",
]
