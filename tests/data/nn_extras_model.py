"""Values ``make_nn_extras_values.py`` records under TensorFlow and tests/ops/nn/test_extras.py
compares scopeflow's with: the same function runs under either library, given as ``tf``.
Inputs are fixed float32 arrays; each entry is a list of fetched values (results and
gradients)."""

import numpy as np


def _inputs():
    rng = np.random.default_rng(0)
    return {
        "img": rng.standard_normal((2, 3, 4, 7)).astype(np.float32),
        "x": rng.standard_normal((2, 3)).astype(np.float32),
        "w": rng.standard_normal((3, 4)).astype(np.float32),
        "b": rng.standard_normal(4).astype(np.float32),
        "m": rng.standard_normal((2, 3, 4)).astype(np.float32),
        "n": rng.standard_normal((2, 4, 5)).astype(np.float32),
        "sq": rng.standard_normal((3, 3)).astype(np.float32),
        "k": rng.standard_normal((4, 5)).astype(np.float32),
    }


def _graphs(tf, c):
    """{name: (results, the tensors to differentiate them with respect to)}."""
    return {
        "lrn": ([tf.nn.lrn(c["img"], depth_radius=2, bias=1.5, alpha=0.3, beta=0.75)], [c["img"]]),
        "lrn-default": ([tf.nn.local_response_normalization(c["img"])], [c["img"]]),
        "xw_plus_b": ([tf.nn.xw_plus_b(c["x"], c["w"], c["b"])], [c["x"], c["w"], c["b"]]),
        "zero_fraction": ([tf.nn.zero_fraction(tf.nn.relu(c["m"]))], []),
        "einsum-matmul": ([tf.einsum("ij,jk->ik", c["x"], c["w"])], [c["x"], c["w"]]),
        "einsum-batch": ([tf.einsum("bij,bjk->bik", c["m"], c["n"])], [c["m"], c["n"]]),
        "einsum-broadcast": ([tf.einsum("...ij,jk->...ik", c["m"], c["k"])], [c["m"], c["k"]]),
        "einsum-reduce-other": ([tf.einsum("ij,jk->i", c["x"], c["w"])], [c["x"], c["w"]]),
        "einsum-outer": ([tf.einsum("i,j->ij", c["b"], c["b"])], [c["b"]]),
        "einsum-sum": ([tf.einsum("ij->", c["x"])], [c["x"]]),
        "einsum-transpose-sum": ([tf.einsum("bij->jb", c["m"])], [c["m"]]),
        "einsum-diag": ([tf.einsum("ii->i", c["sq"])], [c["sq"]]),
        "einsum-trace": ([tf.einsum("ii", c["sq"])], [c["sq"]]),
    }


def _weights(tf, r):
    """Fixed weights of ``r``'s entries: cosines of their flat positions."""
    flat = tf.cast(tf.range(tf.size(r)), r.dtype)
    return tf.reshape(tf.cos(flat), tf.shape(r))


def values(tf, names=None) -> dict:
    """``{name: [value, ...]}``: each graph's results, then the gradients of their sum with
    respect to its inputs (weighted by fixed cosines, so that every entry counts)."""
    return record_values(tf, _inputs(), _graphs, names)


def record_values(tf, inputs: dict, build_graphs, names=None) -> dict:
    """:func:`values` for any ``build_graphs(tf, constants)`` over ``inputs`` (also used by
    ``nn_activations_losses_model.py``)."""
    out = {}
    with tf.Graph().as_default():
        consts = {k: tf.constant(v) for k, v in inputs.items()}
        graphs = build_graphs(tf, consts)
        with tf.Session() as sess:
            for name, (results, wrt) in graphs.items():
                if names is not None and name not in names:
                    continue
                fetches = list(results)
                if wrt:
                    loss = tf.add_n([tf.reduce_sum(r * _weights(tf, r)) for r in results])
                    fetches += tf.gradients(loss, wrt)
                out[name] = [np.asarray(v).tolist() for v in sess.run(fetches)]
    return out
