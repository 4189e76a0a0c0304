"""Values ``make_nn_activations_losses_values.py`` records under TensorFlow and
tests/ops/nn/test_activations_losses.py compares scopeflow's with: the same function runs under
either library, given as ``tf``. Inputs are fixed arrays; each entry is a list of fetched
values (results, then gradients)."""

import numpy as np


def _inputs():
    rng = np.random.default_rng(0)
    return {
        "x": rng.standard_normal((3, 4)).astype(np.float32),
        "z": rng.uniform(0.0, 1.0, (3, 4)).astype(np.float32),
        "counts": np.array([[0, 1, 2, 5], [3, 0.5, 1, 7], [2, 4, 0, 1]], np.float32),
        "freq": np.array([[1, 0, 2, 1], [3, 1, 0, 2], [0, 0, 0, 1]], np.float32),
        "row": np.array([1.0, 2.0, 0.5, 4.0], np.float32),
        "beta": np.float32(1.5),
    }


def _graphs(tf, c):
    """{name: (results, the tensors to differentiate them with respect to)}."""
    x, z = c["x"], c["z"]
    wm = tf.nn.weighted_moments
    return {
        "crelu": ([tf.nn.crelu(x)], [x]),
        "crelu-axis0": ([tf.nn.crelu(x, axis=0)], [x]),
        "swish": ([tf.nn.swish(x)], [x]),
        "silu-beta": ([tf.nn.silu(x, beta=c["beta"])], [x, c["beta"]]),
        "wce": ([tf.nn.weighted_cross_entropy_with_logits(z, x, 2.5)], [x, z]),
        "wce-row": ([tf.nn.weighted_cross_entropy_with_logits(z, x, c["row"])], [x, z, c["row"]]),
        "log_poisson": ([tf.nn.log_poisson_loss(c["counts"], x)], [x, c["counts"]]),
        "log_poisson-full": (
            [tf.nn.log_poisson_loss(c["counts"], x, compute_full_loss=True)],
            [x],
        ),
        "weighted_moments": (list(wm(x, [0], c["freq"])), [x, c["freq"]]),
        "weighted_moments-all": (list(wm(x, [0, 1], c["row"], keep_dims=True)), [x, c["row"]]),
        "weighted_moments-empty": (list(wm(x, [1], c["freq"] * 0.0)), [x]),
    }


def _weights(tf, r):
    """Fixed weights of ``r``'s entries: cosines of their flat positions."""
    flat = tf.cast(tf.range(tf.size(r)), r.dtype)
    return tf.reshape(tf.cos(flat), tf.shape(r))


def values(tf, names=None) -> dict:
    """``{name: [value, ...]}``: each graph's results, then the gradients of their sum with
    respect to its inputs (weighted by fixed cosines, so that every entry counts)."""
    out = {}
    with tf.Graph().as_default():
        consts = {k: tf.constant(v) for k, v in _inputs().items()}
        graphs = _graphs(tf, consts)
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
