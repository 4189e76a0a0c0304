"""MNIST as TF1's tutorials read it (``tf.contrib.learn.datasets.mnist``, also
``tensorflow.examples.tutorials.mnist.input_data``): the four IDX files of
http://yann.lecun.com/exdb/mnist/ in ``train_dir`` (downloaded there once when missing), split
into ``train``, ``validation`` (the first ``validation_size`` training images) and ``test``
``DataSet``s whose ``next_batch`` shuffles with NumPy's global generator, seeded as TF1 does.

>>> from scopeflow.contrib.learn.datasets import mnist
>>> fake = mnist.read_data_sets("unused", fake_data=True, one_hot=True)
>>> images, labels = fake.train.next_batch(2, fake_data=True)
>>> len(images[0]), labels[0]
(784, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
"""

from __future__ import annotations

import gzip

import numpy as np

from scopeflow.contrib.learn.datasets import base
from scopeflow.framework import dtypes
from scopeflow.ops.random.sampling import get_seed

DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"
_FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
_BIG_ENDIAN_U32 = np.dtype(">u4")


def _header(stream, count: int) -> list[int]:
    raw = stream.read(4 * count)
    if len(raw) < 4 * count:
        raise ValueError(f"MNIST file ends inside its header: {getattr(stream, 'name', '')}")
    return [int(v) for v in np.frombuffer(raw, _BIG_ENDIAN_U32)]


def _body(stream, size: int, name: str) -> np.ndarray:
    data = np.frombuffer(stream.read(size), np.uint8)
    if data.size != size:
        raise ValueError(f"MNIST file {name} is truncated: {data.size} of {size} bytes")
    return data


def extract_images(f) -> np.ndarray:
    """The uint8 images ``[count, rows, cols, 1]`` of a gzipped IDX3 file object."""
    print("Extracting", f.name)
    with gzip.GzipFile(fileobj=f) as stream:
        (magic,) = _header(stream, 1)
        if magic != 2051:
            raise ValueError(f"Invalid magic number {magic} in MNIST image file: {f.name}")
        count, rows, cols = _header(stream, 3)
        return _body(stream, count * rows * cols, f.name).reshape(count, rows, cols, 1)


def dense_to_one_hot(labels_dense: np.ndarray, num_classes: int) -> np.ndarray:
    """Class ids as float64 one-hot rows."""
    one_hot = np.zeros((labels_dense.shape[0], num_classes))
    one_hot[np.arange(labels_dense.shape[0]), labels_dense.ravel()] = 1
    return one_hot


def extract_labels(f, one_hot: bool = False, num_classes: int = 10) -> np.ndarray:
    """The uint8 labels of a gzipped IDX1 file object (float64 one-hot rows if ``one_hot``)."""
    print("Extracting", f.name)
    with gzip.GzipFile(fileobj=f) as stream:
        (magic,) = _header(stream, 1)
        if magic != 2049:
            raise ValueError(f"Invalid magic number {magic} in MNIST label file: {f.name}")
        (count,) = _header(stream, 1)
        labels = _body(stream, count, f.name)
    return dense_to_one_hot(labels, num_classes) if one_hot else labels


class DataSet:
    """Images and labels with ``next_batch``. ``dtype`` float32 scales pixels to [0, 1],
    uint8 keeps them; ``reshape`` flattens each image to 784 values. Making one seeds NumPy's
    global generator as TF1 does (from ``seed``, else the graph seed)."""

    def __init__(
        self,
        images,
        labels,
        fake_data=False,
        one_hot=False,
        dtype=dtypes.float32,
        reshape=True,
        seed=None,
    ):
        graph_seed, op_seed = get_seed(seed)
        np.random.seed(graph_seed if seed is None else op_seed)
        dtype = dtypes.as_dtype(dtype).base_dtype
        if dtype not in (dtypes.uint8, dtypes.float32):
            raise TypeError(f"Invalid image dtype {dtype!r}, expected uint8 or float32")
        self.one_hot = one_hot
        if fake_data:
            self._num_examples = 10000
        else:
            if images.shape[0] != labels.shape[0]:
                raise ValueError(f"images.shape: {images.shape} labels.shape: {labels.shape}")
            self._num_examples = images.shape[0]
            if reshape:
                if images.shape[3] != 1:
                    raise ValueError(f"reshape=True needs one channel, got {images.shape}")
                images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
            if dtype == dtypes.float32:
                images = np.multiply(images.astype(np.float32), 1.0 / 255.0)
        self._images, self._labels = images, labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    images = property(lambda self: self._images)
    labels = property(lambda self: self._labels)
    num_examples = property(lambda self: self._num_examples)
    epochs_completed = property(lambda self: self._epochs_completed)

    def _shuffle(self) -> None:
        order = np.arange(self._num_examples)
        np.random.shuffle(order)
        self._images, self._labels = self._images[order], self._labels[order]

    def next_batch(self, batch_size: int, fake_data: bool = False, shuffle: bool = True):
        """The next ``batch_size`` examples ``(images, labels)``; an epoch's end wraps into a
        newly shuffled epoch (the first epoch is shuffled too, unless ``shuffle`` is False)."""
        if fake_data:
            label = [1] + [0] * 9 if self.one_hot else 0
            return [[1] * 784 for _ in range(batch_size)], [label for _ in range(batch_size)]
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            self._index_in_epoch += batch_size
            return self._images[start : start + batch_size], self._labels[
                start : start + batch_size
            ]
        self._epochs_completed += 1
        rest = self._images[start:], self._labels[start:]
        if shuffle:
            self._shuffle()
        self._index_in_epoch = batch_size - len(rest[0])
        head = self._images[: self._index_in_epoch], self._labels[: self._index_in_epoch]
        return np.concatenate((rest[0], head[0])), np.concatenate((rest[1], head[1]))


def read_data_sets(
    train_dir,
    fake_data=False,
    one_hot=False,
    dtype=dtypes.float32,
    reshape=True,
    validation_size=5000,
    seed=None,
    source_url=DEFAULT_SOURCE_URL,
) -> base.Datasets:
    """``Datasets(train, validation, test)`` of MNIST from the files in ``train_dir``
    (downloaded from ``source_url`` when missing)."""
    if fake_data:
        fakes = [DataSet([], [], True, one_hot, dtype, seed=seed) for _ in range(3)]
        return base.Datasets(*fakes)
    source_url = source_url or DEFAULT_SOURCE_URL
    arrays = {}
    for key, name in _FILES.items():
        path = base.maybe_download(name, train_dir, source_url + name)
        with open(path, "rb") as f:
            arrays[key] = extract_images(f) if "images" in key else extract_labels(f, one_hot)
    train_images, train_labels = arrays["train_images"], arrays["train_labels"]
    if not 0 <= validation_size <= len(train_images):
        raise ValueError(
            f"Validation size should be between 0 and {len(train_images)}. "
            f"Received: {validation_size}."
        )
    options = {"dtype": dtype, "reshape": reshape, "seed": seed}
    validation = DataSet(train_images[:validation_size], train_labels[:validation_size], **options)
    train = DataSet(train_images[validation_size:], train_labels[validation_size:], **options)
    test = DataSet(arrays["test_images"], arrays["test_labels"], **options)
    return base.Datasets(train=train, validation=validation, test=test)


def load_mnist(train_dir="MNIST-data") -> base.Datasets:
    """``read_data_sets(train_dir)``."""
    return read_data_sets(train_dir)
