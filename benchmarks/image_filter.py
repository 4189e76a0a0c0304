"""The seed tutorial's image filter, forward pass: two 5x5x32x32 SAME convolutions, each plus
a bias and a ReLU, variables made by ``get_variable``, on a (100, 32, 32, 32) float32 batch;
median time per ``Session.run``. Goal: within 2x of TF1's time, on the same machine, in the
same run. Also prints the BLAS NumPy uses.

    python benchmarks/image_filter.py --tf-python /path/to/tf-venv/bin/python
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

BATCH = (100, 32, 32, 32)


def measure(backend: str, repeats: int) -> dict:
    import numpy as np

    tf = _harness.import_backend(backend)

    def conv_relu(images, kernel_shape, bias_shape):
        weights = tf.get_variable(
            "weights", kernel_shape, initializer=tf.random_normal_initializer()
        )
        biases = tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.0))
        conv = tf.nn.conv2d(images, weights, strides=[1, 1, 1, 1], padding="SAME")
        return tf.nn.relu(conv + biases)

    def my_image_filter(images):
        with tf.variable_scope("conv1"):
            relu1 = conv_relu(images, [5, 5, 32, 32], [32])
        with tf.variable_scope("conv2"):
            return conv_relu(relu1, [5, 5, 32, 32], [32])

    images = tf.placeholder(tf.float32, (None, *BATCH[1:]), name="images")
    with tf.variable_scope("image_filters"):
        result = my_image_filter(images)
    with tf.variable_scope("image_filters", reuse=True):
        one_conv = tf.nn.conv2d(
            images, tf.get_variable("conv1/weights"), strides=[1, 1, 1, 1], padding="SAME"
        )
    batch = np.random.default_rng(0).standard_normal(BATCH).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())

        def timed(fetch) -> float:
            for _ in range(2):  # warm up: plans, FFT plans, caches
                sess.run(fetch, {images: batch})
            return _harness.median_seconds(lambda: sess.run(fetch, {images: batch}), repeats)

        return {
            "image filter forward, (100, 32, 32, 32) batch": timed(result),
            "one 5x5x32x32 SAME conv2d on that batch": timed(one_conv),
        }


def blas_description() -> str:
    """Which BLAS (and how many threads) NumPy uses, for the record next to the timings."""
    import numpy as np

    try:
        from threadpoolctl import threadpool_info

        pools = [
            f"{p['internal_api']} {p.get('version') or ''} ({p['num_threads']} threads, "
            f"{p.get('architecture') or 'unknown arch'})"
            for p in threadpool_info()
            if p.get("user_api") == "blas"
        ]
        if pools:
            return f"NumPy {np.__version__}, BLAS: " + "; ".join(pools)
    except ImportError:
        pass
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    except (TypeError, KeyError):  # NumPy before 1.25 only prints its configuration
        np.show_config()
        return f"NumPy {np.__version__} (BLAS: see the configuration above)"
    return f"NumPy {np.__version__}, BLAS: {blas.get('name', '?')} {blas.get('version', '')}"


if __name__ == "__main__":
    if "--backend" not in sys.argv:
        print(blas_description(), f"on {os.cpu_count()} CPUs\n")
    _harness.main(os.path.abspath(__file__), "seed image filter, forward pass", measure)
