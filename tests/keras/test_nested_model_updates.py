"""A model with batch normalization called on a new Input inside another model (transfer
learning): ``updates`` lists every call's (as TF's), and ``fit`` runs only those of the
calls on the outer model's inputs. Before, fit also ran the first call's, whose Input is not
fed, and failed. Losses and moving statistics printed by TF 2.21 (tf_keras)."""

import numpy as np

import scopeflow as tf

k = tf.keras


def test_a_nested_batch_norm_model_trains_with_the_updates_of_its_new_call(graph):
    inp = k.Input(shape=(4,))
    bn = k.layers.BatchNormalization(momentum=0.5)
    h = bn(k.layers.Dense(3, kernel_initializer=k.initializers.Constant(0.3))(inp))
    base = k.Model(inp, h)
    x = k.Input(shape=(4,))
    model = k.Model(x, k.layers.Dense(1, kernel_initializer="ones")(base(x)))
    assert [u.name for u in model.updates] == [
        "batch_normalization/cond_2/Merge",
        "batch_normalization/cond_3/Merge",
        "model/batch_normalization/cond_2/Merge",
        "model/batch_normalization/cond_3/Merge",
    ]
    assert len(base.updates) == 4
    model.compile(k.optimizers.SGD(0.1), "mse")
    data = np.linspace(-1, 2, 32).reshape(8, 4).astype(np.float32)
    history = model.fit(
        data, np.ones((8, 1), np.float32), epochs=2, verbose=0, batch_size=4, shuffle=False
    )
    np.testing.assert_allclose(history.history["loss"], [5.256768107, 0.283055164], rtol=1e-6)
    sess = k.backend.get_session()
    np.testing.assert_allclose(sess.run(bn.moving_mean), [0.8472602] * 3, rtol=1e-6)
    np.testing.assert_allclose(sess.run(bn.moving_variance), [0.31237677] * 3, rtol=1e-6)


def test_updates_below_a_recurrent_layer_are_found_through_its_loop(graph):
    # The walk from a batch norm update back to the inputs meets the LSTM's while loop (a
    # cycle in the graph): it must end (it ran forever and filled memory).
    x = k.Input(shape=(5, 3))
    h = k.layers.BatchNormalization()(k.layers.LSTM(4)(x))
    model = k.Model(x, k.layers.Dense(1)(h))
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 5, 3), np.float32), np.ones((4, 1), np.float32), epochs=1, verbose=0)
    assert len(model._updates_for_own_inputs()) == 2
