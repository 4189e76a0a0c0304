"""A tf.data input pipeline mixing sources as TF1 training scripts built them: a CSV file read
by tf.data.experimental.CsvDataset and by make_csv_dataset, two sources mixed by
sample_from_datasets with weights and a seed (TF's RandomDataset Philox stream), classes
balanced with rejection_resample, a running mean kept by tf.data.experimental.scan,
Dataset.zip with an enumerate() counter, cache() to a file, unbatch, take_while,
map_and_batch, Dataset.reduce for a total, and a logistic regression trained from the
resulting iterator.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(26)
    csv_path = os.path.join(workdir, "rows.csv")
    rows = rng.randn(40, 3).round(3)
    labels = (rows[:, 0] + rows[:, 1] > 0.8).astype(int)
    with open(csv_path, "w") as f:
        f.write("a,b,c,label\n")
        for r, lab in zip(rows, labels, strict=True):
            f.write(f"{r[0]},{r[1]},{r[2]},{lab}\n")
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(61)
        csv = tf.data.experimental.CsvDataset(
            csv_path, [tf.float32, tf.float32, tf.float32, tf.int32], header=True
        )
        real = csv.map(lambda a, b, c, lab: (tf.stack([a, b, c]), lab))
        # deterministic synthetic rows: rejection_resample iterates its input twice, and TF
        # restarts a seeded random op's stream per copy where scopeflow shares one
        synth = tf.data.Dataset.range(1000).map(
            lambda i: (tf.sin(tf.cast(i, tf.float32) * [1.0, 2.0, 3.0]) + 1.0, tf.constant(1))
        )
        mixed = tf.data.experimental.sample_from_datasets(
            [real.repeat(), synth], [0.7, 0.3], seed=13
        )
        balanced = mixed.apply(
            tf.data.experimental.rejection_resample(
                lambda x, y: y, target_dist=[0.5, 0.5], initial_dist=[0.6, 0.4], seed=17
            )
        ).map(lambda cls, xy: xy)
        train_ds = balanced.apply(
            tf.data.experimental.map_and_batch(lambda x, y: (x, tf.to_float(y)), 8)
        )
        x, y = tf.data.make_one_shot_iterator(train_ds).get_next()
        logits = tf.squeeze(tf.layers.dense(x, 1, name="logreg"), 1)
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

        running = real.map(lambda v, lab: v[0]).apply(
            tf.data.experimental.scan(
                (tf.constant(0.0), tf.constant(0.0)),
                lambda st, v: ((st[0] + v, st[1] + 1.0), (st[0] + v) / (st[1] + 1.0)),
            )
        )
        zipped = tf.data.Dataset.zip((running, real.map(lambda v, lab: lab))).enumerate()
        cached = zipped.cache(os.path.join(workdir, "cache"))
        stopped = cached.apply(tf.data.experimental.take_while(lambda i, pair: i < 6))
        z_next = tf.data.make_one_shot_iterator(stopped).get_next()
        flat = tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4], [5, 6]]).apply(
            tf.data.experimental.unbatch()
        )
        total = flat.reduce(tf.constant(0, tf.int64), lambda s, v: s + tf.cast(v, tf.int64))
        made = tf.data.experimental.make_csv_dataset(
            csv_path, 5, label_name="label", shuffle=False, num_epochs=1
        )
        feats, lab_b = tf.data.make_one_shot_iterator(made).get_next()

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            trace, seen = [], []
            for _ in range(10):
                lv, yv, _ = sess.run([loss, y, train])
                trace.append(float(lv))
                seen.append(int(yv.sum()))
            zs = []
            while True:
                try:
                    i, (mean, lab) = sess.run(z_next)
                    zs.append([int(i), round(float(mean), 4), int(lab)])
                except tf.errors.OutOfRangeError:
                    break
            tot = int(sess.run(total))
            fv, lv_b = sess.run([feats, lab_b])
    return {
        "names": [x.name, y.name, logits.name, loss.name, z_next[0].name, total.name, lab_b.name],
        "shapes": [x.shape.as_list(), y.shape.as_list(), lab_b.shape.as_list()],
        "feature_keys": sorted(fv),
        "trace": trace,
        "positives_per_batch": seen,
        "zipped": zs,
        "total": tot,
        "csv_batch": [fv["a"].tolist(), lv_b.tolist()],
    }


EXPECTED = {
    "names": [
        "IteratorGetNext:0",
        "IteratorGetNext:1",
        "Squeeze:0",
        "Mean:0",
        "IteratorGetNext_1:0",
        "ReduceDataset:0",
        "IteratorGetNext_2:3",
    ],
    "shapes": [[None, 3], [None], [None]],
    "feature_keys": ["a", "b", "c"],
    "trace": [
        1.3476929664611816,
        0.5582377314567566,
        0.47040748596191406,
        0.6168347001075745,
        0.6277319192886353,
        0.2897082567214966,
        0.4749319553375244,
        0.34339436888694763,
        0.30111128091812134,
        0.23407548666000366,
    ],
    "positives_per_batch": [6, 4, 5, 4, 4, 6, 5, 5, 6, 6],
    "zipped": [
        [0, 0.196, 0],
        [1, 0.429, 0],
        [2, 0.2763, 0],
        [3, 0.363, 0],
        [4, 0.4816, 0],
        [5, 0.2293, 0],
    ],
    "total": 21,
    "csv_batch": [
        [
            0.19599999487400055,
            0.6620000004768372,
            -0.028999999165534973,
            0.6230000257492065,
            0.9559999704360962,
        ],
        [0, 0, 0, 0, 0],
    ],
}


def test_data_mixing_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
