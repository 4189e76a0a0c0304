"""Keras as a simplified interface to TensorFlow (the 2016 blog pattern): tf.keras layers called
on TF placeholders inside a Session registered with K.set_session, Dropout and
BatchNormalization switched by feeding K.learning_phase(), the batch norm's moving-average
updates taken from the layer's ``updates`` and run with a tf.train optimizer's step, a
Sequential model called on a second placeholder (sharing its weights), Keras metrics and losses
as plain functions on tensors, and the trained weights read back by get_weights.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled, tf_keras as tf.keras).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    rng = np.random.RandomState(61)
    xs = rng.randn(10, 5).astype(np.float32)
    ys = np.eye(3, dtype=np.float32)[rng.randint(0, 3, 10)]
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(62)
        K = tf.keras.backend
        sess = tf.Session()
        K.set_session(sess)
        img = tf.placeholder(tf.float32, shape=(None, 5), name="img")
        labels = tf.placeholder(tf.float32, shape=(None, 3), name="labels")
        dense1 = tf.keras.layers.Dense(8, activation="relu")
        bn = tf.keras.layers.BatchNormalization(momentum=0.8)
        drop = tf.keras.layers.Dropout(0.5, seed=4)
        dense2 = tf.keras.layers.Dense(3, activation="softmax")
        x = dense1(img)
        x = bn(x)
        x = drop(x)
        preds = dense2(x)
        loss = tf.reduce_mean(tf.keras.losses.categorical_crossentropy(labels, preds))
        acc = tf.reduce_mean(tf.keras.metrics.categorical_accuracy(labels, preds))
        with tf.control_dependencies(bn.updates):
            train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        other = tf.placeholder(tf.float32, shape=(None, 5), name="other")
        model = tf.keras.Sequential([dense1, bn, dense2])
        other_preds = model(other)
        sess.run(tf.global_variables_initializer())
        losses = []
        for i in range(4):
            batch = slice(5 * (i % 2), 5 * (i % 2) + 5)
            lv, _ = sess.run(
                [loss, train_step],
                {img: xs[batch], labels: ys[batch], K.learning_phase(): 1},
            )
            losses.append(float(lv))
        test_acc, test_loss = sess.run([acc, loss], {img: xs, labels: ys, K.learning_phase(): 0})
        shared = sess.run(other_preds, {other: xs[:2], K.learning_phase(): 0})
        weights = [w.tolist() for w in bn.get_weights()]
        result = {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "updates": len(bn.updates),
            "names": [preds.name, loss.name, acc.name, other_preds.name, train_step.name],
            "losses": losses,
            "test": [float(test_acc), float(test_loss)],
            "shared": shared.tolist(),
            "bn_weights": weights,
        }
        sess.close()
        return result


EXPECTED = {
    "vars": [
        ["dense/kernel:0", [5, 8]],
        ["dense/bias:0", [8]],
        ["batch_normalization/gamma:0", [8]],
        ["batch_normalization/beta:0", [8]],
        ["batch_normalization/moving_mean:0", [8]],
        ["batch_normalization/moving_variance:0", [8]],
        ["dense_1/kernel:0", [8, 3]],
        ["dense_1/bias:0", [3]],
    ],
    "updates": 4,
    "names": [
        "dense_1/Softmax:0",
        "Mean:0",
        "Mean_1:0",
        "sequential/dense_1/Softmax:0",
        "GradientDescent",
    ],
    "losses": [0.6768742799758911, 1.2794634103775024, 0.433391273021698, 0.5981611013412476],
    "test": [0.8999999761581421, 0.568304181098938],
    "shared": [
        [0.5646557211875916, 0.3924303352832794, 0.042913880199193954],
        [0.22473356127738953, 0.33108076453208923, 0.44418567419052124],
    ],
    "bn_weights": [
        [
            0.9065930843353271,
            1.0454398393630981,
            1.1201937198638916,
            1.017268180847168,
            0.9973092675209045,
            0.9847040176391602,
            0.927635908126831,
            0.780570387840271,
        ],
        [
            -0.13951459527015686,
            0.002434171736240387,
            -0.13600260019302368,
            -0.06506131589412689,
            -0.03594925254583359,
            0.22267332673072815,
            -0.008388547226786613,
            0.41220715641975403,
        ],
        [
            0.24594102799892426,
            0.4347229301929474,
            0.22883933782577515,
            0.32563549280166626,
            0.04619784653186798,
            0.1939827799797058,
            0.21643592417240143,
            0.03808391094207764,
        ],
        [
            0.5773168802261353,
            0.8242686986923218,
            0.5199267864227295,
            0.549917995929718,
            0.4220361113548279,
            0.519741952419281,
            0.4871399402618408,
            0.42436468601226807,
        ],
    ],
}


def test_keras_layers_tf_training_matches_tensorflow():
    close(program(tf), EXPECTED)
