"""Tests for ``tf.contrib.rnn``'s extra cells (scopeflow/contrib/rnn_cells_extra.py): TF 1.15's
variable names under ``dynamic_rnn`` and values against NumPy forms of their equations."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

rnn = tf.contrib.rnn
X = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)


def _sig(x):
    return 1 / (1 + np.exp(-x))


def _relu(x):
    return np.maximum(x, 0)


def _ln(x, eps=1e-12):
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps)


def _run(cell, prefix, x=X):
    out, state = tf.nn.dynamic_rnn(cell, tf.constant(x), dtype=tf.float32)
    names = [v.op.name for v in tf.global_variables()]
    assert all(n.startswith(prefix) for n in names), names
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w = dict(
            zip([n[len(prefix) :] for n in names], sess.run(tf.global_variables()), strict=True)
        )
        return sess.run(out), w


def _unroll(step, state, w, got, x=X):
    for t in range(x.shape[1]):
        out, state = step(x[:, t], state, w)
        np.testing.assert_allclose(got[:, t], out, rtol=1e-4, atol=1e-5)


def _ind_rnn(x, h, w):
    h = np.tanh(x @ w["kernel_w"] + h * w["kernel_u"] + w["bias"])
    return h, h


def _indy_gru(x, h, w):
    r, u = np.split(
        _sig(x @ w["gates/kernel_w"] + np.tile(h, 2) * w["gates/kernel_u"] + w["gates/bias"]), 2, 1
    )
    c = np.tanh(x @ w["candidate/kernel"] + r * h * w["candidate/kernel_u"] + w["candidate/bias"])
    h = u * h + (1 - u) * c
    return h, h


def _indy_lstm(x, s, w):
    c, h = s
    i, j, f, o = np.split(x @ w["kernel_w"] + np.tile(h, 4) * w["kernel_u"] + w["bias"], 4, 1)
    c = c * _sig(f + 1) + _sig(i) * np.tanh(j)
    h = np.tanh(c) * _sig(o)
    return h, (c, h)


def _sru(x, c, w):
    xb, f, r, xt = np.split(x @ w["kernel"], 4, 1)
    f, r = np.split(_sig(np.concatenate([f, r], 1) + w["bias"]), 2, 1)
    c = f * c + (1 - f) * xb
    return r * np.tanh(c) + (1 - r) * xt, c


def _ugrnn(x, h, w):
    g, c = np.split(np.concatenate([x, h], 1) @ w["kernel"] + w["bias"], 2, 1)
    g = _sig(g + 1)
    h = g * h + (1 - g) * np.tanh(c)
    return h, h


def _intersection(x, h, w):
    gh, hh, gy, y = np.split(np.concatenate([x, h], 1) @ w["kernel"] + w["bias"], 4, 1)
    gh, gy = _sig(gh + 1), _sig(gy + 1)
    return gy * x + (1 - gy) * _relu(y), gh * h + (1 - gh) * np.tanh(hh)


def _nas(x, s, w):
    c, m = s
    a, b = np.split(x @ w["kernel"], 8, 1), np.split(m @ w["recurrent_kernel"] + w["bias"], 8, 1)
    acts = [_sig, _relu, _sig, None, np.tanh, _sig, np.tanh, _sig]
    g = [f(p + q) if f else _relu(p * q) for f, p, q in zip(acts, a, b, strict=True)]
    c = np.tanh(np.tanh(g[0] * g[1]) + c) * np.tanh(g[2] + g[3])
    m = np.tanh(c * np.tanh(np.tanh(g[4] * g[5]) + _sig(g[6] + g[7]))) @ w["projection_weights"]
    return m, (c, m)


def _cifg(x, s, w):
    c, m = s
    j, f, o = np.split(np.concatenate([x, m], 1) @ w["W_0"] + w["B"], 3, 1)
    f = _sig(f + 1 + w["W_F_diag"] * c)
    c = f * c + (1 - f) * np.tanh(j)
    m = _sig(o + w["W_O_diag"] * c) * np.tanh(c)
    return m, (c, m)


def _ln_lstm(x, s, w):
    c, m = s
    gates = np.split(np.concatenate([x, m], 1) @ w["kernel"], 4, 1)
    i, j, f, o = (_ln(g) for g in gates)
    c = np.clip(_ln(_sig(f + 1) * c + _sig(i) * np.tanh(j)), -0.5, 0.5)
    m = (_sig(o) * np.tanh(c)) @ w["projection/kernel"]
    return m, (c, m)


Z3, Z2 = np.zeros((2, 3)), np.zeros((2, 2))
CASES = {
    "ind_rnn": (
        lambda: rnn.IndRNNCell(3),
        "rnn/ind_rnn_cell/",
        ["kernel_w", "kernel_u", "bias"],
        _ind_rnn,
        Z3,
    ),
    "indy_gru": (
        lambda: rnn.IndyGRUCell(3),
        "rnn/indy_gru_cell/",
        [
            "gates/kernel_w",
            "gates/kernel_u",
            "gates/bias",
            "candidate/kernel",
            "candidate/kernel_u",
            "candidate/bias",
        ],
        _indy_gru,
        Z3,
    ),
    "indy_lstm": (
        lambda: rnn.IndyLSTMCell(3),
        "rnn/indy_lstm_cell/",
        ["kernel_w", "kernel_u", "bias"],
        _indy_lstm,
        (Z3, Z3),
    ),
    "sru": (lambda: rnn.SRUCell(4), "rnn/sru_cell/", ["kernel", "bias"], _sru, np.zeros((2, 4))),
    "ugrnn": (lambda: rnn.UGRNNCell(3), "rnn/ugrnn_cell/", ["kernel", "bias"], _ugrnn, Z3),
    "intersection": (
        lambda: rnn.IntersectionRNNCell(4),
        "rnn/intersection_rnn_cell/",
        ["kernel", "bias"],
        _intersection,
        np.zeros((2, 4)),
    ),
    "nas": (
        lambda: rnn.NASCell(3, num_proj=2, use_bias=True),
        "rnn/nas_cell/",
        ["recurrent_kernel", "kernel", "bias", "projection_weights"],
        _nas,
        (Z3, Z2),
    ),
    "cifg": (
        lambda: rnn.CoupledInputForgetGateLSTMCell(3, use_peepholes=True),
        "rnn/coupled_input_forget_gate_lstm_cell/",
        ["W_0", "B", "W_F_diag", "W_O_diag"],
        _cifg,
        (Z3, Z3),
    ),
    "layer_norm_lstm": (
        lambda: rnn.LayerNormLSTMCell(3, num_proj=2, layer_norm=True, cell_clip=0.5),
        "rnn/layer_norm_lstm_cell/",
        [
            "kernel",
            "bias",
            *(
                f"{s}/{p}"
                for s in ("input", "transform", "forget", "output")
                for p in ("gamma", "beta")
            ),
            "state/gamma",
            "state/beta",
            "projection/kernel",
        ],
        _ln_lstm,
        (Z3, Z2),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_cell_names_and_values(graph, case):
    make, prefix, names, step, state = CASES[case]
    got, w = _run(make(), prefix)
    assert list(w) == names
    _unroll(step, state, w, got)


def test_indy_gru_initial_values(graph):
    _, w = _run(rnn.IndyGRUCell(3), "rnn/indy_gru_cell/")
    np.testing.assert_array_equal(w["gates/bias"], 1.0)
    assert w["gates/kernel_u"].shape == (1, 6) and np.abs(w["gates/kernel_u"]).max() <= 1


def test_sharded_and_concatenated_cifg_state(graph):
    cell = rnn.CoupledInputForgetGateLSTMCell(
        3, num_proj=2, num_unit_shards=2, num_proj_shards=2, state_is_tuple=False
    )
    assert cell.state_size == 5 and cell.output_size == 2
    tf.nn.dynamic_rnn(cell, tf.constant(X), dtype=tf.float32)
    shapes = {v.op.name.split("/")[-1]: v.shape.as_list() for v in tf.global_variables()}
    assert shapes == {"W_0": [3, 9], "W_1": [3, 9], "B": [9], "W_P_0": [2, 2], "W_P_1": [1, 2]}
    with pytest.raises(ValueError, match="Too many shards"):
        tf.nn.dynamic_rnn(
            rnn.CoupledInputForgetGateLSTMCell(3, num_unit_shards=9), X, dtype=tf.float32, scope="b"
        )


def test_errors(graph):
    with pytest.raises(ValueError, match="Must have input size == output size for Intersection"):
        tf.nn.dynamic_rnn(rnn.IntersectionRNNCell(3), tf.constant(X), dtype=tf.float32)
    out, _ = tf.nn.dynamic_rnn(
        rnn.IntersectionRNNCell(3, num_in_proj=3), X, dtype=tf.float32, scope="p"
    )
    assert "p/intersection_rnn_cell/in_projection/kernel" in [
        v.op.name for v in tf.global_variables()
    ]
    with pytest.raises(ValueError, match="expected ndim=2"):
        rnn.IndRNNCell(3)(tf.ones([2, 2, 4]), tf.zeros([2, 3]))
