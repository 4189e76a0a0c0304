"""Small files in the formats of Keras's datasets (imdb/reuters/mnist/boston ``.npz``, CIFAR
python batches in a ``.tar.gz``, fashion-mnist's gzipped IDX files), written into a Keras
cache folder ``<root>/datasets``."""

from __future__ import annotations

import gzip
import io
import os
import pickle
import tarfile

import numpy as np

IMDB_X_TRAIN = [[5, 1, 9], [2, 2, 7, 30, 4], [11], [3, 8, 8, 6], [9, 9, 1, 2, 3, 4, 5]]
IMDB_Y_TRAIN = [0, 1, 1, 0, 1]
IMDB_X_TEST = [[7, 7], [1, 2, 3, 4, 5, 6], [12, 3, 9], [4, 40]]
IMDB_Y_TEST = [1, 0, 1, 0]
REUTERS_X = [[3, 1], [8, 2, 2, 5], [14, 6, 1, 1, 1], [7], [2, 9, 21], [5, 5, 5, 5, 5, 5, 5]]
REUTERS_Y = [3, 0, 45, 3, 12, 7]


def _objects(rows) -> np.ndarray:
    out = np.empty(len(rows), dtype=object)
    for i, row in enumerate(rows):
        out[i] = list(row)
    return out


def _tar_gz(path, files: dict) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def write_all(root) -> str:
    """Writes every fake dataset file under ``root/datasets``; returns that folder."""
    d = os.path.join(root, "datasets")
    os.makedirs(os.path.join(d, "fashion-mnist"), exist_ok=True)
    np.savez(os.path.join(d, "imdb.npz"), x_train=_objects(IMDB_X_TRAIN),
             y_train=np.array(IMDB_Y_TRAIN), x_test=_objects(IMDB_X_TEST),
             y_test=np.array(IMDB_Y_TEST))
    np.savez(os.path.join(d, "reuters.npz"), x=_objects(REUTERS_X), y=np.array(REUTERS_Y))
    pixels = np.arange(7 * 784).reshape(7, 28, 28) % 251
    np.savez(os.path.join(d, "mnist.npz"), x_train=pixels[:4].astype(np.uint8),
             y_train=np.array([3, 1, 4, 1], np.uint8), x_test=pixels[4:].astype(np.uint8),
             y_test=np.array([5, 9, 2], np.uint8))
    x = np.arange(10 * 13, dtype=np.float64).reshape(10, 13) / 4
    np.savez(os.path.join(d, "boston_housing.npz"), x=x, y=np.arange(10) * 1.5 + 10)
    for part, labels in (("train", [7, 0, 2]), ("t10k", [9, 4])):
        n = len(labels)
        with gzip.open(os.path.join(d, "fashion-mnist", f"{part}-labels-idx1-ubyte.gz"), "wb") as f:
            f.write(b"\0\0\x08\x01" + n.to_bytes(4, "big") + bytes(labels))
        with gzip.open(os.path.join(d, "fashion-mnist", f"{part}-images-idx3-ubyte.gz"), "wb") as f:
            f.write(b"\0\0\x08\x03" + n.to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
                    + (np.arange(n * 784) % 256).astype(np.uint8).tobytes())
    batch = {}
    for i, name in enumerate([f"data_batch_{k}" for k in range(1, 6)] + ["test_batch"]):
        data = (np.arange(2 * 3072).reshape(2, 3072) * (i + 1) % 256).astype(np.uint8)
        batch[f"cifar-10-batches-py/{name}"] = pickle.dumps(
            {b"batch_label": b"b", b"labels": [i % 10, (i + 3) % 10], b"data": data,
             b"filenames": [b"a.png", b"b.png"]}, protocol=2)
    _tar_gz(os.path.join(d, "cifar-10-batches-py.tar.gz"), batch)
    batch = {}
    for i, name in enumerate(("train", "test")):
        data = (np.arange(3 * 3072).reshape(3, 3072) * (i + 2) % 256).astype(np.uint8)
        batch[f"cifar-100-python/{name}"] = pickle.dumps(
            {b"fine_labels": [99 - i, 5, 42], b"coarse_labels": [19, i, 3], b"data": data},
            protocol=2)
    _tar_gz(os.path.join(d, "cifar-100-python.tar.gz"), batch)
    return d
