"""A TextCNN sentence classifier in TF1 style: embedding under /cpu:0, conv-maxpool name scopes
with conv2d/bias_add/relu/max_pool, concat, dropout, xavier initializer, l2 loss, Adam through
compute/apply_gradients, and the gradient histogram/sparsity and loss/accuracy summaries.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(21)
        seq_len, vocab, emb, classes, filters = 7, 12, 4, 2, 3
        input_x = tf.placeholder(tf.int32, [None, seq_len], name="input_x")
        input_y = tf.placeholder(tf.float32, [None, classes], name="input_y")
        keep = tf.placeholder(tf.float32, name="dropout_keep_prob")
        l2_loss = tf.constant(0.0)
        with tf.device("/cpu:0"), tf.name_scope("embedding"):
            W = tf.Variable(tf.random_uniform([vocab, emb], -1.0, 1.0), name="W")
            chars = tf.expand_dims(tf.nn.embedding_lookup(W, input_x), -1)
        pooled = []
        for size in (2, 3):
            with tf.name_scope(f"conv-maxpool-{size}"):
                shape = [size, emb, 1, filters]
                Wc = tf.Variable(tf.truncated_normal(shape, stddev=0.1), name="W")
                b = tf.Variable(tf.constant(0.1, shape=[filters]), name="b")
                conv = tf.nn.conv2d(chars, Wc, strides=[1, 1, 1, 1], padding="VALID", name="conv")
                h = tf.nn.relu(tf.nn.bias_add(conv, b), name="relu")
                p = tf.nn.max_pool(
                    h,
                    ksize=[1, seq_len - size + 1, 1, 1],
                    strides=[1, 1, 1, 1],
                    padding="VALID",
                    name="pool",
                )
                pooled.append(p)
        h_pool = tf.concat(pooled, 3)
        h_flat = tf.reshape(h_pool, [-1, 2 * filters])
        with tf.name_scope("dropout"):
            h_drop = tf.nn.dropout(h_flat, keep)
        with tf.name_scope("output"):
            Wo = tf.get_variable(
                "W",
                shape=[2 * filters, classes],
                initializer=tf.contrib.layers.xavier_initializer(),
            )
            bo = tf.Variable(tf.constant(0.1, shape=[classes]), name="b")
            l2_loss += tf.nn.l2_loss(Wo) + tf.nn.l2_loss(bo)
            scores = tf.nn.xw_plus_b(h_drop, Wo, bo, name="scores")
            predictions = tf.argmax(scores, 1, name="predictions")
        with tf.name_scope("loss"):
            losses = tf.nn.softmax_cross_entropy_with_logits_v2(logits=scores, labels=input_y)
            loss = tf.reduce_mean(losses) + 0.1 * l2_loss
        with tf.name_scope("accuracy"):
            correct = tf.equal(predictions, tf.argmax(input_y, 1))
            accuracy = tf.reduce_mean(tf.cast(correct, "float"), name="accuracy")
        global_step = tf.Variable(0, name="global_step", trainable=False)
        optimizer = tf.train.AdamOptimizer(1e-2)
        grads_and_vars = optimizer.compute_gradients(loss)
        train_op = optimizer.apply_gradients(grads_and_vars, global_step=global_step)
        grad_summaries = []
        for gr, v in grads_and_vars:
            if gr is not None:
                grad_summaries.append(tf.summary.histogram(f"{v.name}/grad/hist", gr))
                grad_summaries.append(
                    tf.summary.scalar(f"{v.name}/grad/sparsity", tf.nn.zero_fraction(gr))
                )
        loss_summary = tf.summary.scalar("loss", loss)
        acc_summary = tf.summary.scalar("accuracy", accuracy)
        train_summary = tf.summary.merge([loss_summary, acc_summary] + grad_summaries)
        rng = np.random.RandomState(4)
        xs = rng.randint(0, vocab, (6, seq_len)).astype(np.int32)
        ys = np.eye(classes, dtype=np.float32)[rng.randint(0, classes, 6)]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out = []
            for _ in range(4):
                _, step, lv, acc, summ = sess.run(
                    [train_op, global_step, loss, accuracy, train_summary],
                    {input_x: xs, input_y: ys, keep: 1.0},
                )
                out.append([int(step), float(lv), float(acc)])
            summary = tf.Summary()
            summary.ParseFromString(summ)
            tags = [v.tag for v in summary.value]
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [
                chars.name,
                h_pool.name,
                h_drop.name,
                scores.name,
                predictions.name,
                loss.name,
                accuracy.name,
                train_op.name,
            ],
            "steps": out,
            "tags": tags,
            "simple": [float(v.simple_value) for v in summary.value if v.HasField("simple_value")],
        }


EXPECTED = {
    "vars": [
        ["embedding/W:0", [12, 4]],
        ["conv-maxpool-2/W:0", [2, 4, 1, 3]],
        ["conv-maxpool-2/b:0", [3]],
        ["conv-maxpool-3/W:0", [3, 4, 1, 3]],
        ["conv-maxpool-3/b:0", [3]],
        ["W:0", [6, 2]],
        ["output/b:0", [2]],
        ["global_step:0", []],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["embedding/W/Adam:0", [12, 4]],
        ["embedding/W/Adam_1:0", [12, 4]],
        ["conv-maxpool-2/W/Adam:0", [2, 4, 1, 3]],
        ["conv-maxpool-2/W/Adam_1:0", [2, 4, 1, 3]],
        ["conv-maxpool-2/b/Adam:0", [3]],
        ["conv-maxpool-2/b/Adam_1:0", [3]],
        ["conv-maxpool-3/W/Adam:0", [3, 4, 1, 3]],
        ["conv-maxpool-3/W/Adam_1:0", [3, 4, 1, 3]],
        ["conv-maxpool-3/b/Adam:0", [3]],
        ["conv-maxpool-3/b/Adam_1:0", [3]],
        ["W/Adam:0", [6, 2]],
        ["W/Adam_1:0", [6, 2]],
        ["output/b/Adam:0", [2]],
        ["output/b/Adam_1:0", [2]],
    ],
    "names": [
        "embedding/ExpandDims:0",
        "concat:0",
        "dropout/dropout/SelectV2:0",
        "output/scores:0",
        "output/predictions:0",
        "loss/add:0",
        "accuracy/accuracy:0",
        "Adam",
    ],
    "steps": [
        [1, 0.7907472848892212, 0.5],
        [2, 0.7564727663993835, 0.5],
        [3, 0.7283822894096375, 0.5],
        [4, 0.7043465971946716, 0.8333333134651184],
    ],
    "tags": [
        "loss_1",
        "accuracy_1",
        "embedding/W_0/grad/hist",
        "embedding/W_0/grad/sparsity",
        "conv-maxpool-2/W_0/grad/hist",
        "conv-maxpool-2/W_0/grad/sparsity",
        "conv-maxpool-2/b_0/grad/hist",
        "conv-maxpool-2/b_0/grad/sparsity",
        "conv-maxpool-3/W_0/grad/hist",
        "conv-maxpool-3/W_0/grad/sparsity",
        "conv-maxpool-3/b_0/grad/hist",
        "conv-maxpool-3/b_0/grad/sparsity",
        "W_0/grad/hist",
        "W_0/grad/sparsity",
        "output/b_0/grad/hist",
        "output/b_0/grad/sparsity",
    ],
    "simple": [
        0.7043465971946716,
        0.8333333134651184,
        0.0833333358168602,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    ],
}


def test_textcnn_matches_tensorflow():
    close(program(tf), EXPECTED)
