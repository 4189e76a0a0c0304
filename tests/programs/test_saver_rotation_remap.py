"""Checkpoint bookkeeping as TF1 training scripts relied on it: a Saver with max_to_keep and
keep_checkpoint_every_n_hours saving every step with the global step in the name (old files
deleted, the ``checkpoint`` state file's paths), latest_checkpoint, get_checkpoint_state,
checkpoint_exists, list_variables and load_variable; then a second graph with other variable
names restoring through a var_list dict, a partial restore reported by
report_uninitialized_variables, and recover_last_checkpoints continuing the rotation.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(2)
    xs = rng.randn(5, 3).astype(np.float32)
    ys = rng.randn(5, 2).astype(np.float32)
    prefix = os.path.join(workdir, "model.ckpt")
    out = {}
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(4)
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        with tf.variable_scope("model"):
            h = tf.layers.dense(x, 4, tf.nn.tanh, name="hidden")
            pred = tf.layers.dense(h, 2, name="out")
        loss = tf.reduce_mean(tf.square(pred - ys))
        step = tf.train.get_or_create_global_step()
        train_op = tf.train.AdamOptimizer(0.05).minimize(loss, step)
        saver = tf.train.Saver(max_to_keep=2, keep_checkpoint_every_n_hours=2.0)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saved = []
            for _ in range(4):
                sess.run(train_op, {x: xs})
                saved.append(saver.save(sess, prefix, global_step=step))
            out["final_pred"] = sess.run(pred, {x: xs}).round(6).tolist()
        out["saved"] = [os.path.basename(p) for p in saved]
        out["last_checkpoints"] = [os.path.basename(p) for p in saver.last_checkpoints]
        out["keep_hours"] = float(saver.saver_def.keep_checkpoint_every_n_hours)
        out["max_to_keep"] = int(saver.saver_def.max_to_keep)
    out["files"] = sorted(os.listdir(workdir))
    state = tf.train.get_checkpoint_state(workdir)
    out["state"] = [os.path.basename(state.model_checkpoint_path)] + [
        os.path.basename(p) for p in state.all_model_checkpoint_paths
    ]
    latest = tf.train.latest_checkpoint(workdir)
    out["latest"] = os.path.basename(latest)
    out["exists"] = [
        bool(tf.train.checkpoint_exists(prefix + "-1")),
        bool(tf.train.checkpoint_exists(prefix + "-4")),
    ]
    out["listed"] = [[n, list(s)] for n, s in tf.train.list_variables(latest)]
    out["bias"] = tf.train.load_variable(workdir, "model/out/bias").round(6).tolist()
    out["step"] = int(tf.train.load_variable(latest, "global_step"))

    g2 = tf.Graph()
    with g2.as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        with tf.variable_scope("net"):
            w1 = tf.get_variable("w1", [3, 4])
            b1 = tf.get_variable("b1", [4])
            w2 = tf.get_variable("w2", [4, 2])
            b2 = tf.get_variable("b2", [2], initializer=tf.ones_initializer())
        pred = tf.matmul(tf.tanh(tf.matmul(x, w1) + b1), w2) + b2
        remap = tf.train.Saver(
            {"model/hidden/kernel": w1, "model/hidden/bias": b1, "model/out/kernel": w2}
        )
        with tf.Session() as sess:
            remap.restore(sess, latest)
            out["uninitialized"] = [
                s.decode() for s in sess.run(tf.report_uninitialized_variables())
            ]
            sess.run(b2.initializer)
            out["remapped_pred"] = sess.run(pred, {x: xs}).round(6).tolist()
            full = tf.train.Saver({"model/out/bias": b2}, max_to_keep=2)
            full.restore(sess, latest)
            out["restored_pred"] = sess.run(pred, {x: xs}).round(6).tolist()
            full.recover_last_checkpoints(state.all_model_checkpoint_paths)
            out["recovered"] = [os.path.basename(p) for p in full.last_checkpoints]
            out["saved_again"] = os.path.basename(full.save(sess, prefix, global_step=7))
        out["after"] = [os.path.basename(p) for p in full.last_checkpoints]
        out["remap_ops"] = [remap.saver_def.save_tensor_name, remap.saver_def.restore_op_name]
    out["files_after"] = sorted(os.listdir(workdir))
    return out


EXPECTED = {
    "final_pred": [
        [-0.46235600113868713, -0.5152480006217957],
        [0.40795400738716125, -0.39276498556137085],
        [-0.15259100496768951, -0.5683860182762146],
        [-0.4346199929714203, -0.15250200033187866],
        [-0.5735560059547424, -0.6881700158119202],
    ],
    "saved": ["model.ckpt-1", "model.ckpt-2", "model.ckpt-3", "model.ckpt-4"],
    "last_checkpoints": ["model.ckpt-3", "model.ckpt-4"],
    "keep_hours": 2.0,
    "max_to_keep": 2,
    "files": [
        "checkpoint",
        "model.ckpt-3.data-00000-of-00001",
        "model.ckpt-3.index",
        "model.ckpt-3.meta",
        "model.ckpt-4.data-00000-of-00001",
        "model.ckpt-4.index",
        "model.ckpt-4.meta",
    ],
    "state": ["model.ckpt-4", "model.ckpt-3", "model.ckpt-4"],
    "latest": "model.ckpt-4",
    "exists": [False, True],
    "listed": [
        ["beta1_power", []],
        ["beta2_power", []],
        ["global_step", []],
        ["model/hidden/bias", [4]],
        ["model/hidden/bias/Adam", [4]],
        ["model/hidden/bias/Adam_1", [4]],
        ["model/hidden/kernel", [3, 4]],
        ["model/hidden/kernel/Adam", [3, 4]],
        ["model/hidden/kernel/Adam_1", [3, 4]],
        ["model/out/bias", [2]],
        ["model/out/bias/Adam", [2]],
        ["model/out/bias/Adam_1", [2]],
        ["model/out/kernel", [4, 2]],
        ["model/out/kernel/Adam", [4, 2]],
        ["model/out/kernel/Adam_1", [4, 2]],
    ],
    "bias": [-0.10251600295305252, -0.1805489957332611],
    "step": 4,
    "uninitialized": ["net/b2"],
    "remapped_pred": [
        [0.6401600241661072, 0.6653010249137878],
        [1.5104700326919556, 0.7877839803695679],
        [0.9499250054359436, 0.6121630072593689],
        [0.6678959727287292, 1.02804696559906],
        [0.5289599895477295, 0.49237900972366333],
    ],
    "restored_pred": [
        [-0.46235600113868713, -0.5152480006217957],
        [0.40795400738716125, -0.39276498556137085],
        [-0.15259100496768951, -0.5683860182762146],
        [-0.4346199929714203, -0.15250200033187866],
        [-0.5735560059547424, -0.6881700158119202],
    ],
    "recovered": ["model.ckpt-3", "model.ckpt-4"],
    "saved_again": "model.ckpt-7",
    "after": ["model.ckpt-4", "model.ckpt-7"],
    "remap_ops": ["save/control_dependency:0", "save/restore_all"],
    "files_after": [
        "checkpoint",
        "model.ckpt-4.data-00000-of-00001",
        "model.ckpt-4.index",
        "model.ckpt-4.meta",
        "model.ckpt-7.data-00000-of-00001",
        "model.ckpt-7.index",
        "model.ckpt-7.meta",
    ],
}


def test_saver_rotation_remap_matches_tensorflow(tmp_path):
    close(program(tf, str(tmp_path)), EXPECTED)
