"""Fine-tuning from a checkpoint the TF1 way, then training with gradient accumulation: a
pretrained encoder saved under one scope, a new model under another initialized from it with
tf.train.init_from_checkpoint (scope-to-scope and variable-to-variable assignment maps, a
partitioned variable, a variable object as target), tf.train.warm_start with a regex and
renamed variables and a VocabInfo-remapped embedding; then gradients accumulated over
micro-batches in non-trainable accumulators (zero, accumulate, apply the mean) and compared with
one full-batch step.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np
import pytest

import scopeflow as tf
from tests.programs.compare import close


def _encoder(tf, x, scope):
    with tf.variable_scope(scope):
        h = tf.layers.dense(x, 6, tf.nn.tanh, name="fc1")
        emb = tf.get_variable("emb", [8, 3], partitioner=tf.fixed_size_partitioner(2))
        return h, emb


def program(tf, workdir):
    workdir = str(workdir)
    rng = np.random.RandomState(17)
    xs = rng.randn(8, 4).astype(np.float32)
    ys = rng.randn(8, 1).astype(np.float32)
    ckpt = os.path.join(workdir, "pre", "model.ckpt")
    old_vocab = os.path.join(workdir, "old_vocab.txt")
    new_vocab = os.path.join(workdir, "new_vocab.txt")
    with open(old_vocab, "w") as f:
        f.write("a\nb\nc\nd\n")
    with open(new_vocab, "w") as f:
        f.write("c\nz\na\n")
    out = {}
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(2)
        x = tf.placeholder(tf.float32, [None, 4])
        _encoder(tf, x, "pre")
        words = tf.get_variable("words", [4, 2])
        head = tf.get_variable("pre_head", [6, 1])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saved = tf.train.Saver().save(sess, ckpt)
            pre = {v.op.name: sess.run(v) for v in tf.global_variables()}
            out["pre_words"] = np.round(sess.run(words), 5).tolist()
            del head
    out["ckpt_vars"] = [[n, s] for n, s in tf.train.list_variables(saved)]

    g2 = tf.Graph()
    with g2.as_default():
        tf.set_random_seed(3)
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        y = tf.placeholder(tf.float32, [None, 1], name="y")
        h, emb = _encoder(tf, x, "fine")
        head = tf.get_variable("head", [6, 1])
        tf.train.init_from_checkpoint(saved, {"pre/fc1/": "fine/fc1/", "pre/emb": "fine/emb"})
        tf.train.init_from_checkpoint(saved, {"pre_head": head})
        pred = tf.matmul(h, head) + tf.reduce_sum(tf.nn.embedding_lookup(emb, [1, 5]))
        loss = tf.reduce_mean(tf.square(pred - y))
        tvars = tf.trainable_variables()
        accum = [
            tf.Variable(
                tf.zeros_like(v.initialized_value()),
                trainable=False,
                name=v.op.name.replace("/", "_") + "_acc",
            )
            for v in tvars
        ]
        zero = [a.assign(tf.zeros_like(a)) for a in accum]
        grads = tf.gradients(loss, tvars)
        add = [a.assign_add(gr) for a, gr in zip(accum, grads, strict=True)]
        n_micro = tf.placeholder(tf.float32, [], name="n_micro")
        opt = tf.train.MomentumOptimizer(0.1, 0.9)
        apply = opt.apply_gradients([(a / n_micro, v) for a, v in zip(accum, tvars, strict=True)])
        out["fine_vars"] = [[v.op.name, v.shape.as_list()] for v in tf.global_variables()]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out["restored"] = [
                bool(
                    np.array_equal(
                        sess.run(g2.get_tensor_by_name("fine/fc1/kernel:0")), pre["pre/fc1/kernel"]
                    )
                ),
                bool(np.array_equal(sess.run(head), pre["pre_head"])),
                bool(
                    np.array_equal(
                        sess.run(emb.as_tensor()),
                        np.concatenate([pre["pre/emb/part_0"], pre["pre/emb/part_1"]]),
                    )
                ),
            ]
            start = {v: sess.run(v) for v in tvars}
            # one full batch step with the mean gradient of 4 micro-batches
            sess.run(zero)
            micro_losses = []
            for i in range(4):
                lv, _ = sess.run([loss, add], {x: xs[2 * i : 2 * i + 2], y: ys[2 * i : 2 * i + 2]})
                micro_losses.append(float(lv))
            sess.run(apply, {n_micro: 4.0})
            accumulated = {v: sess.run(v) for v in tvars}
            sess.run([v.assign(val) for v, val in start.items()])
            sess.run([tf.variables_initializer([opt.get_slot(v, "momentum") for v in tvars])])
            full_grads = sess.run([tf.convert_to_tensor(gr) for gr in grads], {x: xs, y: ys})
            sess.run(zero)
            sess.run([a.assign(gr) for a, gr in zip(accum, full_grads, strict=True)])
            sess.run(apply, {n_micro: 1.0})
            out["micro_losses"] = micro_losses
            out["accum_vs_full"] = max(
                float(np.abs(accumulated[v] - sess.run(v)).max()) for v in tvars
            )
            out["head_after"] = np.round(sess.run(head), 5).ravel().tolist()

    g3 = tf.Graph()
    with g3.as_default():
        tf.set_random_seed(4)
        with tf.variable_scope("new"):
            tf.layers.dense(tf.zeros([1, 4]), 6, name="fc1")
        words = tf.get_variable("new_words", [4, 2], initializer=tf.constant_initializer(9.0))
        vocab = tf.train.VocabInfo(new_vocab, 3, 1, old_vocab, 4)
        tf.train.warm_start(
            saved,
            vars_to_warm_start=["new/fc1/kernel", ".*words"],
            var_name_to_vocab_info={"new_words": vocab},
            var_name_to_prev_var_name={"new/fc1/kernel": "pre/fc1/kernel", "new_words": "words"},
        )
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            kernel = sess.run(g3.get_tensor_by_name("new/fc1/kernel:0"))
            out["warm"] = [
                bool(np.array_equal(kernel, pre["pre/fc1/kernel"])),
                np.round(sess.run(words), 5).tolist(),
            ]
    return out


EXPECTED = {
    "pre_words": [
        [-0.4007500112056732, 0.630649983882904],
        [-0.8531699776649475, 0.8198999762535095],
        [0.8464800119400024, 0.5663999915122986],
        [0.9764000177383423, 0.20740999281406403],
    ],
    "ckpt_vars": [
        ["pre/emb", [8, 3]],
        ["pre/fc1/bias", [6]],
        ["pre/fc1/kernel", [4, 6]],
        ["pre_head", [6, 1]],
        ["words", [4, 2]],
    ],
    "fine_vars": [
        ["fine/fc1/kernel", [4, 6]],
        ["fine/fc1/bias", [6]],
        ["fine/emb/part_0", [4, 3]],
        ["fine/emb/part_1", [4, 3]],
        ["head", [6, 1]],
        ["fine_fc1_kernel_acc", [4, 6]],
        ["fine_fc1_bias_acc", [6]],
        ["fine_emb_part_0_acc", [4, 3]],
        ["fine_emb_part_1_acc", [4, 3]],
        ["head_acc", [6, 1]],
        ["fine/fc1/kernel/Momentum", [4, 6]],
        ["fine/fc1/bias/Momentum", [6]],
        ["fine/emb/part_0/Momentum", [4, 3]],
        ["fine/emb/part_1/Momentum", [4, 3]],
        ["head/Momentum", [6, 1]],
    ],
    "restored": [True, True, True],
    "micro_losses": [4.116348743438721, 10.404207229614258, 7.079049110412598, 0.18545246124267578],
    "accum_vs_full": 5.960464477539063e-08,
    "head_after": [
        -0.45882999897003174,
        0.49472999572753906,
        0.433789998292923,
        0.08062999695539474,
        -0.08789999783039093,
        0.39594000577926636,
    ],
    "warm": [
        True,
        [
            [0.8464800119400024, 0.5663999915122986],
            [0.0, 0.0],
            [-0.4007500112056732, 0.630649983882904],
            [0.0, 0.0],
        ],
    ],
}


def test_warm_start_and_accumulation_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)


def test_init_from_checkpoint_errors_match_tensorflow(tmp_path):
    with tf.Graph().as_default():
        tf.get_variable("s/a", [2, 3])
        tf.get_variable("s/b", [4])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(sess, str(tmp_path / "m"))
    with tf.Graph().as_default():
        tf.get_variable("t/a", [3, 3])
        tf.get_variable("t/c", [4])
        with pytest.raises(ValueError, match=r"Shape of variable t/a:0 \(\(3, 3\)\) doesn't match"):
            tf.train.init_from_checkpoint(path, {"s/a": "t/a"})
        with pytest.raises(ValueError, match="Tensor s/zz is not found in"):
            tf.train.init_from_checkpoint(path, {"s/zz": "t/c"})
        with pytest.raises(ValueError, match="Should be 'scope/': 'other_scope/'"):
            tf.train.init_from_checkpoint(path, {"s/b": "t/zz"})
        with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching files"):
            tf.train.init_from_checkpoint(str(tmp_path / "nope"), {"s/b": "t/c"})
        with pytest.raises(ValueError, match="Tensor t/c is not found in"):
            tf.train.warm_start(path, vars_to_warm_start=["t/c"])
        with pytest.raises(ValueError, match="must be all `Variable` or all `str`"):
            tf.train.warm_start(path, vars_to_warm_start=[3])
