"""What tests/metrics/test_build.py asks TensorFlow (tools/tf_reference.py): the graphs
tf.metrics builds (its local variables, the value and update ops, every op on the way, by
name), tf.confusion_matrix's, and the errors both raise while building."""

SETUP = {
    "labels": ("int64", [None]),
    "preds": ("int64", [None]),
    "l4": ("int64", [4]),
    "p4": ("int64", [4]),
    "l41": ("int64", [4, 1]),
    "l22": ("int64", [2, 2]),
    "p22": ("int64", [2, 2]),
    "v": ("float32", [None]),
    "v4": ("float32", [4]),
    "y4": ("float32", [4]),
    "v23": ("float32", [2, 3]),
    "y23": ("float32", [2, 3]),
    "w": ("float32", [None]),
    "w4": ("float32", [4]),
    "w41": ("float32", [4, 1]),
    "w2": ("float32", [2, 1]),
    "u": ("float32", None),
    "prob": ("float32", [4]),
    "probn": ("float32", [None]),
    "truth": ("bool", [4]),
    "truthn": ("bool", [None]),
    "scores": ("float32", [4, 5]),
    "scoresn": ("float32", [None, 5]),
    "cls": ("int64", [4]),
    "clsn": ("int64", [None]),
    "multi": ("int64", [4, 2]),
    "top": ("int32", [4, 2]),
    "si": ("int64", [None, 2]),
    "sv": ("int64", [None]),
    "ss": ("int64", [2]),
}

# The mean family: tf.metrics.mean and the metrics TF1 builds on it.
MEANS = [
    "tf.metrics.mean(v)",
    "tf.metrics.mean(v23, name='m')",
    "tf.metrics.mean(labels)",
    "tf.metrics.mean(v4, weights=w4)",
    "tf.metrics.mean(v4, weights=w41)",
    "tf.metrics.mean(v23, weights=w2)",
    "tf.metrics.mean(v, weights=w)",
    "tf.metrics.mean(v, weights=2.0)",
    "tf.metrics.mean(u, weights=w)",
    "tf.metrics.mean(v4, metrics_collections=['mc'], updates_collections=['uc'])",
    "[*tf.metrics.mean(v), *tf.metrics.mean(v), *tf.metrics.mean(v, name='mean')]",
    "tf.metrics.mean_tensor(v23)",
    "tf.metrics.mean_tensor(v23, weights=w2, name='mt')",
    "tf.metrics.accuracy(labels, preds)",
    "tf.metrics.accuracy(l4, p4, weights=w4)",
    "tf.metrics.accuracy(l41, p4)",
    "tf.metrics.accuracy(l4, tf.cast(p4, tf.int32))",
    "tf.metrics.accuracy(labels, preds, weights=w, name='acc')",
    "tf.metrics.mean_absolute_error(v4, y4)",
    "tf.metrics.mean_squared_error(v23, y23)",
    "tf.metrics.mean_squared_error(v23, y23, weights=w2)",
    "tf.metrics.root_mean_squared_error(v23, y23)",
    "tf.metrics.mean_relative_error(v4, y4, normalizer=v4)",
    "tf.metrics.mean_cosine_distance(v23, y23, dim=1)",
    "tf.metrics.mean_cosine_distance(v23, y23, 1, weights=w2)",
    "tf.metrics.percentage_below(v, 0.5)",
    "tf.metrics.percentage_below(v4, 0.5, weights=w4)",
]

# Metrics over a streaming confusion matrix, and tf.confusion_matrix itself.
CONFUSION = [
    "tf.metrics.mean_per_class_accuracy(labels, preds, 3)",
    "tf.metrics.mean_per_class_accuracy(l22, p22, 3, weights=tf.ones([2, 2]))",
    "tf.metrics.mean_iou(labels, preds, 3)",
    "tf.metrics.mean_iou(l22, p22, num_classes=3, weights=tf.ones([2, 2]))",
    "tf.confusion_matrix(labels, preds)",
    "tf.confusion_matrix(labels, preds, num_classes=3)",
    "tf.math.confusion_matrix(l4, p4, 3, weights=w4, dtype=tf.float32)",
    "tf.confusion_matrix(l41, p4, name='cm')",
]

# Counts of true/false positives/negatives, precision and recall.
COUNTS = [
    "tf.metrics.true_positives(truth, truth)",
    "tf.metrics.false_positives(truth, prob > 0.5, weights=w4)",
    "tf.metrics.true_negatives(truthn, truthn)",
    "tf.metrics.false_negatives(l4, p4)",
    "tf.metrics.false_negatives(truth, truth, weights=2.0)",
    "tf.metrics.precision(truth, prob > 0.5)",
    "tf.metrics.recall(truth, prob > 0.5, weights=w4)",
    "tf.metrics.precision(labels, preds, name='p')",
]

# Metrics over thresholds of predicted probabilities.
THRESHOLDS = [
    "tf.metrics.true_positives_at_thresholds(truth, prob, [0.25, 0.5, 0.75])",
    "tf.metrics.false_negatives_at_thresholds(truth, prob, [0.5], weights=w4)",
    "tf.metrics.true_negatives_at_thresholds(truthn, probn, [0.5, 0.9])",
    "tf.metrics.false_positives_at_thresholds(truth, prob, [0.5], name='fp')",
    "tf.metrics.precision_at_thresholds(truth, prob, [0.25, 0.75])",
    "tf.metrics.recall_at_thresholds(truthn, probn, [0.5], weights=w)",
    "tf.metrics.auc(truth, prob)",
    "tf.metrics.auc(truth, prob, num_thresholds=5)",
    "tf.metrics.auc(truth, prob, num_thresholds=5, curve='PR')",
    "tf.metrics.auc(truth, prob, num_thresholds=5, curve='PR', summation_method='careful_interpolation')",
    "tf.metrics.auc(truth, prob, num_thresholds=5, summation_method='minoring')",
    "tf.metrics.auc(truth, prob, num_thresholds=5, summation_method='majoring')",
    "tf.metrics.auc(truth, prob, thresholds=[0.6, 0.3], weights=w4, name='a')",
    "tf.metrics.sensitivity_at_specificity(truth, prob, 0.5, num_thresholds=5)",
    "tf.metrics.specificity_at_sensitivity(truth, prob, 0.5, num_thresholds=5)",
]

# Metrics over the top k predictions.
TOP_K = [
    "tf.metrics.precision_at_k(cls, scores, 2)",
    "tf.metrics.recall_at_k(cls, scores, 2)",
    "tf.metrics.precision_at_k(cls, scores, 2, class_id=1)",
    "tf.metrics.recall_at_k(clsn, scoresn, 2, class_id=1)",
    "tf.metrics.precision_at_k(multi, scores, 2, weights=w4)",
    "tf.metrics.sparse_precision_at_k(cls, scores, 1)",
    "tf.metrics.precision_at_top_k(cls, top)",
    "tf.metrics.recall_at_top_k(multi, top, k=2, name='r')",
    "tf.metrics.average_precision_at_k(cls, scores, 3)",
    "tf.metrics.sparse_average_precision_at_k(multi, scores, 2, weights=w4)",
    "tf.metrics.average_precision_at_k(clsn, scoresn, 2)",
    "tf.metrics.precision_at_k(tf.SparseTensor(si, sv, ss), scores, 2)",
    "tf.metrics.recall_at_k(tf.SparseTensor(si, sv, ss), scores, 2, class_id=3)",
]

ERRORS = [
    ("tf.metrics.accuracy(l4, tf.zeros([3], tf.int64))", "are incompatible"),
    ("tf.metrics.mean(v4, weights=tf.ones([3]))", "weights can not be broadcast to values"),
    ("tf.metrics.mean(v23, weights=tf.ones([3, 3]))", "Mismatch at dim 0"),
    ("tf.metrics.mean(v23, weights=tf.ones([2, 3, 4]))", "Can not squeeze dim[2]"),
    ("tf.metrics.auc(truth, prob, curve='XY')", "Curve must be either ROC or PR"),
    ("tf.metrics.auc(truth, prob, summation_method='x')", "Invalid summation_method"),
    ("tf.metrics.sensitivity_at_specificity(truth, prob, 1.5)", "`specificity` must be in the range [0, 1]"),
    ("tf.metrics.specificity_at_sensitivity(truth, prob, -0.1)", "`sensitivity` must be in the range [0, 1]"),
    ("tf.metrics.average_precision_at_k(cls, scores, 0)", "Invalid k=0"),
    ("tf.metrics.precision_at_top_k(tf.zeros([4, 2, 2], tf.int64), top)", "Unexpected labels shape"),
    ("tf.metrics.true_positives(truth, truth, weights=tf.ones([4, 1, 1]))", "rank"),
    ("tf.metrics.mean_iou(l4, tf.zeros([3], tf.int64), 3)", "are incompatible"),
    ("tf.metrics.mean_relative_error(v4, y4, normalizer=tf.ones([3]))", "are incompatible"),
    ("tf.confusion_matrix(l4, p4, weights=tf.ones([3]))", "are incompatible"),
    ("tf.metrics.precision(truth, tf.zeros([3], tf.bool))", "are incompatible"),
    ("tf.metrics.true_positives_at_thresholds(truth, prob, [0.5], weights=tf.ones([3]))", "weights can not be broadcast"),
]
