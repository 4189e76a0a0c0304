"""``tf.contrib.learn.datasets``: ``base`` (CSV loaders, ``Dataset``/``Datasets``,
``maybe_download``) and ``mnist`` (``read_data_sets``)."""

from __future__ import annotations

from scopeflow.contrib.learn.datasets import base, mnist

__all__ = ["base", "mnist"]
