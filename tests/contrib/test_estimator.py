"""tf.contrib.estimator: TF 1.15's clip_gradients_by_norm, forward_features and
InMemoryEvaluatorHook (values from their documented semantics; clip_by_global_norm's numbers
checked against TF 2.21), and its re-exports of tf.estimator's names."""

import numpy as np
import pytest

import scopeflow as tf

ce = tf.contrib.estimator


def test_reexports_are_tf_estimators_own():
    assert ce.add_metrics is tf.estimator.add_metrics
    assert ce.stop_if_no_decrease_hook is tf.estimator.experimental.stop_if_no_decrease_hook
    assert ce.dnn_logit_fn_builder is tf.estimator.experimental.dnn_logit_fn_builder


def test_clip_gradients_by_norm_clips_by_global_norm(graph):
    w = tf.Variable([3.0, 4.0], name="w")
    b = tf.Variable(12.0, name="b")
    opt = ce.clip_gradients_by_norm(tf.train.MomentumOptimizer(1.0, 0.9), clip_norm=1.3)
    assert opt.get_name() == "ClipByNormMomentum"
    train = opt.minimize(tf.reduce_sum(w) * 0.0 + tf.reduce_sum(w * w) + b)  # grads 6, 8, 1
    assert opt.get_slot_names() == ["momentum"]
    assert opt.get_slot(w, "momentum").name == "w/Momentum:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        # global norm sqrt(36 + 64 + 1); each gradient scaled by 1.3 / norm
        scale = 1.3 / np.sqrt(101.0)
        np.testing.assert_allclose(sess.run(w), [3 - 6 * scale, 4 - 8 * scale], rtol=1e-6)
        np.testing.assert_allclose(sess.run(b), 12 - scale, rtol=1e-6)


def _model_fn(features, labels, mode):
    w = tf.get_variable("w", [], initializer=tf.constant_initializer(2.0))
    pred = features["x"] * w
    if mode == tf.estimator.ModeKeys.PREDICT:
        outputs = {"predict": tf.estimator.export.PredictOutput({"y": pred})}
        return tf.estimator.EstimatorSpec(mode, predictions={"y": pred}, export_outputs=outputs)
    loss = tf.reduce_mean(tf.square(pred - labels))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.train.get_global_step()
    )
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train, predictions={"y": pred})


def _input(xs, ids):
    def input_fn():
        features = {"x": tf.constant(xs), "id": tf.constant(ids)}
        return tf.data.Dataset.from_tensor_slices((features, tf.constant(xs) * 3.0)).batch(2)

    return input_fn


def test_forward_features_adds_features_to_predictions(tmp_path):
    est = ce.forward_features(tf.estimator.Estimator(_model_fn, str(tmp_path)), "id")
    out = list(est.predict(_input([1.0, 2.0, 4.0], [7, 8, 9])))
    assert [(float(p["y"]), int(p["id"])) for p in out] == [(2.0, 7), (4.0, 8), (8.0, 9)]
    all_keys = ce.forward_features(tf.estimator.Estimator(_model_fn, str(tmp_path)))
    assert sorted(next(all_keys.predict(_input([1.0], [3])))) == ["id", "x", "y"]


def test_forward_features_errors(tmp_path):
    with pytest.raises(TypeError, match="keys should be either a string or a list"):
        ce.forward_features(tf.estimator.Estimator(_model_fn, str(tmp_path)), 5)
    with pytest.raises(TypeError, match="should be a string"):
        ce.forward_features(tf.estimator.Estimator(_model_fn, str(tmp_path)), ["id", 1])
    twice = ce.forward_features(tf.estimator.Estimator(_model_fn, str(tmp_path)), "id")
    clash = ce.forward_features(twice, "id")
    with pytest.raises(ValueError, match=r"Cannot forward feature key \(id\)"):
        next(clash.predict(_input([1.0], [3])))
    missing = ce.forward_features(tf.estimator.Estimator(_model_fn, str(tmp_path)), ["nope"])
    with pytest.raises(ValueError, match="is not in features dict"):
        next(missing.predict(_input([1.0], [3])))


def test_in_memory_evaluator_hook_evaluates_the_training_variables(tmp_path):
    est = tf.estimator.Estimator(_model_fn, str(tmp_path))
    hook = ce.InMemoryEvaluatorHook(est, _input([1.0, 2.0], [0, 1]), every_n_iter=2, name="x")
    est.train(_input([1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0], [0] * 8), hooks=[hook])
    metrics = ce.read_eval_metrics(str(tmp_path / "eval_x"))
    assert sorted(metrics) == [0, 2, 4]
    # loss = mean((x * w - 3x)^2) over x in {1, 2} = 2.5 (w - 3)^2
    w0 = 2.0
    np.testing.assert_allclose(metrics[0]["loss"], 2.5 * (w0 - 3) ** 2, rtol=1e-6)
    w_final = est.get_variable_value("w")
    np.testing.assert_allclose(metrics[4]["loss"], 2.5 * (w_final - 3) ** 2, rtol=1e-5)


def test_in_memory_evaluator_hook_argument_errors(tmp_path):
    est = tf.estimator.Estimator(_model_fn, str(tmp_path))
    with pytest.raises(ValueError, match="invalid every_n_iter=0"):
        ce.InMemoryEvaluatorHook(est, _input([1.0], [0]), every_n_iter=0)
    with pytest.raises(ValueError, match="Must specify steps > 0"):
        ce.InMemoryEvaluatorHook(est, _input([1.0], [0]), steps=0)


def test_forward_features_makes_sparse_features_dense(tmp_path):
    def input_fn():  # plain tensors: predict repeats them, so the test takes the first two
        ids = tf.SparseTensor([[0, 1], [1, 0]], tf.constant([5, 6], tf.int64), [2, 2])
        return {"x": tf.constant([1.0, 2.0]), "ids": ids}, None

    est = tf.estimator.Estimator(_model_fn, str(tmp_path))
    dense = ce.forward_features(est, "ids", sparse_default_values={"ids": -1})
    out = dense.predict(input_fn)
    assert [next(out)["ids"].tolist(), next(out)["ids"].tolist()] == [[-1, 5], [6, -1]]
    plain = ce.forward_features(est, "ids")
    with pytest.raises(ValueError, match=r"Feature \(ids\) should be a Tensor"):
        next(plain.predict(input_fn))
    wrong = ce.forward_features(est, "x", sparse_default_values={"x": 0.0})
    with pytest.raises(ValueError, match=r"Feature \(x\) is expected to be a `SparseTensor`"):
        next(wrong.predict(input_fn))
