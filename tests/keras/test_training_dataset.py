"""Model.fit / evaluate / predict on tf.data datasets and on arrays with steps, as tf_keras
2.21's compat.v1 graph-mode loop runs them (its numbers, logs and messages on the same
data)."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

import scopeflow as tf

keras = tf.keras
X = np.random.RandomState(0).randn(10, 3).astype(np.float32)
Y = (X.sum(1, keepdims=True) > 0).astype(np.float32)
W = np.linspace(0, 1, 10).astype(np.float32)
D = tf.data.Dataset.from_tensor_slices


def _model():
    model = keras.Sequential(
        [
            keras.layers.Dense(
                1,
                activation="sigmoid",
                input_shape=(3,),
                kernel_initializer=keras.initializers.Constant(0.1),
            )
        ]
    )
    model.compile(keras.optimizers.SGD(0.5), "binary_crossentropy", metrics=["acc"])
    return model


class _Record(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.sizes = []

    def on_train_batch_end(self, batch, logs=None):
        self.sizes.append(logs["size"])


def test_fit_evaluate_predict_on_a_repeated_dataset(graph):
    model, record = _model(), _Record()
    history = model.fit(
        D((X, Y)).batch(4).repeat(),
        steps_per_epoch=3,
        epochs=2,
        verbose=0,
        callbacks=[record],
        validation_data=D((X, Y)).batch(3),
        validation_steps=2,
    )
    # each step counts as one: the loss is the mean over the steps; the validation iterator
    # starts again each epoch
    np.testing.assert_allclose(history.history["loss"], [0.4572618, 0.2237527], rtol=1e-6)
    np.testing.assert_allclose(history.history["val_loss"], [0.2312868, 0.1453071], rtol=1e-6)
    assert record.sizes == [1] * 6
    assert (record.params["steps"], record.params["samples"]) == (3, 3)
    loss, acc = model.evaluate(D((X, Y)).batch(4), steps=3, verbose=0)
    assert isinstance(loss, np.float32) and acc == 1.0
    np.testing.assert_allclose(loss, 0.16658002, rtol=1e-6)
    loss, _ = model.evaluate(D((X, Y)).batch(4), verbose=0)  # steps from the cardinality
    assert isinstance(loss, np.float64)
    np.testing.assert_allclose(loss, 0.16658002, rtol=1e-6)
    np.testing.assert_allclose(
        model.predict(D(X).batch(4), steps=3)[:, 0],
        [
            0.946354,
            0.947325,
            0.789008,
            0.866094,
            0.830974,
            0.821442,
            0.2864,
            0.768294,
            0.86944,
            0.884136,
        ],
        atol=2e-6,
    )


def test_unknown_cardinality_is_read_to_its_end(graph):
    model = _model()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        history = model.fit(
            D((X, Y)).filter(lambda a, b: a[0] > -5).batch(4),
            epochs=2,
            verbose=2,
            validation_data=D((X, Y)).batch(5),
        )
    np.testing.assert_allclose(history.history["loss"], [0.4572618, 0.2237527], rtol=1e-6)
    np.testing.assert_allclose(history.history["val_loss"], [0.2616872, 0.173591], rtol=1e-6)
    assert out.getvalue().startswith("Train on None steps, validate on 2 steps\nEpoch 1/2\n")


def test_sample_weights_in_the_dataset_and_class_weight_ignored(graph, caplog):
    weighted = _model().fit(D((X, Y, W)).batch(4), verbose=0, epochs=2)
    np.testing.assert_allclose(weighted.history["loss"], [0.3113007, 0.1956013], rtol=1e-6)
    with tf.Graph().as_default():
        ignored = _model().fit(D((X, Y)).batch(4), verbose=0, epochs=2, class_weight={1: 2.0})
    np.testing.assert_allclose(ignored.history["loss"], [0.4572618, 0.2237527], rtol=1e-6)
    assert "class_weight is ignored" in caplog.text


def test_dataset_running_out_and_errors(graph, caplog):
    model = _model()
    model.fit(D((X, Y)).batch(4), steps_per_epoch=2, epochs=2, verbose=0)
    assert "at least `steps_per_epoch * epochs` batches (in this case, 4 batches)" in caplog.text
    data = D((X, Y)).batch(4)
    for kwargs, message in [
        ({}, "infinitely repeating dataset, you must specify the `steps_per_epoch`"),
        ({"y": Y}, "you should not specify a target"),
        ({"sample_weight": W}, "`sample_weight` argument is not supported"),
        ({"validation_split": 0.2}, "`validation_split` argument is not supported"),
        ({"batch_size": 3}, "`batch_size` argument must not be specified"),
    ]:
        with pytest.raises(ValueError, match=message):
            model.fit(data.repeat() if not kwargs else data, verbose=0, **kwargs)
    with pytest.raises(ValueError, match="must specify the `validation_steps`"):
        model.fit(data, verbose=0, validation_data=data.repeat())


def test_arrays_with_steps_take_all_the_arrays_each_step(graph):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        history = _model().fit(
            X,
            Y,
            steps_per_epoch=2,
            verbose=2,
            validation_data=(X[:4], Y[:4]),
            validation_steps=3,
        )
    np.testing.assert_allclose(history.history["loss"], [0.5151777], rtol=1e-6)
    np.testing.assert_allclose(history.history["val_loss"], [0.279493], rtol=1e-6)
    assert out.getvalue().startswith("Train on 2 samples, validate on 4 samples\n2/2 - ")
    with tf.Graph().as_default():
        model = _model()
        history = model.fit(X, Y, steps_per_epoch=2, epochs=2, verbose=0)
        np.testing.assert_allclose(history.history["loss"], [0.5151777, 0.3021982], rtol=1e-6)
    with tf.Graph().as_default():
        model = _model()
        np.testing.assert_allclose(
            model.evaluate(X, Y, steps=2, verbose=0)[0], 0.6016885, rtol=1e-6
        )
        assert model.predict(X[:3], steps=2).shape == (6, 1)
        with pytest.raises(ValueError, match="Please specify the `validation_steps` argument"):
            model.fit(X, Y, steps_per_epoch=2, verbose=0, validation_data=(X, Y))


def test_fit_on_arrays_validates_on_a_dataset(graph):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        history = _model().fit(
            X,
            Y,
            batch_size=4,
            epochs=2,
            verbose=2,
            validation_data=D((X, Y)).batch(3),
            shuffle=False,
        )
    # 4 steps from the cardinality, the mean over them, the dataset started again each epoch
    np.testing.assert_allclose(history.history["val_loss"], [0.25455, 0.165183], rtol=2e-6)
    np.testing.assert_allclose(history.history["loss"], [0.485538, 0.236443], rtol=2e-6)
    assert out.getvalue().startswith("Train on 10 samples, validate on 4 samples\n")
    with pytest.raises(ValueError, match="`validation_data` must be arrays"):
        _model().fit(X, Y, validation_data=iter([(X, Y)]), validation_steps=1, verbose=0)


def test_fit_evaluate_predict_on_tensors_with_steps(graph):
    model = _model()
    iterator = D((X, Y)).batch(4).repeat().make_one_shot_iterator()
    x, y = iterator.get_next()
    with pytest.raises(ValueError, match="data tensors as input to a model, you should specify"):
        model.fit(x, y, verbose=0)
    # each step evaluates the tensors once (one get_next), as tf_keras feeds its model
    history = model.fit(x, y, steps_per_epoch=3, epochs=2, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [0.457262, 0.223753], rtol=2e-6)
    np.testing.assert_allclose(model.evaluate(x, y, steps=2, verbose=0)[0], 0.18410736, rtol=1e-6)
    assert model.predict(x, steps=2).shape == (6, 1)
    np.testing.assert_allclose(model.train_on_batch(x, y)[0], 0.24571653, rtol=1e-6)
