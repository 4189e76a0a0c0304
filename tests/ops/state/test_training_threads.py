"""``ApplyAdam`` on a variable of a megabyte or more runs in spans over the session's kernel
threads (scopeflow/ops/state/training.py): the variable and both slots come out bit for bit
as on one thread, plain and Nesterov, float32 and float64."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import parallel


def _adam_steps(intra: int, dtype, nesterov: bool) -> list[np.ndarray]:
    rng = np.random.default_rng(4)
    graph = tf.Graph()
    with graph.as_default():
        var, m, v = (
            tf.Variable(rng.standard_normal((600, 512)).astype(dtype) * scale, name=name)
            for name, scale in (("var", 1), ("m", 0.1), ("v", 0.01))
        )  # 1.2 or 2.4 MB each
        v_positive = v.assign(tf.abs(v))
        grad = tf.constant(rng.standard_normal((600, 512)).astype(dtype))
        scalars = [tf.constant(x, dtype) for x in (0.9**3, 0.999**3, 0.01, 0.9, 0.999, 1e-8)]
        inputs = [var._ref(), m._ref(), v._ref(), *scalars, grad]
        step = graph.create_op("ApplyAdam", inputs, {"use_nesterov": nesterov}).outputs[0]
    config = tf.ConfigProto(intra_op_parallelism_threads=intra)
    with tf.Session(graph=graph, config=config) as sess:
        sess.run(tf.variables_initializer([var, m, v]))
        sess.run(v_positive)
        for _ in range(3):
            sess.run(step)
        return sess.run([var, m, v])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("nesterov", [False, True])
def test_adam_in_spans_matches_one_thread(dtype, nesterov, monkeypatch):
    pool = parallel._shared_pool()
    handed = []

    class Recording:
        def submit(self, fn, *args):
            handed.append(fn)
            return pool.submit(fn, *args)

    monkeypatch.setattr(parallel, "_shared_pool", Recording)
    one = _adam_steps(1, dtype, nesterov)
    assert not handed
    for intra in (2, 3):
        for a, b in zip(one, _adam_steps(intra, dtype, nesterov), strict=True):
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)
    assert handed
