"""Tests for scopeflow/data/csv_dataset.py and csv_pipeline.py: ``CsvDataset`` and
``make_csv_dataset`` read what TensorFlow 2.21 reads from the same files (the expected
elements, types and error messages below were printed by ``tensorflow.compat.v1`` in graph
mode), and a bad record fails one run only, as in TF."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

import scopeflow as tf

E = tf.data.experimental


def everything(sess, element) -> list:
    """Each run's result until the end, an error as ``(type name, message)``."""
    out = []
    for _ in range(20):
        try:
            out.append(sess.run(element))
        except tf.errors.OutOfRangeError:
            return out
        except tf.errors.OpError as e:
            out.append((type(e).__name__, e.message.split("\n")[0]))
    return out


def read(tmp_path, text: bytes, *args, **kwargs) -> list:
    path = tmp_path / "t.csv"
    path.write_bytes(text)
    with tf.Graph().as_default():
        ds = E.CsvDataset(str(path), *args, **kwargs)
        with tf.Session() as sess:
            return everything(sess, ds.make_one_shot_iterator().get_next())


def _values(rows) -> list:
    return [tuple(np.asarray(v).item() for v in r) if isinstance(r, tuple) else r for r in rows]


# (file, record_defaults, options, TF's elements; an error as (type, message))
# fmt: off
PASSES = {
    "header-defaults-quotes": (
        b'a,b,c\n1,2.5,x\n4,,"y,z"\n', [tf.int32, [0.0], ["d"]], {"header": True},
        [(1, 2.5, b"x"), (4, 0.0, b"y,z")],
    ),
    "required-missing-goes-on": (
        b"1,2.5,x\n,3,y\n5,1,z\n", [tf.int32, [0.0], ["d"]], {},
        [(1, 2.5, b"x"), ("InvalidArgumentError", "Field 0 is required but missing in record!"),
         (5, 1.0, b"z")],
    ),
    "too-few": (
        b"1,2.5\n5,1,z\n", [tf.int32, [0.0], ["d"]], {},
        [("InvalidArgumentError", "Expect 3 fields but have 2 in record"), (5, 1.0, b"z")],
    ),
    "too-many": (
        b"1,2.5,x,4\n5,1,z\n", [tf.int32, [0.0], ["d"]], {},
        [("InvalidArgumentError", "Expect 3 fields but have more in record"), (5, 1.0, b"z")],
    ),
    "not-an-int": (
        b"1.5,2.5,x\n", [tf.int32, [0.0], ["d"]], {},
        [("InvalidArgumentError", "Field 0 in record is not a valid int32: 1.5")],
    ),
    "int32-overflow": (
        b"99999999999,1\n", [[0], [0]], {},
        [("InvalidArgumentError", "Field 0 in record is not a valid int32: 99999999999")],
    ),
    "not-a-float": (
        b"1,abc,x\n", [tf.int32, [0.0], ["d"]], {},
        [("InvalidArgumentError", "Field 1 in record is not a valid float: abc")],
    ),
    "doubled-quotes-and-lines": (
        b'"1","a ""q"" b",\n2,"multi\nline",x\n', [tf.int64, [""], ["d"]], {},
        [(1, b'a "q" b', b"d"), (2, b"multi\nline", b"x")],
    ),
    "no-quote-delim": (
        b'"1",a"b,x\n', [tf.string, [""], ["d"]], {"use_quote_delim": False},
        [(b'"1"', b'a"b', b"x")],
    ),
    "quote-inside-unquoted": (
        b'1,a"b,x\n', [tf.string, [""], ["d"]], {},
        [("InvalidArgumentError", "Unquoted fields cannot have quotes inside")],
    ),
    "unclosed-quote": (
        b'1,"ab,x\n', [tf.string, [""], ["d"]], {},
        [("InvalidArgumentError", "Reached end of file without closing quoted field in record")],
    ),
    "na-value": (
        b"1,NA,x\nNA,2,NA\n", [[7], [0.5], ["d"]], {"na_value": "NA"},
        [(1, 0.5, b"x"), (7, 2.0, b"d")],
    ),
    "select-cols": (
        b"1,2,3,4\n5,6,7,8\n", [[0], tf.float64], {"select_cols": [1, 3]},
        [(2, 4.0), (6, 8.0)],
    ),
    "select-past-the-end": (
        b"1,2,3,4\n", [[0], [0]], {"select_cols": [1, 7]},
        [("InvalidArgumentError", "Expect 2 fields but have 1 in record")],
    ),
    "delim-crlf": (b"1|2\r\n3|4\r\n", [[0], [0]], {"field_delim": "|"}, [(1, 2), (3, 4)]),
    "empty-line": (
        b"1,2\n\n3,4\n", [[0], [0]], {},
        [(1, 2), ("InvalidArgumentError", "Expect 2 fields but have 1 in record"), (3, 4)],
    ),
    "no-last-newline": (b"1,2\n3,4", [[0], [0]], {}, [(1, 2), (3, 4)]),
    "spaces": (b" 1, 2.5\n", [[0], [0.0]], {}, [(1, 2.5)]),
    "header-only": (b"a,b\n", [[0], [0]], {"header": True}, []),
    "exclude-cols": (b"1,2,3,4\n5,6,7,8\n", [tf.int32] * 2, {"exclude_cols": [0, 2]},
                     [(2, 4), (6, 8)]),
    "exclude-past-the-end": (
        b"1,2,3,4\n", [[0]] * 3, {"exclude_cols": [7]},
        [("InvalidArgumentError", "Expect 3 fields but have more in record")],
    ),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(PASSES))
def test_records_are_read_as_tf_reads_them(tmp_path, name):
    text, defaults, options, want = PASSES[name]
    assert _values(read(tmp_path, text, defaults, **options)) == want


def test_float_forms(tmp_path):
    (row,) = read(tmp_path, b"inf,-1.5e-3,nan, 2\n", [[0.0]] * 4)
    np.testing.assert_array_equal(row, np.float32([np.inf, -0.0015, np.nan, 2.0]))


def test_types_follow_the_defaults(tmp_path):
    # a list [np.int64(0)] converts to int32, in TF too
    (row,) = read(tmp_path, b"1,2,3,4,x\n", [tf.int32, [np.int64(0)], [0.0], tf.float64, [""]])
    assert [type(v) for v in row] == [np.int32, np.int32, np.float32, np.float64, bytes]
    with tf.Graph().as_default():
        ds = E.CsvDataset("f.csv", [tf.constant(0, tf.int64), tf.float64])
        assert ds.output_types == (tf.int64, tf.float64)


def test_bad_options_fail_the_dataset_op(tmp_path):
    for options, message in [
        ({"select_cols": [3, 1]}, "select_cols should be strictly increasing indices"),
        ({"select_cols": [1]}, "select_cols should match output size"),
        ({"field_delim": "ab"}, "field_delim should be only 1 char"),
        ({"exclude_cols": [2, 1]}, "exclude_cols should be strictly increasing indices"),
        (
            {"exclude_cols": [1], "select_cols": [0, 2]},
            "Either select_cols or exclude_cols should be empty",
        ),
    ]:
        rows = read(tmp_path, b"1,2,3,4\n", [[0], [0]], **options)
        assert rows[0] == ("InvalidArgumentError", message)


def test_ignore_errors_skips_bad_records(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"1,2\nx,3\n4,5\n")
    with tf.Graph().as_default():
        ds = E.CsvDataset(str(path), [[0], [0]]).apply(E.ignore_errors())
        with tf.Session() as sess:
            rows = everything(sess, ds.make_one_shot_iterator().get_next())
    assert _values(rows) == [(1, 2), (4, 5)]


def test_graph_is_tfs(graph):
    ds = E.CsvDataset("f.csv", [tf.int32, [0.0], "d"], header=True)
    ops = [(op.name, op.type) for op in graph.get_operations()]
    assert ops == [
        ("filenames", "Const"), ("compression_type", "Const"), ("Const", "Const"),
        ("record_defaults_1", "Const"), ("record_defaults_2", "Const"),
        ("buffer_size", "Const"), ("header", "Const"), ("field_delim", "Const"),
        ("use_quote_delim", "Const"), ("na_value", "Const"), ("select_cols", "Const"),
        ("exclude_cols", "Const"), ("CSVDatasetV2", "CSVDatasetV2"),
    ]  # fmt: skip
    op = graph.get_operation_by_name("CSVDatasetV2")
    assert [t.op.name for t in op.inputs][2:9] == [
        "buffer_size", "header", "field_delim", "use_quote_delim", "na_value", "select_cols",
        "Const",
    ]  # fmt: skip
    assert ds.output_types == (tf.int32, tf.float32, tf.string)
    assert tf.Session(graph=graph).run("buffer_size:0") == 4 * 1024 * 1024


def test_build_errors(graph):
    with pytest.raises(ValueError, match="length 0 less than minimum 1"):
        E.CsvDataset("f.csv", [])
    with pytest.raises(ValueError, match="Shape of a default must be a length-0 or length-1"):
        E.CsvDataset("f.csv", [[1, 2]])
    with pytest.raises(TypeError, match="DataType bool not in list of allowed values"):
        E.CsvDataset("f.csv", [[True]])
    with pytest.raises(TypeError, match="Expected string, but got 3 of type 'int'"):
        E.CsvDataset("f.csv", [["a"]], field_delim=3)


# -- make_csv_dataset -----------------------------------------------------------------------


@pytest.fixture
def files(tmp_path):
    (tmp_path / "m1.csv").write_text('a,b,c,d\n1,2.5,x,7\n4,,"y,z",8\n3,1e40,w,99999999999\n')
    (tmp_path / "m2.csv").write_text("a,b,c,d\n5,0.5,q,1\n")
    return tmp_path


def batches(ds) -> list:
    with tf.Session() as sess:
        return everything(sess, ds.make_one_shot_iterator().get_next())


def test_make_csv_dataset_infers_types_as_tf(graph, files):
    ds = E.make_csv_dataset(str(files / "m*.csv"), 2, num_epochs=1, shuffle=False)
    assert dict(ds.output_types) == {
        "a": tf.int32, "b": tf.float64, "c": tf.string, "d": tf.int64,
    }  # fmt: skip
    assert list(ds.output_types) == ["a", "b", "c", "d"]
    assert ds.output_shapes["a"].as_list() == [None]
    types = [op.type for op in graph.get_operations()]
    first, second = batches(ds)
    np.testing.assert_array_equal(first["b"], [2.5, 0.0])
    assert list(first["c"]) == [b"x", b"y,z"]
    np.testing.assert_array_equal(second["d"], [99999999999, 1])
    assert types[-7:] == [
        "LegacyParallelInterleaveDatasetV2", "Const", "Const", "BatchDatasetV2", "MapDataset",
        "Const", "PrefetchDataset",
    ]  # fmt: skip


def test_make_csv_dataset_label_select_and_epochs(graph, files):
    ds = E.make_csv_dataset(
        [str(files / "m2.csv")] * 2, 3, select_columns=["d", "a"], num_epochs=2, shuffle=False,
        label_name="d",
    )  # fmt: skip
    out = batches(ds)
    assert [(list(f), list(f["a"]), list(label)) for f, label in out] == [
        (["a"], [5, 5, 5], [1, 1, 1]), (["a"], [5], [1]),
    ]  # fmt: skip
    assert "RepeatDataset" in [op.type for op in graph.get_operations()]


def test_make_csv_dataset_defaults_and_ignore_errors(graph, files):
    ds = E.make_csv_dataset(
        str(files / "m1.csv"), 2, column_defaults=[0, 0.0, "", tf.int64], num_epochs=1,
        shuffle=False, ignore_errors=True,
    )  # fmt: skip
    first, second = batches(ds)
    assert first["b"].dtype == np.float32 and np.isinf(second["b"][0])
    np.testing.assert_array_equal(second["d"], [99999999999])


def test_make_csv_dataset_inferred_columns_default_to_zero(graph, tmp_path):
    (tmp_path / "m3.csv").write_text("a,b,c\n1,,x\n,2,\n")
    ds = E.make_csv_dataset(str(tmp_path / "m3.csv"), 5, num_epochs=1, shuffle=False, na_value="x")
    (batch,) = batches(ds)
    assert [list(batch[k]) for k in "abc"] == [[1, 0], [0, 2], [b"", b""]]


def test_make_csv_dataset_forever_drops_the_remainder(graph, files):
    ds = E.make_csv_dataset(str(files / "m2.csv"), 1, column_names=list("pqrs"), header=False)
    assert ds.output_shapes["p"].as_list() == [1]
    assert ds.output_types["p"] == tf.string  # the header row is a record here


def test_make_csv_dataset_errors(graph, files):
    m2 = str(files / "m2.csv")
    (files / "h.csv").write_text("a,c\n1,2\n")
    for kwargs, error, message in [
        ({"header": False}, ValueError, "Expected `column_names` or `header` arguments"),
        ({"label_name": "zz"}, ValueError, r"must be one of the columns: \['a', 'b', 'c', 'd'\]"),
        ({"select_columns": ["zz"]}, ValueError, "Column zz specified in `select_columns`"),
        ({"select_columns": [5]}, ValueError, "should be > 0  and <= 4"),
        ({"select_columns": ["a"], "column_defaults": [0, 0]}, ValueError, "same length"),
        ({"column_names": ["a", "a", "b", "c"]}, ValueError, "duplicate column names: {'a'}"),
        ({"column_names": ["a", "b"]}, ValueError, "CSV row 2 has 4 number of fields"),
    ]:
        with pytest.raises(error, match=message):
            E.make_csv_dataset(m2, 1, **kwargs)
    with pytest.raises(ValueError, match="No files match `file_pattern`"):
        E.make_csv_dataset(str(files / "none*.csv"), 1)
    with pytest.raises(ValueError, match="same column names in the header row"):
        E.make_csv_dataset([m2, str(files / "h.csv")], 1)


def test_compressed_files(graph, tmp_path):
    path = tmp_path / "a.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n1,x\n2,y\n"))
    ds = E.make_csv_dataset(str(path), 2, num_epochs=1, shuffle=False, compression_type="GZIP")
    assert dict(ds.output_types) == {"a": tf.int32, "b": tf.string}
    (batch,) = batches(ds)
    assert batch["a"].tolist() == [1, 2] and batch["b"].tolist() == [b"x", b"y"]
    rows = E.CsvDataset(str(path), [0, ""], header=True, compression_type="GZIP")
    assert _values(batches(rows)) == [(1, b"x"), (2, b"y")]
