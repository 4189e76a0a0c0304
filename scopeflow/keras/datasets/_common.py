"""What the dataset loaders share: Keras's download folder and the cache folder argument."""

from __future__ import annotations

import os

from scopeflow.keras.datasets.download import get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def fetch(path, origin, file_hash, cache_dir=None, **kwargs) -> str:
    """``get_file`` after creating ``cache_dir`` (when given) as Keras's loaders do."""
    if cache_dir:
        cache_dir = os.path.expanduser(cache_dir)
        os.makedirs(cache_dir, exist_ok=True)
    return get_file(path, origin=origin, file_hash=file_hash, cache_dir=cache_dir, **kwargs)
