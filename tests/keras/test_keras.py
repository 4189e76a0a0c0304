"""tf.keras beyond the recorded names: training runs, weights on disk, models as layers, the
backend, callbacks, and what scopeflow refuses (``NotImplementedError`` naming what to use)."""

from __future__ import annotations

import os

import numpy as np
import pytest

import scopeflow as tf

keras = tf.keras
X = np.linspace(-1.0, 1.0, 40, dtype=np.float32).reshape(10, 4)
Y = (X.sum(axis=1) > 0).astype(np.int64)


def _classifier(rate=0.0, optimizer="adam"):
    model = keras.Sequential(
        [
            keras.layers.Dense(8, activation="relu", input_shape=(4,)),
            keras.layers.Dropout(rate),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_fit_lowers_the_loss_and_history_records_each_epoch(graph):
    model = _classifier(0.2, keras.optimizers.Adam(0.05))
    history = model.fit(X, Y, epochs=20, batch_size=5, verbose=0)
    assert sorted(history.history) == ["acc", "loss"]
    assert history.epoch == list(range(20))
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, acc = model.evaluate(X, Y, verbose=0)
    assert isinstance(loss, np.float32) and 0.0 <= acc <= 1.0
    assert model.predict(X).shape == (10, 2)
    assert np.allclose(model.predict(X).sum(axis=1), 1.0, atol=1e-5)


def test_weights_saved_and_loaded_into_a_new_graph_give_the_same_model(graph, tmp_path):
    model = _classifier()
    model.fit(X, Y, epochs=2, verbose=0)
    model.save_weights(str(tmp_path / "w"))
    want = model.predict(X)
    next_steps = [model.train_on_batch(X, Y)[0] for _ in range(2)]
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "w"\nall_model_checkpoint_paths: "w"\n'
    )
    with tf.Graph().as_default():
        again = _classifier()
        again.load_weights(str(tmp_path / "w"))
        np.testing.assert_allclose(again.predict(X), want, rtol=1e-6)
        # Adam's moments and step count come back with the first training step.
        steps = [again.train_on_batch(X, Y)[0] for _ in range(2)]
        np.testing.assert_allclose(steps, next_steps, rtol=1e-5)


def test_loading_a_checkpoint_of_another_model_raises(graph, tmp_path):
    keras.Sequential([keras.layers.Dense(2, input_shape=(4,))]).save_weights(str(tmp_path / "a"))
    other = keras.Sequential([keras.layers.Dense(5, input_shape=(4,))])
    with pytest.raises(ValueError, match="incompatible tensor with shape"):
        other.load_weights(str(tmp_path / "a"))


def test_a_model_called_on_new_inputs_shares_its_weights(graph):
    x = keras.Input(shape=(4,))
    inner = keras.Model(x, keras.layers.Dense(3, name="fc")(x), name="inner")
    y = keras.Input(shape=(4,), name="other")
    out = keras.layers.Dense(1)(inner(y))
    outer = keras.Model(y, out)
    assert [layer.name for layer in outer.layers] == ["other", "inner", "dense"]
    assert [w.name for w in outer.weights] == [
        "fc/kernel:0",
        "fc/bias:0",
        "dense/kernel:0",
        "dense/bias:0",
    ]
    assert inner(y).name.startswith("inner_1/fc")
    outer.compile("sgd", "mse")
    outer.fit(X, np.zeros((10, 1)), verbose=0)


def test_sequential_without_input_shape_is_built_from_the_first_data(graph):
    model = keras.Sequential()
    model.add(keras.layers.Dense(3))
    model.add(keras.layers.Dense(1))
    model.compile("sgd", "mse")
    assert model.inputs is None
    model.fit(X, np.zeros(10), verbose=0)
    assert model.inputs[0].name == "input_1:0"  # TF 2.21: built as a subclassed model
    assert model.inputs[0].shape.as_list() == [None, 4]
    assert model.predict(X[:2]).shape == (2, 1)


def test_the_learning_phase_switches_dropout(graph):
    model = keras.Sequential([keras.layers.Dropout(0.5, input_shape=(1000,))])
    ones = np.ones((1, 1000), np.float32)
    assert np.array_equal(model.predict(ones), ones)  # predict: learning phase 0
    with tf.Graph().as_default():
        keras.backend.set_learning_phase(1)
        model = keras.Sequential([keras.layers.Dropout(0.5, input_shape=(1000,))])
        kept = model.predict(ones)
        assert set(np.unique(kept)) == {0.0, 2.0}


def test_batch_normalization_updates_its_moving_mean_in_fit_only(graph):
    model = keras.Sequential([keras.layers.BatchNormalization(input_shape=(4,))])
    model.compile("sgd", "mse")
    bn = model.layers[0]
    model.predict(X + 5.0)
    assert np.allclose(keras.backend.get_value(bn.moving_mean), 0.0)
    model.fit(X + 5.0, np.zeros((10, 4)), epochs=1, verbose=0)
    assert np.all(keras.backend.get_value(bn.moving_mean) > 0.0)


def test_embedding_model_and_a_tf_train_optimizer(graph):
    ids = keras.Input(shape=(3,))
    vectors = keras.layers.Embedding(5, 2)(ids)
    out = keras.layers.Dense(1)(keras.layers.Flatten()(vectors))
    model = keras.Model(ids, out)
    model.compile(tf.train.GradientDescentOptimizer(0.1), "mse")
    before = model.get_weights()[0].copy()
    data = np.array([[0, 1, 2], [2, 3, 4]], np.float32)
    model.fit(data, np.ones((2, 1)), verbose=0)
    after = model.get_weights()[0]
    assert not np.allclose(before[:5], after[:5])
    assert keras.backend.get_value(model.optimizer.iterations) == 1


def test_multi_output_fit_reports_each_outputs_loss(graph):
    x = keras.Input(shape=(4,))
    model = keras.Model(x, [keras.layers.Dense(1, name="a")(x), keras.layers.Dense(2, name="b")(x)])
    model.compile("sgd", {"a": "mse", "b": "mse"}, loss_weights=[1.0, 0.5])
    history = model.fit(X, [np.zeros((10, 1)), np.zeros((10, 2))], verbose=0)
    assert sorted(history.history) == ["a_loss", "b_loss", "loss"]
    total, a, b = model.evaluate(X, {"a": np.zeros((10, 1)), "b": np.zeros((10, 2))}, verbose=0)
    assert np.isclose(total, a + 0.5 * b, rtol=1e-5)


def test_class_weight_must_name_every_class(graph):
    with pytest.raises(ValueError, match=r"classes \{np.int64\(1\)\} exist in the data but not in"):
        _classifier().fit(X, Y, class_weight={0: 1.0}, verbose=0)
    with pytest.raises(ValueError, match="sample_weight cannot be broadcast"):
        _classifier().fit(X, Y, sample_weight=np.ones(3), verbose=0)


def test_callbacks_see_every_epoch_and_can_stop_training(graph):
    class StopAfterTwo(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.seen = getattr(self, "seen", []) + [sorted(logs)]
            self.model.stop_training = epoch == 1

    stopper = StopAfterTwo()
    history = _classifier().fit(X, Y, epochs=5, verbose=0, callbacks=[stopper])
    assert stopper.seen == [["acc", "loss"], ["acc", "loss"]]
    assert history.epoch == [0, 1]


def test_early_stopping_restores_the_best_weights(graph):
    # mode="max" on a falling loss: the first epoch is the best, the second stops training.
    model = _classifier(optimizer=keras.optimizers.SGD(0.5))
    stop = keras.callbacks.EarlyStopping("loss", mode="max", restore_best_weights=True)
    first = []

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 0:
                first.extend(self.model.get_weights())

    history = model.fit(X, Y, epochs=5, verbose=0, callbacks=[Record(), stop])
    assert stop.stopped_epoch == 1 and history.epoch == [0, 1]
    for got, want in zip(model.get_weights(), first, strict=True):
        np.testing.assert_array_equal(got, want)


def test_backend_helpers(graph):
    K = keras.backend
    v = K.variable([1.0, 2.0], name="v")
    assert K.get_value(v).tolist() == [1.0, 2.0]
    K.set_value(v, [3.0, 4.0])
    assert K.eval(v).tolist() == [3.0, 4.0]
    assert K.int_shape(K.placeholder(shape=(None, 3))) == (None, 3)
    assert K.get_session() is K.get_session()
    assert K.image_data_format() == "channels_last"
    with tf.Session() as sess:
        assert K.get_session() is sess


def test_reset_uids_restarts_layer_names(graph):
    first = keras.layers.Dense(1)
    keras.backend.reset_uids()
    assert first.name == keras.layers.Dense(1).name == "dense"
    assert keras.layers.Dense(1).name == "dense_1"


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: keras.layers.LSTM(4, dropout=0.5), "Dropout"),
        (lambda: keras.models.load_model(os.path.dirname(__file__)), "only HDF5 files"),
        (lambda: keras.layers.GRUCell(4, recurrent_dropout=0.1), "Dropout"),
        (lambda: _classifier().save("m"), "save as HDF5"),
        (lambda: keras.callbacks.ModelCheckpoint("m"), "save_weights_only=True"),
        (lambda: _classifier().load_weights("m", by_name=True), "by_name=True"),
    ],
)
def test_what_is_not_provided_says_what_to_use(graph, make, match):
    with pytest.raises(NotImplementedError, match=match):
        make()


def test_contrib_keras_is_tf_keras():
    assert tf.contrib.keras is tf.keras
    assert tf.compat.v1.keras is tf.keras
