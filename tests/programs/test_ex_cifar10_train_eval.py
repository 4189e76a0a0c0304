"""The TF 1.x tutorial cifar10_train.py / cifar10.py / cifar10_eval.py, run unchanged (sized
down): inference() with variable_scope'd conv1/conv2/local3/local4/softmax_linear,
_variable_on_cpu and _variable_with_weight_decay (weight losses in the 'losses'
collection), _activation_summary (re.sub of the tower name, zero_fraction sparsity),
lrn, loss() with total_loss from add_n, _add_loss_summaries with an 'avg'
ExponentialMovingAverage, train() with a staircase exponential_decay, compute/apply_gradients
under the loss averages' control dependency, gradient histograms, variable moving averages
and a 'train' no_op; a _LoggerHook (begin/before_run/after_run with SessionRunArgs) beside
StopAtStepHook and NanTensorHook in a MonitoredTrainingSession; then eval_once restoring the
moving averages (variables_to_restore) from get_checkpoint_state and counting in_top_k.
Inputs come from tf.data instead of the binary-file queue. Printed lines (timestamps and
speeds left out), names, checkpoint keys, losses and precision were printed by the same
program under TensorFlow 2.21 (``tensorflow.compat.v1``, v2 behaviour disabled)."""

import contextlib
import io
import os
import re
import time
from datetime import datetime

import numpy as np

import scopeflow as tf
from tests.programs.compare import close
from tests.programs.test_ex_regression_examples import tokens

TOWER_NAME = "tower"
NUM_CLASSES = 10
NUM_EXAMPLES_PER_EPOCH_FOR_TRAIN = 48
MOVING_AVERAGE_DECAY = 0.9999
NUM_EPOCHS_PER_DECAY = 2.0
LEARNING_RATE_DECAY_FACTOR = 0.1
INITIAL_LEARNING_RATE = 0.1


class FLAGS:
    batch_size = 8
    max_steps = 8
    log_frequency = 3
    log_device_placement = False


def make_data():
    rng = np.random.RandomState(5)
    images = rng.rand(64, 8, 8, 3).astype(np.float32)
    labels = (
        ((images[:, :4, :4].mean(axis=(1, 2)) - 0.5) @ rng.randn(3, NUM_CLASSES))
        .argmax(1)
        .astype(np.int32)
    )
    return images, labels


def make_cifar10(tf):
    def _activation_summary(x):
        tensor_name = re.sub(f"{TOWER_NAME}_[0-9]*/", "", x.op.name)
        tf.summary.histogram(tensor_name + "/activations", x)
        tf.summary.scalar(tensor_name + "/sparsity", tf.nn.zero_fraction(x))

    def _variable_on_cpu(name, shape, initializer):
        with tf.device("/cpu:0"):
            var = tf.get_variable(name, shape, initializer=initializer, dtype=tf.float32)
        return var

    def _variable_with_weight_decay(name, shape, stddev, wd):
        var = _variable_on_cpu(
            name, shape, tf.truncated_normal_initializer(stddev=stddev, dtype=tf.float32)
        )
        if wd is not None:
            weight_decay = tf.multiply(tf.nn.l2_loss(var), wd, name="weight_loss")
            tf.add_to_collection("losses", weight_decay)
        return var

    def inputs(images, labels, repeat):
        dataset = tf.data.Dataset.from_tensor_slices((images, labels))
        if repeat:
            dataset = dataset.repeat()
        dataset = dataset.batch(FLAGS.batch_size, drop_remainder=True)
        return dataset.make_one_shot_iterator().get_next()

    def inference(images):
        with tf.variable_scope("conv1") as scope:
            kernel = _variable_with_weight_decay("weights", [5, 5, 3, 8], stddev=5e-2, wd=None)
            conv = tf.nn.conv2d(images, kernel, [1, 1, 1, 1], padding="SAME")
            biases = _variable_on_cpu("biases", [8], tf.constant_initializer(0.0))
            pre_activation = tf.nn.bias_add(conv, biases)
            conv1 = tf.nn.relu(pre_activation, name=scope.name)
            _activation_summary(conv1)
        pool1 = tf.nn.max_pool(
            conv1, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME", name="pool1"
        )
        norm1 = tf.nn.lrn(pool1, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75, name="norm1")
        with tf.variable_scope("conv2") as scope:
            kernel = _variable_with_weight_decay("weights", [5, 5, 8, 8], stddev=5e-2, wd=None)
            conv = tf.nn.conv2d(norm1, kernel, [1, 1, 1, 1], padding="SAME")
            biases = _variable_on_cpu("biases", [8], tf.constant_initializer(0.1))
            pre_activation = tf.nn.bias_add(conv, biases)
            conv2 = tf.nn.relu(pre_activation, name=scope.name)
            _activation_summary(conv2)
        norm2 = tf.nn.lrn(conv2, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75, name="norm2")
        pool2 = tf.nn.max_pool(
            norm2, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME", name="pool2"
        )
        with tf.variable_scope("local3") as scope:
            reshape = tf.reshape(pool2, [images.get_shape().as_list()[0], -1])
            dim = reshape.get_shape()[1].value
            weights = _variable_with_weight_decay("weights", shape=[dim, 24], stddev=0.04, wd=0.004)
            biases = _variable_on_cpu("biases", [24], tf.constant_initializer(0.1))
            local3 = tf.nn.relu(tf.matmul(reshape, weights) + biases, name=scope.name)
            _activation_summary(local3)
        with tf.variable_scope("local4") as scope:
            weights = _variable_with_weight_decay("weights", shape=[24, 16], stddev=0.04, wd=0.004)
            biases = _variable_on_cpu("biases", [16], tf.constant_initializer(0.1))
            local4 = tf.nn.relu(tf.matmul(local3, weights) + biases, name=scope.name)
            _activation_summary(local4)
        with tf.variable_scope("softmax_linear") as scope:
            weights = _variable_with_weight_decay(
                "weights", [16, NUM_CLASSES], stddev=1 / 16.0, wd=None
            )
            biases = _variable_on_cpu("biases", [NUM_CLASSES], tf.constant_initializer(0.0))
            softmax_linear = tf.add(tf.matmul(local4, weights), biases, name=scope.name)
            _activation_summary(softmax_linear)
        return softmax_linear

    def loss(logits, labels):
        labels = tf.cast(labels, tf.int64)
        cross_entropy = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits, name="cross_entropy_per_example"
        )
        cross_entropy_mean = tf.reduce_mean(cross_entropy, name="cross_entropy")
        tf.add_to_collection("losses", cross_entropy_mean)
        return tf.add_n(tf.get_collection("losses"), name="total_loss")

    def _add_loss_summaries(total_loss):
        loss_averages = tf.train.ExponentialMovingAverage(0.9, name="avg")
        losses = tf.get_collection("losses")
        loss_averages_op = loss_averages.apply(losses + [total_loss])
        for l in losses + [total_loss]:  # noqa: E741 (the tutorial's name)
            tf.summary.scalar(l.op.name + " (raw)", l)
            tf.summary.scalar(l.op.name, loss_averages.average(l))
        return loss_averages_op

    def train(total_loss, global_step):
        num_batches_per_epoch = NUM_EXAMPLES_PER_EPOCH_FOR_TRAIN / FLAGS.batch_size
        decay_steps = int(num_batches_per_epoch * NUM_EPOCHS_PER_DECAY)
        lr = tf.train.exponential_decay(
            INITIAL_LEARNING_RATE,
            global_step,
            decay_steps,
            LEARNING_RATE_DECAY_FACTOR,
            staircase=True,
        )
        tf.summary.scalar("learning_rate", lr)
        loss_averages_op = _add_loss_summaries(total_loss)
        with tf.control_dependencies([loss_averages_op]):
            opt = tf.train.GradientDescentOptimizer(lr)
            grads = opt.compute_gradients(total_loss)
        apply_gradient_op = opt.apply_gradients(grads, global_step=global_step)
        for var in tf.trainable_variables():
            tf.summary.histogram(var.op.name, var)
        for grad, var in grads:
            if grad is not None:
                tf.summary.histogram(var.op.name + "/gradients", grad)
        variable_averages = tf.train.ExponentialMovingAverage(MOVING_AVERAGE_DECAY, global_step)
        with tf.control_dependencies([apply_gradient_op]):
            variables_averages_op = variable_averages.apply(tf.trainable_variables())
        with tf.control_dependencies([apply_gradient_op, variables_averages_op]):
            train_op = tf.no_op(name="train")
        return train_op

    return inputs, inference, loss, train


def run_train(tf, train_dir, images_np, labels_np, seen):
    inputs, inference, loss_fn, train_fn = make_cifar10(tf)
    with tf.Graph().as_default() as graph:
        tf.set_random_seed(2)
        global_step = tf.train.get_or_create_global_step()
        with tf.device("/cpu:0"):
            images, labels = inputs(images_np, labels_np, repeat=True)
        logits = inference(images)
        loss = loss_fn(logits, labels)
        train_op = train_fn(loss, global_step)

        class _LoggerHook(tf.train.SessionRunHook):
            def begin(self):
                self._step = -1
                self._start_time = time.time()

            def before_run(self, run_context):
                self._step += 1
                return tf.train.SessionRunArgs(loss)

            def after_run(self, run_context, run_values):
                seen.append(float(run_values.results))
                if self._step % FLAGS.log_frequency == 0:
                    current_time = time.time()
                    duration = current_time - self._start_time
                    self._start_time = current_time
                    loss_value = run_values.results
                    examples_per_sec = FLAGS.log_frequency * FLAGS.batch_size / duration
                    sec_per_batch = float(duration / FLAGS.log_frequency)
                    print(
                        f"{datetime.now()}: step {self._step}, loss = {loss_value:.2f} "
                        f"({examples_per_sec:.1f} examples/sec; {sec_per_batch:.3f} sec/batch)"
                    )

        with tf.train.MonitoredTrainingSession(
            checkpoint_dir=train_dir,
            hooks=[
                tf.train.StopAtStepHook(last_step=FLAGS.max_steps),
                tf.train.NanTensorHook(loss),
                _LoggerHook(),
            ],
            config=tf.ConfigProto(log_device_placement=FLAGS.log_device_placement),
        ) as mon_sess:
            while not mon_sess.should_stop():
                mon_sess.run(train_op)
        summaries = sorted(
            {op.name for op in graph.get_operations() if op.type in ("ScalarSummary",)}
        )
    return {
        "names": [logits.name, loss.name, train_op.name, global_step.name],
        "vars": [[v.name, v.shape.as_list()] for v in graph.get_collection("variables")],
        "scalar_summaries": summaries,
    }


def run_eval(tf, train_dir, images_np, labels_np):
    inputs, inference, _, _ = make_cifar10(tf)
    with tf.Graph().as_default():
        images, labels = inputs(images_np[:48], labels_np[:48], repeat=False)
        logits = inference(images)
        top_k_op = tf.nn.in_top_k(logits, labels, 1)
        variable_averages = tf.train.ExponentialMovingAverage(MOVING_AVERAGE_DECAY)
        variables_to_restore = variable_averages.variables_to_restore()
        saver = tf.train.Saver(variables_to_restore)
        with tf.Session() as sess:
            ckpt = tf.train.get_checkpoint_state(train_dir)
            saver.restore(sess, ckpt.model_checkpoint_path)
            global_step = ckpt.model_checkpoint_path.split("/")[-1].split("-")[-1]
            num_iter = 48 // FLAGS.batch_size
            true_count = 0
            total_sample_count = num_iter * FLAGS.batch_size
            step = 0
            while step < num_iter:
                predictions = sess.run([top_k_op])
                true_count += np.sum(predictions)
                step += 1
            precision = true_count / total_sample_count
            print(f"{datetime.now()}: precision @ 1 = {precision:.3f}")
        return {
            "global_step": global_step,
            "restore_map": sorted([k, v.name] for k, v in variables_to_restore.items()),
        }


def program(tf, workdir):
    images_np, labels_np = make_data()
    train_dir = os.path.join(str(workdir), "cifar10_train")
    seen = []
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        out = run_train(tf, train_dir, images_np, labels_np, seen)
        out["eval"] = run_eval(tf, train_dir, images_np, labels_np)
    text = re.sub(r"^\S+ \S+: ", "", printed.getvalue(), flags=re.M)
    text = re.sub(r" \(\S+ examples/sec; \S+ sec/batch\)", "", text)
    out["printed"] = tokens(text)
    out["losses"] = seen
    ckpt = tf.train.latest_checkpoint(train_dir)
    out["checkpoint"] = os.path.basename(ckpt)
    out["keys"] = [[k, s] for k, s in tf.train.list_variables(ckpt)]
    reader = tf.train.NewCheckpointReader(ckpt)
    out["avg_total_loss"] = float(reader.get_tensor("total_loss/avg"))
    out["ema_local4_biases"] = reader.get_tensor("local4/biases/ExponentialMovingAverage").tolist()
    out["local4_biases"] = reader.get_tensor("local4/biases").tolist()
    return out


EXPECTED = {
    "names": ["softmax_linear/softmax_linear:0", "total_loss:0", "train", "global_step:0"],
    "vars": [
        ["global_step:0", []],
        ["conv1/weights:0", [5, 5, 3, 8]],
        ["conv1/biases:0", [8]],
        ["conv2/weights:0", [5, 5, 8, 8]],
        ["conv2/biases:0", [8]],
        ["local3/weights:0", [32, 24]],
        ["local3/biases:0", [24]],
        ["local4/weights:0", [24, 16]],
        ["local4/biases:0", [16]],
        ["softmax_linear/weights:0", [16, 10]],
        ["softmax_linear/biases:0", [10]],
        ["local3/weight_loss/avg:0", []],
        ["local4/weight_loss/avg:0", []],
        ["cross_entropy/avg:0", []],
        ["total_loss/avg:0", []],
        ["conv1/weights/ExponentialMovingAverage:0", [5, 5, 3, 8]],
        ["conv1/biases/ExponentialMovingAverage:0", [8]],
        ["conv2/weights/ExponentialMovingAverage:0", [5, 5, 8, 8]],
        ["conv2/biases/ExponentialMovingAverage:0", [8]],
        ["local3/weights/ExponentialMovingAverage:0", [32, 24]],
        ["local3/biases/ExponentialMovingAverage:0", [24]],
        ["local4/weights/ExponentialMovingAverage:0", [24, 16]],
        ["local4/biases/ExponentialMovingAverage:0", [16]],
        ["softmax_linear/weights/ExponentialMovingAverage:0", [16, 10]],
        ["softmax_linear/biases/ExponentialMovingAverage:0", [10]],
    ],
    "scalar_summaries": [
        "conv1/conv1/conv1/sparsity",
        "conv2/conv2/conv2/sparsity",
        "cross_entropy_1",
        "cross_entropy__raw_",
        "learning_rate",
        "local3/local3/local3/sparsity",
        "local3/weight_loss_1",
        "local3/weight_loss__raw_",
        "local4/local4/local4/sparsity",
        "local4/weight_loss_1",
        "local4/weight_loss__raw_",
        "softmax_linear/softmax_linear/softmax_linear/sparsity",
        "total_loss_1",
        "total_loss__raw_",
    ],
    "eval": {
        "global_step": "8",
        "restore_map": [
            ["conv1/biases/ExponentialMovingAverage", "conv1/biases:0"],
            ["conv1/weights/ExponentialMovingAverage", "conv1/weights:0"],
            ["conv2/biases/ExponentialMovingAverage", "conv2/biases:0"],
            ["conv2/weights/ExponentialMovingAverage", "conv2/weights:0"],
            ["local3/biases/ExponentialMovingAverage", "local3/biases:0"],
            ["local3/weights/ExponentialMovingAverage", "local3/weights:0"],
            ["local4/biases/ExponentialMovingAverage", "local4/biases:0"],
            ["local4/weights/ExponentialMovingAverage", "local4/weights:0"],
            ["softmax_linear/biases/ExponentialMovingAverage", "softmax_linear/biases:0"],
            ["softmax_linear/weights/ExponentialMovingAverage", "softmax_linear/weights:0"],
        ],
    },
    "printed": [
        ["step", 0.0, "loss", "=", 2.32],
        ["step", 3.0, "loss", "=", 2.28],
        ["step", 6.0, "loss", "=", 2.26],
        ["precision", "@", 1.0, "=", 0.25],
    ],
    "losses": [
        2.3159372806549072,
        2.295914888381958,
        2.3048696517944336,
        2.282301425933838,
        2.264526605606079,
        2.2742793560028076,
        2.2591774463653564,
        2.2691214084625244,
    ],
    "checkpoint": "model.ckpt-8",
    "keys": [
        ["conv1/biases", [8]],
        ["conv1/biases/ExponentialMovingAverage", [8]],
        ["conv1/weights", [5, 5, 3, 8]],
        ["conv1/weights/ExponentialMovingAverage", [5, 5, 3, 8]],
        ["conv2/biases", [8]],
        ["conv2/biases/ExponentialMovingAverage", [8]],
        ["conv2/weights", [5, 5, 8, 8]],
        ["conv2/weights/ExponentialMovingAverage", [5, 5, 8, 8]],
        ["cross_entropy/avg", []],
        ["global_step", []],
        ["local3/biases", [24]],
        ["local3/biases/ExponentialMovingAverage", [24]],
        ["local3/weight_loss/avg", []],
        ["local3/weights", [32, 24]],
        ["local3/weights/ExponentialMovingAverage", [32, 24]],
        ["local4/biases", [16]],
        ["local4/biases/ExponentialMovingAverage", [16]],
        ["local4/weight_loss/avg", []],
        ["local4/weights", [24, 16]],
        ["local4/weights/ExponentialMovingAverage", [24, 16]],
        ["softmax_linear/biases", [10]],
        ["softmax_linear/biases/ExponentialMovingAverage", [10]],
        ["softmax_linear/weights", [16, 10]],
        ["softmax_linear/weights/ExponentialMovingAverage", [16, 10]],
        ["total_loss/avg", []],
    ],
    "avg_total_loss": 1.2981657981872559,
    "ema_local4_biases": [
        0.10516896098852158,
        0.11181804537773132,
        0.10369043052196503,
        0.08302335441112518,
        0.09764309227466583,
        0.09671386331319809,
        0.11025244742631912,
        0.11185887455940247,
        0.09291478246450424,
        0.09579421579837799,
        0.09322771430015564,
        0.1024925708770752,
        0.09841044247150421,
        0.08986784517765045,
        0.12477918714284897,
        0.10648314654827118,
    ],
    "local4_biases": [
        0.10563227534294128,
        0.11677183955907822,
        0.10271120071411133,
        0.08045216649770737,
        0.09873805195093155,
        0.09614809602499008,
        0.11508984863758087,
        0.1122402623295784,
        0.09277726709842682,
        0.09567596763372421,
        0.0928196981549263,
        0.10079388320446014,
        0.1003308817744255,
        0.09106764197349548,
        0.12532025575637817,
        0.10837006568908691,
    ],
}


def test_cifar10_train_and_eval_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
