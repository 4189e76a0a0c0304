"""CIFAR's python batches (pickled dicts), read with the restricted unpickler."""

from __future__ import annotations

import numpy as np

from scopeflow.keras.backend_config import image_data_format
from scopeflow.keras.datasets import safe_pickle


def load_batch(fpath, label_key="labels"):
    """``(data, labels)`` of one CIFAR batch file: uint8 ``[n, 3, 32, 32]`` and the labels
    (a list) under ``label_key``."""
    batch = {
        (k.decode("utf8") if isinstance(k, bytes) else k): v
        for k, v in safe_pickle.load(fpath, encoding="bytes").items()
    }
    data = np.asarray(batch["data"])
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def channels_last(x: np.ndarray) -> np.ndarray:
    """The NCHW batch ``x`` in ``tf.keras.backend.image_data_format()``'s layout."""
    return x.transpose(0, 2, 3, 1) if image_data_format() == "channels_last" else x


__all__ = ["channels_last", "load_batch"]
