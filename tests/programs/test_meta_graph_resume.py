"""Resuming training from a MetaGraph, as TF1 scripts did: a Saver over a dict var_list beside a
full Saver with max_to_keep, save with global_step, a second state file (latest_filename),
export_meta_graph with clear_devices, checkpoint_exists, then import_meta_graph in a new graph,
the train op and tensors found through collections and get_tensor_by_name, restore from
latest_checkpoint and three more steps; and the dict-named checkpoint restored under its keys.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(9)
    xs = rng.randn(16, 3).astype(np.float32)
    ys = (xs @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3).astype(np.float32)
    ckdir = os.path.join(str(workdir), "ck")
    os.makedirs(ckdir)
    prefix = os.path.join(ckdir, "model")
    out = {}
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(5)
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = tf.placeholder(tf.float32, [None, 1], name="y")
        with tf.device("/cpu:0"):
            w = tf.get_variable("w", [3, 1])
            b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
        pred = tf.add(tf.matmul(x, w), b, name="pred")
        loss = tf.reduce_mean(tf.square(pred - y), name="loss")
        step = tf.train.get_or_create_global_step()
        train = tf.train.MomentumOptimizer(0.05, 0.9).minimize(loss, global_step=step, name="train")
        tf.add_to_collection("train_op", train)
        tf.add_to_collection("io", x)
        tf.add_to_collection("io", pred)
        saver = tf.train.Saver({"weights": w, "bias": b, "step": step}, max_to_keep=2)
        full = tf.train.Saver(max_to_keep=3)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for i in range(6):
                losses.append(float(sess.run([train, loss], {x: xs, y: ys})[1]))
                if i % 2 == 1:
                    full.save(sess, prefix, global_step=step)
            saver.save(
                sess,
                os.path.join(ckdir, "small"),
                write_meta_graph=False,
                latest_filename="small_state",
            )
            meta = full.export_meta_graph(os.path.join(ckdir, "clean.meta"), clear_devices=True)
        out["losses"] = losses
        out["last"] = [os.path.basename(p) for p in full.last_checkpoints]
        out["meta_collections"] = sorted(meta.collection_def.keys())
        out["meta_devices"] = sorted({n.device for n in meta.graph_def.node})
        out["small"] = sorted(n for n, _ in tf.train.list_variables(os.path.join(ckdir, "small")))
        out["exists"] = [
            tf.train.checkpoint_exists(prefix + "-6"),
            tf.train.checkpoint_exists(prefix + "-2"),
        ]
        out["files"] = sorted(f for f in os.listdir(ckdir) if not f.startswith("small"))
    g2 = tf.Graph()
    with g2.as_default():
        restorer = tf.train.import_meta_graph(prefix + "-6.meta")
        train_op = tf.get_collection("train_op")[0]
        xin, pout = tf.get_collection("io")
        lossv = g2.get_tensor_by_name("loss:0")
        yin = g2.get_tensor_by_name("y:0")
        with tf.Session() as sess:
            restorer.restore(sess, tf.train.latest_checkpoint(ckdir))
            more = [float(sess.run([train_op, lossv], {xin: xs, yin: ys})[1]) for _ in range(3)]
            out["resumed"] = more
            out["resumed_step"] = int(sess.run("global_step:0"))
            out["pred"] = [float(v) for v in sess.run(pout, {xin: xs[:3]}).ravel()]
        out["restored_names"] = [train_op.name, xin.name, pout.name, restorer.saver_def.max_to_keep]
        out["devices"] = sorted({op.device for op in g2.get_operations()})
    g3 = tf.Graph()
    with g3.as_default():
        wt = tf.get_variable("weights", [3, 1])
        bs = tf.get_variable("bias", [1])
        with tf.Session() as sess:
            tf.train.Saver([wt, bs]).restore(sess, os.path.join(ckdir, "small"))
            out["small_values"] = [float(v) for v in sess.run(wt).ravel()] + [
                float(sess.run(bs)[0])
            ]
    return out


EXPECTED = {
    "losses": [
        8.474170684814453,
        6.612588882446289,
        4.018132209777832,
        1.9535069465637207,
        1.0989986658096313,
        1.3188533782958984,
    ],
    "last": ["model-2", "model-4", "model-6"],
    "meta_collections": ["global_step", "io", "train_op", "trainable_variables", "variables"],
    "meta_devices": [""],
    "small": ["bias", "step", "weights"],
    "exists": [True, True],
    "files": [
        "checkpoint",
        "clean.meta",
        "model-2.data-00000-of-00001",
        "model-2.index",
        "model-2.meta",
        "model-4.data-00000-of-00001",
        "model-4.index",
        "model-4.meta",
        "model-6.data-00000-of-00001",
        "model-6.index",
        "model-6.meta",
    ],
    "resumed": [1.9439555406570435, 2.29529070854187, 2.08852481842041],
    "resumed_step": 9,
    "pred": [0.5271229147911072, 1.0538142919540405, -0.7420830726623535],
    "restored_names": ["train", "x:0", "pred:0", 3],
    "devices": ["", "/device:CPU:0"],
    "small_values": [
        0.7461901903152466,
        -2.6018407344818115,
        0.6805697083473206,
        -0.6313537955284119,
    ],
}


def test_meta_graph_resume_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
