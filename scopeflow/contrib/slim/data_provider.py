"""``tf.contrib.slim.data_provider``: ``DataProvider``, items (tensors) by name plus the
number of samples (``dataset_data_provider.DatasetDataProvider`` is one)."""

from __future__ import annotations

__all__ = ["DataProvider"]


class DataProvider:
    """Tensors by item name, and how many samples there are."""

    def __init__(self, items_to_tensors, num_samples):
        self._items_to_tensors = items_to_tensors
        self._num_samples = num_samples

    def get(self, items):
        """The tensors of ``items`` (a list or tuple of names), in that order.

        Raises:
            ValueError: ``items`` not a list or tuple, or an unknown item.
        """
        self._validate_items(items)
        return [self._items_to_tensors[item] for item in items]

    def list_items(self):
        return self._items_to_tensors.keys()

    def num_samples(self):
        return self._num_samples

    def _validate_items(self, items) -> None:
        if not isinstance(items, (list, tuple)):
            raise ValueError("items must be a list or tuple")
        valid = self.list_items()
        for item in items:
            if item not in valid:
                raise ValueError(f"Item [{item}] is invalid. Valid entries include: {valid}")
