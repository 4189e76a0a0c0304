"""A small embedding model trained a few steps by each TF1 optimizer, built the same way under
TensorFlow (by ``make_sparse_training_values.py``, which records the values) and under
scopeflow (by ``tests/train/test_sparse_updates.py``, which compares with the record).

The table's gradient is an ``IndexedSlices`` (two lookups, repeated ids), so the optimizers take
their sparse path; ``dense=True`` adds an L2 term on the whole table, which makes the gradient
dense (an IndexedSlices summed with a dense tensor).

Imported by both sides: needs only NumPy and the ``tf`` module it is given.
"""

import numpy as np

# Ids looked up at each step: [first lookup, second lookup]; repeated within and across.
STEPS = [
    ([1, 3, 1, 6], [3, 0]),
    ([0, 3, 3], [5, 5]),
    ([6, 6, 2, 5], [1, 6]),
]
OPTIMIZERS = {
    "GradientDescent": ("GradientDescentOptimizer", (0.1,), {}),
    "Momentum": ("MomentumOptimizer", (0.1, 0.9), {}),
    "Nesterov": ("MomentumOptimizer", (0.1, 0.9), {"use_nesterov": True}),
    "Adam": ("AdamOptimizer", (0.05,), {}),
    "Adagrad": ("AdagradOptimizer", (0.1,), {}),
    "RMSProp": ("RMSPropOptimizer", (0.01,), {"momentum": 0.5}),
    "CenteredRMSProp": ("RMSPropOptimizer", (0.01,), {"momentum": 0.5, "centered": True}),
    "Adadelta": ("AdadeltaOptimizer", (1.0,), {}),
}


def build(tf, optimizer: str, dense: bool):
    """``(train_op, first_ids, second_ids, variables)`` in the default graph, ``variables``
    being every global variable (the table, the weights and the optimizer's slots)."""
    table = tf.get_variable(
        "table", initializer=np.linspace(-1.0, 1.0, 24, dtype=np.float32).reshape(8, 3)
    )
    weights = tf.get_variable(
        "weights", initializer=np.array([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], np.float32)
    )
    first = tf.placeholder(tf.int32, [None], name="first")
    second = tf.placeholder(tf.int32, [None], name="second")
    hidden = tf.tanh(tf.matmul(tf.nn.embedding_lookup(table, first), weights))
    loss = tf.reduce_sum(tf.square(hidden - 0.25))
    loss += 0.5 * tf.reduce_sum(tf.gather(table, second) * 1.5)
    if dense:
        loss += 0.01 * tf.reduce_sum(tf.square(table))
    name, args, kwargs = OPTIMIZERS[optimizer]
    train = getattr(tf.train, name)(*args, **kwargs).minimize(loss)
    return train, first, second, tf.global_variables()


def values_after_each_step(tf, optimizer: str, dense: bool) -> list:
    """For each step, ``{variable name: value as nested lists}``."""
    with tf.Graph().as_default():
        train, first, second, variables = build(tf, optimizer, dense)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out = []
            for ids, more in STEPS:
                sess.run(train, {first: ids, second: more})
                values = sess.run({v.op.name: v for v in variables})
                out.append({k: np.asarray(v).tolist() for k, v in sorted(values.items())})
    return out
