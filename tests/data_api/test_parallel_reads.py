"""TextLineDataset/TFRecordDataset/FixedLengthRecordDataset(num_parallel_reads=n): n files
at a time, one record from each in turn, as TF 2.21 builds it
(LegacyParallelInterleaveDatasetV2 over the file names) and in its order."""

import pytest

import scopeflow as tf

SIZES = [3, 1, 4]
OPS = [
    ("Const", "Const"),
    ("flat_filenames/shape", "Const"),
    ("flat_filenames", "Reshape"),
    ("TensorSliceDataset", "TensorSliceDataset"),
    ("cycle_length", "Const"),
    ("block_length", "Const"),
    ("buffer_output_elements", "Const"),
    ("prefetch_input_elements", "Const"),
    ("LegacyParallelInterleaveDatasetV2", "LegacyParallelInterleaveDatasetV2"),
]
TWO = ["0-0", "1-0", "0-1", "0-2", "2-0", "2-1", "2-2", "2-3"]
THREE = ["0-0", "1-0", "2-0", "0-1", "2-1", "0-2", "2-2", "2-3"]


@pytest.fixture
def files(tmp_path):
    paths = []
    for i, n in enumerate(SIZES):
        path = str(tmp_path / f"f{i}.txt")
        with open(path, "w") as f:
            f.write("".join(f"{i}-{j}\n" for j in range(n)))
        with tf.io.TFRecordWriter(path + ".rec") as w:
            for j in range(n):
                w.write(f"{i}-{j}".encode())
        with open(path + ".bin", "wb") as f:
            f.write(b"".join(f"{i}-{j}".encode() for j in range(n)))
        paths.append(path)
    return paths


def _all(graph, ds):
    it = tf.data.make_one_shot_iterator(ds).get_next()
    out = []
    with tf.Session(graph=graph) as sess:
        try:
            while True:
                out.append(sess.run(it).decode())
        except tf.errors.OutOfRangeError:
            return out


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda f: tf.data.TextLineDataset(f, num_parallel_reads=2), TWO),
        (lambda f: tf.data.TFRecordDataset([p + ".rec" for p in f], num_parallel_reads=2), TWO),
        (
            lambda f: tf.data.TFRecordDataset(
                [p + ".rec" for p in f], num_parallel_reads=3, buffer_size=10
            ),
            THREE,
        ),
        (
            lambda f: tf.data.FixedLengthRecordDataset(
                [p + ".bin" for p in f], 3, num_parallel_reads=2
            ),
            TWO,
        ),
    ],
)
def test_files_are_interleaved_as_tf(graph, files, make, expected):
    ds = make(files)
    assert [(op.name, op.type) for op in graph.get_operations()] == OPS
    assert _all(graph, ds) == expected


def test_interleave_constants(graph, files):
    tf.data.TFRecordDataset([p + ".rec" for p in files], num_parallel_reads=3)
    names = ["cycle_length:0", "block_length:0", "buffer_output_elements:0"]
    with tf.Session(graph=graph) as sess:
        assert sess.run([*names, "prefetch_input_elements:0"]) == [3, 1, 2, 6]


def test_without_parallel_reads_one_file_after_the_other(graph, files):
    ds = tf.data.TextLineDataset(files)
    assert [op.type for op in graph.get_operations()][-1] == "FlatMapDataset"
    assert _all(graph, ds) == ["0-0", "0-1", "0-2", "1-0", "2-0", "2-1", "2-2", "2-3"]
