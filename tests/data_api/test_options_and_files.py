"""``tf.data.Options`` and ``with_options``, ``cardinality`` (``DatasetCardinality``),
``element_spec`` and ``DatasetSpec``, ``as_numpy_iterator``, ``FixedLengthRecordDataset`` and
compressed files. Expected values and messages are TF 2.21's (``tf.compat.v1`` graph mode),
printed by the same pipelines run there."""

from __future__ import annotations

import gzip
import zlib

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

D = tf.data.Dataset
V = np.int64([3, 1, 4, 1, 5])


def first(dataset):
    """The first element of ``dataset``, its pass started in the same run."""
    it = dataset.make_initializable_iterator()
    with tf.control_dependencies([it.initializer]):
        return it.get_next()


def _unknown():
    return D.range(5).filter(lambda x: True)


C = "DatasetCardinality"
# fmt: off
CASES = [
    Case("slices", C, lambda v: D.from_tensor_slices(v).cardinality(), (V,), np.int64(5)),
    Case("batch", C, lambda v: D.from_tensor_slices(v).batch(2).cardinality(), (V,),
         np.int64(3)),
    Case("repeat-take", C, lambda v: D.from_tensor_slices(v).repeat().take(7).cardinality(),
         (V,), np.int64(7)),
    Case("options", "IteratorGetNext",
         lambda v: first(D.from_tensor_slices(v).with_options(tf.data.Options())), (V,),
         np.int64(3), exact_static=False),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


# TF 2.21's cardinality of each pipeline.
CARDINALITIES = {
    "range": (lambda: D.range(2, 11, 3), 3),
    "range-down": (lambda: D.range(10, 2, -3), 3),
    "range-empty": (lambda: D.range(5, 2), 0),
    "tensors": (lambda: D.from_tensors([1, 2]), 1),
    "batch-drop": (lambda: D.range(10).batch(3, drop_remainder=True), 3),
    "padded-batch": (lambda: D.range(10).padded_batch(4, []), 3),
    "repeat-forever": (lambda: D.range(3).repeat(), -1),
    "repeat-twice": (lambda: D.range(3).repeat(2), 6),
    "repeat-empty": (lambda: D.range(0).repeat(), 0),
    "repeat-zero": (lambda: D.range(3).repeat(0), 0),
    "unknown-repeat": (lambda: _unknown().repeat(), -1),
    "unknown-repeat-twice": (lambda: _unknown().repeat(2), -2),
    "take-more": (lambda: D.range(3).take(10), 3),
    "take-all": (lambda: D.range(3).take(-1), 3),
    "infinite-take-all": (lambda: D.range(3).repeat().take(-1), -1),
    "unknown-take-0": (lambda: _unknown().take(0), -2),
    "skip": (lambda: D.range(10).skip(4), 6),
    "skip-all": (lambda: D.range(3).skip(-1), 0),
    "skip-more": (lambda: D.range(3).skip(10), 0),
    "infinite-skip": (lambda: D.range(3).repeat().skip(5), -1),
    "map": (lambda: D.range(10).map(lambda x: x * 2), -2),
    "flat-map": (lambda: D.range(3).flat_map(D.range), -2),
    "generator": (lambda: D.from_generator(lambda: iter([1]), tf.int64), -2),
    "zip": (lambda: D.zip((D.range(10), D.range(4))), 4),
    "zip-infinite": (lambda: D.zip((D.range(3).repeat(), D.range(4))), 4),
    "zip-all-infinite": (lambda: D.zip((D.range(3).repeat(), D.range(3).repeat())), -1),
    "zip-unknown": (lambda: D.zip((_unknown(), D.range(3))), -2),
    "concatenate": (lambda: D.range(3).concatenate(D.range(4)), 7),
    "concatenate-unknown-infinite": (lambda: _unknown().concatenate(D.range(3).repeat()), -1),
    "concatenate-unknown": (lambda: D.range(3).concatenate(_unknown()), -2),
    "shuffle-prefetch-cache": (lambda: D.range(10).shuffle(3).prefetch(1).cache(), 10),
    "batch-infinite": (lambda: D.range(3).repeat().batch(2), -1),
}


@pytest.mark.parametrize("name", list(CARDINALITIES))
def test_cardinality_as_in_tf(run, name):
    build, expected = CARDINALITIES[name]
    n = build().cardinality()
    assert (n.op.type, n.dtype, n.shape.as_list()) == ("DatasetCardinality", tf.int64, [])
    assert run(n) == expected


def test_cardinality_constants_and_function(run):
    assert (tf.data.INFINITE_CARDINALITY, tf.data.UNKNOWN_CARDINALITY) == (-1, -2)
    assert tf.data.experimental.INFINITE_CARDINALITY == -1
    assert run(tf.data.experimental.cardinality(D.range(3))) == 3


def test_options_have_tf_defaults_and_type_checks():
    options = tf.data.Options()
    assert options.deterministic is None and options.threading.private_threadpool_size is None
    assert options.experimental_distribute.auto_shard_policy == (
        tf.data.experimental.AutoShardPolicy.AUTO
    )
    assert options.experimental_threading is options.threading
    with pytest.raises(AttributeError, match="Cannot set the property foo on Options."):
        options.foo = 3
    with pytest.raises(TypeError, match='Property "deterministic" must be of type <class'):
        options.deterministic = 3
    options.experimental_deterministic = False
    assert options.deterministic is False


def test_with_options_merges_upstream_first_and_options_are_read_only(graph):
    first_options, second_options = tf.data.Options(), tf.data.Options()
    first_options.threading.private_threadpool_size = 4
    first_options.deterministic = True
    second_options.deterministic = False
    second_options.experimental_optimization.map_fusion = True
    ds = D.range(3).with_options(first_options).map(lambda x: x).with_options(second_options)
    assert ds._variant_tensor.op.type == "OptionsDataset"
    got = ds.options()
    assert got.threading.private_threadpool_size == 4
    assert got.deterministic is False
    assert got.experimental_optimization.map_fusion is True
    first_options.deterministic = False  # the dataset kept a copy
    assert D.range(1).options() == tf.data.Options()
    with pytest.raises(ValueError, match="Use `tf.data.Dataset.with_options"):
        got.deterministic = True
    with pytest.raises(TypeError, match="must be a tf.data.Options"):
        D.range(1).with_options({"deterministic": True})


def test_element_spec_and_dataset_spec(graph):
    ds = D.from_tensor_slices({"a": np.zeros((4, 2), np.float32), "b": np.arange(4)}).batch(2)
    assert ds.element_spec == {
        "a": tf.TensorSpec([None, 2], tf.float32),
        "b": tf.TensorSpec([None], tf.int64),
    }
    spec = tf.data.DatasetSpec.from_value(D.range(10).batch(3))
    assert repr(spec) == (
        "DatasetSpec(TensorSpec(shape=(?,), dtype=tf.int64, name=None), TensorShape([]))"
    )
    assert spec == tf.data.DatasetSpec(tf.TensorSpec([None], tf.int64))


def test_as_numpy_iterator_runs_the_pipeline(graph):
    ds = D.from_tensor_slices((np.arange(3), np.float32([0.5, 1.5, 2.5]))).skip(1)
    it = ds.as_numpy_iterator()
    assert isinstance(it, tf.data.NumpyIterator)
    got = list(it)
    assert [(int(a), float(b)) for a, b in got] == [(1, 1.5), (2, 2.5)]
    with pytest.raises(StopIteration):
        next(it)


def _file(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _all(ds) -> list:
    return list(ds.as_numpy_iterator())


def test_fixed_length_records_between_header_and_footer(graph, tmp_path):
    plain = _file(tmp_path, "a.bin", b"HHabcdefghiF")
    packed = _file(tmp_path, "c.gz", gzip.compress(b"HHxyzuvwF"))
    ds = tf.data.FixedLengthRecordDataset([plain, plain], 3, header_bytes=2, footer_bytes=1)
    assert _all(ds) == [b"abc", b"def", b"ghi"] * 2
    assert _all(tf.data.FixedLengthRecordDataset(plain, 3)) == [b"HHa", b"bcd", b"efg", b"hiF"]
    packed_ds = tf.data.FixedLengthRecordDataset(packed, 3, 2, 1, compression_type="GZIP")
    assert _all(packed_ds) == [b"xyz", b"uvw"]
    short = tf.data.FixedLengthRecordDataset(_file(tmp_path, "b.bin", b"HHabcdefghF"), 3, 2, 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="has body length 8 bytes, which is"):
        _all(short)


def test_compressed_text_and_records(graph, tmp_path):
    text_gz = _file(tmp_path, "t.gz", gzip.compress(b"l1\nl2\r\nl3"))
    text_z = _file(tmp_path, "t.z", zlib.compress(b"l1\nl2\n"))
    assert _all(tf.data.TextLineDataset(text_gz, compression_type="GZIP")) == [b"l1", b"l2", b"l3"]
    assert _all(tf.data.TextLineDataset([text_z], compression_type=tf.constant("ZLIB"))) == [
        b"l1",
        b"l2",
    ]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Unsupported compression_type."):
        _all(tf.data.TextLineDataset(text_z, compression_type="BAD"))
    with pytest.raises(tf.errors.DataLossError, match="inflate"):
        _all(tf.data.TextLineDataset(text_z, compression_type="GZIP"))
    path = str(tmp_path / "r.tfrecord")
    with tf.io.TFRecordWriter(path, tf.io.TFRecordOptions("GZIP")) as writer:
        writer.write(b"one")
        writer.write(b"two")
    assert _all(tf.data.TFRecordDataset(path, compression_type="GZIP")) == [b"one", b"two"]
