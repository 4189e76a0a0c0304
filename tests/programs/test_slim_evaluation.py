"""TF-Slim's evaluation as eval_image_classifier-style scripts ran it: a model trained and saved,
then rebuilt over a tf.data iterator with streaming metrics in aggregate_metric_map and scalar
summaries, slim.evaluation.evaluate_once (num_evals, eval_op, final_op, variables_to_restore)
writing the summaries at the end, and slim.evaluation.evaluation_loop over the checkpoint
directory (max_number_of_evaluations=1, no summaries). (The reference ran tf_slim.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import glob
import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    slim = tf.contrib.slim
    rng = np.random.RandomState(37)
    xs = rng.randn(24, 4).astype(np.float32)
    ys = (xs[:, 0] + 0.5 * xs[:, 1] > 0).astype(np.int64)
    train_dir = os.path.join(str(workdir), "train")
    eval_dir = os.path.join(str(workdir), "eval")
    os.makedirs(train_dir)

    def model(x):
        h = slim.fully_connected(x, 6, scope="fc1")
        return slim.fully_connected(h, 2, activation_fn=None, scope="logits")

    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(2)
        step = tf.train.get_or_create_global_step()
        logits = model(tf.constant(xs))
        loss = tf.losses.sparse_softmax_cross_entropy(tf.constant(ys), logits)
        train = tf.train.GradientDescentOptimizer(0.3).minimize(loss, global_step=step)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(5):
                sess.run(train)
            tf.train.Saver().save(sess, os.path.join(train_dir, "model.ckpt"), global_step=step)
    out = {}
    g = tf.Graph()
    with g.as_default():
        step = tf.train.get_or_create_global_step()
        dataset = tf.data.Dataset.from_tensor_slices((xs, ys)).batch(8)
        x, y = dataset.make_one_shot_iterator().get_next()
        logits = model(x)
        pred = tf.argmax(logits, 1)
        values, updates = slim.metrics.aggregate_metric_map(
            {
                "accuracy": slim.metrics.streaming_accuracy(pred, y),
                "recall": slim.metrics.streaming_recall(pred, y),
            }
        )
        for name, value in values.items():
            tf.summary.scalar(name, value)
        ckpt = tf.train.latest_checkpoint(train_dir)
        got = slim.evaluation.evaluate_once(
            "",
            ckpt,
            eval_dir,
            num_evals=3,
            eval_op=list(updates.values()),
            final_op=values,
            variables_to_restore=slim.get_variables_to_restore(),
        )
        out["once"] = {k: float(v) for k, v in sorted(got.items())}
        out["locals"] = sorted(v.op.name for v in tf.local_variables())
    g = tf.Graph()
    with g.as_default():
        step = tf.train.get_or_create_global_step()
        x = tf.constant(xs[:8])
        logits = model(x)
        mean, mean_up = slim.metrics.streaming_mean(tf.reduce_max(logits, 1))
        got = slim.evaluation.evaluation_loop(
            "",
            train_dir,
            os.path.join(str(workdir), "loop"),
            num_evals=2,
            eval_op=mean_up,
            final_op=[mean, step],
            summary_op=None,
            eval_interval_secs=0,
            max_number_of_evaluations=1,
        )
        out["loop"] = [float(got[0]), int(got[1])]
    events = []
    for path in sorted(glob.glob(os.path.join(eval_dir, "events.out.tfevents.*"))):
        for ev in tf.train.summary_iterator(path):
            if ev.WhichOneof("what") == "summary":
                events.append(
                    [
                        int(ev.step),
                        sorted([v.tag, round(v.simple_value, 5)] for v in ev.summary.value),
                    ]
                )
    out["events"] = events
    return out


EXPECTED = {
    "once": {"accuracy": 0.5833333134651184, "recall": 0.692307710647583},
    "locals": [
        "accuracy/count",
        "accuracy/total",
        "eval_step",
        "recall/false_negatives/count",
        "recall/true_positives/count",
    ],
    "loop": [0.04155222699046135, 5],
    "events": [[5, [["accuracy_1", 0.58333], ["recall_1", 0.69231]]]],
}


def test_slim_evaluation_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
