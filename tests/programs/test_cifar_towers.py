"""The CIFAR-10 multi-GPU tutorial's pattern: towers under name scopes sharing variables through
reuse_variables, weight decay in a 'losses' collection, average_gradients, exponential_decay,
ExponentialMovingAverage, Saver, MonitoredTrainingSession with StopAtStepHook, list_variables
and ema.variables_to_restore.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(9)
        num_towers, batch = 2, 2

        def variable_on_cpu(name, shape, initializer):
            with tf.device("/cpu:0"):
                return tf.get_variable(name, shape, initializer=initializer, dtype=tf.float32)

        def variable_with_weight_decay(name, shape, stddev, wd):
            var = variable_on_cpu(name, shape, tf.truncated_normal_initializer(stddev=stddev))
            if wd is not None:
                weight_decay = tf.multiply(tf.nn.l2_loss(var), wd, name="weight_loss")
                tf.add_to_collection("losses", weight_decay)
            return var

        def inference(images):
            with tf.variable_scope("conv1") as scope:
                kernel = variable_with_weight_decay("weights", [3, 3, 3, 4], 5e-2, None)
                conv = tf.nn.conv2d(images, kernel, [1, 1, 1, 1], padding="SAME")
                biases = variable_on_cpu("biases", [4], tf.constant_initializer(0.0))
                conv1 = tf.nn.relu(tf.nn.bias_add(conv, biases), name=scope.name)
            pool1 = tf.nn.max_pool(conv1, [1, 3, 3, 1], [1, 2, 2, 1], padding="SAME", name="pool1")
            norm1 = tf.nn.lrn(pool1, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75, name="norm1")
            with tf.variable_scope("local3") as scope:
                reshape = tf.reshape(norm1, [images.get_shape().as_list()[0], -1])
                dim = reshape.get_shape()[1].value
                weights = variable_with_weight_decay("weights", [dim, 6], 0.04, 0.004)
                biases = variable_on_cpu("biases", [6], tf.constant_initializer(0.1))
                local3 = tf.nn.relu(tf.matmul(reshape, weights) + biases, name=scope.name)
            with tf.variable_scope("softmax_linear") as scope:
                weights = variable_with_weight_decay("weights", [6, 3], 1 / 6.0, None)
                biases = variable_on_cpu("biases", [3], tf.constant_initializer(0.0))
                return tf.add(tf.matmul(local3, weights), biases, name=scope.name)

        def tower_loss(scope, images, labels):
            logits = inference(images)
            xent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=tf.cast(labels, tf.int64), logits=logits, name="cross_entropy_per_example"
            )
            tf.add_to_collection("losses", tf.reduce_mean(xent, name="cross_entropy"))
            losses = tf.get_collection("losses", scope)
            total = tf.add_n(losses, name="total_loss")
            for l_ in losses + [total]:
                tf.summary.scalar(l_.op.name, l_)
            return total

        def average_gradients(tower_grads):
            average_grads = []
            for grad_and_vars in zip(*tower_grads, strict=True):
                grads = [tf.expand_dims(gr, 0) for gr, _ in grad_and_vars]
                grad = tf.reduce_mean(tf.concat(axis=0, values=grads), 0)
                average_grads.append((grad, grad_and_vars[0][1]))
            return average_grads

        rng = np.random.RandomState(3)
        images_np = rng.rand(num_towers * batch, 6, 6, 3).astype(np.float32)
        labels_np = rng.randint(0, 3, num_towers * batch).astype(np.int32)
        with tf.device("/cpu:0"):
            global_step = tf.get_variable(
                "global_step",
                [],
                initializer=tf.constant_initializer(0),
                trainable=False,
                dtype=tf.int32,
            )
            lr = tf.train.exponential_decay(0.1, global_step, 2, 0.5, staircase=True)
            opt = tf.train.GradientDescentOptimizer(lr)
            tower_grads, tower_losses = [], []
            with tf.variable_scope(tf.get_variable_scope()):
                for i in range(num_towers):
                    with tf.device("/cpu:0"), tf.name_scope(f"tower_{i}") as scope:
                        imgs = tf.constant(images_np[i * batch : (i + 1) * batch])
                        lbls = tf.constant(labels_np[i * batch : (i + 1) * batch])
                        loss = tower_loss(scope, imgs, lbls)
                        tower_losses.append(loss)
                        tf.get_variable_scope().reuse_variables()
                        summaries = tf.get_collection(tf.GraphKeys.SUMMARIES, scope)
                        tower_grads.append(opt.compute_gradients(loss))
            grads = average_gradients(tower_grads)
            summaries.append(tf.summary.scalar("learning_rate", lr))
            apply_op = opt.apply_gradients(grads, global_step=global_step)
            ema = tf.train.ExponentialMovingAverage(0.9, global_step)
            ema_op = ema.apply(tf.trainable_variables())
            train_op = tf.group(apply_op, ema_op)
            saver = tf.train.Saver(tf.global_variables())
            summary_op = tf.summary.merge(summaries)
        d = str(workdir)
        losses = []
        with tf.train.MonitoredTrainingSession(
            checkpoint_dir=d,
            hooks=[tf.train.StopAtStepHook(last_step=3)],
            save_summaries_steps=None,
            save_summaries_secs=None,
            save_checkpoint_secs=None,
            save_checkpoint_steps=None,
            log_step_count_steps=None,
        ) as mon:
            while not mon.should_stop():
                _, lv = mon.run([train_op, tower_losses[0]])
                losses.append(float(lv))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saver.save(sess, os.path.join(d, "model.ckpt"), global_step=global_step)
        saved = sorted(n for n, _ in tf.train.list_variables(os.path.join(d, "model.ckpt-0")))
        ema_restore = tf.train.Saver(ema.variables_to_restore())
        restore_keys = sorted(ema.variables_to_restore().keys())
        del ema_restore
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "losses_coll": [t.name for t in tf.get_collection("losses")],
            "summaries": [s.name for s in summaries],
            "names": [
                tower_losses[1].name,
                apply_op.name,
                ema_op.name,
                train_op.name,
                summary_op.name,
                lr.name,
            ],
            "losses": losses,
            "saved": saved,
            "restore_keys": restore_keys,
        }


EXPECTED = {
    "vars": [
        ["global_step:0", []],
        ["conv1/weights:0", [3, 3, 3, 4]],
        ["conv1/biases:0", [4]],
        ["local3/weights:0", [36, 6]],
        ["local3/biases:0", [6]],
        ["softmax_linear/weights:0", [6, 3]],
        ["softmax_linear/biases:0", [3]],
        ["conv1/weights/ExponentialMovingAverage:0", [3, 3, 3, 4]],
        ["conv1/biases/ExponentialMovingAverage:0", [4]],
        ["local3/weights/ExponentialMovingAverage:0", [36, 6]],
        ["local3/biases/ExponentialMovingAverage:0", [6]],
        ["softmax_linear/weights/ExponentialMovingAverage:0", [6, 3]],
        ["softmax_linear/biases/ExponentialMovingAverage:0", [3]],
    ],
    "losses_coll": [
        "tower_0/local3/weight_loss:0",
        "tower_0/cross_entropy:0",
        "tower_1/local3/weight_loss:0",
        "tower_1/cross_entropy:0",
    ],
    "summaries": [
        "tower_1/tower_1/local3/weight_loss:0",
        "tower_1/tower_1/cross_entropy:0",
        "tower_1/tower_1/total_loss:0",
        "learning_rate:0",
    ],
    "names": [
        "tower_1/total_loss:0",
        "GradientDescent",
        "ExponentialMovingAverage",
        "group_deps",
        "Merge/MergeSummary:0",
        "ExponentialDecay:0",
    ],
    "losses": [1.118843913078308, 1.130986213684082, 1.1424791812896729],
    "saved": [
        "conv1/biases",
        "conv1/biases/ExponentialMovingAverage",
        "conv1/weights",
        "conv1/weights/ExponentialMovingAverage",
        "global_step",
        "local3/biases",
        "local3/biases/ExponentialMovingAverage",
        "local3/weights",
        "local3/weights/ExponentialMovingAverage",
        "softmax_linear/biases",
        "softmax_linear/biases/ExponentialMovingAverage",
        "softmax_linear/weights",
        "softmax_linear/weights/ExponentialMovingAverage",
    ],
    "restore_keys": [
        "conv1/biases/ExponentialMovingAverage",
        "conv1/weights/ExponentialMovingAverage",
        "global_step",
        "local3/biases/ExponentialMovingAverage",
        "local3/weights/ExponentialMovingAverage",
        "softmax_linear/biases/ExponentialMovingAverage",
        "softmax_linear/weights/ExponentialMovingAverage",
    ],
}


def test_cifar_towers_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
