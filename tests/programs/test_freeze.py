"""A model mixing tf.keras.layers and tf.layers (dropout and batch norm switched by a
placeholder_with_default), Momentum under UPDATE_OPS, a Saver round trip through
import_meta_graph, and a frozen GraphDef (convert_variables_to_constants) run through
import_graph_def.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(8)
    xs = rng.rand(8, 5).astype(np.float32)
    ys = rng.randint(0, 3, 8).astype(np.int64)
    path = os.path.join(str(workdir), "model.ckpt")
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(13)
        x = tf.placeholder(tf.float32, [None, 5], name="input")
        y = tf.placeholder(tf.int64, [None], name="labels")
        training = tf.placeholder_with_default(False, [], name="is_training")
        h = tf.keras.layers.Dense(6, activation="relu", name="hidden")(x)
        h = tf.layers.dropout(h, rate=0.5, training=training, seed=1)
        h = tf.layers.batch_normalization(h, training=training, name="bn")
        logits = tf.layers.dense(h, 3, name="logits")
        probs = tf.nn.softmax(logits, name="probs")
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(
                loss, global_step=tf.train.get_or_create_global_step()
            )
        saver = tf.train.Saver(max_to_keep=2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(3):
                _, lv = sess.run([train, loss], {x: xs, y: ys, training: True})
                losses.append(float(lv))
            saved = saver.save(sess, path, global_step=tf.train.get_global_step())
            before = sess.run(probs, {x: xs})
            frozen = tf.graph_util.convert_variables_to_constants(sess, g.as_graph_def(), ["probs"])
        reader = tf.train.NewCheckpointReader(saved)
        shapes = sorted([k, v] for k, v in reader.get_variable_to_shape_map().items())
    g2 = tf.Graph()
    with g2.as_default():
        restorer = tf.train.import_meta_graph(saved + ".meta")
        with tf.Session() as sess:
            restorer.restore(sess, saved)
            p2 = sess.run("probs:0", {"input:0": xs})
            gs = sess.run(tf.train.get_global_step())
    g3 = tf.Graph()
    with g3.as_default():
        (out,) = tf.import_graph_def(
            frozen, input_map=None, return_elements=["probs:0"], name="frozen"
        )
        with tf.Session() as sess:
            p3 = sess.run(out, {"frozen/input:0": xs})
        const_ops = sorted(n.name for n in frozen.node if n.op == "Const")
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "names": [h.name, logits.name, probs.name, loss.name, train.name, out.name],
        "losses": losses,
        "saved": os.path.basename(saved),
        "ckpt": shapes,
        "probs": [float(v) for v in before[0]],
        "same_restored": bool(np.allclose(before, p2)),
        "same_frozen": bool(np.allclose(before, p3)),
        "gs": int(gs),
        "const_ops": const_ops,
        "frozen_ops": sorted({n.op for n in frozen.node}),
    }


EXPECTED = {
    "vars": [
        ["hidden/kernel:0", [5, 6]],
        ["hidden/bias:0", [6]],
        ["bn/gamma:0", [6]],
        ["bn/beta:0", [6]],
        ["bn/moving_mean:0", [6]],
        ["bn/moving_variance:0", [6]],
        ["logits/kernel:0", [6, 3]],
        ["logits/bias:0", [3]],
        ["global_step:0", []],
        ["hidden/kernel/Momentum:0", [5, 6]],
        ["hidden/bias/Momentum:0", [6]],
        ["bn/gamma/Momentum:0", [6]],
        ["bn/beta/Momentum:0", [6]],
        ["logits/kernel/Momentum:0", [6, 3]],
        ["logits/bias/Momentum:0", [3]],
    ],
    "names": [
        "bn/batchnorm/add_1:0",
        "logits/BiasAdd:0",
        "probs:0",
        "sparse_softmax_cross_entropy_loss/value:0",
        "Momentum",
        "frozen/probs:0",
    ],
    "losses": [1.3862652778625488, 1.4853253364562988, 0.8530386686325073],
    "saved": "model.ckpt-3",
    "ckpt": [
        ["bn/beta", [6]],
        ["bn/beta/Momentum", [6]],
        ["bn/gamma", [6]],
        ["bn/gamma/Momentum", [6]],
        ["bn/moving_mean", [6]],
        ["bn/moving_variance", [6]],
        ["global_step", []],
        ["hidden/bias", [6]],
        ["hidden/bias/Momentum", [6]],
        ["hidden/kernel", [5, 6]],
        ["hidden/kernel/Momentum", [5, 6]],
        ["logits/bias", [3]],
        ["logits/bias/Momentum", [3]],
        ["logits/kernel", [6, 3]],
        ["logits/kernel/Momentum", [6, 3]],
    ],
    "probs": [0.19162282347679138, 0.41171616315841675, 0.39666107296943665],
    "same_restored": True,
    "same_frozen": True,
    "gs": 3,
    "const_ops": [
        "bn/batchnorm/add/y",
        "bn/beta",
        "bn/gamma",
        "bn/moments/mean/reduction_indices",
        "bn/moments/variance/reduction_indices",
        "bn/moving_mean",
        "bn/moving_variance",
        "dropout/cond/dropout/Const",
        "dropout/cond/dropout/Const_1",
        "dropout/cond/dropout/GreaterEqual/y",
        "hidden/bias",
        "hidden/kernel",
        "is_training/input",
        "logits/bias",
        "logits/kernel",
    ],
    "frozen_ops": [
        "AddV2",
        "BiasAdd",
        "Const",
        "GreaterEqual",
        "Identity",
        "MatMul",
        "Mean",
        "Merge",
        "Mul",
        "Placeholder",
        "PlaceholderWithDefault",
        "RandomUniform",
        "Relu",
        "Rsqrt",
        "SelectV2",
        "Shape",
        "Softmax",
        "SquaredDifference",
        "Squeeze",
        "StopGradient",
        "Sub",
        "Switch",
    ],
}


def test_freeze_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
