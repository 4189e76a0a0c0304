"""Adam on linear (not softmax) outputs under ``sparse_categorical_crossentropy``
(``from_logits=False``: the outputs clipped to ``[eps, 1 - eps]``, logged, then a sparse
softmax cross-entropy), checked against TF 2.21's tf_keras in graph mode.

Why a model with a constant Dense kernel drifts from TF under Adam (and not under SGD): with
every column of the kernel equal, the logits are equal, and the gradient reaching the layer
below is a sum over the classes that cancels exactly; both TF and scopeflow compute it as
rounding noise (~1e-8), which differs because TF's float32 Sigmoid/Tanh/Exp/Log (Eigen's
vectorized approximations) differ from NumPy's by 1-2 ulp on about half the inputs. Adam
divides each gradient by its own root mean square (``eps`` = 1e-7, the noise's size), so the
noise becomes steps of a sizable fraction of the learning rate; SGD keeps it at 1e-9. With a
kernel whose columns differ, the gradients are real and Adam matches TF, as here."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

k = tf.keras


def test_adam_on_linear_outputs_with_clipped_sparse_crossentropy_matches_tf(graph):
    kernel = np.random.RandomState(5).uniform(0.05, 0.3, (5, 7))
    model = k.Sequential(
        [
            k.layers.Embedding(
                7,
                4,
                batch_input_shape=[2, None],
                embeddings_initializer=k.initializers.Constant(
                    np.linspace(-0.5, 0.5, 28).reshape(7, 4)
                ),
            ),
            k.layers.LSTM(
                5,
                return_sequences=True,
                stateful=True,
                kernel_initializer=k.initializers.Constant(0.1),
                recurrent_initializer=k.initializers.Constant(-0.05),
            ),
            k.layers.Dense(
                7,
                kernel_initializer=k.initializers.Constant(kernel),
                bias_initializer=k.initializers.Constant(0.01),
            ),
        ]
    )
    model.compile(k.optimizers.Adam(0.05), "sparse_categorical_crossentropy")
    seq = np.random.RandomState(0).randint(0, 7, (4, 9))
    losses = []
    for _ in range(3):
        for b in range(2):
            rows = slice(2 * b, 2 * b + 2)
            losses.append(float(model.train_on_batch(seq[rows, :-1], seq[rows, 1:])))
        model.reset_states()
    # TF 2.21 (tf_keras), the same calls
    expected = [2.8327475, 8.6051865, 4.7941542, 1.8242931, 2.3933311, 1.9459101]
    np.testing.assert_allclose(losses, expected, rtol=2e-6)
