"""The multi-tower training loop of TF1 programs without Horovod: towers under tf.device('/gpu:i')
and name scopes sharing variables by reuse_variables (some variables pinned to /cpu:0, one to
/gpu:0), gradients averaged by concat and reduce_mean, Nesterov Momentum on a polynomial_decay,
allow_soft_placement, a sharded Saver with max_to_keep, get_checkpoint_state, latest_checkpoint,
NewCheckpointReader, and a restore into a fresh graph. (TF writes one data file per device
shard; scopeflow writes one, so the data files' names are not compared.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(17)
    xs = rng.randn(8, 5).astype(np.float32)
    ys = rng.randint(0, 3, 8).astype(np.int64)
    ckdir = os.path.join(str(workdir), "train")
    os.makedirs(ckdir)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(13)
        with tf.device("/cpu:0"):
            step = tf.train.get_or_create_global_step()
            lr = tf.train.polynomial_decay(0.3, step, 10, 0.05, power=2.0)
            opt = tf.train.MomentumOptimizer(lr, 0.8, use_nesterov=True)
        x_split = tf.split(tf.constant(xs), 2)
        y_split = tf.split(tf.constant(ys), 2)

        def tower(x, y):
            with tf.device("/cpu:0"):
                w1 = tf.get_variable("w1", [5, 6], initializer=tf.glorot_uniform_initializer())
                b1 = tf.get_variable("b1", [6], initializer=tf.zeros_initializer())
            with tf.device("/gpu:0"):
                w2 = tf.get_variable(
                    "w2", [6, 3], initializer=tf.random_normal_initializer(stddev=0.3)
                )
            h = tf.nn.elu(tf.matmul(x, w1) + b1)
            logits = tf.matmul(h, w2)
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
            )
            tf.add_to_collection("losses", loss)
            return loss

        grads, losses = [], []
        with tf.variable_scope(tf.get_variable_scope()):
            for i in range(2):
                with tf.device(f"/gpu:{i}"), tf.name_scope(f"tower_{i}"):
                    loss = tower(x_split[i], y_split[i])
                    tf.get_variable_scope().reuse_variables()
                    losses.append(loss)
                    grads.append(opt.compute_gradients(loss))
        averaged = []
        for pairs in zip(*grads, strict=True):
            stacked = [tf.expand_dims(gr, 0) for gr, _ in pairs]
            averaged.append((tf.reduce_mean(tf.concat(stacked, 0), 0), pairs[0][1]))
        train = opt.apply_gradients(averaged, global_step=step)
        total = tf.add_n(losses) / 2.0
        saver = tf.train.Saver(sharded=True, max_to_keep=2)
        config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False)
        seen = []
        with tf.Session(config=config) as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(5):
                seen.append(float(sess.run([train, total])[1]))
                if i % 2 == 1:
                    saver.save(sess, os.path.join(ckdir, "model.ckpt"), global_step=step)
            final = sess.run(tf.trainable_variables())
        files = sorted(os.listdir(ckdir))
        state = tf.train.get_checkpoint_state(ckdir)
        latest = tf.train.latest_checkpoint(ckdir)
    g2 = tf.Graph()
    with g2.as_default():
        w1 = tf.get_variable("w1", [5, 6])
        b1 = tf.get_variable("b1", [6])
        w2 = tf.get_variable("w2", [6, 3])
        with tf.Session() as sess:
            tf.train.Saver([w1, b1, w2]).restore(sess, latest)
            back = sess.run([w1, b1, w2])
        reader = tf.train.NewCheckpointReader(latest)
        shapes = sorted(reader.get_variable_to_shape_map().items())
    return {
        "vars": [[v.name, v.shape.as_list(), v.device] for v in g.get_collection("variables")],
        "losses": seen,
        "files": [f for f in files if ".data-" not in f],
        "state": [os.path.basename(p) for p in state.all_model_checkpoint_paths],
        "latest": os.path.basename(latest),
        "shapes": [[k, v] for k, v in shapes],
        "restored": [float(np.abs(a - b).max()) for a, b in zip(final, back, strict=True)],
        "w2": [float(v) for v in back[2].ravel()[:4]],
        "grads": [gr.name for gr, _ in averaged],
    }


EXPECTED = {
    "vars": [
        ["global_step:0", [], "/device:CPU:0"],
        ["w1:0", [5, 6], "/device:CPU:0"],
        ["b1:0", [6], "/device:CPU:0"],
        ["w2:0", [6, 3], "/device:GPU:0"],
        ["w1/Momentum:0", [5, 6], "/device:CPU:0"],
        ["b1/Momentum:0", [6], "/device:CPU:0"],
        ["w2/Momentum:0", [6, 3], "/device:GPU:0"],
    ],
    "losses": [
        0.974942147731781,
        0.7717535495758057,
        0.6340895295143127,
        0.5218439698219299,
        0.43350207805633545,
    ],
    "files": [
        "checkpoint",
        "model.ckpt-2.index",
        "model.ckpt-2.meta",
        "model.ckpt-4.index",
        "model.ckpt-4.meta",
    ],
    "state": ["model.ckpt-2", "model.ckpt-4"],
    "latest": "model.ckpt-4",
    "shapes": [
        ["b1", [6]],
        ["b1/Momentum", [6]],
        ["global_step", []],
        ["w1", [5, 6]],
        ["w1/Momentum", [5, 6]],
        ["w2", [6, 3]],
        ["w2/Momentum", [6, 3]],
    ],
    "restored": [0.03802990913391113, 0.04730738699436188, 0.09358417987823486],
    "w2": [-0.19580979645252228, -0.46603888273239136, 0.17293596267700195, -0.15602274239063263],
    "grads": ["Mean:0", "Mean_1:0", "Mean_2:0"],
}


def test_multi_tower_sharded_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
