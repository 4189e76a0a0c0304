"""Adversarial training as Madry et al.'s TF1 code builds it: FGSM from tf.gradients of the loss
with respect to the input (sign, clip, stop_gradient), a PGD attack from a seeded random start
whose tf.while_loop body calls tf.gradients of the model (reused with AUTO_REUSE) at the
current adversarial point, and SGD on half clean, half adversarial loss.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(41)
        eps, step_size, n_steps = 0.3, 0.1, 3
        x = tf.placeholder(tf.float32, [None, 6], name="x")
        y = tf.placeholder(tf.int64, [None], name="y")

        def model(inp):
            with tf.variable_scope("net", reuse=tf.AUTO_REUSE):
                h = tf.layers.dense(inp, 8, activation=tf.nn.selu, name="h")
                return tf.layers.dense(h, 3, name="logits")

        def xent(logits):
            return tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
            )

        clean_logits = model(x)
        # FGSM
        (grad_x,) = tf.gradients(xent(clean_logits), x)
        fgsm = tf.stop_gradient(tf.clip_by_value(x + eps * tf.sign(grad_x), -2.0, 2.0))
        # PGD from a random start: tf.gradients inside the tf.while_loop body
        start = x + tf.random_uniform(tf.shape(x), -eps, eps, seed=3)

        def body(i, adv):
            loss = xent(model(adv))
            (grad,) = tf.gradients(loss, adv)
            adv = adv + step_size * tf.sign(grad)
            adv = tf.clip_by_value(adv, x - eps, x + eps)
            return i + 1, adv

        _, pgd = tf.while_loop(
            lambda i, _: i < n_steps, body, [tf.constant(0), start], back_prop=False
        )
        pgd = tf.stop_gradient(pgd)
        adv_loss = xent(model(pgd))
        clean_loss = xent(clean_logits)
        total = 0.5 * clean_loss + 0.5 * adv_loss
        train = tf.train.GradientDescentOptimizer(0.2).minimize(total)
        acc = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(model(fgsm), 1), y), tf.float32))
        rng = np.random.RandomState(1)
        xs = rng.normal(size=(8, 6)).astype(np.float32)
        ys = (xs[:, 0] > 0).astype(np.int64) + (xs[:, 1] > 0.5).astype(np.int64)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            f = {x: xs, y: ys}
            fg, gx = sess.run([fgsm, grad_x], f)
            hist = []
            for _ in range(3):
                _, a, b, c = sess.run([train, clean_loss, adv_loss, acc], f)
                hist.append([float(a), float(b), float(c)])
            p = sess.run(pgd, f)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [grad_x.name, fgsm.name, pgd.name, adv_loss.name, total.name, acc.name],
            "loop_grad_ops": sorted(
                {op.type for op in g.get_operations() if op.name.startswith("while/gradients/")}
            ),
            "grad_x": [float(v) for v in gx[0]],
            "fgsm": [float(v) for v in fg[0]],
            "hist": hist,
            "pgd_delta": [float(v) for v in (p - xs)[0]],
            "pgd_max": float(np.abs(p - xs).max()),
        }


EXPECTED = {
    "vars": [
        ["net/h/kernel:0", [6, 8]],
        ["net/h/bias:0", [8]],
        ["net/logits/kernel:0", [8, 3]],
        ["net/logits/bias:0", [3]],
    ],
    "names": [
        "gradients/net/h/MatMul_grad/MatMul:0",
        "StopGradient:0",
        "StopGradient_1:0",
        "Mean_1:0",
        "add_2:0",
        "Mean_3:0",
    ],
    "loop_grad_ops": [
        "AddV2",
        "BiasAddGrad",
        "Cast",
        "Const",
        "ExpandDims",
        "Fill",
        "FloorMod",
        "GatherV2",
        "MatMul",
        "Mul",
        "Prod",
        "RealDiv",
        "Reshape",
        "SeluGrad",
        "Shape",
        "Tile",
        "ZerosLike",
    ],
    "grad_x": [
        -0.008399849757552147,
        0.05164970085024834,
        0.05902828276157379,
        -0.0158594511449337,
        0.0241038016974926,
        -0.002215093933045864,
    ],
    "fgsm": [
        1.324345350265503,
        -0.3117563724517822,
        -0.22817176580429077,
        -1.3729686737060547,
        1.165407657623291,
        -2.0,
    ],
    "hist": [
        [1.2240798473358154, 1.703947901725769, 0.125],
        [0.9139425754547119, 1.2773668766021729, 0.375],
        [0.7718942761421204, 1.0794309377670288, 0.625],
    ],
    "pgd_delta": [
        -0.30000007152557373,
        0.30000001192092896,
        0.11894342303276062,
        0.30000001192092896,
        -0.30000001192092896,
        0.08612561225891113,
    ],
    "pgd_max": 0.30000007152557373,
}


def test_adversarial_pgd_matches_tensorflow():
    close(program(tf), EXPECTED)
