"""Keras weight regularization as TF 2.21's tf_keras builds it in compat.v1 graph mode
(numbers and names from the reference venv): ``L1``/``L2``/``L1L2``'s ops and configs,
regularization losses made each time ``losses`` is asked (under ``<variable>/Regularizer``),
``compile`` asking twice (``loss/.../Regularizer`` in the total loss, ``Regularizer_1``
unused), activity regularization last, and recurrent cells' losses counted once."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

R = tf.keras.regularizers
L = tf.keras.layers


def _ops(graph, scope):
    return [(op.name, op.type) for op in graph.get_operations() if op.name.startswith(scope)]


@pytest.mark.parametrize(
    ("regularizer", "value", "ops"),
    [
        (R.l1(0.1), 1.0, ["Abs", "Const", "Sum", "Const", "Mul"]),
        (R.l2(0.1), 3.0, ["L2Loss", "Const", "Mul"]),
        (R.l1_l2(0.1, 0.2), 7.0,
         ["Const", "Abs", "Const", "Sum", "Const", "Mul", "AddV2", "L2Loss", "Const", "Mul",
          "AddV2"]),
        (R.L1L2(l2=0.3), 9.0, ["Const", "L2Loss", "Const", "Mul", "AddV2"]),
        ("l2", 0.3, ["L2Loss", "Const", "Mul"]),
    ],
)  # fmt: skip
def test_regularizer_ops_and_values_match_tf(graph, regularizer, value, ops):
    x = tf.constant([[1.0, -2.0], [3.0, 4.0]])
    with tf.name_scope("R"):
        loss = R.get(regularizer)(x)
    assert [t for _, t in _ops(graph, "R/")] == ops
    with tf.Session() as sess:
        assert sess.run(loss) == pytest.approx(value, rel=1e-6)


def test_l2_multiplies_l2_loss_by_twice_its_factor(graph):
    R.l2(0.1)(tf.constant([1.0]))
    with tf.Session() as sess:
        assert sess.run(graph.get_tensor_by_name("mul/x:0")) == np.float32(0.2)


def test_configs_and_lookups_match_tf():
    assert type(R.l1()).__name__ == "L1" and type(R.get("l2")).__name__ == "L2"
    assert R.serialize(R.l2(0.1)) == {"class_name": "L2", "config": {"l2": 0.10000000149011612}}
    assert R.l2(None).get_config() == {"l2": 0.009999999776482582}
    assert R.l2(l=0.2).get_config() == {"l2": 0.20000000298023224}
    assert R.L1L2(l1=None).get_config() == {"l1": 0.0, "l2": 0.0}
    assert R.get("l1_l2").get_config() == {"l1": 0.009999999776482582, "l2": 0.009999999776482582}
    assert R.get({"class_name": "L2", "config": {"l2": 0.5}}).get_config() == {"l2": 0.5}


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: R.l2("a"), ValueError, "not a valid regularization penalty number, expected"),
        (lambda: R.l1(float("inf")), ValueError, "an infinite number or NaN are not valid"),
        (lambda: R.L2(0.1, foo=1), TypeError, r"Argument\(s\) not recognized"),
        (lambda: R.get("foo"), ValueError, "Unknown regularizer: 'foo'"),
        (lambda: R.get(5), ValueError, "Could not interpret regularizer identifier: 5"),
        (lambda: R.Regularizer().get_config(), NotImplementedError, "does not implement"),
    ],
)
def test_bad_regularizers_raise_as_tf(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_losses_are_made_when_asked_and_compile_asks_twice(graph):
    inputs = tf.keras.Input((3,))
    hidden = L.Dense(2, kernel_regularizer="l2", bias_regularizer=R.l1(0.5), name="d1")(inputs)
    inner = tf.keras.Sequential(
        [L.Dense(2, input_shape=(2,), kernel_regularizer=R.l1_l2(0.1, 0.1))], name="sub"
    )
    model = tf.keras.Model(inputs, inner(hidden))
    assert not [op for op in graph.get_operations() if "Regularizer" in op.name]
    assert [t.name for t in model.losses] == [
        "d1/kernel/Regularizer/mul:0",
        "d1/bias/Regularizer/mul:0",
        "dense/kernel/Regularizer/add_1:0",
    ]
    model.compile("sgd", "mse")
    assert [t.name for t in graph.get_operation_by_name("loss/AddN").inputs] == [
        "loss/d1/kernel/Regularizer/mul:0",
        "loss/d1/bias/Regularizer/mul:0",
        "loss/dense/kernel/Regularizer/add_1:0",
    ]
    assert graph.get_operation_by_name("loss/dense/kernel/Regularizer_1/add_1").type == "AddV2"
    assert model.total_loss.name == "loss/AddN_1:0"
    assert [t.name for t in model.losses][0] == "d1/kernel/Regularizer_1/mul:0"
    assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == []


class _AddsLoss(L.Layer):
    def call(self, x):
        self.add_loss(0.5 * tf.reduce_mean(x))
        return x


def test_lstm_model_losses_order_and_training_match_tf(graph):
    inputs = tf.keras.Input((4, 3))
    h = L.LSTM(2, kernel_regularizer="l2", recurrent_regularizer=R.l1(0.1), name="lstm")(inputs)
    h = L.Dense(3, activity_regularizer="l1", name="act")(h)
    h = _AddsLoss(name="addl")(h)
    out = L.Dense(1, kernel_regularizer=R.L1L2(0.01, 0.02), name="out")(h)
    model = tf.keras.Model(inputs, out)
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    assert [t.name for t in graph.get_operation_by_name("loss/AddN").inputs] == [
        "loss/lstm/lstm_cell/kernel/Regularizer/mul:0",
        "loss/lstm/lstm_cell/recurrent_kernel/Regularizer/mul:0",
        "addl/mul:0",
        "loss/out/kernel/Regularizer/add_1:0",
        "act/ActivityRegularizer/truediv:0",
    ]
    for i, w in enumerate(model.weights):
        shape = w.shape.as_list()
        tf.keras.backend.set_value(w, np.sin(np.arange(np.prod(shape)) + i).reshape(shape) * 0.5)
    x = np.cos(np.arange(24)).reshape(2, 4, 3).astype("f")
    y = np.array([[0.5], [-0.2]], "f")
    history = model.fit(x, y, epochs=3, verbose=0, batch_size=2)
    np.testing.assert_allclose(history.history["loss"], [0.54948, 0.5218, 0.49618], atol=2e-5)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(0.47147, abs=2e-5)


def test_stacked_cells_bidirectional_and_time_distributed_count_each_loss_once(graph):
    inputs = tf.keras.Input((4, 3))
    cells = [L.SimpleRNNCell(2, kernel_regularizer="l2"), L.GRUCell(2, bias_regularizer="l1")]
    h = L.RNN(cells, return_sequences=True, name="rnn")(inputs)
    h = L.Bidirectional(L.SimpleRNN(2, kernel_regularizer="l1", return_sequences=True),
                        name="bi")(h)  # fmt: skip
    out = L.TimeDistributed(L.Dense(1, kernel_regularizer="l2"), name="td")(h)
    model = tf.keras.Model(inputs, out)
    assert [t.name for t in model.losses] == [
        "rnn/stacked_rnn_cells/simple_rnn_cell/kernel/Regularizer/mul:0",
        "rnn/stacked_rnn_cells/gru_cell/bias/Regularizer/mul:0",
        "bi/forward_simple_rnn/simple_rnn_cell/kernel/Regularizer/mul:0",
        "bi/backward_simple_rnn/simple_rnn_cell/kernel/Regularizer/mul:0",
        "td/kernel/Regularizer/mul:0",
    ]
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    for i, w in enumerate(model.weights):
        shape = w.shape.as_list()
        tf.keras.backend.set_value(w, np.sin(np.arange(np.prod(shape)) + i).reshape(shape) * 0.5)
    x = np.cos(np.arange(24)).reshape(2, 4, 3).astype("f")
    y = np.sin(np.arange(8)).reshape(2, 4, 1).astype("f")
    history = model.fit(x, y, epochs=3, verbose=0, batch_size=2)
    np.testing.assert_allclose(history.history["loss"], [0.55235, 0.51748, 0.50592], atol=2e-5)


def test_activity_loss_of_a_call_on_another_input_is_left_out(graph):
    dense = L.Dense(2, activity_regularizer="l1", name="r")
    dense(tf.keras.Input((3,), name="other"))
    inputs = tf.keras.Input((3,), name="mine")
    model = tf.keras.Model(inputs, dense(inputs))
    model.compile("sgd", "mse")
    assert [t.name for t in model.losses] == [
        "r/ActivityRegularizer/truediv:0",
        "r_1/ActivityRegularizer/truediv:0",
    ]
    assert [t.name for t in graph.get_operation_by_name("loss/AddN").inputs] == [
        "loss/mul:0",
        "r_1/ActivityRegularizer/truediv:0",  # as TF's: only the call on the model's input
    ]
