"""Kernel cases for the dataset, optional, table and generator op types of this session's
tf.data.experimental and tf.random.Generator work (test_coverage needs one per op type):
each gives TF 2.21's first element (compat.v1 graph mode, the same pipelines run there)."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

D = tf.data.Dataset
E = tf.data.experimental
V = np.int64([3, 1, 4, 1, 5])
KEYS = np.int64([3, 1, 4, 5])
# A tracked text file read as one string column (no quotes, a delimiter it does not hold).
TEXT = pathlib.Path(__file__).resolve().parents[1] / "data" / "make_ctc_values.py"


def first(dataset):
    """The first element of ``dataset``: a pass starts in the same run."""
    it = dataset.make_initializable_iterator()
    with tf.control_dependencies([it.initializer]):
        return it.get_next()


def _examples(v):
    serialized = [
        tf.train.Example(
            features=tf.train.Features(
                feature={"a": tf.train.Feature(int64_list=tf.train.Int64List(value=[k]))}
            )
        ).SerializeToString()
        for k in (7, 8)
    ]
    spec = {"a": tf.FixedLenFeature([], tf.int64)}
    parsed = first(D.from_tensors(tf.constant(serialized)).apply(E.parse_example_dataset(spec)))
    return parsed["a"]


def _table_lookup(keys):
    pairs = D.zip((D.from_tensor_slices(keys), D.from_tensor_slices(keys * 10)))
    table = E.table_from_dataset(pairs, default_value=-1)
    with tf.control_dependencies([table.initializer]):
        return table.lookup(keys)


def _csv_first_line():
    with open(TEXT, "rb") as f:
        return np.asarray(f.readline().rstrip(b"\n"), dtype=object)


G = "IteratorGetNext"
# fmt: off
CASES = [
    Case("csv", G, lambda v: first(E.CsvDataset(str(TEXT), [tf.string], field_delim="\x01",
                                                use_quote_delim=False)),
         (V,), lambda v: [_csv_first_line()]),
    Case("sql", G, lambda v: first(E.SqlDataset("sqlite", ":memory:", "SELECT 3, 'x'",
                                                (tf.int64, tf.string))),
         (V,), [np.int64(3), np.asarray(b"x", dtype=object)]),
    Case("rebatch", G, lambda v: first(D.from_tensor_slices(v).batch(4).rebatch(2)), (V,),
         np.int64([3, 1]), exact_static=False),
    Case("sparse-slices", G,
         lambda v: first(D.from_sparse_tensor_slices(
             tf.SparseTensor([[0, 0], [1, 2]], v[:2], [2, 3])))[1],
         (V,), np.int64([3]), exact_static=False),
    Case("parse-example-dataset", G, _examples, (V,), np.int64([7, 8]), exact_static=False),
    Case("optional-none", "LogicalAnd",
         lambda v: tf.logical_and(
             tf.experimental.Optional.empty(tf.TensorSpec([], tf.int64)).has_value(), v[0] > 0),
         (V,), np.bool_(False)),
    Case("table-from-dataset", "LookupTableFindV2", _table_lookup, (KEYS,), KEYS * 10,
         exact_static=False),
    Case("rng-read-and-skip", "RngReadAndSkip",
         lambda v: tf.random.Generator.from_seed(1).skip(v[0]), (V,), np.int64([1, 0, 0])),
]
# fmt: on


@pytest.fixture
def run(graph):
    """``run(fetches, feed_dict)`` with the graph's variables (a generator's state) initialized
    first."""
    with tf.Session(graph=graph) as sess:

        def _run(fetches, feed_dict=None):
            sess.run(tf.global_variables_initializer())
            return sess.run(fetches, feed_dict)

        yield _run


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)
