"""The optimizers' update rules written out in NumPy (float64), straight from their papers'
formulas: the reference the optimizer and update-op tests compare against. Each takes the
variable, its slots and the gradient and returns the new variable and slots."""

from __future__ import annotations

import numpy as np


def gradient_descent(var, grad, lr):
    return (var - lr * grad,)


def momentum(var, accum, grad, lr, mu, nesterov=False):
    accum = mu * accum + grad
    if nesterov:
        return var - lr * (grad + mu * accum), accum
    return var - lr * accum, accum


def adam(var, m, v, grad, step, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """``step`` counts from 1 (the bias correction of the ``step``-th update)."""
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    lr_t = lr * np.sqrt(1 - beta2**step) / (1 - beta1**step)
    return var - lr_t * m / (np.sqrt(v) + eps), m, v


def adagrad(var, accum, grad, lr):
    accum = accum + grad**2
    return var - lr * grad / np.sqrt(accum), accum


def rms_prop(var, ms, mom, grad, lr, rho=0.9, mu=0.0, eps=1e-10):
    ms = rho * ms + (1 - rho) * grad**2
    mom = mu * mom + lr * grad / np.sqrt(ms + eps)
    return var - mom, ms, mom


def centered_rms_prop(var, mg, ms, mom, grad, lr, rho=0.9, mu=0.0, eps=1e-10):
    ms = rho * ms + (1 - rho) * grad**2
    mg = rho * mg + (1 - rho) * grad
    mom = mu * mom + lr * grad / np.sqrt(ms - mg**2 + eps)
    return var - mom, mg, ms, mom


def adadelta(var, accum, accum_update, grad, lr, rho=0.95, eps=1e-8):
    accum = rho * accum + (1 - rho) * grad**2
    update = np.sqrt(accum_update + eps) / np.sqrt(accum + eps) * grad
    accum_update = rho * accum_update + (1 - rho) * update**2
    return var - lr * update, accum, accum_update
