"""Mixed-precision training as TF1 users wired it by hand before the automatic rewrite: float32
master variables read through a custom_getter that casts them to float16, a float16 forward
pass (conv2d, bias, relu, dense), the loss cast back to float32 and multiplied by a dynamic
loss scale variable, gradients unscaled and checked with tf.is_finite, clip_by_global_norm,
and a tf.cond that applies them and grows the scale, or skips the step and halves it.

Names, dtypes, the finite flags, scales and steps are compared exactly; losses, weights and
logits to 1e-3: TF's CPU kernels round float16 partial sums (Conv2DBackpropFilter's) in another
order than scopeflow's, a last-place difference in float16 that a few steps carry on.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np
import pytest

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(8)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(21)

        def fp16_getter(getter, name, shape=None, dtype=None, *args, **kwargs):
            var = getter(name, shape, tf.float32, *args, **kwargs)
            return tf.cast(var, tf.float16) if dtype == tf.float16 else var

        x = tf.placeholder(tf.float32, [None, 6, 6, 2], name="x")
        y = tf.placeholder(tf.int32, [None], name="y")
        with tf.variable_scope("net", custom_getter=fp16_getter, dtype=tf.float16):
            h = tf.cast(x, tf.float16)
            k = tf.get_variable("conv/kernel", [3, 3, 2, 4], tf.float16)
            b = tf.get_variable("conv/bias", [4], tf.float16, tf.zeros_initializer())
            h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(h, k, [1, 2, 2, 1], "SAME"), b))
            h = tf.reshape(h, [-1, 3 * 3 * 4])
            w = tf.get_variable("fc/kernel", [36, 3], tf.float16)
            logits16 = tf.matmul(h, w)
        logits = tf.cast(logits16, tf.float32, name="logits32")
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        scale = tf.get_variable("loss_scale", initializer=tf.constant(2.0**10), trainable=False)
        good = tf.get_variable("good_steps", initializer=tf.constant(0), trainable=False)
        params = tf.trainable_variables()
        opt = tf.train.GradientDescentOptimizer(0.5)
        grads = tf.gradients(loss * scale, params)
        grads = [tf.cast(gr, tf.float32) / scale for gr in grads]
        finite = tf.reduce_all([tf.reduce_all(tf.is_finite(gr)) for gr in grads], name="finite")
        clipped, gnorm = tf.clip_by_global_norm(grads, 5.0)
        step = tf.train.get_or_create_global_step()

        def apply():
            upd = opt.apply_gradients(zip(clipped, params, strict=True), global_step=step)
            with tf.control_dependencies([upd]):
                grow = tf.equal(good + 1, 3)
                new_scale = tf.where(grow, scale * 2.0, scale)
                return tf.group(
                    tf.assign(scale, new_scale),
                    tf.assign(good, tf.where(grow, 0, good + 1)),
                )

        def skip():
            return tf.group(tf.assign(scale, scale / 2.0), tf.assign(good, 0))

        train = tf.cond(finite, apply, skip, name="maybe_apply")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            xs = rng.randn(8, 6, 6, 2).astype(np.float32)
            ys = rng.randint(0, 3, 8).astype(np.int32)
            trace = []
            for i in range(8):
                feed = {x: xs, y: ys}
                if i == 4:  # an overflow in float16: the step is skipped and the scale halves
                    feed = {x: xs * 3e4, y: ys}
                lv, fv, _ = sess.run([loss, finite, train], feed)
                sv, gv, st = sess.run([scale, good, step])
                trace.append(
                    [float(lv) if np.isfinite(lv) else "nan", bool(fv), float(sv), int(gv), int(st)]
                )
            kv = sess.run(params[0])
            lg = sess.run(logits, {x: xs[:2]})
    return {
        "vars": [[v.name, v.dtype.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "names": [
            logits16.name,
            logits.name,
            loss.name,
            finite.name,
            gnorm.name,
            train.name,
            clipped[0].name,
        ],
        "dtypes": [logits16.dtype.name, grads[0].dtype.name, k.dtype.name],
        "trace": trace,
        "kernel": kv[0, 0, 0].tolist(),
        "logits": lg.tolist(),
    }


EXPECTED = {
    "vars": [
        ["net/conv/kernel:0", "float32_ref", [3, 3, 2, 4]],
        ["net/conv/bias:0", "float32_ref", [4]],
        ["net/fc/kernel:0", "float32_ref", [36, 3]],
        ["loss_scale:0", "float32_ref", []],
        ["good_steps:0", "int32_ref", []],
        ["global_step:0", "int64_ref", []],
    ],
    "names": [
        "net/MatMul:0",
        "logits32:0",
        "sparse_softmax_cross_entropy_loss/value:0",
        "finite:0",
        "global_norm/global_norm:0",
        "maybe_apply/Merge:0",
        "clip_by_global_norm/clip_by_global_norm/_0:0",
    ],
    "dtypes": ["float16", "float32", "float16"],
    "trace": [
        [1.2161835432052612, True, 1024.0, 1, 1],
        [0.27126210927963257, True, 1024.0, 2, 2],
        [0.10246655344963074, True, 2048.0, 0, 3],
        [0.062103815376758575, True, 2048.0, 1, 4],
        ["nan", False, 1024.0, 0, 4],
        [0.04381538927555084, True, 1024.0, 1, 5],
        [0.03319724649190903, True, 1024.0, 2, 6],
        [0.026371605694293976, True, 2048.0, 0, 7],
    ],
    "kernel": [
        -0.13616004586219788,
        0.22414138913154602,
        0.35331907868385315,
        -0.048503801226615906,
    ],
    "logits": [
        [-1.794921875, -1.0849609375, 3.513671875],
        [-3.0703125, 4.83984375, -0.36181640625],
    ],
}


def test_mixed_precision_loss_scale_matches_tensorflow(tmp_path):
    got = program(tf, tmp_path)
    numbers = ("trace", "kernel", "logits")
    close(
        {k: v for k, v in got.items() if k not in numbers},
        {k: v for k, v in EXPECTED.items() if k not in numbers},
    )
    for row, want in zip(got["trace"], EXPECTED["trace"], strict=True):
        assert row[1:] == want[1:]
        if want[0] == "nan":
            assert row[0] == "nan"
        else:
            assert row[0] == pytest.approx(want[0], rel=1e-3)
    assert got["kernel"] == pytest.approx(EXPECTED["kernel"], rel=1e-3, abs=1e-4)
    assert np.allclose(got["logits"], EXPECTED["logits"], rtol=1e-3, atol=2e-3)
