"""``tf.estimator.experimental``: the early-stopping hooks, and the canned DNN's and linear
model's logit-function builders."""

from __future__ import annotations

from scopeflow.estimator.canned.dnn import dnn_logit_fn_builder
from scopeflow.estimator.canned.linear import linear_logit_fn_builder
from scopeflow.estimator.early_stopping import (
    make_early_stopping_hook,
    stop_if_higher_hook,
    stop_if_lower_hook,
    stop_if_no_decrease_hook,
    stop_if_no_increase_hook,
)

__all__ = [
    "dnn_logit_fn_builder",
    "linear_logit_fn_builder",
    "make_early_stopping_hook",
    "stop_if_higher_hook",
    "stop_if_lower_hook",
    "stop_if_no_decrease_hook",
    "stop_if_no_increase_hook",
]
