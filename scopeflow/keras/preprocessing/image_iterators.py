"""The batch sources of ``ImageDataGenerator``: ``Iterator`` (indices, shuffling, seeds),
``NumpyArrayIterator`` (``flow``) and ``DirectoryIterator`` (``flow_from_directory``: one
sub-folder per class). Each is a ``tf.keras.utils.Sequence`` and a Python iterator, and
reseeds ``np.random`` per batch as Keras does when given a ``seed``."""

from __future__ import annotations

import os
import threading
import warnings

import numpy as np

from scopeflow.keras.backend_config import floatx, image_data_format
from scopeflow.keras.batch_sequence import Sequence
from scopeflow.keras.preprocessing import image_utils


class Iterator(Sequence):
    """``n`` samples in batches of ``batch_size``, reshuffled each epoch with ``shuffle``;
    subclasses build a batch in ``_get_batches_of_transformed_samples(index_array)``."""

    white_list_formats = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")

    def __init__(self, n, batch_size, shuffle, seed):
        self.n = n
        self.batch_size = batch_size
        self.seed = seed
        self.shuffle = shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self.index_generator = self._flow_index()

    def _set_index_array(self):
        self.index_array = np.random.permutation(self.n) if self.shuffle else np.arange(self.n)

    def __getitem__(self, idx):
        if idx >= len(self):
            raise ValueError(
                f"Asked to retrieve element {idx}, but the Sequence has length {len(self)}"
            )
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        rows = self.index_array[self.batch_size * idx : self.batch_size * (idx + 1)]
        return self._get_batches_of_transformed_samples(rows)

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self):
        self._set_index_array()

    def reset(self):
        """Starts the next ``next()`` at the first batch of a new epoch."""
        self.batch_index = 0

    def _flow_index(self):
        self.reset()
        while True:
            if self.seed is not None:
                np.random.seed(self.seed + self.total_batches_seen)
            if self.batch_index == 0:
                self._set_index_array()
            start = 0 if self.n == 0 else (self.batch_index * self.batch_size) % self.n
            self.batch_index = self.batch_index + 1 if self.n > start + self.batch_size else 0
            self.total_batches_seen += 1
            yield self.index_array[start : start + self.batch_size]

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def next(self):
        """The next batch (endlessly, epoch after epoch)."""
        with self.lock:
            rows = next(self.index_generator)
        return self._get_batches_of_transformed_samples(rows)

    def _get_batches_of_transformed_samples(self, index_array):
        raise NotImplementedError


def _augment(generator, x):
    params = generator.get_random_transform(x.shape)
    return generator.standardize(generator.apply_transform(x, params))


def _save_batch(batch_x, index_array, it, hash_range) -> None:
    for i, j in enumerate(index_array):
        img = image_utils.array_to_img(batch_x[i], it.data_format, scale=True)
        name = f"{it.save_prefix}_{j}_{np.random.randint(hash_range)}.{it.save_format}"
        img.save(os.path.join(it.save_to_dir, name))


class NumpyArrayIterator(Iterator):
    """Batches of the 4-D image array ``x`` (or ``(x, [other arrays])``), each image passed
    through ``image_data_generator``'s random transform and ``standardize``; with ``y``:
    ``(x, y)`` or ``(x, y, sample_weight)``."""

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False,
                 sample_weight=None, seed=None, data_format=None, save_to_dir=None,
                 save_prefix="", save_format="png", subset=None, ignore_class_split=False,
                 dtype=None):
        data_format = data_format or image_data_format()
        self.dtype = dtype or floatx()
        x_misc = []
        if isinstance(x, (tuple, list)):
            x_misc = [np.asarray(v) for v in x[1]] if isinstance(x[1], list) else [
                np.asarray(x[1])]
            x = x[0]
            for v in x_misc:
                if len(x) != len(v):
                    raise ValueError(
                        "All of the arrays in `x` should have the same length. Found a pair "
                        f"with: len(x[0]) = {len(x)}, len(x[?]) = {len(v)}"
                    )
        if y is not None and len(x) != len(y):
            raise ValueError(
                "`x` (images tensor) and `y` (labels) should have the same length. Found: "
                f"x.shape = {np.asarray(x).shape}, y.shape = {np.asarray(y).shape}"
            )
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError(
                "`x` (images tensor) and `sample_weight` should have the same length. Found: "
                f"x.shape = {np.asarray(x).shape}, "
                f"sample_weight.shape = {np.asarray(sample_weight).shape}"
            )
        if subset is not None:
            if subset not in {"training", "validation"}:
                raise ValueError(
                    f"Invalid subset name: {subset}; expected \"training\" or \"validation\"."
                )
            cut = int(len(x) * image_data_generator._validation_split)
            if (y is not None and not ignore_class_split
                    and not np.array_equal(np.unique(y[:cut]), np.unique(y[cut:]))):
                raise ValueError(
                    "Training and validation subsets have different number of classes after "
                    "the split. If your numpy arrays are sorted by the label, you might want "
                    "to shuffle them."
                )
            part = slice(None, cut) if subset == "validation" else slice(cut, None)
            x = x[part]
            x_misc = [np.asarray(v[part]) for v in x_misc]
            y = None if y is None else y[part]
        self.x = np.asarray(x, dtype=self.dtype)
        self.x_misc = x_misc
        if self.x.ndim != 4:
            raise ValueError(
                "Input data in `NumpyArrayIterator` should have rank 4. You passed an array "
                f"with shape {self.x.shape}"
            )
        channels_axis = 3 if data_format == "channels_last" else 1
        if self.x.shape[channels_axis] not in {1, 3, 4}:
            warnings.warn(
                f'NumpyArrayIterator is set to use the data format convention "{data_format}" '
                f"(channels on axis {channels_axis}), i.e. expected either 1, 3, or 4 channels "
                f"on axis {channels_axis}. However, it was passed an array with shape "
                f"{self.x.shape} ({self.x.shape[channels_axis]} channels).", stacklevel=2)
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.image_data_generator = image_data_generator
        self.data_format = data_format
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array), *self.x.shape[1:]), dtype=self.dtype)
        for i, j in enumerate(index_array):
            batch_x[i] = _augment(self.image_data_generator, self.x[j].astype(self.dtype))
        if self.save_to_dir:
            _save_batch(batch_x, index_array, self, 1e4)
        misc = [v[index_array] for v in self.x_misc]
        output = (batch_x if not misc else [batch_x, *misc],)
        if self.y is None:
            return output[0]
        output += (self.y[index_array],)
        if self.sample_weight is not None:
            output += (self.sample_weight[index_array],)
        return output


def _valid_files(directory, formats, follow_links):
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links),
                                 key=lambda entry: entry[0]):
        for name in sorted(files):
            if name.lower().endswith(".tiff"):
                warnings.warn('Using ".tiff" files with multiple bands will cause distortion. '
                              "Please verify your output.", stacklevel=3)
            if name.lower().endswith(formats):
                yield root, name


class DirectoryIterator(Iterator):
    """Batches of the images in ``directory``'s class sub-folders (sorted; or ``classes``),
    loaded at ``target_size`` in ``color_mode``, transformed by ``image_data_generator``;
    labels by ``class_mode``: ``"categorical"`` (one-hot), ``"binary"``/``"sparse"`` (the
    class index), ``"input"`` (the images) or ``None`` (images only)."""

    allowed_class_modes = {"categorical", "binary", "sparse", "input", None}

    def __init__(self, directory, image_data_generator, target_size=(256, 256),
                 color_mode="rgb", classes=None, class_mode="categorical", batch_size=32,
                 shuffle=True, seed=None, data_format=None, save_to_dir=None, save_prefix="",
                 save_format="png", follow_links=False, subset=None, interpolation="nearest",
                 keep_aspect_ratio=False, dtype=None):
        self.data_format = data_format or image_data_format()
        self.dtype = dtype or floatx()
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        self.keep_aspect_ratio = keep_aspect_ratio
        depth = {"rgba": 4, "rgb": 3, "grayscale": 1}.get(color_mode)
        if depth is None:
            raise ValueError(
                f'Invalid color mode: {color_mode}; expected "rgb", "rgba", or "grayscale".'
            )
        self.color_mode = color_mode
        self.image_shape = (self.target_size + (depth,) if self.data_format == "channels_last"
                            else (depth,) + self.target_size)
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        self.interpolation = interpolation
        split = None
        if subset is not None:
            fraction = image_data_generator._validation_split
            if subset not in ("validation", "training"):
                raise ValueError(
                    f'Invalid subset name: {subset};expected "training" or "validation"'
                )
            split = (0, fraction) if subset == "validation" else (fraction, 1)
        self.split, self.subset = split, subset
        if class_mode not in self.allowed_class_modes:
            raise ValueError(
                f"Invalid class_mode: {class_mode}; expected one of: {self.allowed_class_modes}"
            )
        self.directory = directory
        self.class_mode = class_mode
        if not classes:
            classes = [d for d in sorted(os.listdir(directory))
                       if os.path.isdir(os.path.join(directory, d))]
        self.num_classes = len(classes)
        self.class_indices = dict(zip(classes, range(len(classes)), strict=True))
        self.filenames, labels = [], []
        for name in classes:
            folder = os.path.join(directory, name)
            found = list(_valid_files(folder, self.white_list_formats, follow_links))
            if split:
                found = found[int(split[0] * len(found)) : int(split[1] * len(found))]
            for root, fname in found:
                labels.append(self.class_indices[name])
                self.filenames.append(
                    os.path.join(name, os.path.relpath(os.path.join(root, fname), folder)))
        self.samples = len(self.filenames)
        self.classes = np.array(labels, dtype="int32")
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        self._filepaths = [os.path.join(directory, f) for f in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        """The images' paths, in ``classes``' order."""
        return self._filepaths

    @property
    def labels(self):
        """Each image's class index."""
        return self.classes

    @property
    def sample_weight(self):
        """``None``: a folder of images has no sample weights."""
        return None

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array), *self.image_shape), dtype=self.dtype)
        for i, j in enumerate(index_array):
            img = image_utils.load_img(
                self._filepaths[j], color_mode=self.color_mode, target_size=self.target_size,
                interpolation=self.interpolation, keep_aspect_ratio=self.keep_aspect_ratio)
            x = image_utils.img_to_array(img, data_format=self.data_format)
            img.close()
            batch_x[i] = _augment(self.image_data_generator, x) if self.image_data_generator else x
        if self.save_to_dir:
            _save_batch(batch_x, index_array, self, 1e7)
        if self.class_mode == "input":
            return batch_x, batch_x.copy()
        if self.class_mode in {"binary", "sparse"}:
            return batch_x, self.classes[index_array].astype(self.dtype)
        if self.class_mode == "categorical":
            batch_y = np.zeros((len(batch_x), len(self.class_indices)), dtype=self.dtype)
            batch_y[np.arange(len(batch_x)), self.classes[index_array]] = 1.0
            return batch_x, batch_y
        return batch_x


__all__ = ["DirectoryIterator", "Iterator", "NumpyArrayIterator"]
