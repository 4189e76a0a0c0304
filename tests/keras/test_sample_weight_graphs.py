"""Keras's sample weights in the graph, as TF 2.21's tf_keras in graph mode makes them: no
``<output>_sample_weights`` until a call passes weights (or ``sample_weight_mode`` asks at
compile), then the weights (``placeholder_with_default`` of ones), the weighted metrics and
the loss made again (``loss_1``, ``metrics_2``...) each time a call starts or stops passing
weights, and only the function of that call made again (``training_2``, ``evaluation_1``).

Expected values: TF 2.21 (``TF_USE_LEGACY_KERAS=1``, ``tf.compat.v1`` with
``disable_v2_behavior()``) running the same calls. Each stage lists the top name scopes (and
top-level ops) of the Keras-made ops it added, in order of creation."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf

_KERAS_TOPS = re.compile(
    r"^(Const(_\d+)?|\w+_sample_weights(_\d+)?|loss(_\d+)?|metrics(_\d+)?|training(_\d+)?"
    r"|evaluation(_\d+)?|predict(_\d+)?)(/|$)"
)
X = np.arange(8, dtype=np.float32).reshape(2, 4) / 8
Y = np.ones((2, 3), np.float32)
SW = np.array([1.0, 2.0], np.float32)
XT = np.arange(40, dtype=np.float32).reshape(2, 5, 4) / 40
YT = np.ones((2, 5, 3), np.float32)
YC = np.array([0, 2])
YY = [Y, np.array([0, 1])]


def _sequential():
    m = tf.keras.Sequential([tf.keras.layers.Dense(3, input_shape=(4,), kernel_initializer="ones")])
    m.compile("sgd", "mse", metrics=["mae"], weighted_metrics=["mse"])
    return m


def _two_outputs():
    i = tf.keras.Input((4,), name="inp")
    a = tf.keras.layers.Dense(3, kernel_initializer="ones", name="a")(i)
    b = tf.keras.layers.Dense(2, kernel_initializer="ones", activation="softmax", name="b")(i)
    m = tf.keras.Model(i, [a, b])
    m.compile(
        "adam",
        ["mse", "sparse_categorical_crossentropy"],
        metrics=["mae"],
        weighted_metrics=["acc"],
        loss_weights=[1.0, 0.5],
    )
    return m


def _temporal():
    m = tf.keras.Sequential(
        [tf.keras.layers.Dense(3, input_shape=(5, 4), kernel_initializer="ones")]
    )
    m.compile("sgd", "mse", sample_weight_mode="temporal", weighted_metrics=["mae"])
    return m


def _classes():
    m = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(
                3, input_shape=(4,), kernel_initializer="ones", activation="softmax"
            )
        ]
    )
    m.compile("sgd", "sparse_categorical_crossentropy", metrics=["acc"])
    return m


SCENARIOS = {
    "sequential": (
        _sequential,
        ["loss", "metrics", "metrics_1"],
        [
            (
                lambda m: m.fit(X, Y, verbose=0).history,
                {"loss": 1.5625, "mean_absolute_error": 1.0, "weighted_mean_squared_error": 1.5625},
                ["training", "training_1"],
            ),
            (lambda m: m.evaluate(X, Y, verbose=0), [1.53675, 0.99615, 1.53675], ["evaluation"]),
            (
                lambda m: m.fit(X, Y, verbose=0, sample_weight=SW).history,
                {
                    "loss": 3.04015,
                    "mean_absolute_error": 0.99615,
                    "weighted_mean_squared_error": 2.02676,
                },
                [
                    "Const",
                    "dense_sample_weights",
                    "metrics_2",
                    "loss_1",
                    "training_2",
                    "training_3",
                ],
            ),
            # as TF: the test function made before weights were passed is kept, and the
            # weights are not fed to it (same numbers as unweighted)
            (
                lambda m: m.evaluate(X, Y, verbose=0, sample_weight=SW),
                [1.4848, 0.98836, 1.4848],
                [],
            ),
            (
                lambda m: m.evaluate(X, Y, verbose=0),
                [1.4848, 0.98836, 1.4848],
                ["metrics_3", "loss_2", "evaluation_1"],
            ),
            (lambda m: m.predict(X).sum(), 10.27622, ["predict"]),
        ],
    ),
    "two_outputs": (
        _two_outputs,
        ["loss", "metrics", "metrics_1"],
        [
            (
                lambda m: m.fit(X, YY, verbose=0).history,
                {
                    "a_loss": 1.5625,
                    "a_mean_absolute_error": 1.0,
                    "a_weighted_acc": 1.0,
                    "b_loss": 0.69315,
                    "b_mean_absolute_error": 0.5,
                    "b_weighted_acc": 0.5,
                    "loss": 1.90907,
                },
                ["training", "training_1"],
            ),
            (
                lambda m: m.fit(X, YY, verbose=0, sample_weight=[SW, None]).history,
                {
                    "a_loss": 3.08108,
                    "a_mean_absolute_error": 0.999,
                    "a_weighted_acc": 1.0,
                    "b_loss": 0.69215,
                    "b_mean_absolute_error": 0.5,
                    "b_weighted_acc": 0.5,
                    "loss": 3.42715,
                },
                [
                    "Const",
                    "a_sample_weights",
                    "Const_1",
                    "b_sample_weights",
                    "metrics_2",
                    "loss_1",
                    "training_2",
                    "training_3",
                ],
            ),
            (
                lambda m: m.evaluate(X, YY, verbose=0, sample_weight={"a": SW, "b": SW}),
                [3.5866, 3.06892, 1.03535, 0.99804, 1.0, 0.5, 0.66667],
                ["evaluation"],
            ),
            (
                lambda m: m.train_on_batch(X, YY),
                [1.89609, 2.30972, 0.86325, 0.99804, 1.0, 0.5, 0.6],
                ["metrics_3", "loss_2", "training_4", "training_5"],
            ),
            (
                lambda m: m.test_on_batch(X, YY, sample_weight=[SW, SW]),
                [3.57382, 3.05712, 1.03341, 0.9971, 1.0, 0.5, 0.66667],
                [
                    "Const_2",
                    "a_sample_weights_1",
                    "Const_3",
                    "b_sample_weights_1",
                    "metrics_4",
                    "loss_3",
                    "evaluation_1",
                ],
            ),
        ],
    ),
    "temporal": (
        _temporal,
        ["Const", "dense_sample_weights", "loss", "metrics_1"],
        [
            (
                lambda m: m.fit(XT, YT, verbose=0).history,
                {"loss": 2.2225, "weighted_mean_absolute_error": 1.22},
                ["metrics_2", "loss_1", "training", "training_1"],
            ),
            (
                lambda m: (
                    m.fit(XT, YT, verbose=0, sample_weight=np.arange(10.0).reshape(2, 5)).history
                ),
                {"loss": 15.92482, "weighted_mean_absolute_error": 1.68866},
                [
                    "Const_1",
                    "dense_sample_weights_1",
                    "metrics_3",
                    "loss_2",
                    "training_2",
                    "training_3",
                ],
            ),
            (
                lambda m: m.evaluate(XT, YT, verbose=0),
                [1.85562, 1.12521],
                ["metrics_4", "loss_3", "evaluation"],
            ),
        ],
    ),
    "class_weight": (
        _classes,
        ["loss", "metrics"],
        [
            (
                lambda m: m.fit(X, YC, verbose=0, class_weight={0: 1.0, 1: 1.0, 2: 3.0}).history,
                {"acc": 0.5, "loss": 2.19722},
                ["Const", "dense_sample_weights", "loss_1", "training", "training_1"],
            ),
            (
                lambda m: m.fit(X, YC, verbose=0, validation_data=(X, YC)).history,
                {"acc": 0.5, "loss": 1.08717, "val_acc": 0.5, "val_loss": 1.08299},
                ["loss_2", "training_2", "training_3", "evaluation"],
            ),
            (
                lambda m: (
                    m.fit(X, YC, verbose=0, sample_weight=SW, validation_data=(X, YC)).history
                ),
                {"acc": 0.5, "loss": 1.61541, "val_acc": 0.5, "val_loss": 1.07546},
                [
                    "Const_1",
                    "dense_sample_weights_1",
                    "loss_3",
                    "training_4",
                    "training_5",
                    "loss_4",
                    "evaluation_1",
                ],
            ),
            (
                lambda m: m.evaluate(X, YC, verbose=0, sample_weight=SW),
                [1.59969, 0.5],
                ["Const_2", "dense_sample_weights_2", "loss_5", "evaluation_2"],
            ),
        ],
    ),
}


def _tops(names) -> list:
    tops = []
    for name in names:
        top = name.split("/")[0]
        if _KERAS_TOPS.match(name) and top not in tops:
            tops.append(top)
    return tops


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_calls_make_tf_keras_sample_weights_losses_and_functions(graph, scenario):
    build, at_compile, stages = SCENARIOS[scenario]
    model = build()
    seen = {op.name for op in graph.get_operations()}
    assert sorted(_tops(seen)) == at_compile
    for index, (call, expected, tops) in enumerate(stages):
        value = call(model)
        new = [op.name for op in graph.get_operations() if op.name not in seen]
        seen.update(new)
        assert (index, _tops(new)) == (index, tops)
        if isinstance(expected, dict):  # a History's last values
            value = {k: v[-1] for k, v in value.items()}
            assert value == {k: pytest.approx(v, abs=2e-5) for k, v in expected.items()}
        else:
            assert np.asarray(value).tolist() == pytest.approx(expected, abs=2e-5)


def test_rebuilt_weighted_loss_ops_as_tf(graph):
    model = _sequential()
    model.fit(X, Y, verbose=0, sample_weight=SW)
    names = [op.name for op in graph.get_operations() if op.name.startswith("loss_1/")]
    weights = graph.get_operation_by_name("dense_sample_weights")
    default = weights.inputs[0].op
    suffixes = "SquaredDifference Mean/reduction_indices Mean weighted_loss/Mul Const Sum "
    suffixes += "num_elements num_elements/Cast Rank range/start range/delta range Sum_1 value"
    expected = [f"loss_1/dense_loss/{s}" for s in suffixes.split()] + ["loss_1/mul/x", "loss_1/mul"]
    assert names == expected
    assert (weights.type, default.name, weights.outputs[0].shape.as_list()) == (
        "PlaceholderWithDefault",
        "Const",
        [None],
    )


def test_unweighted_loss_multiplies_by_a_constant_one(graph):
    _sequential()
    assert graph.get_operation_by_name("loss/dense_loss/weighted_loss/Const").type == "Const"
    assert not [op for op in graph.get_operations() if "sample_weights" in op.name]


def test_state_update_groups_wait_for_the_first_fetch(graph):
    model = _sequential()
    model.evaluate(X, Y, verbose=0)
    model.predict(X)
    evaluation = graph.get_operation_by_name("evaluation/group_deps")
    predict = graph.get_operation_by_name("predict/group_deps")
    assert [op.name for op in evaluation.control_inputs] == ["loss/mul"]
    assert [op.name for op in predict.control_inputs] == ["dense/BiasAdd"]


def test_metric_resets_and_set_weights_make_their_assigns_once(graph):
    # TF: set_weights and the metrics' reset at fit make one Placeholder (+ assign) per
    # variable, kept: later fits, evaluates and set_weights add no ops
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(3, input_shape=(4,), kernel_initializer="ones")]
    )
    model.compile("sgd", "mse", metrics=["mae"])
    x, y = np.ones((2, 4)), np.zeros((2, 3))
    model.set_weights([np.ones((4, 3)), np.zeros(3)])
    model.fit(x, y, verbose=0)
    model.evaluate(x, y, verbose=0)
    count = len(graph.get_operations())
    model.fit(x, y, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.set_weights([np.ones((4, 3)), np.zeros(3)])
    assert len(graph.get_operations()) == count
    placeholders = [op.name for op in graph.get_operations() if op.name.startswith("Placeholder")]
    assert placeholders == ["Placeholder", "Placeholder_1", "Placeholder_2", "Placeholder_3"]
    assert tf.placeholder(tf.float32).name == "Placeholder_4:0"
    assert model.evaluate(x, y, verbose=0) == pytest.approx([16.0, 4.0])


def test_outputs_losses_are_running_means_in_the_graph(graph):
    # TF: with several outputs, each output's loss feeds a Mean (variables total_2, count_2,
    # total_3, count_3 after the compiled metrics'), built in the loss scope; the fetched
    # per-output losses are those running means
    i = tf.keras.Input((4,), name="inp")
    a = tf.keras.layers.Dense(3, kernel_initializer="ones", name="a")(i)
    b = tf.keras.layers.Dense(2, kernel_initializer="ones", name="b")(i)
    model = tf.keras.Model(i, [a, b])
    model.compile("sgd", ["mse", "mse"], metrics=["mae"])
    variables = [op.name for op in graph.get_operations() if op.type == "VarHandleOp"]
    assert variables[4:] == ["total", "count", "total_1", "count_1"] + [
        "total_2",
        "count_2",
        "total_3",
        "count_3",
    ]
    top = [op.name for op in graph.get_operations() if op.name.count("/") == 1]
    loss_ops = [n for n in top if n.startswith("loss/")]
    tf_order = ["loss/Rank", "loss/Sum", "loss/Size", "loss/Cast", "loss/div_no_nan", "loss/mul"]
    assert [n for n in loss_ops if n in tf_order] == tf_order
    assert loss_ops[-1] == "loss/AddN"
    x = np.arange(12.0).reshape(3, 4) / 12
    y = [np.ones((3, 3)), np.ones((3, 2))]
    history = model.fit(x, y, batch_size=2, epochs=2, verbose=0, shuffle=False).history
    # TF 2.21 (tf_keras)
    np.testing.assert_allclose(history["a_loss"], [2.5735474, 2.4456949], rtol=1e-6)
    np.testing.assert_allclose(history["b_loss"], [2.568661, 2.3794334], rtol=1e-6)
    np.testing.assert_allclose(history["loss"], [3.7429534, 3.5149194], rtol=1e-6)
    results = model.evaluate(x, y, batch_size=2, verbose=0)
    np.testing.assert_allclose(
        results, [3.3178577, 2.3332362, 2.2172234, 1.1192654, 1.0961804], rtol=1e-6
    )


def test_the_first_train_function_makes_the_learning_phase(graph):
    # TF: fit makes keras_learning_phase (and its default, keras_learning_phase/input) first
    model = _sequential()
    count = len(graph.get_operations())
    model.fit(X, Y, verbose=0)
    new = graph.get_operations()[count:]
    assert [(op.name, op.type) for op in new[:2]] == [
        ("keras_learning_phase/input", "Const"),
        ("keras_learning_phase", "PlaceholderWithDefault"),
    ]


def test_unweighted_metrics_make_their_variables_first(graph):
    # TF: every output's unweighted metrics, then the weighted ones; metrics_names per output
    i = tf.keras.Input((4,), name="inp")
    a = tf.keras.layers.Dense(3, name="a")(i)
    b = tf.keras.layers.Dense(2, activation="softmax", name="b")(i)
    model = tf.keras.Model(i, [a, b])
    model.compile(
        "adam",
        ["mse", "sparse_categorical_crossentropy"],
        metrics=["mae", "mse"],
        weighted_metrics=["acc"],
    )
    totals = {m.name: m.variables[0].name for m in model.metrics}
    assert totals == {
        "a_mean_absolute_error": "total:0",
        "a_mean_squared_error": "total_1:0",
        "a_weighted_acc": "total_4:0",
        "b_mean_absolute_error": "total_2:0",
        "b_mean_squared_error": "total_3:0",
        "b_weighted_acc": "total_5:0",
    }
    assert model.metrics_names[3:] == [
        "a_mean_absolute_error",
        "a_mean_squared_error",
        "a_weighted_acc",
        "b_mean_absolute_error",
        "b_mean_squared_error",
        "b_weighted_acc",
    ]
