"""The subclass API of tf_keras's ``OptimizerV2`` that user-written Keras optimizers override
and call (``_prepare_local``, ``_fallback_apply_state``, ``_resource_apply_dense``,
``_resource_apply_sparse``, ``_resource_apply_sparse_duplicate_indices``,
``_resource_scatter_add``/``_update``, ``_serialize_hyperparameter``), mixed into
``optimizer_v2.Optimizer``: an optimizer that defines ``_resource_apply_dense`` is applied
through it, with TF's ``apply_state`` (coefficients per variable device and dtype).

The built-in optimizers use ``Optimizer``'s own hooks (``_prepare``, ``_apply_dense``,
``_apply_sparse``), which build the same graphs.
"""

from __future__ import annotations

import inspect

from scopeflow.keras.optimizer_rows import add_rows, store_rows
from scopeflow.ops.array import basic as array_ops
from scopeflow.train.optimizer import _deduplicate_indexed_slices


class SubclassAPI:
    """TF's hooks for Keras optimizers written as ``OptimizerV2`` subclasses."""

    def _uses_subclass_api(self) -> bool:
        return type(self)._resource_apply_dense is not SubclassAPI._resource_apply_dense

    def _apply_state(self, var_list) -> dict:
        """TF's ``_prepare``: ``_prepare_local`` once per (device, dtype) of the variables."""
        apply_state: dict = {}
        for var in var_list:
            key = (var.device, var.dtype.base_dtype)
            if key not in apply_state:
                apply_state[key] = {}
                self._prepare_local(key[0], key[1], apply_state)
        return apply_state

    def _prepare_local(self, var_device, var_dtype, apply_state) -> None:
        """The learning rate for variables of ``var_dtype``, ``lr_t``."""
        if "learning_rate" in self._hyper:
            lr_t = array_ops.identity(self._decayed_lr(var_dtype))
            apply_state[(var_device, var_dtype)]["lr_t"] = lr_t

    def _fallback_apply_state(self, var_device, var_dtype) -> dict:
        """The coefficients ``_prepare_local`` gives, for an update called without them."""
        apply_state = {(var_device, var_dtype): {}}
        self._prepare_local(var_device, var_dtype, apply_state)
        return apply_state[(var_device, var_dtype)]

    def _apply_by_subclass(self, grad, var, apply_state, sparse: bool):
        """A subclass's update of ``var`` (``grad`` an ``IndexedSlices`` when ``sparse``),
        given ``apply_state`` where its method takes it, as TF's."""
        if sparse:
            method = self._resource_apply_sparse
            kwargs = _state_kwargs(method, apply_state)
            return self._resource_apply_sparse_duplicate_indices(
                grad.values, var, grad.indices, **kwargs
            )
        method = self._resource_apply_dense
        return method(grad, var, **_state_kwargs(method, apply_state))

    def _resource_apply_dense(self, grad, handle, apply_state):
        raise NotImplementedError("Must be implemented in subclasses.")

    def _resource_apply_sparse(self, grad, handle, indices, apply_state):
        raise NotImplementedError("Must be implemented in subclasses.")

    def _resource_apply_sparse_duplicate_indices(self, grad, handle, indices, **kwargs):
        """``_resource_apply_sparse`` of the rows with repeated indices summed."""
        summed_grad, unique_indices = _deduplicate_indexed_slices(grad, indices)
        return self._resource_apply_sparse(summed_grad, handle, unique_indices, **kwargs)

    def _resource_scatter_add(self, x, i, v):
        """Adds ``v`` into the rows ``i`` of ``x``; ``x``'s value after."""
        return add_rows(x, i, v)

    def _resource_scatter_update(self, x, i, v):
        """Sets the rows ``i`` of ``x`` to ``v``; ``x``'s value after."""
        return store_rows(x, i, v)

    def _serialize_hyperparameter(self, hyperparameter_name: str):
        """A hyperparameter as ``get_config`` saves it (its variable's value once made)."""
        return self._serialized_hyper(hyperparameter_name, self._hyper[hyperparameter_name])


def _state_kwargs(method, apply_state) -> dict:
    return {"apply_state": apply_state} if "apply_state" in _arg_names(method) else {}


def _arg_names(method) -> set[str]:
    return set(inspect.signature(method).parameters)


__all__ = ["SubclassAPI"]
