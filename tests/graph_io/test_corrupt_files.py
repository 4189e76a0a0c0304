"""Truncated, corrupted and lying .meta/.pb files: DataLossError naming a .pb file, TF's
OSError or UnicodeDecodeError for a .meta file, or a ValueError/NotFoundError naming the
node - never a crash, a hang or a huge allocation, and the destination graph unchanged.
Mutations are seeded, so a failure reproduces."""

from __future__ import annotations

import pathlib
import random
import time

import pytest

import scopeflow as tf
from scopeflow.graph_io import read_graph_def
from scopeflow.graph_io.protos import messages

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "graph_io"
EXPECTED = (
    tf.errors.DataLossError,  # a GraphDef file
    OSError,  # a .meta file's text parse error, as TF
    tf.errors.NotFoundError,
    ValueError,  # UnicodeDecodeError of a .meta file, as TF
    NotImplementedError,
)


def _load(path: pathlib.Path):
    if path.suffix == ".meta":
        return tf.train.import_meta_graph(str(path))
    return tf.import_graph_def(read_graph_def(str(path)))


def _import_leaves_graph_unchanged_or_works(load) -> None:
    with tf.Graph().as_default() as g:
        tf.constant(0.0, name="before")
        start = time.monotonic()
        try:
            load()
        except EXPECTED:
            assert [op.name for op in g.get_operations()] == ["before"]
        assert time.monotonic() - start < 5


def test_truncated_graph_def_raises_data_loss_naming_it(tmp_path):
    data = (DATA / "frozen.pb").read_bytes()
    path = tmp_path / "frozen.pb"
    path.write_bytes(data[: len(data) // 2])
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.DataLossError, match=f"Cannot parse file {path}"):
            _load(path)


def test_truncated_meta_raises_tf_unicode_decode_error_noting_the_file(tmp_path):
    # TF 2.21's import_meta_graph falls back to a text parse of the bytes: UnicodeDecodeError
    # "'utf-8' codec can't decode byte 0x96 in position 1" for this file.
    data = (DATA / "trainable.meta").read_bytes()
    path = tmp_path / "trainable.meta"
    path.write_bytes(data[: len(data) // 2])
    with tf.Graph().as_default():
        with pytest.raises(UnicodeDecodeError, match="can't decode byte 0x96 in position 1") as e:
            _load(path)
    assert f"Cannot parse file {path}" in e.value.__notes__[0]


@pytest.mark.parametrize("name", ["trainable.meta", "frozen.pb"])
def test_fuzzed_bytes_never_escape_as_other_errors(tmp_path, name):
    data = (DATA / name).read_bytes()
    rng = random.Random(name)
    path = tmp_path / name
    for trial in range(150):
        mutated = bytearray(data[: rng.randrange(len(data))] if trial < 30 else data)
        for _ in range(rng.randint(1, 8) if trial >= 30 else 0):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        path.write_bytes(bytes(mutated))
        _import_leaves_graph_unchanged_or_works(lambda: _load(path))


def _mutate(meta, rng: random.Random) -> None:
    node = meta.graph_def.node[rng.randrange(len(meta.graph_def.node))]
    kind = rng.randrange(8)
    if kind == 0 and node.attr:
        attr = node.attr[rng.choice(sorted(node.attr))]
        change = rng.randrange(5)
        if change == 0:
            attr.i = rng.choice([-1, 2**40])
        elif change == 1:
            attr.type = rng.randrange(130)
        elif change == 2:
            attr.shape.dim.add(size=rng.choice([-5, 2**40]))
        elif change == 3:
            attr.list.i.append(rng.randrange(-3, 9))
        else:
            attr.tensor.tensor_shape.dim.add(size=rng.choice([2**33, 7]))
    elif kind == 1:
        node.input.append(rng.choice(["nope", "x:7", "^x", "logits", ":", "^"]))
    elif kind == 2:
        node.op = rng.choice(["Const", "Identity", "MatMul", "Fill", "Reshape", "NoOp"])
    elif kind == 3:
        node.name = rng.choice(["x", "dense/w", "", "a b"])
    elif kind == 4 and node.input:
        del node.input[rng.randrange(len(node.input))]
    elif kind == 5:
        for key in sorted(node.attr):
            if rng.random() < 0.5:
                del node.attr[key]
    elif kind == 6 and "value" in node.attr:
        tensor = node.attr["value"].tensor
        tensor.dtype = rng.randrange(25)
        tensor.tensor_content = bytes(rng.randrange(9))
    else:
        key = rng.choice(sorted(meta.collection_def))
        meta.collection_def[key].bytes_list.value.append(b"\x0a\x03abc\x12")


def test_lying_fields_are_refused_naming_the_node():
    base = messages().MetaGraphDef.FromString((DATA / "trainable.meta").read_bytes())
    rng = random.Random(7)
    for _ in range(200):
        meta = messages().MetaGraphDef()
        meta.CopyFrom(base)
        for _ in range(rng.randint(1, 3)):
            _mutate(meta, rng)
        _import_leaves_graph_unchanged_or_works(lambda m=meta: tf.train.import_meta_graph(m))
