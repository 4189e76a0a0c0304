"""What tests/keras/test_metrics.py asks TensorFlow (tools/tf_reference.py, TF_USE_LEGACY_KERAS=1:
tf.keras is tf_keras, TF1.15's Keras in compat.v1 graph mode): the variables, names and values of
tf.keras.metrics' classes (update_state, result, reset_states), compile with metric objects,
the loss classes and functions added with them (strings), and their errors."""

NAMES = [
    "str([(m.name, [(v.name, v.shape.as_list()) for v in m.variables]) for m in "
    "[tf.keras.metrics.Mean(), tf.keras.metrics.Sum(), tf.keras.metrics.Accuracy(), "
    "tf.keras.metrics.BinaryAccuracy(), tf.keras.metrics.CategoricalAccuracy(), "
    "tf.keras.metrics.SparseCategoricalAccuracy(), tf.keras.metrics.TopKCategoricalAccuracy(), "
    "tf.keras.metrics.SparseTopKCategoricalAccuracy(k=2), tf.keras.metrics.MeanSquaredError(), "
    "tf.keras.metrics.MeanAbsoluteError(), tf.keras.metrics.MeanAbsolutePercentageError(), "
    "tf.keras.metrics.MeanSquaredLogarithmicError(), tf.keras.metrics.RootMeanSquaredError(), "
    "tf.keras.metrics.Hinge(), tf.keras.metrics.SquaredHinge(), tf.keras.metrics.CategoricalHinge(), "
    "tf.keras.metrics.LogCoshError(), tf.keras.metrics.KLDivergence(), tf.keras.metrics.Poisson(), "
    "tf.keras.metrics.CosineSimilarity(), tf.keras.metrics.BinaryCrossentropy(), "
    "tf.keras.metrics.CategoricalCrossentropy(), tf.keras.metrics.SparseCategoricalCrossentropy(), "
    "tf.keras.metrics.AUC(), tf.keras.metrics.AUC(num_thresholds=10, curve='PR', name='pr'), "
    "tf.keras.metrics.Precision(), tf.keras.metrics.Recall(thresholds=[0.3, 0.7]), "
    "tf.keras.metrics.TruePositives(), tf.keras.metrics.FalsePositives(), "
    "tf.keras.metrics.TrueNegatives(), tf.keras.metrics.FalseNegatives(thresholds=[0.1, 0.5])]])"
]

VALUES = [
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state([1.0, 2.0, "
    "3.0]), m.result())[1], (m.update_state([5.0], sample_weight=[3.0]), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.Mean())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[1.0, "
    "2.0], [3.0, 4.0]]), sample_weight=np.array([1.0, 0.0])), m.result())[1]]], dtype=float), "
    "5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), dtype=float), "
    "5).tolist())[1]] + [m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.Mean())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state([1.0, 2.0, "
    "3.0]), m.result())[1], (m.update_state([4.0]), m.result())[1]]], dtype=float), 5).tolist() + "
    "[(m.reset_states(), np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.Sum())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state([[1], [2], [3]], "
    "[[1], [0], [3]]), m.result())[1]]], dtype=float), 5).tolist() + [(m.reset_states(), "
    "np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.Accuracy())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1], "
    "(m.update_state(np.array([[1.0], [0.0], [1.0], [1.0]]), np.array([[0.8], [0.6], [0.3], [0.55]]), "
    "sample_weight=np.array([1.0, 0.5, 2.0, 1.0])), m.result())[1]]], dtype=float), 5).tolist() + "
    "[(m.reset_states(), np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.BinaryAccuracy())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.BinaryAccuracy(threshold=0.65))",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.CategoricalAccuracy())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([2, "
    "0]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1], "
    "(m.update_state(np.array([[1], [1]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]]), "
    "sample_weight=[0.25, 1.0]), m.result())[1]]], dtype=float), 5).tolist() + [(m.reset_states(), "
    "np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.SparseCategoricalAccuracy())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.eye(3)[[2, "
    "0]], np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], dtype=float), 5).tolist() "
    "+ [(m.reset_states(), np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.TopKCategoricalAccuracy(k=2))",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([2, "
    "0]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], dtype=float), 5).tolist() "
    "+ [(m.reset_states(), np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.SparseTopKCategoricalAccuracy(k=1))",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1], "
    "(m.update_state(np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, "
    "0.6, 0.3]]), sample_weight=[1.0, 3.0]), m.result())[1]]], dtype=float), 5).tolist() + "
    "[(m.reset_states(), np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.MeanSquaredError())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.MeanAbsoluteError())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.MeanAbsolutePercentageError())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.MeanSquaredLogarithmicError())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1], "
    "(m.update_state(np.array([[1.0], [0.0], [1.0], [1.0]]), np.array([[0.8], [0.6], [0.3], "
    "[0.55]])), m.result())[1]]], dtype=float), 5).tolist() + [(m.reset_states(), "
    "np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.RootMeanSquaredError())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.Hinge())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.SquaredHinge())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.CategoricalHinge())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.LogCoshError())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.KLDivergence())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.Poisson())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.CosineSimilarity())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.BinaryCrossentropy())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.BinaryCrossentropy(from_logits=True, "
    "label_smoothing=0.1))",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.eye(3)[[2, "
    "0]], np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], dtype=float), 5).tolist() "
    "+ [(m.reset_states(), np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.CategoricalCrossentropy())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([2, "
    "0]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], dtype=float), 5).tolist() "
    "+ [(m.reset_states(), np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.SparseCategoricalCrossentropy())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[1.0], "
    "[0.0], [1.0], [1.0]]), np.array([[0.8], [0.6], [0.3], [0.55]])), m.result())[1], "
    "(m.update_state(np.array([[0.0], [1.0]]), np.array([[0.1], [0.9]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.AUC())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[1.0], "
    "[0.0], [1.0], [1.0]]), np.array([[0.8], [0.6], [0.3], [0.55]]), sample_weight=np.array([1.0, "
    "0.5, 2.0, 1.0])), m.result())[1]]], dtype=float), 5).tolist() + [(m.reset_states(), "
    "np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.AUC(num_thresholds=7, "
    "summation_method='minoring'))",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[1.0], "
    "[0.0], [1.0], [1.0]]), np.array([[0.8], [0.6], [0.3], [0.55]])), m.result())[1]]], dtype=float), "
    "5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), dtype=float), "
    "5).tolist())[1]] + [m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.AUC(curve='PR'))",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[1.0], "
    "[0.0], [1.0], [1.0]]), np.array([[0.8], [0.6], [0.3], [0.55]])), m.result())[1]]], dtype=float), "
    "5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), dtype=float), "
    "5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.AUC(num_thresholds=11, curve='PR', "
    "summation_method='majoring'))",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[1.0], "
    "[0.0], [1.0], [1.0]]), np.array([[0.8], [0.6], [0.3], [0.55]])), m.result())[1], "
    "(m.update_state(np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, "
    "0.6, 0.3]])), m.result())[1]]], dtype=float), 5).tolist() + [(m.reset_states(), "
    "np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.Precision())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[1.0], "
    "[0.0], [1.0], [1.0]]), np.array([[0.8], [0.6], [0.3], [0.55]]), sample_weight=np.array([1.0, "
    "0.5, 2.0, 1.0])), m.result())[1]]], dtype=float), 5).tolist() + [(m.reset_states(), "
    "np.round(np.asarray(s.run(m.result()), dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.Recall())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[1.0], "
    "[0.0], [1.0], [1.0]]), np.array([[0.8], [0.6], [0.3], [0.55]])), m.result())[1]]], dtype=float), "
    "5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), dtype=float), "
    "5).tolist())[1]] + [m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.TruePositives())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[1.0], "
    "[0.0], [1.0], [1.0]]), np.array([[0.8], [0.6], [0.3], [0.55]])), m.result())[1]]], dtype=float), "
    "5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), dtype=float), "
    "5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.FalsePositives())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.TrueNegatives())",
    "(lambda m: (lambda s: str(np.round(np.array([s.run(t) for t in [(m.update_state(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]])), m.result())[1]]], "
    "dtype=float), 5).tolist() + [(m.reset_states(), np.round(np.asarray(s.run(m.result()), "
    "dtype=float), 5).tolist())[1]] + "
    "[m.name]))(tf.keras.backend.get_session()))(tf.keras.metrics.FalseNegatives())",
    "(lambda m: str(np.round(tf.keras.backend.get_session().run(m(np.array([[0.0, 1.0, 1.0], [1.0, "
    "0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]]))), "
    "5).tolist()))(tf.keras.metrics.BinaryAccuracy())",
    "(lambda m: (lambda t: str(np.round(tf.keras.backend.get_session().run(t), "
    "5).tolist()))(m(np.array([[1.0], [0.0], [1.0], [1.0]]), np.array([[0.8], [0.6], [0.3], "
    "[0.55]]))))(tf.keras.metrics.Precision(thresholds=[0.3, 0.5, 0.7]))",
]

TRAINING = [
    "(lambda m: (m.compile('sgd', 'binary_crossentropy', metrics=[tf.keras.metrics.AUC(), "
    "tf.keras.metrics.Precision(), 'accuracy', tf.keras.metrics.BinaryAccuracy(name='ba'), "
    "tf.keras.metrics.MeanSquaredError(), 'mae']), (lambda h: str([m.metrics_names, sorted(h), "
    "np.round([h[k] for k in sorted(h)], 5).tolist(), np.round(m.evaluate(np.arange(8.0).reshape(4, "
    "2) / 8.0, np.array([0, 1, 1, 1]), verbose=0), 5).tolist()]))(m.fit(np.arange(16.0).reshape(8, 2) "
    "/ 16.0 - 0.4, np.array([0, 1, 0, 1, 1, 0, 1, 1]), epochs=2, batch_size=3, shuffle=False, "
    "verbose=0).history))[1])(tf.keras.Sequential([tf.keras.layers.Dense(1, activation='sigmoid', "
    "input_shape=(2,), kernel_initializer=tf.keras.initializers.Constant(np.array([[1.0], "
    "[-2.0]])))]))",
    "(lambda m: (m.compile('sgd', tf.keras.losses.Huber(delta=0.5), "
    "metrics=[tf.keras.metrics.RootMeanSquaredError(), tf.keras.metrics.CosineSimilarity(), "
    "tf.keras.metrics.LogCoshError()]), (lambda h: str([m.metrics_names, np.round([h[k] for k in "
    "sorted(h)], 5).tolist()]))(m.fit(np.arange(16.0).reshape(8, 2) / 16.0, "
    "np.arange(16.0).reshape(8, 2) / 4.0, epochs=2, batch_size=4, shuffle=False, "
    "verbose=0).history))[1])(tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(2,), "
    "kernel_initializer='ones')]))",
    "(lambda m: (m.compile('adam', tf.keras.losses.CategoricalHinge(), "
    "metrics=[tf.keras.metrics.CategoricalAccuracy(), tf.keras.metrics.TopKCategoricalAccuracy(k=2), "
    "tf.keras.metrics.CategoricalCrossentropy()]), (lambda h: str([m.metrics_names, np.round([h[k] "
    "for k in sorted(h)], 5).tolist()]))(m.fit(np.arange(18.0).reshape(6, 3) / 18.0, np.eye(3)[[0, 1, "
    "2, 2, 1, 0]], epochs=2, batch_size=4, shuffle=False, "
    "verbose=0).history))[1])(tf.keras.Sequential([tf.keras.layers.Dense(3, activation='softmax', "
    "input_shape=(3,), kernel_initializer=tf.keras.initializers.Constant(np.arange(9.0).reshape(3, 3) "
    "/ 10.0 - 0.4))]))",
    "(lambda m: (m.compile('sgd', 'logcosh', metrics=['cosine_similarity', 'categorical_hinge']), "
    "str([m.metrics_names, np.round(m.fit(np.ones((4, 2)), np.arange(8.0).reshape(4, 2) / 8.0, "
    "epochs=2, verbose=0).history['loss'], "
    "5).tolist()]))[1])(tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(2,), "
    "kernel_initializer='ones')]))",
]

LOSSES = [
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.losses.Huber()(np.array([[0.0, 1.0, 1.0], "
    "[1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]]) * 3)), dtype=float), "
    "5).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.losses.Huber(delta=0.3, "
    "reduction='sum')(np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, "
    "0.6, 0.3]]) * 3, sample_weight=[1.0, 2.0])), dtype=float), 5).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.losses.LogCosh()(np.array([[0.0, 1.0, "
    "1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]]))), dtype=float), "
    "5).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.losses.LogCosh(reduction='none')(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]]))), dtype=float), "
    "5).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.losses.CosineSimilarity()(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]]))), dtype=float), "
    "5).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.losses.CosineSimilarity(axis=0, "
    "reduction='none')(np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, "
    "0.6, 0.3]]))), dtype=float), 5).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.losses.CategoricalHinge()(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]]))), dtype=float), "
    "5).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.losses.logcosh(np.array([[0.0, 1.0, 1.0], "
    "[1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]]))), dtype=float), 5).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.losses.log_cosh(np.array([[0.0, 1.0, "
    "1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]]))), dtype=float), "
    "5).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.losses.categorical_hinge(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]]))), dtype=float), "
    "5).tolist())",
    "str(np.round(np.asarray(tf.keras.backend.eval(tf.keras.losses.cosine_similarity(np.array([[0.0, "
    "1.0, 1.0], [1.0, 0.0, 1.0]]), np.array([[0.2, 0.7, 0.4], [0.9, 0.6, 0.3]]))), dtype=float), "
    "5).tolist())",
    "str([tf.keras.losses.Huber().name, tf.keras.losses.LogCosh().name, "
    "tf.keras.losses.CosineSimilarity().name, tf.keras.losses.CategoricalHinge().name, "
    "tf.keras.losses.get('logcosh').__name__, tf.keras.losses.get('categorical_hinge').__name__, "
    "tf.keras.losses.get('huber').__name__, tf.keras.losses.get('cosine_similarity').__name__])",
    "str([type(tf.keras.metrics.get('AUC')).__name__, tf.keras.metrics.get('mae').__name__, "
    "tf.keras.metrics.serialize(tf.keras.metrics.BinaryAccuracy(threshold=0.7)), "
    "type(tf.keras.metrics.deserialize({'class_name': 'Precision', 'config': {'thresholds': "
    "0.3}})).__name__])",
]

CALLBACKS = [
    "(lambda m, d: (m.compile(tf.keras.optimizers.SGD(0.5), 'sparse_categorical_crossentropy', "
    "metrics=['accuracy']), m.fit(np.arange(40.0).reshape(10, 4) / 40.0, np.arange(10) % 2, "
    "batch_size=4, shuffle=False, verbose=0, epochs=3, validation_data=(np.ones((2, 4)), np.ones(2)), "
    "callbacks=[tf.keras.callbacks.CSVLogger(d + '/log.csv')]), m.fit(np.arange(40.0).reshape(10, 4) "
    "/ 40.0, np.arange(10) % 2, batch_size=4, shuffle=False, verbose=0, epochs=2, "
    "callbacks=[tf.keras.callbacks.CSVLogger(d + '/log.csv', separator=';', append=True)]), "
    "__import__('re').sub(r'(\\d\\.\\d{5})\\d*', r'\\1', open(d + "
    "'/log.csv').read()))[-1])(tf.keras.Sequential([tf.keras.layers.Dense(2, activation='softmax', "
    "input_shape=(4,), kernel_initializer=tf.keras.initializers.Constant(np.array([[0.5, -0.5]] * "
    "4)))]), __import__('tempfile').mkdtemp())",
    "(lambda buf, m: (lambda cm: (cm.__enter__(), m.compile(tf.keras.optimizers.SGD(0.5), "
    "'sparse_categorical_crossentropy'), m.fit(np.arange(40.0).reshape(10, 4) / 40.0, np.arange(10) % "
    "2, batch_size=4, shuffle=False, verbose=0, epochs=6, "
    "callbacks=[tf.keras.callbacks.ReduceLROnPlateau(monitor='loss', factor=0.5, patience=1, "
    "min_delta=0.05, cooldown=1, min_lr=0.1, verbose=1)]), cm.__exit__(None, None, None), "
    "buf.getvalue() + str(np.round(m.history.history['lr'], 5).tolist()) + "
    "str(np.round(m.history.history['loss'], "
    "5).tolist()))[-1])(__import__('contextlib').redirect_stdout(buf)))(__import__('io').StringIO(), "
    "tf.keras.Sequential([tf.keras.layers.Dense(2, activation='softmax', input_shape=(4,), "
    "kernel_initializer=tf.keras.initializers.Constant(np.array([[0.5, -0.5]] * 4)))]))",
    "(lambda buf, m, seen: (lambda cm: (cm.__enter__(), m.compile('sgd', 'mse'), m.fit(np.ones((4, "
    "2)), np.array([[1.0], [np.nan], [1.0], [1.0]]), batch_size=1, epochs=3, verbose=0, "
    "shuffle=False, callbacks=[tf.keras.callbacks.TerminateOnNaN(), "
    "tf.keras.callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: seen.append(('begin', "
    "epoch)), on_batch_end=lambda batch, logs: seen.append(('batch', batch)), on_train_end=lambda "
    "logs: seen.append('end'))]), cm.__exit__(None, None, None), buf.getvalue() + str(seen) + "
    "str(len(m.history.history['loss'])))[-1])(__import__('contextlib').redirect_stdout(buf)))(__import__('io').StringIO(), "
    "tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))]), [])",
    "(lambda m, d: (m.compile(tf.keras.optimizers.SGD(0.5), 'sparse_categorical_crossentropy', "
    "metrics=['accuracy']), m.fit(np.arange(40.0).reshape(10, 4) / 40.0, np.arange(10) % 2, "
    "batch_size=4, shuffle=False, verbose=0, epochs=2, validation_split=0.2, "
    "callbacks=[tf.keras.callbacks.TensorBoard(d)]), str(sorted((e.step, v.tag, "
    "round(float(v.simple_value), 5)) for f in sorted(__import__('os').listdir(d)) if "
    "f.startswith('events') for e in map(tf.Event.FromString, tf.io.tf_record_iterator(d + '/' + f)) "
    "for v in e.summary.value)))[-1])(tf.keras.Sequential([tf.keras.layers.Dense(2, "
    "activation='softmax', input_shape=(4,), "
    "kernel_initializer=tf.keras.initializers.Constant(np.array([[0.5, -0.5]] * 4)))]), "
    "__import__('tempfile').mkdtemp())",
]

ERRORS = [
    ("tf.keras.metrics.AUC(curve='XY')", 'Invalid AUC curve value: "XY"'),
    ("tf.keras.metrics.AUC(summation_method='sum')", 'Invalid AUC summation method value: "sum"'),
    ("tf.keras.metrics.AUC(num_thresholds=1)", "Argument `num_thresholds` must be an integer > 1"),
    ("tf.keras.metrics.Precision(thresholds=1.5)", "Threshold values must be in [0, 1]."),
    (
        "tf.keras.callbacks.ReduceLROnPlateau(factor=1.5)",
        "ReduceLROnPlateau does not support a factor >= 1.0. Got 1.5",
    ),
]
