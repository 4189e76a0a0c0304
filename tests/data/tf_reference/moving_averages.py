"""What tests/train/test_moving_averages.py asks TensorFlow (tools/tf_reference.py):
tf.train.ExponentialMovingAverage's shadow variables, update ops and names."""

SETUP = {
    "x": ("float32", [2]),
    "s": ("float32", []),
}

# apply(): the shadow variables and update ops it builds, and the grouped op it returns.
APPLY = [
    "tf.train.ExponentialMovingAverage(0.9).apply([tf.Variable([1.0, 2.0], name='w')])",
    "tf.train.ExponentialMovingAverage(0.9, name='ema').apply([tf.Variable([1.0, 2.0], name='w')])",
    "tf.train.ExponentialMovingAverage(0.9).apply([tf.get_variable('layer/w', [3])])",
    "tf.train.ExponentialMovingAverage(0.9).apply([tf.Variable(np.float64([1.0]), name='w')])",
    "tf.train.ExponentialMovingAverage(s).apply([tf.Variable([1.0, 2.0], name='w')])",
    "tf.train.ExponentialMovingAverage(0.9).apply([tf.identity(x, name='t')])",
    "tf.train.ExponentialMovingAverage(0.9).apply([x * 2.0])",
    "tf.train.ExponentialMovingAverage(0.9, zero_debias=True).apply([tf.identity(x, name='t')])",
    "tf.train.ExponentialMovingAverage(0.9, zero_debias=True).apply([tf.Variable([1.0, 2.0], name='w')])",
    "tf.train.ExponentialMovingAverage(0.99, num_updates=10).apply([tf.Variable([1.0, 2.0], name='w')])",
    "tf.train.ExponentialMovingAverage(0.99, num_updates=tf.train.get_or_create_global_step()).apply([tf.Variable([1.0, 2.0], name='w')])",
    "(lambda w, b: tf.train.ExponentialMovingAverage(0.9).apply())(tf.Variable(1.0, name='w'), tf.Variable(2.0, name='b', trainable=False))",
    "(lambda e, w: [e.apply([w]), e.apply([w])])(tf.train.ExponentialMovingAverage(0.9), tf.Variable(1.0, name='w'))",
    "(lambda w: [tf.train.ExponentialMovingAverage(0.9).apply([w]), tf.train.ExponentialMovingAverage(0.5).apply([w])])(tf.Variable(1.0, name='w'))",
    "(lambda e, w: [e.apply([w]), e.average(w)])(tf.train.ExponentialMovingAverage(0.9), tf.Variable(1.0, name='w'))",
]

# Names: average_name, variables_to_restore, moving_average_variables (as strings).
NAMES = [
    "tf.train.ExponentialMovingAverage(0.9).average_name(tf.Variable(1.0, name='w'))",
    "tf.train.ExponentialMovingAverage(0.9, name='ema').average_name(tf.get_variable('layer/w', []))",
    "tf.train.ExponentialMovingAverage(0.9).average_name(x * 2.0)",
    "tf.train.ExponentialMovingAverage(0.9).name",
    "str(tf.train.ExponentialMovingAverage(0.9).average(tf.Variable(1.0, name='w')))",
    "(lambda e, w, b: (e.apply([w]), str(sorted((k, v.op.name) for k, v in e.variables_to_restore().items())))[1])(tf.train.ExponentialMovingAverage(0.9), tf.Variable(1.0, name='w'), tf.Variable(2.0, name='b'))",
    "(lambda e, w, b: (e.apply([w, x * 2.0]), str(sorted((k, v.op.name) for k, v in e.variables_to_restore().items())))[1])(tf.train.ExponentialMovingAverage(0.9), tf.Variable(1.0, name='w'), tf.Variable(2.0, name='b', trainable=False))",
    "(lambda e, w, b: (e.apply([w]), str(sorted((k, v.op.name) for k, v in e.variables_to_restore([w]).items())))[1])(tf.train.ExponentialMovingAverage(0.9), tf.Variable(1.0, name='w'), tf.Variable(2.0, name='b'))",
    "(lambda e, w, b: (e.apply([b]), str(sorted((k, v.op.name) for k, v in e.variables_to_restore().items())))[1])(tf.train.ExponentialMovingAverage(0.9), tf.Variable(1.0, name='w'), tf.Variable(2.0, name='b', trainable=False))",
    "(lambda e, w, b: (e.apply([w, b, x * 2.0]), str([v.name for v in tf.moving_average_variables()]))[1])(tf.train.ExponentialMovingAverage(0.9), tf.Variable(1.0, name='w'), tf.Variable(2.0, name='b'))",
    "(lambda e, w: (e.apply([w]), str([v.name for v in tf.get_collection(tf.GraphKeys.MOVING_AVERAGE_VARIABLES)]))[1])(tf.train.ExponentialMovingAverage(0.9), tf.Variable(1.0, name='w'))",
    "(lambda e, w: (e.apply([w, x]), str([v.name for v in tf.global_variables()]), str([v.name for v in tf.trainable_variables()])))(tf.train.ExponentialMovingAverage(0.9), tf.Variable(1.0, name='w'))[1]",
    "(lambda e, w: (e.apply([w, x]), str([v.name for v in tf.trainable_variables()])))(tf.train.ExponentialMovingAverage(0.9), tf.Variable(1.0, name='w'))[1]",
]

ERRORS = [
    ("tf.train.ExponentialMovingAverage(0.9).apply([tf.Variable(1, name='i')])", "The variables must be half, float, or double: i:0"),
    ("tf.train.ExponentialMovingAverage(0.9).apply([tf.cast(x, tf.int32)])", "The variables must be half, float, or double: Cast:0"),
]
