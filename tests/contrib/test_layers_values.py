"""What tf.contrib.layers compute: batch_norm in training and inference, its moving
averages through UPDATE_OPS or in place, layer_norm, the dense and convolution layers against
NumPy, the initializers' ranges, arg_scope over the layers, and TF1's errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

slim = tf.contrib.slim
RNG = np.random.default_rng(0)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def _x(*shape):
    return RNG.normal(size=shape).astype(np.float32) * 2 + 1


@pytest.mark.parametrize(
    ("shape", "fused"),
    [((6, 3), None), ((4, 3, 3, 2), None), ((4, 3, 3, 2), False), ((5, 2, 3), None)],
)
def test_batch_norm_trains_on_the_batch_and_moves_the_averages(shape, fused):
    x = _x(*shape)
    axes = tuple(range(len(shape) - 1))
    mean, var = x.mean(axes), x.var(axes)
    n = x.size / shape[-1]
    # the fused op moves the variance towards the batch's with Bessel's correction
    moved_var = var * n / (n - 1) if fused is None and len(shape) in (2, 4) else var
    with tf.Graph().as_default():
        y = slim.batch_norm(tf.constant(x), decay=0.9, scale=True, epsilon=1e-3, fused=fused)
        updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(updates):
            y = tf.identity(y)
        mm, mv = tf.model_variables()[2:]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(y)
            m, v = sess.run([mm, mv])
    np.testing.assert_allclose(got, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(m, 0.1 * mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(v, 0.9 + 0.1 * moved_var, rtol=1e-5)


@pytest.mark.parametrize("fused", [None, False])
def test_batch_norm_updates_in_place_without_a_collection(fused):
    x = _x(8, 2, 2, 3)
    with tf.Graph().as_default():
        y = slim.batch_norm(tf.constant(x), decay=0.5, updates_collections=None, fused=fused)
        assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
        mm = tf.model_variables()[1]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(y)
            np.testing.assert_allclose(sess.run(mm), 0.5 * x.mean((0, 1, 2)), rtol=1e-5)


def test_batch_norm_inference_uses_the_moving_statistics():
    x = _x(4, 3)
    with tf.Graph().as_default():
        y = slim.batch_norm(
            tf.constant(x),
            is_training=False,
            center=False,
            param_initializers={
                "moving_mean": tf.constant_initializer(1.0),
                "moving_variance": tf.constant_initializer(4.0),
            },
        )
        assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
        np.testing.assert_allclose(_run(y), (x - 1.0) / np.sqrt(4.001), rtol=1e-5)


@pytest.mark.parametrize("fused", [None, False])
def test_batch_norm_is_training_tensor_switches_at_run_time(fused):
    x = _x(6, 2, 2, 3)
    with tf.Graph().as_default():
        training = tf.placeholder(tf.bool, [])
        y = slim.batch_norm(tf.constant(x), is_training=training, fused=fused, decay=0.5)
        updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        mm = tf.model_variables()[1]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            inference = sess.run(y, {training: False})
            np.testing.assert_allclose(inference, x / np.sqrt(1.001), rtol=1e-5)
            sess.run(updates, {training: False})
            np.testing.assert_allclose(sess.run(mm), 0.0)
            trained = sess.run(y, {training: True})
            assert abs(trained.mean()) < 1e-5
            sess.run(updates, {training: True})
            np.testing.assert_allclose(sess.run(mm), 0.5 * x.mean((0, 1, 2)), rtol=1e-5)


def test_batch_norm_zero_debias_moving_mean():
    x = _x(5, 3)
    with tf.Graph().as_default():
        slim.batch_norm(tf.constant(x), decay=0.9, zero_debias_moving_mean=True)
        updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        mm = tf.model_variables()[1]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(updates)
            np.testing.assert_allclose(sess.run(mm), x.mean(0), rtol=1e-5)


def test_batch_norm_rejects_what_it_does_not_support():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="undefined rank"):
            slim.batch_norm(tf.placeholder(tf.float32))
        with pytest.raises(ValueError, match="either NCHW or NHWC"):
            slim.batch_norm(tf.zeros([2, 3, 4, 4]), data_format="NCDHW")
        with pytest.raises(ValueError, match="renorm is not supported"):
            slim.batch_norm(tf.zeros([2, 3]), renorm=True, zero_debias_moving_mean=True)


@pytest.mark.parametrize("begin_norm_axis", [1, -1])
def test_layer_norm_matches_numpy(begin_norm_axis):
    x = _x(3, 4, 5)
    axes = (1, 2) if begin_norm_axis == 1 else (2,)
    with tf.Graph().as_default():
        y = slim.layer_norm(tf.constant(x), begin_norm_axis=begin_norm_axis)
        gamma = tf.model_variables()[1]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(gamma.assign(np.arange(5, dtype=np.float32)))
            got = sess.run(y)
    mean, var = x.mean(axes, keepdims=True), x.var(axes, keepdims=True)
    want = (x - mean) / np.sqrt(var + 1e-12) * np.arange(5)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    with tf.Graph().as_default(), pytest.raises(ValueError, match="must be < rank"):
        slim.layer_norm(tf.zeros([2, 3]), begin_norm_axis=2)


def test_fully_connected_and_conv2d_match_numpy():
    x, img = _x(2, 3, 4), _x(1, 5, 5, 2)
    with tf.Graph().as_default():
        w = tf.constant_initializer(0.5)
        fc = slim.fully_connected(
            x,
            2,
            activation_fn=None,
            weights_initializer=w,
            biases_initializer=tf.constant_initializer(1.0),
        )
        conv = slim.conv2d(img, 3, [3, 3], padding="VALID", weights_initializer=w)
        up = slim.conv2d_transpose(
            img, 1, [2, 2], stride=2, weights_initializer=w, activation_fn=None
        )
        got_fc, got_conv, got_up = _run([fc, conv, up])
    np.testing.assert_allclose(
        got_fc, np.repeat(x.sum(-1, keepdims=True) * 0.5 + 1, 2, -1), rtol=1e-5
    )
    windows = np.lib.stride_tricks.sliding_window_view(img[0], (3, 3), axis=(0, 1))
    want = np.maximum(windows.sum((2, 3, 4)) * 0.5, 0)[None, :, :, None].repeat(3, -1)
    np.testing.assert_allclose(got_conv, want, rtol=1e-5)
    assert got_up.shape == (1, 10, 10, 1)
    np.testing.assert_allclose(got_up[0, ::2, ::2, 0], img[0].sum(-1) * 0.5, rtol=1e-5)


def test_pools_flatten_dropout_one_hot_embed():
    img = _x(2, 4, 4, 3)
    with tf.Graph().as_default():
        p = slim.max_pool2d(img, [2, 2])
        a = slim.avg_pool2d(img, 2)
        f = slim.flatten(tf.placeholder_with_default(img, [None, 4, 4, 3]))
        d = slim.dropout(tf.ones([1000]), keep_prob=0.25)
        kept = slim.dropout(tf.ones([10]), is_training=False)
        h = slim.one_hot_encoding(tf.constant([0, 2]), 3)
        e = slim.embed_sequence(tf.constant([[1, 1, 0]]), vocab_size=4, embed_dim=2)
        assert f.shape.as_list() == [None, 48] and h.dtype == tf.float32
        assert [v.op.name for v in tf.model_variables()] == ["EmbedSequence/embeddings"]
        got_p, got_a, got_f, got_d, got_k, got_h, got_e = _run([p, a, f, d, kept, h, e])
    blocks = img.reshape(2, 2, 2, 2, 2, 3)
    np.testing.assert_allclose(got_p, blocks.max((2, 4)), rtol=1e-6)
    np.testing.assert_allclose(got_a, blocks.mean((2, 4)), rtol=1e-6)
    np.testing.assert_allclose(got_f, img.reshape(2, -1))
    assert set(np.unique(got_d)) <= {0.0, 4.0} and 0.15 < (got_d > 0).mean() < 0.35
    np.testing.assert_allclose(got_k, 1.0)
    np.testing.assert_allclose(got_h, [[1, 0, 0], [0, 0, 1]])
    np.testing.assert_allclose(got_e[0, 0], got_e[0, 1])
    with tf.Graph().as_default(), pytest.raises(ValueError, match="vocab size"):
        slim.embed_sequence(tf.constant([[1]]))


def test_initializers_ranges():
    with tf.Graph().as_default():
        xavier = tf.contrib.layers.xavier_initializer(seed=1)([300, 100])
        normal = tf.contrib.layers.xavier_initializer(uniform=False, seed=1)([300, 100])
        he = tf.contrib.layers.variance_scaling_initializer(seed=1)([3, 3, 20, 10])
        got_x, got_n, got_h = _run([xavier, normal, he])
    assert np.abs(got_x).max() <= np.sqrt(6 / 400) and got_x.std() > 0.05
    assert np.abs(got_n).max() <= 2 * np.sqrt(1.3 / 200) + 1e-6
    assert abs(got_h.std() - np.sqrt(1.3 * 2 / 180) * 0.88) < 0.01
    with pytest.raises(TypeError, match="Unknown mode"):
        tf.contrib.layers.variance_scaling_initializer(mode="fan_in")


def test_arg_scope_sets_layer_defaults_and_reuse_shares_variables():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4])
        with slim.arg_scope(
            [slim.fully_connected], activation_fn=None, weights_initializer=tf.ones_initializer()
        ):
            a = slim.fully_connected(x, 2, scope="fc")
            b = slim.fully_connected(x, 2, scope="fc", reuse=True)
            c = slim.fully_connected(x, 2, activation_fn=tf.nn.relu, scope="fc2")
        assert a.op.type == "BiasAdd" and b.op.type == "BiasAdd" and c.op.type == "Relu"
        assert [v.op.name for v in tf.trainable_variables()] == [
            "fc/weights",
            "fc/biases",
            "fc2/weights",
            "fc2/biases",
        ]
        got = _run(a, {x: np.ones([1, 4], np.float32)})
    np.testing.assert_allclose(got, [[4.0, 4.0]])


def test_layer_errors_name_the_layer_and_shape():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="num_outputs"):
            slim.fully_connected(tf.zeros([2, 3]), 2.0)
        with pytest.raises(ValueError, match=r"fully_connected.*\(2,\)|\(2,\).*fully_connected"):
            slim.fully_connected(tf.zeros([2]), 2)
        with pytest.raises(ValueError, match="Conv"):
            slim.conv2d(tf.zeros([2, 3]), 2, 3)
        with pytest.raises(NotImplementedError, match="NHWC"):
            slim.conv2d(tf.zeros([1, 2, 3, 3]), 2, 3, data_format="NCHW")
        with pytest.raises(ValueError, match="stack_args"):
            slim.stack(tf.zeros([1, 2]), slim.fully_connected, 3)


def test_slim_namespace_losses_and_its_modules():
    with tf.Graph().as_default():
        logits = tf.constant([[2.0, 0.0], [0.0, 1.0]])
        sparse = slim.losses.sparse_softmax_cross_entropy(logits, tf.constant([0, 1]))
        dense = slim.losses.softmax_cross_entropy(logits, tf.constant([[1.0, 0.0], [0.0, 1.0]]))
        mse = slim.losses.mean_squared_error(tf.constant([1.0, 3.0]), tf.constant([1.0, 1.0]))
        assert len(slim.losses.get_losses()) == 3
        total = slim.losses.get_total_loss()
        got = _run([sparse, dense, mse, total])
    want = np.mean([np.log(1 + np.exp(-2.0)), np.log(1 + np.exp(-1.0))])
    np.testing.assert_allclose(got[:3], [want, want, 2.0], rtol=1e-5)
    np.testing.assert_allclose(got[3], 2 * want + 2.0, rtol=1e-5)
    assert slim.arg_scope is tf.contrib.framework.arg_scope
    assert slim.conv2d is tf.contrib.layers.conv2d
    with pytest.raises(ValueError, match="train_op cannot be None"):
        slim.learning.train(None, "/tmp/x")
    assert slim.nets.inception.inception_v3 is slim.nets.inception_v3.inception_v3


def test_separable_conv2d_and_its_depthwise_only_form():
    x = _x(1, 3, 3, 2)
    with tf.Graph().as_default():
        ones = tf.ones_initializer()
        sep = slim.separable_conv2d(x, 3, [1, 1], 2, activation_fn=None, weights_initializer=ones)
        dw = slim.separable_conv2d(x, None, 1, 2, activation_fn=None, weights_initializer=ones)
        got_sep, got_dw = _run([sep, dw])
    np.testing.assert_allclose(got_sep, np.repeat(2 * x.sum(-1, keepdims=True), 3, -1), rtol=1e-5)
    np.testing.assert_allclose(got_dw, np.repeat(x, 2, -1), rtol=1e-6)


def test_optimize_loss_clips_runs_update_ops_and_steps():
    with tf.Graph().as_default():
        w = tf.Variable([3.0, 4.0], name="w")
        counter = tf.Variable(0.0, trainable=False)
        tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_add(counter, 1.0))
        step = tf.train.get_or_create_global_step()
        train = tf.contrib.layers.optimize_loss(
            tf.reduce_sum(w * w),
            step,
            0.5,
            "SGD",
            clip_gradients=1.0,
            gradient_multipliers={"w": 2.0},
            summaries=["gradient_norm"],
        )
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            loss = sess.run(train)
            got_w, got_counter, got_step = sess.run([w, counter, step])
    # gradient 2w doubled, clipped to norm 1: [0.6, 0.8]; SGD with rate 0.5
    np.testing.assert_allclose(loss, 25.0)
    np.testing.assert_allclose(got_w, [2.7, 3.6], rtol=1e-6)
    assert got_counter == 1.0 and got_step == 1


def test_optimize_loss_errors():
    with tf.Graph().as_default():
        loss = tf.reduce_sum(tf.Variable([1.0]) ** 2)
        step = tf.train.get_or_create_global_step()
        with pytest.raises(ValueError, match="Optimizer name should be one of"):
            tf.contrib.layers.optimize_loss(loss, step, 0.1, "Nope")
        with pytest.raises(ValueError, match="Summaries should be one of"):
            tf.contrib.layers.optimize_loss(loss, step, 0.1, "SGD", summaries=["x"])
        with pytest.raises(ValueError, match="Learning rate is None"):
            tf.contrib.layers.optimize_loss(loss, step, None, "SGD")
        tf.contrib.layers.optimize_loss(loss, step, 0.1, "Ftrl", summaries=[])
        assert "ApplyFtrl" in {op.type for op in tf.get_default_graph().get_operations()}
        with pytest.raises(ValueError, match="scalar"):
            tf.contrib.layers.optimize_loss(tf.zeros([2]), step, 0.1, "SGD")


def test_dropout_op_names_are_tf_slim_s():
    # TF's tf.layers Dropout named after the scope takes that name inside it (tf_slim on
    # TF 2.21 printed these names).
    with tf.Graph().as_default():
        x = tf.ones([2, 3])
        outs = [slim.dropout(x, 0.5)]
        with tf.variable_scope("A"):
            outs.append(slim.dropout(x, 0.5))
            outs.append(slim.dropout(x, 0.5, scope="dropout"))
            outs.append(slim.dropout(x, 0.5, scope="drop6"))
        outs.append(slim.dropout(x, 0.5))
        outs.append(slim.dropout(x, 0.5, is_training=tf.placeholder(tf.bool, [])))
    assert [t.name for t in outs] == [
        "Dropout/dropout_1/SelectV2:0",
        "A/Dropout/dropout_1/SelectV2:0",
        "A/dropout_1/dropout_1/SelectV2:0",
        "A/drop6/dropout/SelectV2:0",
        "Dropout_1/dropout/SelectV2:0",
        "Dropout_2/cond/Merge:0",
    ]
