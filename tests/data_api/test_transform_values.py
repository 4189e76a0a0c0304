"""Values of the transformations of scopeflow/data/transforms.py and experimental_ops.py:
kernel cases for each op type, whole passes compared with TensorFlow 2.21's (the lists below
are what ``tensorflow.compat.v1`` gives for the same pipelines in graph mode), and the errors
TF raises while iterating, with its words.

Where TF draws random numbers (``shuffle_and_repeat``, ``list_files``' shuffle,
``sample_from_datasets``), scopeflow's draws are NumPy's, not TF's Philox numbers: those
tests check what the order must satisfy (a permutation per pass, reproducible with a seed,
the weights), not TF's order.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import tempfile

import numpy as np
import pytest

import scopeflow as tf
from tests.data_api.test_kernels import first
from tests.ops.kernel_table import Case, Holds, cases_by_mode, check_case

V = np.int64([3, 1, 4, 1, 5])
E = tf.data.experimental


def _slices(v):
    return tf.data.Dataset.from_tensor_slices(v)


def _repeats(e):  # e, e times
    return tf.data.Dataset.from_tensors(e).repeat(e)


def _inverse_of_less_3(e):  # fails (an infinity) where e is 3
    return tf.check_numerics(1.0 / tf.cast(e - 3, tf.float32), "x")


def _parity(e):
    return e % 2


G = "IteratorGetNext"  # each case checks the kernels its first element needs
# fmt: off
CASES = [
    Case("shard", G, lambda v: first(_slices(v).shard(2, 1)), (V,), np.int64(1)),
    Case("unbatch", G, lambda v: first(_slices(v).batch(2).unbatch().skip(1)),
         (V,), np.int64(1)),
    Case("take-while", G,
         lambda v: first(_slices(v).take_while(lambda e: e < 5).skip(2)), (V,), np.int64(4)),
    Case("scan", G,
         lambda v: first(_slices(v).scan(tf.constant(0, tf.int64), lambda s, e: (s + e, s + e))
                         .skip(2)), (V,), np.int64(8)),
    Case("reduce", "ReduceDataset",
         lambda v: _slices(v).reduce(tf.constant(0, tf.int64), lambda s, e: s + e), (V,),
         np.int64(14)),
    Case("unique", G, lambda v: first(_slices(v).unique().skip(3)), (V,),
         np.int64(5)),
    Case("map-and-batch", G,
         lambda v: first(_slices(v).apply(E.map_and_batch(lambda e: e * 2, 2))), (V,),
         np.int64([6, 2]), exact_static=False),
    Case("shuffle-and-repeat", G,
         lambda v: first(_slices(v).apply(E.shuffle_and_repeat(1, 2)).skip(5)), (V,),
         np.int64(3)),
    Case("parallel-interleave", G,
         lambda v: first(_slices(v).apply(E.parallel_interleave(_repeats, 2)).skip(1)), (V,),
         np.int64(1)),
    Case("ignore-errors", G,
         lambda v: first(_slices(v).map(_inverse_of_less_3).apply(E.ignore_errors())), (V,),
         np.float32(-0.5)),
    Case("single-element", "DatasetToSingleElement",
         lambda v: E.get_single_element(_slices(v).skip(4)), (V,), np.int64(5)),
    Case("choose", G,
         lambda v: first(E.choose_from_datasets([_slices(v), _slices(v * 10)],
                                                tf.data.Dataset.range(1, 2))), (V,),
         np.int64(30)),
    Case("sample", G,
         lambda v: first(E.sample_from_datasets([_slices(v), _slices(v * 10)], seed=1)), (V,),
         Holds("one of the two first elements", lambda x: int(x) in (3, 30))),
    Case("group-by-window", G,
         lambda v: first(_slices(v).apply(E.group_by_window(_parity, lambda k, d: d.batch(3), 3))),
         (V,), np.int64([3, 1, 1]), exact_static=False),
]
# fmt: on


def _written_and_read(v):  # v's elements as strings, written by the writer, then read back
    path = os.path.join(_SCRATCH, f"r{next(_NUMBERS)}.tfrecord")
    write = E.TFRecordWriter(path, "GZIP").write(_slices(v).map(tf.as_string))
    with tf.control_dependencies([write]):
        return first(tf.data.TFRecordDataset(path, "GZIP").skip(2))


_SCRATCH = tempfile.mkdtemp(prefix="scopeflow-test-")
_NUMBERS = itertools.count()
CASES.append(Case("tfrecord-writer", G, _written_and_read, (V,), np.asarray(b"4", object)))


@pytest.fixture(scope="module", autouse=True)
def _scratch():
    yield
    shutil.rmtree(_SCRATCH, ignore_errors=True)


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def _all(run, dataset, limit=40) -> list:
    nxt = dataset.make_one_shot_iterator().get_next()
    out = []
    with pytest.raises(tf.errors.OutOfRangeError):
        while len(out) < limit:
            out.append(run(nxt))
    return [_plain(v) for v in out]


def _plain(value):
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return (
        value.tolist() if isinstance(value, np.ndarray) else getattr(value, "item", lambda: value)()
    )


def _r():
    return tf.data.Dataset.range(10)


def _lengths(values):  # each value v as a vector of v copies
    return _slices(np.int64(values)).map(lambda x: tf.fill([x], x))


# (pipeline, TF 2.21's elements)
# fmt: off
PASSES = {
    "shard": (lambda: _r().shard(3, 1), [1, 4, 7]),
    "unbatch": (lambda: _r().batch(3).unbatch(), list(range(10))),
    "unbatch-tuple": (lambda: _slices((np.int64([[1, 2], [3, 4]]), np.float32([[5, 6], [7, 8]])))
                      .unbatch(), [(1, 5.0), (2, 6.0), (3, 7.0), (4, 8.0)]),
    "enumerate": (lambda: _r().take(3).enumerate(5), [(5, 0), (6, 1), (7, 2)]),
    "take-while": (lambda: _r().take_while(lambda x: x < 4), [0, 1, 2, 3]),
    "scan": (lambda: _r().scan(np.int64(0), lambda s, x: (s + x, s * 2)),
             [0, 0, 2, 6, 12, 20, 30, 42, 56, 72]),
    "scan-growing": (lambda: _r().take(3).scan(tf.zeros([0], tf.int64),
                                               lambda s, x: (tf.concat([s, [x]], 0), s)),
                     [[], [0], [0, 1]]),
    "unique": (lambda: _slices(np.int32([3, 1, 3, 2, 1])).unique(), [3, 1, 2]),
    "unique-strings": (lambda: _slices(np.array([b"a", b"b", b"a"], dtype=object)).unique(),
                       [b"a", b"b"]),
    "map-and-batch": (lambda: _r().apply(E.map_and_batch(lambda x: x * 2, 3)),
                      [[0, 2, 4], [6, 8, 10], [12, 14, 16], [18]]),
    "map-and-batch-drop": (lambda: _r().apply(E.map_and_batch(lambda x: x * 2, 3,
                                                               drop_remainder=True)),
                           [[0, 2, 4], [6, 8, 10], [12, 14, 16]]),
    "parallel-interleave": (lambda: tf.data.Dataset.range(1, 5).apply(
        E.parallel_interleave(_repeats, 2)), [1, 2, 2, 3, 3, 4, 3, 4, 4, 4]),
    "parallel-interleave-block": (lambda: tf.data.Dataset.range(1, 5).apply(
        E.parallel_interleave(_repeats, 2, block_length=2)), [1, 2, 2, 3, 3, 3, 4, 4, 4, 4]),
    "choose": (lambda: E.choose_from_datasets([_r(), _r().map(lambda x: x + 100)],
                                              _slices(np.int64([0, 1, 1, 0, 1]))),
               [0, 100, 101, 1, 102]),
    "choose-empty": (lambda: E.choose_from_datasets([_r().take(1), _r().map(lambda x: x + 100)],
                                                    _slices(np.int64([0, 0, 1, 0]))), [0, 100]),
    "choose-empty-stop": (lambda: E.choose_from_datasets(
        [_r().take(1), _r().map(lambda x: x + 100)], _slices(np.int64([0, 0, 1, 0])),
        stop_on_empty_dataset=True), [0]),
    "ignore-errors": (lambda: _slices(np.float32([1, 2, 0, 4])).map(
        lambda x: tf.check_numerics(1.0 / x, "bad")).apply(E.ignore_errors()), [1.0, 0.5, 0.25]),
    "counter": (lambda: E.Counter(3, 2).take(4), [3, 5, 7, 9]),
    "group-by-window": (lambda: _r().apply(E.group_by_window(lambda x: x % 3,
                                                             lambda k, d: d.batch(2), 2)),
                        [[0, 3], [1, 4], [2, 5], [6, 9], [7], [8]]),
    "group-by-window-size-func": (lambda: _r().apply(E.group_by_window(
        lambda x: x % 2, lambda k, d: d.batch(5).map(lambda b: b + 100 * k),
        window_size_func=lambda k: k + 2)), [[0, 2], [101, 103, 105], [4, 6], [8], [107, 109]]),
    "bucket": (lambda: _lengths([1, 5, 2, 7, 3, 8, 1]).apply(E.bucket_by_sequence_length(
        lambda x: tf.shape(x)[0], [3, 6], [2, 2, 2])),
        [[[1, 0], [2, 2]], [[5, 5, 5, 5, 5], [3, 3, 3, 0, 0]],
         [[7, 7, 7, 7, 7, 7, 7, 0], [8, 8, 8, 8, 8, 8, 8, 8]], [[1]]]),
    "prefetch-to-device": (lambda: _r().take(3).apply(E.prefetch_to_device("/cpu:0")),
                           [0, 1, 2]),
}
# fmt: on


@pytest.mark.parametrize("name", list(PASSES))
def test_pass_gives_tfs_elements(run, name):
    build, want = PASSES[name]
    assert _all(run, build()) == want


def test_reduce_and_single_element_are_tfs(run):
    assert run(_r().reduce(np.int64(0), lambda s, x: s + x)) == 45
    grown = _r().take(3).reduce(tf.zeros([0], tf.int64), lambda s, x: tf.concat([s, [x]], 0))
    assert grown.shape.as_list() == [None]
    assert run(grown).tolist() == [0, 1, 2]
    pair = E.get_single_element(tf.data.Dataset.from_tensors((np.int64(4), np.float32(0.5))))
    assert run(pair) == (4, 0.5)


# (pipeline, TF's error type and words, raised when the pass starts or runs)
ERRORS = {
    "shard-index": (lambda: _r().shard(3, 3), tf.errors.InvalidArgumentError,
                    "Index must be between 0 and 2 (currently index = 3)."),
    "shard-negative": (lambda: _r().shard(3, -1), tf.errors.InvalidArgumentError,
                       "Index must be between 0 and 2 (currently index = -1)."),
    "shard-zero": (lambda: _r().shard(0, 0), tf.errors.InvalidArgumentError,
                   "Number of shards must be greater than zero (currently num_shards = 0)."),
    "choose-out-of-range": (lambda: E.choose_from_datasets([_r(), _r()],
                                                           _slices(np.int64([0, 2]))),
                            tf.errors.InvalidArgumentError, "Selector index out of range: 2 >= 2"),
    "list-files-no-match": (lambda: tf.data.Dataset.list_files("/no/such/dir/*.xyz"),
                            tf.errors.InvalidArgumentError,
                            "No files matched pattern: /no/such/dir/*.xyz"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(ERRORS))
def test_iteration_errors_are_tfs(run, name):
    build, error, words = ERRORS[name]
    with pytest.raises(error, match=re.escape(words)):
        _all(run, build())


@pytest.mark.parametrize(
    ("dataset", "words"),
    [(lambda: _r().take(0), "Dataset was empty."), (_r, "Dataset had more than one element.")],
)
def test_single_element_errors_are_tfs(run, dataset, words):
    with pytest.raises(tf.errors.InvalidArgumentError, match=words):
        run(E.get_single_element(dataset()))


def test_list_files_sorted_or_seeded_shuffle(run, tmp_path):
    for name in ("b.txt", "a.txt", "d.txt", "c.txt", "e.csv"):
        (tmp_path / name).write_text("")
    pattern = os.path.join(tmp_path, "*.txt")
    names = [os.path.basename(f) for f in _all(run, tf.data.Dataset.list_files(pattern, False))]
    assert names == [b"a.txt", b"b.txt", b"c.txt", b"d.txt"]  # TF's order
    seeded = [_all(run, tf.data.Dataset.list_files(pattern, seed=7)) for _ in range(2)]
    assert seeded[0] == seeded[1] and sorted(seeded[0]) == sorted(
        _all(run, tf.data.Dataset.list_files(pattern, shuffle=False))
    )


def test_shuffle_and_repeat_reshuffles_each_pass(run):
    out = _all(run, _r().apply(E.shuffle_and_repeat(10, 3, seed=5)))
    passes = [out[:10], out[10:20], out[20:]]
    assert all(sorted(p) == list(range(10)) for p in passes)
    assert passes[0] != passes[1]


def test_sample_from_datasets_follows_weights_and_seed(run):
    def sample(weights, seed=3):  # a dataset of weight 0 never ends: the result neither (TF)
        datasets = [_r(), _r().map(lambda x: x + 100)]
        return _all(run, E.sample_from_datasets(datasets, weights, seed=seed).take(6))

    assert sample([0.0, 1.0]) == list(range(100, 106))
    assert sample([1.0, 0.0]) == list(range(6))
    mixed = sample(None)
    assert mixed == sample(None) and {x // 100 for x in mixed} == {0, 1}
    assert [x for x in mixed if x < 100] == list(range(len([x for x in mixed if x < 100])))
    by_dataset = E.sample_from_datasets(
        [_r(), _r().map(lambda x: x + 100)],
        tf.data.Dataset.from_tensors(np.float32([1.0, 0.0])).repeat(),
        seed=1,
    )
    assert _all(run, by_dataset.take(5)) == [0, 1, 2, 3, 4]
