"""Runs Keras's data utilities on the same inputs under TensorFlow's Keras or scopeflow and
writes every output to a ``.npz``, so the two can be compared (the expected numbers in
tests/keras/datasets/ and tests/keras/preprocessing/ come from the TensorFlow side)::

    TF_USE_LEGACY_KERAS=1 PYTHONPATH=<dir with scipy and PIL> \\
        /tmp/tfref/bin/python tools/keras_data_reference.py tf /tmp/keras_data_tf.npz
    .venv/bin/python tools/keras_data_reference.py scopeflow /tmp/keras_data_sf.npz
    .venv/bin/python tools/keras_data_reference.py compare /tmp/keras_data_{tf,sf}.npz

Covered: the dataset loaders on tests/keras/datasets/fake_keras_files.py's files (download
hash checks switched off on both sides), ``preprocessing.text`` (``Tokenizer`` in every
mode), ``preprocessing.sequence`` (``skipgrams`` after ``random.seed``,
``TimeseriesGenerator``), ``utils.to_ordinal`` and ``preprocessing.image`` (affine warps,
seeded ``random_*`` transforms and ``ImageDataGenerator`` batches, ``fit``,
``flow_from_directory``, image files). Set-ordered tables (``Tokenizer.word_docs``) are left
out: their order follows string hashing, which differs between any two processes.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "cat and dog, cat AND dog",
         "Hello\tworld-wide web"]


def _load(which: str):
    if which == "tf":
        import tensorflow.compat.v1 as tf
        import tf_keras.src.utils.data_utils as data_utils

        data_utils.validate_file = lambda *a, **k: True
        return tf
    sys.path.insert(0, str(ROOT))
    import scopeflow as tf
    import scopeflow.keras.datasets.download as download

    download.validate_file = lambda *a, **k: True
    return tf


def _datasets(tf, out: dict, root: str) -> None:
    sys.path.insert(0, str(ROOT / "tests/keras/datasets"))
    from fake_keras_files import write_all

    write_all(root)
    ds = tf.keras.datasets

    def keep(name, result):
        (x_train, y_train), (x_test, y_test) = result
        for i, part in enumerate((x_train, y_train, x_test, y_test)):
            out[f"{name}/{i}"] = np.array(f"{part.shape} {part.dtype} {part.tolist()!r}")

    for kwargs in [{}, {"num_words": 10}, {"num_words": 12, "skip_top": 3, "seed": 7},
                   {"maxlen": 5}, {"oov_char": None, "num_words": 15},
                   {"start_char": None, "index_from": 2}]:
        keep(f"imdb{kwargs}", ds.imdb.load_data(cache_dir=root, **kwargs))
        keep(f"reuters{kwargs}", ds.reuters.load_data(cache_dir=root, **kwargs))
    keep("reuters_split", ds.reuters.load_data(cache_dir=root, test_split=0.5, seed=3))
    keep("boston", ds.boston_housing.load_data(cache_dir=root, test_split=0.3, seed=5))
    keep("mnist", ds.mnist.load_data(cache_dir=root))
    keep("fashion", ds.fashion_mnist.load_data(cache_dir=root))
    keep("cifar100", ds.cifar100.load_data(cache_dir=root, label_mode="coarse"))


def _text(tf, out: dict) -> None:
    text, seq = tf.keras.preprocessing.text, tf.keras.preprocessing.sequence
    out["md5"] = np.array(repr([text.hashing_trick(t, 20, hash_function="md5") for t in TEXTS]))
    for kwargs in [{}, {"num_words": 5}, {"oov_token": "<OOV>", "num_words": 6},
                   {"char_level": True}, {"lower": False, "oov_token": "?"}]:
        tok = text.Tokenizer(**kwargs)
        tok.fit_on_texts(TEXTS)
        out[f"tok{kwargs}/index"] = np.array(repr(tok.word_index))
        out[f"tok{kwargs}/seq"] = np.array(repr(tok.texts_to_sequences(TEXTS + ["new cat"])))
        out[f"tok{kwargs}/txt"] = np.array(repr(tok.sequences_to_texts([[1, 2, 3, 99]])))
        for mode in ("binary", "count", "freq", "tfidf"):
            out[f"tok{kwargs}/{mode}"] = tok.texts_to_matrix(TEXTS[:2] + ["zzz cat"], mode=mode)
    out["sampling"] = seq.make_sampling_table(12, sampling_factor=0.05)
    random.seed(3)
    out["skipgrams"] = np.array(repr(seq.skipgrams([1, 4, 0, 3, 5, 2], 8, window_size=2,
                                                   seed=11)))
    gen = seq.TimeseriesGenerator(np.arange(20).reshape(10, 2), np.arange(10) * 10, length=4,
                                  sampling_rate=2, stride=3, start_index=1, batch_size=2,
                                  reverse=True)
    out["timeseries"] = gen[0][0]
    out["ordinal"] = tf.keras.utils.to_ordinal([[1], [0], [3], [2]])


def _image(tf, out: dict, root: str) -> None:
    from PIL import Image

    img = tf.keras.preprocessing.image
    rng = np.random.RandomState(0)
    x = rng.rand(3, 7, 9) * 255
    for i, case in enumerate([{"theta": 30}, {"tx": 1.5, "ty": -2.2}, {"shear": 20},
                              {"zx": 0.8, "zy": 1.3}, {"theta": 45, "fill_mode": "constant"},
                              {"theta": 45, "fill_mode": "reflect", "order": 3}]):
        out[f"affine{i}"] = img.apply_affine_transform(x, **case)
    np.random.seed(1)
    out["rotation"] = img.random_rotation(x, 40)
    out["brightness"] = img.apply_brightness_shift(x.transpose(1, 2, 0), 1.4)
    imgs = rng.rand(10, 6, 8, 3) * 255
    gen = img.ImageDataGenerator(
        rotation_range=20, width_shift_range=0.1, height_shift_range=[1, 2], shear_range=5,
        zoom_range=0.2, channel_shift_range=10, horizontal_flip=True, vertical_flip=True,
        brightness_range=(0.8, 1.2), rescale=1 / 255.0, fill_mode="reflect")
    flow = gen.flow(imgs, np.arange(10), batch_size=4, seed=7)
    for k in range(3):
        out[f"flow{k}"], out[f"flow{k}/y"] = next(flow)
    fitted = img.ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
    fitted.fit(imgs)
    out["fit_mean"], out["fit_std"] = fitted.mean, fitted.std
    root = os.path.join(root, "images")
    for cls, n in (("cat", 3), ("dog", 4)):
        os.makedirs(os.path.join(root, cls))
        for i in range(n):
            pixels = (rng.rand(9, 11, 3) * 255).astype(np.uint8)
            Image.fromarray(pixels).save(os.path.join(root, cls, f"im{i}.png"))
    folders = img.ImageDataGenerator(horizontal_flip=True).flow_from_directory(
        root, target_size=(5, 6), batch_size=4, seed=3, interpolation="bilinear")
    out["dir_files"] = np.array(folders.filenames)
    out["dir0"], out["dir0/y"] = next(folders)
    out["load_img"] = img.img_to_array(img.load_img(
        os.path.join(root, "cat", "im1.png"), target_size=(4, 7), interpolation="bicubic"))


def _compare(a_path: str, b_path: str) -> int:
    a, b = np.load(a_path), np.load(b_path)
    bad = sorted(set(a.files) ^ set(b.files))
    for key in sorted(set(a.files) & set(b.files)):
        if a[key].shape != b[key].shape or not np.array_equal(a[key], b[key]):
            bad.append(key)
    print(f"{len(a.files)} outputs, {len(bad)} differ: {bad}")
    return 1 if bad else 0


def main() -> int:
    if sys.argv[1] == "compare":
        return _compare(sys.argv[2], sys.argv[3])
    tf = _load(sys.argv[1])
    out: dict = {}
    with tempfile.TemporaryDirectory() as root:
        _datasets(tf, out, root)
        _text(tf, out)
        _image(tf, out, root)
    np.savez(sys.argv[2], **out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
