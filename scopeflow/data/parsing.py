"""``tf.data.experimental.parse_example_dataset`` (``ParseExampleDatasetV2``: each element, a
vector of serialized ``tf.train.Example``s, parsed into a dict of features, as
``tf.io.parse_example`` parses them) and ``make_batched_features_dataset`` (TFRecord files
read, shuffled, repeated, batched and parsed, as TF builds it).

>>> import scopeflow as tf
>>> ex = tf.train.Example(features=tf.train.Features(feature={
...     "x": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0]))}))
>>> spec = {"x": tf.io.FixedLenFeature([2], tf.float32)}
>>> with tf.Graph().as_default():
...     ds = tf.data.Dataset.from_tensors([ex.SerializeToString()]).apply(
...         tf.data.experimental.parse_example_dataset(spec))
...     print(tf.Session().run(ds.make_one_shot_iterator().get_next()["x"]))
[[1. 2.]]
"""

from __future__ import annotations

import numpy as np

from scopeflow.data import structure, values
from scopeflow.data.csv_pipeline import maybe_shuffle_and_repeat
from scopeflow.data.dataset import AUTOTUNE, Dataset, _int64
from scopeflow.data.dataset_ops import _register, _variant_infer
from scopeflow.data.experimental_ops import parallel_interleave
from scopeflow.data.readers import TFRecordDataset
from scopeflow.data.structure import SparseSpec, Spec
from scopeflow.data.transforms import make, spec_text
from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.ops.parsing import example_ops


class ParsedExamples(values.DatasetValue):
    """Each element of ``child`` (a vector of serialized examples) parsed by
    ``ParseExampleV2``'s kernel with the dataset op's attrs."""

    def __init__(self, child, op, defaults: list):
        self.child, self.op, self.defaults = child, op, defaults

    def elements(self):
        it = self.child.elements()
        return values.Steps(lambda: self._parsed(next(it)))  # a bad batch: the next goes on

    def _parsed(self, element) -> list:
        op = self.op
        sparse_keys, dense_keys = op._attrs["sparse_keys"], op._attrs["dense_keys"]
        n = len(sparse_keys)
        out = example_ops._parse_example_kernel(
            None, op, element[0], np.zeros([0], object), sparse_keys, dense_keys, [],
            *self.defaults,
        )  # fmt: skip
        out = list(out) if isinstance(out, tuple) else [out]
        parsed = {}
        for i, key in enumerate(sparse_keys):
            triple = np.empty(3, dtype=object)
            triple[:] = [out[i], out[n + i], out[2 * n + i]]
            parsed[key] = triple
        for i, key in enumerate(dense_keys):
            parsed[key] = out[3 * n + i]
        return [parsed[k] for k in sorted(parsed)]


def _parse_dataset_kernel(ctx, op, d, num_parallel_calls, *defaults):
    return ParsedExamples(d, op, list(defaults))


_register("ParseExampleDatasetV2", _variant_infer, _parse_dataset_kernel)


def parse_example_dataset(features, num_parallel_calls=1, deterministic=None):
    """A transformation (for ``apply``) parsing each element, a vector of serialized
    ``tf.train.Example``s, into a dict: ``[batch] + shape`` tensors for ``FixedLenFeature``s,
    ``SparseTensor``s for ``VarLenFeature``s (``SparseFeature``s merged after, as TF)."""
    if features is None:
        raise ValueError("Argument `features` is required, but not specified.")

    @undo.atomic
    def apply(dataset):
        flat = structure.flatten(dataset._specs)
        spec = flat[0]
        if (
            len(flat) != 1
            or isinstance(spec, SparseSpec)
            or spec.dtype != dtypes.string
            or not spec.shape.is_compatible_with(tensor_shape.TensorShape([None]))
        ):
            shown = f"TensorSpec(shape={_dims(spec.shape)}, dtype={spec.dtype!r}, name=None)"
            raise TypeError(
                "Input dataset should be a dataset of vectors of strings. Instead it is "
                f"`{shown if len(flat) == 1 else spec_text(dataset._specs)}`."
            )
        raw = example_ops.raw_features(features)
        sparse, dense = example_ops.feature_params(raw)
        defaults = [example_ops.dense_default(*entry) for entry in dense]
        batch = tensor_shape.TensorShape([spec.shape[0]])
        specs = {}
        for key, dtype in sparse:
            specs[key] = SparseSpec(dtype, batch.concatenate([None]))
        for key, dtype, shape, _, _ in dense:
            specs[key] = Spec(dtype, batch.concatenate(shape))
        inputs = [
            dataset._variant_tensor,
            _int64(num_parallel_calls, "ParseExampleDatasetV2/num_parallel_calls"),
            *defaults,
        ]
        attrs = {
            "sparse_keys": [k for k, _ in sparse],
            "dense_keys": [e[0] for e in dense],
            "sparse_types": [example_ops.checked_dtype(t, "sparse_types") for _, t in sparse],
            "Tdense": [example_ops.checked_dtype(e[1], "dense_defaults") for e in dense],
            "dense_shapes": [e[2] for e in dense],
            "deterministic": _deterministic(deterministic),
            "ragged_keys": [],
            "ragged_value_types": [],
            "ragged_split_types": [],
        }
        parsed = make(
            dataset, "ParseExampleDatasetV2", inputs, dict(sorted(specs.items())), **attrs
        )
        if raw.keys() == features.keys():
            return parsed
        return parsed.map(lambda x: example_ops.merged_sparse_features(features, dict(x)))

    return apply


def _deterministic(deterministic) -> str:
    return "default" if deterministic is None else ("true" if deterministic else "false")


def _dims(shape) -> str:
    return "<unknown>" if shape.ndims is None else str(tuple(shape.as_list()))


@undo.atomic
def make_batched_features_dataset(
    file_pattern,
    batch_size,
    features,
    reader=None,
    label_key=None,
    reader_args=None,
    num_epochs=None,
    shuffle=True,
    shuffle_buffer_size=10000,
    shuffle_seed=None,
    prefetch_buffer_size=None,
    reader_num_threads=None,
    parser_num_threads=None,
    sloppy_ordering=False,
    drop_final_batch=False,
):
    """Batches of ``batch_size`` examples read from the files ``file_pattern`` (TFRecord
    unless ``reader``), parsed by ``features``: a dict, or ``(features, label)`` with
    ``label_key``. Read ``num_epochs`` times (forever when ``None``: then every batch is
    full)."""
    if label_key is not None and label_key not in features:
        raise ValueError(
            f"The `label_key` provided ({label_key}) must be one of the `features` keys: "
            f"{features.keys()}."
        )
    reader = TFRecordDataset if reader is None else reader
    args = list(reader_args or [])
    files = Dataset.list_files(file_pattern, shuffle=shuffle, seed=shuffle_seed)
    dataset = files.apply(
        parallel_interleave(
            lambda name: reader(name, *args), reader_num_threads or 1, sloppy=sloppy_ordering
        )
    )
    if isinstance(dataset._specs, tuple) and len(dataset._specs) == 2:  # (key, value) readers
        dataset = dataset.map(lambda _, value: value)
    dataset = maybe_shuffle_and_repeat(
        dataset, num_epochs, shuffle, shuffle_buffer_size, shuffle_seed
    )
    dataset = dataset.batch(batch_size, drop_remainder=drop_final_batch or num_epochs is None)
    dataset = dataset.apply(parse_example_dataset(features, parser_num_threads or 2))
    if label_key is not None:
        dataset = dataset.map(lambda x: _split_label(x, label_key))
    return dataset.prefetch(AUTOTUNE if prefetch_buffer_size is None else prefetch_buffer_size)


def _split_label(parsed: dict, label_key: str):
    parsed = dict(parsed)
    return parsed, parsed.pop(label_key)


__all__ = ["make_batched_features_dataset", "parse_example_dataset"]
