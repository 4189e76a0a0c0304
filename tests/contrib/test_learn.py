"""Tests for ``tf.contrib.learn`` (scopeflow/contrib/learn/): MNIST's ``read_data_sets`` on IDX
files written here, its ``DataSet.next_batch`` order (NumPy's global generator seeded as TF1
seeds it), the CSV loaders, ``VocabularyProcessor``, and the tutorial model module
``tensorflow.examples.tutorials.mnist.mnist``."""

from __future__ import annotations

import gzip
import os
import pickle
import struct

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.contrib.learn.datasets import base
from scopeflow.examples.tutorials.mnist import input_data, mnist

learn = tf.contrib.learn


def _write_idx(path, magic, dims, data):
    with gzip.open(path, "wb") as f:
        f.write(struct.pack(f">{1 + len(dims)}I", magic, *dims) + data.tobytes())


@pytest.fixture
def mnist_dir(tmp_path):
    """MNIST's four files with 12 training and 5 test images of 28x28; image i is filled
    with the value i and labelled i % 10."""
    for prefix, count in (("train", 12), ("t10k", 5)):
        images = np.repeat(np.arange(count, dtype=np.uint8), 784).reshape(count, 28, 28)
        labels = (np.arange(count) % 10).astype(np.uint8)
        _write_idx(tmp_path / f"{prefix}-images-idx3-ubyte.gz", 2051, (count, 28, 28), images)
        _write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte.gz", 2049, (count,), labels)
    return str(tmp_path)


def test_read_data_sets_splits_scales_and_one_hots(mnist_dir, capsys):
    data = input_data.read_data_sets(mnist_dir, one_hot=True, validation_size=2)
    assert "Extracting" in capsys.readouterr().out  # as TF1 prints
    assert (data.train.num_examples, data.validation.num_examples, data.test.num_examples) == (
        10,
        2,
        5,
    )
    assert data.train.images.shape == (10, 784) and data.train.images.dtype == np.float32
    np.testing.assert_allclose(data.validation.images[1, :3], 1 / 255.0)
    assert data.test.labels.shape == (5, 10) and data.test.labels.dtype == np.float64
    assert data.test.labels[3].argmax() == 3
    raw = learn.datasets.mnist.read_data_sets(
        mnist_dir, dtype=tf.uint8, reshape=False, validation_size=0
    )
    assert raw.train.images.shape == (12, 28, 28, 1) and raw.train.images.dtype == np.uint8
    assert raw.train.labels.tolist() == [i % 10 for i in range(12)]


def test_next_batch_follows_tf1s_seeded_order_across_epochs(mnist_dir):
    data = input_data.read_data_sets(mnist_dir, dtype=tf.uint8, validation_size=2, seed=5)
    order = np.random.RandomState(5).permutation(10)  # the first epoch's shuffle
    images, labels = data.train.next_batch(4)
    np.testing.assert_array_equal(images[:, 0], order[:4] + 2)  # +2: validation came first
    seen = [images[:, 0]]
    for _ in range(2):
        seen.append(data.train.next_batch(4)[0][:, 0])
    # 12 examples drawn: the first epoch's 10, each once, then two of the next epoch
    assert sorted(np.concatenate(seen)[:10]) == list(range(2, 12))
    assert data.train.epochs_completed == 1
    again = input_data.read_data_sets(mnist_dir, dtype=tf.uint8, validation_size=2, seed=5)
    np.testing.assert_array_equal(again.train.next_batch(4)[0], images)
    ordered = input_data.read_data_sets(mnist_dir, dtype=tf.uint8, validation_size=2)
    np.testing.assert_array_equal(ordered.train.next_batch(3, shuffle=False)[1], [2, 3, 4])


def test_fake_data_batches():
    fake = input_data.read_data_sets("unused", fake_data=True)
    images, labels = fake.train.next_batch(3, fake_data=True)
    assert len(images) == 3 and images[0] == [1] * 784 and labels == [0, 0, 0]


def test_bad_files_and_arguments_are_named(mnist_dir, tmp_path):
    with pytest.raises(ValueError, match="between 0 and 12. Received: 20"):
        input_data.read_data_sets(mnist_dir, validation_size=20)
    with pytest.raises(TypeError, match="Invalid image dtype .*expected uint8 or float32"):
        input_data.read_data_sets(mnist_dir, dtype=tf.int32, validation_size=2)
    bad = tmp_path / "bad.gz"
    _write_idx(bad, 2049, (1, 28, 28), np.zeros(784, np.uint8))
    with open(bad, "rb") as f, pytest.raises(ValueError, match="Invalid magic number 2049"):
        input_data.extract_images(f)
    _write_idx(bad, 2051, (3, 28, 28), np.zeros(784, np.uint8))
    with open(bad, "rb") as f, pytest.raises(ValueError, match="truncated"):
        input_data.extract_images(f)


def test_maybe_download_copies_once_and_names_the_way_out(tmp_path):
    source = tmp_path / "source.bin"
    source.write_bytes(b"payload")
    target = tmp_path / "data"
    path = base.maybe_download("file.bin", str(target), source.as_uri())
    assert open(path, "rb").read() == b"payload" and os.listdir(target) == ["file.bin"]
    source.write_bytes(b"changed")
    assert open(base.maybe_download("file.bin", str(target), "unused"), "rb").read() == b"payload"
    with pytest.raises(OSError, match="put the file in the data directory"):
        base._download_with_retry((tmp_path / "missing").as_uri(), attempts=1)


def test_csv_loaders(tmp_path):
    with_header = tmp_path / "h.csv"
    with_header.write_text("3,2,setosa,versicolor\n5.1,3.5,0\n4.9,3.0,1\n6.2,2.9,2\n")
    data = base.load_csv_with_header(str(with_header), np.int32, np.float32)
    assert data.data.shape == (3, 2) and data.data.dtype == np.float32
    assert data.target.tolist() == [0, 1, 2]
    plain = tmp_path / "p.csv"
    plain.write_text("1,5.0,6.0\n0,7.0,8.0\n")
    data = base.load_csv_without_header(str(plain), int, float, target_column=0)
    assert data.target.tolist() == [1, 0] and data.data.tolist() == [[5.0, 6.0], [7.0, 8.0]]


def test_vocabulary_processor_fits_transforms_trims_and_reverses():
    assert list(learn.preprocessing.tokenizer(["HTMLParser can't re-use it."])) == [
        ["HTML", "Parser", "can't", "re-use", "it"]
    ]
    docs = ["the cat sat on the mat", "the dog", "a cat"]
    processor = learn.preprocessing.VocabularyProcessor(5)
    rows = np.array(list(processor.fit_transform(docs)))
    assert rows.dtype == np.int64
    assert rows.tolist() == [[1, 2, 3, 4, 1], [1, 6, 0, 0, 0], [7, 2, 0, 0, 0]]
    assert len(processor.vocabulary_) == 8
    assert list(processor.transform(["the unseen cat"]))[0].tolist() == [1, 0, 2, 0, 0]
    assert list(processor.reverse([[7, 2, 0]])) == ["a cat <UNK>"]
    frequent = learn.preprocessing.VocabularyProcessor(3, min_frequency=1).fit(docs)
    # words seen more than once, by falling count then alphabetically: the (3), cat (2)
    assert [frequent.vocabulary_.reverse(i) for i in range(3)] == ["<UNK>", "the", "cat"]
    assert list(frequent.transform(["cat the dog"]))[0].tolist() == [2, 1, 0]
    with pytest.raises(ValueError, match="support_reverse"):
        learn.preprocessing.CategoricalVocabulary(support_reverse=False).reverse(0)


def test_vocabulary_processor_saves_json_and_refuses_pickles(tmp_path):
    processor = learn.preprocessing.VocabularyProcessor(4).fit(["b a b", "c"])
    path = tmp_path / "vocab"
    processor.save(str(path))
    restored = learn.preprocessing.VocabularyProcessor.restore(str(path))
    assert list(restored.transform(["a b c d"]))[0].tolist() == [2, 1, 3, 0]
    assert restored.max_document_length == 4 and len(restored.vocabulary_) == 4
    path.write_bytes(pickle.dumps({"not": "loaded"}))
    with pytest.raises(ValueError, match="does not unpickle"):
        learn.preprocessing.VocabularyProcessor.restore(str(path))
    path.write_text("{}")
    with pytest.raises(ValueError, match="not a VocabularyProcessor file"):
        learn.preprocessing.VocabularyProcessor.restore(str(path))


def test_byte_processor_round_trips():
    processor = learn.preprocessing.ByteProcessor(6)
    rows = list(processor.transform(["héllo", "a"]))
    assert rows[1].tolist() == [97, 0, 0, 0, 0, 0]
    assert list(processor.reverse(rows)) == ["héllo", "a"]


def test_tutorial_model_trains_with_its_names(graph):
    images = tf.placeholder(tf.float32, [None, mnist.IMAGE_PIXELS])
    labels = tf.placeholder(tf.int32, [None])
    logits = mnist.inference(images, 8, 4)
    loss = mnist.loss(logits, labels)
    train = mnist.training(loss, 0.1)
    correct = mnist.evaluation(logits, labels)
    assert [v.op.name for v in tf.global_variables()] == [
        *("hidden1/weights", "hidden1/biases", "hidden2/weights", "hidden2/biases"),
        *("softmax_linear/weights", "softmax_linear/biases", "global_step"),
    ]
    assert correct.dtype == tf.int32 and tf.get_collection(tf.GraphKeys.SUMMARIES)
    feed = {images: np.random.default_rng(0).random((6, 784)), labels: [0, 1, 2, 3, 4, 5]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(loss, feed)
        for _ in range(5):
            sess.run(train, feed)
        assert sess.run(loss, feed) < before
        assert 0 <= sess.run(correct, feed) <= 6


def test_the_old_estimators_point_to_tf_estimator():
    assert learn.ModeKeys.INFER == "infer"
    with pytest.raises(NotImplementedError, match="use tf.estimator instead"):
        learn.DNNClassifier  # noqa: B018
