"""Tests for scopeflow/data/saving.py and saved_files.py: ``Dataset.save``/``load`` and
``Dataset.snapshot``. The expected orders, specs, cardinalities, op names and errors are TF
2.21's (compat.v1 graph mode, the same pipelines run there); the files are scopeflow's own."""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import tempfile

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

D = tf.data.Dataset
V = np.int64([3, 1, 4, 1, 5])
_DIR = {"path": None}  # each test's tmp_path (cases are built before it is known)


@pytest.fixture(autouse=True)
def _tmp_dir(tmp_path):
    _DIR["path"] = str(tmp_path)
    yield
    _DIR["path"] = None


def _case_dir() -> str:
    """This module's test's tmp_path; for the kernel cases run by other modules (the
    registry's and the JAX executor's sweeps), a fresh folder removed at exit."""
    if _DIR["path"] is not None:
        return _DIR["path"]
    path = tempfile.mkdtemp(prefix="scopeflow-saving-case-")
    atexit.register(shutil.rmtree, path, True)
    return path


def _all(sess, dataset) -> list:
    nxt = tf.data.make_one_shot_iterator(dataset).get_next()
    out = []
    try:
        while True:
            out.append(sess.run(nxt))
    except tf.errors.OutOfRangeError:
        return out


def _interleave2(datasets):
    return datasets.interleave(lambda d: d, cycle_length=2)


def test_round_trip_keeps_structure_dtypes_and_values(graph, tmp_path):
    ds = D.from_tensor_slices(
        {
            "a": np.arange(4.0, dtype=np.float32).reshape(2, 2),
            "b": (np.array([b"x", b"yy"]), np.int32([1, 2])),
        }
    )
    save = ds.save(str(tmp_path / "s"))
    with tf.Session() as sess:
        assert sess.run(save) is None
        loaded = D.load(str(tmp_path / "s"))
        spec = loaded.element_spec
        assert spec["a"] == tf.TensorSpec([2], tf.float32)
        assert spec["b"] == (tf.TensorSpec([], tf.string), tf.TensorSpec([], tf.int32))
        first, second = _all(sess, loaded)
        assert sess.run(tf.data.experimental.cardinality(loaded)) == 2
    np.testing.assert_array_equal(first["a"], [0.0, 1.0])
    assert first["b"] == (b"x", 1) and second["b"] == (b"yy", 2)
    assert first["b"][1].dtype == np.int32


def test_ops_are_tfs(graph, tmp_path):
    save = D.range(5).save(str(tmp_path))
    assert save.type == "SaveDataset"
    assert [t.name for t in save.inputs] == ["RangeDataset:0", "path:0"]
    assert save.get_attr("use_shard_func") is False and save.get_attr("compression") == b""
    loaded = D.load(str(tmp_path), tf.TensorSpec([], tf.int64))
    assert [(op.name, op.type) for op in graph.get_operations()[-2:]] == [
        ("LoadDataset/path", "Const"),
        ("LoadDataset", "LoadDataset"),
    ]
    assert loaded._variant_tensor.op.get_attr("compression") == b""


def test_shard_func_spreads_elements_and_reader_func_reads_the_shards(graph, tmp_path):
    path = str(tmp_path / "g")
    save = D.range(20).save(path, compression="GZIP", shard_func=lambda x: x % 3)
    assert save.get_attr("use_shard_func") is True
    with tf.Session() as sess:
        sess.run(save)
        run = [d for d in os.listdir(path) if d.isdigit()]
        shards = sorted(os.listdir(os.path.join(path, run[0])))
        assert shards == ["00000000.shard", "00000001.shard", "00000002.shard"]
        loaded = D.load(path, compression="GZIP", reader_func=_interleave2)
        # TF's default reader on a 2-CPU machine: shards 0 and 1 interleaved, then shard 2
        assert _all(sess, loaded) == [*(0, 1, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 18, 19)] + [
            *(2, 5, 8, 11, 14, 17)
        ]
        assert sess.run(tf.data.experimental.cardinality(loaded)) == 20
    assert len(_all(tf.Session(), D.load(path, compression="GZIP"))) == 20


def test_shard_indices_are_unsigned(graph, tmp_path):
    save = D.range(6).save(str(tmp_path), shard_func=lambda x: x - 3)
    with tf.Session() as sess:
        sess.run(save)
        loaded = D.load(str(tmp_path), reader_func=lambda ds: ds.flat_map(lambda d: d))
        assert _all(sess, loaded) == [3, 4, 5, 0, 1, 2]


def test_shard_func_must_give_an_int64_scalar(graph, tmp_path):
    with pytest.raises(TypeError, match="scalar int64"):
        D.range(3).save(str(tmp_path), shard_func=lambda x: tf.cast(x, tf.int32))
    save = D.range(3).save(str(tmp_path), shard_func=lambda x: tf.stack([x, x]))
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="scalar"):
        sess.run(save)
    assert os.listdir(tmp_path) == ["scopeflow_dataset_spec.json"]  # no run left behind


def test_the_last_run_is_loaded(graph, tmp_path):
    ph = tf.placeholder(tf.int64, [])
    save = D.range(ph).save(str(tmp_path))
    with tf.Session() as sess:
        sess.run(save, {ph: 2})
        sess.run(save, {ph: 3})
        assert len([d for d in os.listdir(tmp_path) if d.isdigit()]) == 2
        assert _all(sess, D.load(str(tmp_path))) == [0, 1, 2]


def test_wrong_compression_is_data_loss(graph, tmp_path):
    plain, packed = str(tmp_path / "plain"), str(tmp_path / "gzip")
    with tf.Session() as sess:
        sess.run([D.range(2).save(plain), D.range(2).save(packed, compression="GZIP")])
        with pytest.raises(tf.errors.DataLossError, match="inflate"):
            _all(sess, D.load(plain, compression="GZIP"))
        with pytest.raises(tf.errors.DataLossError, match="GZIP"):
            _all(sess, D.load(packed))


def test_missing_files_are_not_found(graph, tmp_path):
    missing = str(tmp_path / "missing")
    with pytest.raises(tf.errors.NotFoundError, match="element_spec file not found"):
        D.load(missing)
    loaded = D.load(missing, element_spec=tf.TensorSpec([], tf.int64))
    with tf.Session() as sess, pytest.raises(tf.errors.NotFoundError, match="metadata file"):
        _all(sess, loaded)


def test_element_spec_dtype_must_match(graph, tmp_path):
    with tf.Session() as sess:
        sess.run(D.range(2).save(str(tmp_path)))
        loaded = D.load(str(tmp_path), element_spec=tf.TensorSpec([], tf.int32))
        message = "Data type mismatch at component 0: expected int32 but got int64"
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            _all(sess, loaded)


def test_unsupported_options_say_what_to_use(graph, tmp_path):
    with pytest.raises(NotImplementedError, match="GZIP"):
        D.range(2).save(str(tmp_path), compression="SNAPPY")
    with pytest.raises(NotImplementedError, match="checkpoint_args"):
        D.range(2).save(str(tmp_path), checkpoint_args=object())
    with pytest.raises(ValueError, match="compression"):
        D.range(2).save(str(tmp_path), compression="ZIP")


def test_snapshot_builds_tfs_ops_and_reads_its_first_pass(graph, tmp_path):
    calls = []

    def times_ten(x):
        calls.append(int(x))
        return x * 10

    ds = D.range(7).map(lambda x: tf.py_func(times_ten, [x], tf.int64))
    ds = ds.map(lambda x: tf.reshape(x, []))
    snap = ds.snapshot(str(tmp_path))
    # TF's graph, but for the RewriteDataset TF 2.21's enumerate adds before its ZipDataset
    assert [op.name for op in graph.get_operations()[-8:]] == [
        *("start_1", "stop_1", "step_1", "RangeDataset_1", "ZipDataset"),
        *("SnapshotDatasetV2/path", "SnapshotDatasetV2", "MapDataset_2"),
    ]
    assert snap._variant_tensor.op.inputs[0].op.get_attr("compression") == b"AUTO"
    for _ in range(2):
        with tf.Session() as sess:
            assert _all(sess, snap) == [0, 10, 20, 30, 40, 50, 60]
    assert len(calls) == 7  # the second session read the snapshot
    assert len(os.listdir(tmp_path)) == 1


def test_snapshot_of_other_values_is_another_snapshot(graph, tmp_path):
    ph = tf.placeholder(tf.int64, [])
    it = D.range(ph).snapshot(str(tmp_path)).make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        for n, count in ((3, 1), (4, 2), (3, 2)):
            sess.run(it.initializer, {ph: n})
            got = []
            try:
                while True:
                    got.append(sess.run(nxt))
            except tf.errors.OutOfRangeError:
                pass
            assert got == list(range(n)) and len(os.listdir(tmp_path)) == count


def test_an_unfinished_pass_leaves_no_snapshot(graph, tmp_path):
    nxt = D.range(5).snapshot(str(tmp_path)).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert sess.run(nxt) == 0
    gc.collect()
    inner = os.path.join(tmp_path, os.listdir(tmp_path)[0])
    assert "scopeflow_snapshot.json" not in os.listdir(inner)


def _saved_then_loaded(v):
    path = _case_dir()
    save = D.from_tensor_slices(v).save(path)
    with tf.control_dependencies([save]):  # the load op runs after the save
        it = D.load(path, element_spec=tf.TensorSpec([], tf.int64)).make_initializable_iterator()
    with tf.control_dependencies([it.initializer]):
        return it.get_next()


def _snapshot_first(v):
    it = D.from_tensor_slices(v).snapshot(_case_dir()).make_initializable_iterator()
    with tf.control_dependencies([it.initializer]):
        return it.get_next()


CASES = [
    Case("save-load", "IteratorGetNext", _saved_then_loaded, (V,), np.int64(3), modes=("full",)),
    Case("snapshot", "IteratorGetNext", _snapshot_first, (V,), np.int64(3), modes=("full",)),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(graph, case, mode):
    with tf.Session(graph=graph) as sess:
        check_case(sess.run, case, mode)


def test_sparse_and_ragged_components_round_trip(graph, tmp_path):
    sparse = D.range(1, 3).map(lambda x: tf.SparseTensor([[0, 0]], [x], [2, 3]))
    ragged = D.range(1, 4).map(tf.range).ragged_batch(2)
    with tf.Session() as sess:
        sess.run([sparse.save(str(tmp_path / "sp")), ragged.save(str(tmp_path / "rg"))])
        loaded = D.load(str(tmp_path / "sp"))
        assert tf.data.get_output_classes(loaded) is tf.SparseTensor
        assert tf.data.get_output_shapes(loaded).as_list() == [2, 3]
        first = _all(sess, loaded)[0]
        assert first.indices.tolist() == [[0, 0]] and first.values.tolist() == [1]
        loaded = D.load(str(tmp_path / "rg"))
        assert loaded.element_spec == tf.RaggedTensorSpec([None, None], tf.int64, 1)
        assert [b.to_list() for b in _all(sess, loaded)] == [[[0], [0, 1]], [[0, 1, 2]]]


def test_a_file_cache_keeps_ragged_components(graph, tmp_path):
    cached = D.range(1, 4).map(tf.range).ragged_batch(2).cache(str(tmp_path / "c"))
    for _ in range(2):  # written, then read
        assert [b.to_list() for b in cached.as_numpy_iterator()] == [[[0], [0, 1]], [[0, 1, 2]]]
    assert os.listdir(tmp_path) == ["c.scopeflow-cache"]


def test_a_missing_shard_file_is_not_found(graph, tmp_path):
    with tf.Session() as sess:
        sess.run(D.range(3).save(str(tmp_path)))
        run = next(d for d in os.listdir(tmp_path) if d.isdigit())
        os.remove(tmp_path / run / "00000000.shard" / "00000000.snapshot")
        with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
            _all(sess, D.load(str(tmp_path)))
