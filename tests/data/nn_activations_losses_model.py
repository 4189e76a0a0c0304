"""Values ``make_nn_activations_losses_values.py`` records under TensorFlow and
tests/ops/nn/test_activations_losses.py compares scopeflow's with: the same function runs under
either library, given as ``tf``. Inputs are fixed arrays; each entry is a list of fetched
values (results, then gradients)."""

import numpy as np
from nn_extras_model import record_values


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


def values(tf, names=None) -> dict:
    """``{name: [value, ...]}``: each graph's results, then the gradients of their sum with
    respect to its inputs (weighted by fixed cosines, so that every entry counts)."""
    return record_values(tf, _inputs(), _graphs, names)
