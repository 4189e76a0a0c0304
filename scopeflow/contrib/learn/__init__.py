"""``tf.contrib.learn``: the parts TF1 programs still use: ``datasets`` (MNIST's
``read_data_sets``, the CSV loaders), ``preprocessing`` (``VocabularyProcessor``) and
``ModeKeys``. Its old estimators are ``tf.estimator``'s now: use those."""

from __future__ import annotations

from scopeflow.contrib.learn import datasets, preprocessing


class ModeKeys:
    """The modes of ``tf.contrib.learn``'s model functions."""

    TRAIN = "train"
    EVAL = "eval"
    INFER = "infer"


# The old estimator API (TF 1.0's), which TF1.15 had deprecated for tf.estimator.
_MOVED = {
    **dict.fromkeys(
        ["Estimator", "DNNClassifier", "DNNRegressor", "LinearClassifier", "LinearRegressor"],
        "tf.estimator",
    ),
    **dict.fromkeys(["DNNLinearCombinedClassifier", "DNNLinearCombinedRegressor"], "tf.estimator"),
    **dict.fromkeys(
        ["RunConfig", "Experiment", "learn_runner"],
        "tf.estimator.RunConfig and tf.estimator.train_and_evaluate",
    ),
    "ModelFnOps": "tf.estimator.EstimatorSpec",
    "infer_real_valued_columns_from_input": "tf.feature_column.numeric_column",
}


def __getattr__(name: str):
    if name in _MOVED:
        raise NotImplementedError(
            f"tf.contrib.learn.{name} (the deprecated contrib estimators) is not provided by "
            f"scopeflow: use {_MOVED[name]} instead."
        )
    raise AttributeError(f"module 'tf.contrib.learn' has no attribute {name!r}")


__all__ = ["ModeKeys", "datasets", "preprocessing"]
