"""Training resumed by tf.train.SessionManager as TF1 launch scripts did without Monitored
sessions: prepare_session with an init_op and an init_fn, a ready_op from
report_uninitialized_variables, a local_init_op for a local counter; a sharded Saver with
max_to_keep writing per-step checkpoints; recover_session picking up the latest one from the
checkpoint directory (and failing to recover from an empty one); get_checkpoint_state's
paths, tf.train.checkpoint_exists, and an object-based tf.train.Checkpoint saved and restored
in graph mode with run_restore_ops.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    ckpt_dir = os.path.join(workdir, "ckpt")
    empty_dir = os.path.join(workdir, "empty")
    os.makedirs(empty_dir)
    os.makedirs(ckpt_dir)
    xs = np.linspace(-1, 1, 8, dtype=np.float32)[:, None]
    ys = 3.0 * xs - 1.0

    def build():
        g = tf.Graph()
        with g.as_default():
            tf.set_random_seed(47)
            x = tf.constant(xs)
            w = tf.get_variable("w", [1, 1])
            b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
            seen = tf.get_variable(
                "seen",
                [],
                tf.int32,
                tf.zeros_initializer(),
                collections=[tf.GraphKeys.LOCAL_VARIABLES],
                trainable=False,
            )
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - ys))
            step = tf.train.get_or_create_global_step()
            with tf.control_dependencies([tf.assign_add(seen, 1)]):
                train = tf.train.GradientDescentOptimizer(0.2).minimize(loss, global_step=step)
            saver = tf.train.Saver(sharded=True, max_to_keep=2)
            sm = tf.train.SessionManager(
                ready_op=tf.report_uninitialized_variables(),
                ready_for_local_init_op=tf.report_uninitialized_variables(tf.global_variables()),
                local_init_op=tf.local_variables_initializer(),
            )
        return g, sm, saver, loss, train, step, seen, w

    g, sm, saver, loss, train, step, seen, w = build()
    with g.as_default():
        init = tf.global_variables_initializer()
        inits = []
        sess = sm.prepare_session(
            "",
            init_op=init,
            saver=saver,
            checkpoint_dir=ckpt_dir,
            init_fn=lambda s: inits.append(int(s.run(step))),
        )
        first = []
        for _ in range(5):
            lv, _ = sess.run([loss, train])
            first.append(float(lv))
            saver.save(sess, os.path.join(ckpt_dir, "model"), global_step=step)
        state = tf.train.get_checkpoint_state(ckpt_dir)
        kept = [os.path.basename(p) for p in state.all_model_checkpoint_paths]
        latest = os.path.basename(state.model_checkpoint_path)
        exists = tf.train.checkpoint_exists(state.model_checkpoint_path)
        files = sorted(f for f in os.listdir(ckpt_dir) if f.startswith("model-5"))
        sess.close()

    g, sm, saver, loss, train, step, seen, w = build()
    with g.as_default():
        empty_sess, empty_ok = sm.recover_session("", saver=saver, checkpoint_dir=empty_dir)
        empty_sess.close()
        sess, recovered = sm.recover_session("", saver=saver, checkpoint_dir=ckpt_dir)
        resumed = int(sess.run(step))
        seen_after = int(sess.run(seen))
        second = [float(sess.run([loss, train])[0]) for _ in range(3)]
        ready = sess.run(tf.report_uninitialized_variables())
        wv = sess.run(w)
        ckpt = tf.train.Checkpoint(weight=w, step=step)
        obj_path = ckpt.save(os.path.join(workdir, "obj", "ckpt"), session=sess)
        sess.run(tf.assign(w, [[0.0]]))
        ckpt.restore(obj_path).run_restore_ops(session=sess)
        w_back = sess.run(w)
        obj_keys = sorted(n for n, _ in tf.train.list_variables(obj_path))
        sess.close()
    return {
        "init_fn_saw_step": inits,
        "first": first,
        "kept": kept,
        "latest": latest,
        "exists": bool(exists),
        "files": files,
        "empty_recovered": bool(empty_ok),
        "recovered": bool(recovered),
        "resumed_step": resumed,
        "local_after_recover": seen_after,
        "second": second,
        "uninitialized": [v.decode() for v in ready],
        "w": wv.tolist(),
        "obj_path": os.path.basename(obj_path),
        "w_back": w_back.tolist(),
        "obj_keys": obj_keys,
    }


EXPECTED = {
    "init_fn_saw_step": [0],
    "first": [
        1.709198236465454,
        0.8468862175941467,
        0.46386241912841797,
        0.2761373817920685,
        0.1743420958518982,
    ],
    "kept": ["model-4", "model-5"],
    "latest": "model-5",
    "exists": True,
    "files": ["model-5.data-00000-of-00001", "model-5.index", "model-5.meta"],
    "empty_recovered": False,
    "recovered": True,
    "resumed_step": 5,
    "local_after_recover": 0,
    "second": [0.11420682072639465, 0.07643203437328339, 0.05176212638616562],
    "uninitialized": [],
    "w": [[2.714233160018921]],
    "obj_path": "ckpt-1",
    "w_back": [[2.714233160018921]],
    "obj_keys": [
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
        "step/.ATTRIBUTES/VARIABLE_VALUE",
        "weight/.ATTRIBUTES/VARIABLE_VALUE",
    ],
}


def test_session_manager_recovery_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
