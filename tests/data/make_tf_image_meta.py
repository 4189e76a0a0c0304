"""Writes tests/data/graph_io/tf_image_meta: a .meta and checkpoint TensorFlow 2.21 writes in
graph mode for tests/programs/test_tf_written_meta.py (PNG decoding in a map_fn over a string
batch, resize_bilinear, per_image_standardization, conv2d, batch_normalization with its update
ops, max pooling, dense, Adam, tf.metrics.accuracy), and prints the losses of three training
steps and the accuracy that test expects.

Run with the reference TensorFlow: TF_USE_LEGACY_KERAS=1 /tmp/tfref/bin/python
tests/data/make_tf_image_meta.py
"""

import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graph_io", "tf_image_meta")
rng = np.random.RandomState(0)
imgs = (rng.rand(4, 8, 8, 3) * 255).astype(np.uint8)
png = [tf.image.encode_png(i) for i in imgs]
with tf.Session() as s:
    pngs = s.run(png)
labels = np.array([0, 1, 2, 1])
with tf.Graph().as_default():
    tf.set_random_seed(1)
    raw = tf.placeholder(tf.string, [None], name="raw")
    y = tf.placeholder(tf.int64, [None], name="y")
    training = tf.placeholder_with_default(False, [], name="training")

    def prep(b):
        im = tf.image.decode_png(b, channels=3)
        im = tf.image.convert_image_dtype(im, tf.float32)
        im = tf.image.resize_bilinear(im[None], [6, 6])[0]
        return tf.image.per_image_standardization(im)

    x = tf.map_fn(prep, raw, dtype=tf.float32)
    h = tf.layers.conv2d(x, 4, 3, padding="same", kernel_initializer=tf.constant_initializer(0.05))
    h = tf.layers.batch_normalization(h, training=training)
    h = tf.nn.relu(h)
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.flatten(h)
    logits = tf.layers.dense(h, 3, kernel_initializer=tf.constant_initializer(0.01))
    loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
    step = tf.train.get_or_create_global_step()
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=step, name="train")
    acc, acc_up = tf.metrics.accuracy(y, tf.argmax(logits, 1), name="acc")
    tf.add_to_collection("train", train)
    tf.add_to_collection("loss", loss)
    tf.add_to_collection("acc", acc)
    tf.add_to_collection("acc_up", acc_up)
    saver = tf.train.Saver()
    with tf.Session() as s:
        s.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        saver.save(s, os.path.join(d, "model.ckpt"))
        losses = []
        for _ in range(3):
            losses.append(float(s.run([loss, train], {raw: pngs, y: labels, training: True})[0]))
        s.run(acc_up, {raw: pngs, y: labels})
        print(json.dumps({"losses": losses, "acc": float(s.run(acc))}))
os.remove(os.path.join(d, "checkpoint"))  # it names absolute paths
