"""Fitting the parameters of an ODE by backpropagating through its solver, as TF1 programs did
with a hand-written Runge-Kutta loop: a damped oscillator whose stiffness and damping are
variables (softplus of free parameters), RK4 steps in a tf.while_loop with maximum_iterations
writing the trajectory to a TensorArray, a mean squared error against observations at every
step, gradients through the loop (while-loop gradients and TensorArray gradients), Adam with
an exponential_decay learning rate; and a second loop that stops on a tf.norm condition.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    steps, dt = 20, 0.1

    def simulate_np(k, c):
        y = np.array([1.0, 0.0])
        out = []
        for _ in range(steps):

            def f(s):
                return np.array([s[1], -k * s[0] - c * s[1]])

            k1 = f(y)
            k2 = f(y + dt / 2 * k1)
            k3 = f(y + dt / 2 * k2)
            k4 = f(y + dt * k3)
            y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            out.append(y.copy())
        return np.array(out, np.float32)

    obs_v = simulate_np(4.0, 0.5)
    g = tf.Graph()
    with g.as_default():
        obs = tf.placeholder(tf.float32, [steps, 2], name="obs")
        with tf.variable_scope("params"):
            raw_k = tf.get_variable("raw_k", initializer=tf.constant(1.0))
            raw_c = tf.get_variable("raw_c", initializer=tf.constant(0.0))
            k = tf.nn.softplus(raw_k, name="k")
            c = tf.nn.softplus(raw_c, name="c")

        def f(s):
            return tf.stack([s[1], -k * s[0] - c * s[1]])

        def body(i, y, ta):
            k1 = f(y)
            k2 = f(y + dt / 2 * k1)
            k3 = f(y + dt / 2 * k2)
            k4 = f(y + dt * k3)
            y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            return [i + 1, y, ta.write(i, y)]

        with tf.name_scope("rk4"):
            ta = tf.TensorArray(tf.float32, size=steps, element_shape=[2])
            _, y_end, ta = tf.while_loop(
                lambda i, y, ta: i < steps + 100,
                body,
                [tf.constant(0), tf.constant([1.0, 0.0]), ta],
                maximum_iterations=steps,
            )
            traj = ta.stack(name="trajectory")
        loss = tf.reduce_mean(tf.squared_difference(traj, obs), name="loss")
        step = tf.train.get_or_create_global_step()
        lr = tf.train.exponential_decay(0.3, step, 10, 0.7, staircase=True)
        grads = tf.gradients(loss, [raw_k, raw_c])
        train = tf.train.AdamOptimizer(lr).apply_gradients(
            zip(grads, [raw_k, raw_c], strict=True), global_step=step
        )
        with tf.name_scope("settle"):
            n_settle, y_settle = tf.while_loop(
                lambda n, y: tf.norm(y) > 0.2,
                lambda n, y: [n + 1, y + dt * f(y)],
                [tf.constant(0), tf.constant([1.0, 0.0])],
                maximum_iterations=500,
            )
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            g0 = sess.run(grads, {obs: obs_v})
            trace = []
            for _ in range(25):
                lv, _ = sess.run([loss, train], {obs: obs_v})
                trace.append(float(lv))
            kv, cv, ns, ys = sess.run([k, c, n_settle, y_settle])
            tv = sess.run(traj)
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "names": [
            y_end.name,
            traj.name,
            loss.name,
            grads[0].name,
            grads[1].name,
            train.name,
            n_settle.name,
        ],
        "grads0": [float(v) for v in g0],
        "trace": trace,
        "k_c": [float(kv), float(cv)],
        "settle": [int(ns), ys.tolist()],
        "traj_last": tv[-1].tolist(),
    }


EXPECTED = {
    "vars": [
        ["params/raw_k:0", []],
        ["params/raw_c:0", []],
        ["global_step:0", []],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["params/raw_k/Adam:0", []],
        ["params/raw_k/Adam_1:0", []],
        ["params/raw_c/Adam:0", []],
        ["params/raw_c/Adam_1:0", []],
    ],
    "names": [
        "rk4/while/Exit_2:0",
        "rk4/trajectory/trajectory:0",
        "loss:0",
        "gradients/params/k_grad/mul:0",
        "gradients/params/c_grad/mul:0",
        "Adam",
        "settle/while/Exit_1:0",
    ],
    "grads0": [-0.2628193795681, 0.04598215967416763],
    "trace": [
        0.5106194019317627,
        0.42312031984329224,
        0.3456045091152191,
        0.2752852439880371,
        0.20977501571178436,
        0.1495380997657776,
        0.09718557447195053,
        0.05571401119232178,
        0.027174225077033043,
        0.011822056956589222,
        0.007717501372098923,
        0.009302479214966297,
        0.01225547306239605,
        0.014910836704075336,
        0.016274821013212204,
        0.016120199114084244,
        0.014895223081111908,
        0.01348808128386736,
        0.012870386242866516,
        0.013647563755512238,
        0.015668045729398727,
        0.017239023000001907,
        0.018338734284043312,
        0.018701162189245224,
        0.018294695764780045,
    ],
    "k_c": [4.520813941955566, 0.8872715830802917],
    "settle": [73, [-0.19382637739181519, -0.028812430799007416]],
    "traj_last": [-0.29123654961586, 0.7615681290626526],
}


def test_ode_parameter_fit_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
