"""What tests/keras/test_reference.py asks TensorFlow (tools/tf_reference.py, run with
TF_USE_LEGACY_KERAS=1 so that tf.keras is tf_keras, TF1.15's Keras in compat.v1 graph mode):
the names Keras gives layers, weights, placeholders and optimizer variables, model.summary()'s
table, fit's log lines and the errors fit and the layers raise. Each expression returns a
string (scopeflow's variables are reference variables where TF's Keras makes resource
variables, so the op lists differ; the tests compare the strings)."""

SETUP = {}

# Names of layers, weights, inputs and outputs.
NAMES = [
    "(lambda m: str([m.name, m.inputs[0].name, m.outputs[0].name] + [w.name for w in m.weights] + [l.output.name for l in m.layers]))(tf.keras.Sequential([tf.keras.layers.Dense(16, activation='relu', input_shape=(4,)), tf.keras.layers.Dropout(0.2), tf.keras.layers.Dense(2, activation='softmax')]))",
    "str([(m.name, m.inputs[0].name, [w.name for w in m.weights]) for m in [tf.keras.Sequential([tf.keras.layers.Dense(3, input_shape=(4,))]), tf.keras.Sequential([tf.keras.layers.Dense(3, input_dim=4), tf.keras.layers.Dense(1, name='out')])]])",
    "(lambda x: (lambda d: (lambda h, h2: (lambda m: str([x.name, h.name, h2.name, m.name, m.outputs[0].name, [l.name for l in m.layers], m.input_names, m.output_names, [w.name for w in m.weights], [str(l.output_shape) for l in m.layers]]))(tf.keras.Model(x, tf.keras.layers.Dense(2, activation='softmax')(tf.keras.layers.add([h, h2])))))(d(x), d(x)))(tf.keras.layers.Dense(3, name='fc')))(tf.keras.Input(shape=(4,)))",
    "(lambda m: str([m.inputs[0].name] + [w.name for w in m.weights] + [l.output.name for l in m.layers] + [str(l.output_shape) for l in m.layers]))(tf.keras.Sequential([tf.keras.layers.Conv2D(4, 3, activation='relu', input_shape=(8, 8, 3)), tf.keras.layers.BatchNormalization(), tf.keras.layers.MaxPooling2D(), tf.keras.layers.Conv2D(4, (2, 2), padding='same'), tf.keras.layers.AveragePooling2D(), tf.keras.layers.Flatten(), tf.keras.layers.Dense(3)]))",
    "(lambda m: str([w.name for w in m.weights] + [l.output.name for l in m.layers] + [str(l.output_shape) for l in m.layers]))(tf.keras.Sequential([tf.keras.layers.Conv2D(2, 3, input_shape=(6, 6, 1)), tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Activation('tanh'), tf.keras.layers.Reshape((2, 1)), tf.keras.layers.Flatten()]))",
    "(lambda a, b: (lambda m: str([a.name, b.name, [l.name for l in m.layers], m.outputs[0].name, [w.name for w in m.weights]]))(tf.keras.Model([a, b], tf.keras.layers.Dense(1, activation='sigmoid')(tf.keras.layers.concatenate([tf.keras.layers.GlobalAveragePooling1D()(tf.keras.layers.Embedding(10, 3)(a)), b])))))(tf.keras.Input(shape=(5,)), tf.keras.Input(shape=(2,), name='extra'))",
    "(lambda x: str([tf.keras.layers.Conv1D(2, 3)(x).name, tf.keras.layers.MaxPooling1D()(x).name, tf.keras.layers.GlobalMaxPooling1D()(x).name, tf.keras.layers.Dense(2, kernel_initializer='zeros', use_bias=False)(x).name, tf.keras.layers.Lambda(lambda t: t * 2.0)(x).name, tf.keras.layers.multiply([x, x]).name, tf.keras.layers.subtract([x, x]).name, tf.keras.layers.average([x, x]).name, tf.keras.layers.maximum([x, x]).name]))(tf.keras.Input(shape=(6, 4)))",
    "(lambda x: (lambda d: (d(x), str([d.name, [w.name for w in d.weights], [l.name for l in tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)], len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)), len(d.losses)]))[1])(tf.keras.layers.Dense(2, kernel_regularizer=tf.keras.regularizers.l2(0.01))))(tf.keras.Input(shape=(3,)))",
    "(lambda x: (lambda bn: (bn(x), str([[w.name for w in bn.weights], [w.name for w in bn.trainable_weights], len(bn.updates), len(tf.get_collection(tf.GraphKeys.UPDATE_OPS))]))[1])(tf.keras.layers.BatchNormalization()))(tf.keras.Input(shape=(3,)))",
]

# model.summary()'s table.
SUMMARY = [
    "(lambda lines, m: (m.summary(print_fn=lines.append), '\\n'.join(lines))[1])([], tf.keras.Sequential([tf.keras.layers.Dense(16, activation='relu', input_shape=(4,)), tf.keras.layers.Dropout(0.2), tf.keras.layers.Dense(2, activation='softmax')]))",
    "(lambda lines, x: (lambda d: (lambda m: (m.summary(print_fn=lines.append), '\\n'.join(lines))[1])(tf.keras.Model(x, tf.keras.layers.Dense(2)(tf.keras.layers.add([d(x), d(x)])))))(tf.keras.layers.Dense(3, name='fc')))([], tf.keras.Input(shape=(4,)))",
    "(lambda lines, m: (m.summary(print_fn=lines.append), '\\n'.join(lines))[1])([], tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, input_shape=(28, 28, 1)), tf.keras.layers.BatchNormalization(), tf.keras.layers.MaxPooling2D(), tf.keras.layers.Flatten(), tf.keras.layers.Dense(10)], name='convnet'))",
    "(lambda lines, a, b: (lambda m: (m.summary(print_fn=lines.append), '\\n'.join(lines))[1])(tf.keras.Model([a, b], tf.keras.layers.concatenate([tf.keras.layers.Dense(4)(a), b]))))([], tf.keras.Input(shape=(3,)), tf.keras.Input(shape=(2,)))",
]

# compile and a training step: the variables, their names, metrics_names.
TRAINING = [
    "(lambda m: (m.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy']), m.train_on_batch(np.zeros((4, 4)), np.zeros(4)), str([m.metrics_names, m.inputs[0].name, [v.name for v in tf.global_variables()]]))[-1])(tf.keras.Sequential([tf.keras.layers.Dense(16, activation='relu', input_shape=(4,)), tf.keras.layers.Dropout(0.2), tf.keras.layers.Dense(2, activation='softmax')]))",
    "(lambda m: (m.compile(tf.keras.optimizers.SGD(0.1, momentum=0.9), 'mse', metrics=['mae']), m.train_on_batch(np.zeros((4, 4)), np.zeros((4, 2))), str([m.metrics_names, [v.name for v in tf.global_variables()]]))[-1])(tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,))]))",
    "(lambda m: (m.compile('rmsprop', 'categorical_crossentropy', metrics=['acc']), m.train_on_batch(np.zeros((4, 4)), np.eye(2)[[0, 1, 0, 1]]), str([m.metrics_names, [v.name for v in tf.global_variables()]]))[-1])(tf.keras.Sequential([tf.keras.layers.Dense(2, activation='softmax', input_shape=(4,))]))",
    "(lambda m: (m.compile('sgd', 'binary_crossentropy', metrics=['accuracy']), m.train_on_batch(np.zeros((4, 4)), np.zeros(4)), str([m.metrics_names, [v.name for v in tf.global_variables()]]))[-1])(tf.keras.Sequential([tf.keras.layers.Dense(1, activation='sigmoid', input_shape=(4,))]))",
    "(lambda x: (lambda m: (m.compile('adam', ['mse', 'sparse_categorical_crossentropy'], metrics=['accuracy']), m.train_on_batch(np.zeros((4, 3)), [np.zeros((4, 1)), np.zeros(4)]), str([m.metrics_names, m.output_names]))[-1])(tf.keras.Model(x, [tf.keras.layers.Dense(1, name='value')(x), tf.keras.layers.Dense(2, activation='softmax', name='policy')(x)])))(tf.keras.Input(shape=(3,)))",
    "(lambda m: (m.compile(tf.train.AdamOptimizer(0.01), 'mse'), m.train_on_batch(np.zeros((4, 4)), np.zeros((4, 2))), str([v.name for v in tf.global_variables()]))[-1])(tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,))]))",
    "(lambda buf, m: (lambda cm: (cm.__enter__(), m.compile('sgd', 'mse'), m.fit(np.ones((10, 4)), np.zeros((10, 2)), epochs=2, verbose=2, validation_split=0.2), cm.__exit__(None, None, None), buf.getvalue())[-1])(__import__('contextlib').redirect_stdout(buf)))(__import__('io').StringIO(), tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,), kernel_initializer='ones')]))",
]

# Training runs whose numbers are fixed (constant initial weights, no shuffling): fit's log
# lines with their losses and metrics, evaluate's and predict's values.
VALUES = [
    "(lambda buf, m: (lambda cm: (cm.__enter__(), m.compile('adam', 'sparse_categorical_crossentropy', metrics=['accuracy']), m.fit(np.arange(40.0).reshape(10, 4) / 40.0, np.arange(10) % 2, batch_size=4, epochs=2, verbose=2, shuffle=False, validation_data=(np.ones((3, 4)), np.ones(3))), cm.__exit__(None, None, None), buf.getvalue() + str(np.round(m.evaluate(np.ones((3, 4)), np.ones(3), verbose=0), 5).tolist()) + str(np.round(m.predict(np.eye(4)), 5).tolist()))[-1])(__import__('contextlib').redirect_stdout(buf)))(__import__('io').StringIO(), tf.keras.Sequential([tf.keras.layers.Dense(3, activation='relu', input_shape=(4,), kernel_initializer=tf.keras.initializers.Constant(np.arange(12.0).reshape(4, 3) / 10.0)), tf.keras.layers.Dense(2, activation='softmax', kernel_initializer=tf.keras.initializers.Constant(np.array([[0.5, -0.5], [0.1, 0.2], [-0.3, 0.4]])))]))",
    "(lambda buf, m: (lambda cm: (cm.__enter__(), m.compile(tf.keras.optimizers.RMSprop(0.01), 'binary_crossentropy', metrics=['accuracy', 'mse']), m.fit(np.arange(40.0).reshape(10, 4) / 40.0, np.arange(10) % 2, batch_size=3, epochs=3, verbose=2, shuffle=False), cm.__exit__(None, None, None), buf.getvalue() + str(np.round(m.evaluate(np.ones((3, 4)), np.ones(3), verbose=0), 5).tolist()))[-1])(__import__('contextlib').redirect_stdout(buf)))(__import__('io').StringIO(), tf.keras.Sequential([tf.keras.layers.Dense(1, activation='sigmoid', input_shape=(4,), kernel_initializer='ones')]))",
    "(lambda m: (m.compile(tf.keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True), 'mae'), [m.train_on_batch(np.arange(8.0).reshape(2, 4), np.ones((2, 1))) for _ in range(3)], str(np.round(m.get_weights()[0], 5).tolist()))[-1])(tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(4,), kernel_initializer='ones')]))",
]

# save_weights: the checkpoint's keys and its object graph, byte for byte.
CHECKPOINTS = [
    "' | '.join((lambda m, path: (m.compile('adam', 'sparse_categorical_crossentropy'), m.train_on_batch(np.zeros((2, 4)), np.zeros(2)), m.save_weights(path), str([name for name, _ in tf.train.list_variables(path)]), str(tf.train.load_variable(path, '_CHECKPOINTABLE_OBJECT_GRAPH')))[-2:])(tf.keras.Sequential([tf.keras.layers.Dense(3, activation='relu', input_shape=(4,)), tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(2, activation='softmax')]), __import__('tempfile').mkdtemp() + '/w'))",
    "' | '.join((lambda x, path: (lambda m: (m.save_weights(path), str([name for name, _ in tf.train.list_variables(path)]), str(tf.train.load_variable(path, '_CHECKPOINTABLE_OBJECT_GRAPH')))[-2:])(tf.keras.Model(x, tf.keras.layers.Dense(2)(tf.keras.layers.BatchNormalization()(tf.keras.layers.Dense(3)(x))))))(tf.keras.Input(shape=(4,)), __import__('tempfile').mkdtemp() + '/w'))",
]

# Mistakes fit and the layers refuse, with TF's message.
ERRORS = [
    ("(lambda m: (m.compile('adam', 'sparse_categorical_crossentropy'), m.fit(np.zeros((10, 5)), np.zeros(10), verbose=0)))(tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,))]))", "Error when checking input: expected dense_input to have shape (4,) but got array with shape (5,)"),
    ("(lambda m: (m.compile('adam', 'sparse_categorical_crossentropy'), m.fit(np.zeros(10), np.zeros(10), verbose=0)))(tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,))]))", "Error when checking input: expected dense_input to have shape (4,) but got array with shape (1,)"),
    ("(lambda m: (m.compile('adam', 'sparse_categorical_crossentropy'), m.fit(np.zeros((10, 4)), np.zeros(9), verbose=0)))(tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,))]))", "Input arrays should have the same number of samples as target arrays. Found 10 input samples and 9 target samples."),
    ("(lambda m: (m.compile('sgd', 'mse'), m.fit(np.zeros((10, 4)), np.zeros((10, 3)), verbose=0)))(tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,))]))", "A target array with shape (10, 3) was passed for an output of shape (None, 2) while using as loss `mean_squared_error`. This loss expects targets to have the same shape as the output."),
    ("tf.keras.Input()", "Note that `shape` does not include the batch dimension."),
    ("(lambda d: (d(tf.keras.Input(shape=(2,))), d.set_weights([np.zeros((2, 3))])))(tf.keras.layers.Dense(3))", 'You called `set_weights(weights)` on layer "dense" with a weight list of length 1, but the layer was expecting 2 weights.'),
    ("tf.keras.layers.Dense(3).count_params()", "You tried to call `count_params` on dense, but the layer isn't built. You can build it manually via: `dense.build(batch_input_shape)`."),
]
