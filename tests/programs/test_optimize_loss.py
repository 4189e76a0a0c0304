"""tf.contrib.layers.optimize_loss as TF1 programs used it: fully_connected and batch_norm (its
moving averages updated through UPDATE_OPS), SGD by name with a learning_rate_decay_fn
(exponential_decay, staircase) and global-norm clipping, every summary kind ("loss",
"learning_rate", "gradients", "gradient_norm", "global_gradient_norm"), then a second
optimize_loss with an optimizer class, a clipping function, a variable subset, its own name and
no global step increment. (The reference ran tf_slim's optimize_loss, TF 1.15's code.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(3)
    xs = rng.randn(12, 6).astype(np.float32)
    ys = rng.randint(0, 4, 12).astype(np.int64)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(5)
        x = tf.constant(xs)
        with tf.variable_scope("net"):
            h = tf.contrib.layers.fully_connected(x, 10, scope="fc1")
            h = tf.contrib.layers.batch_norm(h, is_training=True, decay=0.8, scope="bn")
            logits = tf.contrib.layers.fully_connected(h, 4, activation_fn=None, scope="out")
        loss = tf.losses.sparse_softmax_cross_entropy(tf.constant(ys), logits)
        step = tf.train.get_or_create_global_step()

        def decay(lr, gs):
            return tf.train.exponential_decay(lr, gs, 2, 0.5, staircase=True)

        train_op = tf.contrib.layers.optimize_loss(
            loss,
            step,
            learning_rate=0.5,
            optimizer="SGD",
            clip_gradients=0.5,
            learning_rate_decay_fn=decay,
            summaries=[
                "loss",
                "learning_rate",
                "gradients",
                "gradient_norm",
                "global_gradient_norm",
            ],
            gradient_noise_scale=None,
            colocate_gradients_with_ops=True,
        )
        train2 = tf.contrib.layers.optimize_loss(
            loss,
            step,
            learning_rate=0.01,
            optimizer=tf.train.AdamOptimizer,
            clip_gradients=lambda gv: [(tf.clip_by_norm(g, 1.0), v) for g, v in gv],
            update_ops=[],
            name="Adam_opt",
            summaries=["loss"],
            variables=[v for v in tf.trainable_variables() if "out" in v.name],
            increment_global_step=False,
        )
        summ = tf.summary.merge_all()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run(train_op)) for _ in range(4)]
            losses += [float(sess.run(train2)) for _ in range(2)]
            gstep, mm = sess.run([step, "net/bn/moving_mean:0"])
            s = sess.run(summ)
        parsed = tf.Summary.FromString(s)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [train_op.name, train2.name],
            "summaries": [t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)],
            "tags": sorted(v.tag for v in parsed.value),
            "scalars": sorted(
                [v.tag, v.simple_value] for v in parsed.value if v.HasField("simple_value")
            ),
            "losses": losses,
            "step": int(gstep),
            "moving_mean": [float(v) for v in mm[:4]],
            "update_ops": [o.name for o in tf.get_collection(tf.GraphKeys.UPDATE_OPS)],
        }


EXPECTED = {
    "vars": [
        ["net/fc1/weights:0", [6, 10]],
        ["net/fc1/biases:0", [10]],
        ["net/bn/beta:0", [10]],
        ["net/bn/moving_mean:0", [10]],
        ["net/bn/moving_variance:0", [10]],
        ["net/out/weights:0", [10, 4]],
        ["net/out/biases:0", [4]],
        ["global_step:0", []],
        ["OptimizeLoss/learning_rate:0", []],
        ["Adam_opt/learning_rate:0", []],
        ["Adam_opt/beta1_power:0", []],
        ["Adam_opt/beta2_power:0", []],
        ["Adam_opt/net/out/weights/Adam:0", [10, 4]],
        ["Adam_opt/net/out/weights/Adam_1:0", [10, 4]],
        ["Adam_opt/net/out/biases/Adam:0", [4]],
        ["Adam_opt/net/out/biases/Adam_1:0", [4]],
    ],
    "names": ["OptimizeLoss/control_dependency_1:0", "Adam_opt/control_dependency:0"],
    "summaries": [
        "OptimizeLoss/learning_rate_1:0",
        "OptimizeLoss/global_norm/gradient_norm:0",
        "OptimizeLoss/loss:0",
        "OptimizeLoss/gradients/net/fc1/weights_0:0",
        "OptimizeLoss/gradient_norm/net/fc1/weights_0:0",
        "OptimizeLoss/gradients/net/fc1/biases_0:0",
        "OptimizeLoss/gradient_norm/net/fc1/biases_0:0",
        "OptimizeLoss/gradients/net/bn/beta_0:0",
        "OptimizeLoss/gradient_norm/net/bn/beta_0:0",
        "OptimizeLoss/gradients/net/out/weights_0:0",
        "OptimizeLoss/gradient_norm/net/out/weights_0:0",
        "OptimizeLoss/gradients/net/out/biases_0:0",
        "OptimizeLoss/gradient_norm/net/out/biases_0:0",
        "OptimizeLoss/global_norm/clipped_gradient_norm:0",
        "Adam_opt/loss:0",
    ],
    "tags": [
        "Adam_opt/loss",
        "OptimizeLoss/global_norm/clipped_gradient_norm",
        "OptimizeLoss/global_norm/gradient_norm",
        "OptimizeLoss/gradient_norm/net/bn/beta_0",
        "OptimizeLoss/gradient_norm/net/fc1/biases_0",
        "OptimizeLoss/gradient_norm/net/fc1/weights_0",
        "OptimizeLoss/gradient_norm/net/out/biases_0",
        "OptimizeLoss/gradient_norm/net/out/weights_0",
        "OptimizeLoss/gradients/net/bn/beta_0",
        "OptimizeLoss/gradients/net/fc1/biases_0",
        "OptimizeLoss/gradients/net/fc1/weights_0",
        "OptimizeLoss/gradients/net/out/biases_0",
        "OptimizeLoss/gradients/net/out/weights_0",
        "OptimizeLoss/learning_rate_1",
        "OptimizeLoss/loss",
    ],
    "scalars": [
        ["Adam_opt/loss", 0.8692463040351868],
        ["OptimizeLoss/global_norm/clipped_gradient_norm", 0.5],
        ["OptimizeLoss/global_norm/gradient_norm", 0.9266855716705322],
        ["OptimizeLoss/gradient_norm/net/bn/beta_0", 0.24598145484924316],
        ["OptimizeLoss/gradient_norm/net/fc1/biases_0", 0.07534413784742355],
        ["OptimizeLoss/gradient_norm/net/fc1/weights_0", 0.32756170630455017],
        ["OptimizeLoss/gradient_norm/net/out/biases_0", 0.18108505010604858],
        ["OptimizeLoss/gradient_norm/net/out/weights_0", 0.20911221206188202],
        ["OptimizeLoss/learning_rate_1", 0.125],
        ["OptimizeLoss/loss", 0.8692463040351868],
    ],
    "losses": [
        1.8694788217544556,
        1.4960412979125977,
        1.1805273294448853,
        1.0458580255508423,
        0.9244356155395508,
        0.8959498405456543,
    ],
    "step": 4,
    "moving_mean": [
        0.17781126499176025,
        0.2532365918159485,
        0.3295133411884308,
        0.3537217080593109,
    ],
    "update_ops": ["net/bn/AssignMovingAvg:0", "net/bn/AssignMovingAvg_1:0"],
}


def test_optimize_loss_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
