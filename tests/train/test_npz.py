"""``save_npz``/``load_npz`` and ``save_safetensors``/``load_safetensors``: round trips keyed by
variable name, readable by NumPy and safetensors themselves, and errors on bad files."""

from __future__ import annotations

import io
import os
import struct
import tracemalloc
import zipfile

import numpy as np
import pytest

import scopeflow as tf

VALUES = {
    "f16": np.array([0.5, -1.0], np.float16),
    "f32": np.arange(6, dtype=np.float32).reshape(2, 3),
    "f64": np.array(3.25),
    "i8": np.array([-128, 127], np.int8),
    "i64": np.array([2**40], np.int64),
    "u8": np.array([255], np.uint8),
    "u64": np.array([2**64 - 1], np.uint64),
    "b": np.array([True, False]),
    "c64": np.array([1 - 1j], np.complex64),
    "empty": np.zeros((0, 2), np.float32),
}

FORMATS = {
    "npz": (tf.train.save_npz, tf.train.load_npz),
    "safetensors": (tf.train.save_safetensors, tf.train.load_safetensors),
}


@pytest.fixture(params=sorted(FORMATS))
def fmt(request):
    if request.param == "safetensors":
        pytest.importorskip("safetensors")
    return request.param


def _graph(values, scope="model"):
    with tf.variable_scope(scope):
        return {name: tf.Variable(value, name=name) for name, value in values.items()}


def _saved(tmp_path, fmt, values=VALUES):
    path = str(tmp_path / f"weights.{fmt}")
    with tf.Graph().as_default():
        _graph(values)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert FORMATS[fmt][0](sess, path) == path
    return path


def test_round_trip_under_another_scope(tmp_path, fmt):
    path = _saved(tmp_path, fmt)
    with tf.Graph().as_default():
        with tf.variable_scope("tower"):
            variables = _graph({k: np.zeros_like(v) for k, v in VALUES.items()})
        with tf.Session() as sess:
            FORMATS[fmt][1](sess, path, {f"model/{k}": v for k, v in variables.items()})
            got = sess.run(variables)
    for name, value in VALUES.items():
        assert got[name].dtype == value.dtype and got[name].tolist() == value.tolist()


def test_files_are_readable_by_their_own_libraries(tmp_path, fmt):
    path = _saved(tmp_path, fmt)
    if fmt == "npz":
        with np.load(path, allow_pickle=False) as archive:
            loaded = dict(archive)
    else:
        from safetensors.numpy import load_file

        loaded = load_file(path)
    assert sorted(loaded) == sorted(f"model/{k}" for k in VALUES)
    np.testing.assert_array_equal(loaded["model/f32"], VALUES["f32"])


def test_missing_name_shape_and_dtype_errors_change_nothing(tmp_path, fmt):
    path = _saved(tmp_path, fmt, {"weights": np.ones(3, np.float32)})
    load = FORMATS[fmt][1]
    with tf.Graph().as_default():
        with tf.variable_scope("model"):
            ok = tf.Variable(np.zeros(3, np.float32), name="weights")
            missing = tf.Variable(np.zeros(3, np.float32), name="weight")
            wrong_shape = tf.Variable(np.zeros(4, np.float32), name="w4")
            wrong_dtype = tf.Variable(np.zeros(3, np.float64), name="w64")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.NotFoundError, match="Did you mean 'model/weights'"):
                load(sess, path, {"model/weights": ok, "model/weight": missing})
            with pytest.raises(tf.errors.InvalidArgumentError, match=r"lhs shape= \[4\]"):
                load(sess, path, {"model/weights": wrong_shape})
            with pytest.raises(tf.errors.InvalidArgumentError, match="expected dtype double"):
                load(sess, path, {"model/weights": wrong_dtype})
            np.testing.assert_array_equal(sess.run(ok), np.zeros(3))


def test_strings_are_refused_on_saving(tmp_path, fmt):
    with tf.Graph().as_default():
        tf.Variable([b"a"], name="s")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(TypeError, match="with tf.train.Saver"):
                FORMATS[fmt][0](sess, str(tmp_path / "x"))
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_corrupted_files_are_data_loss(tmp_path, fmt, damage):
    path = _saved(tmp_path, fmt, {"w": np.arange(100, dtype=np.float32)})
    data = open(path, "rb").read()
    data = {"truncated": data[: len(data) // 2], "garbage": b"\x01" * 300, "empty": b""}[damage]
    with open(path, "wb") as f:
        f.write(data)
    with tf.Graph().as_default():
        with tf.variable_scope("model"):
            tf.Variable(np.zeros(100, np.float32), name="w")
        with tf.Session() as sess, pytest.raises(tf.errors.DataLossError, match="weights"):
            FORMATS[fmt][1](sess, path)


def test_missing_file_is_not_found(tmp_path, fmt):
    with tf.Graph().as_default():
        tf.Variable(1.0, name="v")
        with tf.Session() as sess, pytest.raises(tf.errors.NotFoundError):
            FORMATS[fmt][1](sess, str(tmp_path / "nothing"))


# -- npz archives that lie ------------------------------------------------------------------


def _npz_with(tmp_path, name: str, npy: bytes) -> str:
    path = str(tmp_path / "bad.npz")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(name + ".npy", npy)
    return path


def _load_v(path):
    with tf.Graph().as_default():
        tf.Variable(np.zeros(2, np.float32), name="v")
        with tf.Session() as sess:
            tf.train.load_npz(sess, path)


def test_pickled_objects_are_never_loaded(tmp_path):
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"x": 1}, None], dtype=object), allow_pickle=True)
    path = _npz_with(tmp_path, "v", buffer.getvalue())
    with pytest.raises(tf.errors.DataLossError, match="Python objects"):
        _load_v(path)


def test_header_claiming_a_huge_array_allocates_nothing(tmp_path):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }"
    header = header.ljust(118) + "\n"
    npy = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + bytes(8)
    path = _npz_with(tmp_path, "v", npy)
    tracemalloc.start()
    try:
        with pytest.raises(tf.errors.DataLossError, match="does not match its size"):
            _load_v(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 << 20


def test_member_crc_is_checked(tmp_path):
    buffer = io.BytesIO()
    np.save(buffer, np.ones(2, np.float32))
    path = _npz_with(tmp_path, "v", buffer.getvalue())
    data = bytearray(open(path, "rb").read())
    position = data.index(np.ones(2, np.float32).tobytes())
    data[position] ^= 0x40
    with open(path, "wb") as f:
        f.write(data)
    with pytest.raises(tf.errors.DataLossError, match="CRC|corrupted"):
        _load_v(path)
