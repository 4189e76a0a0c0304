"""``compile``'s metrics as TF 2.21's tf_keras picks and names them in compat.v1 graph mode
(names, variables and numbers from the reference venv), and the ``training_config`` an HDF5
file keeps of them (``weighted_metrics``, ``sample_weight_mode``, hyperparameters as their
float32 variables hold them) and what ``load_model`` makes of it."""

from __future__ import annotations

import json

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras
L = K.layers


def _model(outputs: int = 2):
    x = K.Input((2,))
    ys = [L.Dense(1, name=f"o{k + 1}")(x) for k in range(outputs)]
    return K.Model(x, ys if outputs > 1 else ys[0])


def _evaluate(model, outputs: int = 2):
    for w in model.weights:
        K.backend.set_value(w, np.full(w.shape.as_list(), 0.3))
    x = np.cos(np.arange(8)).reshape(4, 2).astype("f")
    y = np.sin(np.arange(4)).reshape(4, 1).astype("f")
    return model.evaluate(x, [y] * outputs if outputs > 1 else y, verbose=0)


def _variables(model) -> list:
    return sorted({v.op.name for metric in model.metrics for v in metric.variables})


def test_names_taken_get_a_suffix_and_objects_take_their_final_name(graph):
    model = _model(1)
    first = K.metrics.MeanAbsoluteError(name="loss")
    model.compile("sgd", "mse", metrics=[first, K.metrics.MeanAbsoluteError(name="o1_loss")])
    assert model.metrics_names == ["loss", "loss_1", "o1_loss"]
    assert first.name == "loss_1"
    np.testing.assert_allclose(_evaluate(model, 1), [0.62016, 0.7797, 0.7797], atol=1e-5)


def test_one_list_for_several_outputs_clones_metric_objects(graph):
    model = _model()
    given = K.metrics.MeanAbsoluteError(name="o2_mae")
    model.compile("sgd", "mse", metrics=[given, "mae"])
    assert model.metrics_names[3:] == [
        "o1_o2_mae",
        "o1_mean_absolute_error",
        "o2_o2_mae",
        "o2_mean_absolute_error",
    ]
    assert given.name == "o2_mae" and all(m is not given for m in model.metrics)
    assert _variables(model) == [f"{n}_{k}" for n in ("count", "total") for k in range(1, 5)]
    np.testing.assert_allclose(
        _evaluate(model), [1.24032, 0.62016, 0.62016] + [0.7797] * 4, atol=1e-5
    )


def test_list_of_lists_per_output(graph):
    model = _model()
    model.compile("sgd", "mse", metrics=[["mae"], ["mse", "acc"]])
    assert model.metrics_names[3:] == [
        "o1_mean_absolute_error",
        "o2_mean_squared_error",
        "o2_acc",
    ]
    np.testing.assert_allclose(
        _evaluate(model), [1.24032, 0.62016, 0.62016, 0.7797, 0.62016, 0.0], atol=1e-5
    )


def test_dicts_of_metrics_and_weighted_metrics(graph):
    other = _model()
    other.compile(
        "sgd", "mse", metrics={"o1": "mae", "o2": ["mse", "mae"]}, weighted_metrics={"o2": "mae"}
    )
    assert other.metrics_names[3:] == [
        "o1_mean_absolute_error",
        "o2_mean_squared_error",
        "o2_mean_absolute_error",
        "o2_weighted_mean_absolute_error",
    ]
    assert _variables(other) == ["count", "count_1", "count_2", "count_3"] + [
        "total",
        "total_1",
        "total_2",
        "total_3",
    ]


def test_one_metric_per_name_the_last_kept(graph):
    model = _model(1)
    model.compile("sgd", "mse", metrics=["mae", "mae"], weighted_metrics=["mae"])
    assert model.metrics_names == ["loss", "mean_absolute_error", "weighted_mean_absolute_error"]
    assert _variables(model) == ["count_1", "count_2", "total_1", "total_2"]
    np.testing.assert_allclose(_evaluate(model, 1), [0.62016, 0.7797, 0.7797], atol=1e-5)


@pytest.mark.parametrize(
    ("metrics", "error", "words"),
    [
        ([["mae"]], ValueError, r"list of lists as `metrics`, it should have one entry per"),
        ("mae", TypeError, "Type of `metrics` argument not understood. .*found: mae"),
        (5, TypeError, "Type of `metrics` argument not understood"),
        (
            {"o1": "mae", "o3": "mse"},
            ValueError,
            r"Unknown entries in metrics dictionary: \['o3'\]",
        ),
    ],
)
def test_bad_metrics_arguments_raise_as_tf(graph, metrics, error, words):
    with pytest.raises(error, match=words):
        _model().compile("sgd", "mse", metrics=metrics)


def test_h5_keeps_weighted_metrics_and_load_names_them_as_tf(graph, tmp_path):
    h5py = pytest.importorskip("h5py")
    model = _model()
    model.compile(
        "sgd",
        "mse",
        metrics={"o1": [K.metrics.MeanAbsoluteError(name="xmae"), "mae"]},
        weighted_metrics={"o2": [K.metrics.MeanAbsoluteError(name="wm"), "acc"]},
        sample_weight_mode={"o1": None, "o2": None},
    )
    path = str(tmp_path / "m.h5")
    model.save(path)
    with h5py.File(path, "r") as f:
        config = json.loads(f.attrs["training_config"])
    assert config["sample_weight_mode"] == {"o1": None, "o2": None}
    assert config["weighted_metrics"] == {
        "o2": [{"class_name": "MeanAbsoluteError", "config": {"name": "o2_weighted_wm",
                                                               "dtype": "float32"}}, "acc"]
    }  # fmt: skip
    assert config["metrics"]["o1"][0]["config"]["name"] == "o1_xmae"
    loaded = K.models.load_model(path)
    assert loaded.metrics_names == [
        "loss",
        "o1_loss",
        "o2_loss",
        "o1_xmae",
        "o1_mean_absolute_error",
        "weighted_o2_weighted_wm",  # as TF's loader: the weighted prefix again
        "o2_weighted_acc",
    ]
    assert loaded.sample_weight_mode is None  # saved, but not restored by TF's loader


def test_trained_optimizer_config_holds_float32_values(graph, tmp_path):
    sgd = K.optimizers.SGD(0.1, momentum=0.5)
    assert sgd.get_config()["learning_rate"] == 0.1
    K.backend.set_value(sgd.lr, 0.3)
    assert sgd.get_config() == {
        "name": "SGD",
        "learning_rate": 0.30000001192092896,
        "decay": 0.0,
        "momentum": 0.5,
        "nesterov": False,
    }


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        ("mse", "mean_squared_error"),
        ({"o1": "mae", "o2": "binary_crossentropy"}, {"o1": "mean_absolute_error",
                                                      "o2": "binary_crossentropy"}),
        (["mse", "mae"], ["mean_squared_error", "mean_absolute_error"]),
    ],
)  # fmt: skip
def test_loaded_model_loss_is_the_function_named(graph, tmp_path, loss, expected):
    model = _model(1 if isinstance(loss, str) else 2)
    model.compile("sgd", loss)
    path = str(tmp_path / "m.h5")
    model.save(path)
    loaded = K.models.load_model(path).loss
    if isinstance(loaded, dict):
        assert {k: v.__name__ for k, v in loaded.items()} == expected
    elif isinstance(loaded, list):
        assert [v.__name__ for v in loaded] == expected
    else:
        assert loaded.__name__ == expected
