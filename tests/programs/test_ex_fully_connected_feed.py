"""The TF 1.x tutorial fully_connected_feed.py with its mnist.py, run unchanged:
inference() with hidden1/hidden2/softmax_linear name scopes and truncated_normal weights,
loss() from sparse_softmax_cross_entropy, training() with a scalar summary, a global_step
Variable and minimize, evaluation() from in_top_k; run_training() with placeholder_inputs,
fill_feed_dict, a FileWriter, a Saver checkpoint and do_eval's printed precision on the
training, validation and test sets. Printed lines (the step timing left out), names, losses,
checkpoint state and summary tags were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled)."""

import contextlib
import io
import math
import os
import re
import time

import scopeflow as tf
from tests.programs.compare import close
from tests.programs.ex_mnist import read_data_sets
from tests.programs.test_ex_regression_examples import tokens

NUM_CLASSES = 10
IMAGE_SIZE = 8
IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE


class FLAGS:
    learning_rate = 0.5
    max_steps = 30
    hidden1 = 16
    hidden2 = 12
    batch_size = 20


def make_mnist(tf):
    def inference(images, hidden1_units, hidden2_units):
        with tf.name_scope("hidden1"):
            weights = tf.Variable(
                tf.truncated_normal(
                    [IMAGE_PIXELS, hidden1_units], stddev=1.0 / math.sqrt(float(IMAGE_PIXELS))
                ),
                name="weights",
            )
            biases = tf.Variable(tf.zeros([hidden1_units]), name="biases")
            hidden1 = tf.nn.relu(tf.matmul(images, weights) + biases)
        with tf.name_scope("hidden2"):
            weights = tf.Variable(
                tf.truncated_normal(
                    [hidden1_units, hidden2_units], stddev=1.0 / math.sqrt(float(hidden1_units))
                ),
                name="weights",
            )
            biases = tf.Variable(tf.zeros([hidden2_units]), name="biases")
            hidden2 = tf.nn.relu(tf.matmul(hidden1, weights) + biases)
        with tf.name_scope("softmax_linear"):
            weights = tf.Variable(
                tf.truncated_normal(
                    [hidden2_units, NUM_CLASSES], stddev=1.0 / math.sqrt(float(hidden2_units))
                ),
                name="weights",
            )
            biases = tf.Variable(tf.zeros([NUM_CLASSES]), name="biases")
            logits = tf.matmul(hidden2, weights) + biases
        return logits

    def loss(logits, labels):
        labels = tf.to_int64(labels)
        return tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)

    def training(loss, learning_rate):
        tf.summary.scalar("loss", loss)
        optimizer = tf.train.GradientDescentOptimizer(learning_rate)
        global_step = tf.Variable(0, name="global_step", trainable=False)
        train_op = optimizer.minimize(loss, global_step=global_step)
        return train_op

    def evaluation(logits, labels):
        correct = tf.nn.in_top_k(logits, labels, 1)
        return tf.reduce_sum(tf.cast(correct, tf.int32))

    return inference, loss, training, evaluation


def run_script(tf, log_dir):
    inference, loss_fn, training, evaluation = make_mnist(tf)

    def placeholder_inputs(batch_size):
        images_placeholder = tf.placeholder(tf.float32, shape=(batch_size, IMAGE_PIXELS))
        labels_placeholder = tf.placeholder(tf.int32, shape=(batch_size))
        return images_placeholder, labels_placeholder

    def fill_feed_dict(data_set, images_pl, labels_pl):
        images_feed, labels_feed = data_set.next_batch(FLAGS.batch_size)
        feed_dict = {
            images_pl: images_feed,
            labels_pl: labels_feed,
        }
        return feed_dict

    def do_eval(sess, eval_correct, images_placeholder, labels_placeholder, data_set):
        true_count = 0
        steps_per_epoch = data_set.num_examples // FLAGS.batch_size
        num_examples = steps_per_epoch * FLAGS.batch_size
        for _step in range(steps_per_epoch):
            feed_dict = fill_feed_dict(data_set, images_placeholder, labels_placeholder)
            true_count += sess.run(eval_correct, feed_dict=feed_dict)
        precision = float(true_count) / num_examples
        print(
            f"Num examples: {num_examples}  Num correct: {true_count}  "
            f"Precision @ 1: {precision:0.04f}"
        )

    data_sets = read_data_sets(one_hot=False)
    with tf.Graph().as_default() as graph:
        tf.set_random_seed(5)
        images_placeholder, labels_placeholder = placeholder_inputs(FLAGS.batch_size)
        logits = inference(images_placeholder, FLAGS.hidden1, FLAGS.hidden2)
        loss = loss_fn(logits, labels_placeholder)
        train_op = training(loss, FLAGS.learning_rate)
        eval_correct = evaluation(logits, labels_placeholder)
        summary = tf.summary.merge_all()
        init = tf.global_variables_initializer()
        saver = tf.train.Saver()
        sess = tf.Session()
        summary_writer = tf.summary.FileWriter(log_dir, sess.graph)
        sess.run(init)
        losses = []
        for step in range(FLAGS.max_steps):
            start_time = time.time()
            feed_dict = fill_feed_dict(data_sets.train, images_placeholder, labels_placeholder)
            _, loss_value = sess.run([train_op, loss], feed_dict=feed_dict)
            duration = time.time() - start_time
            losses.append(float(loss_value))
            if step % 10 == 0:
                print(f"Step {step}: loss = {loss_value:.2f} ({duration:.3f} sec)")
                summary_str = sess.run(summary, feed_dict=feed_dict)
                summary_writer.add_summary(summary_str, step)
                summary_writer.flush()
            if (step + 1) % 15 == 0 or (step + 1) == FLAGS.max_steps:
                checkpoint_file = os.path.join(log_dir, "model.ckpt")
                saver.save(sess, checkpoint_file, global_step=step)
                print("Training Data Eval:")
                do_eval(sess, eval_correct, images_placeholder, labels_placeholder, data_sets.train)
                print("Validation Data Eval:")
                do_eval(
                    sess, eval_correct, images_placeholder, labels_placeholder, data_sets.validation
                )
                print("Test Data Eval:")
                do_eval(sess, eval_correct, images_placeholder, labels_placeholder, data_sets.test)
        summary_writer.close()
        sess.close()
    return {
        "vars": [[v.name, v.shape.as_list()] for v in graph.get_collection("variables")],
        "names": [logits.name, loss.name, train_op.name, eval_correct.name, summary.name],
        "types": [eval_correct.op.inputs[0].op.inputs[0].op.type, train_op.type],
        "losses": losses,
    }


def program(tf, workdir):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        out = run_script(tf, workdir)
    text = re.sub(r"\(\d+\.\d+ sec\)", "(sec)", printed.getvalue())
    out["printed"] = tokens(text)
    state = tf.train.get_checkpoint_state(workdir)
    out["checkpoints"] = [os.path.basename(p) for p in state.all_model_checkpoint_paths]
    tags = []
    for name in sorted(os.listdir(workdir)):
        if name.startswith("events."):
            for event in tf.train.summary_iterator(os.path.join(workdir, name)):
                tags += [[event.step, v.tag] for v in event.summary.value]
                if event.HasField("graph_def"):
                    tags.append("graph_def")
    out["events"] = tags
    return out


EXPECTED = {
    "vars": [
        ["hidden1/weights:0", [64, 16]],
        ["hidden1/biases:0", [16]],
        ["hidden2/weights:0", [16, 12]],
        ["hidden2/biases:0", [12]],
        ["softmax_linear/weights:0", [12, 10]],
        ["softmax_linear/biases:0", [10]],
        ["global_step:0", []],
    ],
    "names": [
        "softmax_linear/add:0",
        "sparse_softmax_cross_entropy_loss/value:0",
        "GradientDescent",
        "Sum:0",
        "Merge/MergeSummary:0",
    ],
    "types": ["InTopKV2", "AssignAdd"],
    "losses": [
        2.405830144882202,
        2.360762119293213,
        2.368147373199463,
        2.3242390155792236,
        2.3108901977539062,
        2.28834867477417,
        2.2755284309387207,
        2.3215384483337402,
        2.3300843238830566,
        2.303682327270508,
        2.315884828567505,
        2.288604259490967,
        2.3138973712921143,
        2.3222784996032715,
        2.309913396835327,
        2.2753005027770996,
        2.285799503326416,
        2.260334014892578,
        2.250915050506592,
        2.3263657093048096,
        2.340419054031372,
        2.297719955444336,
        2.297430992126465,
        2.268468141555786,
        2.3052659034729004,
        2.336266279220581,
        2.3019866943359375,
        2.2686471939086914,
        2.267080068588257,
        2.249486207962036,
    ],
    "printed": [
        ["Step", "0:", "loss", "=", 2.41, "(sec)"],
        ["Step", "10:", "loss", "=", 2.32, "(sec)"],
        ["Training", "Data", "Eval:"],
        ["Num", "examples:", 240.0, "Num", "correct:", 39.0, "Precision", "@", "1:", 0.1625],
        ["Validation", "Data", "Eval:"],
        ["Num", "examples:", 40.0, "Num", "correct:", 3.0, "Precision", "@", "1:", 0.075],
        ["Test", "Data", "Eval:"],
        ["Num", "examples:", 60.0, "Num", "correct:", 11.0, "Precision", "@", "1:", 0.1833],
        ["Step", "20:", "loss", "=", 2.34, "(sec)"],
        ["Training", "Data", "Eval:"],
        ["Num", "examples:", 240.0, "Num", "correct:", 40.0, "Precision", "@", "1:", 0.1667],
        ["Validation", "Data", "Eval:"],
        ["Num", "examples:", 40.0, "Num", "correct:", 5.0, "Precision", "@", "1:", 0.125],
        ["Test", "Data", "Eval:"],
        ["Num", "examples:", 60.0, "Num", "correct:", 7.0, "Precision", "@", "1:", 0.1167],
    ],
    "checkpoints": ["model.ckpt-14", "model.ckpt-29"],
    "events": ["graph_def", [0, "loss"], [10, "loss"], [20, "loss"]],
}


def test_fully_connected_feed_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
