"""``tf.keras.backend.local_conv1d``/``local_conv2d``/``resize_volumes``: values as tf_keras
2.21's (compat.v1 graph mode) on the same seeded inputs."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

B = tf.keras.backend


def _inputs():
    r = np.random.RandomState(0)
    x1 = r.randn(2, 5, 3).astype(np.float32)
    k1 = r.randn(2, 2 * 3, 4).astype(np.float32)
    x2 = r.randn(2, 4, 5, 2).astype(np.float32)
    k2 = r.randn(2 * 2, 3 * 2 * 2, 3).astype(np.float32)
    return x1, k1, x2, k2


def test_local_convolutions_are_tf_kerass(graph):
    x1, k1, x2, k2 = _inputs()
    outputs = [
        B.local_conv1d(x1, k1, (2,), (2,)),
        B.local_conv2d(x2, k2, (3, 2), (1, 2), (2, 2)),
        B.local_conv2d(
            np.transpose(x2, (0, 3, 1, 2)), k2, (3, 2), (1, 2), (2, 2), "channels_first"
        ),
    ]
    assert [o.shape.as_list() for o in outputs] == [[2, 2, 4], [2, 2, 2, 3], [2, 3, 2, 2]]
    with tf.Session(graph=graph) as sess:
        a, b, c = sess.run(outputs)
    # tf_keras's first values and sums of squares
    np.testing.assert_allclose(a.ravel()[:4], [-5.533093, 5.8791633, -5.7569747, -4.62809], 1e-5)
    np.testing.assert_allclose(
        b.ravel()[:4], [-3.3034105, 0.9221085, -0.84491265, -1.3859894], 1e-5
    )
    np.testing.assert_allclose(
        c.ravel()[:4], [-4.3885407, 0.70621955, -1.7909364, -1.4571328], 1e-5
    )
    np.testing.assert_allclose(
        [(a**2).sum(), (b**2).sum(), (c**2).sum()], [217.02405, 231.07623, 182.5441], rtol=1e-5
    )
    # position 1 of the 1-D case: steps 2..3 flattened (step-major) times kernel[1]
    np.testing.assert_allclose(a[:, 1], x1[:, 2:4].reshape(2, 6) @ k1[1], rtol=1e-5)


def test_resize_volumes(graph):
    x = np.arange(8, dtype=np.float32).reshape(1, 2, 2, 1, 2)
    y = B.resize_volumes(x, 2, 1, 3, "channels_last")
    assert y.shape.as_list() == [1, 4, 2, 3, 2]
    with tf.Session(graph=graph) as sess:
        got = sess.run(y)
    np.testing.assert_array_equal(got, x.repeat(2, 1).repeat(3, 3))
    with pytest.raises(ValueError, match="Invalid data_format: foo"):
        B.resize_volumes(x, 1, 1, 1, "foo")


def test_ctc_cost_and_decoding_are_tf_kerass(graph):
    logits = np.random.RandomState(1).randn(3, 6, 5).astype(np.float32)
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    y_true = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [0, 0, 0, 0]], np.int32)
    label_length = np.array([[3], [2], [1]], np.int32)
    input_length = np.array([[6], [5], [4]], np.int32)
    sparse = B.ctc_label_dense_to_sparse(y_true, label_length[:, 0])
    cost = B.ctc_batch_cost(y_true, probs, input_length, label_length)
    greedy, greedy_logp = B.ctc_decode(probs, input_length[:, 0])
    beam, beam_logp = B.ctc_decode(
        probs, input_length[:, 0], greedy=False, beam_width=4, top_paths=2
    )
    assert cost.shape.as_list() == [3, 1] and beam_logp.shape.as_list() == [3, 2]
    assert [d.shape.as_list() for d in beam] == [[3, 6], [3, 6]]
    with tf.Session(graph=graph) as sess:
        got = sess.run([sparse, cost, greedy, greedy_logp, beam, beam_logp])
    np.testing.assert_array_equal(got[0].indices, [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [2, 0]])
    np.testing.assert_array_equal(got[0].values, [1, 2, 2, 3, 1, 0])
    np.testing.assert_array_equal(got[0].dense_shape, [3, 4])
    np.testing.assert_allclose(got[1][:, 0], [6.5793533, 4.219225, 6.5921], rtol=1e-5)
    np.testing.assert_array_equal(
        got[2][0], [[0, 1, 0, 1, -1, -1], [1, 3, 2, 0, -1, -1], [1, 3, 2, -1, -1, -1]]
    )
    np.testing.assert_allclose(got[3][:, 0], [4.6666746, 3.9203916, 3.4506788], rtol=1e-5)
    np.testing.assert_array_equal(
        got[4][1], [[0, 1, 0, 3, -1, -1], [1, 3, 2, -1, -1, -1], [1, 3, 2, -1, -1, -1]]
    )
    np.testing.assert_array_equal(got[4][0][2], [1, 3, -1, -1, -1, -1])
    np.testing.assert_allclose(
        got[5],
        [[-3.704545, -3.7777932], [-3.7433693, -3.9208827], [-2.413534, -2.7041903]],
        rtol=1e-5,
    )


def test_rnn_is_tf_kerass(graph):
    r = np.random.RandomState(2)
    x = r.randn(2, 4, 3).astype(np.float32)
    w, u = r.randn(3, 2).astype(np.float32), r.randn(2, 2).astype(np.float32)
    mask = np.array([[1, 1, 0, 1], [1, 0, 0, 1]], bool)

    def step(xt, states):
        h = tf.tanh(tf.matmul(xt, w) + tf.matmul(states[0], u)) + states[1]
        return h, [h, states[1]]

    def run(**kwargs):
        states = [tf.zeros([2, 2]), tf.constant([[0.1, -0.2]] * 2)]
        return B.rnn(step, tf.constant(x), states, **kwargs)

    cases = [
        ({}, 0.26528996229171753, 3.710723876953125),
        ({"go_backwards": True}, 0.012093544006347656, 2.911022424697876),
        ({"mask": mask}, -0.65227872133255, 5.927609443664551),
        ({"mask": mask, "zero_output_for_mask": True}, -0.65227872133255, 2.975998878479004),
        (
            {"mask": mask, "unroll": True, "go_backwards": True},
            3.2063095569610596,
            2.3031363487243652,
        ),
    ]
    built = [run(**kwargs) for kwargs, _, _ in cases]
    assert [b[1].shape.as_list() for b in built] == [[2, 4, 2]] * 5
    with tf.Session(graph=graph) as sess:
        got = sess.run([(b[0], b[1], b[2][0]) for b in built])
    for (last, outputs, state), (_, last_sum, outputs_sum) in zip(got, cases, strict=True):
        np.testing.assert_allclose(
            [last.sum(), outputs.sum(), state.sum()], [last_sum, outputs_sum, last_sum], rtol=2e-5
        )
    # masked steps carry the previous output (zeros with zero_output_for_mask)
    np.testing.assert_allclose(got[2][1][1].ravel()[:4], [0.032759, 0.644055] * 2, rtol=1e-5)
    np.testing.assert_array_equal(got[3][1][1, 1:3], np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Input should be at least 3D"):
        B.rnn(step, tf.zeros([2, 3]), [tf.zeros([2, 2])])
