"""Tests for scopeflow/estimator/tpu/: TPU-era programs on a CPU (``use_tpu=False``), as BERT's
run_classifier.py builds them: the configuration, the batch sizes in ``params``, the
``TPUEstimatorSpec`` conversion (scaffold_fn, eval_metrics, host_call), results equal to a
plain Estimator's, a BERT-style optimizer subclass, and the errors."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf

tpu = tf.contrib.tpu
DATA = np.random.default_rng(0).standard_normal((24, 4)).astype(np.float32)
LABELS = (DATA.sum(axis=1) > 0).astype(np.int32)


class AdamWeightDecay(tf.train.Optimizer):
    """BERT's optimizer pattern: apply_gradients overridden, slots made with get_variable."""

    def __init__(self, learning_rate, weight_decay_rate=0.01, name="AdamWeightDecay"):
        super().__init__(False, name)
        self.learning_rate, self.weight_decay_rate = learning_rate, weight_decay_rate

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        assignments = []
        for grad, param in grads_and_vars:
            param_name = re.match("^(.*):\\d+$", param.name).group(1)
            m = tf.get_variable(
                param_name + "/adam_m", param.shape.as_list(), tf.float32,
                trainable=False, initializer=tf.zeros_initializer(),
            )  # fmt: skip
            v = tf.get_variable(
                param_name + "/adam_v", param.shape.as_list(), tf.float32,
                trainable=False, initializer=tf.zeros_initializer(),
            )  # fmt: skip
            next_m = 0.9 * m + 0.1 * grad
            next_v = 0.999 * v + 0.001 * tf.square(grad)
            update = next_m / (tf.sqrt(next_v) + 1e-6) + self.weight_decay_rate * param
            assignments += [param.assign(param - self.learning_rate * update)]
            assignments += [m.assign(next_m), v.assign(next_v)]
        return tf.group(*assignments, name=name)


def _model_fn(seen):
    def model_fn(features, labels, mode, params):
        seen.append((mode, params.get("batch_size"), params["use_tpu"], params["hidden"]))
        x = tf.contrib.layers.layer_norm(features["x"], begin_norm_axis=-1)
        logits = tf.layers.dense(
            tf.layers.dense(x, params["hidden"], activation=tf.tanh, name="hidden"), 2,
            kernel_initializer=tf.truncated_normal_initializer(stddev=0.02), name="logits",
        )  # fmt: skip
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tpu.TPUEstimatorSpec(mode, predictions={"probs": tf.nn.softmax(logits)})
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        if mode == tf.estimator.ModeKeys.EVAL:

            def metric_fn(labels, logits):
                return {"accuracy": tf.metrics.accuracy(labels, tf.argmax(logits, 1))}

            return tpu.TPUEstimatorSpec(mode, loss=loss, eval_metrics=(metric_fn, [labels, logits]))
        step = tf.train.get_global_step()
        lr = tf.train.polynomial_decay(0.05, step, 10, end_learning_rate=0.0)
        optimizer = tpu.CrossShardOptimizer(AdamWeightDecay(lr))
        grads = tf.gradients(loss, tf.trainable_variables())
        train_op = optimizer.apply_gradients(zip(grads, tf.trainable_variables(), strict=True))
        train_op = tf.group(train_op, step.assign_add(1))
        counter = tf.get_variable(
            "host_calls", [], tf.int64, initializer=tf.zeros_initializer(),
            collections=[tf.GraphKeys.LOCAL_VARIABLES],
        )  # fmt: skip
        return tpu.TPUEstimatorSpec(
            mode, loss=loss, train_op=train_op,
            host_call=(lambda s: [counter.assign_add(1), s], [tf.reshape(step, [1])]),
            scaffold_fn=lambda: tf.train.Scaffold(saver=tf.train.Saver(max_to_keep=2)),
        )  # fmt: skip

    return model_fn


def _input_fn(params):
    ds = tf.data.Dataset.from_tensor_slices(({"x": DATA}, LABELS))
    return ds.repeat().batch(params["batch_size"], drop_remainder=True)


def _config(tmp_path):
    tpu_config = tpu.TPUConfig(
        iterations_per_loop=10, num_shards=8,
        per_host_input_for_training=tpu.InputPipelineConfig.PER_HOST_V2,
    )  # fmt: skip
    return tpu.RunConfig(
        cluster=None, master=None, model_dir=str(tmp_path), save_checkpoints_steps=1000,
        tpu_config=tpu_config, tf_random_seed=3,
    )  # fmt: skip


def test_tpu_estimator_on_the_cpu_runs_a_bert_style_classifier(tmp_path):
    seen = []
    est = tpu.TPUEstimator(
        use_tpu=False, model_fn=_model_fn(seen), config=_config(tmp_path), params={"hidden": 8},
        train_batch_size=8, eval_batch_size=4, predict_batch_size=6,
    )  # fmt: skip
    est.train(_input_fn, max_steps=5)
    assert est.get_variable_value("global_step") == 5
    names = set(est.get_variable_names())
    assert {"hidden/kernel/adam_m", "hidden/kernel/adam_v", "logits/bias/adam_m"} <= names
    metrics = est.evaluate(_input_fn, steps=2)
    assert set(metrics) == {"accuracy", "loss", "global_step"} and metrics["global_step"] == 5
    probs = [p["probs"] for p in est.predict(lambda params: _input_fn(params).take(1))]
    assert len(probs) == 6 and np.allclose(np.sum(probs, axis=1), 1.0, atol=1e-6)
    assert [s[1:] for s in seen] == [(8, False, 8), (4, False, 8), (6, False, 8)]
    assert [s[0] for s in seen] == ["train", "eval", "infer"]


def test_results_equal_a_plain_estimators(tmp_path):
    def plain_model_fn(features, labels, mode, params):
        spec = _model_fn([])(features, labels, mode, {**params, "use_tpu": False})
        return spec.as_estimator_spec()

    config = tf.estimator.RunConfig(model_dir=str(tmp_path / "plain"), tf_random_seed=3)
    plain = tf.estimator.Estimator(plain_model_fn, config=config, params={"hidden": 8})
    plain.train(lambda: _input_fn({"batch_size": 8}), max_steps=4)
    on_cpu = tpu.TPUEstimator(
        use_tpu=False, model_fn=_model_fn([]), config=_config(tmp_path / "tpu"),
        params={"hidden": 8}, train_batch_size=8,
    )  # fmt: skip
    on_cpu.train(_input_fn, max_steps=4)
    for name in ("hidden/kernel", "logits/kernel", "logits/bias/adam_v"):
        np.testing.assert_array_equal(
            plain.get_variable_value(name), on_cpu.get_variable_value(name)
        )


def test_spec_conversion_and_configuration(graph):
    labels = tf.constant([0, 1])
    logits = tf.constant([[2.0, 1.0], [0.0, 3.0]])

    def metric_fn(labels, logits):
        return {"acc": tf.metrics.accuracy(labels, tf.argmax(logits, 1))}

    tensors = {"labels": labels, "logits": logits}
    spec = tpu.TPUEstimatorSpec("eval", loss=tf.constant(1.0), eval_metrics=(metric_fn, tensors))
    converted = spec.as_estimator_spec()
    assert set(converted.eval_metric_ops) == {"acc"}
    with pytest.raises(RuntimeError, match="length of tensors 1 does not match"):
        tpu.TPUEstimatorSpec(
            "eval", loss=tf.constant(1.0), eval_metrics=(lambda a, b: {}, [labels])
        )
    with pytest.raises(TypeError, match="should be callable"):
        tpu.TPUEstimatorSpec("eval", loss=tf.constant(1.0), host_call=(1, []))
    assert tpu.TPUConfig(per_host_input_for_training=False).per_host_input_for_training == 1
    assert tpu.TPUConfig().iterations_per_loop == 2
    with pytest.raises(ValueError, match="num_cores_per_replica must be 1, 2, 4"):
        tpu.TPUConfig(num_cores_per_replica=3)
    with pytest.raises(ValueError, match="num_shards must be positive"):
        tpu.TPUConfig(num_shards=0)
    config = tpu.RunConfig(master="", tpu_config=tpu.TPUConfig(iterations_per_loop=5))
    assert (config.master, config.evaluation_master, config.cluster) == ("", "", None)
    assert config.replace(tpu_config=tpu.TPUConfig(iterations_per_loop=7)).tpu_config[0] == 7
    assert tf.estimator.tpu.TPUEstimator is tpu.TPUEstimator


def test_bfloat16_scope_and_cross_shard_optimizer(graph):
    with tpu.bfloat16_scope():
        w = tf.get_variable("w", [2], tf.bfloat16, initializer=tf.ones_initializer())
    assert w.dtype == tf.bfloat16 and tf.global_variables()[0].dtype == tf.float32_ref
    x = tf.Variable([1.0, 2.0], name="x")
    opt = tpu.CrossShardOptimizer(tf.train.GradientDescentOptimizer(0.5))
    step = opt.minimize(tf.reduce_sum(x * x))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        np.testing.assert_array_equal(sess.run(x), [0.0, 0.0])


def test_errors_name_the_cpu_way(tmp_path):
    model_fn = _model_fn([])
    with pytest.raises(NotImplementedError, match="use_tpu=False"):
        tpu.TPUEstimator(model_fn=model_fn, config=_config(tmp_path))
    with pytest.raises(ValueError, match="must be provided with type"):
        tpu.TPUEstimator(model_fn=model_fn, use_tpu=False, config=tf.estimator.RunConfig())
    with pytest.raises(ValueError, match="reserved keys"):
        tpu.TPUEstimator(model_fn=model_fn, use_tpu=False, config=_config(tmp_path),
                         params={"batch_size": 3})  # fmt: skip
    with pytest.raises(ValueError, match="does not include params argument"):
        tpu.TPUEstimator(model_fn=lambda features, labels, mode: None, use_tpu=False,
                         config=_config(tmp_path))  # fmt: skip
    with pytest.raises(ValueError, match="`train_batch_size` must be positive"):
        tpu.TPUEstimator(model_fn=model_fn, use_tpu=False, config=_config(tmp_path),
                         train_batch_size=0)  # fmt: skip
    with pytest.raises(NotImplementedError, match="use_tpu=False"):
        tpu.rewrite  # noqa: B018
    with pytest.raises(NotImplementedError, match="TPUs"):
        tf.contrib.cluster_resolver.TPUClusterResolver(tpu="grpc://10.0.0.1:8470")
