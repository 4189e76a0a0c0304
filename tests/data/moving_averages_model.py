"""A model whose moving averages ``make_moving_average_values.py`` records under TensorFlow
and ``tests/train/test_moving_averages.py`` compares scopeflow's with: the same function runs
under either library, given as ``tf``."""

STEPS = [[1.0, -2.0], [3.0, 0.5], [-1.0, 4.0], [2.0, 2.0]]
VARIANTS = {
    "plain": {"decay": 0.9},
    "num_updates": {"decay": 0.99, "num_updates": True},
    "zero_debias": {"decay": 0.8, "zero_debias": True},
}


def values_after_each_step(tf, variant: str) -> list:
    """The shadows' values after each update: ``w``'s, ``w * 2``'s (a tensor) and
    ``global_step``'s, while ``w`` takes the values of ``STEPS`` and the step counts up."""
    options = dict(VARIANTS[variant])
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        w = tf.Variable([0.5, 0.5], name="w")
        doubled = w * 2.0
        if options.pop("num_updates", False):
            options["num_updates"] = step
        ema = tf.train.ExponentialMovingAverage(**options)
        update = ema.apply([w, doubled])
        with tf.control_dependencies([update]):
            train = tf.assign_add(step, 1)
        new = tf.placeholder(tf.float32, [2])
        set_w = tf.assign(w, new)
        out = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for value in STEPS:
                sess.run(set_w, {new: value})
                sess.run(train)
                shadows = sess.run([ema.average(w), ema.average(doubled)])
                out.append([s.tolist() for s in shadows])
        return out
