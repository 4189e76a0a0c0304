"""The seed tutorial's shared image filter, built twice under one variable scope, then run.

Run with ``make demo``. The second call reuses the first call's four variables: the table
below lists exactly four, the ops of both calls read the same ``.../read`` tensors, and on a
batch of images both calls compute the same values.
"""

from __future__ import annotations

import time

import numpy as np

import scopeflow as tf
from scopeflow.tools.variable_table import format_variable_table


def conv_relu(input, kernel_shape, bias_shape):
    # Create variable named "weights".
    weights = tf.get_variable("weights", kernel_shape, initializer=tf.random_normal_initializer())
    # Create variable named "biases".
    biases = tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.0))
    conv = tf.nn.conv2d(input, weights, strides=[1, 1, 1, 1], padding="SAME")
    return tf.nn.relu(conv + biases)


def my_image_filter(input_images):
    with tf.variable_scope("conv1"):
        # Variables created here will be named "conv1/weights", "conv1/biases".
        relu1 = conv_relu(input_images, [5, 5, 32, 32], [32])
    with tf.variable_scope("conv2"):
        # Variables created here will be named "conv2/weights", "conv2/biases".
        return conv_relu(relu1, [5, 5, 32, 32], [32])


def main() -> None:
    images = tf.placeholder(tf.float32, (None, 32, 32, 32), name="images")
    with tf.variable_scope("image_filters") as scope:
        result1 = my_image_filter(images)
        scope.reuse_variables()
        result2 = my_image_filter(images)

    print("Variables (the second call made none):\n")
    print(format_variable_table())

    print("\nThe two calls, side by side:")
    print(f"  first  call output: {result1.name}  shape={result1.shape}")
    print(f"  second call output: {result2.name}  shape={result2.shape}")

    graph = tf.get_default_graph()
    print("\nEach convolution reads its weights from the same variable:")
    for op in graph.get_operations():
        if op.type == "Conv2D":
            print(f"  {op.name:32s} <- {op.inputs[1].name}")
    n_vars = len(tf.global_variables())
    assert n_vars == 4, f"expected 4 shared variables, found {n_vars}"
    print(f"\n{n_vars} variables, {len(graph.get_operations())} ops: the filter is shared.")

    batch = np.random.default_rng(0).standard_normal((100, 32, 32, 32)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start = time.perf_counter()
        a, b = sess.run([result1, result2], feed_dict={images: batch})
        seconds = time.perf_counter() - start
    print(f"\nRan both calls on a batch of {batch.shape} images in {seconds * 1e3:.0f} ms:")
    print(f"  first  call: shape {a.shape}, mean {a.mean():.4f}, max {a.max():.4f}")
    print(f"  second call: shape {b.shape}, mean {b.mean():.4f}, max {b.max():.4f}")
    print(f"  identical values: {np.array_equal(a, b)}")
    assert np.array_equal(a, b), "shared variables must give identical outputs"


if __name__ == "__main__":
    main()
