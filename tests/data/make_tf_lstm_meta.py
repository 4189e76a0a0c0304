"""Writes tests/data/graph_io/tf_lstm_meta: a .meta and checkpoint TensorFlow 2.21 writes in
graph mode for tests/programs/test_tf_written_meta.py (an embedding lookup over two shards of a
partitioned variable, an LSTM in dynamic_rnn, dropout behind a training flag, RMSProp with
momentum after clip_by_global_norm, ExponentialMovingAverage, merged summaries), and prints
the losses, gradient norms, one average and the summary size that test expects.

Run with the reference TensorFlow: TF_USE_LEGACY_KERAS=1 /tmp/tfref/bin/python
tests/data/make_tf_lstm_meta.py
"""

import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graph_io", "tf_lstm_meta")
rng = np.random.RandomState(1)
ids = rng.randint(0, 20, (4, 5)).astype(np.int64)
ys = rng.rand(4, 1).astype(np.float32)
with tf.Graph().as_default():
    tf.set_random_seed(2)
    x = tf.placeholder(tf.int64, [None, 5], name="ids")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    training = tf.placeholder_with_default(False, [], name="training")
    emb = tf.get_variable("emb", [20, 4], partitioner=tf.fixed_size_partitioner(2))
    e = tf.nn.embedding_lookup(emb, x)
    cell = tf.nn.rnn_cell.LSTMCell(3, initializer=tf.constant_initializer(0.1))
    out, st = tf.nn.dynamic_rnn(cell, e, dtype=tf.float32)
    h = tf.layers.dropout(st.h, 0.5, training=training, seed=3)
    pred = tf.layers.dense(h, 1, kernel_initializer=tf.constant_initializer(0.3))
    loss = tf.losses.mean_squared_error(y, pred)
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("pred", pred)
    merged = tf.summary.merge_all()
    step = tf.train.get_or_create_global_step()
    opt = tf.train.RMSPropOptimizer(0.05, momentum=0.5)
    grads, tvars = zip(*opt.compute_gradients(loss), strict=True)
    clipped, norm = tf.clip_by_global_norm(grads, 0.5)
    apply = opt.apply_gradients(zip(clipped, tvars, strict=True), global_step=step)
    ema = tf.train.ExponentialMovingAverage(0.9, step)
    with tf.control_dependencies([apply]):
        train = ema.apply(tf.trainable_variables())
    for k, v in [("train", train), ("loss", loss), ("norm", norm), ("merged", merged)]:
        tf.add_to_collection(k, v)
    saver = tf.train.Saver()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        saver.save(s, os.path.join(d, "model.ckpt"))
        res = []
        for _ in range(3):
            lv, n, _ = s.run([loss, norm, train], {x: ids, y: ys})
            res.append([float(lv), float(n)])
        avg = s.run(ema.average(tf.trainable_variables()[-1]))
        summ = s.run(merged, {x: ids, y: ys})
        print(
            json.dumps(
                {
                    "res": res,
                    "avg": avg.tolist(),
                    "summ_len": len(tf.Summary.FromString(summ).value),
                }
            )
        )
os.remove(os.path.join(d, "checkpoint"))  # it names absolute paths
