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


def ftrl(var, accum, linear, grad, lr, l1=0.0, l2=0.0, lr_power=-0.5, shrinkage=0.0, by_lr=False):
    """FTRL-proximal (McMahan et al.); ``shrinkage`` adds ``2 * shrinkage * var`` to the
    gradient of ``linear`` (TF's V2), ``by_lr`` keeps ``linear`` multiplied by ``lr``."""
    new_accum = accum + grad**2
    sigma = new_accum**-lr_power - accum**-lr_power
    g = grad + 2 * shrinkage * var
    if by_lr:
        linear = linear + g * lr - sigma * var
        quadratic, l1 = new_accum**-lr_power + 2 * l2 * lr, l1 * lr
    else:
        linear = linear + g - sigma / lr * var
        quadratic = new_accum**-lr_power / lr + 2 * l2
    var = np.where(np.abs(linear) > l1, (np.sign(linear) * l1 - linear) / quadratic, 0.0)
    return var, new_accum, linear


def proximal_gradient_descent(var, grad, lr, l1=0.0, l2=0.0):
    prox = var - lr * grad
    return (np.sign(prox) * np.maximum(np.abs(prox) - lr * l1, 0) / (1 + lr * l2),)


def proximal_adagrad(var, accum, grad, lr, l1=0.0, l2=0.0):
    accum = accum + grad**2
    rate = lr / np.sqrt(accum)
    return proximal_gradient_descent(var, grad, rate, l1, l2)[0], accum


def adagrad_da(var, g_acc, gg_acc, grad, lr, l1, l2, step):
    """Adagrad dual averaging: the variable recomputed from the sums at ``step``."""
    g_acc, gg_acc = g_acc + grad, gg_acc + grad**2
    shrunk = np.sign(g_acc) * np.maximum(np.abs(g_acc) - l1 * step, 0)
    return -lr * shrunk / (l2 * step * lr + np.sqrt(gg_acc)), g_acc, gg_acc
