"""Keras optimizers' gradient clipping (clipvalue, clipnorm, global_clipnorm), applied in
apply_gradients after the gradients' all-reduce as tf_keras does: an embedding's IndexedSlices
clipped by its values (their norm) and still applied to its rows. Values after three steps, the
config and TF's errors for bad arguments, from TF 2.21 (TF_USE_LEGACY_KERAS=1)."""

import re

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras.optimizers
CASES = {
    "adam_clipnorm": lambda: K.Adam(0.1, clipnorm=0.5),
    "sgd_clipvalue": lambda: K.SGD(0.1, clipvalue=0.3),
    "rmsprop_global": lambda: K.RMSprop(0.1, global_clipnorm=0.7),
    "nadam_clipnorm": lambda: K.Nadam(0.1, clipnorm=0.5),
}

# emb = arange(12).reshape(6, 2) / 4 + 1, w = [[0.5], [-1.5]]; sparse: loss =
# sum(square(gather(emb, ids) @ w)) for ids [0, 1, 1], [2], [0, 3]; dense: loss =
# sum(square(x @ emb @ w - 1)) for the rows x of linspace(-1, 1, 18).reshape(3, 6).
# fmt: off
EXPECTED = {  # case-gradient: (emb, w) after three steps, TF 2.21's
    "adam_clipnorm-sparse": (
        [1.24881, 1.005281, 1.718798, 1.5312, 2.131934, 2.118065, 2.563881, 2.686119, 3.0, 3.25,
         3.5, 3.75],
        [0.800221, -1.200221],
    ),
    "adam_clipnorm-dense": (
        [1.08847, 1.146335, 1.63449, 1.603657, 2.206826, 2.038531, 2.781274, 2.470993, 3.295658,
         2.950039, 3.785413, 3.459552],
        [0.800319, -1.200474],
    ),
    "sgd_clipvalue-sparse": (
        [1.06, 1.19, 1.56, 1.69, 2.03, 2.22, 2.53, 2.72, 3.0, 3.25, 3.5, 3.75],
        [0.59, -1.41],
    ),
    "sgd_clipvalue-dense": (
        [1.03, 1.22, 1.53, 1.72, 2.047731, 2.22, 2.572269, 2.66, 3.09, 3.16, 3.59, 3.66],
        [0.59, -1.41],
    ),
    "rmsprop_global-sparse": (
        [1.001643, 1.23357, 1.816227, 1.433773, 2.316227, 1.933773, 2.81622, 2.43378, 3.0, 3.25,
         3.5, 3.75],
        [0.854863, -1.088484],
    ),
    "rmsprop_global-dense": (
        [0.951262, 1.250446, 1.404806, 1.752899, 1.851207, 2.207267, 2.807481, 2.430178, 3.44978,
         2.762296, 3.998223, 3.212624],
        [0.83026, -1.150708],
    ),
    "nadam_clipnorm-sparse": (
        [1.195428, 1.071741, 1.605645, 1.644355, 2.104498, 2.145502, 2.61286, 2.63714, 3.0, 3.25,
         3.5, 3.75],
        [0.759506, -1.24454],
    ),
    "nadam_clipnorm-dense": (
        [1.061469, 1.186826, 1.600591, 1.651413, 2.164822, 2.09362, 2.75214, 2.51869, 3.292694,
         2.973502, 3.794742, 3.465351],
        [0.760763, -1.246063],
    ),
}
# fmt: on


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_clipped_training_gives_tfs_values(case):
    name, which = case.split("-")
    with tf.Graph().as_default():
        start = np.arange(12, dtype=np.float32).reshape(6, 2) / 4 + 1
        emb = tf.Variable(start, name="emb", use_resource=True)
        w = tf.Variable(np.array([[0.5], [-1.5]], np.float32), name="w", use_resource=True)
        if which == "sparse":
            ids = tf.placeholder(tf.int32, [None])
            loss = tf.reduce_sum(tf.square(tf.matmul(tf.gather(emb, ids), w)))
            feeds = [{ids: batch} for batch in ([0, 1, 1], [2], [0, 3])]
        else:
            x = tf.placeholder(tf.float32, [None, 6])
            loss = tf.reduce_sum(tf.square(tf.matmul(tf.matmul(x, emb), w) - 1.0))
            xs = np.linspace(-1, 1, 18, dtype=np.float32).reshape(3, 6)
            feeds = [{x: xs[i : i + 1]} for i in range(3)]
        grads = tf.gradients(loss, [emb, w])
        train = CASES[name]().apply_gradients(zip(grads, [emb, w], strict=True))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for feed in feeds:
                sess.run(train, feed)
            got_emb, got_w = sess.run([emb, w])
    np.testing.assert_allclose(got_emb.ravel(), EXPECTED[case][0], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(got_w.ravel(), EXPECTED[case][1], rtol=1e-4, atol=1e-6)


def test_config_holds_the_clipping_after_the_name_and_round_trips():
    optimizer = K.SGD(0.1, clipnorm=1.0)
    config = optimizer.get_config()
    assert list(config) == ["name", "clipnorm", "learning_rate", "decay", "momentum", "nesterov"]
    assert (optimizer.clipnorm, optimizer.clipvalue, optimizer.global_clipnorm) == (1.0, None, None)
    assert K.SGD.from_config(config).get_config() == config
    assert list(K.Ftrl(0.1, clipvalue=2.0).get_config())[:3] == [
        "name",
        "clipvalue",
        "learning_rate",
    ]


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: K.Adam(0.1, clipnorm=-1.0), ValueError, "Expected clipnorm >= 0, received: -1.0"),
        (lambda: K.SGD(0.1, decay=-0.5), ValueError, "Expected decay >= 0, received: -0.5"),
        (lambda: K.Adam(0.1, foo=1), TypeError,
         "Unexpected keyword argument passed to optimizer: foo. Allowed kwargs are"),
        (lambda: K.SGD(0.1, clipnorm=1.0, global_clipnorm=1.0), ValueError,
         "Cannot accept both `clipnorm` and `global_clipnorm`. Received: `clipnorm`=1.0, "
         "`global_clipnorm`=1.0."),
    ],
)  # fmt: skip
def test_bad_arguments_raise_tfs_errors(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make()
