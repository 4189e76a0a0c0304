"""tf.keras.datasets on small fake files in Keras's formats (fake_keras_files.py), put in a
cache folder: expected values were computed with tf_keras (TF 2.21) on the same files."""

from __future__ import annotations

import hashlib
import os
import pickle

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.keras.datasets import cifar10, cifar100, imdb, reuters, safe_pickle
from tests.keras.datasets.fake_keras_files import write_all


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = write_all(str(tmp_path))
    for module, name in ((imdb, "imdb.npz"), (reuters, "reuters.npz"),
                         (cifar10, "cifar-10-batches-py.tar.gz"),
                         (cifar100, "cifar-100-python.tar.gz")):
        with open(os.path.join(folder, name), "rb") as f:
            monkeypatch.setattr(module, "FILE_HASH", hashlib.sha256(f.read()).hexdigest())
    for name in ("mnist", "boston_housing"):
        module = getattr(tf.keras.datasets, name)
        with open(os.path.join(folder, name + ".npz"), "rb") as f:
            monkeypatch.setattr(module, "FILE_HASH", hashlib.sha256(f.read()).hexdigest())
    return str(tmp_path)


def _lists(x):
    return [list(s) for s in x]


IMDB_CASES = [
    ({}, [[1, 5, 5, 10, 33, 7], [1, 8, 4, 12], [1, 6, 11, 11, 9], [1, 14],
          [1, 12, 12, 4, 5, 6, 7, 8]], [1, 0, 0, 1, 1],
     [[1, 10, 10], [1, 4, 5, 6, 7, 8, 9], [1, 7, 2], [1, 15, 6, 12]], [1, 0, 0, 1]),
    ({"num_words": 12, "skip_top": 3, "seed": 7},
     [[2, 8, 4, 2], [2, 6, 11, 11, 9], [2, 2], [2, 5, 5, 10, 2, 7], [2, 2, 2, 4, 5, 6, 7, 8]],
     [0, 0, 1, 1, 1], [[2, 2, 6, 2], [2, 4, 5, 6, 7, 8, 9], [2, 10, 10], [2, 7, 2]],
     [1, 0, 1, 0]),
    ({"maxlen": 5}, [[1, 8, 4, 12], [1, 14]], [0, 1],
     [[1, 10, 10], [1, 7, 2], [1, 15, 6, 12]], [1, 0, 1]),
    ({"oov_char": None, "num_words": 15}, [[1, 5, 5, 10, 7], [1, 8, 4, 12], [1, 6, 11, 11, 9],
                                           [1, 14], [1, 12, 12, 4, 5, 6, 7, 8]],
     [1, 0, 0, 1, 1], [[1, 10, 10], [1, 4, 5, 6, 7, 8, 9], [1, 7], [1, 6, 12]], [1, 0, 0, 1]),
    ({"start_char": None, "index_from": 2},
     [[4, 4, 9, 32, 6], [7, 3, 11], [5, 10, 10, 8], [13], [11, 11, 3, 4, 5, 6, 7]],
     [1, 0, 0, 1, 1], [[9, 9], [3, 4, 5, 6, 7, 8], [6, 2], [14, 5, 11]], [1, 0, 0, 1]),
]


@pytest.mark.parametrize("kwargs,x_train,y_train,x_test,y_test", IMDB_CASES)
def test_imdb_shuffles_shifts_and_cuts_as_keras(cache, kwargs, x_train, y_train, x_test, y_test):
    (a, b), (c, d) = tf.keras.datasets.imdb.load_data(cache_dir=cache, **kwargs)
    assert a.dtype == object and b.dtype == np.int64
    assert (_lists(a), b.tolist(), _lists(c), d.tolist()) == (x_train, y_train, x_test, y_test)


REUTERS_CASES = [
    ({}, [[1, 11, 5, 5, 8], [1, 6, 4], [1, 10], [1, 17, 9, 4, 4, 4]], [0, 3, 3, 45],
     [[1, 5, 12, 2], [1, 8, 8, 8, 8, 8, 8, 8]], [12, 7]),
    ({"num_words": 10}, [[1, 2, 5, 5, 8], [1, 6, 4], [1, 2], [1, 2, 9, 4, 4, 4]], [0, 3, 3, 45],
     [[1, 5, 2, 2], [1, 8, 8, 8, 8, 8, 8, 8]], [12, 7]),
    ({"num_words": 12, "skip_top": 3, "seed": 7},
     [[2, 10], [2, 8, 8, 8, 8, 8, 8, 8], [2, 6, 4], [2, 2, 9, 4, 4, 4]], [3, 7, 3, 45],
     [[2, 11, 5, 5, 8], [2, 5, 2, 2]], [0, 12]),
    ({"test_split": 0.5, "seed": 3}, [[1, 10], [1, 8, 8, 8, 8, 8, 8, 8], [1, 5, 12, 2]],
     [3, 7, 12], [[1, 11, 5, 5, 8], [1, 6, 4], [1, 17, 9, 4, 4, 4]], [0, 3, 45]),
    ({"start_char": None, "index_from": 2}, [[10, 4, 4, 7], [5, 3], [9], [16, 8, 3, 3, 3]],
     [0, 3, 3, 45], [[4, 11, 2], [7, 7, 7, 7, 7, 7, 7]], [12, 7]),
]


@pytest.mark.parametrize("kwargs,x_train,y_train,x_test,y_test", REUTERS_CASES)
def test_reuters_matches_keras(cache, kwargs, x_train, y_train, x_test, y_test):
    (a, b), (c, d) = tf.keras.datasets.reuters.load_data(cache_dir=cache, **kwargs)
    assert (_lists(a), b.tolist(), _lists(c), d.tolist()) == (x_train, y_train, x_test, y_test)


def test_reuters_single_kept_test_row_is_a_2d_object_array_as_in_keras(cache):
    (a, b), (c, d) = tf.keras.datasets.reuters.load_data(cache_dir=cache, maxlen=5)
    assert (_lists(a), b.tolist()) == ([[1, 6, 4], [1, 10]], [3, 3])
    assert c.shape == (1, 4) and c.tolist() == [[1, 5, 12, 2]] and d.tolist() == [12]


def test_imdb_errors(cache):
    with pytest.raises(ValueError, match="no sequence was kept. Increase maxlen"):
        tf.keras.datasets.imdb.load_data(cache_dir=cache, maxlen=1)
    with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
        tf.keras.datasets.imdb.load_data(cache_dir=cache, foo=1)


def test_boston_housing_seeded_split(cache):
    (xa, ya), (xb, yb) = tf.keras.datasets.boston_housing.load_data(cache_dir=cache)
    assert xa.shape == (8, 13) and xb.shape == (2, 13) and xa.dtype == np.float64
    assert ya.tolist() == [23.5, 14.5, 19.0, 11.5, 10.0, 20.5, 16.0, 22.0]
    assert yb.tolist() == [13.0, 17.5] and xb[:, 0].tolist() == [6.5, 16.25]
    (_, ya), (xb, yb) = tf.keras.datasets.boston_housing.load_data(
        cache_dir=cache, test_split=0.3, seed=5)
    assert ya.tolist() == [23.5, 17.5, 13.0, 16.0, 20.5, 11.5, 10.0]
    assert yb.tolist() == [22.0, 19.0, 14.5] and xb[:, 0].tolist() == [26.0, 19.5, 9.75]


def test_mnist_and_fashion_mnist(cache):
    (xa, ya), (xb, yb) = tf.keras.datasets.mnist.load_data(cache_dir=cache)
    assert (xa.shape, xa.dtype, ya.tolist(), xb.shape, yb.tolist()) == (
        (4, 28, 28), np.uint8, [3, 1, 4, 1], (3, 28, 28), [5, 9, 2])
    assert xb.ravel()[:3].tolist() == [124, 125, 126]
    (xa, ya), (xb, yb) = tf.keras.datasets.fashion_mnist.load_data(cache_dir=cache)
    assert (xa.shape, ya.dtype, ya.tolist(), xb.shape, yb.tolist()) == (
        (3, 28, 28), np.uint8, [7, 0, 2], (2, 28, 28), [9, 4])
    assert xa[0, 1, :2].tolist() == [28, 29]


def test_cifar10_batches_in_order_channels_last(cache):
    (xa, ya), (xb, yb) = tf.keras.datasets.cifar10.load_data(cache_dir=cache)
    assert (xa.shape, xa.dtype) == ((10, 32, 32, 3), np.uint8)
    assert (ya.shape, ya.dtype) == ((10, 1), np.uint8)
    assert ya.ravel().tolist() == [0, 3, 1, 4, 2, 5, 3, 6, 4, 7] and yb.ravel().tolist() == [5, 8]
    # batch i (1-based) holds (arange * i) % 256 as [3, 32, 32] planes
    assert xa[2, 0, 1].tolist() == [2, 2050 % 256, 4098 % 256] and xb.shape == (2, 32, 32, 3)
    assert os.path.isdir(os.path.join(cache, "datasets", "cifar-10-batches-py"))


def test_cifar100_labels(cache):
    (xa, ya), (xb, yb) = tf.keras.datasets.cifar100.load_data(cache_dir=cache, label_mode="coarse")
    assert (xa.shape, ya.dtype, ya.ravel().tolist(), yb.ravel().tolist()) == (
        (3, 32, 32, 3), np.int64, [19, 0, 3], [19, 1, 3])
    assert xa.ravel()[:6].tolist() == [0, 0, 0, 2, 2, 2]
    assert xb.ravel()[:6].tolist() == [0, 0, 0, 3, 3, 3]
    (_, ya), _ = tf.keras.datasets.cifar100.load_data(cache_dir=cache)
    assert ya.ravel().tolist() == [99, 5, 42]
    with pytest.raises(ValueError, match="label_mode"):
        tf.keras.datasets.cifar100.load_data(cache_dir=cache, label_mode="medium")


class _Evil:
    def __reduce__(self):
        return (os.getcwd, ())


def test_restricted_unpickler_refuses_other_callables(tmp_path):
    path = tmp_path / "batch"
    path.write_bytes(pickle.dumps({b"data": _Evil()}, protocol=2))
    with pytest.raises(pickle.UnpicklingError, match="refusing to unpickle 'posix.getcwd'"):
        safe_pickle.load(path, encoding="bytes")
    np.savez(tmp_path / "evil.npz", x=np.array([_Evil()], dtype=object))
    with pytest.raises(pickle.UnpicklingError, match="refusing to unpickle"):
        safe_pickle.load_npz(tmp_path / "evil.npz")


def test_reuters_label_names():
    names = tf.keras.datasets.reuters.get_label_names()
    assert len(names) == 46 and names[3] == "earn" and names[-1] == "lead"


def test_pickles_written_by_numpy_1_load():
    rows = np.empty(2, dtype=object)
    rows[0], rows[1] = [1, 2], [3]
    data = pickle.dumps({b"data": np.arange(6, dtype=np.uint8), b"rows": rows}, protocol=2)
    data = data.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")  # NumPy 1.x's name
    assert b"numpy.core.multiarray" in data
    out = safe_pickle.loads(data, encoding="bytes")
    assert out[b"data"].tolist() == [0, 1, 2, 3, 4, 5] and out[b"rows"].tolist() == [[1, 2], [3]]
