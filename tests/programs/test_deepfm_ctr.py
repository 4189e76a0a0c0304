"""A DeepFM click-through-rate model as its widely copied TF1 code built it: feature indices and
values fed as [batch, fields], a weights dict of tf.Variables (feature embeddings, first-order
biases, deep layers initialised from NumPy Glorot draws), the FM first- and second-order terms
(sum-square minus square-sum), a deep part with dropout placeholders and batch normalisation
(tf.layers with a train-phase placeholder, the UPDATE_OPS collected by scope), a concat
projection, log_loss plus tf.contrib.layers.l2_regularizer on the deep weights, Adam; then
streaming AUC (tf.metrics.auc) over the training batch and predictions in inference mode.
(The reference ran tf_slim's l2_regularizer, TF 1.15's code.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(101)
    batch, fields, features, k, deep = 8, 4, 14, 3, [6, 5]
    xi = np.stack(
        [
            rng.randint(0, 4, batch) + 4 * f if f < 3 else np.full(batch, 12 + f - 3)
            for f in range(fields)
        ],
        axis=1,
    ).astype(np.int32)
    xv = np.ones((batch, fields), np.float32)
    xv[:, 3] = rng.rand(batch).astype(np.float32)
    yv = (rng.rand(batch, 1) > 0.5).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(2017)
        feat_index = tf.placeholder(tf.int32, [None, None], name="feat_index")
        feat_value = tf.placeholder(tf.float32, [None, None], name="feat_value")
        label = tf.placeholder(tf.float32, [None, 1], name="label")
        dropout_fm = tf.placeholder(tf.float32, [None], name="dropout_keep_fm")
        dropout_deep = tf.placeholder(tf.float32, [None], name="dropout_keep_deep")
        train_phase = tf.placeholder(tf.bool, name="train_phase")
        weights = {
            "feature_embeddings": tf.Variable(
                tf.random_normal([features, k], 0.0, 0.01), name="feature_embeddings"
            ),
            "feature_bias": tf.Variable(
                tf.random_uniform([features, 1], 0.0, 1.0), name="feature_bias"
            ),
        }
        init_rng = np.random.RandomState(7)
        sizes = [fields * k] + deep
        for i in range(len(deep)):
            glorot = np.sqrt(2.0 / (sizes[i] + sizes[i + 1]))
            weights[f"layer_{i}"] = tf.Variable(
                init_rng.normal(0, glorot, (sizes[i], sizes[i + 1])), dtype=np.float32
            )
        concat_size = fields + k + deep[-1]
        glorot = np.sqrt(2.0 / (concat_size + 1))
        weights["concat_projection"] = tf.Variable(
            init_rng.normal(0, glorot, (concat_size, 1)), dtype=np.float32
        )
        weights["concat_bias"] = tf.Variable(tf.constant(0.01), dtype=np.float32)

        embeddings = tf.nn.embedding_lookup(weights["feature_embeddings"], feat_index)
        values = tf.reshape(feat_value, [-1, fields, 1])
        embeddings = tf.multiply(embeddings, values)
        y_first = tf.nn.embedding_lookup(weights["feature_bias"], feat_index)
        y_first = tf.reduce_sum(tf.multiply(y_first, values), 2)
        y_first = tf.nn.dropout(y_first, dropout_fm[0])
        summed_sq = tf.square(tf.reduce_sum(embeddings, 1))
        squared_sum = tf.reduce_sum(tf.square(embeddings), 1)
        y_second = 0.5 * tf.subtract(summed_sq, squared_sum)
        y_second = tf.nn.dropout(y_second, dropout_fm[1])
        y_deep = tf.reshape(embeddings, [-1, fields * k])
        y_deep = tf.nn.dropout(y_deep, dropout_deep[0])
        for i in range(len(deep)):
            # no bias before the batch norm: its gradient is zero up to rounding noise, which
            # Adam would amplify into steps of either sign
            y_deep = tf.matmul(y_deep, weights[f"layer_{i}"])
            y_deep = tf.layers.batch_normalization(
                y_deep, momentum=0.995, training=train_phase, name=f"bn_{i}"
            )
            y_deep = tf.nn.relu(y_deep)
            y_deep = tf.nn.dropout(y_deep, dropout_deep[1 + i])
        concat = tf.concat([y_first, y_second, y_deep], axis=1)
        out = tf.add(tf.matmul(concat, weights["concat_projection"]), weights["concat_bias"])
        out = tf.nn.sigmoid(out)
        loss = tf.losses.log_loss(label, out)
        for i in range(len(deep)):
            loss += tf.contrib.layers.l2_regularizer(0.01)(weights[f"layer_{i}"])
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope="bn_0")
        update_ops += tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope="bn_1")
        with tf.control_dependencies(update_ops):
            optimizer = tf.train.AdamOptimizer(0.01, beta1=0.9, beta2=0.999, epsilon=1e-8)
            train_op = optimizer.minimize(loss)
        auc, auc_update = tf.metrics.auc(label, out, num_thresholds=50)
        train_feed = {
            feat_index: xi,
            feat_value: xv,
            label: yv,
            dropout_fm: [1.0, 1.0],
            dropout_deep: [1.0, 1.0, 1.0],
            train_phase: True,
        }
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            losses = []
            for _ in range(4):
                lv, _ = sess.run([loss, train_op], train_feed)
                losses.append(float(lv))
            sess.run(auc_update, train_feed)
            infer = dict(train_feed)
            infer[train_phase] = False
            preds = sess.run(out, infer)
            auc_v = sess.run(auc)
            moving = sess.run(g.get_tensor_by_name("bn_1/moving_variance:0"))
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "locals": [v.name for v in tf.local_variables()],
            "update_ops": [op.name for op in update_ops],
            "names": [out.name, loss.name, train_op.name, auc.name, concat.name],
            "losses": losses,
            "preds": preds[:, 0].tolist(),
            "auc": float(auc_v),
            "moving_variance": moving.tolist(),
        }


EXPECTED = {
    "vars": [
        ["feature_embeddings:0", [14, 3]],
        ["feature_bias:0", [14, 1]],
        ["Variable:0", [12, 6]],
        ["Variable_1:0", [6, 5]],
        ["Variable_2:0", [12, 1]],
        ["Variable_3:0", []],
        ["bn_0/gamma:0", [6]],
        ["bn_0/beta:0", [6]],
        ["bn_0/moving_mean:0", [6]],
        ["bn_0/moving_variance:0", [6]],
        ["bn_1/gamma:0", [5]],
        ["bn_1/beta:0", [5]],
        ["bn_1/moving_mean:0", [5]],
        ["bn_1/moving_variance:0", [5]],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["feature_embeddings/Adam:0", [14, 3]],
        ["feature_embeddings/Adam_1:0", [14, 3]],
        ["feature_bias/Adam:0", [14, 1]],
        ["feature_bias/Adam_1:0", [14, 1]],
        ["Variable/Adam:0", [12, 6]],
        ["Variable/Adam_1:0", [12, 6]],
        ["Variable_1/Adam:0", [6, 5]],
        ["Variable_1/Adam_1:0", [6, 5]],
        ["Variable_2/Adam:0", [12, 1]],
        ["Variable_2/Adam_1:0", [12, 1]],
        ["Variable_3/Adam:0", []],
        ["Variable_3/Adam_1:0", []],
        ["bn_0/gamma/Adam:0", [6]],
        ["bn_0/gamma/Adam_1:0", [6]],
        ["bn_0/beta/Adam:0", [6]],
        ["bn_0/beta/Adam_1:0", [6]],
        ["bn_1/gamma/Adam:0", [5]],
        ["bn_1/gamma/Adam_1:0", [5]],
        ["bn_1/beta/Adam:0", [5]],
        ["bn_1/beta/Adam_1:0", [5]],
    ],
    "locals": [
        "auc/true_positives:0",
        "auc/false_negatives:0",
        "auc/true_negatives:0",
        "auc/false_positives:0",
    ],
    "update_ops": [
        "bn_0/cond_2/Merge",
        "bn_0/cond_3/Merge",
        "bn_1/cond_2/Merge",
        "bn_1/cond_3/Merge",
    ],
    "names": ["Sigmoid:0", "add_2:0", "Adam", "auc/value:0", "concat:0"],
    "losses": [0.7567205429077148, 0.6837800145149231, 0.6432068347930908, 0.6254115104675293],
    "preds": [
        0.5302679538726807,
        0.5049951076507568,
        0.5307955145835876,
        0.44984808564186096,
        0.438109427690506,
        0.5185574293136597,
        0.45109567046165466,
        0.5190262198448181,
    ],
    "auc": 0.9333330988883972,
    "moving_variance": [
        0.9810739159584045,
        0.9814193248748779,
        0.9824133515357971,
        0.9813028573989868,
        0.9805684685707092,
    ],
}


def test_deepfm_ctr_matches_tensorflow():
    close(program(tf), EXPECTED)
