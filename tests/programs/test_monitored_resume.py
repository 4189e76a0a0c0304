"""MonitoredTrainingSession with StopAtStepHook, summaries every two steps and checkpoints, run
twice (the second run resumes from the first's checkpoint), then a Supervisor's managed_session
restoring the latest checkpoint mid-run and saving to its own logdir.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import glob
import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def _model(tf):
    tf.set_random_seed(31)
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    pred = tf.layers.dense(x, 1, name="lin")
    loss = tf.reduce_mean(tf.square(pred - y), name="mse")
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("kernel", tf.trainable_variables()[0])
    step = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
    return x, y, loss, step, train


def _events(tf, d):
    tags = {}
    for f in sorted(glob.glob(os.path.join(d, "events.out.tfevents*"))):
        for e in tf.train.summary_iterator(f):
            for v in e.summary.value:
                tags.setdefault(v.tag, []).append(int(e.step))
    return {k: sorted(v) for k, v in tags.items()}


def program(tf, workdir):
    rng = np.random.RandomState(12)
    xs = rng.rand(16, 2).astype(np.float32)
    ys = xs.sum(1, keepdims=True) * 2 - 1
    mdir = os.path.join(str(workdir), "mts")
    losses = []
    # first run: 5 steps, checkpoint at the end
    for stop in (5, 9):
        g = tf.Graph()
        with g.as_default():
            x, y, loss, step, train = _model(tf)
            hooks = [tf.train.StopAtStepHook(last_step=stop)]
            with tf.train.MonitoredTrainingSession(
                checkpoint_dir=mdir,
                hooks=hooks,
                save_summaries_steps=2,
                save_checkpoint_steps=100,
                log_step_count_steps=None,
            ) as sess:
                while not sess.should_stop():
                    _, lv, s = sess.run([train, loss, step], {x: xs, y: ys})
                    losses.append([int(s), float(lv)])
    ckpt = tf.train.latest_checkpoint(mdir)
    # Supervisor resuming from the MonitoredTrainingSession's checkpoint
    sdir = os.path.join(str(workdir), "sv")
    g = tf.Graph()
    with g.as_default():
        x, y, loss, step, train = _model(tf)
        saver = tf.train.Saver()
        sv = tf.train.Supervisor(
            logdir=sdir, saver=saver, save_model_secs=0, save_summaries_secs=0, summary_op=None
        )
        with sv.managed_session() as sess:
            saver.restore(sess, ckpt)
            sv_losses = []
            for _ in range(3):
                _, lv, s = sess.run([train, loss, step], {x: xs, y: ys})
                sv_losses.append([int(s), float(lv)])
            sv.saver.save(sess, sv.save_path, global_step=step)
            kernel = sess.run(tf.trainable_variables()[0])
        sv_files = sorted(f for f in os.listdir(sdir) if not f.startswith("events"))
    return {
        "losses": losses,
        "ckpt": os.path.basename(ckpt),
        "ckpt_files": sorted(f for f in os.listdir(mdir) if not f.startswith("events")),
        "tags": _events(tf, mdir),
        "sv_losses": sv_losses,
        "sv_files": sv_files,
        "kernel": [float(v) for v in kernel.ravel()],
    }


EXPECTED = {
    "losses": [
        [1, 2.044435501098633],
        [2, 1.5687401294708252],
        [3, 1.1737667322158813],
        [4, 0.8598042130470276],
        [5, 0.6253481507301331],
        [6, 0.4663906395435333],
        [7, 0.37567973136901855],
        [8, 0.3422435522079468],
        [9, 0.3516145646572113],
    ],
    "ckpt": "model.ckpt-9",
    "ckpt_files": [
        "checkpoint",
        "graph.pbtxt",
        "model.ckpt-0.data-00000-of-00001",
        "model.ckpt-0.index",
        "model.ckpt-0.meta",
        "model.ckpt-5.data-00000-of-00001",
        "model.ckpt-5.index",
        "model.ckpt-5.meta",
        "model.ckpt-9.data-00000-of-00001",
        "model.ckpt-9.index",
        "model.ckpt-9.meta",
    ],
    "tags": {"loss": [1, 3, 5, 6, 8], "kernel": [1, 3, 5, 6, 8]},
    "sv_losses": [[10, 0.3871367573738098], [11, 0.43227365612983704], [12, 0.4731563627719879]],
    "sv_files": [
        "checkpoint",
        "graph.pbtxt",
        "model.ckpt-12.data-00000-of-00001",
        "model.ckpt-12.index",
        "model.ckpt-12.meta",
    ],
    "kernel": [1.1086639165878296, 0.09108840674161911],
}


def test_monitored_resume_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
