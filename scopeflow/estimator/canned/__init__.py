"""TF1's premade (canned) estimators: ``DNNClassifier``/``DNNRegressor``,
``LinearClassifier``/``LinearRegressor``, ``DNNLinearCombinedClassifier``/``Regressor`` (wide
and deep), ``BaselineClassifier``/``Regressor``, and the heads they share."""

from __future__ import annotations

from scopeflow.estimator.canned.baseline import BaselineClassifier, BaselineRegressor
from scopeflow.estimator.canned.dnn import DNNClassifier, DNNRegressor
from scopeflow.estimator.canned.dnn_linear_combined import (
    DNNLinearCombinedClassifier,
    DNNLinearCombinedRegressor,
)
from scopeflow.estimator.canned.linear import LinearClassifier, LinearRegressor

__all__ = [
    "BaselineClassifier",
    "BaselineRegressor",
    "DNNClassifier",
    "DNNLinearCombinedClassifier",
    "DNNLinearCombinedRegressor",
    "DNNRegressor",
    "LinearClassifier",
    "LinearRegressor",
]
