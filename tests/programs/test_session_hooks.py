"""MonitoredSession from a ChiefSessionCreator with StopAtStepHook(num_steps), NanTensorHook,
FeedFnHook, a CheckpointSaverHook with a CheckpointSaverListener, a custom SessionRunHook
fetching a tensor through SessionRunArgs, and FinalOpsHook; centered RMSProp.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(60)
    xs = rng.rand(6, 3).astype(np.float32)
    ys = rng.rand(6, 1).astype(np.float32)
    ckdir = os.path.join(str(workdir), "ck")
    g = tf.Graph()
    seen = []

    class Listener(tf.train.CheckpointSaverListener):
        def after_save(self, session, global_step_value):
            seen.append(["saved", int(global_step_value)])

    class Recorder(tf.train.SessionRunHook):
        def begin(self):
            self.loss = tf.get_default_graph().get_tensor_by_name("loss:0")

        def before_run(self, run_context):
            return tf.train.SessionRunArgs({"loss": self.loss})

        def after_run(self, run_context, run_values):
            seen.append(["loss", round(float(run_values.results["loss"]), 5)])
            if run_values.results["loss"] < 0.0:
                run_context.request_stop()

    with g.as_default():
        tf.set_random_seed(3)
        x = tf.placeholder(tf.float32, [None, 3])
        y = tf.placeholder(tf.float32, [None, 1])
        pred = tf.layers.dense(x, 1, name="d")
        loss = tf.reduce_mean(tf.square(pred - y), name="loss")
        step = tf.train.get_or_create_global_step()
        train = tf.train.RMSPropOptimizer(0.05, centered=True).minimize(loss, global_step=step)
        final = tf.identity(loss * 2, name="final")
        hooks = [
            tf.train.StopAtStepHook(num_steps=4),
            tf.train.NanTensorHook(loss),
            tf.train.FeedFnHook(lambda: {x: xs, y: ys}),
            tf.train.CheckpointSaverHook(ckdir, save_steps=2, listeners=[Listener()]),
            Recorder(),
        ]
        fin = tf.train.FinalOpsHook(final, final_ops_feed_dict={x: xs, y: ys})
        creator = tf.train.ChiefSessionCreator(checkpoint_dir=None)
        with tf.train.MonitoredSession(session_creator=creator, hooks=hooks + [fin]) as sess:
            while not sess.should_stop():
                sess.run(train)
        final_value = float(fin.final_ops_values)
    return {
        "seen": seen,
        "final": final_value,
        "files": sorted(f for f in os.listdir(ckdir) if not f.startswith("events")),
        "latest": os.path.basename(tf.train.latest_checkpoint(ckdir)),
        "vars": [v.name for v in g.get_collection("variables")],
    }


EXPECTED = {
    "seen": [
        ["saved", 0],
        ["loss", 0.51518],
        ["saved", 2],
        ["loss", 0.50022],
        ["loss", 0.48646],
        ["saved", 4],
        ["loss", 0.47354],
    ],
    "final": 0.9224209785461426,
    "files": [
        "checkpoint",
        "graph.pbtxt",
        "model.ckpt-0.data-00000-of-00001",
        "model.ckpt-0.index",
        "model.ckpt-0.meta",
        "model.ckpt-2.data-00000-of-00001",
        "model.ckpt-2.index",
        "model.ckpt-2.meta",
        "model.ckpt-4.data-00000-of-00001",
        "model.ckpt-4.index",
        "model.ckpt-4.meta",
    ],
    "latest": "model.ckpt-4",
    "vars": [
        "d/kernel:0",
        "d/bias:0",
        "global_step:0",
        "d/kernel/RMSProp:0",
        "d/kernel/RMSProp_1:0",
        "d/kernel/RMSProp_2:0",
        "d/bias/RMSProp:0",
        "d/bias/RMSProp_1:0",
        "d/bias/RMSProp_2:0",
    ],
}


def test_session_hooks_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
