"""A one-step Glow flow (Kingma and Dhariwal's TF1 code, shrunk): space_to_depth squeeze, actnorm
with data-dependent initialization through tf.cond on a bool variable (run in an init pass of
its own, as Glow's), an invertible 1x1 convolution whose log-determinant comes from
tf.linalg.slogdet in float64 (its gradient builds MatrixInverse) and whose inverse by
tf.matrix_inverse recovers the input, an affine coupling layer with a zero-initialized last
conv, a tf.distributions.Normal prior, bits per dimension, SGD, depth_to_space. (Plain SGD:
some gradients here are zero up to rounding, which Adam would magnify into noise.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(61)
        x = tf.placeholder(tf.float32, [4, 4, 4, 2], name="x")

        def actnorm(h, name):
            with tf.variable_scope(name):
                c = h.shape[-1].value
                initialized = tf.get_variable(
                    "initialized", [], tf.bool, tf.zeros_initializer(), trainable=False
                )
                bias = tf.get_variable("b", [1, 1, 1, c], initializer=tf.zeros_initializer())
                logs = tf.get_variable("logs", [1, 1, 1, c], initializer=tf.zeros_initializer())
                mean, var = tf.nn.moments(h, [0, 1, 2], keep_dims=True)

                def init():
                    with tf.control_dependencies(
                        [
                            tf.assign(bias, -mean),
                            tf.assign(logs, tf.log(1.0 / (tf.sqrt(var) + 1e-6))),
                        ]
                    ):
                        return tf.assign(initialized, True)

                done = tf.cond(initialized, lambda: tf.constant(True), init)
                tf.add_to_collection("actnorm_init", done)
                with tf.control_dependencies([done]):  # reads after the initialization
                    out = (h + bias.read_value()) * tf.exp(logs.read_value())
                shape = tf.shape(h)
                logdet = tf.reduce_sum(logs) * tf.cast(shape[1] * shape[2], tf.float32)
                return out, logdet

        def invconv(h, name):
            with tf.variable_scope(name):
                c = h.shape[-1].value
                w_init = np.linalg.qr(np.random.RandomState(3).randn(c, c))[0]
                w = tf.get_variable("W", initializer=w_init.astype(np.float32))
                shape = tf.shape(h)
                sign, logabs = tf.linalg.slogdet(tf.cast(w, tf.float64))
                logdet = tf.cast(logabs, tf.float32) * tf.cast(shape[1] * shape[2], tf.float32)
                out = tf.nn.conv2d(h, tf.reshape(w, [1, 1, c, c]), [1, 1, 1, 1], "SAME")
                inverse = tf.nn.conv2d(
                    out, tf.reshape(tf.matrix_inverse(w), [1, 1, c, c]), [1, 1, 1, 1], "SAME"
                )
                return out, logdet, inverse, sign

        def coupling(h, name):
            with tf.variable_scope(name):
                a, b = tf.split(h, 2, axis=-1)
                t = tf.layers.conv2d(a, 8, 3, padding="same", activation=tf.nn.relu, name="nn1")
                t = tf.layers.conv2d(
                    t,
                    2 * b.shape[-1].value,
                    3,
                    padding="same",
                    kernel_initializer=tf.zeros_initializer(),
                    name="nn2",
                )
                shift, raw = t[:, :, :, 0::2], t[:, :, :, 1::2]
                scale = tf.nn.sigmoid(raw + 2.0)
                b = (b + shift) * scale
                logdet = tf.reduce_sum(tf.log(scale), axis=[1, 2, 3])
                return tf.concat([a, b], -1), logdet

        h = tf.space_to_depth(x - 0.5, 2)  # squeeze: [4, 2, 2, 8]
        total = tf.zeros([4])
        with tf.variable_scope("flow"):
            h, ld = actnorm(h, "actnorm")
            total += ld
            h, ld, inverse, sign = invconv(h, "invconv")
            total += ld
            h, ld = coupling(h, "coupling")
            total += ld
        prior = tf.distributions.Normal(loc=tf.zeros_like(h), scale=tf.ones_like(h))
        log_pz = tf.reduce_sum(prior.log_prob(h), axis=[1, 2, 3])
        n_dims = 4 * 4 * 2
        bpd = tf.reduce_mean(-(log_pz + total) / (np.log(2.0) * n_dims))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(bpd)
        back = tf.depth_to_space(h, 2)
        rng = np.random.RandomState(7)
        xs = rng.uniform(0, 1, (4, 4, 4, 2)).astype(np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            # the data-dependent initialization in a run of its own, as Glow's init pass (in
            # the training run, reads of the variables outside the cond would race with it)
            sess.run(tf.get_collection("actnorm_init"), {x: xs})
            hist = []
            for _ in range(4):
                v = sess.run(bpd, {x: xs})
                sess.run(train, {x: xs})
                hist.append(float(v))
            lb, s, inv_err = sess.run(
                [
                    g.get_tensor_by_name("flow/actnorm/logs:0"),
                    sign,
                    tf.reduce_max(tf.abs(inverse - g.get_tensor_by_name("flow/actnorm/mul:0"))),
                ],
                {x: xs},
            )
            w = sess.run(g.get_tensor_by_name("flow/invconv/W:0"))
            shape = sess.run(tf.shape(back), {x: xs})
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "names": [h.name, bpd.name, log_pz.name, back.name, sign.name],
            # (without the optimizer's gating Identity and NoOp, which scopeflow does not
            # build)
            "grad_types": sorted(
                {
                    op.type
                    for op in g.get_operations()
                    if op.name.startswith("gradients/flow/invconv")
                }
                - {"Identity", "NoOp"}
            ),
            "bpd": hist,
            "logs": [float(v) for v in np.ravel(lb)],
            "sign": float(s),
            "inverse_ok": bool(inv_err < 1e-5),
            "w": [float(v) for v in np.ravel(w)[:8]],
            "back_shape": shape.tolist(),
        }


EXPECTED = {
    "vars": [
        ["flow/actnorm/initialized:0", []],
        ["flow/actnorm/b:0", [1, 1, 1, 8]],
        ["flow/actnorm/logs:0", [1, 1, 1, 8]],
        ["flow/invconv/W:0", [8, 8]],
        ["flow/coupling/nn1/kernel:0", [3, 3, 4, 8]],
        ["flow/coupling/nn1/bias:0", [8]],
        ["flow/coupling/nn2/kernel:0", [3, 3, 8, 8]],
        ["flow/coupling/nn2/bias:0", [8]],
    ],
    "names": [
        "flow/coupling/concat:0",
        "Mean:0",
        "Sum:0",
        "DepthToSpace:0",
        "flow/invconv/LogMatrixDeterminant:0",
    ],
    "grad_types": [
        "Cast",
        "ConcatV2",
        "Const",
        "Conv2DBackpropFilter",
        "Conv2DBackpropInput",
        "MatrixInverse",
        "Mul",
        "Reshape",
        "ShapeN",
    ],
    "bpd": [0.11757078766822815, 0.10513480007648468, 0.09340016543865204, 0.08229365944862366],
    "logs": [
        1.2069518566131592,
        1.6469759941101074,
        1.4343780279159546,
        1.1281437873840332,
        1.1626523733139038,
        1.4225831031799316,
        1.4900633096694946,
        1.375147819519043,
    ],
    "sign": -1.0,
    "inverse_ok": True,
    "w": [
        -0.4517292082309723,
        0.09599418193101883,
        -0.17989492416381836,
        -0.5428537130355835,
        0.22695453464984894,
        -0.41765978932380676,
        -0.4470865726470947,
        -0.21476605534553528,
    ],
    "back_shape": [4, 4, 4, 2],
}


def test_glow_flow_matches_tensorflow():
    close(program(tf), EXPECTED)
