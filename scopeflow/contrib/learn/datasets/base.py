"""``tf.contrib.learn.datasets.base``: the ``Dataset``/``Datasets`` tuples, CSV loaders and the
download-once helper the TF1 tutorials read their data with.

>>> import os, tempfile
>>> from scopeflow.contrib.learn.datasets import base
>>> with tempfile.TemporaryDirectory() as folder:
...     path = os.path.join(folder, "tiny.csv")
...     with open(path, "w") as f:
...         _ = f.write("2,3,a,b\\n1.0,2.0,3.0,0\\n4.0,5.0,6.0,1\\n")
...     data = base.load_csv_with_header(path, target_dtype=int, features_dtype=float)
>>> data.data.shape, data.target.tolist()
((2, 3), [0, 1])
"""

from __future__ import annotations

import collections
import csv
import os
import shutil
import tempfile
import time

import numpy as np

Dataset = collections.namedtuple("Dataset", ["data", "target"])
Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


def load_csv_with_header(filename, target_dtype, features_dtype, target_column=-1) -> Dataset:
    """A CSV file whose first row holds the sample and feature counts (then anything), one
    sample per later row, its target in column ``target_column``."""
    with open(filename, newline="") as csv_file:
        rows = csv.reader(csv_file)
        header = next(rows)
        n_samples, n_features = int(header[0]), int(header[1])
        data = np.zeros((n_samples, n_features), dtype=features_dtype)
        target = np.zeros((n_samples,), dtype=target_dtype)
        for i, row in enumerate(rows):
            target[i] = np.asarray(row.pop(target_column), dtype=target_dtype)
            data[i] = np.asarray(row, dtype=features_dtype)
    return Dataset(data=data, target=target)


def load_csv_without_header(filename, target_dtype, features_dtype, target_column=-1) -> Dataset:
    """A CSV file of samples only, each row's target in column ``target_column``."""
    features, targets = [], []
    with open(filename, newline="") as csv_file:
        for row in csv.reader(csv_file):
            targets.append(row.pop(target_column))
            features.append(np.asarray(row, dtype=features_dtype))
    return Dataset(data=np.array(features), target=np.array(targets, dtype=target_dtype))


def maybe_download(filename: str, work_directory: str, source_url: str) -> str:
    """``work_directory/filename``, downloaded from ``source_url`` first when it is not there
    (written under a temporary name and renamed, so an interrupted download leaves no file)."""
    os.makedirs(work_directory, exist_ok=True)
    filepath = os.path.join(work_directory, filename)
    if not os.path.exists(filepath):
        temp_name = _download_with_retry(source_url)
        try:
            staged = tempfile.NamedTemporaryFile(dir=work_directory, delete=False).name
            shutil.copyfile(temp_name, staged)
            os.replace(staged, filepath)
        finally:
            os.remove(temp_name)
        print("Successfully downloaded", filename, os.path.getsize(filepath), "bytes.")
    return filepath


def _download_with_retry(url: str, attempts: int = 3) -> str:
    """The path of a temporary file holding ``url``'s contents; retried with a growing pause,
    then the last error, with the way out in its message."""
    import urllib.request  # (with ssl and http: imported only when a file is missing)

    for attempt in range(attempts - 1):
        try:
            return urllib.request.urlretrieve(url)[0]
        except OSError:
            time.sleep(2**attempt)
    try:
        return urllib.request.urlretrieve(url)[0]
    except OSError as e:
        raise OSError(
            f"could not download {url} ({e}); put the file in the data directory yourself "
            "and it will be read from there"
        ) from e
