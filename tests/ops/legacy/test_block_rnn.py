"""Tests for scopeflow/ops/legacy/block_rnn.py: ``tf.contrib.rnn``'s fused cells
(``LSTMBlockCell``, ``BlockLSTM``, ``BlockLSTMV2``, ``GRUBlockCell``) and their gradient ops
compute TensorFlow's values, fed the inputs ``tests/data/graph_io/make_legacy_graph.py`` made
(its ``rnn_graph``: the same seeded draws) and checked against what TensorFlow 2.21 computed
(``legacy_ops_values.json``); the cells' gradients hold against finite differences."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, cases_by_mode, check_case

R = tf.raw_ops
DATA = pathlib.Path(__file__).resolve().parents[2] / "data" / "graph_io"
TF = {
    k: np.asarray(v, np.float32)
    for k, v in json.loads((DATA / "legacy_ops_values.json").read_text())["rnn_values"].items()
}
_RNG = np.random.RandomState(0)  # the generator's draws, in its order
X, CS0, H0, W, B, WCI, WCF, WCO, W_RU, W_C, B_RU, B_C = (
    _RNG.uniform(-1, 1, shape).astype(np.float32)
    for shape in [(3, 2, 3), (2, 2), (2, 2), (5, 8), (8,), (2,), (2,), (2,)]
    + [(5, 4), (5, 2), (4,), (2,)]
)
GATES = ("i", "cs", "f", "o", "ci", "co", "h")
LSTM_IN = (CS0, H0, W, WCI, WCF, WCO, B)


def _cell(x, cs, h, w, wci, wcf, wco, b):
    return R.LSTMBlockCell(
        x=x, cs_prev=cs, h_prev=h, w=w, wci=wci, wcf=wcf, wco=wco, b=b,
        forget_bias=0.5, cell_clip=0.8, use_peephole=True,
    )  # fmt: skip


def _block(op, **attrs):
    def build(x, cs, h, w, wci, wcf, wco, b):
        return op(
            seq_len_max=tf.constant(2, tf.int64), x=x, cs_prev=cs, h_prev=h, w=w,
            wci=wci, wcf=wcf, wco=wco, b=b, **attrs,
        )  # fmt: skip

    return build


_BLOCK = _block(R.BlockLSTM, forget_bias=0.25, cell_clip=0.0, use_peephole=True)
_BLOCK_V2 = _block(R.BlockLSTMV2, cell_clip=0.9, use_peephole=False)
_UNCLIPPED_V2 = _block(R.BlockLSTMV2, cell_clip=0.0, use_peephole=True)


def _block_grads(forward, grad_op, peephole):
    """The gradient op of ``forward``'s sequence, fed the gradients of the generator's loss
    (``sum(h * h) + sum(cs * 0.5)``)."""

    def build(x, cs, h, w, wci, wcf, wco, b):
        seq = forward(x, cs, h, w, wci, wcf, wco, b)
        return grad_op(
            seq_len_max=tf.constant(2, tf.int64), x=x, cs_prev=cs, h_prev=h, w=w, wci=wci,
            wcf=wcf, wco=wco, b=b, i=seq.i, cs=seq.cs, f=seq.f, o=seq.o, ci=seq.ci, co=seq.co,
            h=seq.h, cs_grad=tf.ones_like(seq.cs) * 0.5, h_grad=2.0 * seq.h,
            use_peephole=peephole,
        )  # fmt: skip

    return build


def _gru(x, h, w_ru, w_c, b_ru, b_c):
    return R.GRUBlockCell(x=x, h_prev=h, w_ru=w_ru, w_c=w_c, b_ru=b_ru, b_c=b_c)


def _gru_grad(x, h, w_ru, w_c, b_ru, b_c):
    r, u, c, _ = _gru(x, h, w_ru, w_c, b_ru, b_c)
    return R.GRUBlockCellGrad(
        x=x, h_prev=h, w_ru=w_ru, w_c=w_c, b_ru=b_ru, b_c=b_c, r=r, u=u, c=c, d_h=h * 3.0
    )


def _lstm_cell_grad(x, cs, h, w, wci, wcf, wco, b):
    cell = _cell(x, cs, h, w, wci, wcf, wco, b)
    return R.LSTMBlockCellGrad(
        x=x, cs_prev=cs, h_prev=h, w=w, wci=wci, wcf=wcf, wco=wco, b=b, i=cell.i, cs=cell.cs,
        f=cell.f, o=cell.o, ci=cell.ci, co=cell.co, cs_grad=cs * 2.0, h_grad=h - 1.0,
        use_peephole=True,
    )  # fmt: skip


_LSTM_GRAD_NAMES = ["cs_prev_grad", "dicfo", "wci_grad", "wcf_grad", "wco_grad"]
_BLOCK_GRAD_NAMES = ["x", "cs0", "h0", "w", "wci", "wcf", "wco", "b"]
_V2_GRAD_NAMES = [f"{g}_grad" for g in ("x", "cs_prev", "h_prev", "w", "wci", "wcf", "wco", "b")]
_TOL = 2e-5
KERNELS = [
    Case("lstm-cell", "LSTMBlockCell", _cell, (X[0], *LSTM_IN),
         [TF[f"cell_{g}"] for g in GATES], tolerance=_TOL),
    Case("lstm-cell-grad", "LSTMBlockCellGrad", _lstm_cell_grad, (X[0], *LSTM_IN),
         [TF[f"cell_grad_{g}"] for g in _LSTM_GRAD_NAMES], tolerance=_TOL),
    Case("block-lstm", "BlockLSTM", _BLOCK, (X, *LSTM_IN),
         [TF[f"block_{g}"] for g in GATES], tolerance=_TOL),
    Case("block-lstm-v2", "BlockLSTMV2", _BLOCK_V2, (X, *LSTM_IN),
         [TF[f"block_v2_{g}"] for g in GATES], tolerance=_TOL),
    Case("block-lstm-grad", "BlockLSTMGrad", _block_grads(_BLOCK, R.BlockLSTMGrad, True),
         (X, *LSTM_IN), [TF[f"block_grad_{g}"] for g in _BLOCK_GRAD_NAMES], tolerance=_TOL),
    Case("block-lstm-grad-v2", "BlockLSTMGradV2",
         _block_grads(_BLOCK_V2, R.BlockLSTMGradV2, False), (X, *LSTM_IN),
         [TF[f"block_grad_v2_{g}"] for g in _V2_GRAD_NAMES], tolerance=_TOL),
    Case("gru-cell", "GRUBlockCell", _gru, (X[0], H0, W_RU, W_C, B_RU, B_C),
         [TF[f"gru_{g}"] for g in ("r", "u", "c", "h")], tolerance=_TOL),
    Case("gru-cell-grad", "GRUBlockCellGrad", _gru_grad, (X[0], H0, W_RU, W_C, B_RU, B_C),
         [TF[f"gru_grad_{g}"] for g in ("d_x", "d_h_prev", "d_c_bar", "d_r_bar_u_bar")],
         tolerance=_TOL),
]  # fmt: skip


@pytest.mark.parametrize("case, mode", cases_by_mode(KERNELS))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def _f32(fn, pick):
    """``fn`` on float32 inputs (the fused cells take half and float), output ``pick`` of
    its result back in float64."""
    return lambda *xs: tf.cast(pick(fn(*(tf.cast(x, tf.float32) for x in xs))),
                               tf.float64)  # fmt: skip


def _as64(*arrays):
    return tuple(np.asarray(a, np.float64) for a in arrays)


GRADIENTS = [
    GradCase("lstm-cell", _f32(_cell, lambda c: c.h + c.cs), _as64(X[0], *LSTM_IN)),
    GradCase("block-lstm", _f32(_BLOCK, lambda s: s.h + s.cs), _as64(X, *LSTM_IN)),
    # (unclipped: the clip's own gradient is left out, as in TF)
    GradCase("block-lstm-v2", _f32(_UNCLIPPED_V2, lambda s: s.h * s.cs), _as64(X, *LSTM_IN)),
    GradCase("gru-cell", _f32(_gru, lambda g: g.h), _as64(X[0], H0, W_RU, W_C, B_RU, B_C)),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case, delta=1e-2, atol=3e-3)


def test_a_sequence_shorter_than_its_steps_outputs_zeros_after_seq_len_max(graph, run):
    seq = _BLOCK(*(tf.constant(a) for a in (X, *LSTM_IN)))
    h = run(seq.h)
    assert np.all(h[2] == 0) and np.all(h[:2] != 0)


def test_the_gradient_ops_have_no_gradient_as_in_tf(graph):
    x = tf.constant(X)
    lstm_in = [tf.constant(a) for a in LSTM_IN]
    gru_in = [tf.constant(a) for a in (H0, W_RU, W_C, B_RU, B_C)]
    for y in (
        _lstm_cell_grad(x[0], *lstm_in).dicfo,
        _block_grads(_BLOCK, R.BlockLSTMGrad, True)(x, *lstm_in).x_grad,
        _block_grads(_BLOCK_V2, R.BlockLSTMGradV2, False)(x, *lstm_in).x_grad,
        _gru_grad(x[0], *gru_in).d_x,
    ):
        with pytest.raises(LookupError, match="No gradient defined for operation"):
            tf.gradients(y, x)
