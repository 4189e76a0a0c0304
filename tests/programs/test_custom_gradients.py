"""Custom gradients as TF1 programs wrote them: tf.RegisterGradient with
gradient_override_map (a gradient-reversal Identity for domain adaptation, a straight-through
Sign for binarized weights, a clipped Identity), tf.custom_gradient (a numerically stable
log1pexp, a gradient-clipping wrapper, one that touches a variable and returns its gradient),
tf.py_func with its PyFunc gradient overridden, tf.stop_gradient, and a training loop on them.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np
import pytest

import scopeflow as tf
from tests.programs.compare import close

_REGISTERED = set()


def _register(tf, name, fn):
    # TF refuses to register a gradient name twice per process; the program may run twice.
    if (tf.__name__, name) not in _REGISTERED:
        tf.RegisterGradient(name)(fn)
        _REGISTERED.add((tf.__name__, name))


def program(tf, workdir):
    rng = np.random.RandomState(5)
    xs = rng.randn(6, 3).astype(np.float32)
    ys = rng.randint(0, 2, 6).astype(np.int32)
    ds = rng.randint(0, 2, 6).astype(np.float32)

    def reverse_grad(op, grad):
        return [-0.5 * grad]

    def straight_through(op, grad):
        return [
            tf.clip_by_value(grad, -1.0, 1.0) * tf.cast(tf.abs(op.inputs[0]) <= 1.0, grad.dtype)
        ]

    def clip_identity(op, grad):
        return [tf.clip_by_norm(grad, 0.1)]

    def py_square_grad(op, grad):
        return [2.0 * op.inputs[0] * grad]

    _register(tf, "P4ReverseGrad", reverse_grad)
    _register(tf, "P4StraightThrough", straight_through)
    _register(tf, "P4ClipIdentity", clip_identity)
    _register(tf, "P4PySquareGrad", py_square_grad)

    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(dy):
            return dy * (1 - 1 / (1 + e))

        return tf.log(1 + e), grad

    @tf.custom_gradient
    def clip_gradient(x):
        def grad(dy):
            return tf.clip_by_value(dy, -0.05, 0.05)

        return tf.identity(x), grad

    g = tf.Graph()
    out = {}
    with g.as_default():
        tf.set_random_seed(3)
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = tf.placeholder(tf.int32, [None], name="y")
        d = tf.placeholder(tf.float32, [None], name="d")
        w_real = tf.get_variable("w_real", [3, 4], initializer=tf.random_normal_initializer(0, 0.8))
        with g.gradient_override_map({"Sign": "P4StraightThrough"}):
            w_bin = tf.sign(w_real, name="binarize")
        feat = tf.nn.relu(tf.matmul(x, w_bin), name="feat")
        with g.gradient_override_map({"Identity": "P4ReverseGrad"}):
            rev = tf.identity(feat, name="flip")
        w_dom = tf.get_variable("w_dom", [4, 1], initializer=tf.constant_initializer(0.3))
        dom_logit = tf.squeeze(tf.matmul(rev, w_dom), 1)
        dom_loss = tf.reduce_mean(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=d, logits=dom_logit)
        )
        w_cls = tf.get_variable("w_cls", [4, 2], initializer=tf.random_normal_initializer(0, 0.5))
        logits = tf.matmul(clip_gradient(feat), w_cls)
        cls_loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        with g.gradient_override_map({"PyFunc": "P4PySquareGrad", "Identity": "P4ClipIdentity"}):
            sq = tf.py_func(
                lambda a: np.square(a).astype(np.float32), [w_dom], tf.float32, name="np_square"
            )
            sq.set_shape(w_dom.shape)
            sq = tf.identity(sq, name="clipped_sq")
        reg = 0.01 * tf.reduce_sum(sq)
        soft = tf.reduce_mean(log1pexp(tf.stop_gradient(dom_logit) * 10.0 + w_dom[0, 0]))
        loss = cls_loss + dom_loss + reg + 0.1 * soft
        grads = tf.gradients(loss, [w_real, w_dom, w_cls])
        big = tf.constant([-100.0, 0.0, 100.0])
        stable = tf.gradients(log1pexp(big), big)[0]
        opt = tf.train.GradientDescentOptimizer(0.2)
        train = opt.apply_gradients(zip(grads, [w_real, w_dom, w_cls], strict=True))
        out["names"] = [w_bin.name, rev.name, sq.name, logits.name]
        out["op_types"] = [rev.op.type, sq.op.type, w_bin.op.type]
        out["grad_names"] = sorted(t.name for t in grads)[:1]
        feed = {x: xs, y: ys, d: ds}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out["grads0"] = [np.round(v, 5).tolist() for v in sess.run(grads, feed)]
            out["stable"] = sess.run(stable).tolist()
            losses = []
            for _ in range(4):
                lv, _ = sess.run([loss, train], feed)
                losses.append(float(lv))
            out["losses"] = losses
            out["w_dom"] = sess.run(w_dom).ravel().tolist()
    return out


EXPECTED = {
    "names": ["binarize:0", "flip:0", "clipped_sq:0", "MatMul_2:0"],
    "op_types": ["Identity", "Identity", "Sign"],
    "grad_names": ["gradients/AddN_1:0"],
    "grads0": [
        [
            [0.0, 0.0181099995970726, 0.025310000404715538, 0.009469999931752682],
            [
                0.00013000000035390258,
                -0.021640000864863396,
                -0.0023300000466406345,
                -0.02556000091135502,
            ],
            [
                3.9999998989515007e-05,
                -0.0392099991440773,
                0.03384999930858612,
                -0.005309999920427799,
            ],
        ],
        [[0.9117799997329712], [0.17741000652313232], [0.31885001063346863], [0.4868600070476532]],
        [
            [0.2353000044822693, -0.2353000044822693],
            [0.22856000065803528, -0.22856000065803528],
            [-0.2087700068950653, 0.2087700068950653],
            [0.19870999455451965, -0.19870999455451965],
        ],
    ],
    "stable": [0.0, 0.5, 1.0],
    "losses": [2.941070318222046, 2.252619981765747, 1.7382450103759766, 1.4510563611984253],
    "w_dom": [-0.23732994496822357, 0.23333708941936493, 0.06628014147281647, 0.05047645419836044],
}


def test_custom_gradients_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)


def test_gradient_registration_errors_match_tensorflow():
    _register(tf, "P4Twice", lambda op, grad: grad)
    with pytest.raises(KeyError, match="Registering two gradient with name 'P4Twice'"):
        tf.RegisterGradient("P4Twice")(lambda op, grad: grad)
    g = tf.Graph()
    with g.as_default():
        with pytest.raises(TypeError, match="mapping strings to strings"):
            with g.gradient_override_map({"Identity": 3}):
                pass
        x = tf.constant(1.0)
        with g.gradient_override_map({"Square": "P4NoSuchGrad"}):
            y = tf.square(x)
        with pytest.raises(LookupError, match="No gradient defined for operation"):
            tf.gradients(y, x)

        @tf.custom_gradient
        def two_grads(v):
            return v * 2, lambda dy: [dy, dy]

        with pytest.raises(ValueError, match="Num gradients 3 generated for op"):
            tf.gradients(two_grads(x), x)
