"""Kernel cases for scopeflow/data/dataset_ops.py: each dataset op's kernel, reached through an
iterator whose ``get_next()`` waits for its initializer, gives TF1's first element (values
checked against TensorFlow 2.21's own, see test_iteration.py for whole passes)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

X = np.float32([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0], [4.0, 5.0, 6.0]])
V = np.int64([3, 1, 4, 1, 5])


def first(dataset):
    """The first element of ``dataset``: a pass starts in the same run."""
    it = dataset.make_initializable_iterator()
    with tf.control_dependencies([it.initializer]):
        return it.get_next()


def _slices(x):
    return tf.data.Dataset.from_tensor_slices(x)


def _lengths(v):  # elements of length v[i], filled with v[i]
    return _slices(v).map(lambda e: tf.fill(tf.reshape(e, [1]), e))


G = "IteratorGetNext"
# fmt: off
CASES = [
    Case("slices", G, lambda x: first(_slices(x)), (X,), lambda x: x[0], exact_static=False),
    Case("slices-tuple", G, lambda x, v: first(_slices((x, v[:3]))), (X, V),
         lambda x, v: [x[0], v[0]], exact_static=False),
    Case("tensors", G, lambda x: first(tf.data.Dataset.from_tensors(x)), (X,), lambda x: x),
    Case("range", G, lambda v: first(tf.data.Dataset.range(v[0], 10, v[1])), (V,),
         np.int64(3)),
    Case("zip", G, lambda x, v: first(tf.data.Dataset.zip((_slices(v), _slices(x)))), (X, V),
         lambda x, v: [v[0], x[0]], exact_static=False),
    Case("concatenate", G, lambda v: first(_slices(v).take(0).concatenate(_slices(v * 2))),
         (V,), np.int64(6)),
    Case("map", G, lambda x: first(_slices(x).map(lambda r: (r * 2.0, tf.reduce_sum(r)))),
         (X,), lambda x: [x[0] * 2, x[0].sum()], exact_static=False),
    Case("parallel-map", G, lambda x: first(_slices(x).map(tf.abs, num_parallel_calls=2)),
         (X,), lambda x: np.abs(x[0]), exact_static=False),
    Case("filter", G, lambda v: first(_slices(v).filter(lambda e: e > 3)), (V,), np.int64(4)),
    Case("flat-map", G, lambda v: first(_slices(v).flat_map(tf.data.Dataset.range).skip(2)),
         (V,), np.int64(2)),
    Case("interleave", G,
         lambda v: first(_slices(v).interleave(tf.data.Dataset.range, 2, 2).skip(2)), (V,),
         np.int64(0)),
    Case("batch", G, lambda x: first(_slices(x).batch(2)), (X,), lambda x: x[:2],
         exact_static=False),
    Case("padded-batch", G, lambda v: first(_lengths(v).padded_batch(2, [None])), (V,),
         np.int64([[3, 3, 3], [1, 0, 0]]), exact_static=False),
    Case("shuffle", G, lambda v: first(_slices(v).shuffle(1)), (V,), np.int64(3)),
    Case("repeat-skip-take", G, lambda v: first(_slices(v).repeat(2).skip(6).take(1)), (V,),
         np.int64(1)),
    Case("prefetch-cache", G, lambda v: first(_slices(v).prefetch(1).cache()), (V,),
         np.int64(3)),
    Case("one-shot", G, lambda: tf.data.Dataset.range(4, 9).make_one_shot_iterator().get_next(),
         (), np.int64(4)),
    Case("from-string-handle", G,
         lambda: tf.data.Iterator.from_string_handle(
             tf.data.Dataset.range(4, 9).make_one_shot_iterator().string_handle(), tf.int64, []
         ).get_next(),
         (), np.int64(4)),
    Case("string-handle", "IteratorToStringHandle",
         lambda: tf.data.Dataset.range(4).make_one_shot_iterator().string_handle(), (),
         np.asarray(b"OneShotIterator", dtype=object)),
    Case("window", G, lambda v: first(_slices(v).window(2, 1).flat_map(lambda w: w.batch(2))
                                      .skip(1)), (V,), np.int64([1, 4]), exact_static=False),
    Case("from-list", G, lambda x: first(tf.data.experimental.from_list([x[1], x[0]])), (X,),
         lambda x: x[1], exact_static=False),
    Case("assert-cardinality", G,
         lambda v: first(_slices(v).apply(tf.data.experimental.assert_cardinality(5))), (V,),
         np.int64(3)),
    Case("dense-to-sparse", "DeserializeSparse",
         lambda v: first(_lengths(v).apply(tf.data.experimental.dense_to_sparse_batch(2, [5])))
         .values, (V,), np.int64([3, 3, 3, 1]), exact_static=False),
    Case("group-by-reducer", G,
         lambda v: first(_slices(v).apply(tf.data.experimental.group_by_reducer(
             lambda e: e % 2, tf.data.experimental.Reducer(
                 lambda k: tf.constant(0, tf.int64), lambda s, e: s + e, lambda s: s)))),
         (V,), np.int64(10)),
    Case("optional-get", "OptionalGetValue",
         lambda x: tf.experimental.Optional.from_value(x).get_value(), (X,), lambda x: x),
    Case("optional-has", "OptionalHasValue",
         lambda v: tf.experimental.Optional.from_value(v).has_value(), (V,), np.bool_(True)),
    Case("optional-next", "OptionalGetValue",
         lambda: tf.data.Dataset.range(4, 9).skip(1).make_one_shot_iterator()
         .get_next_as_optional().get_value(), (), np.int64(5)),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)
