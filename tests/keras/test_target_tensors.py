"""``Model.compile(target_tensors=...)`` as TF1's Keras takes it: a placeholder target fed from
``y``, a computed target (no ``y``), a model of tensors alone trained by steps, the list and
dict forms and their errors. Every number and message below was printed by TF 2.21
(tf_keras, ``TF_USE_LEGACY_KERAS=1``, ``tf.disable_v2_behavior()``)."""

import numpy as np
import pytest

import scopeflow as tf

k = tf.keras


def _data():
    rng = np.random.RandomState(0)
    return rng.randn(8, 3).astype("float32"), rng.randn(8, 1).astype("float32")


def _model(x=None):
    x = k.Input((3,)) if x is None else x
    dense = k.layers.Dense(1, kernel_initializer=k.initializers.Constant(0.2))
    return k.Model(x, dense(x))


def test_a_placeholder_target_is_fed_from_y(graph):
    x, y = _data()
    model = _model()
    labels = tf.placeholder(tf.float32, [None, 1], name="labels")
    model.compile(k.optimizers.SGD(0.1), "mse", metrics=["mae"], target_tensors=[labels])
    assert not [op for op in graph.get_operations() if op.name.endswith("_target")]
    loss_inputs = graph.get_operation_by_name("loss/dense_loss/SquaredDifference").inputs
    assert [t.name for t in loss_inputs] == ["dense/BiasAdd:0", "labels:0"]
    metric_inputs = graph.get_operation_by_name("metrics/mean_absolute_error/sub").inputs
    assert [t.name for t in metric_inputs] == ["dense/BiasAdd:0", "labels:0"]
    history = model.fit(x, y, verbose=0, epochs=2, batch_size=4, shuffle=False)
    np.testing.assert_allclose(
        history.history["loss"], [1.6287720203399658, 1.5291667580604553], rtol=1e-6
    )
    np.testing.assert_allclose(
        history.history["mean_absolute_error"],
        [1.1185939311981201, 1.0950599908828735],
        rtol=1e-6,
    )
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), [1.187443, 0.9097947], 1e-6)


def test_a_computed_target_takes_no_y(graph):
    x, y = _data()
    model = _model()
    model.compile(k.optimizers.SGD(0.1), "mse", target_tensors=[tf.constant(y)])
    history = model.fit(x, verbose=0, epochs=2, batch_size=8)
    np.testing.assert_allclose(
        history.history["loss"], [1.3679313659667969, 1.3085458278656006], rtol=1e-6
    )
    with pytest.raises(ValueError, match="checking model target: expected no data, but got"):
        model.fit(x, y, verbose=0)
    np.testing.assert_allclose(model.evaluate(x, verbose=0, batch_size=8), 1.2590892, 1e-6)
    np.testing.assert_allclose(model.train_on_batch(x), 1.2590892, 1e-6)
    np.testing.assert_allclose(model.predict(x[:2]).ravel(), [0.74347442, 0.41829854], 1e-6)


def test_a_model_of_tensors_trains_by_steps(graph):
    x, y = _data()
    model = _model(k.Input(tensor=tf.constant(x)))
    model.compile(k.optimizers.SGD(0.1), "mse", target_tensors=tf.constant(y))
    history = model.fit(epochs=3, steps_per_epoch=2, verbose=0)
    np.testing.assert_allclose(
        history.history["loss"],
        [1.3382385969161987, 1.2383618354797363, 1.1679195761680603],
        rtol=1e-6,
    )
    np.testing.assert_allclose(model.train_on_batch(None, None), 1.1280028, 1e-6)
    np.testing.assert_allclose(model.evaluate(steps=2, verbose=0), 1.1065549, 1e-6)
    np.testing.assert_allclose(
        model.predict(None, steps=1).ravel()[[0, 1, 7]], [0.8230437, 0.21534574, 0.13857454], 1e-6
    )


def test_forms_and_errors(graph):
    x = k.Input((3,))
    model = k.Model(x, [k.layers.Dense(1, name="a")(x), k.layers.Dense(2, name="b")(x)])
    model.compile("sgd", "mse", target_tensors={"b": tf.placeholder(tf.float32, [None, 2])})
    assert _target_ops(graph) == ["a_target"]
    with pytest.raises(ValueError, match="Unknown entry in `target_tensors` dictionary"):
        model.compile("sgd", "mse", target_tensors={"nope": tf.placeholder(tf.float32)})
    with pytest.raises(ValueError, match="should have one entry per model output. The model has 2"):
        model.compile("sgd", "mse", target_tensors=[tf.placeholder(tf.float32, [None, 1])])
    with pytest.raises(TypeError, match="to be a list or tuple or dict or a single tensor"):
        model.compile("sgd", "mse", target_tensors=3)
    model.compile("sgd", "mse", target_tensors=[None, None])  # Keras's placeholders again
    assert _target_ops(graph) == ["a_target", "a_target_1", "b_target"]


def _target_ops(graph) -> list:
    return [op.name for op in graph.get_operations() if "_target" in op.name]
