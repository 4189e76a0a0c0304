"""tf.contrib.opt.ScipyOptimizerInterface as TF1 scripts used it for full-batch fits and style
transfer: a small float64 logistic regression with an L2 term minimized by L-BFGS-B with a
loss_callback fetching extra tensors and a step_callback, a bounded fit (var_to_bounds on one
variable, the other unbounded), and an SLSQP problem with an equality and an inequality
constraint; the variables hold the results afterwards, and the optimizer's packed ops are
named as TF's.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.opt Python
code (from the 1.15 wheel) and SciPy.
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(818)
    xs = rng.randn(20, 3)
    ys = (xs @ np.array([1.5, -2.0, 0.5]) + 0.3 > 0).astype(np.float64)
    out = {}
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, [None, 3], name="x")
        y = tf.placeholder(tf.float64, [None], name="y")
        w = tf.Variable(tf.zeros([3], tf.float64), name="w")
        b = tf.Variable(0.0, dtype=tf.float64, name="b")
        logits = tf.tensordot(x, w, 1) + b
        loss = tf.reduce_mean(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits)
        ) + 0.01 * tf.reduce_sum(tf.square(w))
        acc = tf.reduce_mean(tf.cast(tf.equal(tf.cast(logits > 0, tf.float64), y), tf.float64))
        opt = tf.contrib.opt.ScipyOptimizerInterface(
            loss, options={"maxiter": 200, "ftol": 1e-12, "gtol": 1e-7}
        )
        bounded = tf.contrib.opt.ScipyOptimizerInterface(
            loss, var_list=[w, b], var_to_bounds={w: (-0.5, 0.5)}, options={"maxiter": 30}
        )
        seen, steps = [], []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            opt.minimize(
                sess,
                feed_dict={x: xs, y: ys},
                fetches=[loss, acc],
                loss_callback=lambda lv, av: seen.append([float(lv), float(av)]),
                step_callback=lambda xk: steps.append(float(np.abs(xk).sum())),
            )
            out["fit"] = [sess.run(w).tolist(), float(sess.run(b))]
            out["fit_loss"] = float(sess.run(loss, {x: xs, y: ys}))
            sess.run(tf.global_variables_initializer())
            bounded.minimize(sess, feed_dict={x: xs, y: ys})
            out["bounded"] = [sess.run(w).tolist(), float(sess.run(b))]
        out["first_evals"] = seen[:3]
        out["n_steps_positive"] = len(steps) > 3
        out["names"] = [
            opt._packed_var.name,
            opt._packed_loss_grad.name,
            opt._var_updates[0].name,
            bounded._packed_var.name,
        ]
    g2 = tf.Graph()
    with g2.as_default():
        v = tf.Variable([7.0, 7.0], name="vector")
        vloss = tf.reduce_sum(tf.square(v))
        slsqp = tf.contrib.opt.ScipyOptimizerInterface(
            vloss, equalities=[v[1] - 1.0], inequalities=[v[0] - 1.0], method="SLSQP"
        )
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            slsqp.minimize(sess)
            out["slsqp"] = sess.run(v).tolist()
        out["constraint_names"] = [t.name for t in slsqp._packed_equality_grads]
    return out


EXPECTED = {
    "fit": [[2.159536876581662, -1.8792726446600607, 1.0567802062764695], 1.1244080452879859],
    "fit_loss": 0.3166039298107307,
    "bounded": [[0.5, -0.5, 0.5], 0.7026943767935984],
    "first_evals": [
        [0.6931471805599453, 0.35],
        [0.47894274375448076, 0.8],
        [0.37271816220509874, 0.9],
    ],
    "n_steps_positive": True,
    "names": ["concat:0", "concat_1:0", "Assign:0", "concat_2:0"],
    "slsqp": [1.0, 1.0],
    "constraint_names": ["Reshape_3:0"],
}


def test_scipy_lbfgs_fit_matches_tensorflow():
    close(program(tf), EXPECTED)
