"""Sharded Python-generator input as TF1 scripts fed it: a generator taking its shard id and
scale through Dataset.from_generator(args=...), shards interleaved, the epochs made by
Dataset.range(epochs).flat_map over a dataset built outside the function, element weights
from map returning an outer tensor alongside the element, a seeded Dataset.random stream
(RandomDataset) zipped in as a dropout mask; a linear model trained with Adagrad, and the
epoch count fed through an initializable iterator.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    def shard(shard_id, scale):
        rng = np.random.RandomState(int(shard_id) + 40)
        for _ in range(4):
            x = rng.randn(3).astype(np.float32) * float(scale)
            yield x, np.float32(x @ np.array([1.0, -2.0, 0.5], np.float32) + 0.3)

    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(97)
        scale = tf.constant(0.5)
        epochs = tf.placeholder(tf.int64, [], name="epochs")
        shards = tf.data.Dataset.range(3).interleave(
            lambda sid: tf.data.Dataset.from_generator(
                shard,
                (tf.float32, tf.float32),
                (tf.TensorShape([3]), tf.TensorShape([])),
                args=(sid, scale),
            ),
            cycle_length=3,
        )
        weights = tf.constant([1.0, 1.0, 2.0])
        weighted = shards.map(lambda x, y: (x, y, weights))
        masks = tf.data.experimental.RandomDataset(seed=21).map(
            lambda r: tf.cast(tf.not_equal(r % 4, 0), tf.float32)
        )
        one_epoch = tf.data.Dataset.zip((weighted, masks))
        data = tf.data.Dataset.range(epochs).flat_map(lambda e: one_epoch).batch(4)
        it = tf.data.make_initializable_iterator(data)
        (x, y, w), keep = it.get_next()
        coef = tf.get_variable("coef", [3], initializer=tf.zeros_initializer())
        bias = tf.get_variable("bias", [], initializer=tf.zeros_initializer())
        pred = tf.reduce_sum(x * w * coef, axis=1) + bias
        loss = tf.reduce_sum(keep * tf.square(pred - y)) / tf.maximum(tf.reduce_sum(keep), 1.0)
        train = tf.train.AdagradOptimizer(0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            runs = []
            for n in (2, 1):
                sess.run(it.initializer, {epochs: n})
                trace, kept = [], []
                while True:
                    try:
                        lv, kv, _ = sess.run([loss, keep, train])
                    except tf.errors.OutOfRangeError:
                        break
                    trace.append(float(lv))
                    kept.append(kv.tolist())
                runs.append([trace, kept])
            cv, bv = sess.run([coef, bias])
    return {
        "names": [x.name, y.name, w.name, keep.name, loss.name, train.name],
        "shapes": [x.shape.as_list(), w.shape.as_list(), keep.shape.as_list()],
        "runs": runs,
        "coef": cv.tolist(),
        "bias": float(bv),
    }


EXPECTED = {
    "names": [
        "IteratorGetNext:0",
        "IteratorGetNext:1",
        "IteratorGetNext:2",
        "IteratorGetNext:3",
        "truediv:0",
        "Adagrad",
    ],
    "shapes": [[None, 3], [None, 3], [None]],
    "runs": [
        [
            [
                1.7368743419647217,
                0.1480383574962616,
                0.3736394941806793,
                0.5314706563949585,
                0.013604157604277134,
                0.1322573870420456,
            ],
            [
                [1.0, 1.0, 1.0, 1.0],
                [0.0, 1.0, 1.0, 0.0],
                [1.0, 1.0, 1.0, 0.0],
                [1.0, 1.0, 1.0, 1.0],
                [0.0, 1.0, 1.0, 0.0],
                [1.0, 1.0, 1.0, 0.0],
            ],
        ],
        [
            [0.3599089980125427, 0.004783358424901962, 0.09424495697021484],
            [[1.0, 1.0, 1.0, 1.0], [0.0, 1.0, 1.0, 0.0], [1.0, 1.0, 1.0, 0.0]],
        ],
    ],
    "coef": [0.6633961796760559, -1.0217235088348389, 0.23232755064964294],
    "bias": 0.41012513637542725,
}


def test_generator_shards_match_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
