"""tf.contrib.opt optimizers as TF1 recommendation and BERT-era code used them: LazyAdamOptimizer
on an embedding table whose gradient is IndexedSlices (only the looked-up rows' moments and
values move), AdamWOptimizer and MomentumWOptimizer with decoupled weight decay (a decay
tensor fed from a placeholder, decay_var_list limiting it to the kernels), each optimizer's
slots and the global step; four steps, a dense tower beside the embeddings, the gradients of
each step fetched and fed to the update (as gradient-accumulation code does).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.opt Python
code (from the 1.15 wheel).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(515)
    users = np.array([[0, 2], [2, 3], [0, 0]], np.int32)
    feats = rng.randn(3, 4).astype(np.float32)
    ys = rng.randn(3, 1).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(516)
        ids = tf.placeholder(tf.int32, [None, 2], name="ids")
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        y = tf.placeholder(tf.float32, [None, 1], name="y")
        wd = tf.placeholder_with_default(0.01, [], name="weight_decay")
        table = tf.get_variable("user_embeddings", [6, 3])
        pooled = tf.reduce_mean(tf.nn.embedding_lookup(table, ids), 1)
        with tf.variable_scope("tower"):
            h = tf.layers.dense(tf.concat([pooled, x], 1), 5, tf.nn.relu, name="hidden")
            out = tf.layers.dense(h, 1, name="out")
        loss = tf.reduce_mean(tf.square(out - y))
        step = tf.train.get_or_create_global_step()
        tower_vars = tf.trainable_variables("tower")
        kernels = [v for v in tower_vars if "kernel" in v.name]
        lazy = tf.contrib.opt.LazyAdamOptimizer(0.1)
        adamw = tf.contrib.opt.AdamWOptimizer(wd, learning_rate=0.05)
        momw = tf.contrib.opt.MomentumWOptimizer(
            wd, learning_rate=0.05, momentum=0.9, use_nesterov=True
        )
        computed = tf.gradients(loss, [table] + tower_vars)
        # the gradients are fed to the update run: computed in the same run, TF's decay (an
        # assign_sub nothing orders) races the forward pass's reads of the kernels
        grads = [
            tf.IndexedSlices(
                tf.placeholder(tf.float32, [None, 3], name="table_grad"),
                tf.placeholder(tf.int32, [None], name="table_rows"),
                tf.constant([6, 3]),
            )
        ]
        grads += [
            tf.placeholder(tf.float32, v.shape, name=v.op.name.replace("/", "_") + "_grad")
            for v in tower_vars
        ]
        train_ops = [
            lazy.apply_gradients([(grads[0], table)], global_step=step),
            adamw.apply_gradients(
                list(zip(grads[1:3], tower_vars[:2], strict=True)),
                decay_var_list=kernels,
            ),
            momw.apply_gradients(
                list(zip(grads[3:], tower_vars[2:], strict=True)), decay_var_list=kernels
            ),
        ]
        train = tf.group(*train_ops)
        feed = {ids: users, x: feats, y: ys}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            before = sess.run(table)
            losses = []
            for _ in range(4):
                lv, gv = sess.run([loss, computed], feed)
                fed = {grads[0].values: gv[0].values, grads[0].indices: gv[0].indices}
                fed.update(dict(zip(grads[1:], gv[1:], strict=True)))
                sess.run(train, fed)
                losses.append(float(lv))
            after, m, hidden_k, out_b, step_v = sess.run(
                [table, lazy.get_slot(table, "m"), tower_vars[0], tower_vars[3], step]
            )
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "grad_type": type(computed[0]).__name__,
            "names": [op.name for op in train_ops] + [train.name],
            "losses": losses,
            "untouched_rows_equal": bool(np.array_equal(before[[1, 4, 5]], after[[1, 4, 5]])),
            "table_rows": after[[0, 2, 3]].tolist(),
            "m_rows": m[[0, 1, 3]].tolist(),
            "hidden_kernel": hidden_k[0].tolist(),
            "out_bias": out_b.tolist(),
            "step": int(step_v),
        }


EXPECTED = {
    "vars": [
        ["user_embeddings:0", [6, 3]],
        ["tower/hidden/kernel:0", [7, 5]],
        ["tower/hidden/bias:0", [5]],
        ["tower/out/kernel:0", [5, 1]],
        ["tower/out/bias:0", [1]],
        ["global_step:0", []],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["user_embeddings/Adam:0", [6, 3]],
        ["user_embeddings/Adam_1:0", [6, 3]],
        ["beta1_power_1:0", []],
        ["beta2_power_1:0", []],
        ["tower/hidden/kernel/AdamW:0", [7, 5]],
        ["tower/hidden/kernel/AdamW_1:0", [7, 5]],
        ["tower/hidden/bias/AdamW:0", [5]],
        ["tower/hidden/bias/AdamW_1:0", [5]],
        ["tower/out/kernel/MomentumW:0", [5, 1]],
        ["tower/out/bias/MomentumW:0", [1]],
    ],
    "grad_type": "IndexedSlices",
    "names": ["Adam", "AdamW", "MomentumW", "group_deps"],
    "losses": [0.5944338440895081, 0.21407698094844818, 0.05592787265777588, 0.007978815585374832],
    "untouched_rows_equal": True,
    "table_rows": [
        [-0.038866426795721054, 0.012317430227994919, 0.41051268577575684],
        [0.4914426803588867, 0.6258026361465454, 0.19166243076324463],
        [-0.1570199728012085, -1.1860744953155518, -0.6256274580955505],
    ],
    "m_rows": [
        [0.002080306177958846, -0.015450879000127316, -0.00024022423895075917],
        [0.0, 0.0, 0.0],
        [-0.0014088901225477457, 0.026215188205242157, 0.01216669101268053],
    ],
    "hidden_kernel": [
        -0.5039451718330383,
        0.05646811053156853,
        -0.08006224036216736,
        -0.48905426263809204,
        0.3805600702762604,
    ],
    "out_bias": [0.09667056798934937],
    "step": 4,
}


def test_contrib_opt_embeddings_match_tensorflow():
    close(program(tf), EXPECTED)
