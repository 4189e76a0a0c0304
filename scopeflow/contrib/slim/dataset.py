"""``tf.contrib.slim.dataset``: ``Dataset``, the description of a dataset on disk - its
files, reader class, decoder, size and item descriptions (plus any other attributes)."""

from __future__ import annotations

__all__ = ["Dataset"]


class Dataset:
    """A dataset's ``data_sources``, ``reader``, ``decoder``, ``num_samples`` and
    ``items_to_descriptions``, and any further keyword arguments, as attributes."""

    def __init__(self, data_sources, reader, decoder, num_samples, items_to_descriptions, **kwargs):
        kwargs.update(
            data_sources=data_sources,
            reader=reader,
            decoder=decoder,
            num_samples=num_samples,
            items_to_descriptions=items_to_descriptions,
        )
        self.__dict__.update(kwargs)
