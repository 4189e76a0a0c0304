"""``tf.keras.utils.Sequence``: the base class of Keras's batch sources (``fit`` takes one;
``TimeseriesGenerator`` and the image iterators are ones)."""

from __future__ import annotations


class Sequence:
    """A source of batches: subclass it with ``__getitem__(index)`` (the batch ``index``:
    ``(x, y)`` or ``(x, y, sample_weight)``) and ``__len__`` (the number of batches);
    ``on_epoch_end`` is called after each epoch."""

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch (shuffle the data here)."""

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]


__all__ = ["Sequence"]
