"""EstimatorSpec's checks (TF1's error types and wording) and ModeKeys."""

from __future__ import annotations

import pytest

import scopeflow as tf
from scopeflow.estimator.model_fn import fn_args, verify_model_fn_args

Mode = tf.estimator.ModeKeys


def test_mode_keys_are_tf1s_strings():
    assert (Mode.TRAIN, Mode.EVAL, Mode.PREDICT) == ("train", "eval", "infer")


@pytest.mark.parametrize(
    "mode, given, message",
    [
        (Mode.TRAIN, {"loss": "scalar"}, "Missing train_op."),
        (Mode.TRAIN, {"train_op": "op"}, "Missing loss."),
        (Mode.EVAL, {}, "Missing loss."),
        (Mode.PREDICT, {}, "Missing predictions."),
    ],
)
def test_a_field_the_mode_needs_is_required(graph, mode, given, message):
    values = {"scalar": tf.constant(1.0), "op": tf.no_op()}
    with pytest.raises(ValueError, match=message):
        tf.estimator.EstimatorSpec(mode, **{k: values[v] for k, v in given.items()})


def test_fields_default_as_tf1s(graph):
    spec = tf.estimator.EstimatorSpec(Mode.EVAL, loss=tf.constant(1.0))
    assert spec.predictions == {} and spec.eval_metric_ops == {}
    assert spec.training_hooks == () and spec.train_op is None
    assert isinstance(spec.scaffold, tf.train.Scaffold)


def test_a_loss_of_one_element_is_reshaped_to_a_scalar(graph):
    spec = tf.estimator.EstimatorSpec(Mode.EVAL, loss=tf.constant([[2.0]]))
    assert spec.loss.shape.as_list() == [] and spec.loss.op.type == "Reshape"


def test_a_loss_of_more_elements_is_refused(graph):
    with pytest.raises(ValueError, match="Loss must be scalar, given: "):
        tf.estimator.EstimatorSpec(Mode.EVAL, loss=tf.constant([1.0, 2.0]))


def test_a_variable_as_train_op_becomes_its_op(graph):
    v = tf.Variable(1.0, name="v")
    spec = tf.estimator.EstimatorSpec(Mode.TRAIN, loss=tf.constant(1.0), train_op=v)
    assert spec.train_op is v.op


@pytest.mark.parametrize(
    "given, error, message",
    [
        ({"loss": 1.0}, TypeError, "loss must be Tensor, given: 1.0"),
        ({"train_op": 3}, TypeError, "train_op must be Operation or Tensor, given: 3"),
        ({"predictions": {"a": 1}}, TypeError, r"predictions\[a\] must be Tensor, given: 1"),
        ({"training_hooks": [1]}, TypeError, "All hooks must be SessionRunHook instances"),
        ({"eval_metric_ops": [1]}, TypeError, "eval_metric_ops must be a dict, given"),
        ({"eval_metric_ops": {"m": 1}}, TypeError, r"must be \(metric_value, update_op\) tuples"),
        ({"scaffold": 1}, TypeError, "scaffold must be tf.train.Scaffold. Given: 1"),
    ],
)
def test_wrong_types_raise_tf1s_errors(graph, given, error, message):
    fields = {"loss": tf.constant(1.0), **given}
    with pytest.raises(error, match=message):
        tf.estimator.EstimatorSpec(Mode.EVAL, **fields)


def test_tensors_of_another_graph_are_refused():
    with tf.Graph().as_default():
        loss = tf.constant(1.0, name="outside")
    with tf.Graph().as_default(), pytest.raises(ValueError, match="must be from the default graph"):
        tf.estimator.EstimatorSpec(Mode.EVAL, loss=loss)


def test_replace_keeps_the_mode(graph):
    spec = tf.estimator.EstimatorSpec(Mode.EVAL, loss=tf.constant(1.0))
    other = tf.constant(2.0)
    assert spec._replace(loss=other).loss is other
    with pytest.raises(ValueError, match="mode of EstimatorSpec cannot be changed."):
        spec._replace(mode=Mode.TRAIN)


def test_fn_args_of_partials_methods_and_callables():
    import functools

    def f(features, labels, mode):
        return None

    class Model:
        def __call__(self, features, params):
            return None

        def fn(self, features, config):
            return None

    assert fn_args(functools.partial(f, labels=None)) == ("features", "mode")
    assert fn_args(Model()) == ("features", "params")
    assert fn_args(Model().fn) == ("features", "config")


@pytest.mark.parametrize(
    "fn, params, message",
    [
        (lambda labels: None, None, "must include features argument"),
        (lambda features: None, {"a": 1}, "does not include params argument"),
        (lambda features, extra: None, None, r"has following not expected args: \['extra'\]"),
    ],
)
def test_model_fn_arguments_are_checked(fn, params, message):
    with pytest.raises(ValueError, match=message):
        verify_model_fn_args(fn, params)
