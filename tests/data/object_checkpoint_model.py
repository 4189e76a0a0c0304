"""The objects ``make_object_checkpoint.py`` saves with TensorFlow's ``tf.train.Checkpoint``
and ``tests/train/test_checkpoint_object.py`` restores (and saves) with scopeflow: a Keras
``Sequential`` trained two steps by ``tf.train.AdamOptimizer`` (so its slots and
``beta1_power`` are saved), the global step, a nested ``Checkpoint`` and a ``tf.Module`` holding
a variable and a list."""

import numpy as np


def build(tf, keras):
    """The checkpoint's root, its train op, and the tensors whose values are compared."""
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,)), keras.layers.Dense(1)])
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3) / 10)
    loss = tf.reduce_sum(model(x))
    opt = tf.train.AdamOptimizer(0.1)
    step = tf.train.get_or_create_global_step()
    train = opt.minimize(loss, global_step=step)
    extra = tf.Variable(5.0, name="extra")
    mod = tf.Module(name="mod")
    mod.a = tf.Variable([7.0, 8.0], name="a")
    mod.lst = [tf.Variable(1.5, name="b")]
    root = tf.train.Checkpoint(
        model=model, optimizer=opt, step=step, sub=tf.train.Checkpoint(e=extra), mod=mod
    )
    kernel, bias = model.weights[0], model.weights[3]
    watched = {
        "kernel": kernel,
        "kernel_m": opt.get_slot(kernel, "m"),
        "bias1_v": opt.get_slot(bias, "v"),
        "beta1_power": opt._get_beta_accumulators()[0],
        "step": step,
        "extra": extra,
        "mod_a": mod.a,
        "mod_b": mod.lst[0],
    }
    updates = [extra.assign(6.0), mod.a.assign([9.0, 10.0])]
    return root, train, updates, watched
