"""A time-series forecaster fed by tf.data as TF1 users switched between training and
validation: sliding windows from Dataset.window + flat_map, shuffled with a seed and batched;
a feedable iterator (Iterator.from_string_handle) fed the string handles of a one-shot training
iterator and an initializable validation iterator; a reinitializable iterator
(Iterator.from_structure) reused over two datasets; sequences bucketed by length with
tf.data.experimental.group_by_window; a cosine learning-rate decay after a linear warm-up
chosen by tf.cond; Adam on a small dense network.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    width = 5
    series = np.sin(np.arange(60, dtype=np.float32) * 0.3) + 0.1 * np.cos(
        np.arange(60, dtype=np.float32) * 1.7
    )
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(11)

        def windows(values):
            ds = tf.data.Dataset.from_tensor_slices(values)
            ds = ds.window(width + 1, shift=1, drop_remainder=True)
            ds = ds.flat_map(lambda w: w.batch(width + 1))
            return ds.map(lambda w: (tf.reshape(w[:-1], [width]), tf.reshape(w[-1:], [1])))

        train_ds = windows(series[:45]).shuffle(16, seed=3).repeat().batch(8)
        val_ds = windows(series[40:]).batch(32)
        handle = tf.placeholder(tf.string, [], name="handle")
        it = tf.data.Iterator.from_string_handle(
            handle, tf.data.get_output_types(train_ds), tf.data.get_output_shapes(train_ds)
        )
        x, y = it.get_next()
        train_it = tf.data.make_one_shot_iterator(train_ds)
        val_it = tf.data.make_initializable_iterator(val_ds)

        h = tf.layers.dense(x, 8, tf.nn.tanh, name="hidden")
        pred = tf.layers.dense(h, 1, name="out")
        loss = tf.losses.mean_squared_error(y, pred)
        step = tf.train.get_or_create_global_step()
        warm = 5
        base = 0.05
        lr = tf.cond(
            step < warm,
            lambda: base * tf.cast(step + 1, tf.float32) / warm,
            lambda: tf.train.cosine_decay(base, step - warm, 30, alpha=0.1),
            name="lr",
        )
        train = tf.train.AdamOptimizer(lr).minimize(loss, global_step=step)

        # a reinitializable iterator over two datasets of the same structure
        a = tf.data.Dataset.range(6).map(lambda i: i * 2)
        b = tf.data.Dataset.range(3).map(lambda i: i + 100)
        re_it = tf.data.Iterator.from_structure(
            tf.data.get_output_types(a), tf.data.get_output_shapes(a)
        )
        re_next = re_it.get_next()
        init_a = re_it.make_initializer(a, name="init_a")
        init_b = re_it.make_initializer(b, name="init_b")

        # sequences of lengths 1..6 grouped by length bucket, padded per bucket
        lens = tf.data.Dataset.range(1, 9).map(lambda n: tf.fill([n], n))
        grouped = lens.apply(
            tf.data.experimental.group_by_window(
                key_func=lambda s: tf.cast(tf.size(s) // 3, tf.int64),
                reduce_func=lambda key, ds: ds.padded_batch(2, padded_shapes=[None]),
                window_size=2,
            )
        )
        g_next = tf.data.make_one_shot_iterator(grouped).get_next()

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            th, vh = sess.run([train_it.string_handle(), val_it.string_handle()])
            losses, lrs = [], []
            for _ in range(12):
                lv, lrv, _ = sess.run([loss, lr, train], {handle: th})
                losses.append(float(lv))
                lrs.append(float(lrv))
            sess.run(val_it.initializer)
            val_loss = float(sess.run(loss, {handle: vh}))
            first_x = sess.run(x, {handle: th})
            re_vals = []
            for init in (init_a, init_b):
                sess.run(init)
                while True:
                    try:
                        re_vals.append(int(sess.run(re_next)))
                    except tf.errors.OutOfRangeError:
                        break
            groups = []
            while True:
                try:
                    groups.append(sess.run(g_next).tolist())
                except tf.errors.OutOfRangeError:
                    break
            try:
                sess.run(loss, {handle: vh})
                val_end = "no error"
            except tf.errors.OutOfRangeError as e:
                val_end = type(e).__name__
    return {
        "vars": [[v.name, v.shape.as_list()] for v in g.get_collection("variables")],
        "names": [x.name, y.name, pred.name, loss.name, lr.name, train.name, re_next.name],
        "shapes": [x.shape.as_list(), y.shape.as_list(), re_next.shape.as_list()],
        "types": [x.op.type, init_a.type, x.dtype.name, re_next.dtype.name],
        "losses": losses,
        "lrs": lrs,
        "val_loss": val_loss,
        "first_x": first_x[:2].tolist(),
        "reinit": re_vals,
        "groups": groups,
        "val_end": val_end,
    }


EXPECTED = {
    "vars": [
        ["hidden/kernel:0", [5, 8]],
        ["hidden/bias:0", [8]],
        ["out/kernel:0", [8, 1]],
        ["out/bias:0", [1]],
        ["global_step:0", []],
        ["beta1_power:0", []],
        ["beta2_power:0", []],
        ["hidden/kernel/Adam:0", [5, 8]],
        ["hidden/kernel/Adam_1:0", [5, 8]],
        ["hidden/bias/Adam:0", [8]],
        ["hidden/bias/Adam_1:0", [8]],
        ["out/kernel/Adam:0", [8, 1]],
        ["out/kernel/Adam_1:0", [8, 1]],
        ["out/bias/Adam:0", [1]],
        ["out/bias/Adam_1:0", [1]],
    ],
    "names": [
        "IteratorGetNext:0",
        "IteratorGetNext:1",
        "out/BiasAdd:0",
        "mean_squared_error/value:0",
        "lr/Merge:0",
        "Adam",
        "IteratorGetNext_1:0",
    ],
    "shapes": [[None, 5], [None, 1], []],
    "types": ["IteratorGetNext", "MakeIterator", "float32", "int64"],
    "losses": [
        0.5312883257865906,
        0.4816288948059082,
        0.44575485587120056,
        0.31030869483947754,
        0.1809004545211792,
        0.0729295015335083,
        0.019494008272886276,
        0.2078108936548233,
        0.1823413074016571,
        0.2677123546600342,
        0.27381670475006104,
        0.11577676981687546,
    ],
    "lrs": [
        0.010000000707805157,
        0.020000001415610313,
        0.030000001192092896,
        0.04000000283122063,
        0.05000000447034836,
        0.05000000074505806,
        0.04987674206495285,
        0.04950832203030586,
        0.04889877140522003,
        0.0480547696352005,
        0.04698557406663895,
        0.04570288211107254,
    ],
    "val_loss": 0.0860411673784256,
    "first_x": [
        [
            -0.4872846007347107,
            -0.3642725348472595,
            -0.02471974678337574,
            0.4071016311645508,
            0.5953487753868103,
        ],
        [
            0.9358905553817749,
            0.7657202482223511,
            0.7198709845542908,
            0.4863339066505432,
            0.04842767119407654,
        ],
    ],
    "reinit": [0, 2, 4, 6, 8, 10, 100, 101, 102],
    "groups": [
        [[1, 0], [2, 2]],
        [[3, 3, 3, 0], [4, 4, 4, 4]],
        [[6, 6, 6, 6, 6, 6, 0], [7, 7, 7, 7, 7, 7, 7]],
        [[5, 5, 5, 5, 5]],
        [[8, 8, 8, 8, 8, 8, 8, 8]],
    ],
    "val_end": "OutOfRangeError",
}


def test_feedable_iterator_windows_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
