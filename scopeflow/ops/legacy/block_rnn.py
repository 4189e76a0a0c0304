"""The fused RNN cells of ``tf.contrib.rnn`` as TF 1.x graphs hold them: ``LSTMBlockCell`` (one
step), ``BlockLSTM``/``BlockLSTMV2`` (a whole sequence: ``LSTMBlockFusedCell``, Keras's fused
LSTM) and ``GRUBlockCell``, with their gradient ops (``LSTMBlockCellGrad``, ``BlockLSTMGrad``,
``BlockLSTMGradV2``, ``GRUBlockCellGrad``) and TF's gradients: the cells' are TF 1.15
contrib's (TF 2 registers none), the sequences' TF's own - except that ``BlockLSTMV2``'s
builds ``BlockLSTMGradV2`` where TF's builds ``BlockLSTMGrad``, whose gate layout is
``BlockLSTM``'s, not ``BlockLSTMV2``'s (its gradients are those of another function).

Gates: ``LSTMBlockCell`` and ``BlockLSTM`` lay out the 4 gate blocks of ``w`` and ``b`` as
input, cell input, forget, output (``icfo``) and add ``forget_bias``; ``BlockLSTMV2`` as
input, forget, cell input, output (``ifco``, Keras's order) with no forget bias. Peepholes
(``use_peephole``) feed the previous cell state to the input and forget gates and the new one
to the output gate; a positive ``cell_clip`` clips the cell state (its gradient passes as if
unclipped, as in TF). Steps at or after ``seq_len_max`` output zeros.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import apply_op, check_dtype_in, check_list_dtype, no_gradient
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.ufunc_kernels import sigmoid

TensorShape = tensor_shape.TensorShape


def _check_types(op_type: str, inputs) -> dtypes.DType:
    dtype = check_list_dtype(op_type, "x", list(inputs))
    check_dtype_in(op_type, "x", inputs[0], (dtypes.float16, dtypes.float32))
    return dtype


def _cell_size(w, b) -> int | None:
    """H of a [I + H, 4H] weight (or a [4H] bias)."""
    for t, axis in ((b, 0), (w, 1)):
        if t.shape.ndims is not None and t.shape[axis].value is not None:
            return t.shape[axis].value // 4
    return None


# -- the step of an LSTM: LSTMBlockCell and its gradient ---------------------------------


def _gates(kernel_order: str, icfo):
    """The pre-activations of the input, cell input, forget and output gates."""
    blocks = np.split(icfo, 4, axis=-1)
    return dict(zip(kernel_order, blocks, strict=True))


def lstm_step(attrs, order, x, cs_prev, h_prev, w, wci, wcf, wco, b):
    """One LSTM step: ``(i, cs, f, o, ci, co, h)``, computed in float32 (float16 widened)."""
    work = np.float32
    xh = np.concatenate([x, h_prev], axis=1).astype(work)
    pre = _gates(order, xh @ w.astype(work) + b.astype(work))
    cs_prev = cs_prev.astype(work)
    peephole = attrs["use_peephole"]
    i_pre, f_pre = pre["i"], pre["f"] + attrs.get("forget_bias", 0.0)
    if peephole:
        i_pre = i_pre + cs_prev * wci
        f_pre = f_pre + cs_prev * wcf
    i, f, ci = sigmoid(i_pre), sigmoid(f_pre), np.tanh(pre["c"])
    cs = ci * i + cs_prev * f
    clip = attrs["cell_clip"]
    if clip > 0:
        cs = np.clip(cs, -clip, clip)
    o = sigmoid(pre["o"] + cs * wco if peephole else pre["o"])
    co = np.tanh(cs)
    return i, cs, f, o, ci, co, co * o


def lstm_step_grad(peephole, order, cs_prev, w, wci, wcf, wco, saved, cs_grad, h_grad):
    """TF's ``LSTMBlockCellBprop``: ``(cs_prev_grad, dicfo, wci_grad, wcf_grad, wco_grad,
    xh_grad)`` of one step from the step's outputs ``saved`` (i, cs, f, o, ci, co)."""
    i, cs, f, o, ci, co = saved
    do = o * (1 - o) * h_grad * co
    dcs = (1 - co * co) * h_grad * o + cs_grad
    if peephole:
        dcs = dcs + do * wco
    di = i * (1 - i) * dcs * ci
    df = f * (1 - f) * dcs * cs_prev
    dci = (1 - ci * ci) * dcs * i
    blocks = {"i": di, "c": dci, "f": df, "o": do}
    dicfo = np.concatenate([blocks[g] for g in order], axis=1)
    cs_prev_grad = dcs * f
    zeros = np.zeros(wci.shape, dicfo.dtype)
    wci_grad, wcf_grad, wco_grad = zeros, zeros, zeros
    if peephole:
        cs_prev_grad = cs_prev_grad + di * wci + df * wcf
        wci_grad = (di * cs_prev).sum(axis=0)
        wcf_grad = (df * cs_prev).sum(axis=0)
        wco_grad = (do * cs).sum(axis=0)
    return cs_prev_grad, dicfo, wci_grad, wcf_grad, wco_grad, dicfo @ w.T


def _lstm_cell_infer(inputs, attrs):
    dtype = _check_types("LSTMBlockCell", inputs)
    x, cs_prev, h_prev, w, wci, wcf, wco, b = inputs
    batch = x.shape[0].value if x.shape.ndims else None
    out = TensorShape([batch, _cell_size(w, b)])
    for t in (cs_prev, h_prev):
        out = out.merge_with(t.shape if t.shape.ndims else [None, None])
    return [(dtype, out)] * 7


def _lstm_cell_kernel(ctx, op, x, cs_prev, h_prev, w, wci, wcf, wco, b):
    _check_cell(op, x, cs_prev, h_prev, w, b)
    outs = lstm_step(op._attrs, "icfo", x, cs_prev, h_prev, w, wci, wcf, wco, b)
    return tuple(v.astype(x.dtype) for v in outs)


def _check_cell(op, x, cs_prev, h_prev, w, b) -> None:
    batch, size = x.shape
    cells = b.shape[0] // 4
    if (
        cs_prev.shape != (batch, cells)
        or h_prev.shape != (batch, cells)
        or w.shape != (size + cells, 4 * cells)
    ):
        raise ValueError(
            f"{op.type}: x {list(x.shape)}, cs_prev {list(cs_prev.shape)}, h_prev "
            f"{list(h_prev.shape)} and w {list(w.shape)} do not fit b {list(b.shape)}: w must be "
            "[input_size + cell_size, 4 * cell_size]"
        )


def _lstm_cell_grad(op, *grads):
    """TF 1.15 contrib's ``_LSTMBlockCellGrad``: ``LSTMBlockCellGrad`` gives the gates'
    gradient ``dicfo``; the inputs', weights' and bias's come from it by products."""
    x, cs_prev, h_prev, w, wci, wcf, wco, b = op.inputs
    i, cs, f, o, ci, co, h = op.outputs
    cs_grad = grads[1] if grads[1] is not None else zeros_like(cs)
    h_grad = grads[6] if grads[6] is not None else zeros_like(h)
    cs_prev_grad, dicfo, wci_grad, wcf_grad, wco_grad = apply_op(
        "LSTMBlockCellGrad",
        [x, cs_prev, h_prev, w, wci, wcf, wco, b, i, cs, f, o, ci, co, cs_grad, h_grad],
        {"use_peephole": op._attrs["use_peephole"]},
    )
    x_grad, h_prev_grad = _split_xh(matmul(dicfo, w, transpose_b=True), x)
    xh = concat([x, h_prev], 1)
    w_grad = matmul(xh, dicfo, transpose_a=True)
    b_grad = apply_op("BiasAddGrad", [dicfo], {"data_format": "NHWC"})
    return [x_grad, cs_prev_grad, h_prev_grad, w_grad, wci_grad, wcf_grad, wco_grad, b_grad]


def _split_xh(xh_grad, x):
    size = shape(x)[1:2]
    x_grad = build.slice(xh_grad, [0, 0], concat([[-1], size], 0))
    h_grad = build.slice(xh_grad, concat([[0], size], 0), [-1, -1])
    return x_grad, h_grad


register_op("LSTMBlockCell", _lstm_cell_infer, kernel=_lstm_cell_kernel, grad=_lstm_cell_grad)


def _lstm_cell_grad_infer(inputs, attrs):
    dtype = _check_types("LSTMBlockCellGrad", inputs)
    x, cs_prev, _, w, wci, wcf, wco, b = inputs[:8]
    batch = x.shape[0].value if x.shape.ndims else None
    cells = _cell_size(w, b)
    state = TensorShape([batch, cells]).merge_with(
        cs_prev.shape if cs_prev.shape.ndims else [None, None]
    )
    dicfo = TensorShape([state[0].value, None if cells is None else 4 * cells])
    return [(dtype, state), (dtype, dicfo)] + [(dtype, TensorShape([cells]))] * 3


def _lstm_cell_grad_kernel(ctx, op, x, cs_prev, h_prev, w, wci, wcf, wco, b, *rest):
    _check_cell(op, x, cs_prev, h_prev, w, b)
    *saved, cs_grad, h_grad = rest
    outs = lstm_step_grad(
        op._attrs["use_peephole"], "icfo", cs_prev, w, wci, wcf, wco, saved, cs_grad, h_grad
    )
    return tuple(v.astype(x.dtype) for v in outs[:5])


register_op(
    "LSTMBlockCellGrad", _lstm_cell_grad_infer, kernel=_lstm_cell_grad_kernel, grad=no_gradient
)

# -- a whole sequence: BlockLSTM, BlockLSTMV2 and their gradients -------------------------


def _block_infer(op_type: str):
    def infer(inputs, attrs):
        dtype = _check_types(op_type, inputs[1:])
        x, cs_prev, h_prev, w, wci, wcf, wco, b = inputs[1:]
        steps, batch = (x.shape[0].value, x.shape[1].value) if x.shape.ndims else (None, None)
        out = TensorShape([steps, batch, _cell_size(w, b)])
        return [(dtype, out)] * 7

    return infer


def _block_kernel(order: str):
    def kernel(ctx, op, seq_len_max, x, cs_prev, h_prev, w, wci, wcf, wco, b):
        steps, batch, _ = x.shape
        _check_cell(op, x[0] if steps else x[:0, :, :].reshape(batch, -1), cs_prev, h_prev, w, b)
        outs = np.zeros((7, steps, batch, b.shape[0] // 4), x.dtype)
        cs, h = cs_prev, h_prev
        for t in range(min(int(seq_len_max), steps)):
            step = lstm_step(op._attrs, order, x[t], cs, h, w, wci, wcf, wco, b)
            for k, v in enumerate(step):
                outs[k, t] = v
            cs, h = step[1], step[6]
        return tuple(outs)

    return kernel


def _block_grad(grad_type: str):
    """TF's ``_block_lstm_grad``: ``grad_type`` of the cell states' and outputs' gradients."""

    def grad_fn(op, *grads):
        seq_len_max, x, cs_prev, h_prev, w, wci, wcf, wco, b = op.inputs
        outputs = list(op.outputs)
        cs_grad = grads[1] if grads[1] is not None else zeros_like(outputs[1])
        h_grad = grads[6] if grads[6] is not None else zeros_like(outputs[6])
        result = apply_op(
            grad_type,
            [*op.inputs, *outputs, cs_grad, h_grad],
            {"use_peephole": op._attrs["use_peephole"]},
        )
        return [None, *result]

    return grad_fn


def _block_grad_infer(op_type: str):
    def infer(inputs, attrs):
        dtype = _check_types(op_type, inputs[1:])
        return [(dtype, t.shape) for t in inputs[1:9]]

    return infer


def _block_grad_kernel(order: str):
    """TF's ``BlockLSTMGradOp``: back through the steps below ``seq_len_max``, each step's
    state gradients added to the next earlier step's."""

    def kernel(ctx, op, seq_len_max, x, cs_prev, h_prev, w, wci, wcf, wco, b, *rest):
        i, cs, f, o, ci, co, h, cs_grad, h_grad = rest
        peephole = op._attrs["use_peephole"]
        size = x.shape[2]
        x_grad = np.zeros(x.shape, np.float32)
        w_grad = np.zeros(w.shape, np.float32)
        b_grad = np.zeros(b.shape, np.float32)
        peep_grads = [np.zeros(wci.shape, np.float32) for _ in range(3)]
        cs_next = np.zeros(cs_prev.shape, np.float32)
        h_next = np.zeros(h_prev.shape, np.float32)
        for t in reversed(range(min(int(seq_len_max), x.shape[0]))):
            cs_before = cs_prev if t == 0 else cs[t - 1]
            h_before = h_prev if t == 0 else h[t - 1]
            saved = (i[t], cs[t], f[t], o[t], ci[t], co[t])
            cs_next, dicfo, *peeps, xh_grad = lstm_step_grad(
                peephole, order, cs_before, w, wci, wcf, wco, saved,
                cs_grad[t] + cs_next, h_grad[t] + h_next,
            )  # fmt: skip
            x_grad[t] = xh_grad[:, :size]
            h_next = xh_grad[:, size:]
            xh = np.concatenate([x[t], h_before], axis=1)
            w_grad += xh.T @ dicfo
            b_grad += dicfo.sum(axis=0)
            for total, g in zip(peep_grads, peeps, strict=True):
                total += g
        outs = (x_grad, cs_next, h_next, w_grad, *peep_grads, b_grad)
        return tuple(np.asarray(v, x.dtype) for v in outs)

    return kernel


for _type, _grad_type, _order in (
    ("BlockLSTM", "BlockLSTMGrad", "icfo"),
    ("BlockLSTMV2", "BlockLSTMGradV2", "ifco"),
):
    register_op(
        _type, _block_infer(_type), kernel=_block_kernel(_order), grad=_block_grad(_grad_type)
    )
    register_op(
        _grad_type,
        _block_grad_infer(_grad_type),
        kernel=_block_grad_kernel(_order),
        grad=no_gradient,
    )

# -- GRUBlockCell and its gradient --------------------------------------------------------


def _gru_infer(inputs, attrs):
    dtype = _check_types("GRUBlockCell", inputs)
    x, h_prev = inputs[:2]
    batch = x.shape[0].value if x.shape.ndims else None
    state = TensorShape([batch, None]).merge_with(
        h_prev.shape if h_prev.shape.ndims else [None, None]
    )
    return [(dtype, state)] * 4


def _gru_parts(x, h_prev, w_ru, w_c, b_ru, b_c):
    work = np.float32
    xh = np.concatenate([x, h_prev], axis=1).astype(work)
    r, u = np.split(sigmoid(xh @ w_ru + b_ru), 2, axis=1)
    xrh = np.concatenate([x, r * h_prev], axis=1).astype(work)
    c = np.tanh(xrh @ w_c + b_c)
    return r, u, c, u * h_prev + (1 - u) * c


def _gru_kernel(ctx, op, x, h_prev, w_ru, w_c, b_ru, b_c):
    cells = h_prev.shape[1]
    if w_ru.shape != (x.shape[1] + cells, 2 * cells) or w_c.shape != (x.shape[1] + cells, cells):
        raise ValueError(
            f"GRUBlockCell: w_ru {list(w_ru.shape)} and w_c {list(w_c.shape)} do not fit x "
            f"{list(x.shape)} and h_prev {list(h_prev.shape)}"
        )
    return tuple(v.astype(x.dtype) for v in _gru_parts(x, h_prev, w_ru, w_c, b_ru, b_c))


def _gru_grad(op, *grads):
    """TF 1.15 contrib's ``_GRUBlockCellGrad``."""
    x, h_prev, w_ru, w_c, b_ru, b_c = op.inputs
    r, u, c, h = op.outputs
    d_h = grads[3] if grads[3] is not None else zeros_like(h)
    d_x, d_h_prev, d_c_bar, d_r_bar_u_bar = apply_op(
        "GRUBlockCellGrad", [x, h_prev, w_ru, w_c, b_ru, b_c, r, u, c, d_h]
    )
    d_w_ru = matmul(concat([x, h_prev], 1), d_r_bar_u_bar, transpose_a=True)
    d_b_ru = apply_op("BiasAddGrad", [d_r_bar_u_bar], {"data_format": "NHWC"})
    d_w_c = matmul(concat([x, h_prev * r], 1), d_c_bar, transpose_a=True)
    d_b_c = apply_op("BiasAddGrad", [d_c_bar], {"data_format": "NHWC"})
    return [d_x, d_h_prev, d_w_ru, d_w_c, d_b_ru, d_b_c]


register_op("GRUBlockCell", _gru_infer, kernel=_gru_kernel, grad=_gru_grad)


def _gru_grad_infer(inputs, attrs):
    dtype = _check_types("GRUBlockCellGrad", inputs)
    x, h_prev = inputs[:2]
    cells = h_prev.shape[1].value if h_prev.shape.ndims else None
    batch = x.shape[0].value if x.shape.ndims else None
    return [
        (dtype, x.shape),
        (dtype, h_prev.shape),
        (dtype, TensorShape([batch, cells])),
        (dtype, TensorShape([batch, None if cells is None else 2 * cells])),
    ]


def _gru_grad_kernel(ctx, op, x, h_prev, w_ru, w_c, b_ru, b_c, r, u, c, d_h):
    """TF's ``GRUBlockCellBprop``."""
    size = x.shape[1]
    d_c_bar = d_h * (1 - u) * (1 - c * c)
    d_u_bar = d_h * (h_prev - c) * u * (1 - u)
    d_r_h_prev = d_c_bar @ w_c[size:].T
    d_r_bar = d_r_h_prev * h_prev * r * (1 - r)
    d_r_bar_u_bar = np.concatenate([d_r_bar, d_u_bar], axis=1)
    d_x = d_r_bar_u_bar @ w_ru[:size].T + d_c_bar @ w_c[:size].T
    d_h_prev = d_r_h_prev * r + d_h * u + d_r_bar_u_bar @ w_ru[size:].T
    return tuple(v.astype(x.dtype) for v in (d_x, d_h_prev, d_c_bar, d_r_bar_u_bar))


register_op("GRUBlockCellGrad", _gru_grad_infer, kernel=_gru_grad_kernel, grad=no_gradient)
