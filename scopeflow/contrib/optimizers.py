"""``tf.contrib.layers.optimize_loss``: a training op from a loss, as TF 1.15's - the
optimizer by name or object, a ``learning_rate`` variable under ``OptimizeLoss``, the
``UPDATE_OPS`` run first, optional gradient noise, multipliers and clipping, and summaries.

>>> import scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     w = tf.Variable(3.0, name="w")
...     step = tf.train.get_or_create_global_step()
...     train = tf.contrib.layers.optimize_loss(w * w, step, 0.25, "SGD", summaries=[])
...     sess.run(tf.global_variables_initializer())
...     print(sess.run(train), float(sess.run(w)), int(sess.run(step)))
9.0 1.5 1
"""

from __future__ import annotations

from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import control_dependencies, get_collection, name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity
from scopeflow.ops.array.basic import shape as array_shape
from scopeflow.ops.math.clip import clip_by_global_norm, global_norm
from scopeflow.ops.random.sampling import random_normal
from scopeflow.summary.summary_ops import histogram, scalar
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.optimizers import (
    AdagradOptimizer,
    AdamOptimizer,
    GradientDescentOptimizer,
    MomentumOptimizer,
    RMSPropOptimizer,
)
from scopeflow.train.optimizers_proximal import FtrlOptimizer
from scopeflow.train.training_util import assert_global_step, get_global_step
from scopeflow.variables.collections import trainable_variables
from scopeflow.variables.initializers import constant_initializer
from scopeflow.variables.variable_scope import get_variable, variable_scope

OPTIMIZER_CLS_NAMES = {
    "Adagrad": AdagradOptimizer,
    "Adam": AdamOptimizer,
    "Ftrl": FtrlOptimizer,
    "Momentum": lambda learning_rate: MomentumOptimizer(learning_rate, momentum=0.9),
    "RMSProp": RMSPropOptimizer,
    "SGD": GradientDescentOptimizer,
}
OPTIMIZER_SUMMARIES = [
    "learning_rate",
    "loss",
    "gradients",
    "gradient_norm",
    "global_gradient_norm",
]


def _with_dependencies(dependencies, tensor):
    """``tensor`` through an ``Identity`` named ``control_dependency`` that waits for
    ``dependencies`` (TF1's ``control_flow_ops.with_dependencies``)."""
    with name_scope(None, "control_dependency", [*dependencies, tensor]) as scope:
        with control_dependencies(dependencies):
            return identity(tensor, name=scope)


def _learning_rate(learning_rate):
    if learning_rate is None:
        return None
    if isinstance(learning_rate, Tensor) and learning_rate.shape.ndims == 0:
        return learning_rate
    if isinstance(learning_rate, float):
        if learning_rate < 0.0:
            raise ValueError(f"Invalid learning_rate {learning_rate}.")
        return get_variable(
            "learning_rate", [], trainable=False, initializer=constant_initializer(learning_rate)
        )
    raise ValueError(
        f"Learning rate should be 0d Tensor or float. Got {learning_rate} of type "
        f"{type(learning_rate)}"
    )


def _make_optimizer(optimizer, lr, learning_rate):
    if isinstance(optimizer, str):
        if lr is None:
            raise ValueError(
                "Learning rate is None, but should be specified if optimizer is string "
                f"({optimizer})."
            )
        if optimizer not in OPTIMIZER_CLS_NAMES:
            raise ValueError(
                f"Optimizer name should be one of [{', '.join(OPTIMIZER_CLS_NAMES)}], you "
                f"provided {optimizer}."
            )
        return OPTIMIZER_CLS_NAMES[optimizer](learning_rate=lr)
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        if lr is None:
            raise ValueError(
                "Learning rate is None, but should be specified if optimizer is class "
                f"({optimizer})."
            )
        return optimizer(learning_rate=lr)
    if isinstance(optimizer, Optimizer):
        return optimizer
    if callable(optimizer):
        opt = optimizer(lr) if learning_rate is not None else optimizer()
        if not isinstance(opt, Optimizer):
            raise ValueError(
                f"Unrecognized optimizer: function should return subclass of Optimizer. Got {opt}."
            )
        return opt
    raise ValueError(
        "Unrecognized optimizer: should be string, subclass of Optimizer, instance of "
        f"subclass of Optimizer or function with one argument. Got {optimizer}."
    )


def _values(gradient):
    return gradient.values if isinstance(gradient, IndexedSlices) else gradient


def _add_noise(grads_and_vars, scale):
    noisy = []
    for gradient, variable in grads_and_vars:
        if gradient is not None:
            if isinstance(gradient, IndexedSlices):
                raise NotImplementedError(
                    "optimize_loss(gradient_noise_scale=...) with sparse gradients is not "
                    "supported; add the noise to the dense variables only."
                )
            gradient = gradient + random_normal(array_shape(gradient)) * scale
        noisy.append((gradient, variable))
    return noisy


def _multiply(grads_and_vars, multipliers):
    scaled = []
    for gradient, variable in grads_and_vars:
        key = variable if variable in multipliers else variable.op.name
        if gradient is not None and key in multipliers:
            factor = constant(multipliers[key], dtype=_values(gradient).dtype)
            if isinstance(gradient, IndexedSlices):
                gradient = IndexedSlices(
                    gradient.values * factor, gradient.indices, gradient.dense_shape
                )
            else:
                gradient = gradient * factor
        scaled.append((gradient, variable))
    return scaled


def _norm_of(grads_and_vars):
    return global_norm([g for g, _ in grads_and_vars])


def optimize_loss(
    loss,
    global_step,
    learning_rate,
    optimizer,
    gradient_noise_scale=None,
    gradient_multipliers=None,
    clip_gradients=None,
    learning_rate_decay_fn=None,
    update_ops=None,
    variables=None,
    name=None,
    summaries=None,
    colocate_gradients_with_ops=False,
    increment_global_step=True,
):
    """The loss, evaluated after one optimizer step on ``variables`` (default: the
    trainable ones) and the ``UPDATE_OPS``; see the module's docstring."""
    loss = convert_to_tensor(loss)
    if loss.shape.ndims not in (None, 0):
        raise ValueError(f"Expected scalar shape for {loss.name}, saw shape: {loss.shape}.")
    if global_step is None:
        global_step = get_global_step()
    else:
        assert_global_step(global_step)
    with variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if update_ops is None:
            update_ops = list(dict.fromkeys(get_collection(GraphKeys.UPDATE_OPS)))
        if update_ops:
            loss = _with_dependencies(list(update_ops), loss)
        lr = _learning_rate(learning_rate)
        if summaries is None:
            summaries = ["loss", "learning_rate", "global_gradient_norm"]
        for summ in summaries:
            if summ not in OPTIMIZER_SUMMARIES:
                raise ValueError(
                    f"Summaries should be one of [{', '.join(OPTIMIZER_SUMMARIES)}], you "
                    f"provided {summ}."
                )
        if learning_rate is not None and learning_rate_decay_fn is not None:
            if global_step is None:
                raise ValueError("global_step is required for learning_rate_decay_fn.")
            lr = learning_rate_decay_fn(lr, global_step)
            if "learning_rate" in summaries:
                scalar("learning_rate", lr)
        opt = _make_optimizer(optimizer, lr, learning_rate)
        if variables is None:
            variables = trainable_variables()
        gradients = opt.compute_gradients(
            loss, variables, colocate_gradients_with_ops=colocate_gradients_with_ops
        )
        if gradient_noise_scale is not None:
            gradients = _add_noise(gradients, gradient_noise_scale)
        if gradient_multipliers is not None:
            gradients = _multiply(gradients, gradient_multipliers)
            if not gradients:
                raise ValueError(
                    "Empty list of (gradient, var) pairs encountered. This is most likely to "
                    "be caused by an improper value of gradient_multipliers."
                )
        norms = "global_gradient_norm" in summaries or "gradient_norm" in summaries
        if norms:
            scalar("global_norm/gradient_norm", _norm_of(gradients))
        if isinstance(clip_gradients, float):
            clipped, _ = clip_by_global_norm([g for g, _ in gradients], clip_gradients)
            gradients = list(zip(clipped, [v for _, v in gradients], strict=True))
        elif callable(clip_gradients):
            gradients = clip_gradients(gradients)
        elif clip_gradients is not None:
            raise ValueError(f"Unknown type {type(clip_gradients)} for clip_gradients")
        if "loss" in summaries:
            scalar("loss", loss)
        for gradient, variable in gradients:
            values = _values(gradient) if gradient is not None else None
            if values is not None:
                var_name = variable.name.replace(":", "_")
                if "gradients" in summaries:
                    histogram(f"gradients/{var_name}", values)
                if "gradient_norm" in summaries:
                    scalar(f"gradient_norm/{var_name}", global_norm([values]))
        if clip_gradients is not None and norms:
            scalar("global_norm/clipped_gradient_norm", _norm_of(gradients))
        grad_updates = opt.apply_gradients(
            gradients, global_step=global_step if increment_global_step else None, name="train"
        )
        return _with_dependencies([grad_updates], loss)


__all__ = ["OPTIMIZER_CLS_NAMES", "OPTIMIZER_SUMMARIES", "optimize_loss"]
